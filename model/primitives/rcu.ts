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
 * - Grace periods: `synchronize_rcu` (a step that notes which threads are inside a read
 *   section, then `synchronize_rcu_wait`, a step that waits until each of them has left it:
 *   sections begun later are not waited for) and `call_rcu` (queues an `rcuCallback` whose
 *   release runs, as its own step, once every section open at the call has ended). Declare
 *   them before the programs (`rcuGracePeriods(m)` / `rcuCallback`): `rcu_read_unlock` ends
 *   the waits, so it must know them when it is generated.
 *   `rcu.sync-in-read-section` (synchronize_rcu in a read section) and `rcu.call-rcu-twice`.
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
import { add, sub, eq, gt, lt, and, not, forall } from '../lang/expr.ts';
import { guard, requires, set, when, type Stmt, type StmtLike } from '../lang/stmt.ts';
import { bool } from '../lang/builder.ts';
import { ModelError } from '../lang/expr.ts';
import { mightSleep, preemptDisable, preemptEnable } from './context.ts';
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
  const gp = gpState(m);
  gp.unlockGenerated = true;
  // Leaving the outermost section ends every grace-period wait on this thread.
  const ends = [...(gp.wait ? threadValues(m).map((w) => set(gp.wait!.at(w, self), false)) : []), ...gp.callbacks.map((cb) => set(cb.wait.at(self), false))];
  return [
    requiresOwnership(KERNEL.rcu.unlockWithoutLock, rcu_read_lock_held(m, self), undefined, opts),
    ...(ends.length ? [when(eq(d, 1), ends)] : []),
    set(d, sub(d, 1)),
    preemptEnable(m, self),
  ];
}

/** What a model declared of grace periods (per builder). */
interface GpState {
  /** `rcu_gp_wait[waiter][reader]`: the waiter's synchronize_rcu still waits for that reader. */
  wait?: Var;
  callbacks: RcuCallback[];
  unlockGenerated: boolean;
}
const gpStates = new WeakMap<ModelBuilder, GpState>();
function gpState(m: ModelBuilder): GpState {
  let s = gpStates.get(m);
  if (!s) { s = { callbacks: [], unlockGenerated: false }; gpStates.set(m, s); }
  return s;
}
function threadValues(m: ModelBuilder): string[] {
  const t = m.threadSort;
  return t.kind === 'enum' ? t.values : [];
}
function declaredEarly(m: ModelBuilder, what: string): void {
  if (gpState(m).unlockGenerated) throw new ModelError(`${what}: declare it before the programs that call rcu_read_unlock (their unlock must end its waits)`);
}

/**
 * Let threads call `synchronize_rcu` (variable `rcu_gp_wait[waiter][reader]`). Call once, before
 * the programs. Example: `rcuGracePeriods(m)`.
 */
export function rcuGracePeriods(m: ModelBuilder): Var {
  const gp = gpState(m);
  if (!gp.wait) {
    declaredEarly(m, 'rcuGracePeriods');
    rcuReadDepth(m);
    gp.wait = m.var('rcu_gp_wait', bool, false, [m.threadSort, m.threadSort], 'synchronize_rcu by [waiter] still waits for [reader] to leave its read section');
  }
  return gp.wait;
}

/**
 * `synchronize_rcu()`, first half: may sleep; notes every thread now inside a read section.
 * Follow it with a step of `synchronize_rcu_wait`. Example:
 * `step('synchronize_rcu', ...synchronize_rcu(m, self)), step('synchronize_rcu.wait', ...synchronize_rcu_wait(m, self))`.
 */
export function synchronize_rcu(m: ModelBuilder, self: Expr): Stmt[] {
  const wait = rcuGracePeriods(m);
  const depth = rcuReadDepth(m);
  return [
    requires(KERNEL.rcu.syncInReadSection, eq(depth.at(self), 0)),
    ...mightSleep(m, self),
    ...threadValues(m).map((t) => set(wait.at(self, t), gt(depth.at(t), 0))),
  ];
}

/** `synchronize_rcu()`, second half: waits until every section it noted has ended. */
export function synchronize_rcu_wait(m: ModelBuilder, self: Expr): Stmt[] {
  const wait = rcuGracePeriods(m);
  return [guard(forall(m.threadSort, (t) => not(wait.at(self, t))))];
}

/** An `rcu_head` with its callback (see `rcuCallback`). */
export interface RcuCallback {
  readonly name: string;
  /** Queued by `call_rcu`, callback not run yet. */
  readonly queued: Var;
  /** `wait[reader]`: the queued callback still waits for that reader's section. */
  readonly wait: Var;
}

/**
 * Declare an `rcu_head` whose callback runs `release` (a free, say) once a grace period after
 * `call_rcu` has passed, as a step of no thread (the RCU callback kthread / softirq). Declare it
 * before the programs. Example: `const cb = rcuCallback(m, 'vma_rcu', obj_free(vma))`.
 */
export function rcuCallback(m: ModelBuilder, name: string, release: StmtLike[]): RcuCallback {
  declaredEarly(m, `rcuCallback ${name}`);
  rcuReadDepth(m);
  const queued = m.var(`${name}.queued`, bool, false, [], `call_rcu queued ${name}; its callback has not run`);
  const wait = m.var(`${name}.rcu_wait`, bool, false, [m.threadSort], `${name}'s callback still waits for this reader's section`);
  const cb: RcuCallback = { name, queued, wait };
  gpState(m).callbacks.push(cb);
  // The run ends once queued callbacks ran (as rcu_barrier() at exit): a check at the end sees the release.
  m.final(not(queued));
  m.action(`rcu_do_batch(${name})`, {
    doc: `${name}'s RCU callback, after its grace period`,
    body: [guard(and(queued, forall(m.threadSort, (t) => not(wait.at(t))))), set(queued, false), ...release],
  });
  return cb;
}

/** `call_rcu(head, func)`: queue the callback behind every read section open now. Never sleeps. */
export function call_rcu(m: ModelBuilder, cb: RcuCallback): Stmt[] {
  const depth = rcuReadDepth(m);
  return [
    requires(KERNEL.rcu.callRcuTwice, not(cb.queued)),
    set(cb.queued, true),
    ...threadValues(m).map((t) => set(cb.wait.at(t), gt(depth.at(t), 0))),
  ];
}
