/**
 * Binder's buffer allocator: C `drivers/android/binder_alloc.c` and Rust
 * `drivers/android/binder/page_range.rs`: lazily installed pages, the `binder_freelist` LRU, the
 * shrinker, and the file release that depends on the target's mm going away.
 */
import { group } from './entry.ts';

export const binder = group({
  foreignVma: {
    id: 'binder.foreign-vma', kind: 'requires', class: 'unsound',
    message: "page inserted into or zapped from a VMA that is not this binder's mapping",
    kernel: 'after munmap another mapping can sit at the binder address; C binder installs and zaps only after `binder_alloc_is_mapped()`, Rust Binder\'s `check_vma()` (`8ef2c15aeae0`) checks `vm_ops` and `vm_private_data` first, else it writes PTEs into someone else\'s VMA',
  },
  pageNotInUse: {
    id: 'binder.page-not-in-use', kind: 'requires', class: 'unsound',
    message: 'buffer written while its page is not installed, or is on the LRU where the shrinker can take it',
    kernel: '`binder_alloc_copy_user_to_buffer()` (drivers/android/binder_alloc.c) writes through `binder_get_installed_page()`; a page still on `binder_freelist` can be freed by the shrinker (`binder_alloc_free_page()`) at any moment',
  },
  reinstallBeforeZap: {
    id: 'binder.reinstall-before-zap', kind: 'requires', class: 'unsound',
    message: 'vm_insert_page over a PTE that still maps the reclaimed page (-EBUSY)',
    kernel: '`binder_alloc_free_page()` zaps the reclaimed page (`zap_page_range_single()`) while it still holds `alloc->mutex`, so no new buffer re-installs the index first; otherwise user space keeps a PTE to a page that is freed, and `vm_insert_page()` fails with -EBUSY',
  },
  lruPageInUse: {
    id: 'binder.lru-page-in-use', kind: 'invariant', class: 'unsound',
    message: 'a page on binder_freelist is not installed, or a live buffer covers it',
    kernel: '`binder_lru_freelist_add()` puts a page on the LRU only when no buffer covers it and `binder_lru_freelist_del()` takes it off before a buffer uses it again; the shrinker frees whatever is on it (`binder_alloc_free_page()`)',
  },
  lruAddOnLru: {
    id: 'binder.lru-add-on-lru', kind: 'requires', class: 'warn',
    message: 'page added to the LRU while already on it',
    kernel: '`binder_lru_freelist_add()` (drivers/android/binder_alloc.c) WARNs when `list_lru_add()` finds the page already on `binder_freelist` (`WARN_ON(!ret)`)',
  },
  lruDelNotOnLru: {
    id: 'binder.lru-del-not-on-lru', kind: 'requires', class: 'warn',
    message: 'installed page of a free buffer taken off the LRU while not on it',
    kernel: '`binder_lru_freelist_del()` (drivers/android/binder_alloc.c) WARNs when `list_lru_del()` does not find an installed page on `binder_freelist` (`WARN_ON(!on_lru)`)',
  },
  releaseNotRun: {
    id: 'binder.release-not-run', kind: 'quiescence', class: 'liveness',
    message: 'every task finished but binder_release never ran',
    kernel: '`9a9ab0d96362` "binder: fix race between mmput() and do_exit()": a sender\'s last `mmput()` ran `exit_mmap()` in its own context, queueing the binder file\'s final `fput()` as its task work, then blocked on a reply only `binder_release()` could send; the fix is `mmput_async()`',
  },
  mmUsersLeak: {
    id: 'binder.mm-users-leak', kind: 'quiescence', class: 'leak',
    message: 'every thread finished but mm_users is not 0: an mmget_not_zero was never put',
    kernel: 'every `mmget_not_zero()` in `binder_install_single_page()` and `binder_alloc_free_page()` is paired with `mmput_async()`; one missing and the target\'s `__mmput()` never runs',
  },
  pageOffLru: {
    id: 'binder.page-off-lru', kind: 'quiescence', class: 'leak',
    message: 'every thread finished but an installed page is off the LRU: the shrinker can never reclaim it',
    kernel: '`binder_alloc_free_buf()` → `binder_lru_freelist_add()` puts every installed page of a freed buffer on `binder_freelist`; a page left off it stays allocated until `binder_alloc_deferred_release()`',
  },
});
