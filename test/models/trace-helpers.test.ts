/** The trace-reading helpers of the model tests (test/helpers/trace.ts). */
import { describe, expect, it } from 'vitest';
import { at, ofThread } from '../helpers/trace.ts';
import type { Result } from '../../checker/result.ts';

const steps = [['T1', 'lock'], ['T2', 'lock'], ['T1', 'unlock'], ['T2', 'lock']]
  .map(([thread, action], i) => ({ index: i + 1, action, params: {}, thread, state: {} }));
const r = { trace: { initial: {}, steps, vars: [] } } as unknown as Result;

describe('at', () => {
  it("is the 0-based position of a thread's first step of an action", () => {
    expect([at(r, 'T1', 'lock'), at(r, 'T2', 'lock'), at(r, 'T1', 'unlock')]).toEqual([0, 1, 2]);
  });
  it('throws for a step the thread never takes (no silent -1 to compare with)', () => {
    expect(() => at(r, 'T2', 'unlock')).toThrow('the trace has no step unlock by T2 (steps: T1:lock T2:lock T1:unlock T2:lock)');
  });
  it('ofThread lists one thread\'s actions in order', () => {
    expect(ofThread(r, 'T2')).toEqual(['lock', 'lock']);
  });
});
