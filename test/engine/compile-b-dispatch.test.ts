/**
 * The successor dispatcher of checker/compile.ts split into sub-dispatchers when there are more
 * than 64 action groups: 70 one-instance actions, each its own group under a tiny size budget,
 * must give the interpreter's successors, in instance order, with the right count.
 */
import { describe, expect, it } from 'vitest';
import { model, range, set, eq, guard } from '../../model/lang/index.ts';
import { compileModel } from '../../checker/compile.ts';
import { initialState } from '../../checker/interpreter.ts';
import { compiledSuccessors, interpSuccessors, showSuccs } from './helpers.ts';

describe('dispatcher over more than 64 groups', () => {
  it('70 actions, one group each: every successor, in order', () => {
    const m = model('many-groups');
    const x = m.var('x', range(0, 70), 0);
    for (let i = 1; i <= 70; i++) m.action(`to${i}`, { body: [guard(eq(x, 0)), set(x, i)] });
    m.noDeadlockCheck();
    const built = m.build();
    const c = compileModel(built, { limits: { groupChars: 50 } });
    const s = initialState(built);
    const mine = compiledSuccessors(built, c, s);
    expect(mine.map((x) => x.id)).toEqual(Array.from({ length: 70 }, (_, i) => i));
    expect(showSuccs(mine)).toEqual(showSuccs(interpSuccessors(built, s)));
    expect(mine.map((x) => x.state.x[0])).toEqual(Array.from({ length: 70 }, (_, i) => i + 1));
  });
});
