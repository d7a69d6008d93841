/**
 * The page model: a driver's two-page buffer that it fills through `kmap_local`, copies in a
 * worker and maps into a user process with `vm_insert_page`, while user threads read the
 * mapping and `madvise(MADV_DONTNEED)` it away (docs/kernel-protocols.md §4, I-P1..I-P3).
 *
 * Threads:
 * - `driver`: owns both Rust `Page`s (`Page::alloc_page`), writes P1 through `kmap_local`
 *   (`Page::with_page_mapped`), queues the worker, inserts P1 into the user VMA, waits for the
 *   worker (`flush_work`), inserts P2, then releases: zap the range, drop both `Page`s.
 * - `worker`: `memcpy_page(P2, P1)` (include/linux/highmem.h): two nested `kmap_local_page`s
 *   (dst, then src), the copy, and the unmaps in reverse order (src, then dst). It borrows the
 *   driver's `&Page`s; the driver drops them only after `flush_work`.
 * - `U1..Un`: threads of the process the pages are mapped into: read the buffer through the
 *   PTEs (a missing PTE is a fault that maps nothing), then `madvise(MADV_DONTNEED)`, which
 *   zaps the range (`zap_page_range_single`) without removing the VMA.
 *
 * Page state is the page refcount (`page_count`: the driver's `Page` + one per PTE), the
 * mapcount (0 or 1: one VMA, one address per page) and whether the driver's `Page` is alive.
 * The VMA itself and the mmap/VMA locks `vm_insert_page` and zap need are the mm models' job:
 * here the VMA stays mapped for the whole run.
 */
import {
  model, defineModel, enumeration, option, bool, range, step, guard, set, add, sub, eq, gt, ge, not, or, ite, lit, forall,
  requires, when, type ModelDef,
} from './lang/index.ts';
import type { Expr } from './lang/ir.ts';
import type { Stmt } from './lang/stmt.ts';
import { KERNEL } from '../properties/catalogue/index.ts';

export interface PageFlags {
  /** The worker unmaps dst before src: kunmap_local out of LIFO order (I-P2). */
  kunmapOutOfOrder?: boolean;
  /**
   * The driver drops its Pages before zapping the user range (I-P1: zap before freeing or
   * repurposing). Not a use-after-free by itself: the PTE's reference keeps the page, but the
   * driver no longer owns a page user space still maps, so the rule is checked at the drop.
   */
  dropBeforeZap?: boolean;
  /** The driver maps dst itself and passes the kmap_local address to the worker (I-P2: same context). */
  kmapHandedToWorker?: boolean;
}

const PAGES = ['P1', 'P2'] as const;
type PageName = (typeof PAGES)[number];

/** Build the page model with `users` user threads. Example: `buildPage(2, { dropBeforeZap: true })`. */
export function buildPage(users: number, flags: PageFlags = {}) {
  const m = model('page', 'Page, kmap_local and vm_insert_page: a driver buffer mapped into a process');
  m.bounds = { users };
  const userNames = Array.from({ length: users }, (_, i) => `U${i + 1}`);
  m.threads(['driver', 'worker', ...userNames]);
  m.symmetric(userNames);

  const Page = enumeration('Page', [...PAGES]);
  const PageState = enumeration('PageState', ['unallocated', 'allocated', 'freed']);
  const PageOrNone = option(Page, 'none');
  const state = m.var('page.state', PageState, 'unallocated', [Page], 'allocated by alloc_pages, freed when page_count hits 0');
  // The driver's Page + one PTE; anything more leaves the sort and is reported as a bound.
  const refcount = m.var('page.refcount', range(0, 2), 0, [Page], 'page_count(page)');
  const mapcount = m.var('page.mapcount', range(0, 1), 0, [Page], 'page_mapcount: PTEs of the user VMA mapping the page');
  const owned = m.var('page.owned', bool, false, [Page], "the driver's Rust Page (one page reference) is alive");
  // kmap_local is a per-task stack; two slots are all memcpy_page needs.
  const kmapTop = m.local('kmap_local.top', PageOrNone, 'none');
  const kmapUnder = m.local('kmap_local.under', PageOrNone, 'none');
  const workQueued = m.var('work.queued', bool, false, [], 'queue_work: the copy is pending');
  const workDone = m.var('work.done', bool, false, [], 'the copy work has finished (what flush_work waits for)');

  const P = (p: PageName) => lit(Page, p);
  const alive = (p: Expr) => eq(state.at(p), 'allocated');
  const mapped = (p: Expr) => gt(mapcount.at(p), 0);

  // put_page: the last reference frees the page (free_unref_page).
  const putPage = (p: Expr): Stmt[] => [
    requires(KERNEL.page.refcountUnderflow, gt(refcount.at(p), 0)),
    set(refcount.at(p), sub(refcount.at(p), 1)),
    when(eq(refcount.at(p), 0), [set(state.at(p), 'freed')]),
  ];
  // Page::alloc_page(GFP_KERNEL | __GFP_ZERO) → alloc_pages(gfp, 0): an owned page, refcount 1.
  const allocPage = (p: Expr): Stmt[] => [
    set(state.at(p), 'allocated'), set(refcount.at(p), 1), set(owned.at(p), true),
  ];
  // drop(Page) → __free_pages(page, 0): drops the driver's reference.
  const dropPage = (p: Expr): Stmt[] => [
    requires(KERNEL.page.droppedWhileMapped, not(mapped(p)),
      'the driver dropped its Page while a user PTE still maps it (I-P1: zap before freeing or repurposing the page)'),
    set(owned.at(p), false),
    ...putPage(p),
  ];
  // kmap_local_page(page): push; the kernel side needs a reference of its own (I-P3).
  const kmapLocal = (self: Expr, p: Expr): Stmt[] => [
    requires(KERNEL.page.accessWithoutReference, owned.at(p), 'kmap_local_page on a page the driver no longer owns (I-P3)'),
    requires(KERNEL.page.useAfterFree, alive(p), 'page mapped after it was freed'),
    requires(KERNEL.kmap.stackOverflow, eq(kmapUnder.at(self), 'none')),
    set(kmapUnder.at(self), kmapTop.at(self)),
    set(kmapTop.at(self), p),
  ];
  // kunmap_local(addr): must be the most recent live mapping of this task (highmem.h: "Unmapping
  // addr1 before addr2 is invalid"); pop it.
  const kunmapLocal = (self: Expr, p: Expr): Stmt[] => [
    requires(KERNEL.kmap.unmapOutOfOrder, eq(kmapTop.at(self), p),
      'kunmap_local of an address that is not the most recent live kmap_local of this task (I-P2: LIFO)'),
    when(eq(kmapTop.at(self), p),
      [set(kmapTop.at(self), kmapUnder.at(self)), set(kmapUnder.at(self), 'none')],
      [when(eq(kmapUnder.at(self), p), [set(kmapUnder.at(self), 'none')])]),
  ];
  // A load or store through a kmap_local address: only this task's live mappings (I-P2).
  const kmapAccess = (self: Expr, p: Expr): Stmt[] => [
    requires(KERNEL.kmap.accessUnmapped, or(eq(kmapTop.at(self), p), eq(kmapUnder.at(self), p)),
      'page accessed through a kmap_local address this task has not mapped (unmapped already, or mapped in another context)'),
    requires(KERNEL.page.useAfterFree, alive(p), 'page accessed after it was freed'),
  ];
  // VmaMixedMap::vm_insert_page(addr, &page): PTE installed, page_count++ and mapcount++;
  // -EBUSY (nothing changes) if a PTE is already present.
  const vmInsertPage = (p: Expr): Stmt[] => [
    requires(KERNEL.page.useAfterFree, alive(p), 'vm_insert_page of a freed page'),
    when(not(mapped(p)), [set(mapcount.at(p), 1), set(refcount.at(p), add(refcount.at(p), 1))]),
  ];
  // zap_page_range_single over the buffer: clear each present PTE and drop its page reference.
  const zapRange = (): Stmt[] => PAGES.flatMap((n) => [
    when(mapped(P(n)), [set(mapcount.at(P(n)), 0), ...putPage(P(n))]),
  ]);

  // I-P1: a user mapping never outlives its page; the refcount covers every owner.
  m.invariant(KERNEL.page.mappingOutlivesPage, forall(Page, (p) => or(not(mapped(p)), alive(p))),
    'a user PTE maps a page that has been freed (I-P1)');
  m.invariant(KERNEL.page.refcountBelowOwners,
    forall(Page, (p) => or(not(alive(p)), ge(refcount.at(p), add(ite(owned.at(p), 1, 0), mapcount.at(p))))),
    'page_count below the driver Page + PTEs that hold references');
  m.quiescence(KERNEL.page.leak, forall(Page, (p) => not(alive(p))),
    'every thread finished but a page was never freed (a Page not dropped or a PTE not zapped)');
  m.quiescence(KERNEL.kmap.leak, forall(m.threadSort, (t) => eq(kmapTop.at(t), 'none')));

  const release = flags.dropBeforeZap
    ? [step('drop_P1', ...dropPage(P('P1'))), step('drop_P2', ...dropPage(P('P2'))), step('zap_page_range_single', ...zapRange())]
    : [step('zap_page_range_single', ...zapRange()), step('drop_P1', ...dropPage(P('P1'))), step('drop_P2', ...dropPage(P('P2')))];
  m.program('driver', ['driver'], (self) => [
    step('alloc_page_P1', ...allocPage(P('P1'))),
    step('alloc_page_P2', ...allocPage(P('P2'))),
    // Page::write_raw → with_page_mapped: kmap_local_page, memcpy, kunmap_local.
    step('kmap_local_P1', ...kmapLocal(self, P('P1'))),
    step('write_P1', ...kmapAccess(self, P('P1'))),
    step('kunmap_local_P1', ...kunmapLocal(self, P('P1'))),
    ...(flags.kmapHandedToWorker ? [step('kmap_local_P2', ...kmapLocal(self, P('P2')))] : []),
    // queue_work(system_wq, &work): the copy runs on a kworker.
    step('queue_work', set(workQueued, true)),
    step('vm_insert_page_P1', ...vmInsertPage(P('P1'))),
    step('flush_work', guard(workDone)),
    ...(flags.kmapHandedToWorker ? [step('kunmap_local_P2', ...kunmapLocal(self, P('P2')))] : []),
    step('vm_insert_page_P2', ...vmInsertPage(P('P2'))),
    ...release,
  ]);

  // memcpy_page(P2, 0, P1, 0, PAGE_SIZE): dst = kmap_local_page(P2); src = kmap_local_page(P1);
  // memcpy; kunmap_local(src); kunmap_local(dst).
  // With kmapHandedToWorker, dst is the address the driver mapped in its own context.
  const unmaps = (self: Expr) => {
    const src = step('kunmap_local_src', ...kunmapLocal(self, P('P1')));
    const dst = step('kunmap_local_dst', ...kunmapLocal(self, P('P2')));
    if (flags.kmapHandedToWorker) return [src];
    return flags.kunmapOutOfOrder ? [dst, src] : [src, dst];
  };
  m.program('worker', ['worker'], (self) => [
    step('work_start', guard(workQueued)),
    ...(flags.kmapHandedToWorker ? [] : [step('kmap_local_dst', ...kmapLocal(self, P('P2')))]),
    step('kmap_local_src', ...kmapLocal(self, P('P1'))),
    step('memcpy', ...kmapAccess(self, P('P1')), ...kmapAccess(self, P('P2'))),
    ...unmaps(self),
    step('work_done', set(workDone, true)),
  ]);

  // User space: a load through each present PTE (no PTE: the fault maps nothing), then
  // madvise(MADV_DONTNEED) → zap_page_range_single.
  m.program('user', userNames, () => [
    step('user_read', ...PAGES.map((n) => when(mapped(P(n)),
      [requires(KERNEL.page.useAfterFree, alive(P(n)), 'user space read a page through a PTE after the page was freed')]))),
    step('madvise_dontneed', ...zapRange()),
  ]);
  return m.build();
}

const pageDef: ModelDef = defineModel({
  name: 'page',
  doc: 'Page: alloc, kmap_local LIFO, vm_insert_page (page ref + mapcount), zap, drop; users read and zap the mapping',
  variants: [
    { name: 'fixed', doc: 'kmap_local unmapped in reverse order; the driver zaps, then drops its Pages', expect: 'pass' },
    { name: 'kunmap-out-of-order', doc: 'I-P2 memcpy_page unmaps dst before src: kunmap_local out of LIFO order', expect: 'violation:kmap.unmap-out-of-order' },
    { name: 'kmap-handed-to-worker', doc: 'I-P2 the driver kmaps dst and hands the address to the worker: a kmap_local mapping used in another context', expect: 'violation:kmap.access-unmapped' },
    { name: 'drop-before-zap', doc: 'I-P1 the driver drops a Page while the user PTE still maps it (zap comes after)', expect: 'violation:page.dropped-while-mapped' },
  ],
  bounds: [{ name: 'users', default: 2, min: 1, max: 4, doc: 'user threads of the process reading and zapping the mapping (plus the driver and the worker)' }],
  build: (variant, b) => buildPage(b.users, {
    kunmapOutOfOrder: variant === 'kunmap-out-of-order',
    dropBeforeZap: variant === 'drop-before-zap',
    kmapHandedToWorker: variant === 'kmap-handed-to-worker',
  }),
});

export default pageDef;
