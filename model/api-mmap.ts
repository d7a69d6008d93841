/**
 * API review of the Rust mmap_lock / per-VMA lock guards (rust/kernel/mm.rs:
 * `MmWithUser::mmap_read_lock`, `MmapReadGuard::vma_lookup`, `MmWithUser::lock_vma_under_rcu`,
 * `VmaReadGuard`; docs/kernel-protocols.md §3) for every client of the API, not one hand-written
 * client. Each client `Ck` is handed the one mm as `&MmWithUser` for its whole scope (a context
 * handle per client; `&MmWithUser` is Copy, so sending it would add nothing). The environment is a
 * munmap of the mm's one VMA (`do_vmi_align_munmap`): `mmap_write_lock`, `vma_start_write` (flag,
 * then wait for VMA readers), `vma_mark_detached` + `vma_iter_clear_gfp`, then either
 * `mmap_write_downgrade`, `remove_vma`, `mmap_read_unlock` (munmap(2)) or `remove_vma`,
 * `mmap_write_unlock` (an unmap under the write lock: MAP_FIXED, mremap, brk).
 * - `seed`: both guards `!Send` (`NotThreadSafe`), the `&VmaRef` of `vma_lookup` lent by the guard.
 * - `guards-send`: the guards are `Send`: `mmap_read_unlock` / `vma_end_read` on another thread.
 * - `lookup-borrows-mm`: `vma_lookup` ties its `&VmaRef` to the `&MmWithUser` (the guard is only
 *   proof of locking at the call): the VMA is used after the guard is gone.
 * Bounds of the encoding: `MmapReadGuard` identities `Gka`, `Gkb` belong to `Ck` (two: enough for
 * the recursive call; owner-named guards keep traces readable); at most
 * `clients` `VmaReadGuard`s (`R1`..) live at once; a `vma_lookup` or `lock_vma_under_rcu` returning `None`
 * is not modelled (the client gets nothing and only spends a call).
 */
import {
  model, defineModel, enumeration, range, step, either, guard, set, requires, and, or, not, eq, ne, gt, add, sub, ite, lit,
  type Expr, type Model, type ModelDef,
} from './lang/index.ts';
import { up_read, down_read } from './primitives/locks.ts';
import { kmem_cache_free } from './primitives/typesafe-pool.ts';
import { vmaWorld, mmap_write_lock, mmap_write_unlock, mmap_write_downgrade, vma_start_write, vma_start_write_wait, vma_mark_detached, vma_write_locked } from './vma.ts';
import { KERNEL } from '../properties/catalogue/index.ts';
import { api, type ApiRule, type CallCtx, type ResourceType } from './api/index.ts';

export type ApiMmapVariant = 'seed' | 'guards-send' | 'lookup-borrows-mm';

/** `without`: generated type rules to leave out (the mutation test). */
export function buildApiMmap(variant: ApiMmapVariant, clients: number, budget: number, without: ApiRule[] = []): Model {
  const m = model('api-mmap', 'Rust mmap_lock / per-VMA lock guards: every client of the API against munmap');
  // lookup-borrows-mm needs 4 calls of one client: mmap_read_lock, vma_lookup, drop the guard, use the VMA.
  if (variant === 'lookup-borrows-mm') budget = Math.max(budget, 4);
  m.bounds = { clients, budget };
  const cs = Array.from({ length: clients }, (_, i) => `C${i + 1}`);
  const T = m.threads([...cs, 'munmap']);
  const w = vmaWorld(m, { mms: ['mm'], slots: 1, initial: ['mm'], readers: clients, writeSessions: 1 });
  const lock = w.mmap_lock.mm, V = w.pool.slot(0), mm = w.mm('mm');
  const reads = m.var('vma.read_holds', range(0, clients), 0, [T.sort], 'VMA read locks each thread took (vma_start_read) and still holds, as lockdep counts them');
  const send = variant === 'guards-send';
  const gids = cs.flatMap((c) => [`G${c.slice(1)}a`, `G${c.slice(1)}b`]);
  const GuardId = enumeration('MmapGuardId', gids);
  // Clients are interchangeable; guard Gka belongs to client Ck (MmUser's values are the clients).
  const a = api(m, { clients: cs, budget, without, symmetric: cs, tie: [[GuardId, (g) => [`C${g.slice(1, -1)}`]]] });
  const Mm = a.context('MmWithUser', { object: enumeration('MmUser', cs), init: Object.fromEntries(cs.map((c) => [c, c])) });
  const MmapGuard = a.resource('MmapReadGuard', { object: GuardId, send, drop: (c) => up_read(lock, c.self) });
  const vids = cs.map((_, i) => `R${i + 1}`);
  const VmaGuard = a.resource('VmaReadGuard', {
    object: enumeration('VmaGuardId', vids), send,
    // vma_end_read → vma_refcount_put; lockdep (vma_lock_release) wants the reference taken on this thread.
    drop: (c) => [requires(KERNEL.vma.putWithoutReference, gt(reads.at(c.self), 0), 'vma_end_read on a thread that did not take the VMA read lock (VmaReadGuard dropped on another thread)'),
      set(w.vm_refcnt.at(V), sub(w.vm_refcnt.at(V), 1)), set(reads.at(c.self), ite(gt(reads.at(c.self), 0), sub(reads.at(c.self), 1), 0))],
  });
  const VmaRef = a.borrow('&VmaRef', { object: w.pool.sort });
  const held = (r: ResourceType, ids: string[], t: Expr) => ids.map((g) => eq(r.holder.at(g), t));
  // Gka first, Gkb only while Gka is taken (the recursive call); VMA guards: the lowest free identity.
  const ownGuard = (c: CallCtx) => { const i = gids.indexOf(c.result!); return and(eq(c.self, lit(T.sort, cs[i >> 1])), ...(i % 2 ? [ne(MmapGuard.holder.at(gids[i - 1]), 'none')] : [])); };
  const lowestFree = (c: CallCtx) => and(...vids.slice(0, vids.indexOf(c.result!)).map((v) => ne(VmaGuard.holder.at(v), 'none')));
  const mapped = ne(w.mm_mt.at(mm), w.pool.none);
  a.method('MmWithUser::mmap_read_lock', {
    on: Mm, mightSleep: true, blocksUntil: () => eq(lock.writer, lock.none), effect: (c) => down_read(lock, c.self),
    // lockdep's rwsem_acquire_read runs before down_read waits: a recursive read is caught at the call.
    onCall: (c) => [requires(KERNEL.rwsem.recursive, not(lock.readers.at(c.self)), 'down_read(mm.mmap_lock) while this thread already holds it (lockdep, at the call)')],
    returns: { resource: MmapGuard, available: ownGuard, borrows: true },
  });
  const lookup = { effect: () => [guard(mapped)], returns: { borrow: VmaRef, target: () => w.mm_mt.at(mm) } };
  if (variant === 'lookup-borrows-mm') a.method('MmWithUser::vma_lookup', { on: Mm, arg: { type: MmapGuard }, ...lookup });
  else a.method('MmapReadGuard::vma_lookup', { on: MmapGuard, ...lookup });
  // lock_vma_under_rcu: mas_walk under RCU, vma_start_read (not write-locked, vm_refcnt up unless detached or excluded).
  a.method('MmWithUser::lock_vma_under_rcu', {
    on: Mm,
    effect: (c) => [set(w.vm_refcnt.at(V), add(w.vm_refcnt.at(V), 1)), set(reads.at(c.self), add(reads.at(c.self), 1))],
    returns: { resource: VmaGuard, borrows: true, available: (c) => and(lowestFree(c), mapped, gt(w.vm_refcnt.at(V), 0), not(w.vm_refcnt_excl.at(V)), not(vma_write_locked(w, 'mm', V))) },
  });
  // A VmaRef method (vm_flags, vm_start, zap_page_range_single): the VMA must be alive and locked.
  const touch = (c: CallCtx) => [
    requires(KERNEL.vma.useAfterFree, w.pool.allocated.at(V), 'a VmaRef used after munmap freed the VMA (remove_vma → vm_area_free)'),
    requires(KERNEL.vma.unlockedAccess, or(lock.readers.at(c.self), ...held(MmapGuard, gids, c.self), ...held(VmaGuard, vids, c.self))),
  ];
  a.method('VmaRef::flags', { on: VmaRef, effect: touch });
  a.method('VmaRef::flags', { on: VmaGuard, effect: touch });
  a.generate();

  const vmaFree = (s: Expr) => [requires(KERNEL.vma.freeAttached, and(eq(w.vm_refcnt.at(V), 0), not(w.vm_refcnt_excl.at(V)))),
    ...kmem_cache_free(w.pool, w.vma.at(s)), set(w.vma.at(s), w.pool.none)];
  m.program('munmap', ['munmap'], (s) => [
    step('mmap_write_lock', ...mmap_write_lock(w, 'mm', s), set(w.vma.at(s), w.mm_mt.at(mm))),
    step('vma_start_write', ...vma_start_write(w, 'mm', s)),
    step('vma_start_write.wait', ...vma_start_write_wait(w, 'mm', s)),
    step('vma_mark_detached', ...vma_mark_detached(w, 'mm', s), set(w.mm_mt.at(mm), w.pool.none)),
    either('vms_complete_munmap_vmas',
      [step('mmap_write_downgrade', ...mmap_write_downgrade(w, 'mm', s)), step('remove_vma', ...vmaFree(s)), step('mmap_read_unlock', ...up_read(lock, s))],
      [step('remove_vma.write_locked', ...vmaFree(s)), step('mmap_write_unlock', ...mmap_write_unlock(w, 'mm', s))]),
  ]);
  return m.build();
}

const apiMmap: ModelDef = defineModel({
  name: 'api-mmap',
  doc: 'Rust mmap_lock / VMA read guards: every client of MmWithUser, MmapReadGuard::vma_lookup and lock_vma_under_rcu against munmap (§3)',
  variants: [
    { name: 'seed', doc: '!Send guards, vma_lookup lent by the guard: memory-safe; recursive mmap_read_lock, and a VmaReadGuard held across mmap_read_lock deadlocks with munmap (ABBA)', expect: 'violation:rwsem.recursive', also: [{ classes: ['unsound'], expect: 'pass' }] },
    // vma_end_read on another thread is 3 steps; the seed's recursive read (2) is found first.
    { name: 'guards-send', doc: 'Send guards: vma_end_read / mmap_read_unlock on a thread that did not take the lock (3 steps each)', expect: 'violation:rwsem.recursive', also: [{ classes: ['unsound'], expect: 'violation:rwsem.unlock-not-owner' }] },
    // The seed's recursive read (2 steps) comes before the unlocked access (4): see the tests.
    { name: 'lookup-borrows-mm', doc: 'vma_lookup tied to the MmWithUser, not the guard: the VMA used unlocked (4 steps), then after munmap freed it (9)', expect: 'violation:rwsem.recursive', also: [{ classes: ['unsound'], expect: 'violation:vma.unlocked-access' }] },
  ],
  bounds: [
    { name: 'clients', default: 2, min: 1, max: 3, doc: 'client threads, each handed &MmWithUser' },
    { name: 'budget', default: 3, min: 1, max: 5, doc: 'API calls per client' },
  ],
  build: (variant, b) => buildApiMmap(variant as ApiMmapVariant, b.clients, b.budget),
});

export default apiMmap;
