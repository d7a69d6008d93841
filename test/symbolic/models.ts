/**
 * Tiny models for the symbolic tests, each with a hand-computed shortest violation (or proof):
 * the file states the expected length and property next to each model.
 */
import {
  model, range, bool, option, guard, set, add, eq, ne, lt, le, not, and, requires, ite, count, step, param, type Model,
} from '../../model/lang/index.ts';

/** Invariant `x == 1` is false in the initial state: violation at length 0. */
export function initBad(): Model {
  const m = model('init-bad');
  const x = m.var('x', range(0, 1), 0);
  m.action('set', { body: [set(x, 1)] });
  m.invariant('init-bad.x-is-1', 'x is 1', eq(x, 1));
  return m.build();
}

/** No action is ever enabled and the state is not final: deadlock at length 0. */
export function stuck(): Model {
  const m = model('stuck');
  const x = m.var('x', range(0, 1), 0);
  m.action('never', { body: [guard(eq(x, 1)), set(x, 0)] });
  m.final(eq(x, 1));
  return m.build();
}

/** `use` requires `ready`, which only `prepare` sets: `use` first is a violation at length 1. */
export function useBeforeReady(): Model {
  const m = model('use-before-ready');
  const ready = m.var('ready', bool, false);
  const used = m.var('used', bool, false);
  m.action('prepare', { body: [guard(not(ready)), set(ready, true)] });
  m.action('use', { body: [guard(not(used)), requires('ready.use-before-ready', 'used before prepared', ready), set(used, true)] });
  m.noDeadlockCheck();
  return m.build();
}

/**
 * `inc` counts x up to 2; `peek`'s guard reads arr[x] over indices 0..1. At x = 2 (after two
 * incs) evaluating the guard leaves the index sort: `bounds` on step 3 (inc, inc, peek).
 */
export function peekOutOfRange(): Model {
  const m = model('peek');
  const x = m.var('x', range(0, 2), 0);
  const arr = m.var('arr', range(0, 1), 0, [range(0, 1)]);
  const seen = m.var('seen', bool, false);
  m.action('inc', { body: [guard(lt(x, 2)), set(x, add(x, 1))] });
  m.action('peek', { body: [guard(eq(arr.at(x), 0)), set(seen, true)] });
  m.noDeadlockCheck();
  return m.build();
}

/** `inc` sets x := x + 1 with x in 0..1 and no guard: the second inc leaves the sort (length 2). */
export function overflow(): Model {
  const m = model('overflow');
  const x = m.var('x', range(0, 1), 0);
  m.action('inc', { body: [set(x, add(x, 1))] });
  return m.build();
}

/**
 * `bad` fails its requirement and also assigns out of range; the requirement is checked first,
 * so the violation is the requirement (length 1), as in the interpreter.
 */
export function requiresBeforeBounds(): Model {
  const m = model('requires-first');
  const x = m.var('x', range(0, 1), 1);
  m.action('bad', { body: [requires('rb.x-is-0', 'x must be 0', eq(x, 0)), set(x, add(x, 1))] });
  m.noDeadlockCheck();
  return m.build();
}

/** `finish` makes the state final (x = 1) with y still 0: quiescence fails at length 1. */
export function leak(): Model {
  const m = model('leak');
  const x = m.var('x', range(0, 1), 0);
  const y = m.var('y', range(0, 1), 0);
  m.action('finish', { body: [guard(eq(x, 0)), set(x, 1)] });
  m.action('release', { body: [guard(eq(y, 0)), set(y, 1)] });
  m.final(eq(x, 1));
  m.quiescence('leak.y-released', 'y released at the end', eq(y, 1));
  return m.build();
}

/**
 * `step` copies x into y and counts x up (saturating at 3). `y <= x` holds in every reachable
 * state but not in every state (y = 3, x = 0): not 0-inductive; one step from any state makes
 * y = x_old <= x_new, so it is 1-inductive. k = 1 exactly.
 */
export function lagging(): Model {
  const m = model('lagging');
  const x = m.var('x', range(0, 3), 0);
  const y = m.var('y', range(0, 3), 0);
  m.action('step', { body: [set(y, x), set(x, ite(lt(x, 3), add(x, 1), x))] });
  m.invariant('lagging.y-le-x', 'y never passes x', le(y, x));
  m.noDeadlockCheck();
  return m.build();
}

/**
 * `n` interchangeable workers (`m.symmetric`), each running `lock` (wait for `locked` false and
 * take it) then `unlock`. Invariant: at most one worker at `unlock` (inside the critical section).
 * For any n, the number of workers at `unlock` equals `locked` (0 or 1). `broken`: `lock` does not
 * wait, so two workers get in (a violation at length 2).
 */
export function mutexWorkers(n: number, broken = false): Model {
  const m = model(broken ? 'mutex-broken' : 'mutex');
  m.bounds = { workers: n };
  const members = Array.from({ length: n }, (_, i) => `T${i + 1}`);
  const T = m.threads(members);
  m.symmetric(members);
  const locked = m.var('locked', bool, false);
  m.program('worker', members, () => [
    step('lock', ...(broken ? [] : [guard(not(locked))]), set(locked, true)),
    step('unlock', set(locked, false)),
  ]);
  m.invariant('mutex.one-in-crit', 'at most one worker in the critical section', le(count(T.sort, (t) => m.atLabel(t, 'unlock')), 1));
  return m.build();
}

/**
 * Workers that wait (`waiting[self]`) and wake one another: `wake(self, other)` reads
 * `waiting[other]`, another member's local variable, so member counts cannot express the step.
 */
export function wakeOther(n: number): Model {
  const m = model('wake-other');
  m.bounds = { workers: n };
  const members = Array.from({ length: n }, (_, i) => `T${i + 1}`);
  const T = m.threads(members);
  m.symmetric(members);
  const waiting = m.var('waiting', bool, false, [T.sort]);
  const self = param('self', T.sort), other = param('other', T.sort);
  m.action('wait', { params: [self], thread: 'self', body: [guard(not(waiting.at(self))), set(waiting.at(self), true)] });
  m.action('wake', { params: [self, other], thread: 'self', body: [guard(and(ne(self, other), waiting.at(other))), set(waiting.at(other), false)] });
  m.noDeadlockCheck();
  return m.build();
}

/**
 * One member at a time owns `owner` (a thread-valued variable, a lock's owner) and only the owner
 * releases it. `broken`: take does not wait for a free owner, so with 2 workers the second take
 * overwrites the first's ownership and the first's release fails its requirement (3 steps:
 * take, take, drop by the first).
 */
export function ownerId(n: number, broken = false): Model {
  const m = model('owner-id');
  m.bounds = { workers: n };
  const members = Array.from({ length: n }, (_, i) => `T${i + 1}`);
  const T = m.threads(members);
  m.symmetric(members);
  const owner = m.var('owner', option(T.sort), 'none');
  m.program('worker', members, (self) => [
    step('take', ...(broken ? [] : [guard(eq(owner, 'none'))]), set(owner, self)),
    step('drop', requires('owner.not-owner', 'released by a thread that does not own it', eq(owner, self)), set(owner, 'none')),
  ]);
  return m.build();
}

/** A member hands a token from one member to another (two member parameters besides none stepping): refused. */
export function relay(n: number): Model {
  const m = model('relay');
  m.bounds = { workers: n };
  const members = Array.from({ length: n }, (_, i) => `T${i + 1}`);
  const T = m.threads([...members, 'hub']);
  m.symmetric(members);
  const token = m.var('token', bool, false, [T.sort]);
  const ids = members.map((_, i) => i);
  const self = param('self', T.sort, [n]), from = param('from', T.sort, ids), to = param('to', T.sort, ids);
  m.action('hand', { params: [self, from, to], thread: 'self', body: [guard(and(ne(from, to), token.at(from))), set(token.at(from), false), set(token.at(to), true)] });
  m.noDeadlockCheck();
  return m.build();
}

/**
 * Workers each finish; the hub, a non-member, then releases: its guard is spelled once per worker
 * (`done[T1] and done[T2]`). Invariant `not released` fails after n+1 steps. (The counter
 * abstraction once folded such a guard into "every thread is done", the hub included, so the
 * hub never stepped and the abstraction missed the violation.)
 */
export function barrier(n: number): Model {
  const m = model('barrier');
  m.bounds = { workers: n };
  const members = Array.from({ length: n }, (_, i) => `T${i + 1}`);
  const T = m.threads([...members, 'hub']);
  m.symmetric(members);
  const done = m.var('done', bool, false, [T.sort]);
  const released = m.var('released', bool, false);
  m.program('worker', members, (self) => [step('finish', set(done.at(self), true))]);
  m.program('hub', ['hub'], () => [step('release', guard(and(...members.map((w) => done.at(T.lit(w))))), set(released, true))]);
  m.invariant('barrier.not-released', 'the hub released', not(released));
  return m.build();
}
