/**
 * The fork model: `dup_mmap` against page faults handled under the per-VMA lock
 * (docs/kernel-protocols.md §3.2 fork, bug K7, fixed by fb49c455323f).
 *
 * Threads (all of the parent process; the child's mm is only its PTE, `child_maps_P`):
 * - `fork`: `dup_mmap`: `mmap_write_lock(oldmm)`, (the fix: `vma_start_write` on every parent
 *   VMA), `copy_present_pte` (write-protects the parent's PTE of anonymous page P and maps P
 *   in the child), the parent's TLB flush (`flush_tlb_mm`, deferred to just before the unlock),
 *   `mmap_write_unlock`.
 * - `F1..Fn` (faulting threads): a write fault on the address, at any time: `lock_vma_under_rcu`,
 *   falling back to `mmap_read_lock` + `vma_lookup`; then `handle_pte_fault`: a writable PTE is a
 *   spurious fault; a write-protected one is `do_wp_page` → `wp_page_copy`: copy P's contents into
 *   a new page, then (under the PTE lock, if the PTE is unchanged) `ptep_clear_flush` + map the
 *   copy writable, which flushes every CPU's TLB entry for the address.
 * - `writer`: a parent thread on a CPU whose TLB still holds a writable entry for P (from before
 *   the fork) that stores through it once, at any time; once that entry is flushed its store
 *   misses the TLB and takes a fault of its own (not modelled).
 *
 * The violation is the lost write of K7: a store through the stale writable TLB entry into P
 * after `wp_page_copy` copied P (so the parent's new page misses it) and before the PTE switch.
 * A store while the fork is copying is not one: the child seeing a concurrent store is the
 * snapshot fuzziness fork always had; the parent keeps P until a fault replaces it.
 *
 * The per-VMA lock machinery is model/vma.ts's; the parent's one VMA is never detached or
 * recycled, so those paths of `lock_vma_under_rcu` are not generated.
 */
import { model, bool, enumeration, step, branch, set, eq, and, not, exists, when, requires, defineModel, type ModelDef } from './lang/index.ts';
import { vmaWorld, mmap_write_lock, mmap_write_unlock, vma_start_write, vma_start_write_wait, vma_use, pageFault } from './vma.ts';
import { rwsem_is_write_owner } from './primitives/locks.ts';
import { KERNEL } from '../properties/catalogue/index.ts';

export interface ForkFlags {
  /** dup_mmap write-locks every parent VMA before copying page tables (fb49c455323f). */
  vmaStartWrite: boolean;
}

/** Build the model. Example: `buildFork(1, { vmaStartWrite: true })`. */
export function buildFork(faulters: number, flags: ForkFlags) {
  const m = model('fork', 'fork (dup_mmap) against write faults under the per-VMA lock; a stale writable TLB entry');
  m.bounds = { faulters };
  const F = Array.from({ length: faulters }, (_, i) => `F${i + 1}`);
  const T = m.threads(['fork', ...F, 'writer']);
  m.symmetric(F);
  const w = vmaWorld(m, { mms: ['parent'], slots: 1, initial: ['parent'], readers: faulters, writeSessions: 1 });

  const Page = enumeration('Page', ['P', 'P_copy']);
  const pte_page = m.var('pte_page', Page, 'P', [], "the page the parent's PTE maps");
  const pte_write = m.var('pte_write', bool, true, [], "the parent's PTE is writable");
  const child_maps_P = m.var('child_maps_P', bool, false, [], 'copy_present_pte shared P with the child (COW)');
  const tlb_writable = m.var('tlb_writable', bool, true, [], "the writer's CPU has a writable TLB entry for P");
  const copied = m.local('wp_copied', bool, false);

  m.program('fork', ['fork'], (self) => [
    // dup_mmap: mmap_write_lock_killable(oldmm); the parent's VMA iterator.
    step('dup_mmap', ...mmap_write_lock(w, 'parent', self), set(w.vma.at(self), w.mm_mt.at(w.mm('parent')))),
    // fb49c455323f: for_each_vma(old_vmi, mpnt) vma_start_write(mpnt);
    ...(flags.vmaStartWrite ? [
      step('vma_start_write', ...vma_start_write(w, 'parent', self)),
      step('vma_start_write.wait', ...vma_start_write_wait(w, 'parent', self)),
    ] : []),
    // copy_page_range → copy_present_pte: write-protect the parent's PTE, map P read-only in the child.
    step('copy_present_pte',
      requires(KERNEL.fork.copyWithoutMmapWriteLock, rwsem_is_write_owner(w.mmap_lock.parent, self)),
      set(pte_write, false), set(child_maps_P, true)),
    // The parent's TLB flush, deferred to just before the unlock.
    step('flush_tlb_mm', set(tlb_writable, false)),
    step('mmap_write_unlock', ...mmap_write_unlock(w, 'parent', self), set(w.vma.at(self), w.pool.none)),
  ]);

  m.program('fault', F, (self) => pageFault(w, 'parent', self, { otherMm: 'absent', detachable: false }, 'handle_pte_fault?', [
    branch('handle_pte_fault?', pte_write,
      // Another thread (or nothing) already made it writable: spurious fault.
      [step('handle_pte_fault.spurious', ...vma_use(w, 'parent', self))],
      [
        // do_wp_page → wp_page_copy: P is shared with the child, so copy its contents to a new page.
        step('wp_page_copy', ...vma_use(w, 'parent', self), set(copied.at(self), true)),
        // Under the PTE lock, if the PTE is still the write-protected P: ptep_clear_flush (every
        // CPU's TLB entry for the address goes) and map the copy writable; else drop the copy.
        step('ptep_clear_flush', ...vma_use(w, 'parent', self),
          when(and(not(pte_write), eq(pte_page, 'P')), [set(pte_page, 'P_copy'), set(pte_write, true), set(tlb_writable, false)]),
          set(copied.at(self), false)),
      ]),
  ]));

  m.program('writer', ['writer'], () => [
    branch('tlb_hit?', tlb_writable,
      [step('user_write.stale_tlb',
        requires(KERNEL.fork.staleTlbWriteLost, not(exists(T.sort, (t) => copied.at(t))),
          'a store through a stale writable TLB entry went into P after wp_page_copy copied it: the parent loses it and the child\'s page changes (memory corruption)')),
      ],
      [step('user_write.tlb_miss')]),
  ]);
  return m.build();
}

const forkDef: ModelDef = defineModel({
  name: 'fork',
  doc: 'fork: dup_mmap copies page tables under mmap_write_lock while faults run under per-VMA locks; a stale writable TLB entry',
  variants: [
    { name: 'fixed', doc: 'dup_mmap vma_start_write()s every parent VMA first, so faults fall back to mmap_read_lock (fb49c455323f)', expect: 'pass' },
    {
      name: 'no-vma-write-lock',
      doc: 'K7 fork without VMA write locks: a per-VMA-locked write fault replaces P before the deferred TLB flush; a store through the stale entry is lost',
      expect: 'violation:fork.stale-tlb-write-lost',
    },
  ],
  bounds: [{ name: 'faulters', default: 2, min: 1, max: 3, doc: 'parent threads taking a write fault on the page (lock_vma_under_rcu readers)' }],
  build: (variant, b) => buildFork(b.faulters, { vmaStartWrite: variant !== 'no-vma-write-lock' }),
});

export default forkDef;
