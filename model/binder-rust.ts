/**
 * Rust Binder's allocator (drivers/android/binder/), docs/kernel-protocols.md §5.2: `RangeAllocator`
 * (reserve_new → Reserved, reservation_commit → Allocated, buffer_raw_free / reservation_abort
 * → free) under `Process.inner`, and `ShrinkablePageRange` (page_range.rs): `use_range` /
 * `use_page_slow` install pages under `mm_lock`, `stop_using_range` puts them on the LRU, and
 * `rust_shrink_free_page` reclaims them with trylocks only. The mm is held as
 * `ARef<MmWithUser>` turned into `MmWithUserAsync` (`into_mmput_async`), so every drop is an
 * `mmput_async`. Shared pieces (mm, mmap_lock, VMAs, page slots, LRU, munmap/exit): binder-common.ts.
 *
 * `range.lock` (the `Inner` spinlock) and `Process.inner` are only ever held inside one step of
 * this model, so they have no variables and the shrinker's `range.lock.try_lock()` succeeds.
 */
import { model, range, bool, enumeration, step, branch, either, loop, goto, guard, set, add, lt, eq, ne, gt, not, when, requires, defineModel, type ModelDef } from './lang/index.ts';
import type { Expr } from './lang/ir.ts';
import type { StmtLike } from './lang/stmt.ts';
import { mightSleep } from './primitives/context.ts';
import { mutex, mutex_lock, mutex_unlock, mutex_trylock, down_read, down_read_trylock, spin_unlock } from './primitives/locks.ts';
import {
  binderWorld, lruInvariant, pageInUse, pageIndices, zapPage, vmInsertPage, unlockVma, munmapProgram, shrinkerProgram,
  relockAndRetry, lruSkip,
} from './binder-common.ts';
import { KERNEL } from '../properties/catalogue/index.ts';

export interface BinderRustFlags {
  /**
   * The shrinker keeps the `ARef<MmWithUser>` from `mmget_not_zero` (no `into_mmput_async`):
   * its drop is a synchronous `mmput`, which may sleep.
   */
  syncMmput?: boolean;
  /** Before 8ef2c15aeae0: no `check_vma` (vm_ops / vm_private_data) on the VMA `vma_lookup` returns. */
  noCheckVma?: boolean;
}

export interface BinderRustBounds {
  pages: number;
  transactions: number;
  scans: number;
}

/** Build the Rust Binder model. Example: `buildBinderRust({ pages: 2, transactions: 2, scans: 2 }, { syncMmput: true })`. */
export function buildBinderRust(b: BinderRustBounds, flags: BinderRustFlags = {}) {
  const m = model('binder-rust', 'Rust Binder: RangeAllocator, ShrinkablePageRange (use_range, use_page_slow, stop_using_range), shrinker, munmap');
  m.bounds = { ...b };
  const w = binderWorld(m, b.pages);
  const { V, NONE, mm, mmap, lru } = w;
  const mm_lock = mutex(m, 'range.mm_lock');
  const RangeState = enumeration('RangeState', ['free', 'reserved', 'allocated']);
  const state = m.var('range.state', RangeState, 'free', [w.Page], 'RangeAllocator: the range at this page (one page per buffer)');
  // A Reserved range's page may still be Available until use_range takes it off the LRU.
  lruInvariant(w, (i) => eq(state.at(i), 'allocated'));
  // No vm_ops->close use: vma_addr stays registered; vma_lookup decides.
  munmapProgram(w, { vmaClose: false });

  const lruFree = eq(lru.owner, lru.none);
  // check_vma (since 8ef2c15aeae0): vm_ops == &BINDER_VM_OPS && vm_private_data == this range.
  const vmaUsable = (self: Expr) => (flags.noCheckVma ? ne(w.vma.at(self), NONE) : eq(w.vma.at(self), V));
  // drop(ARef<MmWithUserAsync>) = mmput_async; with syncMmput, drop(ARef<MmWithUser>) = mmput.
  const dropMm = (self: Expr): StmtLike[] => (flags.syncMmput ? mm.mmput(self) : mm.mmputAsync(self));

  // ---- sender: Process::buffer_alloc → use_range → (transaction) → reservation_commit → buffer_raw_free
  const tx = m.var('sender.tx', range(0, b.transactions), 0, [], 'transactions done');
  const bp = m.var('sender.page', w.Page, 0, [], "the page of the sender's buffer");
  const inserted = m.var('sender.inserted', bool, false, [], 'vm_insert_page succeeded');
  m.program('sender', ['sender'], (self) => [
    loop('transaction', lt(tx, b.transactions), [
      // inner.lock(); mapping.alloc.reserve_new(..) (NeedAlloc: allocate outside the lock, retry; not modelled).
      either('reserve', ...pageIndices(w).map((i) => [step(`reserve_new_p${i}`,
        guard(eq(state.at(i), 'free')), set(state.at(i), 'reserved'), set(bp, i))])),
      // use_range(i, i + 1), under range.lock: an Available page is taken off the LRU (→ Used).
      branch('use_range', w.installed.at(bp),
        [step('use_range_available', guard(lruFree),
          requires(KERNEL.binder.lruDelNotOnLru, w.on_lru.at(bp), 'use_range: an installed page of a free range was not on the LRU'),
          set(w.on_lru.at(bp), false))],
        [
          // use_page_slow(i): alloc_page(GFP_KERNEL) → mm_lock.lock() → re-check under range.lock
          // (no other installer in this model) → read vma_addr.
          step('use_page_slow', ...mightSleep(m, self), ...mutex_lock(mm_lock, self)),
          // MmWithUser::into_mmput_async(self.mm.mmget_not_zero()?)
          branch('slow_mmget', gt(mm.mm_users, 0),
            [step('mmget_not_zero', ...mm.mmgetNotZero(self))],
            [step('mmget_not_zero_failed', ...mm.mmgetNotZeroFails(self), ...mutex_unlock(mm_lock, self)), goto('reservation_abort')]),
          step('mmap_read_lock', ...down_read(mmap, self)),
          step('vma_lookup', set(w.vma.at(self), w.lookup)),
          // check_vma → as_mixedmap_vma → vm_insert_page(vma_addr + i * PAGE_SIZE, &page)
          branch('check_vma', vmaUsable(self), [step('vm_insert_page', ...vmInsertPage(w, self, bp), set(inserted, true))]),
          // drop(mmap_read); drop(mm): mmput_async.
          step('mmap_read_unlock', ...unlockVma(w, self), ...mm.mmputAsync(self)),
          // range.lock: set_page(Some(page)) (→ Used); unlock; drop(mm_lock guard). On ESRCH the page is dropped.
          step('set_page', when(inserted, [set(w.installed.at(bp), true)]), set(inserted, false), ...mutex_unlock(mm_lock, self)),
        ]),
      branch('use_range_ok', w.installed.at(bp), [
        // The kernel writes the transaction (copy_from_user_slice: pages must be Used), then
        // Reserved → Allocated (no longer in use by the kernel, freeable by user space).
        step('reservation_commit', ...pageInUse(w, bp, 'copy_from_user_slice'), set(state.at(bp), 'allocated')),
        // BC_FREE_BUFFER → buffer_raw_free: under inner, reservation_abort + stop_using_range (Used → Available).
        step('buffer_raw_free', set(state.at(bp), 'free'), ...stopUsingRange(), set(tx, add(tx, 1))),
      ], [
        // use_range failed (ESRCH): buffer_alloc's error path, reservation_abort (nothing installed).
        step('reservation_abort', set(state.at(bp), 'free'), set(tx, add(tx, 1))),
      ]),
    ]),
  ]);

  function stopUsingRange(): StmtLike[] {
    return [when(w.installed.at(bp), [
      guard(lruFree),
      requires(KERNEL.binder.lruAddOnLru, not(w.on_lru.at(bp)), 'stop_using_range: the page is already on the LRU'),
      set(w.on_lru.at(bp), true),
    ])];
  }

  // ---- shrinker: rust_shrink_free_page, the list_lru_walk isolate callback (lru lock held)
  shrinkerProgram(w, {
    scans: b.scans,
    callback: (self, item) => [
      branch('shrink_mmget', gt(mm.mm_users, 0),
        // range.mm.mmget_not_zero() → MmWithUser::into_mmput_async
        [step('mmget_not_zero', ...mm.mmgetNotZero(self))],
        lruSkip('mmget_not_zero_failed', ...mm.mmgetNotZeroFails(self))),
      // range.stable_trylock_mm(): mm_lock.try_lock(); else drop(mm) under the lru lock.
      branch('try_mm_lock', eq(mm_lock.owner, mm_lock.none),
        [step('stable_trylock_mm', ...mutex_trylock(mm_lock, self))],
        lruSkip('stable_trylock_mm_failed', ...dropMm(self))),
      branch('try_mmap', eq(mmap.writer, mmap.none),
        [step('mmap_read_trylock', ...down_read_trylock(mmap, self))],
        lruSkip('mmap_read_trylock_failed', ...mutex_unlock(mm_lock, self), ...dropMm(self))),
      // range.lock.try_lock() → list_lru_isolate → take_page() (Available → Free) → read vma_addr
      // → drop(inner) → spin_unlock(&lru->lock).
      step('list_lru_isolate', set(w.installed.at(item), false), set(w.on_lru.at(item), false), ...spin_unlock(lru, self)),
      step('vma_lookup', set(w.vma.at(self), w.lookup)),
      branch('check_vma', vmaUsable(self), [step('zap_page_range_single', ...zapPage(w, self, item))]),
      // drop(mmap_read); drop(mm_mutex); drop(mm); drop(page).
      step('mmap_read_unlock', ...unlockVma(w, self)),
      step('mm_lock_unlock', ...mutex_unlock(mm_lock, self)),
      step('drop_mm', ...dropMm(self)),
      // spin_lock(&lru->lock); LRU_REMOVED_RETRY.
      ...relockAndRetry(w, self),
    ],
  });
  return m.build();
}

const binderRustDef: ModelDef = defineModel({
  name: 'binder-rust',
  doc: 'Rust Binder: RangeAllocator, ShrinkablePageRange lazy pages, LRU, shrinker with trylocks and MmWithUserAsync, munmap and exit',
  variants: [
    { name: 'fixed', doc: 'page_range.rs today: into_mmput_async everywhere, check_vma on every vma_lookup, lru lock dropped before the zap', expect: 'pass' },
    { name: 'shrinker-sync-mmput', doc: 'K5 (Rust form, not a historical bug) the shrinker keeps ARef<MmWithUser>: a failed trylock drops it with mmput under the lru spinlock', expect: 'violation:sleep-in-atomic' },
    { name: 'no-check-vma', doc: "before 8ef2c15aeae0: no check_vma; after munmap + mmap at the same address, use_page_slow inserts into (or the shrinker zaps) a VMA that is not binder's", expect: 'violation:binder.foreign-vma' },
  ],
  bounds: [
    { name: 'pages', default: 2, min: 1, max: 4, doc: 'buffer pages; page 0 starts installed and on the LRU (Available), the others Free' },
    { name: 'transactions', default: 2, min: 1, max: 4, doc: 'buffers the sender reserves, fills, commits and frees, one after the other' },
    { name: 'scans', default: 3, min: 1, max: 4, doc: 'isolate callbacks one list_lru_walk may run (nr_to_walk)' },
  ],
  build: (variant, bd) => buildBinderRust(
    { pages: bd.pages, transactions: bd.transactions, scans: bd.scans },
    { syncMmput: variant === 'shrinker-sync-mmput', noCheckVma: variant === 'no-check-vma' },
  ),
});

export default binderRustDef;
