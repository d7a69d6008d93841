/**
 * Pages and their mappings: the page refcount (include/linux/mm.h), `vm_insert_page()` and
 * `zap_page_range_single()` (mm/memory.c), Rust `Page` (rust/kernel/page.rs), and
 * `kmap_local_page()` (include/linux/highmem.h, mm/highmem.c).
 */
import { group } from './entry.ts';

export const page = group({
  useAfterFree: {
    id: 'page.use-after-free', kind: 'requires', class: 'unsound',
    message: 'page used after it was freed',
    kernel: 'the last `put_page()` frees the page to the buddy allocator (`__free_pages()`); a later kmap, PTE insert or user access touches a page that may already belong to someone else',
  },
  refcountUnderflow: {
    id: 'page.refcount-underflow', kind: 'requires', class: 'unsound',
    message: 'put_page on a page whose refcount is already 0',
    kernel: '`put_page()` → `put_page_testzero()` has `VM_BUG_ON_PAGE(page_ref_count(page) == 0, page)` (include/linux/mm.h): an extra put frees the page under another owner, or frees it twice',
  },
  accessWithoutReference: {
    id: 'page.access-without-reference', kind: 'requires', class: 'unsound', precondition: 'ownership',
    message: 'page accessed by a holder that owns no reference to it',
    kernel: 'Rust `Page` (rust/kernel/page.rs) owns one page reference and its `Drop` calls `__free_pages()`; mapping the page after that (`kmap_local_page()`) relies on references the caller does not own',
  },
  droppedWhileMapped: {
    id: 'page.dropped-while-mapped', kind: 'requires', class: 'unsound',
    message: 'page dropped by its owner while a user PTE still maps it',
    kernel: '`vm_insert_page()` (mm/memory.c) takes a page reference of its own, so the page survives the drop, but its owner gave up memory user space still maps: it must `zap_page_range_single()` before freeing or repurposing it (binder zaps under `alloc->mutex` first)',
  },
  mappingOutlivesPage: {
    id: 'page.mapping-outlives-page', kind: 'invariant', class: 'unsound',
    message: 'a user PTE maps a page that has been freed',
    kernel: 'a PTE holds a page reference: `vm_insert_page()` takes it, `zap_page_range_single()` drops it after the TLB flush; a PTE to a freed page lets user space read and write memory the kernel reuses',
  },
  refcountBelowOwners: {
    id: 'page.refcount-below-owners', kind: 'invariant', class: 'unsound',
    message: 'page_count below the references its owners hold',
    kernel: '`page_count()` must cover every owner: the driver\'s `Page` and one reference per PTE (`vm_insert_page()`); fewer, and some `put_page()` frees the page under an owner',
  },
  leak: {
    id: 'page.leak', kind: 'quiescence', class: 'leak',
    message: 'every thread finished but a page was never freed',
    kernel: 'an `alloc_page()` page returns to the buddy allocator only when `page_count()` reaches 0: its owner\'s `__free_pages()` and every PTE reference dropped by `zap_page_range_single()`',
  },
});

export const kmap = group({
  accessUnmapped: {
    id: 'kmap.access-unmapped', kind: 'requires', class: 'unsound',
    message: 'page accessed through a kmap_local address this task has not mapped',
    kernel: '`kmap_local_page()` (include/linux/highmem.h) mappings are valid only in the mapping context and until `kunmap_local()`: they "cannot be handed to other contexts"; elsewhere the address maps nothing, or another page',
  },
  unmapOutOfOrder: {
    id: 'kmap.unmap-out-of-order', kind: 'requires', class: 'unsound',
    message: 'kunmap_local of an address that is not the most recent live kmap_local of this task',
    kernel: '`kunmap_local_indexed()` (mm/highmem.c) always pops the top slot: it warns (`WARN_ON_ONCE(addr != __fix_to_virt(FIX_KMAP_BEGIN + idx))`) and clears that slot\'s PTE, tearing down a mapping still in use ("Unmapping addr1 before addr2 is invalid and causes malfunction")',
  },
  stackOverflow: {
    id: 'kmap.stack-overflow', kind: 'requires', class: 'warn',
    message: 'more nested kmap_local mappings than the model holds',
    kernel: 'a model bound (two slots, what `memcpy_page()` needs), not the kernel\'s: its per-task stack is `KM_MAX_IDX` deep and `kmap_local_idx_push()` BUGs beyond that',
  },
  leak: {
    id: 'kmap.leak', kind: 'quiescence', class: 'leak',
    message: 'every thread finished with a kmap_local mapping still live',
    kernel: 'every `kmap_local_page()` needs its `kunmap_local()` in the same context; without it the slot pushed by `kmap_local_idx_push()` on the task\'s `kmap_ctrl` stack stays in use',
  },
});
