/**
 * Benchmark shape 1 (mm-style refcount), the twin of bench/shapes/mm.pml: an owner task holding
 * `current->mm` (one `mm_users`), N senders each holding an `mmgrab` (`mm_count`) that try
 * `mmget_not_zero`, touch the address space, `mmput_async`, then run the device release
 * (`sva_unbind` reads `mm->pasid`) and `mmdrop`; a kworker runs `mmput_async_fn`. A smaller
 * model/mm.ts (no binder file). Variant `pasid-freed-in-mmput` is K10: `mm_pasid_drop` in
 * `__mmput` rather than `__mmdrop` (fixed by 2667ed10), found in 3 steps.
 *
 * One step here is one `d_step` there, the variables are the same, and the senders are one
 * program, so both tools store the same states (test/bench/spin-shapes.test.ts checks it).
 *
 *   npx protocheck check bench/shapes/mm.ts --bound n=3 --engine explicit --no-symmetry
 */
import { model, defineModel, bool, step, branch, guard, set, gt, requires, type Expr, type ModelDef } from '../../model/lang/index.ts';
import { mmStruct } from '../../model/primitives/mm.ts';
import { KERNEL } from '../../properties/catalogue/index.ts';

/** Build the shape with `n` senders. Example: `buildMmShape(3, true)` is the K10 variant. */
export function buildMmShape(n: number, pasidFreedInMmput = false) {
  const m = model('spin-mm', 'mm_users/mm_count: an exiting owner, N senders (mmget_not_zero, mmput_async, mmdrop), a kworker');
  m.bounds = { n };
  const senders = Array.from({ length: n }, (_, i) => `T${i + 1}`);
  // Thread order = SPIN's _pid order: owner 0, senders 1..N, kworker N+1.
  const T = m.threads(['owner', ...senders, 'kworker']);
  m.symmetric(senders);
  const pasid_valid = m.var('mm_pasid_valid', bool, true, [], 'mm->pasid still allocated');
  const mm = mmStruct(m, {
    users: ['owner'],
    grabs: senders,
    exitMmap: () => (pasidFreedInMmput ? [set(pasid_valid, false)] : []),
    mmdropRelease: () => (pasidFreedInMmput ? [] : [set(pasid_valid, false)]),
  });

  m.program('owner', ['owner'], (self) => [step('exit_mm', ...mm.mmput(self))]);
  m.program('sender', senders, (self: Expr) => [
    branch('try_mmget', gt(mm.mm_users, 0), [
      step('mmget_not_zero', ...mm.mmgetNotZero(self)),
      step('access', ...mm.access(self)),
      step('mmput_async', ...mm.mmputAsync(self)),
    ], [step('mmget_not_zero_failed', ...mm.mmgetNotZeroFails(self))]),
    step('sva_unbind', requires(KERNEL.mm.pasidUseAfterFree, pasid_valid)),
    step('mmdrop', ...mm.mmdrop(self)),
  ]);
  m.daemon('kworker', ['kworker'], () => [
    step('mmput_async_fn', guard(mm.async_put_pending), ...mm.asyncPutWork(T.lit('kworker'))),
  ]);
  return m.build();
}

const def: ModelDef = defineModel({
  name: 'spin-mm',
  doc: 'benchmark shape: mm_users/mm_count with N senders and a kworker (twin of bench/shapes/mm.pml)',
  variants: [
    { name: 'fixed', doc: 'mm_pasid_drop in __mmdrop', expect: 'pass' },
    { name: 'pasid-freed-in-mmput', doc: 'K10 mm_pasid_drop in __mmput: an mm_count holder uses the freed PASID', expect: 'violation:mm.pasid-use-after-free' },
  ],
  bounds: [{ name: 'n', default: 2, min: 1, max: 14, doc: 'sender threads (plus the owner and the kworker)' }],
  build: (variant, b) => buildMmShape(b.n, variant === 'pasid-freed-in-mmput'),
});
export default def;
