/** Shared helpers for the primitive tests: run the explicit engine, read a trace compactly. */
import { runCheck } from '../../checker/check.ts';
import type { Result } from '../../checker/result.ts';
import type { ModelBuilder } from '../../model/lang/index.ts';

export function check(m: ModelBuilder): Result {
  return runCheck(m.build());
}

/** The action names of the trace, in order. */
export function actions(r: Result): string[] {
  return (r.trace?.steps ?? []).map((s) => s.action);
}

/** The thread of each trace step. */
export function threads(r: Result): (string | undefined)[] {
  return (r.trace?.steps ?? []).map((s) => s.thread);
}

/** The last state of the trace (the initial state for an empty trace). */
export function lastState(r: Result): Record<string, unknown> {
  const steps = r.trace?.steps ?? [];
  return steps.length ? steps[steps.length - 1].state : (r.trace?.initial ?? {});
}
