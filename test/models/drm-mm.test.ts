import { describe, it, expect } from 'vitest';
import drmMmDef from '../../model/drm-mm.ts';
import { runCheck } from '../../checker/check.ts';
import { cli } from '../cli/run-cli.ts';
import { EXIT, type Result } from '../../checker/result.ts';
import { minimalViolationDepth } from '../helpers/shortest.ts';
import { enabled, initialState, instancesOf, step, type Instance, type State } from '../../checker/interpreter.ts';
import type { Model } from '../../model/lang/ir.ts';
import { ofThread } from '../helpers/trace.ts';

const build = (variant: string, objects = 3, size = 2) => drmMmDef.build(variant, { objects, size });
const threadsOf = (r: Result) => [...new Set(r.trace!.steps.map((s) => s.thread))];

/** O1 creates its GEM object: the ioctl inserts its node under the lock. */
const CREATE = ['drm_dev_enter', 'node_alloc', 'insert_lock', 'insert_node', 'insert_unlock', 'drm_dev_exit'];

const threadIndex = (model: Model, t: string) => {
  const s = model.threadSort!;
  return s.kind === 'enum' ? s.values.indexOf(t) : -1;
};

/** Run `thread action` steps on the interpreter; each must be enabled. Returns every step's result. */
function run(model: Model, steps: [string, string][]) {
  const all = instancesOf(model);
  let s = initialState(model);
  return steps.map(([t, a]) => {
    const inst = all.find((i) => i.action.name === a && i.params[0] === threadIndex(model, t));
    if (!inst || !enabled(model, s, [inst]).length) throw new Error(`${t} ${a} is not enabled`);
    const r = step(model, s, inst);
    s = r.state;
    return r;
  });
}

/** Every transition of the reachable state space, by the interpreter alone (small bounds only). */
function transitions(model: Model): { from: State; inst: Instance; to: State }[] {
  const all = instancesOf(model);
  const seen = new Set<string>();
  const todo = [initialState(model)];
  const out: { from: State; inst: Instance; to: State }[] = [];
  seen.add(JSON.stringify(todo[0]));
  while (todo.length) {
    const s = todo.pop()!;
    for (const inst of enabled(model, s, all)) {
      const r = step(model, s, inst);
      expect(r.violated).toBeUndefined();
      out.push({ from: s, inst, to: r.state });
      const k = JSON.stringify(r.state);
      if (!seen.has(k)) { seen.add(k); todo.push(r.state); }
    }
  }
  return out;
}

describe('drm_mm model', () => {
  it('check drm_mm --engine explicit --json: exit 0, pass at the default bounds, every action enabled somewhere', () => {
    const r = cli(['check', 'drm_mm', '--engine', 'explicit', '--json']);
    expect(r.code).toBe(EXIT.pass);
    const j = JSON.parse(r.stdout) as Result;
    expect(j.verdict).toBe('pass');
    expect(j.bounds).toEqual({ objects: 3, size: 2 });
    expect(j.stats.states).toBe(runCheck(build('fixed')).stats.states);
    expect(j.unreachedActions).toBeUndefined();
  });

  it('fixed with one object and room for one node: 41 states, 62 transitions (hand-counted)', () => {
    // O1 positions p0 (create_ioctl) .. p11 (done) plus done-after-ENODEV; driver d0..d3. Every
    // variable is a function of the two positions. Reachable pairs: p0 × 4 driver positions;
    // ENODEV × {d1,d2,d3} (needs unplugged); p1..p5 (in the ioctl, entered before the unplug) ×
    // {d0,d1} (synchronize_srcu waits); p6..p11 × 4: 4 + 3 + 10 + 24 = 41.
    // Transitions: 2 + 5 + 2 + 10 + 5 + (20 by O1 + 18 by the driver) = 62.
    const r = runCheck(build('fixed', 1, 1));
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(41);
    expect(r.stats.transitions).toBe(62);
    // With a single object no insert finds the drm_mm full: the -ENOSPC path never runs.
    expect(r.unreachedActions).toEqual(['enospc_arc_drop', 'enospc_node_free', 'enospc_drm_dev_exit']);
  });

  it('K8 node-freed-while-allocated: kfree of the vma, then drm_mm_remove_node walks the freed node', () => {
    const r = cli(['check', 'drm_mm', '--variant', 'node-freed-while-allocated', '--json']);
    expect(r.code).toBe(EXIT.violation);
    const j = JSON.parse(r.stdout) as Result;
    expect(j.property?.id).toBe('drm_mm.node-freed-while-allocated');
    expect(j.property?.action).toBe('remove_node');
    expect(j.trace!.steps.length).toBe(9);
    // One thread's ordering bug, as in msm_gem_free_object: put_iova (kfree) before put_pages (remove).
    expect(threadsOf(j)).toEqual(['O1']);
    expect(ofThread(j, 'O1')).toEqual([...CREATE, 'node_free', 'drop_lock', 'remove_node']);
    const before = j.trace!.steps[7].state as Record<string, Record<string, boolean>>;
    expect(before['node.freed'].O1).toBe(true);
    expect(before['node.allocated'].O1).toBe(true);
    expect(minimalViolationDepth(build('node-freed-while-allocated'), 9)).toBe(9);
  });

  it('K8: another GEM object inserting into the shared drm_mm trips over the freed node too', () => {
    const model = build('node-freed-while-allocated');
    const results = run(model, [
      ...CREATE.map((a) => ['O1', a] as [string, string]), ['O1', 'node_free'],
      ...CREATE.slice(0, 3).map((a) => ['O2', a] as [string, string]), ['O2', 'insert_node'],
    ]);
    expect(results.slice(0, -1).every((x) => x.violated === undefined)).toBe(true);
    expect(results.at(-1)!.violated?.id).toBe('drm_mm.node-freed-while-allocated');
    // The fixed order frees only after the remove: the same interleaving is harmless there.
    const fixed = run(build('fixed'), [
      ...CREATE.map((a) => ['O1', a] as [string, string]),
      ...['drop_lock', 'remove_node', 'drop_unlock', 'arc_drop', 'node_free'].map((a) => ['O1', a] as [string, string]),
      ...CREATE.slice(0, 4).map((a) => ['O2', a] as [string, string]),
    ]);
    expect(fixed.every((x) => x.violated === undefined)).toBe(true);
  });

  it('K8b remove-without-lock: the node is removed after the unlock', () => {
    const r = runCheck(build('remove-without-lock'));
    expect(r.property?.id).toBe('drm_mm.lock-not-held');
    expect(r.property?.action).toBe('remove_node');
    expect(r.trace!.steps.length).toBe(9);
    expect(threadsOf(r)).toEqual(['O1']);
    expect(ofThread(r, 'O1')).toEqual([...CREATE, 'drop_lock', 'drop_unlock', 'remove_node']);
    expect(r.trace!.steps[8].state['mm.lock']).toBe('none');
    expect(minimalViolationDepth(build('remove-without-lock'), 9)).toBe(9);
  });

  it('early Asahi takedown-in-allocator-drop: the driver takes down the drm_mm while O1\'s Node is allocated', () => {
    const r = runCheck(build('takedown-in-allocator-drop'));
    expect(r.property?.id).toBe('drm_mm.takedown-not-clean');
    expect(r.property?.action).toBe('allocator_takedown');
    const n = r.trace!.steps.length;
    expect(n).toBe(10);
    expect(minimalViolationDepth(build('takedown-in-allocator-drop'), n)).toBe(n);
    expect(threadsOf(r)).toEqual(['O1', 'driver']);
    // O1 creates its object and leaves the ioctl (so synchronize_srcu returns); its Node lives on.
    expect(ofThread(r, 'O1')).toEqual(CREATE);
    expect(ofThread(r, 'driver')).toEqual(['drm_dev_unplug', 'synchronize_srcu', 'allocator_lock', 'allocator_takedown']);
    const last = r.trace!.steps[n - 1].state as Record<string, Record<string, unknown>>;
    expect(last['node.allocated'].O1).toBe(true);
    // The Node still holds its reference: the Arc alone would have kept the drm_mm alive.
    expect(last['mm_inner.aref'].O1).toBe(1);
  });

  it('fixed passes at 1..3 objects and every size; each bug variant fails with its property at each', () => {
    for (const objects of [1, 2, 3]) {
      for (let size = 1; size <= objects; size++) {
        expect(runCheck(build('fixed', objects, size)).verdict).toBe('pass');
        for (const v of drmMmDef.variants.filter((x) => x.expect !== 'pass')) {
          const r = runCheck(build(v.name, objects, size));
          expect(`violation:${r.property?.id}`).toBe(v.expect);
        }
      }
    }
  });

  it('fixed: drop order does not matter; the last Arc drops in an owner or in the driver, takedown is clean either way', () => {
    const model = build('fixed', 2, 1);
    const o = { O1: threadIndex(model, 'O1'), O2: threadIndex(model, 'O2'), driver: threadIndex(model, 'driver') };
    const takedowns = transitions(model).filter((x) => x.from['drm_mm.taken_down'][0] === 0 && x.to['drm_mm.taken_down'][0] === 1);
    const who = new Set(takedowns.map((x) => `${x.inst.params[0]} ${x.inst.action.name}`));
    // Drop for MmInner runs in whichever thread drops the last Arc: the driver's Allocator or a
    // Node. Never a NodeData whose insert failed: that drop is inside the ioctl, and the driver
    // keeps its Allocator until synchronize_srcu saw every ioctl leave.
    expect(who).toEqual(new Set([`${o.driver} allocator_drop`, `${o.O1} arc_drop`, `${o.O2} arc_drop`]));
    expect(transitions(model).some((x) => x.inst.action.name === 'enospc_arc_drop')).toBe(true);
    // The Allocator can go while a node is still allocated (the drm_mm stays alive for it).
    const early = transitions(model).filter((x) => x.inst.action.name === 'allocator_drop' && x.to['node.allocated'].some((b) => b === 1));
    expect(early.length).toBeGreaterThan(0);
    expect(early.every((x) => x.to['drm_mm.taken_down'][0] === 0 && x.to['mm_inner.freed'][0] === 0)).toBe(true);
  });
});
