/**
 * VMAs, mmap_lock and the per-VMA locks (include/linux/mmap_lock.h, mm/mmap_lock.c), and the
 * `SLAB_TYPESAFE_BY_RCU` cache VMAs live in (include/linux/slab.h, mm/slub.c).
 */
import { group } from './entry.ts';

export const vma = group({
  useAfterFree: {
    id: 'vma.use-after-free', kind: 'requires', class: 'unsound',
    message: 'VMA used after it was freed (or recycled into another mm)',
    kernel: '`remove_vma()` → `vm_area_free()` returns the VMA to `vm_area_cachep`, which since `3104138517fc` is `SLAB_TYPESAFE_BY_RCU`: it can be reused at once, even for another mm. Binder\'s `5cec2d2e5839`, `d1d8875c8c13` and `3f489c2067c5` fix uses of such a VMA',
  },
  unlockedAccess: {
    id: 'vma.unlocked-access', kind: 'requires', class: 'unsound',
    message: 'VMA used without mmap_lock or its per-VMA read lock',
    kernel: 'a `vm_area_struct` pointer is stable only under `mmap_lock` or the VMA\'s read lock (`lock_vma_under_rcu()` → `vma_start_read()`); without either, munmap can detach and free it at any time',
  },
  useWithoutLock: {
    id: 'vma.use-without-lock', kind: 'requires', class: 'unsound',
    message: 'the fault handler used a VMA holding neither its read lock nor mmap_lock',
    kernel: '`do_user_addr_fault()` handles a fault under the VMA read lock from `lock_vma_under_rcu()` or under `mmap_read_lock()` (`lock_mm_and_find_vma()`); with neither, the VMA can be written, detached or freed underneath',
  },
  putWithoutReference: {
    id: 'vma.put-without-reference', kind: 'requires', class: 'unsound', precondition: 'ownership',
    message: 'vma_refcount_put by a thread holding no vm_refcnt reference (a guard released by a task that did not take it)',
    kernel: '`vma_end_read()` → `vma_refcount_put()` (include/linux/mmap_lock.h) drops a `vm_refcnt` reference the caller must own; an extra put can let a writer or `vm_area_free()` proceed under a reader. Rust\'s `VmaReadGuard` is `NotThreadSafe` for this reason',
  },
  writerWakeupUseAfterFree: {
    id: 'vma.writer-wakeup-use-after-free', kind: 'requires', class: 'unsound',
    message: 'rcuwait_wake_up(&mm->vma_writer_wait) on a freed mm_struct (vma_refcount_put of a VMA recycled into an mm that is gone)',
    kernel: '`9bbffee67ffd` "mm: fix a UAF when vma->mm is freed after vma->vm_refcnt got dropped" (CVE-2025-38554): `vma_refcount_put()` of a VMA recycled into another mm woke that mm\'s `vma_writer_wait` after it could be freed; `vma_start_read()` now `mmgrab()`s it across the put',
  },
  detachDetached: {
    id: 'vma.detach-detached', kind: 'requires', class: 'warn',
    message: 'vma_mark_detached of a detached VMA (vma_assert_attached)',
    kernel: '`vma_mark_detached()` asserts `vma_assert_attached()` (include/linux/mmap_lock.h, CONFIG_DEBUG_VM): a VMA is detached once, by the writer that removes it from the tree',
  },
  detachNotWriteLocked: {
    id: 'vma.detach-not-write-locked', kind: 'requires', class: 'warn',
    message: 'vma_mark_detached of a VMA that is not write-locked (vma_assert_write_locked)',
    kernel: '`vma_mark_detached()` asserts `vma_assert_write_locked()` (include/linux/mmap_lock.h, CONFIG_DEBUG_VM): only the holder of `mmap_lock` for write that called `vma_start_write()` may detach',
  },
  freeAttached: {
    id: 'vma.free-attached', kind: 'requires', class: 'warn',
    message: 'vm_area_free of a VMA that is attached or still has readers (vm_refcnt != 0)',
    kernel: '`vm_area_free()` asserts `vma_assert_detached()` (CONFIG_DEBUG_VM): a VMA goes back to `vm_area_cachep` only detached, with `vm_refcnt == 0` and no writer excluding readers',
  },
  startWriteWithoutMmapWriteLock: {
    id: 'vma.start-write-without-mmap-write-lock', kind: 'requires', class: 'warn',
    message: 'vma_start_write without holding mmap_lock for write',
    kernel: '`vma_start_write()` → `__is_vma_write_locked()` asserts `mmap_assert_write_locked()` (include/linux/mmap_lock.h): VMA write locks are taken only under `mmap_write_lock()`, which `mmap_write_unlock()` ends all at once',
  },
  vmRefcntLeak: {
    id: 'vma.vm_refcnt-leak', kind: 'quiescence', class: 'leak',
    message: "a thread finished but a VMA's vm_refcnt is not back to 1 (attached) or 0 (detached)",
    kernel: 'a `vm_refcnt` reference never put (a `vma_end_read()` missing) makes the next `vma_start_write()` or `vma_mark_detached()` wait in `rcuwait_wait_event()` forever',
  },
});

export const slab = group({
  doubleFree: {
    id: 'slab.double-free', kind: 'requires', class: 'unsound',
    message: 'kmem_cache_free of an object that is not allocated',
    kernel: '`kmem_cache_free()` of an object already free: SLUB\'s `free_debug_processing()` or KASAN report a double free, and the object can be handed out twice',
  },
  typesafeDerefUnpinned: {
    id: 'slab.typesafe-deref-unpinned', kind: 'requires', class: 'unsound',
    message: 'SLAB_TYPESAFE_BY_RCU object read outside an RCU read section without holding a reference',
    kernel: '`SLAB_TYPESAFE_BY_RCU` (include/linux/slab.h) keeps a freed object\'s memory an object of the same type only until the slab page\'s grace period ends (`rcu_free_slab()` in mm/slub.c); outside a read section and without a reference it is a plain use-after-free',
  },
});
