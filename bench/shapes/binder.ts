/**
 * Benchmark shape 3 (Binder-style allocator), the twin of bench/shapes/binder.pml: P buffer
 * pages, first-fit one-page buffers, lazy page install, the `binder_freelist` LRU and a
 * shrinker. N workers each run one transaction under `alloc->mutex`: `binder_alloc_new_buf`
 * takes the first free page, `binder_lru_freelist_del` takes it off the LRU if it is on it, or fails with
 * -ENOSPC; then, outside the mutex, install the page if it is not (`binder_install_buffer_pages`),
 * copy into the buffer, and free it under the mutex (`binder_lru_freelist_add`). The shrinker
 * loops: `mutex_trylock` + isolate the LRU's head, zap the page, unlock. Page 0 starts
 * installed and on the LRU, the others not installed. A much smaller model/binder.ts (no mm, no
 * VMA, no munmap).
 *
 * The LRU is a list: `lru_rank[p]` is page p's place from the head (1 = oldest, 0 = not on
 * it) and `lru_nr_items` its length (list_lru's nr_items).
 *
 * Variant `zap-after-mutex-unlock` (design rule (a) of model/binder.ts broken): the shrinker
 * drops `alloc->mutex` before the zap, so a worker can allocate the isolated page, and the zap
 * takes it away under the buffer (9 steps).
 *
 *   npx protocheck check bench/shapes/binder.ts --bound n=3 --engine explicit --no-symmetry
 */
import {
  model, defineModel, bool, range, step, branch, guard, set, add, sub, eq, ne, gt, and, not, ite, when, requires,
  type Expr, type ExprLike, type ModelDef, type ProgStmt,
} from '../../model/lang/index.ts';
import type { Stmt } from '../../model/lang/stmt.ts';
import { mutex, mutex_lock, mutex_unlock, mutex_is_locked } from '../../model/primitives/locks.ts';
import { KERNEL } from '../../properties/catalogue/index.ts';

/** Build the shape with `n` workers and `pages` pages. Example: `buildBinderShape(3, 3, true)`. */
export function buildBinderShape(n: number, pages: number, zapAfterUnlock = false) {
  const m = model('spin-binder', 'Binder-style allocator: first-fit buffers, lazy install, LRU, shrinker; N workers');
  m.bounds = { n, pages };
  const workers = Array.from({ length: n }, (_, i) => `W${i + 1}`);
  // Thread order = SPIN's _pid order: workers 0..N-1, shrinker N.
  const T = m.threads([...workers, 'shrinker']);
  m.symmetric(workers);
  const P = Array.from({ length: pages }, (_, p) => p);
  const Page = range(0, pages - 1);
  const NONE = pages; // a page index of `pages` is NULL
  const mu = mutex(m, 'alloc.mutex');
  const busy = m.var('page_busy', bool, false, [Page], 'a buffer covers the page');
  const installed = m.var('page_installed', bool, P.map((p) => p === 0), [Page], 'alloc->pages[i] set (binder_install_single_page)');
  const rank = m.var('lru_rank', range(0, pages), P.map((p) => (p === 0 ? 1 : 0)), [Page], 'place on binder_freelist from the head (0: not on it)');
  const nr = m.var('lru_nr_items', range(0, pages), 1, [], 'binder_freelist length');
  const buf = m.local('buf', range(0, NONE), NONE);
  // Where the new buffer's page sits on the LRU, between the two alloc steps (rank[buf] then,
  // which nobody can change without the mutex; 0 otherwise: a function of the state, so it
  // adds no state).
  const place = m.local('lru_place', range(0, pages), 0);
  const victim = m.var('shrink_page', range(0, NONE), NONE, [], 'the page the shrinker isolated');

  // binder_lru_freelist_del(page), at `place` on the LRU (0: not on it): the pages behind it
  // move up one. `place` is a variable written by the step before: statements in a step read
  // what earlier ones wrote, so an expression reading the LRU would grow with every write.
  const lruDel = (page: ExprLike, place: ExprLike): Stmt[] => [
    ...P.map((q) => set(rank.at(q), ite(eq(page, q), 0, ite(and(gt(place, 0), gt(rank.at(q), place)), sub(rank.at(q), 1), rank.at(q))))),
    set(nr, ite(gt(place, 0), sub(nr, 1), nr)),
  ];
  // binder_lru_freelist_add(p): at the tail.
  const lruAdd = (p: number): Stmt[] => [
    requires(KERNEL.binder.lruAddOnLru, eq(rank.at(p), 0)),
    set(rank.at(p), add(nr, 1)),
    set(nr, add(nr, 1)),
  ];
  // Each page p, when `page` is p (a literal index for every write).
  const onPage = (page: ExprLike, body: (p: number) => Stmt[]): Stmt[] => P.map((p) => when(eq(page, p), body(p)));
  const firstFree = P.reduceRight<Expr>((rest, p) => ite(not(busy.at(p)), p, rest), { op: 'lit', sort: range(0, NONE), value: NONE });

  m.program('worker', workers, (self: Expr) => [
    step('mutex_lock', ...mutex_lock(mu, self)),
    // The page is chosen and marked busy, then taken off the LRU, both under the mutex
    // (binder_alloc_new_buf_locked, then binder_lru_freelist_del).
    step('binder_alloc_new_buf', set(buf.at(self), firstFree),
      ...onPage(buf.at(self), (p) => [set(busy.at(p), true), set(place.at(self), rank.at(p))])),
    step('binder_lru_freelist_del', ...lruDel(buf.at(self), place.at(self)), set(place.at(self), 0)),
    step('mutex_unlock', ...mutex_unlock(mu, self)),
    branch('got_buffer', ne(buf.at(self), NONE), [
      step('binder_install_buffer_pages', ...onPage(buf.at(self), (p) => [set(installed.at(p), true)])),
      step('copy_to_buffer', ...onPage(buf.at(self), (p) => [requires(KERNEL.binder.pageNotInUse, and(installed.at(p), eq(rank.at(p), 0)))])),
      step('mutex_lock_free', ...mutex_lock(mu, self)),
      step('binder_free_buf', ...onPage(buf.at(self), (p) => [set(busy.at(p), false), ...lruAdd(p)])),
      step('mutex_unlock_free', ...mutex_unlock(mu, self)),
    ], [step('alloc_failed_enospc')]),
  ]);

  const shrinker = T.lit('shrinker');
  // list_lru_walk's isolate callback on the head: mutex_trylock succeeded, list_lru_isolate.
  const isolate = step('isolate', guard(and(gt(nr, 0), not(mutex_is_locked(mu)))), set(mu.owner, shrinker),
    ...P.map((p) => when(eq(rank.at(p), 1), [set(victim, p)])),
    ...P.map((p) => set(rank.at(p), ite(gt(rank.at(p), 0), sub(rank.at(p), 1), 0))),
    set(nr, sub(nr, 1)));
  const zap = (last: boolean) => step('zap_page', ...onPage(victim, (p) => [set(installed.at(p), false)]), ...(last ? [set(victim, NONE)] : []));
  const unlock = (last: boolean) => step('mutex_unlock_shrinker', ...mutex_unlock(mu, shrinker), ...(last ? [set(victim, NONE)] : []));
  const loop: ProgStmt[] = zapAfterUnlock ? [isolate, unlock(false), zap(true)] : [isolate, zap(false), unlock(true)];
  m.daemon('shrinker', ['shrinker'], () => loop);
  return m.build();
}

const def: ModelDef = defineModel({
  name: 'spin-binder',
  doc: 'benchmark shape: Binder-style allocator, N workers and a shrinker (twin of bench/shapes/binder.pml)',
  variants: [
    { name: 'fixed', doc: 'the shrinker zaps under alloc->mutex', expect: 'pass' },
    { name: 'zap-after-mutex-unlock', doc: 'the shrinker drops alloc->mutex before the zap: a new buffer gets the page, the zap takes it away', expect: 'violation:binder.page-not-in-use' },
  ],
  bounds: [
    { name: 'n', default: 2, min: 1, max: 14, doc: 'worker threads (plus the shrinker)' },
    { name: 'pages', default: 3, min: 1, max: 6, doc: 'buffer pages; page 0 starts installed and on the LRU' },
  ],
  build: (variant, b) => buildBinderShape(b.n, b.pages, variant === 'zap-after-mutex-unlock'),
});
export default def;
