/**
 * A small model shared by the language tests: `i` counts 0..2 by the action `next`; `arr` has
 * the two cells 0..1, so `arr[i]` is out of range at i = 2. The caller adds the actions under test.
 *
 * @example
 * const { m, i, arr } = counter('t'); m.action('read', { body: [guard(arr.at(i))] });
 */
import { model, range, bool, guard, set, add, lt } from '../../model/lang/index.ts';

export function counter(name: string) {
  const m = model(name);
  const i = m.var('i', range(0, 2), 0);
  const arr = m.var('arr', bool, false, [range(0, 1)]);
  m.action('next', { body: [guard(lt(i, 2)), set(i, add(i, 1))] });
  m.noDeadlockCheck();
  return { m, i, arr };
}
