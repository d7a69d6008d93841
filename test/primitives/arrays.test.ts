/**
 * Arrays of locks and refcounted objects (model/primitives/arrays.ts): `arr.at(i)` is an
 * ordinary lock or object for every operation, with `i` any expression of the index sort
 * (a literal, a thread's object via threadMap, a deref'd pointer); state counts by hand.
 */
import { describe, expect, it } from 'vitest';
import { model, enumeration, option, step, set, when, eq, deref, lit } from '../../model/lang/index.ts';
import {
  mutexArray, spinlockArray, rwsemArray, rwlockArray, refObjectArray, krefArray, refObject,
  mutex_lock, mutex_unlock, spin_lock, spin_unlock, down_read, up_read, down_write, up_write,
  read_lock, read_unlock, write_lock, write_unlock, kref_get, kref_put, obj_free, obj_use, refcount_inc,
} from '../../model/primitives/index.ts';
import { check, actions, lastState } from './helpers.ts';

const Task = enumeration('Task', ['p1', 'p2']);

describe('mutexArray', () => {
  const build = (shared: boolean) => {
    const m = model('task-mutex');
    m.threads(['T1', 'T2']);
    const taskOf = m.threadMap(Task, shared ? { T1: 'p1', T2: 'p1' } : { T1: 'p1', T2: 'p2' });
    const lock = mutexArray(m, 'task.lock', Task);
    m.program('w', ['T1', 'T2'], (self) => [
      step('lock', mutex_lock(lock.at(taskOf(self)), self)),
      step('unlock', mutex_unlock(lock.at(taskOf(self)), self)),
    ]);
    return m;
  };

  it('each thread its own task\'s mutex: independent, 9 states, 12 transitions', () => {
    // Each thread at lock, unlock (holding) or done: 3 × 3; each thread's 2 steps from each of
    // the other's 3 positions: 2 × 2 × 3 = 12.
    const r = check(build(false));
    expect([r.verdict, r.stats.states, r.stats.transitions]).toEqual(['pass', 9, 12]);
  });

  it('both on p1\'s mutex: mutual exclusion, 8 states, 8 transitions', () => {
    // 3 × 3 without both holding it; T1 locks while T2 is at lock or done (2), unlocks while T2 is
    // at lock or done (2), and the same for T2: 8 transitions.
    const r = check(build(true));
    expect([r.verdict, r.stats.states, r.stats.transitions]).toEqual(['pass', 8, 8]);
  });

  it('misuse names the element: recursive mutex_lock on task.lock[p1], held at exit over the array', () => {
    const m = model('task-mutex-twice');
    m.threads(['T1']);
    const lock = mutexArray(m, 'task.lock', Task);
    m.program('w', ['T1'], (self) => [step('lock', mutex_lock(lock.at('p1'), self)), step('again', mutex_lock(lock.at('p1'), self))]);
    const r = check(m);
    expect(r.property).toMatchObject({ id: 'mutex.recursive', message: 'mutex_lock(task.lock[p1]) by its owner: recursive locking deadlocks', action: 'again' });

    const m2 = model('task-mutex-leak');
    m2.threads(['T1']);
    const lock2 = mutexArray(m2, 'task.lock', Task);
    m2.program('w', ['T1'], (self) => [step('lock', mutex_lock(lock2.at('p2'), self))]);
    const r2 = check(m2);
    expect(r2.property).toMatchObject({ id: 'lock.held-at-exit', message: 'a mutex of task.lock still held when every thread finished' });
    expect(lastState(r2)['task.lock']).toEqual({ p1: 'none', p2: 'T1' });
  });
});

describe('spinlockArray through a pointer', () => {
  it('spin_lock of *ptr: the lock the pointer names is taken; NULL is pointer.null-deref', () => {
    const m = model('ptr-spin');
    m.threads(['T1']);
    const ptr = m.var('ptr', option(Task), 'p2');
    const lock = spinlockArray(m, 'alloc_lock', Task);
    m.program('w', ['T1'], (self) => [
      step('task_lock', spin_lock(lock.at(deref(ptr, 'ptr')), self)),
      step('task_unlock', spin_unlock(lock.at(deref(ptr, 'ptr')), self), set(ptr, 'none')),
      step('again', spin_lock(lock.at(deref(ptr, 'ptr')), self)),
    ]);
    const r = check(m);
    expect(r.property).toMatchObject({ id: 'pointer.null-deref', message: 'NULL dereference of ptr', action: 'again' });
    expect(actions(r)).toEqual(['task_lock', 'task_unlock', 'again']);
    expect(r.trace!.steps[0].state['alloc_lock']).toEqual({ p1: 'none', p2: 'T1' });
  });
});

describe('rwsemArray and rwlockArray', () => {
  it('a writer and a reader on mmA\'s rwsem exclude each other, mmB\'s is untouched: 8 states', () => {
    // T1 at down_write, up_write (holding) or done; T2 at down_read, up_read (holding) or done;
    // not both holding: 9 - 1 = 8.
    const Mm = enumeration('Mm', ['mmA', 'mmB']);
    const m = model('mmap-locks');
    m.threads(['T1', 'T2']);
    const mmap_lock = rwsemArray(m, 'mmap_lock', Mm);
    m.program('writer', ['T1'], (self) => [step('down_write', down_write(mmap_lock.at('mmA'), self)), step('up_write', up_write(mmap_lock.at('mmA'), self))]);
    m.program('reader', ['T2'], (self) => [step('down_read', down_read(mmap_lock.at('mmA'), self)), step('up_read', up_read(mmap_lock.at('mmA'), self))]);
    const r = check(m);
    expect([r.verdict, r.stats.states]).toEqual(['pass', 8]);
  });

  it('rwlock_t elements: two readers share one, a writer on the other is independent: 27 states', () => {
    // Each of three threads at lock, unlock (holding) or done, no exclusion between them: 27.
    const m = model('rwlocks');
    m.threads(['R1', 'R2', 'W']);
    const locks = rwlockArray(m, 'bucket.lock', Task);
    m.program('reader', ['R1', 'R2'], (self) => [step('read_lock', read_lock(locks.at('p1'), self)), step('read_unlock', read_unlock(locks.at('p1'), self))]);
    m.program('writer', ['W'], (self) => [step('write_lock', write_lock(locks.at('p2'), self)), step('write_unlock', write_unlock(locks.at('p2'), self))]);
    const r = check(m);
    expect([r.verdict, r.stats.states]).toEqual(['pass', 27]);
  });
});

describe('refObjectArray', () => {
  /** T1 takes and puts a reference on the object its pointer names; T2 drops the initial one of p1. */
  const build = (asArray: boolean) => {
    const m = model('objs');
    m.threads(['T1', 'T2']);
    const ptr = m.var('ptr', Task, 'p1');
    const p1 = lit(Task, 'p1');
    if (asArray) {
      const task = refObjectArray(m, 'task', Task, { max: 2 });
      m.program('user', ['T1'], () => [
        step('get', kref_get(task.at(ptr).refs)),
        step('use', obj_use(task.at(ptr))),
        step('put', kref_put(task.at(ptr).refs, obj_free(task.at(ptr)))),
      ]);
      m.program('owner', ['T2'], () => [step('release', kref_put(task.at(p1).refs, obj_free(task.at(p1))))]);
    } else {
      // The workaround the array replaces: one object per task and a when chain per use.
      const objs = { p1: refObject(m, 'task_p1', { max: 2 }), p2: refObject(m, 'task_p2', { max: 2 }) };
      const on = (f: (o: typeof objs.p1) => ReturnType<typeof kref_get>) =>
        when(eq(ptr, 'p1'), f(objs.p1), [when(eq(ptr, 'p2'), f(objs.p2))]);
      m.program('user', ['T1'], () => [
        step('get', on((o) => kref_get(o.refs))),
        step('use', on((o) => obj_use(o))),
        step('put', on((o) => kref_put(o.refs, obj_free(o)))),
      ]);
      m.program('owner', ['T2'], () => [step('release', kref_put(objs.p1.refs, obj_free(objs.p1)))]);
    }
    return m;
  };

  it('the owner\'s put can free p1 before the user\'s get: refcount.add-on-zero in 2 steps, as with the when chain', () => {
    const r = check(build(true));
    expect(r.property).toMatchObject({ id: 'refcount.add-on-zero', action: 'get' });
    expect(actions(r)).toEqual(['release', 'get']);
    expect(lastState(r)['task.freed']).toEqual({ p1: true, p2: false });
    const w = check(build(false));
    expect([w.property?.id, actions(w), w.stats.states]).toEqual([r.property?.id, actions(r), r.stats.states]);
  });

  it('element names in messages: task[p1] freed twice', () => {
    const m = model('objs-twice');
    m.threads(['T1']);
    const task = refObjectArray(m, 'task', Task, { max: 2 });
    m.program('p', ['T1'], () => [step('free', obj_free(task.at('p1'))), step('again', obj_free(task.at('p1')))]);
    expect(check(m).property).toMatchObject({ id: 'refcount.double-free', message: 'task[p1] freed twice' });
  });

  it('krefArray is refcountArray under kref\'s name: one counter per index', () => {
    const m = model('krefs');
    m.threads(['T1']);
    const refs = krefArray(m, 'node.ref', [Task], { max: 2, init: 1 });
    m.program('p', ['T1'], () => [step('get', refcount_inc(refs.at('p2')))]);
    const r = check(m);
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(2);
  });
});
