/**
 * API review of the Rust mm handles (rust/kernel/mm.rs, rust/kernel/mm/mmput_async.rs;
 * docs/kernel-protocols.md §2): every client of the API (every sequence of up to `budget` calls
 * per client; drops, sends and `mem::forget` in any order, across threads), not one hand-written
 * client. Clients: `p`, the owning process's own code (holds `CurrentTask(p)`; its task holds one
 * `mm_users` reference from `copy_mm`), and `C1..Cn` in other tasks, each starting with an
 * `ARef<Mm>` (an earlier `mmgrab`, as `binder_alloc_init` takes). The environment: `p` exits once
 * its code left its scope and dropped what it held (`exit_mm`: `mmput` of the task's reference);
 * a `kworker` runs `mmput_async_fn`.
 *
 * Context discipline (klint-like): a client is in atomic context while its preempt count is
 * raised, i.e. while it holds the `SpinLockGuard` of `static LOCK: SpinLock<()>` (`LOCK.lock()`,
 * a call without receiver, is `spin_lock`; the guard's drop is `spin_unlock`). There a sleeping
 * destructor (`ARef<MmWithUser>`: `mmput`, which calls `might_sleep`) is refused. `mem::forget`
 * of the guard is removed from the built model: it leaves the preempt count raised past the
 * client's scope, which klint rejects (a function's preempt-count adjustment is checked); kept, it
 * only adds a hang of a client stuck in atomic context with a sleeping handle. `ARef<Mm>`'s drop
 * (`mmdrop`) does not sleep outside PREEMPT_RT (the Rust doc's "may sleep" is RT's), so it is
 * allowed there. `ARef<Mm>` is held at most once per client (cap 1, so it has no clone): a
 * second one in a client adds nothing a second client does not, and doubles the states; `mmgrab`
 * is `ARef<Mm>::from(&MmWithUser)` on current's mm.
 * - `seed`: `Mm::mmget_not_zero(&self) -> Option<ARef<MmWithUser>>` is the only way from `Mm` to
 *   `MmWithUser` (its `None` changes nothing and is left out); `CurrentTask::mm()` is a
 *   `&MmWithUser` borrowed from the task context, no count taken.
 * - `current-mm-escapes`: `CurrentTask::mm()` returns a `&'static MmWithUser` (Copy; `Send` since
 *   `MmWithUser: Sync`), not tied to the context: another client uses it after `exit_mm` (5 steps:
 *   get, send, p's scope end, exit_mm, use; exit_mm waits for p's code to return).
 * - `mmget-on-mm`: also `Mm::mmget(&self) -> ARef<MmWithUser>`, a bare `mmget()` at `mm_users == 0`.
 * - `with-async`: `seed` plus `MmWithUser::into_mmput_async(ARef<MmWithUser>) -> ARef<MmWithUserAsync>`
 *   (count unchanged), whose drop is `mmput_async` (atomic-safe; `__mmput` on the kworker). Its
 *   Deref methods are those of `MmWithUser`, safe for the same reason, and left out.
 * The capability `api.mm-users-put-in-atomic` is declared in every variant; `with-async` gains it.
 * `MmWithUser::lock_vma_under_rcu` stands for every method that touches the address space (the
 * `VmaReadGuard` it returns is not modelled).
 */
import {
  model, defineModel, enumeration, range, bool, step, guard, set, when, requires, and, not, implies, eq, gt, add, sub,
  type Expr, type Model, type ModelDef, type Stmt,
} from './lang/index.ts';
import { KERNEL } from '../properties/catalogue/index.ts';
import { mightSleep, preemptCount, preemptDisable, preemptEnable } from './primitives/context.ts';
import { api } from './api/index.ts';

export type ApiMmVariant = 'seed' | 'current-mm-escapes' | 'mmget-on-mm' | 'with-async';

/** What `MmWithUserAsync` was added for (the shrinker puts `mm_users` under a spinlock). */
export const putInAtomic = KERNEL.mm.usersPutInAtomic;

/** Build one variant; `discipline: false` turns the context discipline off (the test that it is not vacuous). */
export function buildApiMm(variant: ApiMmVariant, clients: number, budget: number, discipline = true): Model {
  const m = model('api-mm', 'Rust Mm/MmWithUser handles: every client of the mm API, current->mm borrows and the atomic-context put');
  m.bounds = { clients, budget };
  const cs = ['p', ...Array.from({ length: clients }, (_, i) => `C${i + 1}`)];
  const T = m.threads([...cs, 'kworker']);
  const Mm = enumeration('Mm', ['mm']);
  const cap = 2; // handles per type and client; a forgotten one stays counted, hence `+ budget`
  const users = m.var('mm_users', range(0, 1 + cs.length * (2 * cap + budget)), 1, [], "mm->mm_users: p's task holds one until exit_mm");
  const count = m.var('mm_count', range(0, 1 + cs.length * (1 + budget)), 1 + clients, [], "mm->mm_count: the users' one, and each C's mmgrab");
  const tornDown = m.var('mm_torn_down', bool, false, [], '__mmput ran (exit_mmap)');
  const freed = m.var('mm_freed', bool, false, [], '__mmdrop ran (free_mm)');
  const pending = m.var('async_put_pending', bool, false, [], 'mmput_async queued async_put_work');
  const putAtomic = m.var('api.put_in_atomic', bool, false, [], 'a client put an mm_users reference in atomic context');
  const atomic = (self: Expr) => gt(preemptCount(m).at(self), 0);

  const alive = (op: string) => requires(KERNEL.mm.useAfterFree, not(freed), `${op} on a freed mm_struct`);
  const mmdrop = (): Stmt[] => [set(count, sub(count, 1)), when(eq(count, 0), [set(freed, true)])];
  const teardown = (): Stmt[] => [set(tornDown, true), ...mmdrop()]; // __mmput: exit_mmap, then the users' mmdrop
  const put = (self: Expr, op: string, last: Stmt[]): Stmt[] => [
    alive(op), when(atomic(self), [set(putAtomic, true)]), set(users, sub(users, 1)), when(eq(users, 0), last)];
  const mmput = (self: Expr) => [...mightSleep(m, self), ...put(self, 'mmput', teardown())];
  const mmget = (): Stmt[] => [alive('mmget'), requires(KERNEL.mm.mmgetOnZero, gt(users, 0)), set(users, add(users, 1))];
  const access = () => [alive('lock_vma_under_rcu'), requires(KERNEL.mm.accessAfterTeardown, not(tornDown))];

  const a = api(m, { clients: cs, budget, symmetric: cs.slice(1), ...(discipline ? { atomic } : {}) });
  const Current = a.context('CurrentTask', { object: enumeration('Task', ['p']), init: { p: 'p' } });
  // `LOCK.lock()` on a `static LOCK: SpinLock<()>` every client can name: spin_lock; the guard's drop is spin_unlock.
  const Guard = a.resource('SpinLockGuard', { object: enumeration('SpinLock', ['LOCK']), drop: (c) => [preemptEnable(m, c.self)] });
  a.function('LOCK.lock', { effect: (c) => [preemptDisable(m, c.self)], returns: { resource: Guard } });
  const mmgrab = (): Stmt[] => [alive('mmgrab'), set(count, add(count, 1))];
  // At most one ARef<Mm> per client (cap 1, no clone; see above). mmgrab: ARef<Mm>::from below.
  const ARefMm = a.owned('ARef<Mm>', {
    object: Mm, send: true, cap: 1, drop: () => [alive('mmdrop'), ...mmdrop()], init: Object.fromEntries(cs.slice(1).map((c) => [c, { mm: 1 }])),
  });
  const ARefUser = a.owned('ARef<MmWithUser>', { object: Mm, send: true, cap, clone: mmget, drop: (c) => mmput(c.self), dropSleeps: true });
  const user = { owned: ARefUser, object: () => 'mm' };
  a.method('Mm::mmget_not_zero', { on: ARefMm, effect: () => [alive('mmget_not_zero'), guard(gt(users, 0)), set(users, add(users, 1))], returns: user });
  if (variant === 'mmget-on-mm') a.method('Mm::mmget', { on: ARefMm, effect: mmget, returns: user });
  a.method('MmWithUser::lock_vma_under_rcu', { on: ARefUser, effect: access });
  if (variant === 'current-mm-escapes') {
    const Static = a.owned("&'static MmWithUser", { object: Mm, send: true, cap: 1, drop: () => [] });
    a.method('CurrentTask::mm', { on: Current, returns: { owned: Static, object: () => 'mm' } });
    a.method('MmWithUser::lock_vma_under_rcu', { on: Static, effect: access });
  } else {
    // current->mm: no count change; the task's own mm_users reference lives until exit_mm.
    const UserRef = a.borrow('&MmWithUser', { object: Mm });
    a.method('CurrentTask::mm', { on: Current, returns: { borrow: UserRef, target: () => 'mm' } });
    a.method('MmWithUser::lock_vma_under_rcu', { on: UserRef, effect: access });
    a.method('ARef<MmWithUser>::from', { on: UserRef, effect: mmget, returns: user });
    a.method('ARef<Mm>::from', { on: UserRef, effect: mmgrab, returns: { owned: ARefMm, object: () => 'mm' } });
  }
  if (variant === 'with-async') {
    const ARefAsync = a.owned('ARef<MmWithUserAsync>', { object: Mm, send: true, cap, drop: (c) => put(c.self, 'mmput_async', [set(pending, true)]) });
    // `into_mmput_async(me: ARef<Self>)`: a call without receiver that consumes its argument.
    a.method('MmWithUser::into_mmput_async', { arg: { type: ARefUser, consumes: true }, returns: { owned: ARefAsync, object: () => 'mm' } });
  }
  a.generate();

  m.program('exit', ['p'], (self) => [step('exit_mm', guard(a.finished(self)), ...mmput(self))]);
  m.action('mmput_async_fn', {
    params: [{ name: 'self', sort: T.sort, values: [T.id('kworker')] }], thread: 'self', doc: 'kworker: async_put_work → __mmput',
    body: [guard(pending), set(pending, false), ...teardown()],
  });
  m.final(not(pending));
  m.quiescence(KERNEL.mm.leak, and(eq(users, 0), eq(count, 0), freed, tornDown));
  m.invariant(KERNEL.mm.countPinsUsers, implies(gt(users, 0), gt(count, 0)));
  m.cover(putInAtomic, putAtomic);
  const built = m.build();
  built.actions = built.actions.filter((x) => x.name !== 'mem::forget(SpinLockGuard(LOCK))');
  return built;
}

const apiMm: ModelDef = defineModel({
  name: 'api-mm',
  doc: 'Rust Mm/MmWithUser/MmWithUserAsync: every client of the mm API under a klint-like context discipline (§2)',
  variants: [
    { name: 'seed', doc: 'mmget_not_zero the only way to MmWithUser, current.mm() borrowed from the task context: sound', expect: 'violation:mm.leak', also: [{ classes: ['unsound', 'liveness'], expect: 'pass' }, { classes: ['leak'], forget: false, expect: 'pass' }, { classes: ['capability'], expect: 'violation:api.mm-users-put-in-atomic' }] },
    { name: 'current-mm-escapes', doc: "current.mm() a &'static MmWithUser: another client touches the address space after exit_mm", expect: 'violation:mm.access-after-teardown' },
    { name: 'mmget-on-mm', doc: 'an ARef<MmWithUser> from &Mm by a bare mmget at mm_users == 0', expect: 'violation:mm.mmget-on-zero' },
    { name: 'with-async', doc: 'seed plus MmWithUser::into_mmput_async: mm_users put in atomic context (capability gained)', expect: 'violation:mm.leak', also: [{ classes: ['unsound', 'liveness'], expect: 'pass' }, { classes: ['leak'], forget: false, expect: 'pass' }, { classes: ['capability'], expect: 'pass' }] },
  ],
  bounds: [
    { name: 'clients', default: 2, min: 1, max: 3, doc: 'clients in other tasks, each with an ARef<Mm> (plus p, the owning process\'s own code)' },
    { name: 'budget', default: 3, min: 1, max: 5, doc: 'API calls per client' },
  ],
  build: (variant, b) => buildApiMm(variant as ApiMmVariant, b.clients, b.budget),
});

export default apiMm;
