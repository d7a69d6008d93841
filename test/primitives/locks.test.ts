import { describe, it, expect } from 'vitest';
import { model, bool, step, branch, guard, and, set } from '../../model/lang/index.ts';
import {
  mutex, mutex_lock, mutex_unlock, mutex_trylock, mutex_is_locked, spinlock, spin_lock, spin_unlock, spin_trylock,
  rwsem, down_read, down_write, up_read, up_write, downgrade_write, down_read_trylock, down_write_trylock,
} from '../../model/primitives/index.ts';
import { check, actions, threads, lastState } from './helpers.ts';

describe('spinlock and atomic context', () => {
  it('a sleeping lock taken under a spinlock is sleep-in-atomic', () => {
    const m = model('sleep-under-spin');
    m.threads(['T1']);
    const lru = spinlock(m, 'lru_lock');
    const mu = mutex(m, 'mu');
    m.program('p', ['T1'], (self) => [
      step('spin_lock', spin_lock(lru, self)),
      step('mutex_lock', mutex_lock(mu, self)),
      step('mutex_unlock', mutex_unlock(mu, self)),
      step('spin_unlock', spin_unlock(lru, self)),
    ]);
    const r = check(m);
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('sleep-in-atomic');
    expect(r.property?.action).toBe('mutex_lock');
    expect(actions(r)).toEqual(['spin_lock', 'mutex_lock']);
  });

  it('the mutex first, then the spinlock, passes; the preempt count is back to 0', () => {
    const m = model('spin-inside-mutex');
    m.threads(['T1']);
    const lru = spinlock(m, 'lru_lock');
    const mu = mutex(m, 'mu');
    m.program('p', ['T1'], (self) => [
      step('mutex_lock', mutex_lock(mu, self)),
      step('spin_lock', spin_lock(lru, self)),
      step('spin_unlock', spin_unlock(lru, self)),
      step('mutex_unlock', mutex_unlock(mu, self)),
    ]);
    const r = check(m);
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(5);
  });

  it('spin_trylock fails while another thread holds the lock and never blocks', () => {
    const m = model('spin-trylock');
    m.threads(['T1', 'T2']);
    const sl = spinlock(m, 'sl');
    const got = m.local('got', bool, false);
    m.program('holder', ['T1'], (self) => [step('lock', spin_lock(sl, self)), step('unlock', spin_unlock(sl, self))]);
    m.program('trier', ['T2'], (self) => [
      step('trylock', spin_trylock(sl, self, { ok: got.at(self) })),
      branch('locked', got.at(self), [step('tryunlock', spin_unlock(sl, self))]),
    ]);
    const r = check(m);
    expect(r.verdict).toBe('pass');
    // By hand, T1 at lock/unlock/done (holding at unlock) against T2: at trylock 3; at 'locked'
    // holding (got) 2 (T1 not at unlock); at 'locked' after failing 2 (T1 held it: now at unlock
    // or done); done after holding 3; done after failing 2 (T1 past lock). Total 12.
    expect(r.stats.states).toBe(12);
  });

  it('spin_unlock by a thread that does not hold it', () => {
    const m = model('spin-unlock-other');
    m.threads(['T1', 'T2']);
    const sl = spinlock(m, 'sl');
    m.program('holder', ['T1'], (self) => [step('lock', spin_lock(sl, self)), step('unlock', spin_unlock(sl, self))]);
    m.program('other', ['T2'], (self) => [step('bad_unlock', spin_unlock(sl, self))]);
    const r = check(m);
    expect(r.property?.id).toBe('spinlock.unlock-not-owner');
    expect(actions(r)).toEqual(['bad_unlock']);
  });
});

describe('mutex', () => {
  it('mutex_unlock by a non-owner', () => {
    const m = model('mutex-unlock-other');
    m.threads(['T1', 'T2']);
    const mu = mutex(m, 'mu');
    m.program('owner', ['T1'], (self) => [step('lock', mutex_lock(mu, self)), step('unlock', mutex_unlock(mu, self))]);
    m.program('other', ['T2'], (self) => [step('steal_unlock', guard(mutex_is_locked(mu)), mutex_unlock(mu, self))]);
    const r = check(m);
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('mutex.unlock-not-owner');
    expect(actions(r)).toEqual(['lock', 'steal_unlock']);
    expect(threads(r)).toEqual(['T1', 'T2']);
  });

  it('two threads lock and unlock in turn: mutual exclusion, 8 states', () => {
    const m = model('mutex-ok');
    m.threads(['T1', 'T2']);
    const mu = mutex(m, 'mu');
    m.program('worker', ['T1', 'T2'], (self) => [step('lock', mutex_lock(mu, self)), step('unlock', mutex_unlock(mu, self))]);
    const r = check(m);
    expect(r.verdict).toBe('pass');
    // 3 x 3 positions minus both at 'unlock' (both holding).
    expect(r.stats.states).toBe(8);
  });

  it('recursive mutex_lock is reported, not left as a bare deadlock', () => {
    const m = model('mutex-recursive');
    m.threads(['T1']);
    const mu = mutex(m, 'mu');
    m.program('p', ['T1'], (self) => [step('lock', mutex_lock(mu, self)), step('relock', mutex_lock(mu, self))]);
    const r = check(m);
    expect(r.property?.id).toBe('mutex.recursive');
    expect(actions(r)).toEqual(['lock', 'relock']);
  });

  it('a mutex still held when every thread finished is lock.held-at-exit', () => {
    const m = model('mutex-held');
    m.threads(['T1']);
    const mu = mutex(m, 'mu');
    const got = m.local('got', bool, false);
    m.program('p', ['T1'], (self) => [step('trylock', mutex_trylock(mu, self, { ok: got.at(self) }))]);
    const r = check(m);
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('lock.held-at-exit');
    expect(r.property?.kind).toBe('quiescence');
    expect(actions(r)).toEqual(['trylock']);
    expect(lastState(r)).toMatchObject({ mu: 'T1', got: { T1: true } });
  });
});

describe('rwsem', () => {
  it('up_read by a thread that did not take it', () => {
    const m = model('rwsem-up-read-other');
    m.threads(['T1', 'T2']);
    const s = rwsem(m, 'mmap_lock');
    m.program('reader', ['T1'], (self) => [step('down_read', down_read(s, self)), step('up_read', up_read(s, self))]);
    m.program('other', ['T2'], (self) => [step('up_read_other', guard(s.readers.at('T1')), up_read(s, self))]);
    const r = check(m);
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('rwsem.unlock-not-owner');
    expect(actions(r)).toEqual(['down_read', 'up_read_other']);
    expect(threads(r)).toEqual(['T1', 'T2']);
  });

  /** T1 writes, downgrades and reads on; T2 reads. */
  function downgrade(writerEnd: 'up_read' | 'up_write') {
    const m = model('rwsem-downgrade');
    const t = m.threads(['T1', 'T2']);
    const s = rwsem(m, 'mmap_lock');
    m.program('writer', ['T1'], (self) => [
      step('down_write', down_write(s, self)),
      step('downgrade', downgrade_write(s, self)),
      step(writerEnd, writerEnd === 'up_read' ? up_read(s, self) : up_write(s, self)),
    ]);
    m.program('reader', ['T2'], (self) => [step('down_read', down_read(s, self)), step('reader_up', up_read(s, self))]);
    m.cover('rwsem.shared-after-downgrade', 'T2 reads while T1 holds the downgraded lock',
      and(s.readers.at(t.lit('T1')), s.readers.at(t.lit('T2'))));
    return m;
  }

  it('after downgrade_write, readers enter alongside the downgraded holder', () => {
    const r = check(downgrade('up_read'));
    expect(r.verdict).toBe('pass');
    // T1 {down_write, downgrade, up_read, done} x T2 {down_read, reader_up, done} = 12, minus
    // T1 writing while T2 reads: 11.
    expect(r.stats.states).toBe(11);
  });

  it('up_write after downgrade is an unlock by a non-owner (it is a read hold now)', () => {
    const r = check(downgrade('up_write'));
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('rwsem.unlock-not-owner');
    expect(actions(r)).toEqual(['down_write', 'downgrade', 'up_write']);
  });

  it('downgrade_write without the write lock, and recursive down_read', () => {
    const a = model('dg-reader');
    a.threads(['T1']);
    const s = rwsem(a, 'sem');
    a.program('p', ['T1'], (self) => [step('down_read', down_read(s, self)), step('downgrade', downgrade_write(s, self))]);
    const r = check(a);
    expect(r.property?.id).toBe('rwsem.downgrade-not-owner');
    expect(actions(r)).toEqual(['down_read', 'downgrade']);

    const b = model('rec');
    b.threads(['T1']);
    const s2 = rwsem(b, 'sem');
    b.program('p', ['T1'], (self) => [step('down_read', down_read(s2, self)), step('again', down_read(s2, self))]);
    const r2 = check(b);
    expect(r2.property?.id).toBe('rwsem.recursive');
    expect(actions(r2)).toEqual(['down_read', 'again']);
  });

  it('an rwsem read hold never released is lock.held-at-exit', () => {
    const m = model('rwsem-held');
    m.threads(['T1']);
    const s = rwsem(m, 'sem');
    m.program('p', ['T1'], (self) => [step('down_read', down_read(s, self))]);
    const r = check(m);
    expect(r.property?.id).toBe('lock.held-at-exit');
    expect(r.property?.message).toBe('rwsem sem still held when every thread finished');
    expect(actions(r)).toEqual(['down_read']);
  });

  it('trylocks fail against a writer and succeed otherwise', () => {
    const m = model('rwsem-trylock');
    m.threads(['T1', 'T2']);
    const s = rwsem(m, 'sem');
    const got = m.local('got', bool, false);
    const readFailed = m.var('read_failed', bool, false);
    const writeFailed = m.var('write_failed', bool, false);
    m.program('writer', ['T1'], (self) => [step('down_write', down_write(s, self)), step('up_write', up_write(s, self))]);
    m.program('trier', ['T2'], (self) => [
      step('tryread', down_read_trylock(s, self, { ok: got.at(self), else: [set(readFailed, true)] })),
      branch('read_locked', got.at(self), [step('up_read', up_read(s, self))]),
      step('trywrite', down_write_trylock(s, self, { ok: got.at(self), else: [set(writeFailed, true)] })),
      branch('write_locked', got.at(self), [step('up_write_t2', up_write(s, self))]),
    ]);
    // Each trylock can fail (against T1's write hold); every action reached means each can succeed.
    m.cover('t.read-failed', 'down_read_trylock failed', readFailed);
    m.cover('t.write-failed', 'down_write_trylock failed', writeFailed);
    const r = check(m);
    expect(r.verdict).toBe('pass');
    expect(r.unreachedActions ?? []).toEqual([]);
  });
});
