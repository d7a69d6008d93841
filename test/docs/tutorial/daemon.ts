/**
 * Tutorial: `m.daemon`. A kworker runs forever: after its last step its program starts over, and
 * waiting at its first step it is idle, which counts as finished. The same worker written as
 * `loop('forever', TRUE, [...])` would be reported as a deadlock once the work runs out.
 *
 *   npx protocheck check test/docs/tutorial/daemon.ts
 */
import { model, defineModel, bool, step, guard, set, not } from 'protocheck';

function build() {
  const m = model('workqueue');
  m.threads(['T1', 'kworker']);
  const pending = m.var('pending', bool, false);
  m.program('client', ['T1'], () => [
    step('queue_work', guard(not(pending)), set(pending, true)),
    step('queue_again', guard(not(pending)), set(pending, true)),
  ]);
  m.daemon('worker_thread', ['kworker'], () => [
    step('process_one_work', guard(pending), set(pending, false)),
  ]);
  return m.build();
}

export default defineModel({
  name: 'workqueue',
  doc: 'a client queues work twice; a kworker daemon processes it',
  variants: [{ name: 'fixed', doc: 'the kworker is a daemon', expect: 'pass' }],
  bounds: [],
  build: () => build(),
});
