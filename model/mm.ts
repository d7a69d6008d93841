/**
 * The mm model: an owning task whose mm other threads use from outside (Binder's shape: a
 * sender installs pages into the target's address space), docs/kernel-protocols.md §2 and bugs K4, K10.
 *
 * Threads:
 * - `owner` (the target process B): holds `current->mm` (one `mm_users` reference) and exits:
 *   `exit_mm` (mmput), `exit_files` (fput of the binder fd), `exit_task_work` (task_work_run).
 * - `T1..Tn` (senders): each holds an `mmgrab` reference taken earlier (binder_alloc_init,
 *   or `sva_bind` for K10) and tries `mmget_not_zero`; on success it touches the address space
 *   (installs pages), puts the reference, and waits for B's reply. Either way it then runs the
 *   device release (`sva_unbind`, which reads `mm->pasid`) and `mmdrop`s.
 * - `kworker`: runs `mmput_async_fn` when `async_put_work` is queued.
 *
 * The binder file has two references: B's fd table and the `vm_file` of B's mapping. `fput`
 * drops one; the last one queues `____fput` (which runs `binder_release`, whose dead replies wake
 * the senders) as task work on the current task, run only when that task returns to user space
 * or exits. From a kworker the final fput goes to `delayed_fput`, which runs on its own.
 */
import { model, bool, step, branch, guard, set, sub, eq, gt, not, when, requires, defineModel, type ModelDef } from './lang/index.ts';
import type { Expr } from './lang/ir.ts';
import { mmStruct, mmQuiescence } from './primitives/mm.ts';
import { KERNEL } from '../properties/catalogue/index.ts';

export interface MmFlags {
  /** Senders touch the address space holding only their mmgrab reference (no mmget_not_zero). */
  accessWithoutMmget?: boolean;
  /** `mm_pasid_drop` in `__mmput` (before 2667ed10) instead of `__mmdrop`. */
  pasidFreedInMmput?: boolean;
  /** Senders drop their mm_users reference with `mmput` instead of `mmput_async`. */
  syncMmput?: boolean;
}

/** Build the mm model with `senders` sender threads. Example: `buildMm(2, { syncMmput: true })`. */
export function buildMm(senders: number, flags: MmFlags = {}) {
  const m = model('mm', 'mm_users/mm_count: an exiting owner and senders using its mm (Binder shape)');
  m.bounds = { senders };
  const senderNames = Array.from({ length: senders }, (_, i) => `T${i + 1}`);
  const T = m.threads(['owner', ...senderNames, 'kworker']);
  const kworker = T.lit('kworker');
  m.symmetric(senderNames); // the senders run one program: one state per orbit

  const file_refs = m.var('binder_file_refs', { kind: 'range', lo: 0, hi: 2 }, 2, [], 'f_count of the binder file: fd table + vm_file');
  const release_pending = m.var('binder_release_pending', bool, false, [T.sort], '____fput queued as task work on this task');
  const released = m.var('binder_released', bool, false, [], 'binder_release ran: dead replies sent');
  const pasid_valid = m.var('mm_pasid_valid', bool, true, [], 'mm->pasid still allocated');

  // fput(): the last reference queues ____fput on the current task, or on delayed_fput from a kworker.
  const fput = (ctx: Expr) => [
    set(file_refs, sub(file_refs, 1)),
    when(eq(file_refs, 0), [when(eq(ctx, kworker), [set(released, true)], [set(release_pending.at(ctx), true)])]),
  ];
  // task_work_run(): the deferred ____fput → binder_release.
  const taskWorkRun = (self: Expr) => [
    when(release_pending.at(self), [set(release_pending.at(self), false), set(released, true)]),
  ];

  const mm = mmStruct(m, {
    users: ['owner'],
    grabs: senderNames,
    // exit_mmap → remove_vma → fput(vm_file), in the context of whoever runs __mmput.
    exitMmap: (ctx) => [...fput(ctx), ...(flags.pasidFreedInMmput ? [set(pasid_valid, false)] : [])],
    mmdropRelease: () => (flags.pasidFreedInMmput ? [] : [set(pasid_valid, false)]),
  });
  mmQuiescence(m, mm);
  m.quiescence(KERNEL.binder.releaseNotRun, released);

  m.program('owner', ['owner'], (self) => [
    step('exit_mm', ...mm.mmput(self)),
    step('exit_files', ...fput(self)),
    step('exit_task_work', ...taskWorkRun(self)),
  ]);

  const put = (self: Expr) => (flags.syncMmput ? step('mmput', ...mm.mmput(self)) : step('mmput_async', ...mm.mmputAsync(self)));
  const transaction = (self: Expr) => [
    step('install_pages', ...mm.access(self)),
    put(self),
    // The sender blocks for B's reply; B is exiting, so the reply is binder_release's dead reply.
    step('wait_for_reply', guard(released)),
    step('return_to_user', ...taskWorkRun(self)),
  ];
  m.program('sender', senderNames, (self) => [
    ...(flags.accessWithoutMmget
      ? transaction(self)
      : [branch('try_mmget', gt(mm.mm_users, 0),
        [step('mmget_not_zero', ...mm.mmgetNotZero(self)), ...transaction(self)],
        [step('mmget_not_zero_failed', ...mm.mmgetNotZeroFails(self))])]),
    // The device release path: sva_unbind reads mm->pasid under the sender's mmgrab.
    step('sva_unbind', requires(KERNEL.mm.pasidUseAfterFree, pasid_valid)),
    step('mmdrop', ...mm.mmdrop(self)),
  ]);

  m.action('mmput_async_fn', {
    params: [{ name: 'self', sort: T.sort, values: [T.id('kworker')] }],
    thread: 'self',
    doc: 'kworker: async_put_work → __mmput',
    body: [guard(mm.async_put_pending), ...mm.asyncPutWork(kworker)],
  });
  m.final(not(mm.async_put_pending));
  return m.build();
}

const mmDef: ModelDef = defineModel({
  name: 'mm',
  doc: 'mm_users/mm_count: mmgrab, mmget_not_zero, mmput, mmput_async, __mmput/__mmdrop; the owner exits',
  variants: [
    { name: 'fixed', doc: 'senders use mmget_not_zero and mmput_async; pasid freed in __mmdrop', expect: 'pass' },
    { name: 'access-without-mmget', doc: 'a sender touches the address space holding only mmgrab (I-MM1)', expect: 'violation:mm.access-without-mm_users' },
    { name: 'pasid-freed-in-mmput', doc: 'K10 mm_pasid_drop in __mmput: an mm_count holder uses the freed PASID', expect: 'violation:mm.pasid-use-after-free' },
    { name: 'mmput-in-sender-context', doc: "K4 the sender's last mmput runs exit_mmap in its context; binder_release never runs", expect: 'violation:deadlock' },
  ],
  bounds: [{ name: 'senders', default: 2, min: 1, max: 12, doc: 'sender threads (plus the owner and the kworker)' }],
  build: (variant, b) => buildMm(b.senders, {
    accessWithoutMmget: variant === 'access-without-mmget',
    pasidFreedInMmput: variant === 'pasid-freed-in-mmput',
    syncMmput: variant === 'mmput-in-sender-context',
  }),
});

export default mmDef;
