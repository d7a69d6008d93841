/**
 * The `drm_mm` range allocator (drivers/gpu/drm/drm_mm.c, include/drm/drm_mm.h) and the Rust
 * `Allocator`/`Node` wrapper over it. drm_mm has no locking of its own: the driver serializes.
 */
import { group } from './entry.ts';

export const drmMm = group({
  nodeFreedWhileAllocated: {
    id: 'drm_mm.node-freed-while-allocated', kind: 'requires', class: 'unsound',
    message: 'drm_mm walked a drm_mm_node whose memory was freed while it was still allocated (use-after-free)',
    kernel: 'a `drm_mm_node` stays linked into the allocator\'s node list and trees until `drm_mm_remove_node()`; freeing its memory first is `9b73bde39cf2` "drm/msm: Fix use-after-free in msm_gem with carveout"',
  },
  lockNotHeld: {
    id: 'drm_mm.lock-not-held', kind: 'requires', class: 'unsound',
    message: 'drm_mm call without the lock that serializes this drm_mm',
    kernel: 'drm_mm has no internal locking (drivers/gpu/drm/drm_mm.c), so two unserialized calls race on the node list and hole trees; `57f04815fd95` "drm/msm: Fix WARN_ON() splat in _free_object()" moved a removal back under `msm_gem_lock()`',
  },
  removeNotAllocated: {
    id: 'drm_mm.remove-not-allocated', kind: 'requires', class: 'warn',
    message: 'drm_mm_remove_node on a node that is not allocated',
    kernel: '`drm_mm_remove_node()` starts with `DRM_MM_BUG_ON(!drm_mm_node_allocated(node))` (drivers/gpu/drm/drm_mm.c): a double remove',
  },
  takedownNotClean: {
    id: 'drm_mm.takedown-not-clean', kind: 'requires', class: 'warn',
    message: 'Memory manager not clean during takedown.',
    kernel: '`drm_mm_takedown()`: `WARN(!drm_mm_clean(mm), "Memory manager not clean during takedown.\\n")`, then `show_leaks()`; "it is a bug to call this function on an allocator which is not clean"',
  },
  useAfterTakedown: {
    id: 'drm_mm.use-after-takedown', kind: 'requires', class: 'unsound',
    message: 'drm_mm op on an allocator after drm_mm_takedown',
    kernel: '`drm_mm_takedown()` is the allocator\'s destructor: the Rust wrapper runs it in `Drop for MmInner` just before the memory goes, so a later call works on a torn-down (soon freed) `struct drm_mm`',
  },
  allocatorLeaked: {
    id: 'drm_mm.allocator-leaked', kind: 'quiescence', class: 'leak',
    message: 'every thread finished, yet drm_mm_takedown never ran and MmInner was never freed',
    kernel: 'the Rust wrapper\'s `MmInner` (whose `Drop` calls `drm_mm_takedown()`) goes only with its last `Arc`; a `Node` kept forever (`mem::forget()`) leaks the allocator instead of freeing it early',
  },
  wrongAllocator: {
    id: 'drm_mm.wrong-allocator', kind: 'requires', class: 'unsound',
    message: 'a Node removed through another allocator than the one it was inserted in',
    kernel: '`drm_mm_remove_node()` unlinks the node from `node->mm`, under whatever lock the caller took: with caller-supplied locking, freeing a Node through the wrong allocator modifies one drm_mm under another\'s lock (a data race on its trees)',
  },
  nodeOutlivesScope: {
    id: 'api.node-outlives-creator-scope', kind: 'cover', class: 'capability',
    message: 'a Node outlives the scope that created it (the client that inserted it finished while the Node lives on)',
    kernel: 'a GEM object keeps its `drm_mm_node` past the ioctl that allocated it: the Rust RFC\'s `Node` holds an `Arc` of the allocator for that; a `Node<\'a>` borrowing the allocator cannot outlive the borrow\'s scope ("Lifetimes just don\'t work here")',
  },
});
