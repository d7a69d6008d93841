/**
 * The code generator's splitting (per-action functions, outlined expressions, chunked writes,
 * requirements and properties) and its real `if` for writes under `when` keep the compiled
 * engine equal to the interpreter: with tiny size budgets every splitting path runs, on random
 * models and on every built-in variant. And a step of k conditional writes to one array cell
 * compiles to code linear in k (the IR's else branches are quadratic).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Model } from '../../model/lang/ir.ts';
import { model, range, bool, set, when, eq, guard, lt, add, requires, ne } from '../../model/lang/index.ts';
import { builtinModels } from '../../model/registry.ts';
import { compileModel, type CompiledModel } from '../../checker/compile.ts';
import { initialState, type State } from '../../checker/interpreter.ts';
import { checkExplicit } from '../../checker/explicit.ts';
import { compiledProps, compiledSuccessors, interpProps, interpSuccessors, showSuccs, walkAgreement } from './helpers.ts';
import { randomModels } from './random-models.ts';

const TINY = { limits: { groupChars: 120, exprChars: 40 } };

/** Walk from the initial state by `choices`, comparing both engines' successors and properties at each state. */
function walkAndCompare(m: Model, c: CompiledModel, choices: number[]): void {
  let s: State = initialState(m);
  for (const ch of [...choices, -1]) {
    const mine = interpSuccessors(m, s);
    expect(showSuccs(compiledSuccessors(m, c, s))).toEqual(showSuccs(mine));
    expect(compiledProps(m, c, s)).toEqual(interpProps(m, s));
    const fine = mine.filter((x) => x.status === 0);
    if (ch < 0 || fine.length === 0) break;
    s = fine[ch % fine.length].state;
  }
}

const walk = fc.array(fc.nat({ max: 1000 }), { minLength: 0, maxLength: 30 });

/** k writes to `a[p]` (p of the index sort, so the index is not guarded), each under its own flag. */
function conditionalWrites(k: number): Model {
  const m = model(`when-writes-${k}`);
  const I = range(0, k - 1);
  const a = m.var('a', range(0, k), 0, [I]);
  const flag = m.var('flag', bool, false, [I]);
  const p = m.var('p', I, 0);
  m.action('toggle', { params: [{ name: 'i', sort: I }], body: [set(flag.at({ op: 'param', sort: I, name: 'i' }), true)] });
  m.action('move', { body: [guard(lt(p, k - 1)), set(p, add(p, 1))] });
  m.action('write', {
    body: [
      requires('w.not-full', 'a[p] is not k yet', ne(a.at(p), k)),
      ...Array.from({ length: k }, (_, i) => when(eq(flag.at(i), true), [set(a.at(p), i + 1)])),
    ],
  });
  m.noDeadlockCheck();
  return m.build();
}

describe('split code equals the interpreter', () => {
  it('random models, tiny budgets (100 models)', () => {
    fc.assert(fc.property(randomModels(), walk, ({ model: m }, choices) => {
      walkAndCompare(m, compileModel(m, TINY), choices);
    }), { numRuns: 100 });
  });

  for (const def of builtinModels) {
    it(`${def.name}, every variant, tiny budgets (5 walks each)`, () => {
      const bounds = Object.fromEntries(def.bounds.map((b) => [b.name, b.default]));
      for (const variant of def.variants) {
        const m = def.build(variant.name, bounds);
        const c = compileModel(m, TINY);
        // The tiny budgets did split: helpers of every kind exist somewhere in the sweep.
        expect(Object.keys(c.functions).some((n) => /^ex_/.test(n))).toBe(true);
        fc.assert(fc.property(walk, (choices) => walkAndCompare(m, c, choices)), { numRuns: 5 });
      }
    }, 120_000);
  }

  it('same search results with default and tiny budgets (states, transitions, path)', () => {
    for (const def of builtinModels.slice(0, 6)) {
      for (const variant of def.variants) {
        const m = def.build(variant.name, Object.fromEntries(def.bounds.map((b) => [b.name, b.default])));
        const a = checkExplicit(m, { symmetry: false }, compileModel(m));
        const b = checkExplicit(m, { symmetry: false }, compileModel(m, TINY));
        const strip = (r: typeof a) => ({ ...r, seconds: 0 });
        expect(strip(b), `${def.name}/${variant.name}`).toEqual(strip(a));
      }
    }
  }, 120_000);
});

describe('writes under when', () => {
  it('compile to an if each, linear in the number of writes to one cell', () => {
    const size = (k: number) => {
      const c = compileModel(conditionalWrites(k));
      const fn = c.source.split(/\n(?=function )/).filter((f) => f.includes(`emit(${c.instances.findIndex((i) => i.action.name === 'write')},`));
      return fn.join('').length;
    };
    const s8 = size(8), s16 = size(16), s32 = size(32);
    // Quadratic code would grow 4× per doubling.
    expect(s16 / s8).toBeLessThan(2.5);
    expect(s32 / s16).toBeLessThan(2.5);
    const c = compileModel(conditionalWrites(8));
    // `if (flag[i]) { a[p] = i + 1 }`: the index computed (and checked) once, before the if.
    expect(c.source).toMatch(/\{ const o\d+=[^;]*ix\([^;]*; if \(.+\) \{ n\[o\d+\]=\d+; \} \}/);
  });

  it('agree with the interpreter on every reachable state (k = 4)', () => {
    const m = conditionalWrites(4);
    for (const c of [compileModel(m), compileModel(m, TINY)]) expect(walkAgreement(m, c)[0]).toBeGreaterThan(100);
  });
});
