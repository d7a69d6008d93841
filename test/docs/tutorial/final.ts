/**
 * Tutorial: `m.final`. A state where no step is enabled is a deadlock unless it is an intended
 * end: every thread done, and every `m.final` condition true. A model of free-standing actions
 * has no threads to finish, so without `m.final` each of its dead ends is a deadlock.
 *
 *   npx protocheck check test/docs/tutorial/final.ts --variant no-final
 */
import { model, defineModel, range, guard, set, sub, gt, eq } from 'protocheck';

function build(variant: string) {
  const m = model('pool');
  const free = m.var('nr_free', range(0, 2), 2);
  m.action('alloc_page', { body: [guard(gt(free, 0)), set(free, sub(free, 1))] });
  if (variant === 'final') m.final(eq(free, 0)); // the run is meant to end with the pool used up
  return m.build();
}

export default defineModel({
  name: 'pool',
  doc: 'an allocator hands out two pages; running out is the intended end, or a deadlock',
  variants: [
    { name: 'final', doc: 'm.final: an empty pool is an intended end', expect: 'pass' },
    { name: 'no-final', doc: 'no m.final: the empty pool is a dead end', expect: 'violation:deadlock' },
  ],
  bounds: [],
  build: (variant) => build(variant),
});
