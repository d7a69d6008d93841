/**
 * Rust `ARef<T>` over an `AlwaysRefCounted` object (rust/kernel/sync/aref.rs): each `ARef`
 * owns exactly one increment of the object's refcount. The model tracks how many tokens each
 * thread holds and how many increments were handed out by `ARef::into_raw` and not yet adopted
 * back by `ARef::from_raw` ("raw" increments, e.g. a pointer stored in a C struct).
 *
 * Properties added by `arefs()`:
 * - invariant `aref.count-below-owners`: `count >= live tokens + raw increments + other owners`
 *   (checked while the count is not saturated): nobody put an increment they did not own.
 * - quiescence `aref.leak`: when every thread has finished, `count == other owners`: every
 *   token was dropped and every `into_raw` increment was adopted again (no leaked increment).
 * Operation requirements: `aref.borrow-without-token` (`&T`, `clone` without a live token),
 * `aref.drop-without-token`, `aref.from-raw-without-increment` (adopting an increment nobody
 * handed out: a double put ahead), plus the refcount's own (`refcount.add-on-zero`, ...).
 * The three `aref.*-without-*` requirements are ownership preconditions (a type rule in safe
 * Rust): every operation emitting one takes `{ ownership: 'guard' }` (ownership.ts) to make it
 * the step's guard instead, and `aref_held` / `aref_raw_pending` are the conditions themselves.
 *
 * @example
 * const obj = refObject(m, 'task', { max: 3, init: 1 });
 * const a = arefs(m, 'task', obj.refs, { owners: 1 }); // the creator keeps the initial reference
 * m.program('user', ['T1'], (self) => [
 *   step('get', aref_from(a, self)),
 *   step('use', aref_borrow(a, self)),
 *   step('drop', aref_drop(a, self)),
 * ]);
 */
import type { ModelBuilder } from '../lang/builder.ts';
import type { Ref } from '../lang/expr.ts';
import type { PerThread } from './locks.ts';
import { range } from '../lang/builder.ts';
import type { Expr } from '../lang/ir.ts';
import { ModelError, ex, add, sub, eq, ne, ge, gt, implies, type ExprLike } from '../lang/expr.ts';
import { set, type Stmt, type StmtLike } from '../lang/stmt.ts';
import { refcount_inc, refcount_dec_and_test, type Refcount } from './refcount.ts';
import { requiresOwnership, type OwnershipOptions } from './ownership.ts';
import { KERNEL } from '../../properties/catalogue/index.ts';

/** The `ARef` tokens of one refcounted object. */
export interface ARefs {
  readonly name: string;
  readonly refs: Refcount;
  /** Tokens held by each thread (`<name>.aref`, per thread; one row of it in an `arefArray`). */
  readonly tokens: PerThread;
  /** Increments handed out by `into_raw` and not yet adopted by `from_raw` (`<name>.raw`). */
  readonly raw: Ref;
  /** References owned by others than tokens and raw pointers (e.g. the initial owner). */
  readonly owners: Expr;
  /** Default release for the last `aref_drop`. */
  readonly release: StmtLike[];
  /** All tokens of all threads together. */
  readonly live: Expr;
}

export interface ARefOptions {
  /** Most tokens one thread may hold at once (default 2). */
  maxTokens?: number;
  /** Tokens each thread starts with, by thread name. Their increments must be in the initial count. */
  initial?: Record<string, number>;
  /**
   * The references owned outside tokens, as an expression over the state (default 0).
   * Example: `ite(inTable, 1, 0)` for the reference a lookup table holds.
   */
  owners?: ExprLike;
  /** Run when `aref_drop` puts the last reference (default: nothing). */
  release?: StmtLike[];
}

/**
 * Declare ARef tokens over `refs`, with the invariant and leak check. Example:
 * `const a = arefs(m, 'mm', mm.refs, { release: obj_free(mm) })`.
 */
export function arefs(m: ModelBuilder, name: string, refs: Refcount, opts: ARefOptions = {}): ARefs {
  const maxTokens = opts.maxTokens ?? 2;
  const threads = m.threadSort;
  if (threads.kind !== 'enum') throw new ModelError('arefs: declare m.threads([...]) first');
  const init = threads.values.map((t) => opts.initial?.[t] ?? 0);
  for (const t of Object.keys(opts.initial ?? {})) {
    if (!threads.values.includes(t)) throw new ModelError(`arefs ${name}: no thread named ${t}`);
  }
  if (init.some((n) => n < 0 || n > maxTokens)) throw new ModelError(`arefs ${name}: initial tokens outside 0..${maxTokens}`);
  const tokens = m.var(`${name}.aref`, range(0, maxTokens), init, [threads], `ARef<${name}> tokens held per thread`);
  const raw = m.var(`${name}.raw`, range(0, refs.max), 0, [], `${name} increments handed out by ARef::into_raw`);
  const owners = ex(opts.owners ?? 0);
  const live = threads.values.map((_, i) => tokens.at(i).e).reduce((s, x) => add(s, x));
  const a: ARefs = { name, refs, tokens, raw, owners, release: opts.release ?? [], live };
  m.invariant(KERNEL.aref.countBelowOwners,
    implies(ne(refs.ref, refs.saturated), ge(refs.ref, add(add(live, raw), owners))),
    `${name}: ${KERNEL.aref.countBelowOwners.message}`);
  m.quiescence(KERNEL.aref.leak, eq(refs.ref, owners), `${name}: ${KERNEL.aref.leak.message}`);
  return a;
}

function token(a: ARefs, self: Expr) {
  return a.tokens.at(self);
}

const NO_TOKEN = (a: ARefs) => `${a.name}: ${KERNEL.aref.borrowWithoutToken.message}`;

/** `ARef::from(&T)`: `inc_ref` plus a new token. The `&T` must be valid (`refcount.add-on-zero` otherwise). */
export function aref_from(a: ARefs, self: Expr): Stmt[] {
  const t = token(a, self);
  return [...refcount_inc(a.refs), set(t, add(t, 1))];
}

/**
 * `ARef::clone(&self)`: needs a live token of this thread (`aref.borrow-without-token`, or the
 * guard `aref_held` with `{ ownership: 'guard' }`); the refcount's own requirements stay.
 * Example: `step('clone', aref_clone(a, self))`.
 */
export function aref_clone(a: ARefs, self: Expr, opts: OwnershipOptions = {}): Stmt[] {
  const t = token(a, self);
  return [
    requiresOwnership(KERNEL.aref.borrowWithoutToken, aref_held(a, self), NO_TOKEN(a), opts),
    ...refcount_inc(a.refs),
    set(t, add(t, 1)),
  ];
}

/**
 * `drop(ARef)`: `dec_ref`; the last one runs `release` (default: the one given to `arefs`)
 * in this step. Needs a token of this thread (`aref.drop-without-token`, or the guard
 * `aref_held` with `{ ownership: 'guard' }`). Examples: `step('drop', aref_drop(a, self))`,
 * `step('drop', aref_drop(a, self, a.release, { ownership: 'guard' }))`.
 */
export function aref_drop(a: ARefs, self: Expr, release: StmtLike[] = a.release, opts: OwnershipOptions = {}): Stmt[] {
  const t = token(a, self);
  return [
    requiresOwnership(KERNEL.aref.dropWithoutToken, aref_held(a, self), `${a.name}: ${KERNEL.aref.dropWithoutToken.message}`, opts),
    set(t, sub(t, 1)),
    ...refcount_dec_and_test(a.refs, { release }),
  ];
}

/**
 * `ARef::into_raw`: the token is gone, its increment is now held by a raw pointer (count
 * unchanged). Needs a token of this thread (`aref.drop-without-token`, or the guard `aref_held`
 * with `{ ownership: 'guard' }`). Example: `step('into_raw', aref_into_raw(a, self))`.
 */
export function aref_into_raw(a: ARefs, self: Expr, opts: OwnershipOptions = {}): Stmt[] {
  const t = token(a, self);
  return [
    requiresOwnership(KERNEL.aref.dropWithoutToken, aref_held(a, self), `${a.name}: ARef::into_raw by a thread that holds no ARef`, opts),
    set(t, sub(t, 1)),
    set(a.raw, add(a.raw, 1)),
  ];
}

/**
 * `unsafe ARef::from_raw`: adopt an increment handed out by `into_raw` (count unchanged). Needs
 * one outstanding (`aref.from-raw-without-increment`, or the guard `aref_raw_pending` with
 * `{ ownership: 'guard' }`). Example: `step('from_raw', aref_from_raw(a, self))`.
 */
export function aref_from_raw(a: ARefs, self: Expr, opts: OwnershipOptions = {}): Stmt[] {
  const t = token(a, self);
  return [
    requiresOwnership(KERNEL.aref.fromRawWithoutIncrement, aref_raw_pending(a), `${a.name}: ${KERNEL.aref.fromRawWithoutIncrement.message}`, opts),
    set(a.raw, sub(a.raw, 1)),
    set(t, add(t, 1)),
  ];
}

/**
 * A step that uses `&T` borrowed from this thread's ARef: valid only while a token is alive
 * (`aref.borrow-without-token`, or the guard `aref_held` with `{ ownership: 'guard' }`).
 * Example: `step('use', aref_borrow(a, self))`.
 */
export function aref_borrow(a: ARefs, self: Expr, opts: OwnershipOptions = {}): Stmt[] {
  return [requiresOwnership(KERNEL.aref.borrowWithoutToken, aref_held(a, self), NO_TOKEN(a), opts)];
}

/**
 * Move one token to another thread (`ARef<T>: Send`). Needs a token of this thread
 * (`aref.drop-without-token`, or the guard `aref_held` with `{ ownership: 'guard' }`).
 * Example: `step('send', aref_send(a, self, t.lit('T2')))`.
 */
export function aref_send(a: ARefs, self: Expr, to: ExprLike, opts: OwnershipOptions = {}): Stmt[] {
  const from = token(a, self);
  const dst = a.tokens.at(to);
  return [
    requiresOwnership(KERNEL.aref.dropWithoutToken, aref_held(a, self), `${a.name}: ARef sent by a thread that holds none`, opts),
    set(from, sub(from, 1)),
    set(dst, add(dst, 1)),
  ];
}

/**
 * This thread holds an `ARef` token: the ownership condition of `aref_clone`, `aref_borrow`,
 * `aref_drop`, `aref_into_raw` and `aref_send`. Example:
 * `branch('has_ref', aref_held(a, self), [step('drop', aref_drop(a, self))])`.
 */
export function aref_held(a: ARefs, self: Expr): Expr {
  return gt(token(a, self), 0);
}

/**
 * Some increment handed out by `ARef::into_raw` has not been adopted back by `ARef::from_raw`
 * yet: the ownership condition of `aref_from_raw`. Example:
 * `step('from_raw', guard(aref_raw_pending(a)), aref_from_raw(a, self))`.
 */
export function aref_raw_pending(a: ARefs): Expr {
  return gt(a.raw, 0);
}
