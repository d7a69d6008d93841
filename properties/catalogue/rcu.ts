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
  syncInReadSection: {
    id: 'rcu.sync-in-read-section', kind: 'requires', class: 'liveness',
    message: 'synchronize_rcu inside an RCU read-side critical section',
    kernel: 'the grace period waits for the caller\'s own read section: it never ends. `synchronize_rcu()` warns "Illegal synchronize_rcu() in RCU read-side critical section" (`RCU_LOCKDEP_WARN` in kernel/rcu/tree.c)',
  },
  callRcuTwice: {
    id: 'rcu.call-rcu-twice', kind: 'requires', class: 'unsound',
    message: 'call_rcu on an rcu_head already queued',
    kernel: 'queuing one `rcu_head` twice links it into the callback list twice and runs its callback twice (a double free); CONFIG_DEBUG_OBJECTS_RCU_HEAD reports "duplicate call_rcu" (`debug_rcu_head_queue()`, kernel/rcu/tree.c `__call_rcu_common()`)',
  },
  readSectionAtExit: {
    id: 'rcu.read-section-at-exit', kind: 'quiescence', class: 'liveness',
    message: 'a thread finished inside an RCU read-side critical section',
    kernel: 'a read section that never ends holds off every later grace period: `synchronize_rcu()` waits forever and the RCU CPU stall detector warns; lockdep reports the held `rcu_read_lock()` at return to user space (`lockdep_sys_exit()`)',
  },
});
