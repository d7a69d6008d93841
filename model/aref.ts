/**
 * The ARef model: a kref-counted object published in a lookup table that holds no reference
 * of its own ("removed from that lookup structure in the object destructor", kref.h), its
 * owner, and readers that look it up and keep it with `ARef` tokens (docs/kernel-protocols.md §1.2, §1.3).
 *
 * Threads:
 * - `owner`: holds the `ARef` the object was created with. It stashes it in a C struct
 *   (`file->private_data = ARef::into_raw(obj)` in `open`), takes it back
 *   (`ARef::from_raw(file->private_data)` in `release`) and drops it.
 * - `R1..Rn` (readers): under the table lock, look the object up (`xa_load`) and take a
 *   reference; unlock; use it (`&T` borrowed from the `ARef`), `clone` it and stash the clone
 *   in a work item (`ARef::into_raw`), drop the original; the work function adopts the stash
 *   (`ARef::from_raw`), uses the object and drops it.
 *
 * Whoever drops the last reference runs the destructor (the `release` of `kref_put`, reached
 * from `AlwaysRefCounted::dec_ref`): `xa_lock`, `xa_erase`, `xa_unlock`, `kfree`. Until
 * the erase, a reader can still find an object whose count already reached 0: that is the
 * lookup race. `ARef::from(&T)` (`kref_get`) then adds on 0; `kref_get_unless_zero` sees 0
 * and treats the object as not found, and on success its increment is adopted with
 * `ARef::from_raw` (the shape of `Mm::mmget_not_zero`). The other fix kref.h describes keeps
 * `kref_get` but serialises the final put against the lookup: `kref_put_lock` takes the table
 * lock before the count can reach 0 (variant `kref-put-lock`).
 */
import { model, defineModel, bool, step, branch, set, add, sub, gt, ne, requires, when, type ModelDef, type ProgStmt } from './lang/index.ts';
import type { Expr } from './lang/ir.ts';
import {
  refObject, obj_free, obj_use, kref_get_unless_zero, refcount_dec, refcount_dec_and_test, spinlock, spin_lock, spin_unlock,
  arefs, aref_from, aref_clone, aref_drop, aref_into_raw, aref_from_raw, aref_borrow,
} from './primitives/index.ts';
import { KERNEL } from '../properties/catalogue/index.ts';

export interface ARefFlags {
  /** Readers take the reference with `ARef::from(&T)` (`kref_get`) on the looked-up object. */
  krefGet?: boolean;
  /** The owner never takes back the increment it stashed with `ARef::into_raw`. */
  intoRawLeak?: boolean;
  /** The owner adopts its stashed increment twice (`ARef::from_raw` in two paths). */
  fromRawTwice?: boolean;
  /**
   * Every put is `kref_put_lock(&obj->refcount, release, &xa_lock)` (`refcount_dec_and_lock`):
   * the last one takes the table lock before the count reaches 0 and erases under it.
   */
  putLock?: boolean;
}

/** Build the ARef model with `readers` reader threads. Example: `buildARef(2, { krefGet: true })`. */
export function buildARef(readers: number, flags: ARefFlags = {}) {
  const m = model('aref', 'ARef/kref: an object in a lookup table, its owner, readers taking references');
  m.bounds = { readers };
  const readerNames = Array.from({ length: readers }, (_, i) => `R${i + 1}`);
  m.threads(['owner', ...readerNames]);
  m.symmetric(readerNames);

  // The owner's reference, and at most a token plus a stashed clone per reader.
  const max = 1 + 2 * readers;
  const obj = refObject(m, 'obj', { max, init: 1, doc: 'obj->refcount (struct kref)' });
  const a = arefs(m, 'obj', obj.refs, { initial: { owner: 1 } });
  const inTable = m.var('obj.in_table', bool, true, [], 'the lookup table (xarray) still points to obj');
  // xa_lock(&table): the lookup table's spinlock.
  const table = spinlock(m, 'xa_lock');
  const found = m.local('found', bool, false);
  const got = m.local('got', bool, false);
  const releasing = m.local('releasing', bool, false);
  const putting = flags.putLock ? m.local('put_locking', bool, false) : undefined;

  // drop(ARef) → dec_ref → kref_put: the last put makes this thread run the destructor.
  // With putLock, refcount_dec_and_lock's fast path: refcount_dec_not_one; at 1 the slow path follows.
  const drop = (label: string, self: Expr) => (putting
    ? step(label,
      requires(KERNEL.aref.dropWithoutToken, gt(a.tokens.at(self), 0), `${a.name}: ${KERNEL.aref.dropWithoutToken.message}`),
      set(a.tokens.at(self), sub(a.tokens.at(self), 1)),
      when(ne(obj.refs.ref, 1), refcount_dec(obj.refs), [set(putting.at(self), true)]))
    : step(label, aref_drop(a, self, [set(releasing.at(self), true)])));
  // The destructor (kref release): erase from the table under its lock, then free. With
  // putLock the lock is taken first (refcount_dec_and_lock's slow path) and the count drops
  // under it. `who` prefixes the labels: the owner's and a reader's work function each may run it.
  const destructor = (who: string, self: Expr): ProgStmt[] => {
    const release = (lock: boolean): ProgStmt => branch(`${who}_last_put`, releasing.at(self), [
      ...(lock ? [step(`${who}_xa_lock`, spin_lock(table, self))] : []),
      step(`${who}_xa_erase`, set(inTable, false)),
      step(`${who}_xa_unlock`, spin_unlock(table, self)),
      step(`${who}_kfree`, obj_free(obj), set(releasing.at(self), false)),
    ]);
    if (!putting) return [release(true)];
    return [branch(`${who}_put_slow`, putting.at(self), [
      step(`${who}_xa_lock`, spin_lock(table, self)),
      step(`${who}_dec_and_test`, set(putting.at(self), false), refcount_dec_and_test(obj.refs, {
        release: [set(releasing.at(self), true)], else: spin_unlock(table, self),
      })),
      release(false),
    ])];
  };

  m.program('owner', ['owner'], (self) => [
    // open: file->private_data = ARef::into_raw(obj)
    step('into_raw', aref_into_raw(a, self)),
    ...(flags.intoRawLeak ? [] : [
      // release fop: ARef::from_raw(file->private_data)
      step('from_raw', aref_from_raw(a, self)),
      ...(flags.fromRawTwice ? [step('from_raw_again', aref_from_raw(a, self))] : []),
      drop('owner_drop', self),
      ...destructor('owner', self),
    ]),
  ]);

  const get = (self: Expr) => (flags.krefGet
    // ARef::from(&T): inc_ref = kref_get on an object the table does not hold a reference to.
    ? step('aref_from', obj_use(obj), aref_from(a, self), set(got.at(self), true))
    // kref_get_unless_zero, and on success ARef::from_raw adopts the new increment.
    : step('kref_get_unless_zero', obj_use(obj), kref_get_unless_zero(obj.refs, {
      ok: got.at(self),
      then: [set(a.raw, add(a.raw, 1)), aref_from_raw(a, self)],
    })));
  m.program('reader', readerNames, (self) => [
    step('xa_lock', spin_lock(table, self)),
    step('xa_load', set(found.at(self), inTable)),
    branch('found', found.at(self), [get(self)]),
    step('xa_unlock', spin_unlock(table, self)),
    branch('got_ref', got.at(self), [
      step('use', aref_borrow(a, self), obj_use(obj)),
      step('clone', aref_clone(a, self)),
      // queue_work: the clone travels in the work item as a raw pointer.
      step('queue_work_into_raw', aref_into_raw(a, self)),
      drop('drop', self),
      // The work function: ARef::from_raw(work->ptr).
      step('work_from_raw', aref_from_raw(a, self)),
      step('work_use', aref_borrow(a, self), obj_use(obj)),
      drop('work_drop', self),
      ...destructor('work', self),
    ]),
  ]);
  return m.build();
}

const arefDef: ModelDef = defineModel({
  name: 'aref',
  doc: 'ARef/kref: ARef::from, clone, drop, into_raw/from_raw; the kref lookup race (kref_get vs kref_get_unless_zero)',
  variants: [
    { name: 'fixed', doc: 'readers use kref_get_unless_zero + ARef::from_raw; every into_raw is adopted once', expect: 'pass' },
    { name: 'kref-get-lookup-race', doc: 'lookup race: ARef::from (kref_get) on an object found in the table while its last put runs', expect: 'violation:refcount.add-on-zero' },
    { name: 'kref-put-lock', doc: 'the other lookup-race fix: readers keep kref_get, every put is kref_put_lock, so the count reaches 0 only under xa_lock', expect: 'pass' },
    { name: 'into-raw-leak', doc: 'into_raw leak: the owner never adopts its stashed increment back with from_raw', expect: 'violation:aref.leak' },
    { name: 'from-raw-twice', doc: 'from_raw twice: the owner adopts one stashed increment in two paths', expect: 'violation:aref.from-raw-without-increment' },
  ],
  bounds: [{ name: 'readers', default: 2, min: 1, max: 4, doc: 'reader threads looking the object up (plus the owner)' }],
  build: (variant, b) => buildARef(b.readers, {
    krefGet: variant === 'kref-get-lookup-race' || variant === 'kref-put-lock',
    putLock: variant === 'kref-put-lock',
    intoRawLeak: variant === 'into-raw-leak',
    fromRawTwice: variant === 'from-raw-twice',
  }),
});

export default arefDef;
