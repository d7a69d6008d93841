import { describe, it, expect } from 'vitest';
import { model, enumeration, bool, step, set, not, lit, ModelError } from '../../model/lang/index.ts';
import { spinlock } from '../../model/primitives/index.ts';
import { runCheck } from '../../checker/check.ts';

describe('threadMap: from a thread to the object it stands for', () => {
  it('one program for threads of two tasks: each sets need_qs of its own task', () => {
    const m = model('tasks');
    m.threads(['T1', 'T2', 'T3']);
    const Task = enumeration('Task', ['p1', 'p2']);
    const taskOf = m.threadMap(Task, { T1: 'p1', T2: 'p1', T3: 'p2' });
    const needQs = m.var('need_qs', bool, false, [Task]);
    m.program('worker', ['T1', 'T2', 'T3'], (self) => [step('set_need_qs', set(needQs.at(taskOf(self)), true))]);
    m.invariant('x.p2-alone', 'p2 flagged while p1 is not', not(needQs.at('p2')));
    const r = runCheck(m.build());
    // Only T3 stands for p2: the shortest violation is its one step.
    expect([r.property?.id, r.trace?.steps.map((s) => `${s.thread} ${s.action}`)]).toEqual(['x.p2-alone', ['T3 set_need_qs']]);
    // A known thread folds to its value; the map is checked against the threads.
    expect(taskOf(lit(m.threadSort, 'T3'))).toEqual(lit(Task, 'p2'));
    expect(() => m.threadMap(Task, { T1: 'p1' })).toThrow(new ModelError("threadMap: no entry for T2, T3; give every thread one, or an 'otherwise' value"));
    expect(() => m.threadMap(Task, { T9: 'p1' }, 'p2')).toThrow('no thread named T9');
  });
});

describe('names', () => {
  it('a bad variable name says the allowed pattern and points at the model line, also when a primitive declares it', () => {
    const m = model('names');
    m.threads(['T1']);
    expect(() => m.var('my lock', bool, false)).toThrow(/^bad variable name 'my lock': use letters, digits, '_' and '\.', starting with a letter or '_' \(test\/lang\/threadmap-names\.test\.ts:\d+:\d+\)$/);
    expect(() => spinlock(m, '2nd-lock')).toThrow(/^bad variable name '2nd-lock': .* \(test\/lang\/threadmap-names\.test\.ts:\d+:\d+\)$/);
  });
});
