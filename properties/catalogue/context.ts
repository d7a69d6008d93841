/** Execution context: sleeping where the kernel may not (kernel/sched/core.c). */
import { group } from './entry.ts';

export const context = group({
  sleepInAtomic: {
    id: 'sleep-in-atomic', kind: 'requires', class: 'liveness',
    message: 'sleeping function called from invalid context',
    kernel: '`__might_sleep()` (kernel/sched/core.c) prints "BUG: sleeping function called from invalid context" when a call that may sleep runs with preemption disabled (a spinlock, an RCU read section); actually sleeping there is "scheduling while atomic" and can deadlock against the spinning holder',
  },
});
