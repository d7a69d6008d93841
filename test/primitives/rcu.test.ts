import { describe, it, expect } from 'vitest';
import { model, step } from '../../model/lang/index.ts';
import { mutex, mutex_lock, mutex_unlock } from '../../model/primitives/locks.ts';
import { rcu_read_lock, rcu_read_unlock, MAX_RCU_DEPTH } from '../../model/primitives/rcu.ts';
import { check, actions, lastState } from './helpers.ts';

describe('rcu read sections', () => {
  it('lock then unlock passes in 3 states; the depth goes 0 → 1 → 0 and the section is atomic context', () => {
    const m = model('rcu-ok');
    m.threads(['T1']);
    m.program('p', ['T1'], (self) => [step('lock', rcu_read_lock(m, self)), step('unlock', rcu_read_unlock(m, self))]);
    const r = check(m);
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(3);
  });

  it('nesting to MAX_RCU_DEPTH is fine; one more is rcu.nesting-too-deep', () => {
    expect(MAX_RCU_DEPTH).toBe(2);
    const m = model('rcu-nest');
    m.threads(['T1']);
    m.program('p', ['T1'], (self) => [
      step('lock1', rcu_read_lock(m, self)), step('lock2', rcu_read_lock(m, self)), step('lock3', rcu_read_lock(m, self)),
    ]);
    const r = check(m);
    expect(r.property?.id).toBe('rcu.nesting-too-deep');
    expect(actions(r)).toEqual(['lock1', 'lock2', 'lock3']);
  });

  it('rcu_read_unlock outside a section is rcu.unlock-without-lock', () => {
    const m = model('rcu-unlock');
    m.threads(['T1']);
    m.program('p', ['T1'], (self) => [step('unlock', rcu_read_unlock(m, self))]);
    const r = check(m);
    expect(r.property?.id).toBe('rcu.unlock-without-lock');
    expect(actions(r)).toEqual(['unlock']);
  });

  it('a sleeping lock inside a read section is sleep-in-atomic', () => {
    const m = model('rcu-sleep');
    m.threads(['T1']);
    const mu = mutex(m, 'mu');
    m.program('p', ['T1'], (self) => [
      step('rcu_read_lock', rcu_read_lock(m, self)), step('mutex_lock', mutex_lock(mu, self)),
      step('mutex_unlock', mutex_unlock(mu, self)), step('rcu_read_unlock', rcu_read_unlock(m, self)),
    ]);
    const r = check(m);
    expect(r.property?.id).toBe('sleep-in-atomic');
    expect(actions(r)).toEqual(['rcu_read_lock', 'mutex_lock']);
  });

  it('a thread that finishes inside a section breaks rcu.read-section-at-exit; the depth is per thread', () => {
    const m = model('rcu-exit');
    m.threads(['T1', 'T2']);
    m.program('locker', ['T1'], (self) => [step('lock', rcu_read_lock(m, self))]);
    m.program('other', ['T2'], (self) => [step('lock2', rcu_read_lock(m, self)), step('unlock2', rcu_read_unlock(m, self))]);
    const r = check(m);
    expect(r.property?.id).toBe('rcu.read-section-at-exit');
    expect(r.trace!.steps).toHaveLength(3);
    expect(lastState(r).rcu_read_depth).toEqual({ T1: 1, T2: 0 });
  });
});
