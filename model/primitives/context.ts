/**
 * Execution context: a per-thread preempt count (spinlocks and other atomic sections raise
 * it) and `might_sleep()`, which every sleeping operation calls. Sleeping while the count is
 * non-zero is the kernel's "sleeping function called from invalid context".
 */
import type { ModelBuilder, Var } from '../lang/builder.ts';
import { range } from '../lang/builder.ts';
import type { Expr } from '../lang/ir.ts';
import { eq, add, sub } from '../lang/expr.ts';
import { requires, set, tag, type Stmt } from '../lang/stmt.ts';
import { KERNEL } from '../../properties/catalogue/index.ts';

/** Deepest nesting of atomic sections a model may use. */
export const MAX_PREEMPT_DEPTH = 3;

/** The per-thread `preempt_count` (created on first use). */
export function preemptCount(m: ModelBuilder): Var {
  return m.lazyVar('preempt_count', () =>
    m.var('preempt_count', range(0, MAX_PREEMPT_DEPTH), 0, [m.threadSort], 'atomic-section depth per thread'));
}

/**
 * `might_sleep()`: a step that may sleep. Example: `step('mmput', mightSleep(m, self), ...mm.mmput(self))`.
 */
export function mightSleep(m: ModelBuilder, self: Expr): Stmt[] {
  return [
    requires(KERNEL.context.sleepInAtomic, eq(preemptCount(m).at(self), 0)),
    tag('might_sleep'),
  ];
}

/** Enter an atomic section (`preempt_disable`, taken by `spin_lock`). */
export function preemptDisable(m: ModelBuilder, self: Expr): Stmt {
  const pc = preemptCount(m).at(self);
  return set(pc, add(pc, 1));
}

/** Leave an atomic section. */
export function preemptEnable(m: ModelBuilder, self: Expr): Stmt {
  const pc = preemptCount(m).at(self);
  return set(pc, sub(pc, 1));
}
