/**
 * Tutorial: threads and objects. Threads are what runs (each has a program counter and its
 * `m.local` cells); objects are what they share (arrays indexed by the objects' sort). Two
 * threads of task p1 and one of p2 exit; `m.threadMap` says which task each thread belongs to,
 * so one program serves all three and `do_exit` decrements its own task's `signal->live`
 * (the last one out sets group_dead, as `atomic_dec_and_test(&tsk->signal->live)` does).
 *
 *   npx protocheck check test/docs/tutorial/thread-map.ts
 */
import { model, defineModel, range, bool, enumeration, step, set, sub, eq, when, forall } from 'protocheck';

function build() {
  const m = model('exit');
  const Task = enumeration('Task', ['p1', 'p2']);
  m.threads(['T1', 'T2', 'T3']);
  const taskOf = m.threadMap(Task, { T1: 'p1', T2: 'p1', T3: 'p2' });
  const live = m.var('signal.live', range(0, 2), [2, 1], [Task]);
  const groupDead = m.var('group_dead', bool, false, [Task]);
  m.program('thread', ['T1', 'T2', 'T3'], (self) => [
    step('do_exit', set(live.at(taskOf(self)), sub(live.at(taskOf(self)), 1)),
      when(eq(live.at(taskOf(self)), 0), [set(groupDead.at(taskOf(self)), true)])),
  ]);
  m.quiescence('exit.group-alive', 'a task whose threads all exited is not group_dead', forall(Task, (p) => groupDead.at(p)));
  return m.build();
}

export default defineModel({
  name: 'exit',
  doc: 'three threads of two tasks exit; each task ends group_dead',
  variants: [{ name: 'fixed', doc: 'do_exit on signal->live', expect: 'pass' }],
  bounds: [],
  build: () => build(),
});
