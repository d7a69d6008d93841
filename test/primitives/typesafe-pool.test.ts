import { describe, it, expect } from 'vitest';
import { model, step, set } from '../../model/lang/index.ts';
import { rcu_read_lock, rcu_read_unlock } from '../../model/primitives/rcu.ts';
import { typesafePool, kmem_cache_alloc, kmem_cache_free, typesafe_read, pool_field, slotAllocated } from '../../model/primitives/typesafe-pool.ts';
import { check, actions } from './helpers.ts';
import { runCheck } from '../../checker/check.ts';
import { runSchedule } from '../models/schedule.ts';

describe('SLAB_TYPESAFE_BY_RCU pool', () => {
  it('kmem_cache_alloc takes the lowest free slot, and a freed slot is handed out again at once', () => {
    const m = model('pool-reuse');
    m.threads(['T1', 'T2']);
    const pool = typesafePool(m, 'cache', { slots: 2, prefix: 'V', allocated: 1 });
    const p = m.local('p', pool.ptrSort, 'none');
    const owner = m.var('owner', m.threadSort, 'T1', [pool.sort]);
    m.program('freer', ['T1'], () => [step('free_V1', kmem_cache_free(pool, pool.slot(0)))]);
    m.program('allocer', ['T2'], (self) => [
      step('alloc', kmem_cache_alloc(pool, p.at(self), (s) => [set(owner.at(s), self)])),
    ]);
    const model_ = m.build();
    const before = runSchedule(model_, [['T2', 'alloc']]);
    expect(before.states[0]).toMatchObject({ p: { T2: 'V2' }, 'cache.allocated': { V1: true, V2: true }, owner: { V1: 'T1', V2: 'T2' } });
    const after = runSchedule(model_, [['T1', 'free_V1'], ['T2', 'alloc']]);
    expect(after.states[1]).toMatchObject({ p: { T2: 'V1' }, 'cache.allocated': { V1: true, V2: false }, owner: { V1: 'T2', V2: 'T1' } });
    expect(runCheck(model_).verdict).toBe('pass');
  });

  it('two threads allocating and freeing one slot: 8 states, and an allocation waits for a free one', () => {
    // By hand: pcs (alloc|free|done)² where both at free is impossible (one slot): 9 - 1 = 8.
    const m = model('pool-one');
    m.threads(['T1', 'T2']);
    const pool = typesafePool(m, 'cache', { slots: 1 });
    const p = m.local('p', pool.ptrSort, 'none');
    m.program('user', ['T1', 'T2'], (self) => [
      step('alloc', kmem_cache_alloc(pool, p.at(self))),
      step('free', kmem_cache_free(pool, p.at(self)), set(p.at(self), 'none')),
    ]);
    const r = check(m);
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(8);
  });

  it('freeing twice is slab.double-free', () => {
    const m = model('pool-double');
    m.threads(['T1']);
    const pool = typesafePool(m, 'cache', { slots: 1, allocated: 1 });
    m.program('p', ['T1'], () => [step('free1', kmem_cache_free(pool, pool.slot(0))), step('free2', kmem_cache_free(pool, pool.slot(0)))]);
    const r = check(m);
    expect(r.property?.id).toBe('slab.double-free');
    expect(actions(r)).toEqual(['free1', 'free2']);
  });

  it('a read through a pointer is legal under RCU or pinned, and slab.typesafe-deref-unpinned otherwise', () => {
    const build = (inRcu: boolean, pinned: boolean) => {
      const m = model('pool-read');
      m.threads(['T1']);
      const pool = typesafePool(m, 'cache', { slots: 2, prefix: 'V', allocated: 2 });
      const field = m.var('field', { kind: 'range', lo: 0, hi: 9 }, [4, 7], [pool.sort]);
      const p = m.local('p', pool.ptrSort, 'V2');
      const seen = m.local('seen', { kind: 'range', lo: 0, hi: 9 }, 0);
      m.program('p', ['T1'], (self) => [
        ...(inRcu ? [step('rcu_read_lock', rcu_read_lock(m, self))] : []),
        step('read', typesafe_read(pool, self, pinned), set(seen.at(self), pool_field(pool, field, p.at(self)))),
        ...(inRcu ? [step('rcu_read_unlock', rcu_read_unlock(m, self))] : []),
      ]);
      return m;
    };
    const ok = check(build(true, false));
    expect(ok.verdict).toBe('pass');
    expect(check(build(false, true)).verdict).toBe('pass');
    const bad = check(build(false, false));
    expect(bad.property?.id).toBe('slab.typesafe-deref-unpinned');
    expect(actions(bad)).toEqual(['read']);
    // pool_field reads the slot the pointer names (V2: 7).
    const ran = runSchedule(build(true, false).build(), [['T1', 'rcu_read_lock'], ['T1', 'read']]);
    expect(ran.states[1]).toMatchObject({ seen: { T1: 7 } });
  });

  it('slotAllocated is false for none and for a free slot', () => {
    const m = model('pool-alloc');
    m.threads(['T1']);
    const pool = typesafePool(m, 'cache', { slots: 2, allocated: 1 });
    const a = m.local('a', { kind: 'bool' }, false);
    const b = m.local('b', { kind: 'bool' }, true);
    const c = m.local('c', { kind: 'bool' }, true);
    m.program('p', ['T1'], (self) => [step('look',
      set(a.at(self), slotAllocated(pool, pool.slot(0))), set(b.at(self), slotAllocated(pool, pool.slot(1))),
      set(c.at(self), slotAllocated(pool, pool.none)))]);
    const r = runSchedule(m.build(), [['T1', 'look']]);
    expect(r.states[0]).toMatchObject({ a: { T1: true }, b: { T1: false }, c: { T1: false } });
  });
});
