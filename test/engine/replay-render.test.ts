/**
 * What checker/replay.ts makes of a replayed path: the readable trace (renderTrace) and the
 * detail a `bounds` violation's message gets from the interpreter (withBoundsDetail).
 */
import { describe, expect, it } from 'vitest';
import { model, range, step, set, add, guard, eq, lt } from '../../model/lang/index.ts';
import { instancesOf } from '../../checker/interpreter.ts';
import { replayPath, renderTrace, withBoundsDetail } from '../../checker/replay.ts';
import type { PropertyRef } from '../../checker/result.ts';

describe('renderTrace', () => {
  it('steps carry index, action, params, thread, the state after, and the action\'s location', () => {
    const m = model('render');
    m.threads(['T1', 'T2']);
    const x = m.var('x', range(0, 2), 0);
    m.program('inc', ['T1', 'T2'], () => [step('bump', set(x, add(x, 1)))]);
    const built = m.build();
    const all = instancesOf(built);
    // Instance 0 is bump by T1, 1 bump by T2; T2 goes first.
    const path = [1, 0];
    const trace = renderTrace(built, path, replayPath(built, path, undefined, all), all);
    const loc = built.actions[0].loc!;
    expect(loc.line).toBeGreaterThan(0);
    expect(trace.initial).toEqual({ pc: { T1: 'bump', T2: 'bump' }, x: 0 });
    expect(trace.steps).toEqual([
      { index: 1, action: 'bump', params: { self: 'T2' }, thread: 'T2', state: { pc: { T1: 'bump', T2: 'done' }, x: 1 }, loc },
      { index: 2, action: 'bump', params: { self: 'T1' }, thread: 'T1', state: { pc: { T1: 'done', T2: 'done' }, x: 2 }, loc },
    ]);
    expect(trace.vars!.map((v) => [v.name, v.sort.kind, v.index.length])).toEqual([['pc', 'enum', 1], ['x', 'range', 0]]);
    expect(trace.vars![1]).toEqual({ name: 'x', sort: { kind: 'range', lo: 0, hi: 2 }, index: [] });
    expect(trace.threads).toEqual(['T1', 'T2']);
  });

  it('a model without threads: no thread on a step, no threads list', () => {
    const m = model('render-plain');
    const x = m.var('x', range(0, 1), 0);
    m.action('up', { body: [guard(lt(x, 1)), set(x, 1)] });
    m.noDeadlockCheck();
    const built = m.build();
    const trace = renderTrace(built, [0], replayPath(built, [0]));
    expect(trace.steps[0]).not.toHaveProperty('thread');
    expect(trace).not.toHaveProperty('threads');
  });
});

describe('withBoundsDetail', () => {
  /**
   * i runs 0..3 over arr's cells 0..1. `peek` reads arr[i] in its guard and moves i on, so
   * after two peeks (i = 2) the third fails the guard's index check; `jump` writes i := i + 4,
   * outside 0..3 from any i.
   */
  const m = model('bounds-detail');
  const i = m.var('i', range(0, 3), 0);
  const arr = m.var('arr', range(0, 1), 0, [range(0, 1)]);
  m.action('peek', { body: [guard(eq(arr.at(i), 0)), set(i, add(i, 1))] });
  m.action('jump', { body: [set(i, add(i, 4))] });
  m.noDeadlockCheck();
  const built = m.build();
  const PEEK = 0, JUMP = 1;
  const ref: PropertyRef = { id: 'bounds', kind: 'bounds', class: 'unsound', message: 'a value left the range of its declared sort' };

  it('an index out of range in the guard: the index and the array, at the state before the step', () => {
    expect(withBoundsDetail(ref, built, [PEEK, PEEK, PEEK]).message).toBe('a value left the range of its declared sort: arr: index 2 outside 0..1');
  });
  it('an assignment out of range: the value written, after the steps before it', () => {
    expect(withBoundsDetail(ref, built, [JUMP]).message).toBe('a value left the range of its declared sort: i := 4 is outside 0..3');
    expect(withBoundsDetail(ref, built, [PEEK, JUMP]).message).toBe('a value left the range of its declared sort: i := 5 is outside 0..3');
  });
  it('other properties, and an empty path, are returned unchanged', () => {
    const inv: PropertyRef = { ...ref, id: 't.x', kind: 'invariant' };
    expect(withBoundsDetail(inv, built, [JUMP])).toBe(inv);
    expect(withBoundsDetail(ref, built, [])).toBe(ref);
    // A path whose last step is in range has no detail to add.
    expect(withBoundsDetail(ref, built, [PEEK])).toBe(ref);
  });
});
