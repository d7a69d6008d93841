/**
 * Ownership preconditions: "the calling thread holds the handle, lock or reference this
 * operation consumes" (catalogue entries with `precondition: 'ownership'`). In a hand-written
 * client such a call by a non-holder is a mis-modelled client, so it is a `requires` violation
 * (the default). In a generated "most general client" of an API it is an ill-typed call (safe
 * Rust cannot write it), not a client at all: with `ownership: 'guard'` the operation emits the
 * condition as a `guard`, so the step is simply not enabled for a non-holder. Kernel
 * preconditions of the same operation (`refcount.add-on-zero`, `sleep-in-atomic`, `*.recursive`,
 * use-after-free) stay `requires` either way.
 *
 * Operations with an ownership option and their predicates:
 *
 * | operation                                   | entry                              | predicate                    |
 * |---------------------------------------------|------------------------------------|------------------------------|
 * | `aref_clone`, `aref_borrow`                 | `aref.borrow-without-token`        | `aref_held(a, self)`         |
 * | `aref_drop`, `aref_into_raw`, `aref_send`   | `aref.drop-without-token`          | `aref_held(a, self)`         |
 * | `aref_from_raw`                             | `aref.from-raw-without-increment`  | `aref_raw_pending(a)`        |
 * | `mm.mmput`, `mm.mmputAsync`                 | `mm.mmput-without-reference`       | `mm_users_held(mm, self)`    |
 * | `mm.mmdrop`                                 | `mm.mmdrop-without-reference`      | `mm_count_held(mm, self)`    |
 * | `mm.access`                                 | `mm.access-without-mm_users`       | `mm_users_held(mm, self)`    |
 * | `mutex_unlock`                              | `mutex.unlock-not-owner`           | `mutex_is_owner(mu, self)`   |
 * | `spin_unlock`                               | `spinlock.unlock-not-owner`        | `spin_is_owner(sl, self)`    |
 * | `up_read`                                   | `rwsem.unlock-not-owner`           | `rwsem_is_read_owner(s, self)`  |
 * | `up_write`                                  | `rwsem.unlock-not-owner`           | `rwsem_is_write_owner(s, self)` |
 * | `downgrade_write`                           | `rwsem.downgrade-not-owner`        | `rwsem_is_write_owner(s, self)` |
 * | `rcu_read_unlock`                           | `rcu.unlock-without-lock`          | `rcu_read_lock_held(m, self)`   |
 *
 * @example
 * // a most general client: T1 may call mutex_unlock only while it owns the mutex
 * step('mutex_unlock', mutex_unlock(mu, self, { ownership: 'guard' }));
 */
import type { ExprLike } from '../lang/expr.ts';
import { ModelError } from '../lang/expr.ts';
import { guard, requires, type Stmt } from '../lang/stmt.ts';
import type { KernelProperty } from '../../properties/catalogue/index.ts';

/** How an operation states its ownership precondition: a safety condition or an enabling condition. */
export type OwnershipMode = 'requires' | 'guard';

/** The option every operation with an ownership precondition takes. */
export interface OwnershipOptions {
  /**
   * `'requires'` (default): a non-holder taking the step violates the ownership entry.
   * `'guard'`: the step is not enabled for a non-holder (a generated client cannot make the call).
   */
  ownership?: OwnershipMode;
}

/**
 * The ownership precondition `cond` of an operation, as `requires(entry, cond, message)` or as
 * `guard(cond)`. `entry` must be a catalogue entry with `precondition: 'ownership'`. Example:
 * `requiresOwnership(KERNEL.mutex.unlockNotOwner, mutex_is_owner(mu, self), 'mutex_unlock(mu) by a non-owner', opts)`.
 */
export function requiresOwnership(entry: KernelProperty, cond: ExprLike, message: string | undefined, opts: OwnershipOptions = {}): Stmt {
  if (entry.precondition !== 'ownership') {
    throw new ModelError(`${entry.id} is a kernel precondition, not an ownership one: it cannot become a guard`);
  }
  const mode = opts.ownership ?? 'requires';
  if (mode === 'guard') return guard(cond);
  if (mode !== 'requires') throw new ModelError(`ownership must be 'requires' or 'guard', got ${String(mode)}`);
  return requires(entry, cond, message);
}
