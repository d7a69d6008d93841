/**
 * What the C and the Rust Binder models share (docs/kernel-protocols.md §5, §2-3): the target process's
 * mm and mmap_lock, its one binder VMA `V`, the buffer pages' slots (installed, PTE, on the
 * LRU), the global `binder_freelist` list_lru and its spinlock, the munmap/exit thread, the
 * kworker that runs `mmput_async`'s teardown, and the shrinker's `list_lru_walk` loop.
 *
 * Threads: `sender` (allocates a buffer in the target's alloc and installs its page: another
 * process), `shrinker` (reclaim: `list_lru_walk` over `binder_freelist`), `munmap` (the target
 * process: munmaps the binder VMA, may mmap something else at the same address, exits), and
 * `kworker` (`mmput_async_fn`). Page 0 starts installed, mapped and on the LRU (a freed buffer
 * of an earlier transaction); the other pages start not installed.
 *
 * Not modelled: the file release (`binder_alloc_deferred_release` / `PinnedDrop`), which also
 * drops the alloc's `mmgrab`; buffers larger than one page; the best-fit choice (a new buffer
 * may take any free page); a second installer of the same page (one sender).
 */
import { bool, enumeration, option, range, type ModelBuilder, type Threads, type Var } from './lang/builder.ts';
import type { Expr, Sort } from './lang/ir.ts';
import { and, eq, exists, ex, forall, implies, ite, lt, ne, not, or, add, type ExprLike } from './lang/expr.ts';
import { guard, requires, set, when, type Stmt, type StmtLike } from './lang/stmt.ts';
import { branch, either, goto, loop, step, type ProgStmt } from './lang/process.ts';
import { mmStruct, type MmStruct } from './primitives/mm.ts';
import { mightSleep } from './primitives/context.ts';
import {
  rwsem, spinlock, down_write, downgrade_write, up_read, up_write, spin_lock, spin_unlock,
  rwsem_is_held, type Rwsem, type Spinlock,
} from './primitives/locks.ts';
import { KERNEL } from '../properties/catalogue/index.ts';

export const THREADS = ['sender', 'shrinker', 'munmap', 'kworker'] as const;

/** Values of `vma_state`: a VMA is mapped in the tree, detached by munmap, or freed. */
export const VMA_STATES = ['unmapped', 'attached', 'detached', 'freed'];

export interface BinderWorld {
  m: ModelBuilder;
  T: Threads;
  pages: number;
  /** Page indices of the buffer area, `0..pages-1`. */
  Page: Sort;
  /** `V`: the binder VMA (binder_mmap); `W`: another mapping, mmapped at the same address after munmap. */
  Vma: Sort;
  /** A VMA pointer: `V`, `W` or `none` (NULL). */
  VmaPtr: Sort;
  V: Expr;
  W: Expr;
  NONE: Expr;
  mm: MmStruct;
  mmap: Rwsem;
  /** `binder_freelist.lock` (the list_lru's spinlock). */
  lru: Spinlock;
  vma_state: Var;
  /** C only: `alloc->vma != NULL` / `alloc->mapped` (binder_vma_close clears it). */
  mapped: Var;
  /** The page slot is set (C `alloc->pages[i]`, Rust `PageInfo.page` is Some). */
  installed: Var;
  /** A PTE of `V` maps the page (vm_insert_page; cleared by zap). */
  pte: Var;
  /** On `binder_freelist` (C OnLRU, Rust Available). */
  on_lru: Var;
  /** Per-thread local: the VMA pointer this thread is using. */
  vma: Var;
  /** Per-thread local: this thread holds `vma`'s per-VMA read lock (lock_vma_under_rcu). */
  vma_locked: Var;
  /** The VMA at the buffer's address, as `vma_lookup` / `mas_walk` find it. */
  lookup: Expr;
}

/** Declare the shared state. Example: `const w = binderWorld(m, 2)`. */
export function binderWorld(m: ModelBuilder, pages: number): BinderWorld {
  const T = m.threads([...THREADS]);
  const Page = range(0, pages - 1);
  const Vma = enumeration('Vma', ['V', 'W']);
  const VmaPtr = option(Vma, 'none');
  const V = ex('V', VmaPtr), W = ex('W', VmaPtr), NONE = ex('none', VmaPtr);
  const VmaState = enumeration('VmaState', VMA_STATES);
  const vma_state = m.var('vma_state', VmaState, ['attached', 'unmapped'], [Vma], 'VMA lifecycle: in the maple tree, detached, vm_area_free');
  // The target process holds mm_users (current->mm); its binder_alloc holds an mmgrab
  // (binder_alloc_init), dropped in binder_alloc_deferred_release (not modelled), so the
  // struct outlives every thread here. That mmgrab is booked on the munmap thread.
  const mm = mmStruct(m, {
    users: ['munmap'],
    grabs: ['munmap'],
    // exit_mmap: whatever is still mapped goes (V was munmapped before exit).
    exitMmap: () => [set(vma_state.at(W), 'unmapped')],
  });
  const mmap = rwsem(m, 'mmap_lock');
  const lru = spinlock(m, 'lru_lock');
  const mapped = m.var('alloc.mapped', bool, true, [], 'alloc->vma set / alloc->mapped (binder_alloc_mmap_handler ran)');
  const first = (yes: boolean) => Array.from({ length: pages }, (_, i) => (i === 0 ? yes : !yes));
  const installed = m.var('page.installed', bool, first(true), [Page], 'page slot set: alloc->pages[i] / PageInfo.page');
  const pte = m.var('page.pte', bool, first(true), [Page], "a PTE of the binder VMA maps the page");
  const on_lru = m.var('page.on_lru', bool, first(true), [Page], 'on binder_freelist');
  const vma = m.var('vma', VmaPtr, 'none', [T.sort], 'the VMA pointer a thread holds');
  const vma_locked = m.var('vma_locked', bool, false, [T.sort], 'holds that VMA read lock (lock_vma_under_rcu)');
  const lookup = ite(eq(vma_state.at(V), 'attached'), V, ite(eq(vma_state.at(W), 'attached'), W, NONE));

  m.quiescence(KERNEL.binder.pageOffLru, forall(Page, (i) => implies(installed.at(i), on_lru.at(i))));
  m.quiescence(KERNEL.binder.mmUsersLeak, eq(mm.mm_users, 0));
  m.final(not(mm.async_put_pending));

  return { m, T, pages, Page, Vma, VmaPtr, V, W, NONE, mm, mmap, lru, vma_state, mapped, installed, pte, on_lru, vma, vma_locked, lookup };
}

/**
 * I-B1: a page on the LRU is installed and no live buffer covers it. Example:
 * `lruInvariant(w, (i) => allocated.at(i))`.
 */
export function lruInvariant(w: BinderWorld, covered: (i: Expr) => ExprLike): void {
  w.m.invariant(KERNEL.binder.lruPageInUse, forall(w.Page, (i) => implies(w.on_lru.at(i), and(w.installed.at(i), not(covered(i))))),
    `${KERNEL.binder.lruPageInUse.message} (I-B1)`);
}

/**
 * The kernel writes the transaction into the buffer (C `binder_alloc_copy_user_to_buffer`, Rust
 * `copy_from_user_slice`/`write`): its page must be installed and off the LRU (C InUse, Rust Used).
 */
export function pageInUse(w: BinderWorld, page: ExprLike, op: string): Stmt[] {
  return [requires(KERNEL.binder.pageNotInUse, and(w.installed.at(page), not(w.on_lru.at(page))),
    `${op}: the buffer's page is not installed, or is on the LRU where the shrinker can take it`)];
}

/** Every page index. */
export function pageIndices(w: BinderWorld): number[] {
  return Array.from({ length: w.pages }, (_, i) => i);
}

/**
 * Dereferencing this thread's `vma` (zap, vm_insert_page): I-L1 (under mmap_lock or the VMA's
 * read lock), not freed (K1, K2, K3), binder's own VMA (I-B2), with an mm_users reference (I-MM1).
 */
function useVma(w: BinderWorld, self: Expr, op: string): Stmt[] {
  const v = w.vma.at(self);
  return [
    // Only V is ever freed while threads run (W goes in exit_mmap, when nobody holds mm_users).
    requires(KERNEL.vma.useAfterFree, implies(eq(v, w.V), ne(w.vma_state.at(w.V), 'freed')), `${op} on a freed vm_area_struct`),
    requires(KERNEL.vma.unlockedAccess, or(rwsem_is_held(w.mmap, self), w.vma_locked.at(self)),
      `${op} without mmap_lock or the VMA read lock (I-L1)`),
    requires(KERNEL.binder.foreignVma, eq(v, w.V), `${op} on a VMA that is not this binder's mapping (I-B2)`),
    ...w.mm.access(self),
  ];
}

/** `zap_page_range_single(vma, page_addr, PAGE_SIZE)`: may sleep (cond_resched). */
export function zapPage(w: BinderWorld, self: Expr, page: ExprLike): Stmt[] {
  return [
    ...mightSleep(w.m, self),
    ...useVma(w, self, 'zap_page_range_single'),
    set(w.pte.at(page), false),
  ];
}

/** `vm_insert_page(vma, addr, page)`: the slot's PTE must have been zapped (I-B2, design rule (a)). */
export function vmInsertPage(w: BinderWorld, self: Expr, page: ExprLike): Stmt[] {
  return [
    ...useVma(w, self, 'vm_insert_page'),
    requires(KERNEL.binder.reinstallBeforeZap, not(w.pte.at(page)), 'vm_insert_page over a PTE that still maps the reclaimed page (-EBUSY, I-B2)'),
    set(w.pte.at(page), true),
  ];
}

/** `lock_vma_under_rcu(mm, addr)` that succeeds: the VMA at addr is attached; read-lock it. */
export function lockVmaUnderRcu(w: BinderWorld, self: Expr): Stmt[] {
  return [guard(ne(w.lookup, w.NONE)), set(w.vma.at(self), w.lookup), set(w.vma_locked.at(self), true)];
}

/** `vma_end_read(vma)` if this thread took the VMA lock, else `mmap_read_unlock`/`up_write`; forget the pointer. */
export function unlockVma(w: BinderWorld, self: Expr): Stmt[] {
  return [
    when(w.vma_locked.at(self), [set(w.vma_locked.at(self), false)], [
      when(w.mmap.readers.at(self), up_read(w.mmap, self)),
      when(eq(w.mmap.writer, self), up_write(w.mmap, self)),
    ]),
    set(w.vma.at(self), w.NONE),
  ];
}

/**
 * The unlock matching how `vma` was obtained: `vma_end_read` (if `perVma`, the per-VMA lock),
 * else `mmap_read_unlock` / `mmap_write_unlock` by `mode`. `label` names the branch.
 */
export function unlockVmaSteps(w: BinderWorld, self: Expr, label: string, perVma: boolean, mode: 'read' | 'write'): ProgStmt[] {
  const mmapUnlock = step(mode === 'read' ? 'mmap_read_unlock' : 'mmap_write_unlock', ...unlockVma(w, self));
  if (!perVma) return [mmapUnlock];
  return [branch(label, w.vma_locked.at(self), [step('vma_end_read', ...unlockVma(w, self))], [mmapUnlock])];
}

/**
 * The munmap/exit thread (the target process). `do_vmi_align_munmap`: write lock, detach V,
 * downgrade, zap PTEs, `remove_vma` (close, free) under the read lock (since dd2283f2605e);
 * then maybe an mmap at the same address, then `exit_mm`. `vmaClose`: the driver's
 * `vm_ops->close` clears `alloc.mapped` (C `binder_vma_close`); the Rust model does not use it.
 */
export function munmapProgram(w: BinderWorld, opts: { vmaClose: boolean }): void {
  const { m, V, W } = w;
  m.program('munmap', ['munmap'], (self) => [
    step('mmap_write_lock', down_write(w.mmap, self)),
    // vma_start_write (waits for per-VMA readers) + vma_mark_detached + clear from the maple
    // tree: from here vma_lookup and lock_vma_under_rcu no longer find V.
    step('detach_vma', guard(forall(w.T.sort, (t) => not(and(w.vma_locked.at(t), eq(w.vma.at(t), V))))),
      set(w.vma_state.at(V), 'detached')),
    step('mmap_write_downgrade', downgrade_write(w.mmap, self)),
    // unmap_region: zap every PTE of V and free its page tables, under the read lock.
    step('unmap_region', ...pageIndices(w).map((i) => set(w.pte.at(i), false))),
    // remove_vma → vm_ops->close: binder_vma_close → alloc->vma = NULL / mapped = false.
    ...(opts.vmaClose ? [step('binder_vma_close', set(w.mapped, false))] : []),
    // remove_vma → vm_area_free (the VMA memory goes back to the slab).
    step('vm_area_free', set(w.vma_state.at(V), 'freed')),
    step('mmap_read_unlock', up_read(w.mmap, self)),
    either('after_munmap',
      // mmap(addr, MAP_FIXED) of something else (anonymous memory, another driver) where the binder mapping was.
      [step('mmap_anon', ...down_write(w.mmap, self), set(w.vma_state.at(W), 'attached'), ...up_write(w.mmap, self))],
      []),
    step('exit_mm', ...w.mm.mmput(self)),
  ]);
  m.action('mmput_async_fn', {
    params: [{ name: 'self', sort: w.T.sort, values: [w.T.id('kworker')] }],
    thread: 'self',
    doc: 'kworker: async_put_work → __mmput',
    body: [guard(w.mm.async_put_pending), ...w.mm.asyncPutWork(w.T.lit('kworker'))],
  });
}

export interface WalkOptions {
  /** Isolate callbacks the walk may run (nr_to_walk). */
  scans: number;
  /** The per-item callback; it ends holding the lru lock (LRU_SKIP, or LRU_REMOVED_RETRY after relocking). */
  callback: (self: Expr, item: Expr) => ProgStmt[];
}

/** Label of the walk loop: callbacks `goto(WALK)` to return to `list_lru_walk`. */
export const WALK = 'walk';

/**
 * The shrinker: `binder_shrink_scan` → `list_lru_walk(&binder_freelist, callback)`. The walk
 * holds the lru lock and hands each item (any page on the LRU) to the callback, which may drop
 * the lock and must hold it again when it returns.
 */
export function shrinkerProgram(w: BinderWorld, o: WalkOptions): void {
  const { m } = w;
  const item = m.var('shrinker.item', w.Page, 0, [], 'the LRU item (page index) the callback works on');
  const nr = m.var('shrinker.nr', range(0, o.scans), 0, [], 'callbacks run so far');
  m.program('shrinker', ['shrinker'], (self) => [
    step('list_lru_walk', spin_lock(w.lru, self)),
    loop(WALK, and(lt(nr, o.scans), exists(w.Page, (i) => w.on_lru.at(i))), [
      either('next_item', ...pageIndices(w).map((i) => [
        step(`walk_item_p${i}`, guard(w.on_lru.at(i)), set(item, i), set(nr, add(nr, 1))),
      ])),
      ...o.callback(self, item.e),
    ]),
    step('list_lru_walk_done', spin_unlock(w.lru, self)),
  ]);
}

/** Re-take the lru lock after the callback dropped it (LRU_REMOVED_RETRY), back to the walk. */
export function relockAndRetry(w: BinderWorld, self: Expr): ProgStmt[] {
  return [step('spin_lock', spin_lock(w.lru, self)), goto(WALK)];
}

/** A skip: the callback returns LRU_SKIP with the lru lock still held. */
export function lruSkip(label: string, ...body: StmtLike[]): ProgStmt[] {
  return [step(label, ...body), goto(WALK)];
}

