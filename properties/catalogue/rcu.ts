/** RCU read-side critical sections (include/linux/rcupdate.h, kernel/rcu/). */
import { group } from './entry.ts';

export const rcu = group({
  nestingTooDeep: {
    id: 'rcu.nesting-too-deep', kind: 'requires', class: 'warn',
    message: 'rcu_read_lock nested deeper than the model allows',
    kernel: 'a model bound, not a kernel rule: `rcu_read_lock()` nests freely (`current->rcu_read_lock_nesting` under PREEMPT_RCU, the preempt count otherwise); a report means "raise the model\'s nesting depth"',
  },
  unlockWithoutLock: {
    id: 'rcu.unlock-without-lock', kind: 'requires', class: 'unsound', precondition: 'ownership',
    message: 'rcu_read_unlock outside an RCU read-side critical section',
    kernel: 'an unbalanced `rcu_read_unlock()`: lockdep reports "bad unlock balance detected!" (`print_unlock_imbalance_bug()`). Unsound rather than a mere imbalance: the extra decrement (`__rcu_read_unlock()`\'s nesting count, or the preempt count) ends an enclosing read section early, so a grace period can complete and memory be freed while a reader still uses it',
  },
  readSectionAtExit: {
    id: 'rcu.read-section-at-exit', kind: 'quiescence', class: 'liveness',
    message: 'a thread finished inside an RCU read-side critical section',
    kernel: 'a read section that never ends holds off every later grace period: `synchronize_rcu()` waits forever and the RCU CPU stall detector warns; lockdep reports the held `rcu_read_lock()` at return to user space (`lockdep_sys_exit()`)',
  },
});
