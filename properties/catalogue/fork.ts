/** fork: `dup_mmap()` (kernel/fork.c) copying the parent's page tables. */
import { group } from './entry.ts';

export const fork = group({
  copyWithoutMmapWriteLock: {
    id: 'fork.copy-without-mmap-write-lock', kind: 'requires', class: 'warn',
    message: 'copy_present_pte without holding the parent mmap_lock for write',
    kernel: '`dup_mmap()` (kernel/fork.c) copies the parent\'s page tables (`copy_page_range()` → `copy_present_pte()`) under `mmap_write_lock_killable(oldmm)`; lockdep\'s `mmap_assert_write_locked()` is how the kernel checks it',
  },
  staleTlbWriteLost: {
    id: 'fork.stale-tlb-write-lost', kind: 'requires', class: 'unsound',
    message: 'a store through a stale writable TLB entry was lost (memory corruption)',
    kernel: '`fb49c455323f` "fork: lock VMAs of the parent process when forking": a write fault under the per-VMA lock replaced a COW-shared page (`wp_page_copy()`) while another CPU still stored through its stale TLB entry; `dup_mmap()` now `vma_start_write()`s every parent VMA',
  },
});
