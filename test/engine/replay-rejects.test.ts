/**
 * checker/replay.ts is the last line of defence: every trace is replayed on the interpreter
 * before it is printed, and a path the reference semantics does not allow, or that does not
 * end in the claimed violation, must be refused with a ReplayError naming the first bad step.
 * Legal paths are fed too, so a replay that refuses everything fails here as well.
 */
import { describe, expect, it } from 'vitest';
import { model, range, bool, guard, set, add, lt, ne, eq, not, requires } from '../../model/lang/index.ts';
import { replayPath, ReplayError } from '../../checker/replay.ts';
import { instancesOf } from '../../checker/interpreter.ts';
import type { RawViolation } from '../../checker/explicit.ts';

/**
 * x counts 0..2 and the run is final at x = 2. Instances, in canonical order:
 * 0 inc (x < 2: x += 1), 1 chk (requires x < 2), 2 jump (x := x + 5: always a bounds error),
 * 3 halt (stuck := true; afterwards nothing is enabled). Invariant t.not2: x != 2;
 * quiescence t.q: a final state has x != 2 (so every final state breaks it); quiescence t.q2:
 * x = 2, false at every state that is not final (where quiescence is not checked).
 */
function target() {
  const m = model('replay-target');
  const x = m.var('x', range(0, 2), 0);
  const stuck = m.var('stuck', bool, false);
  m.action('inc', { body: [guard(not(stuck)), guard(lt(x, 2)), set(x, add(x, 1))] });
  m.action('chk', { body: [guard(not(stuck)), requires('t.below2', 'x reached 2', lt(x, 2))] });
  m.action('jump', { body: [guard(not(stuck)), set(x, add(x, 5))] });
  m.action('halt', { body: [guard(not(stuck)), set(stuck, true)] });
  m.invariant('t.not2', 'x is 2', ne(x, 2));
  m.quiescence('t.q', 'ended at 2', ne(x, 2));
  m.quiescence('t.q2', 'ended below 2', eq(x, 2));
  m.final(eq(x, 2));
  return m.build();
}
const INC = 0, CHK = 1, JUMP = 2, HALT = 3;
const m = target();
const replay = (path: number[], claim?: RawViolation) => replayPath(m, path, claim, instancesOf(m));
const rejects = (path: number[], claim: RawViolation | undefined, message: string) => {
  expect(() => replay(path, claim)).toThrow(ReplayError);
  expect(() => replay(path, claim)).toThrow(message);
};

describe('replayPath accepts the legal paths', () => {
  it('returns the states along each, one more than the steps', () => {
    expect(instancesOf(m).map((i) => i.action.name)).toEqual(['inc', 'chk', 'jump', 'halt']);
    expect(replay([INC, INC]).map((s) => s.x[0])).toEqual([0, 1, 2]);
    expect(replay([INC, INC], { kind: 'invariant', index: 0 })).toHaveLength(3);
    expect(replay([INC, INC], { kind: 'quiescence', index: 0 })).toHaveLength(3);
    // The failing step's state is the successor as computed (x unchanged by chk).
    expect(replay([INC, INC, CHK], { kind: 'requires', requirement: 0 })).toHaveLength(4);
    // A bounds step leaves the state as it was.
    expect(replay([INC, JUMP], { kind: 'bounds' }).map((s) => s.x[0])).toEqual([0, 1, 1]);
    expect(replay([HALT], { kind: 'deadlock' }).map((s) => s.stuck[0])).toEqual([0, 1]);
    expect(replay([], { kind: 'cover', index: 0 })).toHaveLength(1);
  });
});

describe('replayPath refuses an illegal path, naming the first bad step', () => {
  it('an instance id that does not exist', () => rejects([INC, 99], undefined, 'step 2: no action instance 99'));
  it('a step that is not enabled', () => rejects([INC, INC, INC], undefined, 'step 3: inc is not enabled'));
  it('a step after halt (nothing is enabled any more)', () => rejects([HALT, CHK], undefined, 'step 2: chk is not enabled'));
  it('a failing requires before the end', () => {
    rejects([INC, INC, CHK, HALT], undefined, 'step 3: chk violates t.below2 before the end of the trace');
  });
  it('a bounds error before the end', () => rejects([JUMP, INC], undefined, 'step 1: jump violates bounds before the end of the trace'));
  it('a claimed requires that holds on replay', () => {
    rejects([INC, CHK], { kind: 'requires', requirement: 0 }, 'step 2: requirement t.below2 does not fail on replay');
  });
  it('a claimed bounds error that does not happen', () => rejects([INC], { kind: 'bounds' }, 'step 1: no bounds error on replay'));
  it('a claimed bounds error on a step that fails a requires instead', () => {
    rejects([INC, INC, CHK], { kind: 'bounds' }, 'step 3: no bounds error on replay');
  });
  it('a claimed invariant that holds at the end', () => rejects([INC], { kind: 'invariant', index: 0 }, 'invariant t.not2 holds at the end of the trace'));
  it('a claimed quiescence at a state that is not final', () => {
    rejects([INC], { kind: 'quiescence', index: 0 }, 'quiescence t.q is not violated at the end of the trace');
  });
  it('a claimed quiescence whose expression is false at a state that is not final', () => {
    rejects([INC], { kind: 'quiescence', index: 1 }, 'quiescence t.q2 is not violated at the end of the trace');
  });
  it('a claimed property index that does not exist', () => {
    rejects([INC, INC], { kind: 'invariant', index: 1 }, 'invariant undefined holds at the end of the trace');
    rejects([INC, INC], { kind: 'quiescence', index: 2 }, 'quiescence undefined is not violated at the end of the trace');
    rejects([INC, INC, CHK], { kind: 'requires', requirement: 1 }, 'step 3: requirement undefined does not fail on replay');
  });
  it('a claimed deadlock at a state with an enabled step', () => rejects([INC], { kind: 'deadlock' }, 'the last state of the trace is not a deadlock'));
  it('a claimed deadlock at a final state', () => {
    // x = 2 is final; halt then disables everything, but a final state is no deadlock.
    rejects([INC, INC, HALT], { kind: 'deadlock' }, 'the last state of the trace is not a deadlock');
  });
  it('a claim of an unknown kind', () => {
    rejects([INC], { kind: 'liveness' } as unknown as RawViolation, 'unexpected claim liveness');
  });
});
