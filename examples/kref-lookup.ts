/**
 * An example of writing your own model: the kref lookup race of docs/kernel-protocols.md §1.2.
 * A reader finds an object in a lookup table and takes a reference; the owner drops the last
 * reference and then removes the object from the table. With `kref_get` the reader can add to a
 * count that already reached zero ("addition on 0; use-after-free"); with
 * `kref_get_unless_zero` it sees zero and treats the object as not found.
 *
 *   npx protocheck check examples/kref-lookup.ts                    # variant get-unless-zero: pass
 *   npx protocheck check examples/kref-lookup.ts --variant kref-get # violation
 */
import { model, defineModel, range, bool, step, branch, guard, set, add, sub, eq, gt, not, requires, when } from 'protocheck';

function build(readers: number, unlessZero: boolean) {
  const m = model('kref-lookup', 'a lookup table, a reader taking a reference, the owner dropping the last one');
  m.bounds = { readers };
  const names = Array.from({ length: readers }, (_, i) => `R${i + 1}`);
  m.threads(['owner', ...names]);
  const refs = m.var('refcount', range(0, readers + 1), 1);
  const inTable = m.var('in_table', bool, true);
  const freed = m.var('freed', bool, false);
  const found = m.local('found', bool, false);
  const holds = m.local('holds', bool, false);

  m.program('owner', ['owner'], () => [
    // kref_put: the last put runs the release, which frees the object...
    step('kref_put', set(refs, sub(refs, 1)), when(eq(refs, 0), [set(freed, true)])),
    // ...and only then takes it out of the table (the bug being checked for).
    step('remove_from_table', set(inTable, false)),
  ]);
  m.program('reader', names, (self) => [
    step('lookup', set(found.at(self), inTable)),
    branch('found?', found.at(self), [
      unlessZero
        ? step('kref_get_unless_zero', guard(true), when(gt(refs, 0), [set(refs, add(refs, 1)), set(holds.at(self), true)]))
        : step('kref_get', requires('refcount.add-on-zero', 'refcount_t: addition on 0; use-after-free.', gt(refs, 0)),
          set(refs, add(refs, 1)), set(holds.at(self), true)),
      branch('got it?', holds.at(self), [
        step('use', requires('use-after-free', 'object used after it was freed', not(freed))),
        step('kref_put_reader', set(refs, sub(refs, 1)), set(holds.at(self), false), when(eq(refs, 0), [set(freed, true)])),
      ]),
    ]),
  ]);
  m.quiescence('leak', 'a reference was never put', eq(refs, 0));
  return m.build();
}

export default defineModel({
  name: 'kref-lookup',
  doc: 'kref lookup race: kref_get vs kref_get_unless_zero on an object found in a table',
  variants: [
    { name: 'get-unless-zero', doc: 'readers use kref_get_unless_zero and check the result', expect: 'pass' },
    { name: 'kref-get', doc: 'readers use kref_get on an object found in the table', expect: 'violation:refcount.add-on-zero' },
  ],
  bounds: [{ name: 'readers', default: 2, min: 1, max: 6, doc: 'reader threads' }],
  build: (variant, b) => build(b.readers, variant === 'get-unless-zero'),
});
