/**
 * An example of locks and objects reached through a pointer, with the object freed through RCU:
 * `prlimit64()` on a task found by pid (kernel/sys.c; docs/kernel-protocols.md §7, I-T1/I-T2).
 *
 * An observer looks `t` up under `rcu_read_lock` (`find_task_by_vpid` returns NULL once the task
 * is reaped), pins it with `get_task_struct` before `rcu_read_unlock`, then, in `do_prlimit`,
 * takes `tasklist_lock` for read, re-validates (`tsk->sighand` is NULL once reaped), locks
 * `task_lock(tsk->group_leader)`, updates, unlocks, and finally `put_task_struct`s.
 * Meanwhile `t` execs (`de_thread`: under `write_lock(tasklist_lock)` it becomes its group's
 * leader and reaps the old leader) or exits (`release_task`, also under `tasklist_lock`); either
 * way the reaped task is freed through `call_rcu(delayed_put_task_struct)`: after every read
 * section open at that time has ended, the callback drops the task's last reference.
 *
 * One `alloc_lock` and one `usage` count per task are object arrays indexed by the task; `tsk`
 * is a nullable pointer read with `deref`, and `tsk->group_leader` indexes the arrays.
 *
 *   npx protocheck check examples/task-lock-pointer.ts                                # fixed: pass
 *   npx protocheck check examples/task-lock-pointer.ts --variant no-get-task-struct   # refcount.use-after-free
 *   npx protocheck check examples/task-lock-pointer.ts --variant no-tasklist-lock     # spinlock.unlock-not-owner
 *   npx protocheck check examples/task-lock-pointer.ts --variant no-null-check        # pointer.null-deref
 */
import { model, defineModel, enumeration, option, bool, step, branch, either, set, ne, not, ite, deref, lit, type Expr, type ProgStmt } from 'protocheck';
import {
  spinlockArray, spin_lock, spin_unlock, rwlock, read_lock, read_unlock, write_lock, write_unlock,
  refObjectArray, refcount_inc, kref_put, obj_free, obj_use, rcu_read_lock, rcu_read_unlock, rcuCallback, call_rcu,
} from 'protocheck/primitives';

type Variant = 'fixed' | 'no-get-task-struct' | 'no-tasklist-lock' | 'no-null-check';

function build(observers: number, variant: Variant) {
  const m = model('task-lock-pointer', 'prlimit64: task_lock(tsk->group_leader) on a task found by pid, while it execs or exits and is freed through RCU');
  m.bounds = { observers };
  const names = Array.from({ length: observers }, (_, i) => `O${i + 1}`);
  m.threads([...names, 't']);
  m.symmetric(names); // the observers run one program: one state per orbit
  const Task = enumeration('Task', ['L', 't']);
  const t = lit(Task, 't');
  // task_struct::group_leader, per task; never NULL. L leads the group until t's exec.
  const group_leader = m.var('task.group_leader', Task, 'L', [Task], 'tsk->group_leader');
  const reaped = m.var('task.reaped', bool, false, [Task], 'release_task ran: unhashed, tsk->sighand is NULL');
  // task_struct::alloc_lock, one per task: task_lock(p) is spin_lock(&p->alloc_lock).
  const alloc_lock = spinlockArray(m, 'task.alloc_lock', Task);
  // task_struct::usage, one per task: the initial reference is dropped by the RCU callback.
  const task = refObjectArray(m, 'task', Task, { max: observers + 1 });
  const tasklist_lock = rwlock(m, 'tasklist_lock');
  // release_task's call_rcu(&p->rcu, delayed_put_task_struct), one rcu_head per task; declared
  // before the programs (rcu_read_unlock ends their grace periods).
  const putRcu = (name: 'L' | 't') => rcuCallback(m, `task.rcu_${name}`, kref_put(task.at(lit(Task, name)).refs, obj_free(task.at(lit(Task, name)))));
  const rcu = { L: putRcu('L'), t: putRcu('t') };
  const TaskPtr = option(Task); // struct task_struct *: a task or NULL
  const tsk = m.local('tsk', TaskPtr, 'none');

  const p = (self: Expr) => deref(tsk.at(self), 'tsk'); // a NULL tsk faults here
  const leaderOf = (self: Expr) => group_leader.at(p(self));
  // task_lock(tsk->group_leader): loads tsk->group_leader, then locks the leader's alloc_lock.
  const locked = (self: Expr): ProgStmt[] => [
    step('task_lock', obj_use(task.at(p(self))), obj_use(task.at(leaderOf(self))), spin_lock(alloc_lock.at(leaderOf(self)), self)),
    step('update_rlimit'),
    step('task_unlock', spin_unlock(alloc_lock.at(leaderOf(self)), self)),
  ];
  // do_prlimit: re-validate under tasklist_lock (tsk->sighand), then the locked section.
  const doPrlimit = (self: Expr): ProgStmt[] => {
    if (variant === 'no-tasklist-lock') return locked(self);
    return [
      step('read_lock', read_lock(tasklist_lock, self), obj_use(task.at(p(self)))),
      branch('sighand?', not(reaped.at(tsk.at(self))), [...locked(self), step('read_unlock', read_unlock(tasklist_lock, self))],
        [step('read_unlock.esrch', read_unlock(tasklist_lock, self))]),
    ];
  };
  const put = (self: Expr) => step('put_task_struct', kref_put(task.at(p(self)).refs, obj_free(task.at(p(self)))));
  m.program('observer', names, (self) => {
    const lookup = step('find_task_by_vpid', ...rcu_read_lock(m, self), set(tsk.at(self), ite(reaped.at(t), lit(TaskPtr, 'none'), t)));
    // get_task_struct before rcu_read_unlock: the pin that outlives the read section.
    const get = step('get_task_struct', obj_use(task.at(p(self))), refcount_inc(task.at(p(self)).refs));
    const unlock = step('rcu_read_unlock', ...rcu_read_unlock(m, self));
    if (variant === 'no-null-check') return [lookup, get, unlock, ...doPrlimit(self), put(self)];
    // no-get-task-struct: the pointer outlives the read section with nothing pinning the task.
    if (variant === 'no-get-task-struct') return [lookup, branch('found?', ne(tsk.at(self), 'none'), [unlock, ...doPrlimit(self)], [step('rcu_read_unlock.esrch', ...rcu_read_unlock(m, self))])];
    return [lookup, branch('found?', ne(tsk.at(self), 'none'), [get, unlock, ...doPrlimit(self), put(self)], [step('rcu_read_unlock.esrch', ...rcu_read_unlock(m, self))])];
  });

  m.program('thread', ['t'], (self) => [
    step('write_lock', write_lock(tasklist_lock, self)),
    either('exec_or_exit',
      // de_thread: t takes the leader's place and release_task()s the old leader.
      [step('de_thread', set(group_leader.at(t), 't'), set(group_leader.at('L'), 't'), set(reaped.at('L'), true)),
        step('write_unlock', write_unlock(tasklist_lock, self)),
        step('call_rcu.leader', ...call_rcu(m, rcu.L))],
      [step('release_task', set(reaped.at(t), true)),
        step('write_unlock.exit', write_unlock(tasklist_lock, self)),
        step('call_rcu', ...call_rcu(m, rcu.t))]),
  ]);
  return m.build();
}

export default defineModel({
  name: 'task-lock-pointer',
  doc: 'prlimit64: task_lock(tsk->group_leader) on a task found by pid while it execs (de_thread) or exits, freed through RCU',
  variants: [
    { name: 'fixed', doc: 'get_task_struct under RCU; tasklist_lock and the sighand check around task_lock; a NULL tsk is -ESRCH', expect: 'pass' },
    { name: 'no-get-task-struct', doc: 'tsk used after rcu_read_unlock without get_task_struct: the RCU callback frees it', expect: 'violation:refcount.use-after-free' },
    { name: 'no-tasklist-lock', doc: 'no tasklist_lock: de_thread between the two reads of tsk->group_leader, task_unlock of another task\'s lock', expect: 'violation:spinlock.unlock-not-owner' },
    { name: 'no-null-check', doc: 'a NULL tsk (t already reaped) is dereferenced by get_task_struct', expect: 'violation:pointer.null-deref' },
  ],
  bounds: [{ name: 'observers', default: 2, min: 1, max: 4, doc: 'threads looking t up and locking its leader' }],
  build: (variant, b) => build(b.observers, variant as Variant),
});
