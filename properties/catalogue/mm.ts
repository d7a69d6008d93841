/**
 * `struct mm_struct`'s two counts (include/linux/sched/mm.h, kernel/fork.c): `mm_users` pins
 * the address space, `mm_count` the struct. Both are plain `atomic_t`, with no saturation and no
 * warning, so the kernel itself reports none of these: each is silent corruption.
 */
import { group } from './entry.ts';

export const mm = group({
  useAfterFree: {
    id: 'mm.use-after-free', kind: 'requires', class: 'unsound',
    message: 'mm_struct used after it was freed',
    kernel: 'the last `mmdrop()` runs `__mmdrop()` (kernel/fork.c), which ends in `free_mm()`; any later access to the `mm_struct` is a use-after-free',
  },
  mmputWithoutReference: {
    id: 'mm.mmput-without-reference', kind: 'requires', class: 'unsound', precondition: 'ownership',
    message: 'mmput by a thread that holds no mm_users reference',
    kernel: '`mmput()` / `mmput_async()` decrement `mm_users` unchecked (a plain `atomic_t`): a put without a reference can run `__mmput()` (`exit_mmap()`) while the real holders still use the address space',
  },
  mmdropWithoutReference: {
    id: 'mm.mmdrop-without-reference', kind: 'requires', class: 'unsound', precondition: 'ownership',
    message: 'mmdrop by a thread that holds no mm_count reference',
    kernel: '`mmdrop()` (include/linux/sched/mm.h) decrements `mm_count` unchecked; an unowned drop can reach `__mmdrop()` and free the struct under its real holders',
  },
  mmgetOnZero: {
    id: 'mm.mmget-on-zero', kind: 'requires', class: 'unsound',
    message: 'mmget() with mm_users == 0: use mmget_not_zero()',
    kernel: '`mmget()` is a bare `atomic_inc(&mm->mm_users)` for callers that already hold a user; at 0 `__mmput()` has run or is running, so the increment revives an address space being torn down (`mmget_not_zero()` exists for this)',
  },
  accessWithoutMmUsers: {
    id: 'mm.access-without-mm_users', kind: 'requires', class: 'unsound', precondition: 'ownership',
    message: 'address space touched without holding an mm_users reference',
    kernel: 'VMAs and page tables live only while `mm_users > 0`: the last `mmput()` runs `exit_mmap()`. A holder of only `mmgrab()` must take `mmget_not_zero()` first, as `binder_install_single_page()` does',
  },
  accessAfterTeardown: {
    id: 'mm.access-after-teardown', kind: 'requires', class: 'unsound',
    message: 'address space touched after __mmput tore it down',
    kernel: '`__mmput()` (kernel/fork.c) runs `exit_mmap()`, which unmaps and frees every VMA and page table; a later access walks freed memory',
  },
  pasidUseAfterFree: {
    id: 'mm.pasid-use-after-free', kind: 'requires', class: 'unsound',
    message: 'mm->pasid used after it was freed (mm_pasid_drop ran)',
    kernel: '`2667ed10d9f0` "mm: Fix PASID use-after-free issue": `mm_pasid_drop()` ran in `__mmput()` while `mmgrab()` holders (the device release, `sva_unbind()`) still read `mm->pasid`; it moved to `__mmdrop()`',
  },
  leak: {
    id: 'mm.leak', kind: 'quiescence', class: 'leak',
    message: 'a thread finished but an mm reference was never put (mm_users/mm_count not 0, or not freed)',
    kernel: 'every `mmget()` / `mmget_not_zero()` needs an `mmput()` and every `mmgrab()` an `mmdrop()` (include/linux/sched/mm.h); one missing and `__mmput()` or `__mmdrop()` never runs',
  },
  countPinsUsers: {
    id: 'mm.count-pins-users', kind: 'invariant', class: 'unsound',
    message: 'mm_users > 0 but mm_count == 0: the users lost their collective mm_count reference',
    kernel: '`mm_init()` gives all users together one `mm_count` reference, dropped by the `mmdrop()` at the end of `__mmput()`; `mm_count` at 0 with users left means `__mmdrop()` freed a live address space',
  },
  usersPutInAtomic: {
    id: 'api.mm-users-put-in-atomic', kind: 'cover', class: 'capability',
    message: 'a client can put an mm_users reference in atomic context',
    kernel: '`mmput()` may sleep (`might_sleep()`, `__mmput()` runs `exit_mmap()` in the caller), so from atomic context only `mmput_async()` may drop the last `mm_users`: the final `__mmput()` runs from `mm->async_put_work` on a kworker (the Binder shrinker needs it under the lru spinlock; Rust `MmWithUserAsync`)',
  },
});
