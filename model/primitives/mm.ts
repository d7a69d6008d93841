/**
 * `struct mm_struct`'s two reference counts (include/linux/sched/mm.h, kernel/fork.c):
 * `mm_users` pins the address space, `mm_count` pins the struct; all users together hold one
 * `mm_count` reference. The last `mmput` runs `__mmput` (exit_mmap, then `mmdrop`) in the
 * context of the thread that dropped it; `mmput_async` hands that teardown to a kworker.
 * The last `mmdrop` runs `__mmdrop`, which frees the struct.
 *
 * Both counts are plain `atomic_t`: no saturation, no warning on misuse, so every misuse is a
 * `requires` here. Per-thread holdings are tracked too, so "touch the address space only while
 * holding `mm_users`" (I-MM1) and "put only what you got" (I-MM3) are checkable.
 *
 * `mm.mmput-without-reference`, `mm.mmdrop-without-reference` and `mm.access-without-mm_users`
 * are ownership preconditions (the caller holds the reference: `ARef<Mm>` / `MmWithUser` in
 * Rust): `mmput`, `mmputAsync`, `mmdrop` and `access` take `{ ownership: 'guard' }`
 * (ownership.ts) to make them the step's guard instead; `mm_users_held` and `mm_count_held` are
 * the conditions themselves. `mm.use-after-free`, `sleep-in-atomic` and `mm.mmget-on-zero` are
 * kernel preconditions and stay `requires`.
 *
 * @example
 * const mm = mmStruct(m, { users: [owner], grabs: [t1], exitMmap: (ctx) => [set(tornDown, true)] });
 * m.program('user', ['T1'], (self) => [
 *   branch('get', mm.users.gt0(), [step('mmget_not_zero', ...mm.mmgetNotZero(self)), step('mmput', ...mm.mmput(self))]),
 *   step('mmdrop', ...mm.mmdrop(self)),
 * ]);
 */
import type { ModelBuilder, Var } from '../lang/builder.ts';
import { range, bool } from '../lang/builder.ts';
import type { Expr } from '../lang/ir.ts';
import { add, sub, eq, gt, and, not, implies } from '../lang/expr.ts';
import { requires, set, when, flat, type Stmt, type StmtLike } from '../lang/stmt.ts';
import { mightSleep } from './context.ts';
import { requiresOwnership, type OwnershipOptions } from './ownership.ts';
import { KERNEL } from '../../properties/catalogue/index.ts';

export interface MmOptions {
  /** Threads that start holding one `mm_users` reference each (the owning task: `current->mm`). */
  users: string[];
  /** Threads that start holding one `mm_count` reference each (an earlier `mmgrab`). */
  grabs: string[];
  /** Most references one thread may hold at once, per count (bounds the state space). */
  maxHeldPerThread?: number;
  /**
   * What `__mmput` does besides `exit_mmap`'s bookkeeping, run in the context `ctx` of the last
   * putter (a thread, or the kworker for `mmput_async`). Example: fput of a mapped file.
   */
  exitMmap?: (ctx: Expr) => StmtLike[];
  /** What `__mmdrop` releases besides the struct (e.g. `mm_pasid_drop` after 2667ed10). */
  mmdropRelease?: () => StmtLike[];
}

/** The mm primitive: its variables and operations (statement lists for `step` bodies). */
export interface MmStruct {
  mm_users: Var;
  mm_count: Var;
  /** `__mmput` has run: the address space is gone. */
  torn_down: Var;
  /** `__mmdrop` has run: the struct is freed. */
  freed: Var;
  /** `mmput_async` queued `async_put_work` and it has not run yet. */
  async_put_pending: Var;
  /** `mm_users` references held by each thread. */
  users_held: Var;
  /** `mm_count` references held by each thread. */
  count_held: Var;
  /** `mmgrab`: pin the struct; the caller must already rely on it being alive. */
  mmgrab(self: Expr): Stmt[];
  /**
   * `mmdrop`: drop a struct reference; the last one runs `__mmdrop` in this step. Needs one
   * (`mm.mmdrop-without-reference`, or the guard `mm_count_held` with `{ ownership: 'guard' }`).
   */
  mmdrop(self: Expr, opts?: OwnershipOptions): Stmt[];
  /** `mmget`: only legal when the caller already guarantees `mm_users > 0`. */
  mmget(self: Expr): Stmt[];
  /** `mmget_not_zero` that succeeds (take it under `guard(gt(mm_users, 0))` or a branch). */
  mmgetNotZero(self: Expr): Stmt[];
  /** `mmget_not_zero` that fails: `mm_users == 0`. Still reads the struct, so it must be alive. */
  mmgetNotZeroFails(self: Expr): Stmt[];
  /**
   * `mmput` (may sleep): the last one runs `__mmput` here, in the caller's context. Needs an
   * `mm_users` reference (`mm.mmput-without-reference`, or the guard `mm_users_held` with
   * `{ ownership: 'guard' }`).
   */
  mmput(self: Expr, opts?: OwnershipOptions): Stmt[];
  /** `mmput_async`: the last one queues `async_put_work`; atomic-context safe. Ownership as `mmput`. */
  mmputAsync(self: Expr, opts?: OwnershipOptions): Stmt[];
  /** The kworker running `mmput_async_fn`: `__mmput` in the kworker's context. */
  asyncPutWork(kworker: Expr): Stmt[];
  /**
   * Touch the address space (VMAs, page tables): needs one's own `mm_users` reference (I-MM1:
   * `mm.access-without-mm_users`, or the guard `mm_users_held` with `{ ownership: 'guard' }`).
   */
  access(self: Expr, opts?: OwnershipOptions): Stmt[];
}

/** Declare an mm_struct and its generated properties on the model. */
export function mmStruct(m: ModelBuilder, opts: MmOptions): MmStruct {
  const T = m.threadSort;
  const threads = T.kind === 'enum' ? T.values : [];
  const maxHeld = opts.maxHeldPerThread ?? 1;
  const nUsers = opts.users.length, nGrabs = opts.grabs.length;
  const maxUsers = threads.length * maxHeld;
  // All users together hold one mm_count reference (mm_init sets both to 1).
  const maxCount = threads.length * maxHeld + 1;
  const mm_users = m.var('mm_users', range(0, maxUsers), nUsers, [], 'mm->mm_users');
  const mm_count = m.var('mm_count', range(0, maxCount), nGrabs + (nUsers > 0 ? 1 : 0), [], 'mm->mm_count');
  const torn_down = m.var('mm_torn_down', bool, false, [], '__mmput has run (exit_mmap)');
  const freed = m.var('mm_freed', bool, false, [], '__mmdrop has run (free_mm)');
  const async_put_pending = m.var('async_put_pending', bool, false, [], 'mm->async_put_work queued');
  const users_held = m.var('mm_users_held', range(0, maxHeld), threads.map((t) => (opts.users.includes(t) ? 1 : 0)), [T], 'mm_users references per thread');
  const count_held = m.var('mm_count_held', range(0, maxHeld), threads.map((t) => (opts.grabs.includes(t) ? 1 : 0)), [T], 'mm_count references per thread');

  const alive = (self: Expr, op: string): Stmt =>
    requires(KERNEL.mm.useAfterFree, not(freed), `${op} on a freed mm_struct`);

  // __mmdrop: the struct goes; anything released with it goes too.
  const dropCount = (): Stmt[] => [
    set(mm_count, sub(mm_count, 1)),
    when(eq(mm_count, 0), [set(freed, true), ...flat(opts.mmdropRelease?.() ?? [])]),
  ];
  // __mmput: exit_mmap and the rest, then the users' collective mmdrop.
  const mmputTeardown = (ctx: Expr): Stmt[] => [
    set(torn_down, true),
    ...flat(opts.exitMmap?.(ctx) ?? []),
    ...dropCount(),
  ];
  const putUser = (self: Expr, op: string, own: OwnershipOptions = {}): Stmt[] => [
    alive(self, op),
    requiresOwnership(KERNEL.mm.mmputWithoutReference, gt(users_held.at(self), 0), `${op} by a thread that holds no mm_users reference`, own),
    set(users_held.at(self), sub(users_held.at(self), 1)),
    set(mm_users, sub(mm_users, 1)),
  ];

  return {
    mm_users, mm_count, torn_down, freed, async_put_pending, users_held, count_held,
    mmgrab: (self) => [
      alive(self, 'mmgrab'),
      set(mm_count, add(mm_count, 1)),
      set(count_held.at(self), add(count_held.at(self), 1)),
    ],
    mmdrop: (self, own = {}) => [
      alive(self, 'mmdrop'),
      requiresOwnership(KERNEL.mm.mmdropWithoutReference, gt(count_held.at(self), 0), undefined, own),
      set(count_held.at(self), sub(count_held.at(self), 1)),
      ...dropCount(),
    ],
    mmget: (self) => [
      alive(self, 'mmget'),
      requires(KERNEL.mm.mmgetOnZero, gt(mm_users, 0)),
      set(mm_users, add(mm_users, 1)),
      set(users_held.at(self), add(users_held.at(self), 1)),
    ],
    mmgetNotZero: (self) => [
      alive(self, 'mmget_not_zero'),
      set(mm_users, add(mm_users, 1)),
      set(users_held.at(self), add(users_held.at(self), 1)),
    ],
    mmgetNotZeroFails: (self) => [alive(self, 'mmget_not_zero')],
    mmput: (self, own = {}) => [
      ...mightSleep(m, self),
      ...putUser(self, 'mmput', own),
      when(eq(mm_users, 0), mmputTeardown(self)),
    ],
    mmputAsync: (self, own = {}) => [
      ...putUser(self, 'mmput_async', own),
      when(eq(mm_users, 0), [set(async_put_pending, true)]),
    ],
    asyncPutWork: (kworker) => [set(async_put_pending, false), ...mmputTeardown(kworker)],
    access: (self, own = {}) => [
      requiresOwnership(KERNEL.mm.accessWithoutMmUsers, gt(users_held.at(self), 0), undefined, own),
      requires(KERNEL.mm.accessAfterTeardown, not(torn_down)),
    ],
  };
}

/**
 * This thread holds an `mm_users` reference (`mmget`, `mmget_not_zero`, or the owning task's
 * `current->mm`): the ownership condition of `mmput`, `mmput_async` and `access`. Example:
 * `branch('has_mm', mm_users_held(mm, self), [step('mmput', ...mm.mmput(self))])`.
 */
export function mm_users_held(mm: MmStruct, self: Expr): Expr {
  return gt(mm.users_held.at(self), 0);
}

/**
 * This thread holds an `mm_count` reference (`mmgrab`): the ownership condition of `mmdrop`.
 * Example: `step('mmdrop', guard(mm_count_held(mm, self)), ...mm.mmdrop(self))`.
 */
export function mm_count_held(mm: MmStruct, self: Expr): Expr {
  return gt(mm.count_held.at(self), 0);
}

/** I-MM3 at quiescence: every reference returned, the mm torn down and freed, no work pending. */
export function mmQuiescence(m: ModelBuilder, mm: MmStruct): void {
  m.quiescence(KERNEL.mm.leak, and(eq(mm.mm_users, 0), eq(mm.mm_count, 0), mm.freed, mm.torn_down));
  // Structural: a freed struct has no references left, and a live address space pins the struct.
  m.invariant(KERNEL.mm.countPinsUsers, implies(gt(mm.mm_users, 0), gt(mm.mm_count, 0)));
}
