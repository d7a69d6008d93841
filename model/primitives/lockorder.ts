/**
 * A lockdep-style lock-order graph (kernel/locking/lockdep.c, in spirit): lock classes, a bool
 * array `lockdep.order[a][b]` ("b was acquired while a was held") and, per thread, the classes
 * it holds. Taking a lock of class `b` while holding class `a` adds the edge `a -> b`; the
 * invariant `lockdep.cycle` (`not(cyclic(lockdep.order))`) reports a possible deadlock as soon
 * as the graph has a cycle, even in a run where the deadlock itself never happens (e.g. the two
 * orders taken one after the other). A self-loop (class taken while held) counts: recursive locking.
 *
 * Like the kernel, lockdep's check can run when a lock call starts, before it waits:
 * `lockSteps` makes a lock call two interleaving points (`<label>`: lockdep records the
 * dependency; `<label>.acquired`: the blocking acquisition). With it, an ABBA pair of threads
 * hits `lockdep.cycle` before they deadlock; with one-step lock calls the edges are recorded at
 * acquisition only. Trylocks never add edges (they cannot deadlock) but the lock counts as held.
 * One lock instance per class: `held` is a bool per class.
 *
 * @example
 * const ld = lockdep(m, ['A', 'B']);
 * const a = mutex(m, 'a', { lockClass: lockClass(ld, 'A') });
 * const b = mutex(m, 'b', { lockClass: lockClass(ld, 'B') });
 * m.program('ab', ['T1'], (self) => [
 *   ...lockSteps('lock_a', a, self, mutex_lock(a, self)),
 *   ...lockSteps('lock_b', b, self, mutex_lock(b, self)),
 *   step('unlock_b', mutex_unlock(b, self)), step('unlock_a', mutex_unlock(a, self)),
 * ]);
 */
import type { ModelBuilder, Var } from '../lang/builder.ts';
import { bool, enumeration, cyclic } from '../lang/builder.ts';
import type { Expr, Sort } from '../lang/ir.ts';
import { ModelError, or, not } from '../lang/expr.ts';
import { set, type Stmt, type StmtLike } from '../lang/stmt.ts';
import { step, type ProgStmt } from '../lang/process.ts';
import { KERNEL } from '../../properties/catalogue/index.ts';

/** The lock-order graph of a model. */
export interface Lockdep {
  readonly sort: Sort;
  readonly classes: string[];
  /** `order[a][b]`: class b was acquired while class a was held. */
  readonly order: Var;
  /** `held[thread][class]`. */
  readonly held: Var;
}

/** One lock class of the graph. */
export interface LockClass {
  readonly ld: Lockdep;
  readonly name: string;
  readonly index: number;
}

const graphs = new WeakMap<ModelBuilder, Lockdep>();

/**
 * Declare the model's lock classes and the `lockdep.cycle` invariant (once per model).
 * Example: `const ld = lockdep(m, ['mmap_lock', 'lru_lock'])`.
 */
export function lockdep(m: ModelBuilder, classes: string[]): Lockdep {
  if (graphs.has(m)) throw new ModelError('lockdep declared twice in one model; list every lock class in one call');
  const sort = enumeration('LockClass', classes);
  const order = m.var('lockdep.order', bool, false, [sort, sort], 'order[a][b]: b acquired while a held');
  const held = m.var('lockdep.held', bool, false, [m.threadSort, sort], 'lock classes held per thread');
  const ld: Lockdep = { sort, classes, order, held };
  graphs.set(m, ld);
  m.invariant(KERNEL.lockdep.cycle, not(cyclic(order)));
  return ld;
}

/** The class named `name`. Example: `mutex(m, 'a', { lockClass: lockClass(ld, 'A') })`. */
export function lockClass(ld: Lockdep, name: string): LockClass {
  const index = ld.classes.indexOf(name);
  if (index < 0) throw new ModelError(`no lock class ${name}; declared: ${ld.classes.join(', ')}`);
  return { ld, name, index };
}

/** `lock_acquire`'s dependency check: add `a -> cls` for every class `a` this thread holds. */
export function lockdep_acquire(cls: LockClass, self: Expr): Stmt[] {
  const { ld } = cls;
  return ld.classes.map((_, a) => {
    const edge = ld.order.at(a, cls.index);
    return set(edge, or(edge, ld.held.at(self, a)));
  });
}

/** The lock is now held: record the dependencies (blocking acquisitions) and mark it held. */
export function lockdep_acquired(cls: LockClass, self: Expr, opts: { trylock?: boolean } = {}): Stmt[] {
  return [...(opts.trylock ? [] : lockdep_acquire(cls, self)), set(cls.ld.held.at(self, cls.index), true)];
}

/** `lock_release`: the class is no longer held by this thread. */
export function lockdep_release(cls: LockClass, self: Expr): Stmt[] {
  return [set(cls.ld.held.at(self, cls.index), false)];
}

/** Whether this thread holds a lock of the class. */
export function lockdep_held(cls: LockClass, self: Expr): Expr {
  return cls.ld.held.at(self, cls.index).e;
}

/**
 * A blocking lock call as two interleaving points when the lock has a class: `label` runs
 * lockdep's check (before waiting, as the kernel does), `label.acquired` takes the lock.
 * Without a class it is the single step `label`. Example:
 * `...lockSteps('lock_a', a, self, mutex_lock(a, self))`.
 */
export function lockSteps(label: string, lock: { lockClass?: LockClass }, self: Expr, acquire: StmtLike[]): ProgStmt[] {
  if (!lock.lockClass) return [step(label, ...acquire)];
  return [step(label, lockdep_acquire(lock.lockClass, self)), step(`${label}.acquired`, ...acquire)];
}
