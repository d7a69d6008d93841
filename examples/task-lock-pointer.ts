/**
 * An example of locks and pointers chosen at run time: `task_lock(tsk->group_leader)` on a task
 * found by pid (docs/kernel-protocols.md §7, I-T2). One `alloc_lock` per task is a lock array
 * indexed by the task; `tsk` is a nullable pointer (`find_task_by_vpid` returns NULL once the
 * task is reaped) read with `deref`, and `tsk->group_leader` indexes the array.
 *
 * Observers look `t` up, then `task_lock(tsk->group_leader)`, update, `task_unlock(tsk->group_leader)`.
 * Meanwhile `t` execs (`de_thread`: under `write_lock(tasklist_lock)` it becomes its group's
 * leader, `tsk->group_leader = tsk`, and reaps the old leader) or exits (`release_task`, also
 * under `tasklist_lock`, after which `find_task_by_vpid` finds nothing).
 *
 *   npx protocheck check examples/task-lock-pointer.ts                              # fixed: pass
 *   npx protocheck check examples/task-lock-pointer.ts --variant no-tasklist-lock   # spinlock.unlock-not-owner
 *   npx protocheck check examples/task-lock-pointer.ts --variant no-null-check      # pointer.null-deref
 */
import { model, defineModel, enumeration, option, bool, step, branch, either, set, ne, ite, deref, lit, type Expr, type ProgStmt } from 'protocheck';
import { spinlockArray, spin_lock, spin_unlock, rwlock, read_lock, read_unlock, write_lock, write_unlock } from 'protocheck/primitives';

type Variant = 'fixed' | 'no-tasklist-lock' | 'no-null-check';

function build(observers: number, variant: Variant) {
  const m = model('task-lock-pointer', 'task_lock(tsk->group_leader) on a task found by pid, while it execs or exits');
  m.bounds = { observers };
  const names = Array.from({ length: observers }, (_, i) => `O${i + 1}`);
  m.threads([...names, 't']);
  m.symmetric(names); // the observers run one program: one state per orbit
  const Task = enumeration('Task', ['L', 't']);
  const t = lit(Task, 't');
  // task_struct::group_leader, per task; never NULL. L leads the group until t's exec.
  const group_leader = m.var('task.group_leader', Task, 'L', [Task], 'tsk->group_leader');
  const reaped = m.var('task.reaped', bool, false, [Task], 'release_task ran: find_task_by_vpid no longer finds it');
  // task_struct::alloc_lock, one per task: task_lock(p) is spin_lock(&p->alloc_lock).
  const alloc_lock = spinlockArray(m, 'task.alloc_lock', Task);
  const tasklist_lock = rwlock(m, 'tasklist_lock');
  const TaskPtr = option(Task); // struct task_struct *: a task or NULL
  const tsk = m.local('tsk', TaskPtr, 'none');

  // task_lock(tsk->group_leader): two loads, tsk then its group_leader; a NULL tsk faults.
  const leaderOf = (self: Expr) => group_leader.at(deref(tsk.at(self), 'tsk'));
  const locked = (self: Expr): ProgStmt[] => [
    step('task_lock', spin_lock(alloc_lock.at(leaderOf(self)), self)),
    step('update_rlimit'),
    step('task_unlock', spin_unlock(alloc_lock.at(leaderOf(self)), self)),
  ];
  const lookup = (self: Expr) => step('find_task_by_vpid', ...(variant === 'no-tasklist-lock' ? [] : read_lock(tasklist_lock, self)),
    set(tsk.at(self), ite(reaped.at(t), lit(TaskPtr, 'none'), t)));
  m.program('observer', names, (self) => {
    if (variant === 'no-tasklist-lock') return [lookup(self), branch('found?', ne(tsk.at(self), 'none'), locked(self))];
    const unlock = (label: string) => step(label, read_unlock(tasklist_lock, self));
    // tasklist_lock held for read across the section: no de_thread or release_task can run in it.
    if (variant === 'no-null-check') return [lookup(self), ...locked(self), unlock('read_unlock')];
    return [lookup(self), branch('found?', ne(tsk.at(self), 'none'), [...locked(self), unlock('read_unlock')], [unlock('read_unlock.esrch')])];
  });

  m.program('thread', ['t'], (self) => [
    step('write_lock', write_lock(tasklist_lock, self)),
    either('exec_or_exit',
      // de_thread: t takes the leader's place and release_task()s the old leader.
      [step('de_thread', set(group_leader.at(t), 't'), set(group_leader.at('L'), 't'), set(reaped.at('L'), true))],
      [step('release_task', set(reaped.at(t), true))]),
    step('write_unlock', write_unlock(tasklist_lock, self)),
  ]);
  return m.build();
}

export default defineModel({
  name: 'task-lock-pointer',
  doc: 'task_lock(tsk->group_leader) on a task found by pid while it execs (de_thread) or exits',
  variants: [
    { name: 'fixed', doc: 'tasklist_lock held for read from the lookup to task_unlock; a NULL tsk is -ESRCH', expect: 'pass' },
    { name: 'no-tasklist-lock', doc: 'no tasklist_lock: de_thread between the two reads of tsk->group_leader, task_unlock of another task\'s lock', expect: 'violation:spinlock.unlock-not-owner' },
    { name: 'no-null-check', doc: 'tasklist_lock held, but a NULL tsk (t already reaped) is dereferenced', expect: 'violation:pointer.null-deref' },
  ],
  bounds: [{ name: 'observers', default: 2, min: 1, max: 4, doc: 'threads looking t up and locking its leader' }],
  build: (variant, b) => build(b.observers, variant as Variant),
});
