/**
 * `refcount_t` and `kref` (include/linux/refcount.h, lib/refcount.c, include/linux/kref.h).
 *
 * Domain: the range `0..max+1`, where `0..max` are ordinary counts and `max + 1` stands for
 * `REFCOUNT_SATURATED` (the kernel's INT_MIN/2: a negative "bad" value that never reaches 0
 * again, so the object is leaked rather than double-freed). Every case where the kernel calls
 * `refcount_warn_saturate()` is a `requires` violation with the kernel's message, and the
 * counter is left saturated, as the kernel leaves it:
 *
 * | op                      | old = 0                 | old = max            | old = SAT            |
 * |-------------------------|-------------------------|----------------------|----------------------|
 * | `refcount_inc`          | `refcount.add-on-zero`  | `refcount.saturated` | `refcount.saturated` |
 * | `refcount_inc_not_zero` | fails, count unchanged  | `refcount.saturated` | `refcount.saturated` |
 * | `refcount_dec_and_test` | `refcount.underflow`    | `max - 1`            | `refcount.underflow` |
 * | `refcount_dec`          | `refcount.dec-leak`     | `max - 1`            | `refcount.dec-leak`  |
 *
 * `refcount_dec` at 1 is `refcount.dec-leak` too (it must never drop the last reference).
 * `max` is a model bound, not `INT_MAX`: a `refcount.saturated` report means "raise max" as
 * often as it means a real overflow.
 *
 * Operations return statement lists for `step(...)` bodies. An operation with a result
 * (`refcount_inc_not_zero`, `refcount_dec_and_test`) writes it into a location the caller
 * supplies (`ok`, usually a per-thread local) so a later `branch` can read it, and/or runs the
 * caller's `then`/`else` statements in the same atomic step.
 *
 * @example
 * const obj = refObject(m, 'obj', { max: 2, init: 1 });
 * const got = m.local('got', bool, false);
 * m.program('lookup', ['T1'], (self) => [
 *   step('get', kref_get_unless_zero(obj.refs, { ok: got.at(self) })),
 *   branch('found', got.at(self), [
 *     step('use', obj_use(obj)),
 *     step('put', kref_put(obj.refs, obj_free(obj))),
 *   ]),
 * ]);
 */
import type { ModelBuilder, Var } from '../lang/builder.ts';
import { range, bool } from '../lang/builder.ts';
import type { Expr, Sort } from '../lang/ir.ts';
import { Ref, ModelError, add, sub, eq, ne, lt, ge, gt, le, and, or, not, ite, type ExprLike } from '../lang/expr.ts';
import { requires, set, when, type Stmt, type StmtLike } from '../lang/stmt.ts';
import { KERNEL } from '../../properties/catalogue/index.ts';

/** A `refcount_t` (or the `refcount` inside a `kref`): one counter location and its bound. */
export interface Refcount {
  /** The counter: a scalar variable or one cell of an array. */
  readonly ref: Ref;
  /** Largest ordinary count. */
  readonly max: number;
  /** The value standing for `REFCOUNT_SATURATED`: `max + 1`. */
  readonly saturated: number;
}

/** `struct kref`: a `refcount_t` with kref's names for the operations. */
export type Kref = Refcount;

export interface RefcountOptions {
  /** Largest ordinary count (default 3). */
  max?: number;
  /** Initial count (default 0: not yet initialised; use 1 for an object that starts owned). */
  init?: number;
  doc?: string;
}

/** The sort of a counter with ordinary counts `0..max`: `0..max+1` (the last is SATURATED). */
export function refcountSort(max: number): Sort {
  if (!Number.isInteger(max) || max < 1) throw new ModelError(`refcount max must be an integer of at least 1, got ${max}`);
  return range(0, max + 1);
}

function checkInit(name: string, init: number, max: number): void {
  if (!Number.isInteger(init) || init < 0 || init > max + 1) {
    throw new ModelError(`refcount ${name}: initial count ${init} is outside 0..${max + 1}`);
  }
}

/**
 * Declare a `refcount_t` state variable. Example: `const r = refcount(m, 'vma.refcnt', { max: 2, init: 1 })`.
 */
export function refcount(m: ModelBuilder, name: string, opts: RefcountOptions = {}): Refcount {
  const max = opts.max ?? 3;
  const init = opts.init ?? 0;
  checkInit(name, init, max);
  const v = m.var(name, refcountSort(max), init, [], opts.doc ?? 'refcount_t (max+1 = REFCOUNT_SATURATED)');
  return { ref: v, max, saturated: max + 1 };
}

/** A family of counters, one per index (e.g. one per page). */
export interface RefcountArray {
  readonly var: Var;
  readonly max: number;
  /** The counter at the given indices. */
  at(...idx: ExprLike[]): Refcount;
}

/**
 * Declare an array of `refcount_t`s. Example:
 * `const refs = refcountArray(m, 'page.refs', [Page], { max: 2, init: 1 }); step('get', refcount_inc(refs.at(p)))`.
 */
export function refcountArray(m: ModelBuilder, name: string, index: Sort[], opts: RefcountOptions = {}): RefcountArray {
  const max = opts.max ?? 3;
  const init = opts.init ?? 0;
  checkInit(name, init, max);
  const v = m.var(name, refcountSort(max), init, index, opts.doc ?? 'refcount_t per index (max+1 = REFCOUNT_SATURATED)');
  return { var: v, max, at: (...idx) => ({ ref: v.at(...idx), max, saturated: max + 1 }) };
}

/** `refcount_read(r)`: the counter's value (SATURATED reads as `max + 1`). */
export function refcount_read(r: Refcount): Expr {
  return r.ref.e;
}

/** The counter holds an ordinary, non-zero count (`1..max`): someone owns a reference. */
export function refcount_live(r: Refcount): Expr {
  return and(gt(r.ref, 0), le(r.ref, r.max));
}

/** The counter is saturated. */
export function refcount_saturated(r: Refcount): Expr {
  return eq(r.ref, r.saturated);
}

/**
 * `refcount_set(r, n)`: for an object not yet published. Example: `step('init', refcount_set(r, 1))`.
 */
export function refcount_set(r: Refcount, n: ExprLike): Stmt[] {
  return [set(r.ref, n)];
}

/**
 * `refcount_inc(r)`: the caller must already own a reference. Example: `step('get', refcount_inc(r))`.
 */
export function refcount_inc(r: Refcount): Stmt[] {
  const c = r.ref;
  return [
    requires(KERNEL.refcount.addOnZero, ne(c, 0)),
    requires(KERNEL.refcount.saturated, lt(c, r.max)),
    set(c, ite(or(eq(c, 0), ge(c, r.max)), r.saturated, add(c, 1))),
  ];
}

/** Where an operation's result goes: a location to write the flag into, and/or statements to run. */
export interface Outcome {
  /** Set to true on success, false on failure (e.g. `got.at(self)` for a per-thread local). */
  ok?: Ref;
  /** Run in the same step on success (after the counter changed). */
  then?: StmtLike[];
  /** Run in the same step on failure. */
  else?: StmtLike[];
}

/** The statements of an outcome, for a success condition read before the operation's writes. */
export function outcome(cond: Expr, effects: { then: StmtLike[]; else: StmtLike[] }, o: Outcome = {}): Stmt {
  return when(cond,
    [...effects.then, ...(o.ok ? [set(o.ok, true)] : []), ...(o.then ?? [])],
    [...effects.else, ...(o.ok ? [set(o.ok, false)] : []), ...(o.else ?? [])]);
}

/**
 * `refcount_inc_not_zero(r)`: take a reference unless the count is 0 (the object is dying).
 * The caller keeps the object's memory stable (lock, RCU). Example:
 * `step('get', refcount_inc_not_zero(r, { ok: got.at(self) }))`, then `branch('found', got.at(self), …)`.
 */
export function refcount_inc_not_zero(r: Refcount, o: Outcome = {}): Stmt[] {
  const c = r.ref;
  return [
    requires(KERNEL.refcount.saturated, or(eq(c, 0), lt(c, r.max))),
    outcome(ne(c, 0), { then: [set(c, ite(ge(c, r.max), r.saturated, add(c, 1)))], else: [] }, o),
  ];
}

export interface DecAndTestOutcome {
  /** Set to true when this put dropped the last reference (`refcount_dec_and_test` returned true). */
  ok?: Ref;
  /** The release, run in the same step when the count hits 0 (e.g. `obj_free(obj)`). */
  release?: StmtLike[];
  /** Run in the same step when the count did not hit 0. */
  else?: StmtLike[];
}

/**
 * `refcount_dec_and_test(r)`: drop a reference; at 0 the caller must free, so the `release`
 * statements run in this same step. Example: `step('put', refcount_dec_and_test(r, { release: obj_free(obj) }))`.
 */
export function refcount_dec_and_test(r: Refcount, o: DecAndTestOutcome = {}): Stmt[] {
  const c = r.ref;
  return [
    requires(KERNEL.refcount.underflow, refcount_live(r)),
    outcome(eq(c, 1), {
      then: [set(c, 0)],
      else: [set(c, ite(refcount_live(r), sub(c, 1), r.saturated))],
    }, { ok: o.ok, then: o.release, else: o.else }),
  ];
}

/**
 * `refcount_dec(r)`: drop a reference that is never the last one. Example: `step('unpin', refcount_dec(r))`.
 */
export function refcount_dec(r: Refcount): Stmt[] {
  const c = r.ref;
  const fine = and(ge(c, 2), le(c, r.max));
  return [
    requires(KERNEL.refcount.decLeak, fine),
    set(c, ite(fine, sub(c, 1), r.saturated)),
  ];
}

/** Declare a `struct kref` (a `refcount_t`). Example: `const k = kref(m, 'binder_node.ref', { max: 2, init: 1 })`. */
export function kref(m: ModelBuilder, name: string, opts: RefcountOptions = {}): Kref {
  return refcount(m, name, opts);
}

/** `kref_init(k)`: count = 1. */
export function kref_init(k: Kref): Stmt[] {
  return refcount_set(k, 1);
}

/** `kref_read(k)`. */
export function kref_read(k: Kref): Expr {
  return refcount_read(k);
}

/** `kref_get(k)` = `refcount_inc`: only with a reference already held. Example: `step('get', kref_get(k))`. */
export function kref_get(k: Kref): Stmt[] {
  return refcount_inc(k);
}

/**
 * `kref_put(k, release)`: drop a reference; the last one runs `release` in this step.
 * Example: `step('put', kref_put(k, [set(inTable, false), ...obj_free(obj)]))`.
 */
export function kref_put(k: Kref, release: StmtLike[] = [], o: Omit<DecAndTestOutcome, 'release'> = {}): Stmt[] {
  return refcount_dec_and_test(k, { ...o, release });
}

/**
 * `kref_get_unless_zero(k)` = `refcount_inc_not_zero`; check the result. Example:
 * `step('get', kref_get_unless_zero(k, { ok: got.at(self) }))`.
 */
export function kref_get_unless_zero(k: Kref, o: Outcome = {}): Stmt[] {
  return refcount_inc_not_zero(k, o);
}

/** A refcounted object: its counter and whether its memory has been freed. */
export interface RefObject {
  readonly name: string;
  readonly refs: Refcount;
  /** True once the release freed the object: a variable, or one cell of a `refObjectArray` (arrays.ts). */
  readonly freed: Ref;
}

/**
 * Declare a refcounted object (`<name>.refs`, `<name>.freed`). Example:
 * `const obj = refObject(m, 'node', { max: 2, init: 1 })`.
 */
export function refObject(m: ModelBuilder, name: string, opts: RefcountOptions = {}): RefObject {
  const refs = refcount(m, `${name}.refs`, { init: 1, ...opts });
  const freed = m.var(`${name}.freed`, bool, false, [], `${name} has been freed`);
  return { name, refs, freed };
}

/** Free the object (the usual release). Freeing it twice is `refcount.double-free`. */
export function obj_free(o: RefObject): Stmt[] {
  return [
    requires(KERNEL.refcount.doubleFree, not(o.freed), `${o.name} freed twice`),
    set(o.freed, true),
  ];
}

/** A step that dereferences the object: `refcount.use-after-free` once it is freed. */
export function obj_use(o: RefObject): Stmt[] {
  return [requires(KERNEL.refcount.useAfterFree, not(o.freed), `${o.name} used after it was freed`)];
}
