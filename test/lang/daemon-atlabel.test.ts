import { describe, it, expect } from 'vitest';
import { model, bool, step, loop, guard, set, not, TRUE, ModelError } from '../../model/lang/index.ts';
import { mutex, mutex_lock, mutex_unlock } from '../../model/primitives/index.ts';
import { runCheck } from '../../checker/check.ts';

/** T1 queues work twice (each time once the last was taken); a kworker takes it, as a daemon or as a plain looping program. */
function workQueue(asDaemon: boolean) {
  const m = model('wq');
  m.threads(['T1', 'kworker']);
  const pending = m.var('pending', bool, false);
  m.program('client', ['T1'], () => [
    step('queue_work', guard(not(pending)), set(pending, true)),
    step('queue_again', guard(not(pending)), set(pending, true)),
  ]);
  const work = step('process_one_work', guard(pending), set(pending, false));
  if (asDaemon) m.daemon('worker_thread', ['kworker'], () => [work]);
  else m.program('worker_thread', ['kworker'], () => [loop('forever', TRUE, [work])]);
  return m.build();
}

/** Two readers entering a section, with or without a mutex; the invariant reads their program counters. */
function section(locked: boolean, symmetric = false) {
  const m = model('section');
  const rs = ['R1', 'R2'];
  m.threads(rs);
  if (symmetric) m.symmetric(rs);
  const mu = mutex(m, 'lock');
  m.program('reader', rs, (self) => [
    step('enter', ...(locked ? mutex_lock(mu, self) : [])),
    step('critical'),
    step('leave', ...(locked ? mutex_unlock(mu, self) : [])),
  ]);
  m.invariant('section.exclusive', 'both readers in the section', not(m.everyAt(rs, 'critical')));
  m.cover('section.entered', 'a reader reaches the section', m.someAt(rs, 'critical'));
  return m;
}

describe('daemons', () => {
  it('an idle daemon is finished: the work queue passes in 5 states (counted by hand); as a plain loop it deadlocks', () => {
    // (T1 position, pending): (queue_work,0) (queue_again,1) (queue_again,0) (done,1) (done,0); the kworker is always at its start.
    const d = runCheck(workQueue(true));
    expect([d.verdict, d.stats.states]).toEqual(['pass', 5]);
    const plain = runCheck(workQueue(false));
    expect([plain.property?.id, plain.trace?.steps.map((s) => s.action)]).toEqual(['deadlock', ['queue_work', 'process_one_work', 'queue_again', 'process_one_work']]);
  });

  it('a daemon must start with a step', () => {
    const m = model('d');
    m.threads(['k']);
    expect(() => m.daemon('k', ['k'], () => [])).toThrow(new ModelError('daemon k: its program must start with a step (or branch, either, loop)'));
  });
});

describe('atLabel / someAt / everyAt', () => {
  it('an invariant over program counters: with the mutex it holds, without it both readers are in after 2 steps', () => {
    expect(runCheck(section(true).build()).verdict).toBe('pass');
    const r = runCheck(section(false).build());
    expect([r.property?.id, r.trace?.steps.map((s) => `${s.thread} ${s.action}`)]).toEqual(['section.exclusive', ['R1 enter', 'R2 enter']]);
  });

  it('reads the same under symmetry (everyAt over the members is symmetric)', () => {
    const on = runCheck(section(true, true).build()), off = runCheck(section(true).build());
    expect([on.verdict, off.verdict]).toEqual(['pass', 'pass']);
    expect(on.stats.states).toBeLessThan(off.stats.states);
  });

  it('a cover of a label no thread can reach is reported; an unknown label is a model error naming the labels', () => {
    const m = model('c');
    m.threads(['T1']);
    const x = m.var('x', bool, false);
    m.program('p', ['T1'], () => [step('a', guard(x)), step('b')]);
    m.cover('c.b', 'T1 gets to b', m.atLabel('T1', 'b'));
    m.noDeadlockCheck(); // T1 waits at `a` forever: the point here is the cover
    expect(runCheck(m.build()).property?.id).toBe('c.b');
    const bad = model('bad');
    bad.threads(['T1']);
    bad.program('p', ['T1'], () => [step('enter'), step('critical')]);
    bad.invariant('x', 'x', not(bad.atLabel('T1', 'critcal')));
    expect(() => bad.build()).toThrow(/^atLabel: no step labelled 'critcal' in the program of T1 \(test\/lang\/daemon-atlabel\.test\.ts:\d+:\d+\); its labels: enter, critical$/);
  });
});
