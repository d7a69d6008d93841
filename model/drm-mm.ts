/**
 * The drm_mm model: a range allocator shared by GEM objects, each holding one `drm_mm_node`,
 * while the driver tears down. docs/kernel-protocols.md §6 and bugs K8/K8b; the fixed model is the Rust
 * wrapper's shape (§6.2, Asahi `rust/kernel/drm/mm.rs`):
 * `Allocator { mm: Arc<Mutex<MmInner>> }`, every `Node` holds a clone of that `Arc`, dropping a
 * `Node` removes it under the mutex, and `drm_mm_takedown` runs in `Drop for MmInner`, i.e.
 * after the last `Arc` is gone, so the order in which Nodes and the Allocator drop does not matter.
 *
 * Threads:
 * - `O1..On` (GEM object owners): a create ioctl inside `drm_dev_enter`/`drm_dev_exit` inserts
 *   the object's node (`Allocator::insert_node`); the object lives on after the ioctl and its
 *   last reference is dropped at any later time (`drop(Node)`).
 * - `driver`: unbind: `drm_dev_unplug` (no new ioctls; waits for running ones), then drops its
 *   `Allocator`.
 *
 * The drm_mm has room for `size` nodes; an insert with no hole left fails with -ENOSPC and its
 * NodeData (`valid == false`) drops without a remove. Each node's `drm_mm_node` lives inside
 * memory the owner frees (Rust: the `NodeData` KBox; C msm: the `msm_gem_vma` embedding the
 * VRAM carveout node), so freeing that memory while the node is still linked is K8.
 *
 * Properties (besides the primitives' own): `drm_mm.node-freed-while-allocated` (I-D1: a drm_mm
 * op walks a linked node whose memory is freed), `drm_mm.takedown-not-clean` (I-D2),
 * `drm_mm.lock-not-held` (I-D3), `drm_mm.remove-not-allocated` (I-D4),
 * `drm_mm.use-after-takedown`, and the quiescence `drm_mm.allocator-leaked` (the last Arc went,
 * or some Arc never did, without takedown).
 */
import {
  model, bool, step, branch, guard, set, when, requires, and, not, implies, forall, count, lt,
  defineModel, type ModelDef, type Expr, type Stmt,
} from './lang/index.ts';
import { mutex, mutex_lock, mutex_unlock, mutex_is_owner } from './primitives/locks.ts';
import { refObject, obj_free, obj_use } from './primitives/refcount.ts';
import { arefs, aref_from, aref_drop } from './primitives/aref.ts';
import { KERNEL } from '../properties/catalogue/index.ts';

export interface DrmMmFlags {
  /** K8: the memory holding the node is freed (msm: `kfree(vma)` in `put_iova`) before `drm_mm_remove_node`. */
  freeBeforeRemove?: boolean;
  /** K8b: the node is removed after the unlock (msm: `put_iova_vmas` after `msm_gem_unlock`). */
  removeAfterUnlock?: boolean;
  /** Early Asahi: `Drop for Allocator` runs `drm_mm_takedown` under the mutex while Nodes hold references. */
  takedownInAllocatorDrop?: boolean;
}

/**
 * Build the drm_mm model with `objects` GEM object owners and room for `size` nodes.
 * Example: `buildDrmMm(2, 1, { freeBeforeRemove: true })`.
 */
export function buildDrmMm(objects: number, size: number, flags: DrmMmFlags = {}) {
  const m = model('drm_mm', 'drm_mm range allocator: GEM objects insert and drop nodes while the driver tears down');
  m.bounds = { objects, size };
  const owners = Array.from({ length: objects }, (_, i) => `O${i + 1}`);
  const T = m.threads([...owners, 'driver']);
  m.symmetric(owners);

  // Mutex<MmInner>: the lock that serializes every call on this drm_mm. In msm two locks play
  // this part, priv->vram.lock around the VRAM drm_mm calls and msm_gem_lock(obj) around the
  // object's vma list (K8b); the model has one lock for both.
  const lock = mutex(m, 'mm.lock');
  // Arc<Mutex<MmInner>>: its strong count; `mm_inner.freed` once Drop for MmInner ran.
  const inner = refObject(m, 'mm_inner', { max: objects + 1, init: 1, doc: 'Arc<Mutex<MmInner>> strong count' });
  const taken_down = m.var('drm_mm.taken_down', bool, false, [], 'drm_mm_takedown ran');
  const allocated = m.var('node.allocated', bool, false, [T.sort], "DRM_MM_NODE_ALLOCATED_BIT of this thread's node");
  const valid = m.var('node.valid', bool, false, [T.sort], 'NodeData.valid: the insert succeeded, so drop must remove');
  const node_freed = m.var('node.freed', bool, false, [T.sort], 'the memory holding the drm_mm_node (NodeData KBox; msm: msm_gem_vma) is freed');
  const unplugged = m.var('drm_dev.unplugged', bool, false, [], 'drm_dev_unplug ran: drm_dev_enter fails from now on');
  const in_ioctl = m.var('drm_dev.in_ioctl', bool, false, [T.sort], 'inside drm_dev_enter/drm_dev_exit (an SRCU read section)');

  // Every drm_mm op walks node_list and the interval/hole trees, so it dereferences every linked node.
  const walk = requires(KERNEL.drmMm.nodeFreedWhileAllocated,
    forall(T.sort, (t) => implies(allocated.at(t), not(node_freed.at(t)))),
    'drm_mm walked a drm_mm_node whose memory was freed while it was still allocated (use-after-free, I-D1)');
  const lockHeld = (self: Expr, op: string) => requires(KERNEL.drmMm.lockNotHeld, mutex_is_owner(lock, self),
    `${op} without the lock that serializes this drm_mm (I-D3; msm: WARN_ON(!msm_gem_is_locked(obj)))`);
  const live = requires(KERNEL.drmMm.useAfterTakedown, not(taken_down));

  // drm_mm_insert_node_in_range: the node is linked into the lists and trees, or -ENOSPC (untouched).
  const drm_mm_insert_node_in_range = (self: Expr): Stmt[] => [
    lockHeld(self, 'drm_mm_insert_node_in_range'), live, walk,
    when(lt(count(T.sort, (t) => allocated.at(t)), size), [set(allocated.at(self), true), set(valid.at(self), true)]),
  ];
  // drm_mm_remove_node: DRM_MM_BUG_ON(!drm_mm_node_allocated(node)); unlink, clear_bit_unlock(ALLOCATED).
  const drm_mm_remove_node = (self: Expr): Stmt[] => [
    lockHeld(self, 'drm_mm_remove_node'), live, walk,
    requires(KERNEL.drmMm.removeNotAllocated, allocated.at(self), 'drm_mm_remove_node on a node that is not allocated (DRM_MM_BUG_ON, I-D4)'),
    set(allocated.at(self), false),
  ];
  // drm_mm_takedown: WARN(!drm_mm_clean(mm)) and show_leaks walks what is left. The caller owns
  // the allocator exclusively (Drop for MmInner) or holds the lock (early Asahi Allocator::drop).
  const drm_mm_takedown = (): Stmt[] => [
    walk,
    requires(KERNEL.drmMm.takedownNotClean, forall(T.sort, (t) => not(allocated.at(t))),
      `${KERNEL.drmMm.takedownNotClean.message} (drm_mm_takedown with nodes still allocated, I-D2)`),
    set(taken_down, true),
  ];
  // Drop for MmInner, run by whoever drops the last Arc: takedown (fixed), then the memory goes.
  const mmInnerDrop = [...(flags.takedownInAllocatorDrop ? [] : drm_mm_takedown()), ...obj_free(inner)];
  const arc = arefs(m, 'mm_inner', inner.refs, { initial: { driver: 1 }, maxTokens: 1, release: mmInnerDrop });
  // mem::forget(node) would keep an Arc forever: takedown never runs (a leak, not a UAF).
  m.quiescence(KERNEL.drmMm.allocatorLeaked, and(taken_down, inner.freed));
  // self.mm.lock(): the Mutex lives inside the Arc's allocation.
  const lockMm = (self: Expr) => [...obj_use(inner), ...mutex_lock(lock, self)];

  m.program('gem_object', owners, (self) => {
    // KBox dealloc of NodeData once its fields dropped (msm: put_iova_vmas → del_vma → kfree(vma)).
    const free = step('node_free', set(node_freed.at(self), true));
    const remove = step('remove_node', ...drm_mm_remove_node(self));
    const unlock = step('drop_unlock', ...mutex_unlock(lock, self));
    // drop(Node): Drop for NodeData sees valid → self.mm.lock() → AllocInner::drop_object →
    // drm_mm_remove_node → guard dropped; then the fields (the Arc), then the memory.
    // msm_gem_free_object: msm_gem_lock → put_iova_spaces → put_pages (drm_mm_remove_node of the
    // VRAM node) → put_iova_vmas (kfree) → msm_gem_unlock.
    const drop = [
      ...(flags.freeBeforeRemove ? [free] : []),
      step('drop_lock', ...lockMm(self)),
      ...(flags.removeAfterUnlock ? [unlock, remove] : [remove, unlock]),
      // The NodeData.mm field drops: the last Arc runs Drop for MmInner in this thread.
      step('arc_drop', ...aref_drop(arc, self)),
      ...(flags.freeBeforeRemove ? [] : [free]),
    ];
    return [
      branch('create_ioctl', not(unplugged), [
        step('drm_dev_enter', set(in_ioctl.at(self), true)),
        // Allocator::insert_node: KBox::new(NodeData { valid: false, mm: self.mm.clone(), .. }) before locking.
        step('node_alloc', ...aref_from(arc, self)),
        step('insert_lock', ...lockMm(self)),
        step('insert_node', ...drm_mm_insert_node_in_range(self)),
        step('insert_unlock', ...mutex_unlock(lock, self)),
        branch('inserted', valid.at(self), [
          step('drm_dev_exit', set(in_ioctl.at(self), false)),
          // The object outlives the ioctl; its last reference drops at any later time.
          ...drop,
        ], [
          // -ENOSPC: insert_node returns Err after the guard; the NodeData (valid == false)
          // drops without a remove, its Arc and memory go, and the ioctl fails.
          step('enospc_arc_drop', ...aref_drop(arc, self)),
          step('enospc_node_free', set(node_freed.at(self), true)),
          step('enospc_drm_dev_exit', set(in_ioctl.at(self), false)),
        ]),
      ], [step('drm_dev_enter_failed')]),
    ];
  });

  m.program('driver', ['driver'], (self) => [
    // drm_dev_unplug: mark the device gone, then synchronize_srcu waits for running ioctls.
    step('drm_dev_unplug', set(unplugged, true)),
    step('synchronize_srcu', guard(forall(T.sort, (t) => not(in_ioctl.at(t))))),
    ...(flags.takedownInAllocatorDrop ? [
      // Early Asahi: impl Drop for Allocator { drm_mm_takedown(self.mm.lock()) }.
      step('allocator_lock', ...lockMm(self)),
      step('allocator_takedown', ...drm_mm_takedown()),
      step('allocator_unlock', ...mutex_unlock(lock, self)),
    ] : []),
    // The Allocator's Arc drops; if it is the last, Drop for MmInner runs here.
    step('allocator_drop', ...aref_drop(arc, self)),
  ]);
  return m.build();
}

const drmMmDef: ModelDef = defineModel({
  name: 'drm_mm',
  doc: 'drm_mm and the Rust Allocator/Node: insert, remove, takedown; Nodes hold an Arc to the mutex-protected allocator',
  variants: [
    { name: 'fixed', doc: 'Rust shape: Node drop removes under the mutex, takedown in Drop for MmInner after the last Arc', expect: 'pass' },
    { name: 'node-freed-while-allocated', doc: 'K8 msm: kfree(vma) before drm_mm_remove_node of the VRAM node it embeds', expect: 'violation:drm_mm.node-freed-while-allocated' },
    { name: 'remove-without-lock', doc: 'K8b msm: put_iova_vmas after msm_gem_unlock: the node leaves without the lock', expect: 'violation:drm_mm.lock-not-held' },
    { name: 'takedown-in-allocator-drop', doc: 'early Asahi: Drop for Allocator takes down the drm_mm while Nodes still hold it (I-D2)', expect: 'violation:drm_mm.takedown-not-clean' },
  ],
  bounds: [
    { name: 'objects', default: 3, min: 1, max: 4, doc: 'GEM object owner threads, one node each (plus the driver thread)' },
    { name: 'size', default: 2, min: 1, max: 4, doc: 'nodes the drm_mm has room for; an insert while that many are allocated gets -ENOSPC' },
  ],
  build: (variant, b) => buildDrmMm(b.objects, b.size, {
    freeBeforeRemove: variant === 'node-freed-while-allocated',
    removeAfterUnlock: variant === 'remove-without-lock',
    takedownInAllocatorDrop: variant === 'takedown-in-allocator-drop',
  }),
});

export default drmMmDef;
