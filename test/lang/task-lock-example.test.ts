/**
 * examples/task-lock-pointer.ts: a lock array reached through a task pointer, the task freed
 * through RCU, with one observer (state and transition counts by hand) and its three bugs'
 * shortest traces.
 */
import { describe, expect, it } from 'vitest';
import def from '../../examples/task-lock-pointer.ts';
import { runCheck } from '../../checker/check.ts';

const run = (variant: string, observers = 1) => runCheck(def.build(variant, { observers }));
const steps = (r: ReturnType<typeof run>) => r.trace!.steps.map((s) => `${s.thread ?? '-'} ${s.action}`);

describe('examples/task-lock-pointer.ts', () => {
  it('fixed, one observer: 88 states, 139 transitions', () => {
    // O1's places (a branch is taken with the first step of its arm): F find_task_by_vpid (enters
    // the read section), B found?+get_task_struct, U rcu_read_unlock, RL read_lock, S
    // sighand?+task_lock, UP, TU task_unlock, RU read_unlock, P put_task_struct, done; with a NULL
    // tsk: B' found? → rcu_read_unlock.esrch → done'. S with t reaped takes read_unlock.esrch to P.
    // O1 holds tasklist_lock at S..RU and is in its read section at B, U (and B').
    // t: W write_lock, X exec_or_exit (holding it), then de_thread → Ye → Ce (call_rcu.leader) → De,
    // or release_task → Yx → Cx (call_rcu) → Dx. After call_rcu the callback is queued, waiting
    // for O1 if O1 was in its section (until it leaves), then fired.
    //   W: O1 anywhere on the found path, 10.  X, Ye: O1 not holding tasklist_lock (F B U RL P
    //   done), 6 each.  Yx: those 6 + B' done' (found nothing), 8.  Ce: 10.
    //   De: waiting for O1 (B U) 2, queued not waiting 10, fired 10: 22.
    //   Cx: B U RL S P done F B' done', 9 (S goes to read_unlock.esrch).
    //   Dx: waiting (B U B') 3, queued not waiting (F RL S P done B' done') 7, fired 7: 17.
    //   10+6+6+8+10+22+9+17 = 88.
    // Transitions, per phase (O1's moves + t's or the callback's): W 9+6, X 4+12 (either: two
    // ways), Ye 4+6, Yx 5+8, Ce 9+10, De (2+0)+(9+10)+9, Cx 7+9, Dx (3+0)+(5+7)+5: 139.
    const r = run('fixed');
    expect([r.verdict, r.stats.states, r.stats.transitions]).toEqual(['pass', 88, 139]);
  });

  it('no-get-task-struct: tsk outlives the read section unpinned; the RCU callback frees t; 8 steps', () => {
    const r = run('no-get-task-struct');
    expect(r.property).toMatchObject({ id: 'refcount.use-after-free', action: 'read_lock', message: 'task[tsk] used after it was freed' });
    expect(steps(r)).toEqual(['O1 find_task_by_vpid', 'O1 rcu_read_unlock', 't write_lock', 't release_task', 't write_unlock.exit',
      't call_rcu', '- rcu_do_batch(task.rcu_t)', 'O1 read_lock']);
    expect(r.trace!.steps[6].state['task.freed']).toEqual({ L: false, t: true });
  });

  it('no-tasklist-lock: de_thread between the two reads of tsk->group_leader; task_unlock of t\'s lock, 8 steps', () => {
    const r = run('no-tasklist-lock');
    expect(r.property).toMatchObject({
      id: 'spinlock.unlock-not-owner', action: 'task_unlock',
      message: 'spin_unlock(task.alloc_lock[task.group_leader[tsk]]) by a thread that does not hold it',
    });
    expect(steps(r)).toEqual(['O1 find_task_by_vpid', 'O1 get_task_struct', 'O1 rcu_read_unlock', 'O1 task_lock', 'O1 update_rlimit',
      't write_lock', 't de_thread', 'O1 task_unlock']);
    expect(r.trace!.steps[6].state['task.alloc_lock']).toEqual({ L: 'O1', t: 'none' });
    expect(r.trace!.steps[6].state['task.group_leader']).toEqual({ L: 't', t: 't' });
  });

  it('no-null-check: t exits and is reaped, the lookup finds nothing, get_task_struct(NULL), 4 steps', () => {
    const r = run('no-null-check');
    expect(r.property).toMatchObject({ id: 'pointer.null-deref', action: 'get_task_struct', message: 'NULL dereference of tsk' });
    expect(steps(r)).toEqual(['t write_lock', 't release_task', 'O1 find_task_by_vpid', 'O1 get_task_struct']);
  });

  it('at the default two observers every variant gives its expectation', () => {
    for (const v of def.variants) {
      const r = run(v.name, 2);
      expect(r.verdict === 'pass' ? 'pass' : `violation:${r.property?.id}`).toBe(v.expect);
    }
  });
});
