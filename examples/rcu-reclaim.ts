/**
 * An example of the language's threads, daemons and RCU: readers look an object up under RCU
 * while a reclaim kworker (a daemon: it runs forever and is idle between works) unpublishes the
 * object and frees it. With a grace period between the two (`synchronize_rcu`, or `call_rcu`
 * with the free as its callback) no reader can still hold the pointer; without one, a reader
 * that found the object uses freed memory.
 *
 *   npx protocheck check examples/rcu-reclaim.ts                              # variant grace-period: pass
 *   npx protocheck check examples/rcu-reclaim.ts --variant call-rcu           # pass
 *   npx protocheck check examples/rcu-reclaim.ts --variant no-grace-period    # violation
 */
import { model, defineModel, bool, step, guard, set, not, and, implies, requires, type Expr, type ProgStmt } from 'protocheck';
import { rcu_read_lock, rcu_read_unlock, rcuGracePeriods, synchronize_rcu, synchronize_rcu_wait, rcuCallback, call_rcu } from 'protocheck/primitives';

type Variant = 'grace-period' | 'call-rcu' | 'no-grace-period';

function build(readers: number, variant: Variant) {
  const m = model('rcu-reclaim', 'readers under RCU, a reclaim kworker freeing what it unpublished');
  m.bounds = { readers };
  const names = Array.from({ length: readers }, (_, i) => `R${i + 1}`);
  m.threads([...names, 'kworker']);
  m.symmetric(names); // the readers run one program: one state per orbit
  const published = m.var('published', bool, true);
  const freed = m.var('freed', bool, false);
  const queued = m.var('work_queued', bool, true, [], 'reclaim work queued for the kworker');
  const found = m.local('found', bool, false);
  // Both before the programs: rcu_read_unlock ends grace-period waits, so it must know them.
  if (variant === 'grace-period') rcuGracePeriods(m);
  // call_rcu's callback (kfree_rcu, in effect) runs as a step of no thread once its grace period has passed.
  const cb = variant === 'call-rcu' ? rcuCallback(m, 'obj_rcu', [set(freed, true)]) : undefined;

  m.program('reader', names, (self) => [
    step('lookup', ...rcu_read_lock(m, self), set(found.at(self), published)),
    step('use', requires('obj.use-after-free', 'the object is used after it was freed', implies(found.at(self), not(freed)))),
    step('rcu_read_unlock', ...rcu_read_unlock(m, self)),
  ]);
  // After unpublishing: wait for a grace period and free, queue the free behind one, or free at once.
  const reclaim = (self: Expr): ProgStmt[] => {
    if (variant === 'grace-period') return [step('synchronize_rcu', ...synchronize_rcu(m, self)), step('synchronize_rcu.wait', ...synchronize_rcu_wait(m, self)), step('kfree', set(freed, true))];
    if (cb) return [step('call_rcu', ...call_rcu(m, cb))];
    return [step('kfree', set(freed, true))];
  };
  // A daemon starts over after its last step; waiting at its first step it is idle, not deadlocked.
  m.daemon('reclaim', ['kworker'], (self) => [
    step('take_work', guard(queued), set(queued, false), set(published, false)),
    ...reclaim(self),
  ]);
  // A capability (a cover): a reader is inside its section while the free waits for it.
  if (variant === 'grace-period') m.cover('rcu.reader-holds-back-free', 'the kworker waits for a reader inside its section', and(m.atLabel('kworker', 'synchronize_rcu.wait'), m.someAt(names, 'use')));
  if (cb) m.cover('rcu.reader-holds-back-free', 'the queued callback waits for a reader inside its section', and(cb.queued, m.someAt(names, 'use')));
  return m.build();
}

export default defineModel({
  name: 'rcu-reclaim',
  doc: 'readers under RCU and a reclaim kworker: free after synchronize_rcu, through call_rcu, or at once',
  variants: [
    { name: 'grace-period', doc: 'unpublish, synchronize_rcu, then kfree', expect: 'pass' },
    { name: 'call-rcu', doc: 'unpublish, then call_rcu: the callback frees after a grace period', expect: 'pass' },
    { name: 'no-grace-period', doc: 'unpublish, then kfree at once', expect: 'violation:obj.use-after-free' },
  ],
  bounds: [{ name: 'readers', default: 2, min: 1, max: 4, doc: 'reader threads' }],
  build: (variant, b) => build(b.readers, variant as Variant),
});
