import { describe, it, expect } from 'vitest';
import apiDrmMm from '../../model/api-drm-mm.ts';
import type { Model } from '../../model/lang/ir.ts';
import { withoutForget } from '../../model/api/index.ts';
import { runCheck } from '../../checker/check.ts';
import { isolate, propertyIdsOf } from '../../properties/isolate.ts';

const build = (v: string, b: Partial<Record<'clients' | 'budget' | 'allocators' | 'nodes', number>> = {}) =>
  apiDrmMm.build(v, { clients: 2, budget: 3, allocators: 1, nodes: 2, ...b });
const steps = (r: ReturnType<typeof runCheck>) => r.trace?.steps.map((s) => `${s.thread} ${s.action}`);
const usesForget = (r: ReturnType<typeof runCheck>) => steps(r)!.some((s) => s.includes(' mem::forget('));

const INSERT_N1 = 'C1 Allocator::insert_node(&Allocator(A1)) -> Node(N1)';
const WARN = 'drm_mm.takedown-not-clean', UAT = 'drm_mm.use-after-takedown', WRONG = 'drm_mm.wrong-allocator', LEAK = 'drm_mm.allocator-leaked';

describe('api-drm_mm: every client of the Rust drm_mm Allocator/Node', () => {
  it('each variant finds what its expect says, at the default bounds', () => {
    for (const v of apiDrmMm.variants) {
      const r = runCheck(build(v.name));
      expect([v.name, r.verdict === 'pass' ? 'pass' : `violation:${r.property?.id}`]).toEqual([v.name, v.expect]);
    }
  });

  it('early-asahi: the takedown WARN in 2 steps, then a remove from the taken-down drm_mm in 3 (unsound)', () => {
    const m = build('early-asahi');
    const warn = runCheck(m);
    expect(warn.property).toMatchObject({ id: WARN, class: 'warn' });
    expect(steps(warn)).toEqual([INSERT_N1, 'C1 drop(Allocator(A1))']);
    const uat = runCheck(isolate(m, [UAT]));
    expect(uat.property).toMatchObject({ id: UAT, class: 'unsound' });
    expect(steps(uat)).toEqual([INSERT_N1, 'C1 drop(Allocator(A1))', 'C1 drop(Node(N1))']);
  });

  it('arc (the RFC): no unsound or WARN violation; the allocator leaks only through mem::forget', () => {
    const m = build('arc');
    expect(runCheck(isolate(m, propertyIdsOf(m, ['unsound', 'warn']))).verdict).toBe('pass');
    const leak = runCheck(isolate(m, [LEAK]));
    expect(leak.property).toMatchObject({ id: LEAK, class: 'leak' });
    // C2 leaving first or last is the same orbit (clients are symmetric): the search keeps the first it stored.
    expect(steps(leak)).toEqual(['C2 scope_end', 'C1 mem::forget(Allocator(A1))', 'C1 scope_end']);
    expect(runCheck(withoutForget(m)).verdict).toBe('pass');
    // Still sound with two allocators and a bigger budget.
    const big = build('arc', { allocators: 2, budget: 4 });
    expect(runCheck(isolate(big, propertyIdsOf(big, ['unsound', 'warn']))).verdict).toBe('pass');
  });

  it('explicit-free: Drop for Node is gone, the WARN is reachable ("it will complain"), nothing unsound', () => {
    const m = build('explicit-free');
    expect(m.actions.map((a) => a.name).filter((n) => /drop\(Node/.test(n))).toEqual([]);
    expect(runCheck(isolate(m, propertyIdsOf(m, ['unsound']))).verdict).toBe('pass');
    const warn = runCheck(isolate(m, [WARN]));
    expect(warn.property).toMatchObject({ id: WARN, class: 'warn' });
    expect(steps(warn)).toEqual([INSERT_N1, 'C1 drop(Allocator(A1))']);
  });

  it('explicit-free with two allocators: a Node freed through the wrong allocator in 2 steps (unsound)', () => {
    for (const m of [build('explicit-free-2'), build('explicit-free', { allocators: 2 })]) {
      const r = runCheck(isolate(m, [WRONG]));
      expect(r.property).toMatchObject({ id: WRONG, class: 'unsound' });
      expect(steps(r)).toEqual([INSERT_N1, 'C1 Allocator::free(&Allocator(A2), Node(N1))']);
    }
  });

  it('borrowed: sound; the WARN only through mem::forget(node) in 3 steps', () => {
    const m = build('borrowed');
    expect(runCheck(isolate(m, propertyIdsOf(m, ['unsound']))).verdict).toBe('pass');
    const warn = runCheck(isolate(m, [WARN]));
    expect(warn.property).toMatchObject({ id: WARN, class: 'warn' });
    expect(steps(warn)).toEqual([INSERT_N1, 'C1 mem::forget(Node(N1))', 'C1 drop(Allocator(A1))']);
    // Without forget every property holds, but for the capability it loses (below).
    const noCover = (x: Model): Model => ({ ...x, properties: x.properties.filter((p) => p.kind !== 'cover') });
    expect(runCheck(noCover(withoutForget(m))).verdict).toBe('pass');
    const big = build('borrowed', { clients: 3, nodes: 3 });
    expect(runCheck(isolate(withoutForget(big), propertyIdsOf(big, ['unsound', 'warn']))).verdict).toBe('pass');
  });

  it('every variant leaks the allocator only through mem::forget', () => {
    for (const v of apiDrmMm.variants) {
      const m = build(v.name);
      const r = runCheck(isolate(m, [LEAK]));
      expect([v.name, r.property?.id, usesForget(r)]).toEqual([v.name, LEAK, true]);
      expect([v.name, runCheck(isolate(withoutForget(m), [LEAK])).verdict]).toEqual([v.name, 'pass']);
    }
  });
});

describe('the generated client finds the built-in bug client', () => {
  it('drm_mm/takedown-in-allocator-drop: the same kernel steps (insert a node, take the drm_mm down) in the same order', async () => {
    const { default: drmDef } = await import('../../model/drm-mm.ts');
    const kernel = (steps: string[], map: [RegExp, string][]) => steps.flatMap((s) => map.filter(([re]) => re.test(s)).map(([, k]) => k));
    const builtin = runCheck(drmDef.build('takedown-in-allocator-drop', { objects: 3, size: 2 }));
    expect(builtin.property?.id).toBe('drm_mm.takedown-not-clean');
    const b = kernel(builtin.trace!.steps.map((s) => s.action), [[/^insert_node$/, 'drm_mm_insert_node'], [/^allocator_takedown$/, 'drm_mm_takedown']]);
    const mgc = runCheck(apiDrmMm.build('early-asahi', { clients: 2, budget: 3, allocators: 1, nodes: 2 }));
    expect(mgc.property?.id).toBe('drm_mm.takedown-not-clean');
    const g = kernel(mgc.trace!.steps.map((s) => s.action), [[/^Allocator::insert_node/, 'drm_mm_insert_node'], [/^drop\(Allocator/, 'drm_mm_takedown']]);
    expect(b).toEqual(['drm_mm_insert_node', 'drm_mm_takedown']);
    expect(g).toEqual(b);
    // The generated client needs no ioctl or unplug scaffolding: 2 calls.
    expect(mgc.trace!.steps).toHaveLength(2);
  });
});

describe('capabilities', () => {
  it('"a Node outlives the scope that created it": the RFC\'s Arc has it, a borrowed Node<\'a> loses it (diff arc → borrowed)', async () => {
    const { diffModels } = await import('../../checker/diff.ts');
    const { summaryLine } = await import('../../counterexamples/diff-text.ts');
    const b = { clients: 2, budget: 3, allocators: 1, nodes: 2 };
    const d = diffModels(apiDrmMm.build('arc', b), apiDrmMm.build('borrowed', b));
    expect(d.rows.find((r) => r.property === 'api.node-outlives-creator-scope')).toMatchObject({ class: 'capability', change: 'broke', old: { verdict: 'pass' }, new: { verdict: 'violation' } });
    // The WARN borrowed reaches needs mem::forget(node): not counted as broken.
    expect(d.rows.find((r) => r.property === 'drm_mm.takedown-not-clean')!.new).toMatchObject({ verdict: 'violation', steps: 3, onlyThroughForget: true });
    expect(summaryLine(d)).toBe('new API: sound for clients=2, budget=3, allocators=1, nodes=2; WARN only through mem::forget: drm_mm.takedown-not-clean (3 steps); leaks only through mem::forget; capability lost: a Node outlives the scope that created it (the client that inserted it finished while the Node lives on); nothing broke');
  });
});
