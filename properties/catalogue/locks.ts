/**
 * Kernel locks: `struct mutex` (kernel/locking/mutex.c), `spinlock_t`
 * (kernel/locking/spinlock_debug.c), `struct rw_semaphore` (kernel/locking/rwsem.c), locks left
 * held, and lockdep's lock-order graph (kernel/locking/lockdep.c).
 */
import { group } from './entry.ts';

export const mutex = group({
  recursive: {
    id: 'mutex.recursive', kind: 'requires', class: 'liveness',
    message: 'mutex_lock by its owner: recursive locking deadlocks',
    kernel: '`mutex_lock()` on a mutex the caller already owns waits for itself forever (kernel/locking/mutex.c); lockdep reports "possible recursive locking detected" (`print_deadlock_bug()`)',
  },
  unlockNotOwner: {
    id: 'mutex.unlock-not-owner', kind: 'requires', class: 'unsound', precondition: 'ownership',
    message: 'mutex_unlock by a thread that does not own it',
    kernel: '`mutex_unlock()` by a task that is not the owner: `__mutex_unlock_slowpath()` warns with CONFIG_DEBUG_MUTEXES (`MUTEX_WARN_ON(__owner_task(owner) != current)`), and the owner\'s critical section loses its exclusion',
  },
});

export const spinlock = group({
  recursive: {
    id: 'spinlock.recursive', kind: 'requires', class: 'liveness',
    message: 'spin_lock by its holder: spins forever',
    kernel: '`spin_lock()` on a lock the caller holds spins forever; CONFIG_DEBUG_SPINLOCK\'s `debug_spin_lock_before()` reports "recursion" (`spin_bug()`), lockdep "possible recursive locking detected"',
  },
  unlockNotOwner: {
    id: 'spinlock.unlock-not-owner', kind: 'requires', class: 'unsound', precondition: 'ownership',
    message: 'spin_unlock by a thread that does not hold it',
    kernel: '`spin_unlock()` by a CPU that does not hold the lock: `debug_spin_unlock()` (kernel/locking/spinlock_debug.c) reports "wrong owner" or "already unlocked", and the holder\'s critical section loses its exclusion',
  },
});

export const rwsem = group({
  recursive: {
    id: 'rwsem.recursive', kind: 'requires', class: 'liveness',
    message: 'rwsem taken while this thread already holds it',
    kernel: '`down_write()` while holding the rwsem never returns, and a nested `down_read()` deadlocks as soon as a writer queues between the two (kernel/locking/rwsem.c); lockdep reports "possible recursive locking detected"',
  },
  unlockNotOwner: {
    id: 'rwsem.unlock-not-owner', kind: 'requires', class: 'unsound', precondition: 'ownership',
    message: 'rwsem released by a thread that does not hold it that way',
    kernel: '`up_write()` by a task that is not the writer trips `DEBUG_RWSEMS_WARN_ON()` on `rwsem_owner(sem) != current` (kernel/locking/rwsem.c); an `up_read()` without a read hold corrupts the reader count, letting a writer in beside a reader',
  },
  downgradeNotOwner: {
    id: 'rwsem.downgrade-not-owner', kind: 'requires', class: 'unsound', precondition: 'ownership',
    message: 'downgrade_write without holding the rwsem for write',
    kernel: '`downgrade_write()` → `__downgrade_write()` checks `DEBUG_RWSEMS_WARN_ON(rwsem_owner(sem) != current, sem)` (kernel/locking/rwsem.c): the caller must be the writer, or it turns another task\'s write hold into a read hold',
  },
});

export const rwlock = group({
  recursive: {
    id: 'rwlock.recursive', kind: 'requires', class: 'liveness',
    message: 'rwlock_t taken while this thread already holds it',
    kernel: '`write_lock()` while holding the lock spins forever; a nested `read_lock()` in process context spins once a writer waits between the two, since the queued rwlock is fair there (kernel/locking/qrwlock.c `queued_read_lock_slowpath()`); lockdep reports "possible recursive locking detected"',
  },
  unlockNotOwner: {
    id: 'rwlock.unlock-not-owner', kind: 'requires', class: 'unsound', precondition: 'ownership',
    message: 'rwlock_t released by a thread that does not hold it that way',
    kernel: '`read_unlock()` without a read hold drops another reader\'s count (`queued_read_unlock()` subtracts `_QR_BIAS`), letting a writer in beside that reader; `write_unlock()` by a non-writer clears the writer byte of another CPU\'s critical section (CONFIG_DEBUG_SPINLOCK: `debug_write_unlock()` reports "wrong owner")',
  },
});

export const lock = group({
  heldAtExit: {
    id: 'lock.held-at-exit', kind: 'quiescence', class: 'liveness',
    message: 'a lock still held when every thread finished',
    kernel: 'a lock never released blocks its next taker forever; lockdep reports it when the task returns to user space (`lockdep_sys_exit()`: "lock held when returning to user space!") or exits (`debug_check_no_locks_held()`)',
  },
});

export const lockdep = group({
  cycle: {
    id: 'lockdep.cycle', kind: 'invariant', class: 'liveness',
    message: 'possible deadlock: the lock-order graph has a cycle (lockdep)',
    kernel: '`check_noncircular()` (kernel/locking/lockdep.c) reports "possible circular locking dependency detected" as soon as a new dependency closes a cycle in the lock-class graph, even in a run where the deadlock itself never happens',
  },
});
