/**
 * examples/task-lock-pointer.ts: a lock array reached through a task pointer, with one observer
 * (state count by hand) and its two bugs' shortest traces.
 */
import { describe, expect, it } from 'vitest';
import def from '../../examples/task-lock-pointer.ts';
import { runCheck } from '../../checker/check.ts';

const run = (variant: string, observers = 1) => runCheck(def.build(variant, { observers }));
const steps = (r: ReturnType<typeof run>) => r.trace!.steps.map((s) => `${s.thread} ${s.action}`);

describe('examples/task-lock-pointer.ts', () => {
  it('fixed, one observer: 22 states, 22 transitions', () => {
    // O1: find (F) → found? (B) → update_rlimit (U) → task_unlock (K) → read_unlock (R) → done,
    // holding tasklist_lock for read from B to R; t: write_lock (W) → exec_or_exit (X) → de_thread
    // or release_task → write_unlock (Ye / Yx) → done (De / Dx), holding it for write from X to Y.
    // t at W: O1 at F, B, U, K, R, done (6); O1 done, t at X, Ye, Yx, De, Dx (5); O1 at F, t at
    // X, Ye, Yx, De, Dx (5); after De: O1 at B, U, K, R (4; done equals the earlier O1-done, De);
    // after Dx: O1 at B and done with tsk NULL (2): 22. Transitions: O1's 5 steps with t at W,
    // t's W → X from O1 at F and done (2), t's other 4 from O1 at F and done (8), O1's 5 after
    // De and 2 after Dx: 22.
    const r = run('fixed');
    expect([r.verdict, r.stats.states, r.stats.transitions]).toEqual(['pass', 22, 22]);
  });

  it('no-tasklist-lock: de_thread between the two reads of tsk->group_leader; task_unlock of t\'s lock, 6 steps', () => {
    const r = run('no-tasklist-lock');
    expect(r.property).toMatchObject({
      id: 'spinlock.unlock-not-owner', action: 'task_unlock',
      message: 'spin_unlock(task.alloc_lock[task.group_leader[tsk]]) by a thread that does not hold it',
    });
    expect(steps(r)).toEqual(['O1 find_task_by_vpid', 'O1 task_lock', 'O1 update_rlimit', 't write_lock', 't de_thread', 'O1 task_unlock']);
    expect(r.trace!.steps[4].state['task.alloc_lock']).toEqual({ L: 'O1', t: 'none' });
    expect(r.trace!.steps[4].state['task.group_leader']).toEqual({ L: 't', t: 't' });
  });

  it('no-null-check: t exits and is reaped, the lookup finds nothing, task_lock(NULL->group_leader), 5 steps', () => {
    const r = run('no-null-check');
    expect(r.property).toMatchObject({ id: 'pointer.null-deref', action: 'task_lock', message: 'NULL dereference of tsk' });
    expect(steps(r)).toEqual(['t write_lock', 't release_task', 't write_unlock', 'O1 find_task_by_vpid', 'O1 task_lock']);
  });

  it('at the default two observers every variant gives its expectation', () => {
    for (const v of def.variants) {
      const r = run(v.name, 2);
      expect(r.verdict === 'pass' ? 'pass' : `violation:${r.property?.id}`).toBe(v.expect);
    }
  });
});
