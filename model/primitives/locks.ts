/**
 * Kernel locks: `struct mutex`, `spinlock_t`, `struct rw_semaphore` and `rwlock_t`, each with an owner
 * (the thread holding it; readers per thread for an rwsem). A blocking acquisition is a
 * guard (the step waits until the lock is free); misuse is a `requires` violation:
 *
 * | id                           | what                                                        |
 * |------------------------------|-------------------------------------------------------------|
 * | `mutex.unlock-not-owner`     | `mutex_unlock` by a thread that does not own the mutex      |
 * | `mutex.recursive`            | `mutex_lock` by its owner (a self-deadlock in the kernel)   |
 * | `spinlock.unlock-not-owner`  | `spin_unlock` by a thread that does not hold it             |
 * | `spinlock.recursive`         | `spin_lock` by its holder (spins forever)                   |
 * | `rwsem.unlock-not-owner`     | `up_read`/`up_write` by a thread not holding it that way    |
 * | `rwsem.downgrade-not-owner`  | `downgrade_write` without holding it for write              |
 * | `rwsem.recursive`            | `down_read`/`down_write` while this thread holds it already |
 * | `rwlock.unlock-not-owner`    | `read_unlock`/`write_unlock` by a thread not holding it so  |
 * | `rwlock.recursive`           | `read_lock`/`write_lock` while this thread holds it already |
 * | `sleep-in-atomic`            | (context.ts) `mutex_lock`/`down_*` inside a spinlock        |
 * | `lock.held-at-exit`          | quiescence: a lock still held when every thread finished    |
 *
 * `spin_lock`, `read_lock` and `write_lock` raise the thread's preempt count (context.ts
 * `preemptDisable`), so any `mightSleep` step while one is held is `sleep-in-atomic`. Trylocks never block and never
 * sleep: they write their result into `ok` and/or run `then`/`else` in the same step (see
 * refcount.ts `Outcome`), so a later `branch` can act on it. Not modelled: waiter queues and
 * fairness (a waiting writer does not hold back new readers), `*_nested` annotations,
 * `_non_owner` variants, spurious trylock failure.
 *
 * A lock created with a `lockClass` (lockorder.ts) records lock-order edges in lockdep.
 *
 * The `*.unlock-not-owner` and `rwsem.downgrade-not-owner` requirements are ownership
 * preconditions (a guard object in Rust: `Guard` is dropped only by its holder): `mutex_unlock`,
 * `spin_unlock`, `up_read`, `up_write` and `downgrade_write` take `{ ownership: 'guard' }`
 * (ownership.ts) to make the step's guard `mutex_is_owner` / `spin_is_owner` /
 * `rwsem_is_read_owner` / `rwsem_is_write_owner` instead. The `*.recursive` and
 * `sleep-in-atomic` requirements are kernel preconditions and stay `requires`.
 *
 * @example
 * const lru = spinlock(m, 'lru_lock');
 * const mmap = rwsem(m, 'mmap_lock');
 * const got = m.local('got', bool, false);
 * m.program('shrinker', ['T1'], (self) => [
 *   step('lock_lru', spin_lock(lru, self)),
 *   step('trylock_mmap', down_read_trylock(mmap, self, { ok: got.at(self) })),
 *   branch('locked', got.at(self), [step('unlock_mmap', up_read(mmap, self))]),
 *   step('unlock_lru', spin_unlock(lru, self)),
 * ]);
 */
import type { ModelBuilder } from '../lang/builder.ts';
import { bool, option } from '../lang/builder.ts';
import type { Expr } from '../lang/ir.ts';
import { ex, eq, ne, and, or, not, forall, type Ref, type ExprLike } from '../lang/expr.ts';
import { guard, requires, set, type Stmt } from '../lang/stmt.ts';
import { mightSleep, preemptDisable, preemptEnable } from './context.ts';
import { lockdep_acquired, lockdep_release, type LockClass } from './lockorder.ts';
import { outcome, type Outcome } from './refcount.ts';
import { requiresOwnership, type OwnershipOptions } from './ownership.ts';
import { KERNEL } from '../../properties/catalogue/index.ts';

export interface LockOptions {
  /** Register the lock in the lock-order graph under this class. */
  lockClass?: LockClass;
  /** Skip the `lock.held-at-exit` quiescence check (a lock meant to stay held). */
  mayStayHeld?: boolean;
}

/** A per-thread family of locations: a variable indexed by the thread sort, or one row of an array. */
export interface PerThread {
  at(thread: ExprLike): Ref;
}

interface OwnedLock {
  readonly m: ModelBuilder;
  readonly name: string;
  /** The holder, or `none`: a variable, or one cell of a lock array (arrays.ts). */
  readonly owner: Ref;
  readonly none: Expr;
  readonly lockClass?: LockClass;
}

/** `struct mutex`: a sleeping lock with an owner. */
export type Mutex = OwnedLock & { readonly kind: 'mutex' };
/** `spinlock_t`: held in atomic context. */
export type Spinlock = OwnedLock & { readonly kind: 'spinlock' };

/** What a reader-writer lock holds: one writer or many readers, each reader tracked per thread. */
interface RwHolders {
  readonly m: ModelBuilder;
  readonly name: string;
  /** The write holder, or `none`. */
  readonly writer: Ref;
  /** `readers.at(thread)`: this thread holds it for read. */
  readonly readers: PerThread;
  readonly none: Expr;
  readonly lockClass?: LockClass;
}

/** `struct rw_semaphore`: a sleeping reader-writer lock. */
export interface Rwsem extends RwHolders { readonly kind: 'rwsem' }
/** `rwlock_t`: a spinning reader-writer lock, held in atomic context. */
export interface Rwlock extends RwHolders { readonly kind: 'rwlock' }

/** The writer and per-thread reader variables of `<name>`, and its held-at-exit check. */
function rwHolders(m: ModelBuilder, name: string, what: string, opts: LockOptions): RwHolders {
  const sort = option(m.threadSort, 'none');
  const writer = m.var(`${name}.writer`, sort, 'none', [], `${what} ${name} write holder`);
  const readers = m.var(`${name}.readers`, bool, false, [m.threadSort], `${what} ${name} read holders`);
  const none = ex('none', sort);
  if (!opts.mayStayHeld) {
    m.quiescence(KERNEL.lock.heldAtExit, and(eq(writer, none), forall(m.threadSort, (t) => not(readers.at(t)))), `${what} ${name} still held when every thread finished`);
  }
  return { m, name, writer, readers, none, lockClass: opts.lockClass };
}

function ownedLock(m: ModelBuilder, name: string, what: string, opts: LockOptions): OwnedLock {
  const sort = option(m.threadSort, 'none');
  const owner = m.var(name, sort, 'none', [], `${what} holder`);
  const none = ex('none', sort);
  if (!opts.mayStayHeld) {
    m.quiescence(KERNEL.lock.heldAtExit, eq(owner, none), `${what} ${name} still held when every thread finished`);
  }
  return { m, name, owner, none, lockClass: opts.lockClass };
}

function acquired(l: { lockClass?: LockClass }, self: Expr, trylock = false): Stmt[] {
  return l.lockClass ? lockdep_acquired(l.lockClass, self, { trylock }) : [];
}
function released(l: { lockClass?: LockClass }, self: Expr): Stmt[] {
  return l.lockClass ? lockdep_release(l.lockClass, self) : [];
}

/** Declare a mutex (variable `<name>`: its owner). Example: `const mu = mutex(m, 'alloc.mutex')`. */
export function mutex(m: ModelBuilder, name: string, opts: LockOptions = {}): Mutex {
  return { ...ownedLock(m, name, 'mutex', opts), kind: 'mutex' };
}

/** The mutex is held by someone. */
export function mutex_is_locked(mu: Mutex): Expr {
  return ne(mu.owner, mu.none);
}

/**
 * The mutex is held by this thread (`lockdep_assert_held`): the ownership condition of
 * `mutex_unlock`. Example: `branch('locked', mutex_is_owner(mu, self), [step('unlock', mutex_unlock(mu, self))])`.
 */
export function mutex_is_owner(mu: Mutex, self: Expr): Expr {
  return eq(mu.owner, self);
}

/**
 * `mutex_lock`: may sleep; waits until the mutex is free. Example: `step('lock', mutex_lock(mu, self))`.
 */
export function mutex_lock(mu: Mutex, self: Expr): Stmt[] {
  return [
    ...mightSleep(mu.m, self),
    // Enabled for the owner too, so that recursion is reported rather than a bare deadlock.
    guard(or(eq(mu.owner, mu.none), eq(mu.owner, self))),
    requires(KERNEL.mutex.recursive, ne(mu.owner, self), `mutex_lock(${mu.name}) by its owner: recursive locking deadlocks`),
    set(mu.owner, self),
    ...acquired(mu, self),
  ];
}

/** `mutex_trylock`: never sleeps; succeeds iff the mutex is free. */
export function mutex_trylock(mu: Mutex, self: Expr, o: Outcome = {}): Stmt[] {
  return [outcome(eq(mu.owner, mu.none), { then: [set(mu.owner, self), ...acquired(mu, self, true)], else: [] }, o)];
}

/**
 * `mutex_unlock`: only by the owner (`mutex.unlock-not-owner`, or the guard `mutex_is_owner`
 * with `{ ownership: 'guard' }`). Examples: `step('unlock', mutex_unlock(mu, self))`,
 * `step('unlock', mutex_unlock(mu, self, { ownership: 'guard' }))`.
 */
export function mutex_unlock(mu: Mutex, self: Expr, opts: OwnershipOptions = {}): Stmt[] {
  return [
    requiresOwnership(KERNEL.mutex.unlockNotOwner, mutex_is_owner(mu, self), `mutex_unlock(${mu.name}) by a thread that does not own it`, opts),
    set(mu.owner, mu.none),
    ...released(mu, self),
  ];
}

/** Declare a spinlock (variable `<name>`: its holder). Example: `const lru = spinlock(m, 'lru_lock')`. */
export function spinlock(m: ModelBuilder, name: string, opts: LockOptions = {}): Spinlock {
  return { ...ownedLock(m, name, 'spinlock', opts), kind: 'spinlock' };
}

/**
 * The spinlock is held by this thread (`lockdep_assert_held`): the ownership condition of
 * `spin_unlock`. Example: `branch('locked', spin_is_owner(sl, self), [step('unlock', spin_unlock(sl, self))])`.
 */
export function spin_is_owner(sl: Spinlock, self: Expr): Expr {
  return eq(sl.owner, self);
}

/** `spin_lock`: waits until free; the thread is in atomic context until `spin_unlock`. */
export function spin_lock(sl: Spinlock, self: Expr): Stmt[] {
  return [
    guard(or(eq(sl.owner, sl.none), eq(sl.owner, self))),
    requires(KERNEL.spinlock.recursive, ne(sl.owner, self), `spin_lock(${sl.name}) by its holder: spins forever`),
    set(sl.owner, self),
    preemptDisable(sl.m, self),
    ...acquired(sl, self),
  ];
}

/** `spin_trylock`: succeeds iff free (then atomic context as with `spin_lock`). */
export function spin_trylock(sl: Spinlock, self: Expr, o: Outcome = {}): Stmt[] {
  return [outcome(eq(sl.owner, sl.none), {
    then: [set(sl.owner, self), preemptDisable(sl.m, self), ...acquired(sl, self, true)], else: [],
  }, o)];
}

/**
 * `spin_unlock`: only by the holder (`spinlock.unlock-not-owner`, or the guard `spin_is_owner`
 * with `{ ownership: 'guard' }`); leaves atomic context. Example: `step('unlock', spin_unlock(sl, self))`.
 */
export function spin_unlock(sl: Spinlock, self: Expr, opts: OwnershipOptions = {}): Stmt[] {
  return [
    requiresOwnership(KERNEL.spinlock.unlockNotOwner, spin_is_owner(sl, self), `spin_unlock(${sl.name}) by a thread that does not hold it`, opts),
    set(sl.owner, sl.none),
    preemptEnable(sl.m, self),
    ...released(sl, self),
  ];
}

/**
 * Declare an rwsem (variables `<name>.writer`, `<name>.readers`). Example: `const mmap = rwsem(m, 'mmap_lock')`.
 */
export function rwsem(m: ModelBuilder, name: string, opts: LockOptions = {}): Rwsem {
  return { ...rwHolders(m, name, 'rwsem', opts), kind: 'rwsem' };
}

/** Nobody holds the rwsem. */
export function rwsem_is_unlocked(s: Rwsem): Expr {
  return and(eq(s.writer, s.none), forall(s.m.threadSort, (t) => not(s.readers.at(t))));
}

/**
 * This thread holds the rwsem for read: the ownership condition of `up_read`. Example:
 * `branch('read_locked', rwsem_is_read_owner(mmap, self), [step('up_read', up_read(mmap, self))])`.
 */
export function rwsem_is_read_owner(s: Rwsem, self: Expr): Expr {
  return s.readers.at(self).e;
}

/**
 * This thread holds the rwsem for write: the ownership condition of `up_write` and
 * `downgrade_write`. Example: `step('downgrade', guard(rwsem_is_write_owner(mmap, self)), downgrade_write(mmap, self))`.
 */
export function rwsem_is_write_owner(s: Rwsem, self: Expr): Expr {
  return eq(s.writer, self);
}

/** This thread holds it either way (`lockdep_assert_held`). */
export function rwsem_is_held(s: Rwsem, self: Expr): Expr {
  return or(rwsem_is_read_owner(s, self), rwsem_is_write_owner(s, self));
}

function notRecursive(s: Rwsem, self: Expr, op: string): Stmt {
  return requires(KERNEL.rwsem.recursive, not(rwsem_is_held(s, self)), `${op}(${s.name}) while this thread already holds it`);
}

/** `down_read`: may sleep; waits while a writer holds it. Example: `step('mmap_read_lock', down_read(mmap, self))`. */
export function down_read(s: Rwsem, self: Expr): Stmt[] {
  return [
    ...mightSleep(s.m, self),
    guard(or(eq(s.writer, s.none), eq(s.writer, self))),
    notRecursive(s, self, 'down_read'),
    set(s.readers.at(self), true),
    ...acquired(s, self),
  ];
}

/** `down_write`: may sleep; waits until nobody holds it. */
export function down_write(s: Rwsem, self: Expr): Stmt[] {
  return [
    ...mightSleep(s.m, self),
    guard(or(rwsem_is_unlocked(s), rwsem_is_held(s, self))),
    notRecursive(s, self, 'down_write'),
    set(s.writer, self),
    ...acquired(s, self),
  ];
}

/** `down_read_trylock`: succeeds iff no writer holds it; never sleeps. */
export function down_read_trylock(s: Rwsem, self: Expr, o: Outcome = {}): Stmt[] {
  return [
    // Readers are one bool per thread: a second read hold by the same thread cannot be represented.
    requires(KERNEL.rwsem.recursive, not(rwsem_is_held(s, self)),
      `down_read_trylock(${s.name}) while this thread already holds it (not modelled: one read hold per thread)`),
    outcome(eq(s.writer, s.none), { then: [set(s.readers.at(self), true), ...acquired(s, self, true)], else: [] }, o),
  ];
}

/** `down_write_trylock`: succeeds iff nobody holds it; never sleeps. */
export function down_write_trylock(s: Rwsem, self: Expr, o: Outcome = {}): Stmt[] {
  return [outcome(rwsem_is_unlocked(s), { then: [set(s.writer, self), ...acquired(s, self, true)], else: [] }, o)];
}

/**
 * `downgrade_write`: write hold becomes a read hold, atomically (readers may enter right after).
 * Only by the writer (`rwsem.downgrade-not-owner`, or the guard `rwsem_is_write_owner` with
 * `{ ownership: 'guard' }`). Example: `step('mmap_write_downgrade', downgrade_write(mmap, self))`.
 */
export function downgrade_write(s: Rwsem, self: Expr, opts: OwnershipOptions = {}): Stmt[] {
  return [
    requiresOwnership(KERNEL.rwsem.downgradeNotOwner, rwsem_is_write_owner(s, self), `downgrade_write(${s.name}) without holding it for write`, opts),
    set(s.writer, s.none),
    set(s.readers.at(self), true),
  ];
}

/**
 * `up_read`: only by a thread holding it for read (`rwsem.unlock-not-owner`, or the guard
 * `rwsem_is_read_owner` with `{ ownership: 'guard' }`). Example: `step('mmap_read_unlock', up_read(mmap, self))`.
 */
export function up_read(s: Rwsem, self: Expr, opts: OwnershipOptions = {}): Stmt[] {
  return [
    requiresOwnership(KERNEL.rwsem.unlockNotOwner, rwsem_is_read_owner(s, self), `up_read(${s.name}) by a thread that does not hold it for read`, opts),
    set(s.readers.at(self), false),
    ...released(s, self),
  ];
}

/**
 * `up_write`: only by the write holder (`rwsem.unlock-not-owner`, or the guard
 * `rwsem_is_write_owner` with `{ ownership: 'guard' }`). Example: `step('mmap_write_unlock', up_write(mmap, self))`.
 */
export function up_write(s: Rwsem, self: Expr, opts: OwnershipOptions = {}): Stmt[] {
  return [
    requiresOwnership(KERNEL.rwsem.unlockNotOwner, rwsem_is_write_owner(s, self), `up_write(${s.name}) by a thread that does not hold it for write`, opts),
    set(s.writer, s.none),
    ...released(s, self),
  ];
}

/**
 * Declare an `rwlock_t` (variables `<name>.writer`, `<name>.readers`). Example:
 * `const tasklist = rwlock(m, 'tasklist_lock')`.
 */
export function rwlock(m: ModelBuilder, name: string, opts: LockOptions = {}): Rwlock {
  return { ...rwHolders(m, name, 'rwlock', opts), kind: 'rwlock' };
}

/** This thread holds the rwlock for read: the ownership condition of `read_unlock`. */
export function rwlock_is_read_owner(l: Rwlock, self: Expr): Expr {
  return l.readers.at(self).e;
}

/** This thread holds the rwlock for write: the ownership condition of `write_unlock`. */
export function rwlock_is_write_owner(l: Rwlock, self: Expr): Expr {
  return eq(l.writer, self);
}

function rwlockNotRecursive(l: Rwlock, self: Expr, op: string): Stmt {
  return requires(KERNEL.rwlock.recursive, not(or(rwlock_is_read_owner(l, self), rwlock_is_write_owner(l, self))), `${op}(${l.name}) while this thread already holds it`);
}

/**
 * `read_lock`: spins while a writer holds it (a waiting writer does not hold back readers: not
 * modelled), then atomic context until `read_unlock`. Example: `step('read_lock', read_lock(tl, self))`.
 */
export function read_lock(l: Rwlock, self: Expr): Stmt[] {
  return [
    guard(or(eq(l.writer, l.none), eq(l.writer, self))),
    rwlockNotRecursive(l, self, 'read_lock'),
    set(l.readers.at(self), true),
    preemptDisable(l.m, self),
    ...acquired(l, self),
  ];
}

/** `write_lock`: spins until nobody holds it, then atomic context until `write_unlock`. */
export function write_lock(l: Rwlock, self: Expr): Stmt[] {
  const free = and(eq(l.writer, l.none), forall(l.m.threadSort, (t) => not(l.readers.at(t))));
  return [
    guard(or(free, rwlock_is_read_owner(l, self), rwlock_is_write_owner(l, self))),
    rwlockNotRecursive(l, self, 'write_lock'),
    set(l.writer, self),
    preemptDisable(l.m, self),
    ...acquired(l, self),
  ];
}

/**
 * `read_unlock`: only by a reader (`rwlock.unlock-not-owner`, or the guard `rwlock_is_read_owner`
 * with `{ ownership: 'guard' }`); leaves atomic context.
 */
export function read_unlock(l: Rwlock, self: Expr, opts: OwnershipOptions = {}): Stmt[] {
  return [
    requiresOwnership(KERNEL.rwlock.unlockNotOwner, rwlock_is_read_owner(l, self), `read_unlock(${l.name}) by a thread that does not hold it for read`, opts),
    set(l.readers.at(self), false),
    preemptEnable(l.m, self),
    ...released(l, self),
  ];
}

/**
 * `write_unlock`: only by the writer (`rwlock.unlock-not-owner`, or the guard
 * `rwlock_is_write_owner` with `{ ownership: 'guard' }`); leaves atomic context.
 */
export function write_unlock(l: Rwlock, self: Expr, opts: OwnershipOptions = {}): Stmt[] {
  return [
    requiresOwnership(KERNEL.rwlock.unlockNotOwner, rwlock_is_write_owner(l, self), `write_unlock(${l.name}) by a thread that does not hold it for write`, opts),
    set(l.writer, l.none),
    preemptEnable(l.m, self),
    ...released(l, self),
  ];
}
