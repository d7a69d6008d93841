/**
 * `--engine pdr` against the explicit engine:
 *
 * - every bug variant of every built-in model (default bounds): the same property and, after
 *   minimisation, the same shortest length (pdr's explicit search runs first and finds it);
 * - 200 random small models through pdr's symbolic path alone (the explicit search cut at one
 *   state, so Spacer decides and BMC rebuilds the trace): a violation has the explicit engine's
 *   shortest length, a pass is `proved` (re-checked inside runPdr) or at worst `unknown`;
 * - a model whose fix is removed never yields `proved`: Spacer finds no invariant for it, and
 *   the fixed variant's proved invariant fails the re-check on the racy one.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runPdr, spacer } from '../../checker/symbolic/pdr.ts';
import { shutdownZ3 } from '../../checker/symbolic/z3.ts';
import { recheckInvariant } from '../../checker/symbolic/recheck.ts';
import { reachableStates } from '../../checker/symbolic/reach.ts';
import { mineCandidates } from '../../checker/symbolic/mine.ts';
import { guidedInvariant } from '../../checker/symbolic/guided.ts';
import { runCheck } from '../../checker/check.ts';
import { builtinModels } from '../../model/registry.ts';
import { randomModels } from '../engine/random-models.ts';
import { counterDef } from '../ci/models.ts';

describe('pdr vs explicit: every bug variant of every built-in model', () => {
  const bugs = builtinModels.flatMap((def) => def.variants.filter((v) => v.expect !== 'pass').map((v) => ({ def, v })));
  it(`${bugs.length} bug variants listed`, () => {
    expect(bugs.length).toBeGreaterThan(20);
  });
  for (const { def, v } of bugs) {
    it(`${def.name}/${v.name}: ${v.expect}, same shortest length`, async () => {
      const bounds = Object.fromEntries(def.bounds.map((b) => [b.name, b.default]));
      const model = def.build(v.name, bounds);
      const ex = runCheck(model);
      const r = await runPdr(model);
      expect(r.engine).toBe('pdr');
      expect(r.verdict).toBe('violation');
      expect(`violation:${r.property!.id}`).toBe(v.expect);
      expect(r.property!.id).toBe(ex.property!.id);
      expect(r.trace!.steps.map((s) => s.action)).toEqual(ex.trace!.steps.map((s) => s.action));
    });
  }
});

describe('pdr vs explicit: random small models, symbolic path only', () => {
  it('200 models (seed 13): violations at the explicit engine\'s shortest length; passes proved and re-checked', async () => {
    const tally = { violation: 0, proved: 0, unknown: 0 };
    const retried: string[] = [];
    for (const [i, { model }] of fc.sample(randomModels(), { numRuns: 200, seed: 13 }).entries()) {
      const ex = runCheck(model, { minimise: false });
      let r = await runPdr(model, { maxStates: 1 });
      if (r.verdict === 'unknown') {
        // Z3's WASM build is not repeatable run to run (its heap layout, hence its search order,
        // depends on thread timing): about one run in 600 here, a model Spacer decides within 60 k
        // resource units overruns 5 M. A fresh worker decides it; two overruns in a row count, and
        // more than three retried models would mean Spacer got weaker, not unlucky.
        retried.push(`model ${i}: ${r.reason}`);
        await shutdownZ3();
        r = await runPdr(model, { maxStates: 1 });
      }
      if (r.verdict === 'unknown') { tally.unknown++; continue; }
      if (ex.verdict === 'violation') {
        tally.violation++;
        expect(r.verdict).toBe('violation');
        expect(r.trace!.steps.length).toBe(ex.trace!.steps.length);
        expect(r.property!.kind).toBeDefined();
      } else {
        tally.proved++;
        expect(ex.verdict).toBe('pass');
        expect(r.verdict).toBe('proved');
        expect(r.proof!.recheck.smt).toBe('valid');
        expect(r.proof!.recheck.explicitComplete).toBe(true);
      }
    }
    // Seed 13 draws 107 violating and 93 passing models (the explicit engine's count); Spacer
    // decides every one within its rlimit, so none is `unknown`.
    expect({ ...tally, retried: retried.length > 3 ? retried : [] }).toEqual({ violation: 107, proved: 93, unknown: 0, retried: [] });
  }, 300_000);
});

describe('pdr: a model whose fix is removed never yields proved', () => {
  it('counter/racy (the lock removed): Spacer finds the violation, runPdr reports it, never proved', async () => {
    const model = counterDef.build('racy', { threads: 2 });
    expect('violation' in (await spacer(model, 5_000_000))).toBe(true);
    const r = await runPdr(model, { maxStates: 1 });
    expect(r.verdict).toBe('violation');
    expect(r.property!.id).toBe('counter.lost-update');
  });

  it('counter/locked\'s proved invariant fails the re-check on counter/racy', async () => {
    const fixed = counterDef.build('locked', { threads: 2 });
    const reach = reachableStates(fixed, 1e5);
    const g = await guidedInvariant(fixed, reach.states, mineCandidates(fixed, reach.states));
    if (g.kind !== 'invariant') throw new Error(g.reason);
    expect((await recheckInvariant(fixed, g.conjuncts)).ok).toBe(true);
    const racy = counterDef.build('racy', { threads: 2 });
    const r = await recheckInvariant(racy, g.conjuncts);
    expect(r.ok).toBe(false);
  }, 180_000);
});
