import { describe, it, expect } from 'vitest';
import pageDef from '../../model/page.ts';
import { runCheck } from '../../checker/check.ts';
import type { Result } from '../../checker/result.ts';
import { minimalViolationDepth } from '../helpers/shortest.ts';
import { runSchedule } from './schedule.ts';
import { findBuiltin } from '../../model/registry.ts';
import { ofThread } from '../helpers/trace.ts';

const build = (variant: string, users = 2) => pageDef.build(variant, { users });
const last = (r: Result) => r.trace!.steps[r.trace!.steps.length - 1];

describe('page model', () => {
  it('kunmap-out-of-order: memcpy_page unmaps dst while src is still mapped above it', () => {
    const r = runCheck(build('kunmap-out-of-order'));
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('kmap.unmap-out-of-order');
    expect(r.property?.action).toBe('kunmap_local_dst');
    expect(r.trace!.steps.length).toBe(11);
    expect(minimalViolationDepth(build('kunmap-out-of-order'), 11)).toBe(11);
    // The driver fills P1 through its own (already unmapped) kmap and queues the copy...
    expect(ofThread(r, 'driver')).toEqual(['alloc_page_P1', 'alloc_page_P2', 'kmap_local_P1', 'write_P1', 'kunmap_local_P1', 'queue_work']);
    // ...the worker maps dst, then src, copies, and unmaps dst first.
    expect(ofThread(r, 'worker')).toEqual(['work_start', 'kmap_local_dst', 'kmap_local_src', 'memcpy', 'kunmap_local_dst']);
    expect(ofThread(r, 'U1')).toEqual([]);
    // Before the bad unmap the worker's stack was [P2, P1] with P1 on top.
    const before = r.trace!.steps[9].state;
    expect((before['kmap_local.top'] as Record<string, string>).worker).toBe('P1');
    expect((before['kmap_local.under'] as Record<string, string>).worker).toBe('P2');
  });

  it('kmap-handed-to-worker: the worker writes through a kmap_local address mapped on the driver\'s stack', () => {
    const r = runCheck(build('kmap-handed-to-worker'));
    expect(r.property?.id).toBe('kmap.access-unmapped');
    expect(r.property?.action).toBe('memcpy');
    expect(r.trace!.steps.length).toBe(10);
    expect(minimalViolationDepth(build('kmap-handed-to-worker'), 10)).toBe(10);
    expect(ofThread(r, 'driver')).toEqual(['alloc_page_P1', 'alloc_page_P2', 'kmap_local_P1', 'write_P1', 'kunmap_local_P1', 'kmap_local_P2', 'queue_work']);
    expect(ofThread(r, 'worker')).toEqual(['work_start', 'kmap_local_src', 'memcpy']);
    // P2 is mapped, and alive, but only in the driver's context.
    const before = r.trace!.steps[8].state;
    expect(before['kmap_local.top']).toEqual({ driver: 'P2', worker: 'P1', U1: 'none', U2: 'none' });
    expect(before['page.state']).toEqual({ P1: 'allocated', P2: 'allocated' });
  });

  it('drop-before-zap: the driver drops a Page that the user PTE still maps', () => {
    const r = runCheck(build('drop-before-zap'));
    expect(r.property?.id).toBe('page.dropped-while-mapped');
    expect(r.property?.action).toBe('drop_P1');
    expect(r.trace!.steps.length).toBe(17);
    expect(minimalViolationDepth(build('drop-before-zap'), 17)).toBe(17);
    expect(ofThread(r, 'driver')).toEqual([
      'alloc_page_P1', 'alloc_page_P2', 'kmap_local_P1', 'write_P1', 'kunmap_local_P1', 'queue_work',
      'vm_insert_page_P1', 'flush_work', 'vm_insert_page_P2', 'drop_P1',
    ]);
    expect(ofThread(r, 'worker')).toEqual(['work_start', 'kmap_local_dst', 'kmap_local_src', 'memcpy', 'kunmap_local_src', 'kunmap_local_dst', 'work_done']);
    // No user zapped first; the page survives on the PTE's reference, owned by nobody in the driver.
    expect(ofThread(r, 'U1')).toEqual([]);
    expect(ofThread(r, 'U2')).toEqual([]);
    const s = last(r).state;
    expect(s['page.mapcount']).toEqual({ P1: 1, P2: 1 });
    expect(s['page.refcount']).toEqual({ P1: 1, P2: 2 });
    expect(s['page.owned']).toEqual({ P1: false, P2: true });
    expect(s['page.state']).toEqual({ P1: 'allocated', P2: 'allocated' });
  });

  it('fixed: a user zap before the driver\'s leaves the driver\'s zap a no-op, and each page is put exactly once', () => {
    const driverHead: [string, string][] = ['alloc_page_P1', 'alloc_page_P2', 'kmap_local_P1', 'write_P1', 'kunmap_local_P1', 'queue_work', 'vm_insert_page_P1']
      .map((a) => ['driver', a]);
    const worker: [string, string][] = ['work_start', 'kmap_local_dst', 'kmap_local_src', 'memcpy', 'kunmap_local_src', 'kunmap_local_dst', 'work_done']
      .map((a) => ['worker', a]);
    const run = runSchedule(build('fixed', 1), [
      ...driverHead,
      ['U1', 'user_read'],
      ...worker,
      ['driver', 'flush_work'], ['driver', 'vm_insert_page_P2'],
      ['U1', 'madvise_dontneed'],
      ['driver', 'zap_page_range_single'], ['driver', 'drop_P1'], ['driver', 'drop_P2'],
    ]);
    const at = (i: number) => run.states[i];
    // After both inserts: driver Page + PTE on each page.
    expect(at(16)['page.refcount']).toEqual({ P1: 2, P2: 2 });
    // MADV_DONTNEED clears both PTEs and drops their references.
    expect(at(17)['page.refcount']).toEqual({ P1: 1, P2: 1 });
    expect(at(17)['page.mapcount']).toEqual({ P1: 0, P2: 0 });
    // The driver's zap finds no PTE: nothing changes.
    expect(at(18)['page.refcount']).toEqual({ P1: 1, P2: 1 });
    expect(at(19)['page.state']).toEqual({ P1: 'freed', P2: 'allocated' });
    expect(at(20)['page.state']).toEqual({ P1: 'freed', P2: 'freed' });
    expect(run.final).toBe(true);
  });

  it('fixed passes at 1..3 users and each bug variant fails at each', () => {
    for (const users of [1, 2, 3]) {
      expect(runCheck(build('fixed', users)).verdict).toBe('pass');
      for (const v of pageDef.variants.filter((x) => x.expect !== 'pass')) {
        const r = runCheck(build(v.name, users));
        expect(`violation:${r.property?.id}`).toBe(v.expect);
      }
    }
  });

  it('is registered, and every variant gives its expected verdict at the default bounds', () => {
    expect(findBuiltin('page')).toBe(pageDef);
    const defaults = Object.fromEntries(pageDef.bounds.map((b) => [b.name, b.default]));
    expect(defaults).toEqual({ users: 2 });
    for (const v of pageDef.variants) {
      const r = runCheck(pageDef.build(v.name, defaults));
      expect(r.verdict === 'pass' ? 'pass' : `violation:${r.property?.id}`).toBe(v.expect);
    }
  });

  it('fixed: every action is enabled somewhere (nothing vacuous)', () => {
    const r = runCheck(build('fixed'));
    expect(r.unreachedActions ?? []).toEqual([]);
  });
});
