/**
 * API review of the Rust drm_mm wrapper ("[PATCH RFC 07/18] rust: drm: mm: Add DRM MM Range
 * Allocator abstraction", docs/kernel-protocols.md §6): how a `Node` goes back to its
 * `Allocator`, checked for every client of the API (every sequence of up to `budget` calls per
 * client; drops, sends and `mem::forget` in any order, across threads), not one hand-written
 * client. `C1` starts with the allocators; both `Allocator` and `Node` are `Send`. An insert
 * always succeeds while a node identity is free (no -ENOSPC); each call is one step (the lock
 * inside the wrapper, or the caller's, serializes it).
 * - `early-asahi`: `Drop for Allocator` runs `drm_mm_takedown()` while Nodes may still live;
 *   `Node` drop is `drm_mm_remove_node()` on its allocator (the 2022 design, §6.2).
 * - `arc` (the RFC): every Node holds an `Arc<Mutex<MmInner>>`; `drm_mm_takedown()` runs in
 *   `Drop for MmInner`, when the last `Arc` (the Allocator's or a Node's) goes.
 * - `explicit-free`: Drop for `Node` forbidden (a link error), `Allocator::free(&self, Node)`
 *   returns it; dropping the Allocator with nodes left takes the WARN ("it will complain").
 * - `explicit-free-2`: the same with (at least) two allocators: a Node freed through another
 *   allocator than its own (`drm_mm.wrong-allocator`, the "don't mix up locks" objection).
 * - `borrowed`: "pass both": `Node<'a>` borrows its Allocator for its life, so the Allocator
 *   cannot drop first; `mem::forget(node)` ends the borrow and leaves the node allocated.
 * The leak `drm_mm.allocator-leaked` (no takedown by the end) needs a `mem::forget` in every variant.
 */
import {
  model, defineModel, enumeration, option, range, bool, set, when, requires, and, or, not, eq, ne, add, sub, forall, lit,
  type Model, type ModelDef, type Stmt,
} from './lang/index.ts';
import { KERNEL } from '../properties/catalogue/index.ts';
import { api, type ApiRule } from './api/index.ts';

export type ApiDrmMmVariant = 'early-asahi' | 'arc' | 'explicit-free' | 'explicit-free-2' | 'borrowed';

/** Build one variant; `without` removes generated type rules (the mutation test). */
export function buildApiDrmMm(variant: ApiDrmMmVariant, clients: number, budget: number, allocators: number, nodes: number, without: ApiRule[] = []): Model {
  const m = model('api-drm_mm', 'Rust drm_mm Allocator/Node: every client of the API, for four ways a Node goes back to its allocator');
  const allocs = variant === 'explicit-free-2' ? Math.max(2, allocators) : allocators;
  m.bounds = { clients, budget, allocators: allocs, nodes };
  const cs = Array.from({ length: clients }, (_, i) => `C${i + 1}`);
  const T = m.threads(cs).sort;
  const Alloc = enumeration('AllocatorId', Array.from({ length: allocs }, (_, i) => `A${i + 1}`));
  const nodeIds = Array.from({ length: nodes }, (_, i) => `N${i + 1}`);
  const NodeId = enumeration('NodeId', nodeIds);
  const allocIds = Alloc.kind === 'enum' ? Alloc.values : [];
  const linked = m.var('node.mm', option(Alloc), 'none', [NodeId], 'node->mm of an allocated node (DRM_MM_NODE_ALLOCATED_BIT); none: not allocated');
  const creator = m.var('node.creator', option(T), 'none', [NodeId], 'the client whose Allocator::insert_node made the node (for the capability)');
  const takenDown = m.var('drm_mm.taken_down', bool, false, [Alloc], 'drm_mm_takedown ran');
  const arcs = variant === 'arc' ? m.var('mm_inner.arcs', range(0, nodes + 1), 1, [Alloc], 'Arc<Mutex<MmInner>> strong count: the Allocator and one per Node') : undefined;

  const live = (a: string) => requires(KERNEL.drmMm.useAfterTakedown, not(takenDown.at(a)));
  // drm_mm_takedown: WARN(!drm_mm_clean(mm), "Memory manager not clean during takedown.").
  const takedown = (a: string): Stmt[] => [
    requires(KERNEL.drmMm.takedownNotClean, forall(NodeId, (n) => ne(linked.at(n), a))), set(takenDown.at(a), true)];
  // Arc::drop of the MmInner: the last one runs Drop for MmInner, i.e. drm_mm_takedown.
  const arcPut = (a: string): Stmt[] => (arcs ? [set(arcs.at(a), sub(arcs.at(a), 1)), when(eq(arcs.at(a), 0), takedown(a))] : []);
  // drm_mm_remove_node(node) works on node->mm (DRM_MM_BUG_ON(!drm_mm_node_allocated(node))).
  const remove = (n: string): Stmt[] => [
    requires(KERNEL.drmMm.removeNotAllocated, ne(linked.at(n), 'none')),
    ...allocIds.map((a) => when(eq(linked.at(n), a), [live(a), set(linked.at(n), 'none'), ...arcPut(a)])),
  ];

  const a = api(m, { clients: cs, budget, without, symmetric: cs });
  const Allocator = a.resource('Allocator', {
    object: Alloc, send: true, init: Object.fromEntries(allocIds.map((x) => [x, 'C1'])),
    // early Asahi, explicit free, borrowed: Drop for Allocator takes the drm_mm down; the RFC drops an Arc.
    drop: (c) => (arcs ? arcPut(c.obj) : takedown(c.obj)),
  });
  const explicit = variant === 'explicit-free' || variant === 'explicit-free-2';
  const Node = a.resource('Node', { object: NodeId, send: true, drop: explicit ? 'forbidden' : (c) => remove(c.obj) });
  // drm_mm_insert_node_in_range on the allocator's drm_mm; the RFC's Node takes an Arc clone.
  a.method('Allocator::insert_node', {
    on: Allocator,
    effect: (c) => [live(c.obj), set(linked.at(c.result!), c.obj), set(creator.at(c.result!), c.self), ...(arcs ? [set(arcs.at(c.obj), add(arcs.at(c.obj), 1))] : [])],
    returns: { resource: Node, available: (c) => eq(linked.at(c.result!), 'none'), borrows: variant === 'borrowed' },
  });
  if (explicit) {
    a.method('Allocator::free', {
      on: Allocator, arg: { type: Node, consumes: true },
      effect: (c) => [requires(KERNEL.drmMm.wrongAllocator, eq(linked.at(c.arg!), c.obj), 'Allocator::free given a Node of another allocator: drm_mm_remove_node() unlinks it from node->mm under the other allocator\'s lock'), ...remove(c.arg!)],
    });
  }
  a.generate();
  // Can a Node live on after the client that inserted it finished (its scope ended, all dropped)?
  const lives = (n: string) => and(ne(Node.holder.at(n), 'none'), ne(Node.holder.at(n), 'forgotten'));
  m.cover(KERNEL.drmMm.nodeOutlivesScope, or(...nodeIds.flatMap((n) => cs.map((c) => and(eq(creator.at(n), c), a.finished(lit(T, c)), lives(n))))));
  m.quiescence(KERNEL.drmMm.allocatorLeaked, forall(Alloc, (x) => takenDown.at(x)),
    'every client finished, yet drm_mm_takedown never ran for some allocator (a leak)');
  return m.build();
}

const apiDrmMm: ModelDef = defineModel({
  name: 'api-drm_mm',
  doc: 'Rust drm_mm Allocator/Node: every client of the API, early Asahi vs the RFC\'s Arc vs explicit free vs borrowed Nodes (§6)',
  variants: [
    { name: 'early-asahi', doc: 'Drop for Allocator runs drm_mm_takedown while Nodes live: WARN in 2 steps, remove from a taken-down drm_mm in 3', expect: 'violation:drm_mm.takedown-not-clean', also: [{ classes: ['unsound'], expect: 'violation:drm_mm.use-after-takedown' }] },
    { name: 'arc', doc: 'the RFC: Nodes hold Arc<Mutex<MmInner>>, takedown with the last Arc: sound, a leak only through mem::forget', expect: 'violation:drm_mm.allocator-leaked', also: [{ classes: ['unsound', 'warn', 'liveness'], expect: 'pass' }, { classes: ['leak'], forget: false, expect: 'pass' }, { classes: ['capability'], expect: 'pass' }] },
    { name: 'explicit-free', doc: 'Drop for Node forbidden, Allocator::free(&self, Node): sound, the takedown WARN reachable ("it will complain")', expect: 'violation:drm_mm.takedown-not-clean', also: [{ classes: ['unsound', 'liveness'], expect: 'pass' }] },
    { name: 'explicit-free-2', doc: 'explicit-free with two allocators: a Node freed through the wrong one in 2 steps (as short as the WARN, found first)', expect: 'violation:drm_mm.takedown-not-clean', also: [{ classes: ['unsound'], expect: 'violation:drm_mm.wrong-allocator' }] },
    { name: 'borrowed', doc: 'Node<\'a> borrows its Allocator for life: sound, the takedown WARN only through mem::forget(node)', expect: 'violation:drm_mm.allocator-leaked', also: [{ classes: ['unsound', 'liveness'], expect: 'pass' }, { classes: ['warn', 'leak'], forget: false, expect: 'pass' }, { classes: ['capability'], expect: 'violation:api.node-outlives-creator-scope' }] },
  ],
  bounds: [
    { name: 'clients', default: 2, min: 1, max: 3, doc: 'client threads (C1 starts with the allocators)' },
    { name: 'budget', default: 3, min: 1, max: 5, doc: 'API calls per client' },
    { name: 'allocators', default: 1, min: 1, max: 2, doc: 'allocators (drm_mm instances); explicit-free-2 has at least 2' },
    { name: 'nodes', default: 2, min: 1, max: 3, doc: 'Node identities (at most this many nodes live at once)' },
  ],
  build: (variant, b) => buildApiDrmMm(variant as ApiDrmMmVariant, b.clients, b.budget, b.allocators, b.nodes),
});

export default apiDrmMm;
