/**
 * The task model: observers holding an `ARef<Task>` to a non-leader thread `t` want its group
 * leader `L`, while `L` exits and `t` either exits or execs (docs/kernel-protocols.md §7, bug K9).
 *
 * Threads:
 * - `T1..Tn` (observers): each starts holding an `ARef<Task>` for `t` (an earlier
 *   `ARef::from(&task)`: one `get_task_struct`). Each gets an `ARef<Task>` for the leader, reads
 *   its `pid()`, drops it, reads `t.pid()` and drops its `ARef` for `t` (that drop may free `t`).
 *   Before K9 the observer called `Task::group_leader(&t)` itself; after it, only `t`'s own
 *   context can (`CurrentTask::group_leader`), so `t` takes the references and sends them
 *   (`ARef<Task>` is `Send`).
 * - `L` (the group leader): `do_exit`. A leader is reaped only once its thread group is empty
 *   (`delay_group_leader`); until then it is a zombie whose `task_struct` is still pinned.
 * - `t` (a non-leader thread of L's group): either `do_exit` (a non-leader is reaped at once;
 *   `release_task` reaps the zombie leader too when `t` was the last thread), or execs:
 *   `de_thread` waits for the leader to die, takes over as leader (`t->group_leader = t`,
 *   `L->group_leader = t`) and `release_task`s the old leader; then `t` exits as the leader.
 *
 * Each task's `usage` counter has one reference of its own (dropped by `release_task`, through
 * `put_task_struct_rcu_user` → `delayed_put_task_struct`; the RCU delay protects only RCU
 * readers, which the observers are not, so it is a plain put here) plus one per `ARef<Task>`.
 * The parent reaps the leader as soon as the group is empty (as when it ignores SIGCHLD).
 */
import {
  model, defineModel, enumeration, option, bool, step, either, loop, guard, set, eq, ne, and, or, not, when, lit, ite, deref,
  type ModelDef, type ProgStmt, type ExprLike,
} from './lang/index.ts';
import type { Expr } from './lang/ir.ts';
import type { Stmt } from './lang/stmt.ts';
import { obj_free, obj_use, refcount_dec_and_test } from './primitives/refcount.ts';
import { aref_from, aref_clone, aref_drop, aref_send, aref_borrow, aref_held } from './primitives/aref.ts';
import { refObjectArray, arefArray } from './primitives/arrays.ts';

export interface TaskFlags {
  /** K9: observers call `Task::group_leader()` on `t`, a task that is not current. */
  groupLeaderOnAnyTask?: boolean;
}

const TASKS = ['L', 't'] as const;

/** Build the task model with `observers` observer threads. Example: `buildTask(2, { groupLeaderOnAnyTask: true })`. */
export function buildTask(observers: number, flags: TaskFlags = {}) {
  const m = model('task', "Task refcount, current and group_leader: observers of a thread whose leader exits or is replaced by exec");
  m.bounds = { observers };
  const obs = Array.from({ length: observers }, (_, i) => `T${i + 1}`);
  const T = m.threads([...obs, 'L', 't']);
  m.symmetric(obs); // the observers run one program; t sends to them in any order
  const Task = enumeration('Task', [...TASKS]);
  const TaskOrNone = option(Task, 'none');
  const L = lit(Task, 'L'), tt = lit(Task, 't');

  const exited = m.var('task.exited', bool, false, [Task], 'exit_state: EXIT_ZOMBIE or later (do_exit ran)');
  const reaped = m.var('task.reaped', bool, false, [Task], 'release_task ran: the task dropped its own usage reference');
  const groupLeader = m.var('task.group_leader', Task, 'L', [Task], 'task->group_leader');
  const leaderPtr = m.local('leader', TaskOrNone, 'none');

  // Per task: usage (refcount_t) and ARef<Task> tokens. Max: its own reference, and per
  // observer its ARef for t plus, once de_thread made t the leader, its ARef for the leader
  // (t again), and one for t while it holds the leader before sending it. A smaller max lets
  // `refcount.saturated` stand in for "the model's range is too small" on the K9 path.
  const max = 2 * observers + 2;
  // task->usage per task (`task.refs`, `task.freed`), and the ARef<Task> tokens on it (`task.aref`):
  // each task owns one reference until release_task.
  const tasks = refObjectArray(m, 'task', Task, { max, init: { L: 1, t: 1 + observers }, doc: 'task->usage' });
  const refs = arefArray(m, 'task', Task, tasks, {
    owners: (i) => ite(reaped.at(i), 0, 1), release: (i) => obj_free(tasks.at(i)),
    initial: { t: Object.fromEntries(obs.map((o) => [o, 1])) },
  });
  /** The task a thread's `leader` pointer names: a NULL pointer there is pointer.null-deref. */
  const leaderOf = (ptr: ExprLike) => deref(ptr, 'leader');

  // release_task(p): the task's own reference goes (put_task_struct; frees at 0).
  const releaseTask = (name: 'L' | 't'): Stmt[] => [
    set(reaped.at(lit(Task, name)), true),
    ...refcount_dec_and_test(tasks.at(name).refs, { release: obj_free(tasks.at(name)) }),
  ];
  const leaderZombie = and(exited.at(L), not(reaped.at(L)));

  m.program('leader', ['L'], () => [
    // do_exit → exit_notify: a leader with live threads stays a zombie (delay_group_leader);
    // with the group empty it is reaped now.
    step('do_exit', set(exited.at(L), true), when(reaped.at(tt), releaseTask('L'))),
  ]);

  const exitT = (label: string): ProgStmt => step(label,
    set(exited.at(tt), true),
    ...releaseTask('t'),
    // release_task: t was the last thread of a zombie leader's group → reap the leader too.
    when(and(eq(groupLeader.at(tt), 'L'), leaderZombie), releaseTask('L')));

  // Fixed: t, in its own task context, takes the leader (CurrentTask::group_leader) and sends
  // one ARef<Task> for it to each observer, in any order (an ARef::clone, then a send to any
  // observer still without one), then drops its own.
  const leaderOfT = refs.at(leaderOf(leaderPtr.at(T.lit('t'))));
  const unsent = (o: string) => eq(leaderPtr.at(T.lit(o)), 'none');
  const fromCurrent: ProgStmt[] = flags.groupLeaderOnAnyTask ? [] : [
    step('current_group_leader', set(leaderPtr.at(T.lit('t')), groupLeader.at(tt))),
    step('aref_from_leader', aref_from(leaderOfT, T.lit('t'))),
    loop('sending', or(...obs.map(unsent)), [
      step('clone_for_next', aref_clone(leaderOfT, T.lit('t'))),
      either('send', ...obs.map((o) => [step(`send_to_${o}`, guard(unsent(o)),
        aref_send(leaderOfT, T.lit('t'), T.lit(o)),
        set(leaderPtr.at(T.lit(o)), leaderPtr.at(T.lit('t'))))])),
    ]),
    step('drop_own_leader', aref_drop(leaderOfT, T.lit('t'))),
  ];
  m.program('thread', ['t'], () => [
    ...fromCurrent,
    either('exit_or_exec',
      [exitT('do_exit_t')],
      [
        // begin_new_exec → de_thread: kill the other threads, wait until the leader is a
        // zombie, take over its place, release_task(old leader).
        step('de_thread', guard(leaderZombie),
          set(groupLeader.at(tt), 't'), set(groupLeader.at(L), 't'), ...releaseTask('L')),
        exitT('do_exit_new_leader'),
      ]),
  ]);

  m.program('observer', obs, (self) => {
    const mine = leaderPtr.at(self);
    const getLeader: ProgStmt[] = flags.groupLeaderOnAnyTask
      ? [
        // Task::group_leader(&t) -> &Task: reads t->group_leader; nothing pins the leader.
        step('group_leader', ...aref_borrow(refs.at(tt), self), set(mine, groupLeader.at(tt))),
        // ARef::from(leader): get_task_struct.
        step('aref_from_leader', aref_from(refs.at(leaderOf(mine)), self)),
      ]
      // Fixed: the ARef<Task> arrives from t; until then `leader` is NULL and the observer waits.
      : [step('receive_leader', guard(and(ne(mine, 'none'), aref_held(refs.at(mine), self))))];
    return [
      ...getLeader,
      step('leader_pid', aref_borrow(refs.at(leaderOf(mine)), self), obj_use(tasks.at(leaderOf(mine)))),
      step('drop_leader', aref_drop(refs.at(leaderOf(mine)), self)),
      step('task_pid', ...aref_borrow(refs.at(tt), self), ...obj_use(tasks.at(tt))),
      step('drop_task', ...aref_drop(refs.at(tt), self)),
    ];
  });

  return m.build();
}

const taskDef: ModelDef = defineModel({
  name: 'task',
  doc: 'Task: ARef<Task> get/put, current, group_leader; the leader exits or a thread execs (de_thread)',
  variants: [
    { name: 'fixed', doc: 'group_leader only on current: t takes ARef<Task>s for its leader and sends them', expect: 'pass' },
    { name: 'group-leader-any-task', doc: 'K9 Task::group_leader() on a non-current task: the leader is reaped, then get_task_struct on it', expect: 'violation:refcount.add-on-zero' },
  ],
  bounds: [{ name: 'observers', default: 2, min: 1, max: 4, doc: 'threads holding an ARef<Task> for t (plus the leader L and t)' }],
  build: (variant, b) => buildTask(b.observers, { groupLeaderOnAnyTask: variant === 'group-leader-any-task' }),
});

export default taskDef;
