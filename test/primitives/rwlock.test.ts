import { describe, it, expect } from 'vitest';
import { model, step, and, not, eq, type Expr } from '../../model/lang/index.ts';
import {
  rwlock, read_lock, read_unlock, write_lock, write_unlock, mutex, mutex_lock, mutex_unlock, type Rwlock,
} from '../../model/primitives/index.ts';
import { check, actions, threads, lastState } from './helpers.ts';

/** Readers R1, R2 (read_lock, read_unlock) and a writer W (write_lock, write_unlock). */
function readersAndWriter(extra?: (l: Rwlock, m: ReturnType<typeof model>) => void) {
  const m = model('rwlock');
  m.threads(['R1', 'R2', 'W']);
  const l = rwlock(m, 'tasklist_lock');
  m.program('reader', ['R1', 'R2'], (self) => [step('read_lock', read_lock(l, self)), step('read_unlock', read_unlock(l, self))]);
  m.program('writer', ['W'], (self) => [step('write_lock', write_lock(l, self)), step('write_unlock', write_unlock(l, self))]);
  extra?.(l, m);
  return m;
}

describe('rwlock_t', () => {
  it('readers share it, the writer excludes them: 22 states, counted by hand', () => {
    // Each thread is before, inside or after its section (3^3 = 27); W inside excludes either
    // reader inside: 3*3 - 2*2 = 5 of W's 9 "inside" combinations are unreachable, 27 - 5 = 22.
    const m = readersAndWriter((l, mb) => mb.invariant('rwlock.exclusive', 'writer beside a reader',
      not(and(eq(l.writer, 'W'), l.readers.at('R1').e))));
    const r = check(m);
    expect([r.verdict, r.stats.states]).toEqual(['pass', 22]);
  });

  it('held in atomic context: a mutex_lock under read_lock is sleep-in-atomic, 2 steps', () => {
    const m = model('rwlock-sleep');
    m.threads(['T1']);
    const l = rwlock(m, 'tasklist_lock');
    const mu = mutex(m, 'm');
    m.program('p', ['T1'], (self) => [
      step('read_lock', read_lock(l, self)), step('mutex_lock', mutex_lock(mu, self)),
      step('mutex_unlock', mutex_unlock(mu, self)), step('read_unlock', read_unlock(l, self)),
    ]);
    const r = check(m);
    expect([r.property?.id, actions(r)]).toEqual(['sleep-in-atomic', ['read_lock', 'mutex_lock']]);
  });

  it('write_lock while holding it for read is rwlock.recursive (liveness), 2 steps', () => {
    const m = model('rwlock-rec');
    m.threads(['T1']);
    const l = rwlock(m, 'l');
    m.program('p', ['T1'], (self) => [step('read_lock', read_lock(l, self)), step('write_lock', write_lock(l, self))]);
    const r = check(m);
    expect([r.property?.id, r.property?.class, actions(r)]).toEqual(['rwlock.recursive', 'liveness', ['read_lock', 'write_lock']]);
  });

  it('read_unlock by a thread that does not hold it: unsound, or with { ownership: guard } never taken', () => {
    const build = (guarded: boolean) => {
      const m = model('rwlock-owner');
      m.threads(['T1', 'T2']);
      const l = rwlock(m, 'l');
      m.program('a', ['T1'], (self) => [step('read_lock', read_lock(l, self))]);
      m.program('b', ['T2'], (self: Expr) => [step('read_unlock', read_unlock(l, self, guarded ? { ownership: 'guard' } : {}))]);
      return m;
    };
    const r = check(build(false));
    expect([r.property?.id, r.property?.class, actions(r), threads(r)]).toEqual(['rwlock.unlock-not-owner', 'unsound', ['read_unlock'], ['T2']]);
    // Guarded, T2 can never release what it does not hold: T1 ends holding the lock, T2 is stuck.
    const g = check(build(true));
    expect([g.property?.id, actions(g)]).toEqual(['deadlock', ['read_lock']]);
    expect(lastState(g)).toMatchObject({ 'l.readers': { T1: true, T2: false } });
  });

  it('a lock still held when every thread finished is lock.held-at-exit', () => {
    const m = model('rwlock-held');
    m.threads(['T1']);
    const l = rwlock(m, 'l');
    m.program('p', ['T1'], (self) => [step('write_lock', write_lock(l, self))]);
    const r = check(m);
    expect([r.property?.id, actions(r)]).toEqual(['lock.held-at-exit', ['write_lock']]);
  });
});
