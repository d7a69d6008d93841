/**
 * Tutorial: `m.cover` states a capability: some reachable state must satisfy it, or the check
 * fails (the model, or the protocol, cannot do what it is for). Two readers under a read lock can
 * be in their section at once; under an exclusive lock they cannot. `m.everyAt` reads program
 * counters: "each of these threads is about to take the step labelled `read`".
 *
 *   npx protocheck check test/docs/tutorial/cover.ts --variant exclusive
 */
import { model, defineModel, range, bool, step, guard, set, add, sub, eq, and, not } from 'protocheck';

function build(variant: string) {
  const m = model('readers');
  const readers = ['R1', 'R2'];
  m.threads(readers);
  const nrReaders = m.var('nr_readers', range(0, 2), 0);
  const writer = m.var('writer', bool, false);
  m.program('reader', readers, () => variant === 'down_read'
    ? [step('down_read', guard(not(writer)), set(nrReaders, add(nrReaders, 1))),
      step('read'),
      step('up_read', set(nrReaders, sub(nrReaders, 1)))]
    : [step('down_write', guard(and(not(writer), eq(nrReaders, 0))), set(writer, true)),
      step('read'),
      step('up_write', set(writer, false))]);
  m.cover('rwsem.readers-share', 'both readers are in their section at once', m.everyAt(readers, 'read'));
  return m.build();
}

export default defineModel({
  name: 'readers',
  doc: 'two readers of one rw_semaphore: do they share it?',
  variants: [
    { name: 'down_read', doc: 'readers take it shared', expect: 'pass' },
    { name: 'exclusive', doc: 'readers take it exclusive: never both inside', expect: 'violation:rwsem.readers-share' },
  ],
  bounds: [],
  build: (variant) => build(variant),
});
