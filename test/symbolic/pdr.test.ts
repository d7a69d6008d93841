/**
 * The PDR engine: Spacer's invariant read back and re-checked (lagging), the explicit-guided
 * invariant of a protocol model (mm, 1 sender), a weakened invariant rejected by the re-check,
 * bug variants that never prove (same property and shortest length as the explicit engine), and
 * a proved invariant written back with m.invariant(...) making k-induction succeed at once.
 */
import { describe, expect, it } from 'vitest';
import { runPdr, spacer } from '../../checker/symbolic/pdr.ts';
import { recheckInvariant } from '../../checker/symbolic/recheck.ts';
import { reachableStates } from '../../checker/symbolic/reach.ts';
import { mineCandidates } from '../../checker/symbolic/mine.ts';
import { guidedInvariant } from '../../checker/symbolic/guided.ts';
import { withInvariants } from '../../checker/symbolic/houdini.ts';
import { runInduction } from '../../checker/symbolic/index.ts';
import { runCheck } from '../../checker/check.ts';
import { findBuiltin } from '../../model/registry.ts';
import { counterDef } from '../ci/models.ts';
import * as tiny from './models.ts';

describe('pdr: Spacer', () => {
  it('lagging (y <= x): proved by Spacer, the invariant in model vocabulary, re-checked', async () => {
    const r = await runPdr(tiny.lagging());
    expect(r.engine).toBe('pdr');
    expect(r.verdict).toBe('proved');
    expect(r.proof!.method).toBe('spacer');
    expect(r.proof!.invariant).toContain('(x - y) > -1');
    expect(r.proof!.recheck).toEqual({ smt: 'valid', explicitStates: 5, explicitComplete: true });
  });

  it('a weakened invariant (the conjunct relating y to x removed) fails the independent re-check', async () => {
    const model = tiny.lagging();
    const found = await spacer(model, 5_000_000);
    if (!('conjuncts' in found)) throw new Error('no invariant');
    expect((await recheckInvariant(model, found.conjuncts)).ok).toBe(true);
    const weakened = found.conjuncts.filter((c) => !JSON.stringify(c).includes('"y"'));
    expect(weakened.length).toBe(found.conjuncts.length - 1);
    const r = await recheckInvariant(model, weakened);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^the invariant fails its SMT re-check \(.*(consecution|safety)/);
  });
});

describe('pdr: protocol models', () => {
  it('mm/fixed (1 sender): proved by the explicit-guided invariant, re-checked against all 34 states', async () => {
    const r = await runPdr(findBuiltin('mm')!.build('fixed', { senders: 1 }), { spacerRlimit: 0 });
    expect(r.verdict).toBe('proved');
    expect(r.proof!.method).toBe('explicit-guided');
    expect(r.proof!.recheck.explicitStates).toBe(34);
    expect(r.proof!.invariant).toContain('pc[kworker] = done');
  }, 180_000);

  it.each([
    ['mm', 'pasid-freed-in-mmput'], ['mm', 'mmput-in-sender-context'], ['task', 'group-leader-any-task'], ['aref', 'from-raw-twice'],
  ])('bug variant %s/%s never proves: the explicit engine\'s property and shortest length', async (name, variant) => {
    const def = findBuiltin(name)!;
    const bounds = Object.fromEntries(def.bounds.map((b) => [b.name, b.default]));
    const model = def.build(variant, bounds);
    const ex = runCheck(model);
    const r = await runPdr(model);
    expect(r.verdict).toBe('violation');
    expect(r.property!.id).toBe(ex.property!.id);
    expect(r.trace!.steps.length).toBe(ex.trace!.steps.length);
  });

  it('the locked counter\'s proved invariant, written back as m.invariant(...), makes 1-induction succeed (k = 7 without it)', async () => {
    const model = counterDef.build('locked', { threads: 2 });
    const before = await runInduction(model, { maxK: 3 });
    expect(before.verdict).toBe('unknown');
    const reach = reachableStates(model, 1e5);
    const g = await guidedInvariant(model, reach.states, mineCandidates(model, reach.states));
    if (g.kind !== 'invariant') throw new Error(g.reason);
    const after = await runInduction(withInvariants(model, g.conjuncts), { maxK: 3 });
    expect(after.verdict).toBe('proved');
    expect(after.k).toBeLessThanOrEqual(1);
  }, 180_000);
});

