/**
 * Tutorial (README, "Writing your own model"): one `step` is one atomic transition. Two threads
 * add 1 to a shared counter: as one step (an atomic_inc) no increment is lost; as a load and a
 * store (`x++` on a plain int) the other thread can run in between and one increment is lost.
 *
 *   npx protocheck check test/docs/tutorial/atomic-step.ts --variant load-store
 */
import { model, defineModel, range, step, set, add, eq } from 'protocheck';

function build(variant: string) {
  const m = model('counter');
  m.threads(['T1', 'T2']);
  const x = m.var('x', range(0, 2), 0);
  const tmp = m.local('tmp', range(0, 2), 0); // one cell per thread: a register
  if (variant === 'atomic_inc') {
    m.program('inc', ['T1', 'T2'], () => [
      step('atomic_inc', set(x, add(x, 1))), // read and write in one transition
    ]);
  } else {
    m.program('inc', ['T1', 'T2'], (self) => [
      step('load', set(tmp.at(self), x)), // two transitions: another thread
      step('store', set(x, add(tmp.at(self), 1))), // may run between them
    ]);
  }
  m.quiescence({ id: 'counter.lost-update', message: 'an increment was lost', class: 'unsound' }, eq(x, 2));
  return m.build();
}

export default defineModel({
  name: 'counter',
  doc: 'two threads increment a counter: atomically, or as a load and a store',
  variants: [
    { name: 'atomic_inc', doc: 'one step reads and writes', expect: 'pass' },
    { name: 'load-store', doc: 'a load step, then a store step', expect: 'violation:counter.lost-update' },
  ],
  bounds: [],
  build: (variant) => build(variant),
});
