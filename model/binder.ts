/**
 * C Binder's allocator (drivers/android/binder_alloc.c), docs/kernel-protocols.md §5.1: a sender allocates
 * a buffer and lazily installs its page, the shrinker reclaims pages from `binder_freelist`
 * (trylocks only, dropping the lru lock around the zap), and the target process munmaps the
 * binder VMA (downgrading to read before `remove_vma`) and exits. Shared pieces: binder-common.ts.
 *
 * `fixed` is the modern code (post Dec-2024): `lock_vma_under_rcu`, else `mmap_read_(try)lock`
 * + `vma_lookup`, plus the `alloc->mapped` check; no cached VMA pointer. The flags bring back
 * the historical shapes one step at a time:
 * - K1 (before 5cec2d2e5839): the shrinker reads `alloc->vma` before `mmget_not_zero` + `mmap_write_trylock`.
 * - K1's fix: read it after the write trylock (variant `shrinker-write-trylock`, passes).
 * - K3 (60d48857 on top of K1's fix): the same with `mmap_read_trylock`; munmap's downgraded
 *   read phase now runs alongside, so `alloc->vma` can be freed under the shrinker.
 * - K2 (720c24192404 + dd2283f2605e): `binder_update_page_range` reads `alloc->vma` under
 *   `mmap_read_lock`; its fix takes `mmap_write_lock` (variant `install-write-lock`, passes).
 * - K5 (before a1b2289cef92): the isolate callback zaps with the lru spinlock held.
 */
import { model, range, bool, step, branch, either, loop, goto, guard, set, add, lt, eq, ne, gt, and, or, not, when, ite, requires, defineModel, type ModelDef, type ProgStmt } from './lang/index.ts';
import type { Expr } from './lang/ir.ts';
import { mutex, mutex_lock, mutex_unlock, mutex_trylock, down_read, down_write, down_read_trylock, down_write_trylock, rwsem_is_unlocked, spin_unlock } from './primitives/locks.ts';
import {
  binderWorld, lruInvariant, pageInUse, pageIndices, zapPage, vmInsertPage, lockVmaUnderRcu, unlockVma, unlockVmaSteps,
  munmapProgram, shrinkerProgram, relockAndRetry, lruSkip, WALK,
} from './binder-common.ts';
import { KERNEL } from '../properties/catalogue/index.ts';

export interface BinderFlags {
  /** The shrinker's mmap_lock trylock: `read` (60d48857 and later) or `write` (2017-2019). */
  shrinkerMmap?: 'read' | 'write';
  /**
   * How the shrinker finds the VMA: `lookup` (`lock_vma_under_rcu`/`vma_lookup` + `alloc->mapped`,
   * K3's fix and today), `cached` (`alloc->vma` read under the mmap trylock), `cached-early`
   * (`alloc->vma` read before `mmget_not_zero` and the trylock: K1).
   */
  shrinkerVma?: 'lookup' | 'cached' | 'cached-early';
  /** How the sender finds the VMA to install into: `lookup` (today) or `cached` `alloc->vma` (≤ 6.7 binder_update_page_range). */
  installVma?: 'lookup' | 'cached';
  /** With `installVma: 'cached'`: `mmap_read_lock` (720c24192404: K2) or `mmap_write_lock` (K2's fix). */
  installMmap?: 'read' | 'write';
  /** K5: the isolate callback keeps the lru spinlock across the zap (returns LRU_REMOVED). */
  zapUnderLruLock?: boolean;
  /** Design rule (a) broken: the shrinker unlocks alloc->mutex before zapping the PTE. */
  zapAfterMutexUnlock?: boolean;
}

export interface BinderBounds {
  pages: number;
  transactions: number;
  scans: number;
}

/** Build the C Binder model. Example: `buildBinder({ pages: 2, transactions: 1, scans: 2 }, { shrinkerVma: 'cached' })`. */
export function buildBinder(b: BinderBounds, flags: BinderFlags = {}) {
  const shrinkerMmap = flags.shrinkerMmap ?? 'read';
  const shrinkerVma = flags.shrinkerVma ?? 'lookup';
  const installVma = flags.installVma ?? 'lookup';
  const installMmap = installVma === 'cached' ? flags.installMmap ?? 'read' : 'read';
  const m = model('binder', 'C binder_alloc: lazy page install, binder_freelist LRU, shrinker, munmap');
  m.bounds = { ...b };
  const w = binderWorld(m, b.pages);
  const { V, NONE, mm, mmap, lru } = w;
  const alloc_mutex = mutex(m, 'alloc.mutex');
  const allocated = m.var('buffer.allocated', bool, false, [w.Page], 'a live buffer covers the page (allocated_buffers)');
  lruInvariant(w, (i) => allocated.at(i));
  munmapProgram(w, { vmaClose: true });

  // binder_alloc_get_vma(alloc): the cached pointer, NULL after binder_vma_close.
  const getVma = (self: Expr) => set(w.vma.at(self), ite(w.mapped, V, NONE));
  const lruFree = eq(lru.owner, lru.none);

  // ---- sender: binder_alloc_new_buf → binder_install_buffer_pages → (BC_FREE_BUFFER) binder_alloc_free_buf
  const tx = m.var('sender.tx', range(0, b.transactions), 0, [], 'transactions done');
  const bp = m.var('sender.page', w.Page, 0, [], "the page of the sender's buffer");
  const inserted = m.var('sender.inserted', bool, false, [], 'vm_insert_page succeeded');
  m.program('sender', ['sender'], (self) => {
    const lockAndFind: ProgStmt[] = installVma === 'lookup'
      // binder_page_insert: the per-VMA lock first, else mmap_read_lock + vma_lookup.
      ? [either('insert_lock',
        [step('lock_vma_under_rcu', ...lockVmaUnderRcu(w, self))],
        [step('mmap_read_lock', ...down_read(mmap, self)), step('vma_lookup', set(w.vma.at(self), w.lookup))])]
      // binder_update_page_range (≤ 6.7, under alloc->mutex in the kernel): the cached alloc->vma.
      : [installMmap === 'read'
        ? step('mmap_read_lock', ...down_read(mmap, self))
        : step('mmap_write_lock', ...down_write(mmap, self)),
      step('binder_alloc_get_vma', getVma(self))];
    // Modern code also checks binder_alloc_is_mapped; the cached pointer is its own check.
    const usable = installVma === 'lookup' ? and(ne(w.vma.at(self), NONE), w.mapped) : ne(w.vma.at(self), NONE);
    const install: ProgStmt[] = [
      // binder_install_single_page
      branch('install_mmget', gt(mm.mm_users, 0),
        [step('mmget_not_zero', ...mm.mmgetNotZero(self))],
        [step('mmget_not_zero_failed', ...mm.mmgetNotZeroFails(self)), goto('binder_alloc_free_buf')]),
      ...lockAndFind,
      branch('insert', usable, [step('vm_insert_page', ...vmInsertPage(w, self, bp), set(inserted, true))]),
      ...unlockVmaSteps(w, self, 'insert_unlock', installVma === 'lookup', installMmap),
      // binder_set_installed_page (store-release) on success, else binder_free_page; out: mmput_async.
      step('mmput_async', when(inserted, [set(w.installed.at(bp), true)]), set(inserted, false), ...mm.mmputAsync(self)),
    ];
    return [
      loop('transaction', lt(tx, b.transactions), [
        // binder_alloc_new_buf: -ESRCH unless binder_alloc_is_mapped, then mutex_lock(&alloc->mutex).
        branch('is_mapped', w.mapped,
          [step('binder_alloc_new_buf', ...mutex_lock(alloc_mutex, self))],
          [step('new_buf_esrch', set(tx, add(tx, 1))), goto('transaction')]),
        // binder_alloc_new_buf_locked: best-fit split (abstracted: any free page), then
        // binder_lru_freelist_del on its installed page.
        either('best_fit', ...pageIndices(w).map((i) => [step(`new_buf_locked_p${i}`,
          guard(not(allocated.at(i))), set(allocated.at(i), true), set(bp, i),
          when(w.installed.at(i), [
            guard(lruFree),
            requires(KERNEL.binder.lruDelNotOnLru, w.on_lru.at(i), 'binder_lru_freelist_del: an installed page of a free buffer was not on the LRU (WARN)'),
            set(w.on_lru.at(i), false),
          ]))])),
        step('new_buf_unlock', ...mutex_unlock(alloc_mutex, self)),
        // binder_install_buffer_pages, without alloc->mutex: only pages not yet installed.
        // On failure (-ESRCH) binder_alloc_new_buf frees the buffer again.
        branch('need_install', not(w.installed.at(bp)), [...install, branch('install_ok', w.installed.at(bp), [], [goto('binder_alloc_free_buf')])]),
        // binder_alloc_copy_user_to_buffer: the transaction's data goes into the page.
        step('copy_user_to_buffer', ...pageInUse(w, bp, 'binder_alloc_copy_user_to_buffer')),
        // binder_alloc_free_buf (the target's BC_FREE_BUFFER, or new_buf's error path):
        // under alloc->mutex, binder_lru_freelist_add of the installed page.
        step('binder_alloc_free_buf', ...mutex_lock(alloc_mutex, self),
          when(w.installed.at(bp), [
            guard(lruFree),
            requires(KERNEL.binder.lruAddOnLru, not(w.on_lru.at(bp)), 'binder_lru_freelist_add: the page is already on the LRU (WARN)'),
            set(w.on_lru.at(bp), true),
          ]),
          set(allocated.at(bp), false), ...mutex_unlock(alloc_mutex, self), set(tx, add(tx, 1))),
      ]),
    ];
  });

  // ---- shrinker: binder_alloc_free_page, the list_lru_walk isolate callback (lru lock held)
  shrinkerProgram(w, {
    scans: b.scans,
    callback: (self, item) => {
      const perVma = shrinkerVma === 'lookup';
      const fetch: ProgStmt[] = shrinkerVma === 'lookup' ? [step('vma_lookup', set(w.vma.at(self), w.lookup))]
        : shrinkerVma === 'cached' ? [step('binder_alloc_get_vma', getVma(self))] : [];
      const trylock: ProgStmt = shrinkerMmap === 'read'
        ? branch('try_mmap', eq(mmap.writer, mmap.none),
          [step('mmap_read_trylock', ...down_read_trylock(mmap, self)), ...fetch],
          lruSkip('mmap_read_trylock_failed', set(w.vma.at(self), NONE), ...mm.mmputAsync(self)))
        : branch('try_mmap', rwsem_is_unlocked(mmap),
          [step('mmap_write_trylock', ...down_write_trylock(mmap, self)), ...fetch],
          lruSkip('mmap_write_trylock_failed', set(w.vma.at(self), NONE), ...mm.mmputAsync(self)));
      const dropLru = !flags.zapUnderLruLock;
      const zap = branch('has_vma', ne(w.vma.at(self), NONE), [step('zap_page_range_single', ...zapPage(w, self, item))]);
      const unlockMutex = step('mutex_unlock', ...mutex_unlock(alloc_mutex, self));
      return [
        ...(shrinkerVma === 'cached-early' ? [step('binder_alloc_get_vma', getVma(self))] : []),
        branch('shrink_mmget', gt(mm.mm_users, 0),
          [step('mmget_not_zero', ...mm.mmgetNotZero(self))],
          lruSkip('mmget_not_zero_failed', ...mm.mmgetNotZeroFails(self), set(w.vma.at(self), NONE))),
        ...(perVma ? [either('shrink_vma', [step('lock_vma_under_rcu', ...lockVmaUnderRcu(w, self))], [trylock])] : [trylock]),
        branch('try_mutex', eq(alloc_mutex.owner, alloc_mutex.none),
          [step('mutex_trylock', ...mutex_trylock(alloc_mutex, self))],
          lruSkip('mutex_trylock_failed', ...unlockVma(w, self), ...mm.mmputAsync(self))),
        // err_invalid_vma: a VMA that is not (or no longer) binder's mapping.
        ...(perVma ? [branch('valid_vma', or(eq(w.vma.at(self), NONE), w.mapped), [],
          lruSkip('invalid_vma', ...mutex_unlock(alloc_mutex, self), ...unlockVma(w, self), ...mm.mmputAsync(self)))] : []),
        // page_to_free = alloc->pages[index]; alloc->pages[index] = NULL; list_lru_isolate; spin_unlock(lock).
        step('list_lru_isolate', set(w.installed.at(item), false), set(w.on_lru.at(item), false),
          ...(dropLru ? spin_unlock(lru, self) : [])),
        // The zap is still under alloc->mutex, so no new buffer re-installs the index before it (rule (a)).
        ...(flags.zapAfterMutexUnlock ? [unlockMutex, zap] : [zap, unlockMutex]),
        ...unlockVmaSteps(w, self, 'shrink_unlock', perVma, shrinkerMmap),
        // mmput_async(mm); binder_free_page(page_to_free).
        step('shrink_mmput_async', ...mm.mmputAsync(self)),
        // LRU_REMOVED_RETRY: the walk re-takes the lock (K5: LRU_REMOVED, the lock was never dropped).
        ...(dropLru ? relockAndRetry(w, self) : [goto(WALK)]),
      ];
    },
  });
  return m.build();
}

const BOUNDS = [
  { name: 'pages', default: 2, min: 1, max: 4, doc: 'buffer pages; page 0 starts installed and on the LRU, the others not installed' },
  { name: 'transactions', default: 2, min: 1, max: 4, doc: 'buffers the sender allocates, installs and frees, one after the other' },
  { name: 'scans', default: 3, min: 1, max: 4, doc: 'isolate callbacks one list_lru_walk may run (nr_to_walk)' },
];

const binderDef: ModelDef = defineModel({
  name: 'binder',
  doc: 'C binder_alloc: buffers, lazy page install, binder_freelist LRU, shrinker, munmap and exit',
  variants: [
    { name: 'fixed', doc: 'today: lock_vma_under_rcu or mmap_read_(try)lock + vma_lookup + alloc->mapped; zap under alloc->mutex after dropping the lru lock', expect: 'pass' },
    { name: 'stale-vma-before-mmap-lock', doc: 'K1 the shrinker reads alloc->vma before mmget_not_zero + mmap_write_trylock; munmap frees the VMA in between', expect: 'violation:vma.use-after-free' },
    { name: 'shrinker-write-trylock', doc: "K1's fix 5cec2d2e5839: alloc->vma read after mmap_write_trylock, which excludes munmap's whole critical section", expect: 'pass' },
    { name: 'shrinker-uaf-vma', doc: "K3 K1's fix with mmap_read_trylock (60d48857): alloc->vma freed by munmap's downgraded read phase before the zap", expect: 'violation:vma.use-after-free' },
    { name: 'uaf-alloc-vma-munmap-downgrade', doc: 'K2 binder_update_page_range uses alloc->vma under mmap_read_lock; munmap frees it after its downgrade', expect: 'violation:vma.use-after-free' },
    { name: 'install-write-lock', doc: "K2's fix d1d8875c8c13: alloc->vma read under mmap_write_lock, after munmap's close", expect: 'pass' },
    { name: 'zap-after-mutex-unlock', doc: 'design rule (a) broken: the shrinker drops alloc->mutex before the zap; a new buffer re-installs the page over the old PTE', expect: 'violation:binder.reinstall-before-zap' },
    { name: 'sleep-under-lru-lock', doc: 'K5 the isolate callback zaps (cond_resched) with the lru spinlock held', expect: 'violation:sleep-in-atomic' },
  ],
  bounds: BOUNDS,
  build: (variant, bd) => {
    const b = { pages: bd.pages, transactions: bd.transactions, scans: bd.scans };
    switch (variant) {
      case 'stale-vma-before-mmap-lock': return buildBinder(b, { shrinkerMmap: 'write', shrinkerVma: 'cached-early' });
      case 'shrinker-write-trylock': return buildBinder(b, { shrinkerMmap: 'write', shrinkerVma: 'cached' });
      case 'shrinker-uaf-vma': return buildBinder(b, { shrinkerMmap: 'read', shrinkerVma: 'cached' });
      case 'uaf-alloc-vma-munmap-downgrade': return buildBinder(b, { installVma: 'cached', installMmap: 'read' });
      case 'install-write-lock': return buildBinder(b, { installVma: 'cached', installMmap: 'write' });
      case 'sleep-under-lru-lock': return buildBinder(b, { zapUnderLruLock: true });
      case 'zap-after-mutex-unlock': return buildBinder(b, { zapAfterMutexUnlock: true });
      default: return buildBinder(b);
    }
  },
});

export default binderDef;
