import { describe, it, expect } from 'vitest';
import { model, bool, step, set, requires, implies, not, and, lit, ModelError } from '../../model/lang/index.ts';
import {
  rcu_read_lock, rcu_read_unlock, rcu_read_lock_held, rcuGracePeriods, synchronize_rcu, synchronize_rcu_wait, rcuCallback, call_rcu,
} from '../../model/primitives/index.ts';
import { check, actions } from './helpers.ts';

/** A reader dereferences a published object under RCU; the updater unpublishes it and frees it after a grace period (or not). */
function unpublishAndFree(how: 'synchronize_rcu' | 'call_rcu' | 'no-grace-period') {
  const m = model('rcu-free');
  m.threads(['reader', 'updater']);
  const published = m.var('published', bool, true);
  const freed = m.var('freed', bool, false);
  const p = m.local('p', bool, false);
  const cb = how === 'call_rcu' ? rcuCallback(m, 'obj_rcu', [set(freed, true)]) : undefined;
  if (how === 'synchronize_rcu') rcuGracePeriods(m);
  m.program('reader', ['reader'], (self) => [
    step('rcu_read_lock', ...rcu_read_lock(m, self), set(p.at(self), published)),
    step('use', requires('obj.use-after-free', 'the object used after it was freed', implies(p.at(self), not(freed)))),
    step('rcu_read_unlock', ...rcu_read_unlock(m, self)),
  ]);
  m.program('updater', ['updater'], (self) => [
    step('unpublish', set(published, false)),
    ...(how === 'synchronize_rcu' ? [step('synchronize_rcu', ...synchronize_rcu(m, self)), step('synchronize_rcu.wait', ...synchronize_rcu_wait(m, self)), step('kfree', set(freed, true))]
      : how === 'call_rcu' ? [step('call_rcu', ...call_rcu(m, cb!))]
        : [step('kfree', set(freed, true))]),
  ]);
  m.quiescence('obj.freed', 'the object is freed at the end', freed);
  return m;
}

describe('RCU grace periods', () => {
  it('freeing after synchronize_rcu or through call_rcu is safe; without a grace period the reader uses freed memory (4 steps)', () => {
    expect(check(unpublishAndFree('synchronize_rcu')).verdict).toBe('pass');
    expect(check(unpublishAndFree('call_rcu')).verdict).toBe('pass');
    const r = check(unpublishAndFree('no-grace-period'));
    expect([r.property?.id, actions(r)]).toEqual(['obj.use-after-free', ['rcu_read_lock', 'unpublish', 'kfree', 'use']]);
  });

  it('a grace period waits only for sections open when it began: a reader that enters later does not hold it back', () => {
    const m = unpublishAndFree('synchronize_rcu');
    m.cover('rcu.later-reader', 'the updater frees while a reader that entered after the grace period began is in its section',
      and(m.atLabel('updater', 'kfree'), rcu_read_lock_held(m, lit(m.threadSort, 'reader'))));
    // The cover is reached: a grace period that also waited for later readers would never let it happen.
    expect(check(m).verdict).toBe('pass');
  });

  it('synchronize_rcu inside a read section never returns (liveness), 2 steps; call_rcu twice on one head is unsound', () => {
    const m = model('rcu-self');
    m.threads(['T1']);
    rcuGracePeriods(m);
    m.program('p', ['T1'], (self) => [step('rcu_read_lock', ...rcu_read_lock(m, self)), step('synchronize_rcu', ...synchronize_rcu(m, self))]);
    const r = check(m);
    expect([r.property?.id, r.property?.class, actions(r)]).toEqual(['rcu.sync-in-read-section', 'liveness', ['rcu_read_lock', 'synchronize_rcu']]);
    const m2 = model('rcu-twice');
    m2.threads(['T1']);
    const cb = rcuCallback(m2, 'head', []);
    m2.program('p', ['T1'], () => [step('call_rcu', ...call_rcu(m2, cb)), step('call_rcu_again', ...call_rcu(m2, cb))]);
    const r2 = check(m2);
    expect([r2.property?.id, r2.property?.class, actions(r2)]).toEqual(['rcu.call-rcu-twice', 'unsound', ['call_rcu', 'call_rcu_again']]);
  });

  it('grace periods are declared before the programs that unlock', () => {
    const m = model('late');
    m.threads(['T1']);
    m.program('p', ['T1'], (self) => [step('lock', ...rcu_read_lock(m, self)), step('unlock', ...rcu_read_unlock(m, self))]);
    expect(() => rcuGracePeriods(m)).toThrow(new ModelError('rcuGracePeriods: declare it before the programs that call rcu_read_unlock (their unlock must end its waits)'));
  });
});
