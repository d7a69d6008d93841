/**
 * runCheck replays every counterexample on the interpreter before reporting it: an engine that
 * claims a violation along a path the reference semantics refuses is an InternalError (a bug in
 * protocheck, reported loudly), never a verdict. The engine is replaced here by one that lies.
 */
import { describe, expect, it, vi } from 'vitest';
import type { RawResult } from '../../checker/explicit.ts';

let lie: Partial<RawResult> | undefined;
vi.mock('../../checker/explicit.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../checker/explicit.ts')>();
  return {
    ...real,
    checkExplicit: (...args: Parameters<typeof real.checkExplicit>) => {
      const r = real.checkExplicit(...args);
      return lie ? { ...r, ...lie } : r;
    },
  };
});

const { runCheck, InternalError } = await import('../../checker/check.ts');
const { model, range, guard, set, add, lt, ne } = await import('../../model/lang/index.ts');

/** x counts 0..2 by `inc` (instance 0); invariant x != 2 breaks after two steps. */
function counter() {
  const m = model('lying-engine');
  const x = m.var('x', range(0, 2), 0);
  m.action('inc', { body: [guard(lt(x, 2)), set(x, add(x, 1))] });
  m.invariant('t.not2', 'x is 2', ne(x, 2));
  m.noDeadlockCheck();
  return m.build();
}

describe('runCheck refuses a counterexample that does not replay', () => {
  it('the honest engine: violation after 2 steps', () => {
    lie = undefined;
    const r = runCheck(counter());
    expect(r.property?.id).toBe('t.not2');
    expect(r.trace?.steps).toHaveLength(2);
  });

  it('a path one step short (the invariant still holds at its end) is an InternalError', () => {
    lie = { verdict: 'violation', violation: { kind: 'invariant', index: 0 }, path: [0] };
    const run = () => runCheck(counter(), { minimise: false });
    expect(run).toThrow(InternalError);
    expect(run).toThrow('counterexample failed replay on the interpreter: invariant t.not2 holds at the end of the trace');
  });

  it('a path through a disabled step is an InternalError, with or without minimisation', () => {
    lie = { verdict: 'violation', violation: { kind: 'invariant', index: 0 }, path: [0, 0, 0] };
    expect(() => runCheck(counter(), { minimise: false })).toThrow('counterexample failed replay on the interpreter: step 3: inc is not enabled');
    expect(() => runCheck(counter())).toThrow(InternalError);
    lie = undefined;
  });
});
