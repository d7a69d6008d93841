/**
 * `refcount_t`, `kref` and refcounted objects (include/linux/refcount.h, lib/refcount.c,
 * include/linux/kref.h), and Rust's `ARef<T>` over an `AlwaysRefCounted` object
 * (rust/kernel/sync/aref.rs). The four `refcount_t` messages are the kernel's own, word for word.
 */
import { group } from './entry.ts';

export const refcount = group({
  addOnZero: {
    id: 'refcount.add-on-zero', kind: 'requires', class: 'unsound',
    message: 'refcount_t: addition on 0; use-after-free.',
    kernel: '`refcount_inc()` / `kref_get()` on a count of 0: `refcount_warn_saturate(r, REFCOUNT_ADD_UAF)` (lib/refcount.c) WARNs and saturates; the release may already have freed the object',
  },
  saturated: {
    id: 'refcount.saturated', kind: 'requires', class: 'warn',
    message: 'refcount_t: saturated; leaking memory.',
    kernel: '`refcount_warn_saturate(r, REFCOUNT_ADD_OVF)` (or `REFCOUNT_ADD_NOT_ZERO_OVF` from `refcount_inc_not_zero()`, lib/refcount.c) pins the count at `REFCOUNT_SATURATED`: the object leaks rather than being freed early. The model\'s `max` is a bound, not `INT_MAX`, so this often means "raise max"',
  },
  underflow: {
    id: 'refcount.underflow', kind: 'requires', class: 'unsound',
    message: 'refcount_t: underflow; use-after-free.',
    kernel: '`refcount_dec_and_test()` / `kref_put()` with no reference left (or on a saturated count): `refcount_warn_saturate(r, REFCOUNT_SUB_UAF)` (lib/refcount.c); the put belongs to a reference that was already dropped',
  },
  decLeak: {
    id: 'refcount.dec-leak', kind: 'requires', class: 'warn',
    message: 'refcount_t: decrement hit 0; leaking memory.',
    kernel: '`refcount_dec()` must never drop the last reference: at 1 (or saturated) `refcount_warn_saturate(r, REFCOUNT_DEC_LEAK)` (lib/refcount.c) WARNs and saturates, so the release never runs and the object leaks',
  },
  doubleFree: {
    id: 'refcount.double-free', kind: 'requires', class: 'unsound',
    message: 'object freed twice',
    kernel: 'the release of `kref_put()` (typically `kfree()`) ran a second time on the same object: a double free, which KASAN reports as "double-free" (`kasan_report_invalid_free()`)',
  },
  useAfterFree: {
    id: 'refcount.use-after-free', kind: 'requires', class: 'unsound',
    message: 'object used after it was freed',
    kernel: 'a dereference after the last `kref_put()` ran the release and freed the object: KASAN (`kasan_report()`) prints "BUG: KASAN: slab-use-after-free"',
  },
});

export const aref = group({
  countBelowOwners: {
    id: 'aref.count-below-owners', kind: 'invariant', class: 'unsound',
    message: 'refcount below live ARef tokens + raw increments + other owners (an increment was put by someone who did not own it)',
    kernel: '`AlwaysRefCounted` (rust/kernel/sync/aref.rs): every `ARef<T>` owns one increment, so a count below the owners means some `dec_ref()` (`put_task_struct()`, `mmdrop()`, ...) was not backed by one, and the object can be freed under a live `ARef`',
  },
  leak: {
    id: 'aref.leak', kind: 'quiescence', class: 'leak',
    message: 'refcount != other owners at the end (a token not dropped, or ARef::into_raw without ARef::from_raw)',
    kernel: '`ARef::into_raw()` hands its increment to a raw pointer (rust/kernel/sync/aref.rs); without the matching `unsafe ARef::from_raw()` (or with a `mem::forget()`) `dec_ref()` never runs and the object is never released',
  },
  borrowWithoutToken: {
    id: 'aref.borrow-without-token', kind: 'requires', class: 'unsound', precondition: 'ownership',
    message: '&T used while this thread holds no ARef to it',
    kernel: '`ARef<T>`\'s `Deref` (rust/kernel/sync/aref.rs) lends `&T` only while the `ARef` lives; once it is dropped (`dec_ref()`), nothing this thread owns keeps the object alive',
  },
  dropWithoutToken: {
    id: 'aref.drop-without-token', kind: 'requires', class: 'unsound', precondition: 'ownership',
    message: 'ARef dropped by a thread that holds none',
    kernel: '`Drop for ARef<T>` calls `T::dec_ref()` (`put_task_struct()`, `mmdrop()`, ...): dropping, sending or `into_raw()`-ing an `ARef` this thread does not hold puts a reference that belongs to someone else',
  },
  fromRawWithoutIncrement: {
    id: 'aref.from-raw-without-increment', kind: 'requires', class: 'unsound', precondition: 'ownership',
    message: 'ARef::from_raw without an increment handed out by into_raw (a double put ahead)',
    kernel: '`unsafe ARef::from_raw()` (rust/kernel/sync/aref.rs) adopts an increment the caller owns, one handed out by `ARef::into_raw()`; adopting it twice means two `dec_ref()`s for one increment',
  },
});
