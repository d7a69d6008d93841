/**
 * The per-VMA lock model: `lock_vma_under_rcu` against munmap, with VMAs in a
 * SLAB_TYPESAFE_BY_RCU cache that another mm reuses (docs/kernel-protocols.md §3, bug K6).
 *
 * Threads:
 * - `R1..Rn` (readers, threads of process A): a page fault on mmA's one address.
 *   `lock_vma_under_rcu` (mas_walk under RCU, `vma_start_read`), falling back to
 *   `mmap_read_lock` + `vma_lookup` when it fails; `handle_mm_fault`; then the guard's release
 *   (`vma_end_read` or `mmap_read_unlock`) by the same thread.
 * - `munmap` (process A's other thread): either munmaps mmA's VMA (write lock,
 *   `vma_start_write`, `vma_mark_detached`, clear the tree, `mmap_write_downgrade`,
 *   `remove_vma` frees it, unlock) or mprotects it (write lock, `vma_start_write`, unlock: the
 *   VMA stays, so a reader that fails meanwhile finds it again under `mmap_read_lock`).
 * - `procB` (process B, the only user of mmB): mmaps a VMA (the slot munmap freed, if it is
 *   free by then), munmaps it the same way, and exits (`mmput` → `__mmput` → `mmdrop` → `free_mm`).
 *
 * The per-VMA lock machinery (exported, model/fork.ts uses it too) follows v6.15+
 * `include/linux/mmap_lock.h` and `mm/mmap_lock.c`:
 * - `vm_refcnt` is two variables: `vma.vm_refcnt` holds the low bits (0 detached, 1 attached,
 *   1+n with n readers) and `vma.vm_refcnt_excl` the `VM_REFCNT_EXCLUDE_READERS_FLAG` bit
 *   (`VMA_LOCK_OFFSET` in 6.15) a writer adds while it waits for readers to leave.
 * - `mm_lock_seq` goes up by one at each write lock and at each write unlock/downgrade
 *   (odd while write-locked); `vm_lock_seq == mm_lock_seq` means "write-locked in this
 *   session". A recycled VMA's `vm_lock_seq` came from another mm's counter, so a reader may
 *   take it as locked when it is not (a spurious failure: allowed), never the other way round.
 * - Each mm has one address: the maple tree `mm_mt[mm]` is one nullable VMA pointer, and the
 *   `vm_start <= addr < vm_end` re-check of lock_vma_under_rcu is always true (not modelled).
 * - `rcuwait_wait_event` is a guard on its condition (it re-checks after every wake-up, so
 *   the wake-up's only effect here is the access to `mm->vma_writer_wait`).
 *
 * mmA is never torn down (its threads keep it alive); mmB's lifetime is the mm primitive's, so
 * the variables `mm_users`, `mm_count`, `mm_freed` are mmB's.
 */
import {
  model, bool, range, enumeration, option, step, branch, either, goto, set, add, sub, eq, ne, gt, le, and, or, not,
  forall, exists, ite, guard, when, requires, defineModel, deref, DONE, FALSE, type ExprLike, type ModelDef, type ModelBuilder, type Var, type ProgStmt,
} from './lang/index.ts';
import type { Expr, Sort } from './lang/ir.ts';
import type { Stmt, StmtLike } from './lang/stmt.ts';
import { rwsem, down_read, up_read, down_write, up_write, downgrade_write, rwsem_is_write_owner, rwsem_is_read_owner, type Rwsem } from './primitives/locks.ts';
import { mmStruct, mmQuiescence, type MmStruct } from './primitives/mm.ts';
import { rcu_read_lock, rcu_read_unlock } from './primitives/rcu.ts';
import { typesafePool, kmem_cache_alloc, kmem_cache_free, typesafe_read, type TypesafePool } from './primitives/typesafe-pool.ts';
import { exprText } from './lang/pointer.ts';
import { KERNEL } from '../properties/catalogue/index.ts';

// ---------------------------------------------------------------------------------------------
// The world: mms with an mmap_lock, an mm_lock_seq and a one-address maple tree; VMAs in a
// type-stable pool; per-thread VMA pointers.

export interface VmaWorldOptions {
  /** The mms, by name. */
  mms: string[];
  /** VMA slots in `vm_area_cachep`. */
  slots: number;
  /** mms that start with a VMA: `initial[i]` owns slot i (those slots start allocated). */
  initial: string[];
  /** Most threads holding a `vm_refcnt` reference on one VMA at once. */
  readers: number;
  /** Most `mmap_write_lock` sessions any one mm goes through (bounds `mm_lock_seq`). */
  writeSessions: number;
  /** The one mm whose lifetime is modelled (with the mm primitive, whose variables are global). */
  refcounted?: { name: string; mm: MmStruct };
}

export interface VmaWorld {
  readonly m: ModelBuilder;
  readonly Mm: Sort;
  readonly pool: TypesafePool;
  /** `vma->vm_mm` per slot (`none` before the first allocation; left stale by a free). */
  readonly vm_mm: Var;
  /** Low bits of `vma->vm_refcnt`. */
  readonly vm_refcnt: Var;
  /** `VM_REFCNT_EXCLUDE_READERS_FLAG` is set in `vma->vm_refcnt`. */
  readonly vm_refcnt_excl: Var;
  /** `vma->vm_lock_seq` (-1 stands for the UINT_MAX a fresh VMA gets). */
  readonly vm_lock_seq: Var;
  /** `mm->mm_lock_seq`. */
  readonly mm_lock_seq: Var;
  /** `mm->mm_mt`: the VMA mapped at the address, or none. */
  readonly mm_mt: Var;
  readonly mmap_lock: Record<string, Rwsem>;
  /** Per thread: the VMA pointer it holds. */
  readonly vma: Var;
  /** Per thread: it holds a `vm_refcnt` reference (the VMA read lock, or a transient one). */
  readonly vma_read: Var;
  /** Per thread: the mm its last `vma_refcount_put` must wake (`is_vma_writer_only`), or none. */
  readonly wake_mm: Var;
  /** Per thread: `other_mm` of the fixed `vma_start_read` (mmgrab'ed across the put). */
  readonly other_mm: Var;
  refcounted?: { name: string; mm: MmStruct };
  /** The mm literal. */
  mm(name: string): Expr;
  /** The mm (an Mm-valued expression) has been freed; false for mms whose lifetime is not modelled. */
  mmFreed(mm: Expr): Expr;
  /** A field of the VMA `ptr` points to. */
  f(field: Var, ptr: Expr): Expr;
  /** Write a field of the VMA `ptr` points to. */
  fset(field: Var, ptr: Expr, value: (slot: Expr) => ExprLike): Stmt[];
}

/**
 * Declare the mms, their locks and the VMA pool.
 * Example: `vmaWorld(m, { mms: ['mmA', 'mmB'], slots: 2, initial: ['mmA'], readers: 1, writeSessions: 2 })`.
 */
export function vmaWorld(m: ModelBuilder, o: VmaWorldOptions): VmaWorld {
  const Mm = enumeration('Mm', o.mms);
  const MmOpt = option(Mm, 'none');
  const pool = typesafePool(m, 'vm_area_cachep', { slots: o.slots, prefix: 'V', allocated: o.initial.length });
  const slots = Array.from({ length: o.slots }, (_, i) => i);
  const owner = (i: number) => o.initial[i] ?? 'none';
  const maxSeq = 2 * o.writeSessions;
  const vm_mm = m.var('vma.vm_mm', MmOpt, slots.map(owner), [pool.sort], 'vma->vm_mm');
  const vm_refcnt = m.var('vma.vm_refcnt', range(0, 1 + o.readers), slots.map((i) => (i < o.initial.length ? 1 : 0)), [pool.sort],
    'vma->vm_refcnt low bits: 0 detached, 1 attached, 1+n with n readers');
  const vm_refcnt_excl = m.var('vma.vm_refcnt_excl', bool, false, [pool.sort], 'VM_REFCNT_EXCLUDE_READERS_FLAG: a writer excludes readers');
  const vm_lock_seq = m.var('vma.vm_lock_seq', range(-1, maxSeq), -1, [pool.sort], 'vma->vm_lock_seq (-1: UINT_MAX)');
  const mm_lock_seq = m.var('mm_lock_seq', range(0, maxSeq), 0, [Mm], 'mm->mm_lock_seq: odd while write-locked');
  const mm_mt = m.var('mm_mt', pool.ptrSort, o.mms.map((mm) => (o.initial.includes(mm) ? `V${o.initial.indexOf(mm) + 1}` : 'none')), [Mm],
    'mm->mm_mt: the VMA mapped at the address');
  const mmap_lock = Object.fromEntries(o.mms.map((mm) => [mm, rwsem(m, `${mm}.mmap_lock`)]));
  const vma = m.local('vma', pool.ptrSort, 'none');
  const vma_read = m.local('vma_read', bool, false);
  const wake_mm = m.local('wake_mm', MmOpt, 'none');
  const other_mm = m.local('other_mm', MmOpt, 'none');

  const mmLit = (name: string): Expr => {
    if (!o.mms.includes(name)) throw new Error(`no mm named ${name}`);
    return { op: 'lit', sort: Mm, value: o.mms.indexOf(name) };
  };
  const rc = o.refcounted;
  // Quiescence: every reference put back and no writer still excluding readers.
  m.quiescence(KERNEL.vma.vmRefcntLeak,
    forall(pool.sort, (s) => and(not(vm_refcnt_excl.at(s)),
      eq(vm_refcnt.at(s), ite(exists(Mm, (mm) => eq(mm_mt.at(mm), s)), 1, 0)))));
  return {
    m, Mm, pool, vm_mm, vm_refcnt, vm_refcnt_excl, vm_lock_seq, mm_lock_seq, mm_mt, mmap_lock, vma, vma_read, wake_mm, other_mm,
    refcounted: rc,
    mm: mmLit,
    mmFreed: (mm) => (rc ? and(eq(mm, mmLit(rc.name)), rc.mm.freed) : FALSE),
    // Fields are arrays over the slots, indexed by the pointer itself; a write goes through
    // deref, so a NULL VMA pointer is pointer.null-deref (a read in a branch condition cannot
    // fault: the model reads only pointers it has checked or that cannot be NULL there).
    f: (field, ptr) => field.at(ptr).e,
    fset: (field, ptr, value) => {
      const slot = deref(ptr, exprText(ptr));
      return [set(field.at(slot), value(slot))];
    },
  };
}

// ---------------------------------------------------------------------------------------------
// mmap_lock (include/linux/mmap_lock.h): the rwsem plus mm_lock_seq.

/** `mmap_write_lock`: `down_write` + `mm_lock_seqcount_begin`. */
export function mmap_write_lock(w: VmaWorld, mm: string, self: Expr): Stmt[] {
  const seq = w.mm_lock_seq.at(w.mm(mm));
  return [...down_write(w.mmap_lock[mm], self), set(seq, add(seq, 1))];
}
/** `mmap_write_unlock`: `vma_end_write_all` (every VMA write lock of the mm ends) + `up_write`. */
export function mmap_write_unlock(w: VmaWorld, mm: string, self: Expr): Stmt[] {
  const seq = w.mm_lock_seq.at(w.mm(mm));
  return [set(seq, add(seq, 1)), ...up_write(w.mmap_lock[mm], self)];
}
/** `mmap_write_downgrade`: `vma_end_write_all` + `downgrade_write`: readers may enter at once. */
export function mmap_write_downgrade(w: VmaWorld, mm: string, self: Expr): Stmt[] {
  const seq = w.mm_lock_seq.at(w.mm(mm));
  return [set(seq, add(seq, 1)), ...downgrade_write(w.mmap_lock[mm], self)];
}

// ---------------------------------------------------------------------------------------------
// VMA write side (writer holds mmap_lock for write; `vma.at(self)` is the VMA).

const ptrOf = (w: VmaWorld, self: Expr): Expr => w.vma.at(self).e;
/** `__is_vma_write_locked`: `vm_lock_seq == mm_lock_seq` of `mm`. */
export function vma_write_locked(w: VmaWorld, mm: string, v: Expr): Expr {
  return eq(w.f(w.vm_lock_seq, v), w.mm_lock_seq.at(w.mm(mm)));
}

/**
 * `vma_start_write`, first half: unless already write-locked, `__vma_enter_locked`:
 * `refcount_add_not_zero(VM_REFCNT_EXCLUDE_READERS_FLAG)` (nothing if detached). New readers now fail.
 */
export function vma_start_write(w: VmaWorld, mm: string, self: Expr): Stmt[] {
  const v = ptrOf(w, self);
  const seq = w.mm_lock_seq.at(w.mm(mm));
  return [
    requires(KERNEL.vma.startWriteWithoutMmapWriteLock, rwsem_is_write_owner(w.mmap_lock[mm], self)),
    ...w.fset(w.vm_refcnt_excl, v, (s) => and(ne(w.vm_lock_seq.at(s), seq), gt(w.vm_refcnt.at(s), 0))),
  ];
}
/**
 * `vma_start_write`, second half: `rcuwait_wait_event(vm_refcnt == FLAG + 1)` (every reader
 * gone), `WRITE_ONCE(vm_lock_seq, mm_lock_seq)`, `__vma_exit_locked` (subtract the flag).
 */
export function vma_start_write_wait(w: VmaWorld, mm: string, self: Expr): Stmt[] {
  const v = ptrOf(w, self);
  return [
    guard(or(not(w.f(w.vm_refcnt_excl, v)), eq(w.f(w.vm_refcnt, v), 1))),
    ...w.fset(w.vm_lock_seq, v, () => w.mm_lock_seq.at(w.mm(mm))),
    ...w.fset(w.vm_refcnt_excl, v, () => false),
  ];
}

/** `vma_mark_detached`: the VMA must be write-locked; `refcount_dec_and_test(vm_refcnt)`. */
export function vma_mark_detached(w: VmaWorld, mm: string, self: Expr): Stmt[] {
  const v = ptrOf(w, self);
  return [
    requires(KERNEL.vma.detachNotWriteLocked, and(rwsem_is_write_owner(w.mmap_lock[mm], self), vma_write_locked(w, mm, v))),
    requires(KERNEL.vma.detachDetached, gt(w.f(w.vm_refcnt, v), 0)),
    ...w.fset(w.vm_refcnt, v, (s) => sub(w.vm_refcnt.at(s), 1)),
  ];
}

/**
 * The steps of munmap of `mm`'s VMA (`do_vmi_align_munmap`, unlock=true), docs/kernel-protocols.md §3.2.
 * Labels are plain kernel names; a model running this in two programs gets them qualified.
 */
export function munmap(w: VmaWorld, mm: string, self: Expr): ProgStmt[] {
  const v = ptrOf(w, self);
  return [
    // mmap_write_lock_killable; vma_find
    step('mmap_write_lock', ...mmap_write_lock(w, mm, self), set(w.vma.at(self), w.mm_mt.at(w.mm(mm)))),
    // vms_gather_munmap_vmas: vma_start_write, vma_mark_detached
    step('vma_start_write', ...vma_start_write(w, mm, self)),
    step('vma_start_write.wait', ...vma_start_write_wait(w, mm, self)),
    // refcount_dec_and_test(vm_refcnt); a reader that incremented it before seeing the write
    // lock may still be in: then __vma_enter_locked(detaching) (refcount_add_not_zero: nothing if
    // it left meanwhile) and wait until only the flag is left.
    branch('vma_mark_detached.readers?', gt(w.f(w.vm_refcnt, v), 1), [
      step('vma_mark_detached.busy', ...vma_mark_detached(w, mm, self)),
      step('__vma_enter_locked', ...w.fset(w.vm_refcnt_excl, v, (s) => gt(w.vm_refcnt.at(s), 0))),
      step('rcuwait_wait_event', guard(eq(w.f(w.vm_refcnt, v), 0)), ...w.fset(w.vm_refcnt_excl, v, () => false)),
    ], [step('vma_mark_detached', ...vma_mark_detached(w, mm, self))]),
    // vma_iter_clear_gfp: vma_lookup / mas_walk no longer find it.
    step('vma_iter_clear', set(w.mm_mt.at(w.mm(mm)), w.pool.none)),
    // vms_complete_munmap_vmas: downgrade, zap under the read lock, remove_vma.
    step('mmap_write_downgrade', ...mmap_write_downgrade(w, mm, self)),
    // remove_vma: vm_ops->close, fput(vm_file), vm_area_free → kmem_cache_free: reusable at once.
    step('remove_vma',
      requires(KERNEL.vma.freeAttached, and(eq(w.f(w.vm_refcnt, v), 0), not(w.f(w.vm_refcnt_excl, v)))),
      ...kmem_cache_free(w.pool, v), set(w.vma.at(self), w.pool.none)),
    step('mmap_read_unlock', ...up_read(w.mmap_lock[mm], self)),
  ];
}

/**
 * A write-side change that keeps the VMA (mprotect → `mprotect_fixup`): write lock,
 * `vma_start_write`, change `vm_flags` (nothing the model tracks), `mmap_write_unlock`. Readers
 * failing meanwhile find the VMA again under `mmap_read_lock`.
 */
export function mprotect(w: VmaWorld, mm: string, self: Expr): ProgStmt[] {
  return [
    step('mprotect', ...mmap_write_lock(w, mm, self), set(w.vma.at(self), w.mm_mt.at(w.mm(mm)))),
    step('mprotect.vma_start_write', ...vma_start_write(w, mm, self)),
    step('mprotect.vma_start_write.wait', ...vma_start_write_wait(w, mm, self)),
    step('mprotect.mmap_write_unlock', ...mmap_write_unlock(w, mm, self), set(w.vma.at(self), w.pool.none)),
  ];
}

// ---------------------------------------------------------------------------------------------
// VMA read side.

/**
 * `vma_refcount_put` (= `vma_end_read`): `__refcount_dec_and_test(vm_refcnt)`. With
 * `wake`, `mm = vma->vm_mm` is copied first (the VMA may be freed and reused right after the
 * decrement) for the wake-up that must follow.
 */
export function vma_refcount_put(w: VmaWorld, self: Expr, wake: boolean): Stmt[] {
  const v = ptrOf(w, self);
  return [
    requires(KERNEL.vma.putWithoutReference, w.vma_read.at(self)),
    typesafe_read(w.pool, self, w.vma_read.at(self)),
    ...(wake ? [set(w.wake_mm.at(self), w.f(w.vm_mm, v))] : []),
    ...w.fset(w.vm_refcnt, v, (s) => sub(w.vm_refcnt.at(s), 1)),
    set(w.vma_read.at(self), false),
    set(w.vma.at(self), w.pool.none),
  ];
}

/** `is_vma_writer_only(oldcnt - 1)`, decided before the decrement: this put leaves only a waiting writer. */
export function leaves_writer_only(w: VmaWorld, self: Expr): Expr {
  const v = ptrOf(w, self);
  return and(w.f(w.vm_refcnt_excl, v), le(w.f(w.vm_refcnt, v), 2));
}

/** `rcuwait_wake_up(&mm->vma_writer_wait)` on the mm copied by the put. */
export function rcuwait_wake_up(w: VmaWorld, self: Expr): Stmt[] {
  return [
    requires(KERNEL.vma.writerWakeupUseAfterFree, not(w.mmFreed(w.wake_mm.at(self).e))),
    set(w.wake_mm.at(self), 'none'),
  ];
}

/**
 * A put: `label` when readers remain or nobody waits; `label.writer_only` then `label.wake`
 * when it leaves only a writer, which must be woken (a separate step: the window of K6).
 * `mayWake: false` where no writer can be waiting (saves a branch that is never taken).
 */
export function putSteps(w: VmaWorld, self: Expr, label: string, extra: StmtLike[] = [], mayWake = true): ProgStmt[] {
  const plain = step(label, ...vma_refcount_put(w, self, false), ...extra);
  if (!mayWake) return [plain];
  return [branch(`${label}?`, leaves_writer_only(w, self), [
    step(`${label}.writer_only`, ...vma_refcount_put(w, self, true), ...extra),
    step(`${label}.wake`, ...rcuwait_wake_up(w, self)),
  ], [plain])];
}

export interface LockVmaOptions {
  /**
   * What `vma_start_read` does after taking a reference on a VMA whose `vm_mm` is another mm:
   * `grab`: the fix 9bbffee67ffd (`rcu_read_unlock; mmgrab(other_mm); vma_refcount_put; mmdrop`);
   * `put`: 6.15–6.16.0 (`lock_vma_under_rcu` checks `vm_mm` after `vma_start_read` and calls
   * `vma_end_read` under RCU; K6); `none`: no check at all (the reader uses another mm's VMA);
   * `absent`: the model has one mm, so there is no check to model.
   */
  otherMm: 'grab' | 'put' | 'none' | 'absent';
  /** The VMA may be detached while readers look (the model unmaps it): the -EAGAIN and no-VMA paths. */
  detachable: boolean;
  /** Where to continue when `lock_vma_under_rcu` returns NULL (the `mmap_read_lock` fallback). */
  fallback: string;
}

/**
 * `lock_vma_under_rcu(mm, addr)` (mm/mmap_lock.c): on success it falls through with
 * `vma_read[self]` set (a read-locked, attached VMA of `mm`); on failure it goes to `o.fallback`
 * with nothing held. Every read of the VMA is a `typesafe_read` (RCU or a reference).
 */
export function lock_vma_under_rcu(w: VmaWorld, mm: string, self: Expr, o: LockVmaOptions): ProgStmt[] {
  const m = w.m;
  const v = ptrOf(w, self);
  const M = w.mm(mm);
  const read = () => typesafe_read(w.pool, self, w.vma_read.at(self));
  const abort = (label: string, ...extra: StmtLike[]): ProgStmt[] => [
    step(label, read(), ...extra, ...rcu_read_unlock(m, self), set(w.vma.at(self), w.pool.none)), goto(o.fallback)];
  const locked = vma_write_locked(w, mm, v);
  // (4) vma_start_read: vm_lock_seq re-read after the (acquire) increment.
  // A writer can be waiting on a reader that saw the write lock only after its increment
  // only in vma_mark_detached (vma_start_write sets vm_lock_seq after its wait): without
  // detaching there is nobody to wake here, and the put has no wake-up step.
  const lockedAfterInc = () => [...putSteps(w, self, 'vma_start_read.locked_after_inc', rcu_read_unlock(m, self), o.detachable), goto(o.fallback)];
  const recheck = branch('vma_start_read.recheck?', locked, lockedAfterInc(),
    [step('lock_vma_under_rcu.done', read(), ...rcu_read_unlock(m, self))]);
  const recycled = ne(w.f(w.vm_mm, v), M);
  const rc = w.refcounted;
  const mmgrab = (other: Expr) => (rc ? [when(eq(other, w.mm(rc.name)), rc.mm.mmgrab(self))] : []);
  const mmdrop = (other: Expr) => (rc ? [when(eq(other, w.mm(rc.name)), rc.mm.mmdrop(self))] : []);
  let afterInc: ProgStmt[];
  switch (o.otherMm) {
    case 'grab': afterInc = [branch('vma_start_read.vm_mm?', recycled, [
      // 9bbffee67ffd: while our reference is held the VMA stays attached to other_mm, so
      // other_mm cannot be torn down and mmgrab is legal; mm_count then keeps it across the wake-up.
      step('vma_start_read.other_mm', read(), set(w.other_mm.at(self), w.f(w.vm_mm, v)),
        ...rcu_read_unlock(m, self), ...mmgrab(w.f(w.vm_mm, v))),
      ...putSteps(w, self, 'vma_refcount_put.other_mm'),
      step('mmdrop.other_mm', ...mmdrop(w.other_mm.at(self).e), set(w.other_mm.at(self), 'none')),
      goto(o.fallback),
    ], [recheck])]; break;
    case 'put': afterInc = [branch('vma_start_read.recheck?', locked, lockedAfterInc(),
      [branch('lock_vma_under_rcu.vm_mm?', recycled, [
        // 6.15: inval_end_read: vma_end_read(vma) under RCU; the wake-up uses vma->vm_mm unpinned.
        ...putSteps(w, self, 'vma_end_read.other_mm'),
        step('rcu_read_unlock.other_mm', ...rcu_read_unlock(m, self)),
        goto(o.fallback),
      ], [step('lock_vma_under_rcu.done', read(), ...rcu_read_unlock(m, self))])])]; break;
    case 'none': case 'absent': afterInc = [recheck]; break;
  }
  const incOk = and(gt(w.f(w.vm_refcnt, v), 0), not(w.f(w.vm_refcnt_excl, v)));
  return [
    step('mas_walk', ...rcu_read_lock(m, self), set(w.vma.at(self), w.mm_mt.at(M))),
    ...(o.detachable ? [branch('mas_walk.found?', eq(w.vma.at(self), w.pool.none),
      [step('lock_vma_under_rcu.no_vma', ...rcu_read_unlock(m, self)), goto(o.fallback)])] : []),
    // (1) vma_start_read: a write-locked VMA fails at once.
    branch('vma_start_read.seq?', locked, abort('vma_start_read.write_locked'), [step('vma_start_read', read())]),
    // (2) __refcount_inc_not_zero_limited_acquire(vm_refcnt, VM_REFCNT_LIMIT)
    branch('vm_refcnt_inc?', incOk,
      [step('vm_refcnt_inc', read(), ...w.fset(w.vm_refcnt, v, (s) => add(w.vm_refcnt.at(s), 1)), set(w.vma_read.at(self), true))],
      o.detachable
        ? [branch('vm_refcnt_inc.zero?', eq(w.f(w.vm_refcnt, v), 0),
          // old == 0: detached (-EAGAIN): the area was replaced; look it up again.
          [step('vm_refcnt_inc.detached', read(), ...rcu_read_unlock(m, self), set(w.vma.at(self), w.pool.none)), goto('mas_walk')],
          abort('vm_refcnt_inc.excluded'))]
        : abort('vm_refcnt_inc.excluded')),
    ...afterInc,
  ];
}

/**
 * The use of the VMA in the fault handler: it must be the VMA mapped in `mm` (not freed, detached
 * or recycled) and the thread must hold its read lock or mmap_lock (I-L1).
 */
export function vma_use(w: VmaWorld, mm: string, self: Expr): Stmt[] {
  const v = ptrOf(w, self);
  return [
    requires(KERNEL.vma.useAfterFree, and(ne(v, w.pool.none), eq(w.mm_mt.at(w.mm(mm)), v)),
      'the fault handler used a VMA that is not mapped in this mm any more (freed, detached or recycled into another mm)'),
    requires(KERNEL.vma.useWithoutLock, or(w.vma_read.at(self), rwsem_is_read_owner(w.mmap_lock[mm], self))),
  ];
}

/**
 * A page fault on `mm`'s address: `lock_vma_under_rcu`, or `mmap_read_lock` + `vma_lookup`
 * when it fails; the handler `handle` (its first statement labelled `handleLabel`); the release of
 * whichever guard was taken, by this thread (do_user_addr_fault).
 */
export function pageFault(w: VmaWorld, mm: string, self: Expr, o: Omit<LockVmaOptions, 'fallback'>, handleLabel: string, handle: ProgStmt[]): ProgStmt[] {
  const lock = w.mmap_lock[mm];
  return [
    ...lock_vma_under_rcu(w, mm, self, { ...o, fallback: 'mmap_read_lock' }),
    ...handle,
    branch('fault_done?', w.vma_read.at(self), putSteps(w, self, 'vma_end_read'),
      [step('mmap_read_unlock', ...up_read(lock, self), set(w.vma.at(self), w.pool.none))]),
    goto(DONE),
    // The fallback: lock_mm_and_find_vma.
    step('mmap_read_lock', ...down_read(lock, self)),
    ...(o.detachable
      ? [branch('vma_lookup?', ne(w.mm_mt.at(w.mm(mm)), w.pool.none),
        [step('vma_lookup', set(w.vma.at(self), w.mm_mt.at(w.mm(mm)))), goto(handleLabel)],
        [step('bad_area', ...up_read(lock, self))])]
      // Nothing unmaps it: vma_lookup always finds the VMA.
      : [step('vma_lookup', set(w.vma.at(self), w.mm_mt.at(w.mm(mm)))), goto(handleLabel)]),
  ];
}

// ---------------------------------------------------------------------------------------------
// The K6 model.

export interface VmaFlags {
  /** What vma_start_read does with a VMA recycled into another mm (see LockVmaOptions). */
  otherMm: 'grab' | 'put' | 'none';
}

/**
 * VMA objects in `vm_area_cachep`: one for mmA's VMA and one more, so process B gets the slot
 * munmap freed if it maps after the free and a fresh one before (allocation takes the lowest
 * free slot, so a third would never be used).
 */
export const VMA_SLOTS = 2;

/** Build the model with `readers` faulting threads. Example: `buildVma(2, { otherMm: 'grab' })`. */
export function buildVma(nReaders: number, flags: VmaFlags) {
  const m = model('vma', 'per-VMA locks: lock_vma_under_rcu against munmap; VMAs recycled into another mm (SLAB_TYPESAFE_BY_RCU)');
  m.bounds = { readers: nReaders };
  const readers = Array.from({ length: nReaders }, (_, i) => `R${i + 1}`);
  m.threads([...readers, 'munmap', 'procB']);
  m.symmetric(readers);
  // mmB: one user (process B); the reader may mmgrab it (the fix).
  const mmB = mmStruct(m, { users: ['procB'], grabs: [] });
  mmQuiescence(m, mmB);
  const w = vmaWorld(m, { mms: ['mmA', 'mmB'], slots: VMA_SLOTS, initial: ['mmA'], readers: nReaders, writeSessions: 2, refcounted: { name: 'mmB', mm: mmB } });

  m.program('reader', readers, (self) => pageFault(w, 'mmA', self, { otherMm: flags.otherMm, detachable: true },
    'handle_mm_fault', [step('handle_mm_fault', ...vma_use(w, 'mmA', self))]));

  // Process A's other thread changes the VMA (it stays: readers that fail find it under
  // mmap_read_lock) or unmaps it (readers find nothing; its slot goes back to the cache).
  m.program('munmap', ['munmap'], (self) => [either('munmap_or_mprotect', mprotect(w, 'mmA', self), munmap(w, 'mmA', self))]);

  m.program('procB', ['procB'], (self) => [
    // vm_mmap_pgoff → do_mmap → __mmap_region, under mmap_write_lock_killable.
    step('vm_mmap_pgoff', ...mmap_write_lock(w, 'mmB', self)),
    // vm_area_alloc: the lowest free slot (the one munmap freed, once it has). vm_refcnt is not
    // reinitialised (it is 0 since the free); vma_lock_init sets vm_lock_seq to UINT_MAX.
    step('vm_area_alloc', ...kmem_cache_alloc(w.pool, w.vma.at(self), (s) => [
      set(w.vm_mm.at(s), 'mmB'), set(w.vm_lock_seq.at(s), -1),
    ])),
    // vma_start_write on the new VMA (detached: only vm_lock_seq), then vma_iter_store_new →
    // vma_mark_attached: refcount_set_release(vm_refcnt, 1) publishes it.
    step('vma_iter_store_new',
      ...w.fset(w.vm_lock_seq, w.vma.at(self).e, () => w.mm_lock_seq.at(w.mm('mmB'))),
      ...w.fset(w.vm_refcnt, w.vma.at(self).e, () => 1),
      set(w.mm_mt.at(w.mm('mmB')), w.vma.at(self)), set(w.vma.at(self), w.pool.none)),
    step('vm_mmap_pgoff.unlock', ...mmap_write_unlock(w, 'mmB', self)),
    ...munmap(w, 'mmB', self),
    // exit_mm → mmput → __mmput (exit_mmap: no VMA left) → mmdrop → __mmdrop → free_mm.
    step('exit_mm', ...mmB.mmput(self)),
  ]);
  return m.build();
}

const vmaDef: ModelDef = defineModel({
  name: 'vma',
  doc: 'mmap_lock and per-VMA locks: lock_vma_under_rcu, vm_refcnt, vm_lock_seq, munmap with downgrade, VMAs recycled into another mm',
  variants: [
    { name: 'fixed', doc: 'vma_start_read mmgrabs a recycled VMA\'s other mm across vma_refcount_put (9bbffee67ffd)', expect: 'pass' },
    {
      name: 'recycled-vma-wakeup-uaf',
      doc: 'K6 vma_end_read of a VMA recycled into another mm: the wake-up uses that mm after it may be freed (CVE-2025-38554)',
      expect: 'violation:vma.writer-wakeup-use-after-free',
    },
    {
      name: 'no-vm_mm-recheck',
      doc: 'I-L3 no vm_mm re-check after the reference is taken: the fault handler uses a VMA recycled into another mm',
      expect: 'violation:vma.use-after-free',
    },
  ],
  bounds: [
    { name: 'readers', default: 2, min: 1, max: 3, doc: 'threads of process A faulting on its address (lock_vma_under_rcu readers)' },
  ],
  build: (variant, b) => buildVma(b.readers, {
    otherMm: variant === 'recycled-vma-wakeup-uaf' ? 'put' : variant === 'no-vm_mm-recheck' ? 'none' : 'grab',
  }),
});

export default vmaDef;
