/**
 * RCU read-side critical sections (include/linux/rcupdate.h): a per-thread nesting depth.
 *
 * What a model gets from it:
 * - `rcu_read_lock`/`rcu_read_unlock` (nesting allowed up to `MAX_RCU_DEPTH`);
 *   `rcu.unlock-without-lock` when a thread unlocks a section it is not in.
 * - `rcu_read_lock_held(m, self)` for `rcu_dereference_check`-style conditions
 *   (typesafe-pool.ts uses it: a SLAB_TYPESAFE_BY_RCU object may be read under RCU).
 * - A read section is atomic context (as in a `!PREEMPT_RCU` kernel; with PREEMPT_RCU,
 *   blocking in it is still "Illegal context switch in RCU read-side critical section"): it
 *   raises the preempt count of context.ts, so any `mightSleep` step inside is `sleep-in-atomic`.
 * - `rcu.read-section-at-exit` (quiescence): a thread finished inside a read section.
 * - `rcu.unlock-without-lock` is an ownership precondition (Rust's `rcu::Guard` is dropped only
 *   by the thread that took it): `rcu_read_unlock(m, self, { ownership: 'guard' })` makes
 *   `rcu_read_lock_held` the step's guard instead (ownership.ts).
 *
 * Not modelled: grace periods (`synchronize_rcu`, `call_rcu`); nothing in the models built on
 * this waits for one. A model that frees memory through RCU needs them added here.
 *
 * @example
 * const p = m.local('p', option(Slot), 'none');
 * m.program('reader', ['T1'], (self) => [
 *   step('rcu_read_lock', rcu_read_lock(m, self), set(p.at(self), tree)),
 *   step('rcu_read_unlock', rcu_read_unlock(m, self)),
 * ]);
 */
import type { ModelBuilder, Var } from '../lang/builder.ts';
import { range } from '../lang/builder.ts';
import type { Expr } from '../lang/ir.ts';
import { add, sub, eq, gt, lt, forall } from '../lang/expr.ts';
import { requires, set, type Stmt } from '../lang/stmt.ts';
import { preemptDisable, preemptEnable } from './context.ts';
import { requiresOwnership, type OwnershipOptions } from './ownership.ts';
import { KERNEL } from '../../properties/catalogue/index.ts';

/** Deepest nesting of read sections a model may use. */
export const MAX_RCU_DEPTH = 2;

/** The per-thread read-section depth (created on first use, once per model). */
export function rcuReadDepth(m: ModelBuilder): Var {
  return m.lazyVar('rcu_read_depth', () => {
    const v = m.var('rcu_read_depth', range(0, MAX_RCU_DEPTH), 0, [m.threadSort], 'rcu_read_lock nesting per thread');
    m.quiescence(KERNEL.rcu.readSectionAtExit, forall(m.threadSort, (t) => eq(v.at(t), 0)));
    return v;
  });
}

/**
 * This thread is inside a read section (`rcu_read_lock_held()`): the ownership condition of
 * `rcu_read_unlock`. Example: `typesafe_read`'s `or(rcu_read_lock_held(m, self), pinned)`.
 */
export function rcu_read_lock_held(m: ModelBuilder, self: Expr): Expr {
  return gt(rcuReadDepth(m).at(self), 0);
}

/** `rcu_read_lock()`: enter a read section. Example: `step('mas_walk', rcu_read_lock(m, self), ...)`. */
export function rcu_read_lock(m: ModelBuilder, self: Expr): Stmt[] {
  const d = rcuReadDepth(m).at(self);
  return [
    requires(KERNEL.rcu.nestingTooDeep, lt(d, MAX_RCU_DEPTH), `${KERNEL.rcu.nestingTooDeep.message} (${MAX_RCU_DEPTH})`),
    set(d, add(d, 1)),
    preemptDisable(m, self),
  ];
}

/**
 * `rcu_read_unlock()`: leave the innermost read section. Only inside one (`rcu.unlock-without-lock`,
 * or the guard `rcu_read_lock_held` with `{ ownership: 'guard' }`). Example:
 * `step('rcu_read_unlock', rcu_read_unlock(m, self))`.
 */
export function rcu_read_unlock(m: ModelBuilder, self: Expr, opts: OwnershipOptions = {}): Stmt[] {
  const d = rcuReadDepth(m).at(self);
  return [
    requiresOwnership(KERNEL.rcu.unlockWithoutLock, rcu_read_lock_held(m, self), undefined, opts),
    set(d, sub(d, 1)),
    preemptEnable(m, self),
  ];
}
