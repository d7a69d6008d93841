/**
 * Property functions split into chunks (checkInvariants, checkQuiescence, covers under a tiny
 * size budget) still check every property: a counter walks 0..7 and at x = i the i-th invariant
 * and quiescence property fail and the i-th cover holds, so a chunk that is never called, or
 * whose answer is dropped, changes the figures at some x.
 */
import { describe, expect, it } from 'vitest';
import { model, range, set, add, lt, guard, ne, eq } from '../../model/lang/index.ts';
import { compileModel } from '../../checker/compile.ts';
import type { State } from '../../checker/interpreter.ts';
import { compiledProps, interpProps } from './helpers.ts';

const TINY = { limits: { groupChars: 120, exprChars: 40 } };

function counterWithProps() {
  const m = model('chunked-props');
  const x = m.var('counter_under_test', range(0, 7), 0);
  m.action('inc', { body: [guard(lt(x, 7)), set(x, add(x, 1))] });
  for (let i = 1; i <= 7; i++) {
    m.invariant(`inv.not-${i}`, `the counter is not ${i}`, ne(x, i));
    m.quiescence(`qui.not-${i}`, `the counter does not rest at ${i}`, ne(x, i));
    m.cover(`cov.at-${i}`, `the counter reaches ${i}`, eq(x, i));
  }
  m.noDeadlockCheck();
  return m.build();
}

describe('chunked property functions', () => {
  const m = counterWithProps();
  const c = compileModel(m, TINY);

  it('the tiny budget did chunk them (helpers iv_, qu_, cv_ exist)', () => {
    const names = Object.keys(c.functions);
    for (const p of ['iv', 'qu', 'cv']) expect(names.some((n) => n.startsWith(`${p}_`))).toBe(true);
  });

  it('at x = i: invariant i-1 (0-based) and quiescence i-1 fail, cover bit i-1 set; x = 0: none', () => {
    for (let i = 0; i <= 7; i++) {
      const s: State = { counter_under_test: [i] } as unknown as State;
      const want: [number, boolean, number, number] = [i - 1, false, i - 1, i === 0 ? 0 : 1 << (i - 1)];
      expect(compiledProps(m, c, s)).toEqual(want);
      expect(interpProps(m, s)).toEqual(want);
    }
  });
});
