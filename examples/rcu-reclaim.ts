/**
 * An example of the language's threads, daemons and RCU: readers look an object up under RCU
 * while a reclaim kworker (a daemon: it runs forever and is idle between works) unpublishes the
 * object and frees it. With `synchronize_rcu` between the two, no reader can still hold the
 * pointer; without it, a reader that found the object uses freed memory.
 *
 *   npx protocheck check examples/rcu-reclaim.ts                              # variant grace-period: pass
 *   npx protocheck check examples/rcu-reclaim.ts --variant no-grace-period    # violation
 */
import { model, defineModel, bool, step, guard, set, not, and, implies, requires } from '../model/lang/index.ts';
import { rcu_read_lock, rcu_read_unlock, rcuGracePeriods, synchronize_rcu, synchronize_rcu_wait } from '../model/primitives/index.ts';

function build(readers: number, gracePeriod: boolean) {
  const m = model('rcu-reclaim', 'readers under RCU, a reclaim kworker freeing what it unpublished');
  m.bounds = { readers };
  const names = Array.from({ length: readers }, (_, i) => `R${i + 1}`);
  m.threads([...names, 'kworker']);
  m.symmetric(names); // the readers run one program: one state per orbit
  const published = m.var('published', bool, true);
  const freed = m.var('freed', bool, false);
  const queued = m.var('work_queued', bool, true, [], 'reclaim work queued for the kworker');
  const found = m.local('found', bool, false);
  if (gracePeriod) rcuGracePeriods(m); // before the programs: rcu_read_unlock ends grace-period waits

  m.program('reader', names, (self) => [
    step('lookup', ...rcu_read_lock(m, self), set(found.at(self), published)),
    step('use', requires('obj.use-after-free', 'the object is used after it was freed', implies(found.at(self), not(freed)))),
    step('rcu_read_unlock', ...rcu_read_unlock(m, self)),
  ]);
  // A daemon starts over after its last step; waiting at its first step it is idle, not deadlocked.
  m.daemon('reclaim', ['kworker'], (self) => [
    step('take_work', guard(queued), set(queued, false), set(published, false)),
    ...(gracePeriod ? [step('synchronize_rcu', ...synchronize_rcu(m, self)), step('synchronize_rcu.wait', ...synchronize_rcu_wait(m, self))] : []),
    step('kfree', set(freed, true)),
  ]);
  // A capability (a cover): a reader is inside its section while the kworker waits for it.
  if (gracePeriod) m.cover('rcu.reader-holds-back-free', 'the kworker waits for a reader inside its section', and(m.atLabel('kworker', 'synchronize_rcu.wait'), m.someAt(names, 'use')));
  return m.build();
}

export default defineModel({
  name: 'rcu-reclaim',
  doc: 'readers under RCU and a reclaim kworker: free after synchronize_rcu, or not',
  variants: [
    { name: 'grace-period', doc: 'unpublish, synchronize_rcu, then kfree', expect: 'pass' },
    { name: 'no-grace-period', doc: 'unpublish, then kfree at once', expect: 'violation:obj.use-after-free' },
  ],
  bounds: [{ name: 'readers', default: 2, min: 1, max: 4, doc: 'reader threads' }],
  build: (variant, b) => build(b.readers, variant === 'grace-period'),
});
