/**
 * Tutorial: bounds. `defineModel` makes a family of models over named bounds; `--bound
 * readers=3` (or the `bounds` of a ci check) picks one. A pass holds for the bounds it prints,
 * nothing more.
 *
 *   npx protocheck check test/docs/tutorial/bound.ts --bound readers=3
 */
import { model, defineModel, range, step, set, add, sub } from 'protocheck';

function build(n: number) {
  const m = model('down-read');
  m.bounds = { readers: n }; // printed with every result
  const names = Array.from({ length: n }, (_, i) => `R${i + 1}`);
  m.threads(names);
  const nrReaders = m.var('nr_readers', range(0, n), 0);
  m.program('reader', names, () => [
    step('down_read', set(nrReaders, add(nrReaders, 1))),
    step('read'),
    step('up_read', set(nrReaders, sub(nrReaders, 1))),
  ]);
  return m.build();
}

export default defineModel({
  name: 'down-read',
  doc: 'n readers take a read lock, read and release it',
  variants: [{ name: 'fixed', doc: 'readers only', expect: 'pass' }],
  bounds: [{ name: 'readers', default: 2, min: 1, max: 6, doc: 'reader threads' }],
  build: (_variant, b) => build(b.readers),
});
