/**
 * API review of `Task::group_leader` (K9, docs/kernel-protocols.md §7): the most general client
 * of the task API, not one hand-written client. Tasks: the leader `L` and a thread `t` of its
 * group; the clients are `t` itself (its own code, holding its `CurrentTask`) and observers
 * `C1..Cn` outside the group, each starting with an `ARef<Task>` for `t`.
 * - `any-task`: the old `Task::group_leader(&self) -> &Task` on any task, the borrow tied to the
 *   receiver: t exits, the leader is reaped, then a client reads `t.group_leader()`.
 * - `current-only`: "rust: task: restrict Task::group_leader() to current": only
 *   `CurrentTask::group_leader`, whose leader cannot be reaped while current runs.
 * - `current-sendable`: as current-only, but `CurrentTask` were `Send` (it is `NotThreadSafe`).
 * The environment: `L` exits (reaped once its group is empty); `t` exits after its own scope
 * ended (or execs: `de_thread` releases the old leader).
 */
import { model, defineModel, enumeration, bool, step, either, guard, set, and, not, eq, when, lit, type ModelDef, type ProgStmt } from './lang/index.ts';
import type { Stmt } from './lang/stmt.ts';
import { refObject, obj_free, obj_use, refcount_inc, refcount_dec_and_test, type RefObject } from './primitives/refcount.ts';
import { api, type ApiRule } from './api/index.ts';

export type ApiTaskVariant = 'any-task' | 'current-only' | 'current-sendable';

/** Build one variant; `without` removes generated type rules (the mutation test). */
export function buildApiTask(variant: ApiTaskVariant, clients: number, budget: number, without: ApiRule[] = []) {
  const m = model('api-task', 'Task::group_leader: every client of the task API (K9)');
  m.bounds = { clients, budget };
  const obs = Array.from({ length: clients }, (_, i) => `C${i + 1}`);
  m.threads(['L', 't', ...obs]);
  const Task = enumeration('Task', ['L', 't']);
  const L = lit(Task, 'L'), tt = lit(Task, 't');
  const exited = m.var('task.exited', bool, false, [Task], 'do_exit ran');
  const reaped = m.var('task.reaped', bool, false, [Task], 'release_task ran: the task dropped its own usage reference');
  const groupLeader = m.var('task.group_leader', Task, 'L', [Task], 'task->group_leader');
  // usage: the task's own reference, and per client up to `cap` live ARefs plus one leaked by
  // each mem::forget call; a smaller max would report refcount.saturated for a range artifact.
  const cap = 2;
  const max = 1 + (clients + 1) * (cap + budget);
  const objs: Record<string, RefObject> = {
    L: refObject(m, 'task_L', { max, init: 1, doc: 'L->usage' }),
    t: refObject(m, 't_usage', { max, init: 1 + clients, doc: 't->usage' }),
  };
  const get = (o: string) => refcount_inc(objs[o].refs);
  const put = (o: string) => refcount_dec_and_test(objs[o].refs, { release: obj_free(objs[o]) });

  const a = api(m, { clients: ['t', ...obs], budget, without, symmetric: obs });
  const ARefTask = a.owned('ARef<Task>', {
    object: Task, send: true, cap, clone: (c) => get(c.obj), drop: (c) => put(c.obj),
    init: Object.fromEntries(obs.map((o) => [o, { t: 1 }])),
  });
  const Current = a.context('CurrentTask', { object: Task, send: variant === 'current-sendable', init: { t: 't' } });
  const TaskRef = a.borrow('&Task', { object: Task });
  // Methods valid on any task read its task_struct; ARef::from is get_task_struct.
  a.method('Task::pid', { on: ARefTask, effect: (c) => obj_use(objs[c.obj]) });
  a.method('Task::pid', { on: TaskRef, effect: (c) => obj_use(objs[c.obj]) });
  a.method('ARef::from', { on: TaskRef, effect: (c) => get(c.obj), returns: { owned: ARefTask, object: (c) => c.obj } });
  a.method('ARef::from', { on: Current, effect: (c) => get(c.obj), returns: { owned: ARefTask, object: (c) => c.obj } });
  const leaderOf = { returns: { borrow: TaskRef, target: (c: { obj: string }) => groupLeader.at(c.obj) } };
  if (variant === 'any-task') a.method('Task::group_leader', { on: ARefTask, effect: (c) => obj_use(objs[c.obj]), ...leaderOf });
  else a.method('CurrentTask::group_leader', { on: Current, ...leaderOf });
  a.generate();

  // release_task(p): the task's own reference goes.
  const releaseTask = (name: 'L' | 't'): Stmt[] => [set(reaped.at(name), true), ...put(name)];
  const leaderZombie = and(exited.at(L), not(reaped.at(L)));
  m.program('leader', ['L'], () => [
    step('do_exit', set(exited.at(L), true), when(reaped.at(tt), releaseTask('L'))),
  ]);
  // t exits only after its own code left its scope and dropped what it held.
  const tReturned = a.finished(lit(m.threadSort, 't'));
  const exitT = (label: string, ...pre: Stmt[]): ProgStmt => step(label, ...pre, set(exited.at(tt), true), ...releaseTask('t'),
    // t was the last thread of a zombie leader's group: reap the leader too.
    when(and(leaderZombie, eq(groupLeader.at(tt), 'L')), releaseTask('L')));
  m.program('thread', ['t'], () => [
    either('exit_or_exec',
      [exitT('do_exit_t', guard(tReturned))],
      [step('de_thread', guard(and(tReturned, leaderZombie)), set(groupLeader.at(tt), 't'), set(groupLeader.at(L), 't'), ...releaseTask('L')), exitT('do_exit_new_leader')]),
  ]);
  return m.build();
}

const apiTask: ModelDef = defineModel({
  name: 'api-task',
  doc: 'Task::group_leader: every client of the task API, old (any task) against new (current only) (K9)',
  variants: [
    { name: 'any-task', doc: 'K9 Task::group_leader(&self) on any task, the borrow tied to the receiver', expect: 'violation:refcount.use-after-free' },
    { name: 'current-only', doc: 'CurrentTask::group_leader only (rust: task: restrict Task::group_leader() to current)', expect: 'pass' },
    { name: 'current-sendable', doc: 'current-only, but CurrentTask is Send', expect: 'violation:refcount.add-on-zero' },
  ],
  bounds: [
    { name: 'clients', default: 2, min: 1, max: 3, doc: 'observer clients outside the thread group (plus t, a client in its own context)' },
    { name: 'budget', default: 3, min: 1, max: 5, doc: 'API calls per client' },
  ],
  build: (variant, b) => buildApiTask(variant as ApiTaskVariant, b.clients, b.budget),
});

export default apiTask;
