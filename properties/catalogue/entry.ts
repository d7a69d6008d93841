/**
 * One entry of the kernel property catalogue: a property a primitive (or a protocol model)
 * generates, with its class and what the kernel itself does at that point.
 */
import type { PropertyClass } from '../classes.ts';
import type { PropertyKind } from '../kinds.ts';

/** What a model needs to declare a property: its id, one-line message and (optionally) class. */
export interface PropertyDecl {
  readonly id: string;
  readonly message: string;
  readonly class?: PropertyClass;
}

/**
 * A kernel property. `kernel` says what the kernel does here, naming the function or commit
 * (`refcount_warn_saturate()`, `9a9ab0d96362`), so a report can say why the rule exists.
 *
 * @example
 * const e: KernelProperty = {
 *   id: 'refcount.add-on-zero', kind: 'requires', class: 'unsound',
 *   message: 'refcount_t: addition on 0; use-after-free.',
 *   kernel: 'refcount_inc() on 0: refcount_warn_saturate(REFCOUNT_ADD_UAF) WARNs and saturates (lib/refcount.c)',
 * };
 */
export interface KernelProperty extends PropertyDecl {
  readonly kind: PropertyKind;
  readonly class: PropertyClass;
  readonly kernel: string;
  /**
   * `'ownership'`: the caller holds the handle, lock or reference the operation consumes: a
   * type rule in safe Rust (dropping an `ARef` one does not hold, `mutex_unlock` by a
   * non-owner). Absent: a kernel precondition (`refcount_inc` on 0, sleeping in atomic context,
   * recursive locking, use after free). A primitive may emit an ownership entry as a `guard`
   * instead of a `requires` (its `ownership: 'guard'` option), for a client in which such a call
   * cannot be written.
   *
   * @example
   * const e: KernelProperty = {
   *   id: 'mutex.unlock-not-owner', kind: 'requires', class: 'unsound', precondition: 'ownership',
   *   message: 'mutex_unlock by a thread that does not own it',
   *   kernel: '`mutex_unlock()` by a task that is not the owner: `__mutex_unlock_slowpath()` warns',
   * };
   */
  readonly precondition?: 'ownership';
}

/** Check a group of entries at compile time while keeping their literal keys. */
export function group<const T extends Record<string, KernelProperty>>(entries: T): T {
  return entries;
}
