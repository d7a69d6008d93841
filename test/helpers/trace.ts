/** Reading traces in model tests: one thread's actions, and where an action stands in the trace. */
import { expect } from 'vitest';
import type { Model } from '../../model/lang/ir.ts';
import type { Result } from '../../checker/result.ts';
import { runCheck } from '../../checker/check.ts';
import { minimalViolationDepth } from './shortest.ts';

/** The actions of one thread, in trace order. */
export const ofThread = (r: Result, t: string) => r.trace!.steps.filter((s) => s.thread === t).map((s) => s.action);

/**
 * 0-based position of a thread's first step of `action` in the whole trace; throws when the
 * thread never takes it (a silent -1 would make `at(a) < at(b)` pass for a missing step).
 */
export const at = (r: Result, t: string, action: string): number => {
  const i = r.trace!.steps.findIndex((s) => s.thread === t && s.action === action);
  if (i < 0) throw new Error(`the trace has no step ${action} by ${t} (steps: ${r.trace!.steps.map((s) => `${s.thread}:${s.action}`).join(' ')})`);
  return i;
};

/** A bug variant: the property, the exact length, confirmed shortest by the interpreter-only BFS. */
export function expectShortestViolation(build: () => Model, property: string, length: number): Result {
  const r = runCheck(build());
  expect(r.verdict).toBe('violation');
  expect(r.property?.id).toBe(property);
  expect(r.trace!.steps.length).toBe(length);
  expect(minimalViolationDepth(build(), length)).toBe(length);
  return r;
}
