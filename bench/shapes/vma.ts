/**
 * Benchmark shape 2 (rwsem/VMA), the twin of bench/shapes/vma.pml: `mmap_lock` as an rwsem and
 * one VMA's per-VMA lock (`vm_lock_seq` against `mm_lock_seq`, a count of `vm_refcnt` readers).
 * N readers fault once: `lock_vma_under_rcu` (`vma_start_read` succeeds when the VMA is attached
 * and not write-locked in this `mm_lock_seq` session), `handle_mm_fault`, `vma_end_read`; or they
 * fall back to `mmap_read_lock` + `vma_lookup`. A writer munmaps the VMA: `mmap_write_lock`,
 * `vma_start_write` (waits for the VMA's readers to leave), `vma_mark_detached`,
 * `mmap_write_downgrade` (`vma_end_write_all`: `mm_lock_seq` moves on), `remove_vma` frees it,
 * `mmap_read_unlock`. A much smaller model/vma.ts (one mm, no recycled VMA).
 *
 * Variant `no-wait-readers`: `vma_start_write` does not wait for `vm_refcnt` readers, so
 * `remove_vma` frees the VMA under a reader that took it just before (7 steps).
 *
 *   npx protocheck check bench/shapes/vma.ts --bound n=3 --engine explicit --no-symmetry
 */
import { model, defineModel, bool, range, step, branch, guard, set, add, sub, eq, ne, and, not, requires, type Expr, type ModelDef } from '../../model/lang/index.ts';
import { rwsem, down_read, up_read, down_write, downgrade_write } from '../../model/primitives/locks.ts';
import { KERNEL } from '../../properties/catalogue/index.ts';

/** Build the shape with `n` readers. Example: `buildVmaShape(3, true)` is the no-wait-readers variant. */
export function buildVmaShape(n: number, noWaitReaders = false) {
  const m = model('spin-vma', 'mmap_lock rwsem and a per-VMA lock: N faulting readers against munmap');
  m.bounds = { n };
  const readers = Array.from({ length: n }, (_, i) => `R${i + 1}`);
  // Thread order = SPIN's _pid order: readers 0..N-1, munmap N.
  m.threads([...readers, 'munmap']);
  m.symmetric(readers);
  const mmap = rwsem(m, 'mmap_lock');
  // Odd while write-locked; vm_lock_seq == mm_lock_seq: the VMA is write-locked this session.
  const mm_lock_seq = m.var('mm_lock_seq', range(0, 2), 0, [], 'mm->mm_lock_seq');
  const vm_lock_seq = m.var('vm_lock_seq', range(-1, 2), -1, [], 'vma->vm_lock_seq (-1: UINT_MAX, never locked)');
  const vma_readers = m.var('vma_readers', range(0, n), 0, [], 'vm_refcnt read references');
  const detached = m.var('vma_detached', bool, false, [], 'vma_mark_detached ran');
  const freed = m.var('vma_freed', bool, false, [], 'remove_vma → vm_area_free ran');
  const useVma = () => requires(KERNEL.vma.useAfterFree, not(freed));

  m.program('reader', readers, (self: Expr) => [
    branch('lock_vma_under_rcu', and(not(detached), ne(vm_lock_seq, mm_lock_seq)), [
      step('vma_start_read', set(vma_readers, add(vma_readers, 1))),
      step('handle_mm_fault', useVma()),
      step('vma_end_read', set(vma_readers, sub(vma_readers, 1))),
    ], [
      step('vma_start_read_failed'),
      step('mmap_read_lock', ...down_read(mmap, self)),
      branch('vma_lookup', not(detached),
        [step('handle_mm_fault_locked', useVma())],
        [step('bad_area')]),
      step('mmap_read_unlock', ...up_read(mmap, self)),
    ]),
  ]);
  m.program('munmap', ['munmap'], (self: Expr) => [
    step('mmap_write_lock', ...down_write(mmap, self), set(mm_lock_seq, add(mm_lock_seq, 1))),
    step('vma_start_write', set(vm_lock_seq, mm_lock_seq)),
    ...(noWaitReaders ? [] : [step('vma_wait_readers', guard(eq(vma_readers, 0)))]),
    step('vma_mark_detached', set(detached, true)),
    step('mmap_write_downgrade', ...downgrade_write(mmap, self), set(mm_lock_seq, add(mm_lock_seq, 1))),
    step('remove_vma', set(freed, true)),
    step('mmap_read_unlock', ...up_read(mmap, self)),
  ]);
  return m.build();
}

const def: ModelDef = defineModel({
  name: 'spin-vma',
  doc: 'benchmark shape: mmap_lock rwsem and a per-VMA lock, N readers against munmap (twin of bench/shapes/vma.pml)',
  variants: [
    { name: 'fixed', doc: 'vma_start_write waits for vm_refcnt readers', expect: 'pass' },
    { name: 'no-wait-readers', doc: 'vma_start_write does not wait for readers: remove_vma frees the VMA under one', expect: 'violation:vma.use-after-free' },
  ],
  bounds: [{ name: 'n', default: 2, min: 1, max: 14, doc: 'reader threads (plus munmap)' }],
  build: (variant, b) => buildVmaShape(b.n, variant === 'no-wait-readers'),
});
export default def;
