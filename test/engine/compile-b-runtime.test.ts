/**
 * The generated code's runtime helpers and layout code (checker/compile.ts): unpack of a
 * constant (zero-bit) slot, the sort check of a write from an option sort, `ix` on an index sort
 * not starting at 0, `cyclic` next to another variable, the cover limit and the property error
 * messages. Each compared with the interpreter on every reachable state, or exact messages.
 */
import { describe, expect, it } from 'vitest';
import type { Model } from '../../model/lang/ir.ts';
import {
  model, range, bool, set, ite, lt, add, not, eq, enumeration, option, cyclic, ModelError,
} from '../../model/lang/index.ts';
import { compileModel } from '../../checker/compile.ts';
import { initialState } from '../../checker/interpreter.ts';
import { toSlots } from '../../checker/layout.ts';
import { exhaustiveAgreement } from './helpers.ts';

const exhaustive = exhaustiveAgreement;

describe('generated runtime code equals the interpreter', () => {
  it('a one-value variable (no bits) unpacks to its value', () => {
    const m = model('const-slot');
    const k = m.var('k', range(2, 2), 2);
    const x = m.var('x', range(0, 2), 0);
    m.action('inc', { body: [set(x, ite(lt(x, 2), add(x, k), 0))] });
    m.invariant('k', 'k is 2', eq(k, 2));
    m.noDeadlockCheck();
    expect(exhaustive(m.build())).toEqual([2, 2, 0]);
  });

  it('a value of an option sort written to its base sort is checked (none is out of the sort)', () => {
    const N = enumeration('N', ['a', 'b']);
    const m = model('option-write');
    const o = m.var('o', option(N), 'none');
    const n = m.var('n', N, 'a');
    m.action('pick', { body: [set(o, 'b')] });
    m.action('copy', { body: [set(n, o)] });
    m.noDeadlockCheck();
    expect(exhaustive(m.build())).toEqual([3, 6, 1]);
  });

  it('an index sort from 1: indexes below, in and above it', () => {
    const m = model('index-from-1');
    const x = m.var('x', range(0, 3), 0);
    const a = m.var('a', range(0, 1), 0, [range(1, 2)]);
    m.action('mx', { body: [set(x, ite(lt(x, 3), add(x, 1), 0))] });
    m.action('w', { body: [set(a.at(x), 1)] });
    m.noDeadlockCheck();
    expect(exhaustive(m.build())).toEqual([16, 32, 8]);
  });

  it('cyclic: one edge 1 -> 0 is no cycle, whatever the variable stored after the matrix holds', () => {
    const m = model('cyclic-next');
    const L = range(0, 1);
    const g = m.var('g', bool, [false, false, true, false], [L, L]);
    const h = m.var('h', range(0, 1), 1);
    m.action('flip', { body: [set(h, ite(eq(h, 0), 1, 0))] });
    m.invariant('acyclic', 'no cycle', not(cyclic(g)));
    m.noDeadlockCheck();
    const built = m.build();
    expect(exhaustive(built)).toEqual([2, 2, 0]);
    const c = compileModel(built);
    expect(c.checkInvariants(toSlots(built, c.layout, initialState(built)))).toBe(-1);
  });
});

describe('properties', () => {
  const withCovers = (k: number) => {
    const m = model(`covers-${k}`);
    const x = m.var('x', range(0, 1), 0);
    m.action('a', { body: [set(x, 1)] });
    for (let i = 0; i < k; i++) m.cover(`c${i}`, `cover ${i}`, eq(x, i % 2));
    return m.build();
  };

  it('30 cover properties compile, each its own bit; 31 are refused with the limit', () => {
    const built = withCovers(30);
    const c = compileModel(built);
    expect(c.covers(toSlots(built, c.layout, initialState(built)))).toBe(0x15555555);
    expect(() => compileModel(withCovers(31))).toThrow(new Error('at most 30 cover properties'));
  });

  it('a quiescence or cover property reading outside a sort names itself', () => {
    const m = model('prop-oob');
    const x = m.var('x', range(0, 2), 2);
    const a = m.var('a', range(0, 1), 0, [range(0, 1)]);
    m.action('a', { body: [set(x, 0)] });
    m.quiescence('q.idx', 'a[x] is 0', eq(a.at(x), 0));
    m.cover('c.idx', 'a[x] is 1', eq(a.at(x), 1));
    const built = m.build();
    const c = compileModel(built);
    const v = toSlots(built, c.layout, initialState(built));
    const tail = 'reads an array index outside its sort in a reachable state; make it total (e.g. guard the index with ite)';
    expect(() => c.checkQuiescence(v)).toThrow(new ModelError(`quiescence q.idx ${tail}`));
    expect(() => c.covers(v)).toThrow(new ModelError(`cover c.idx ${tail}`));
  });
});
