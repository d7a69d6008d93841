/** Properties every model has, whatever its primitives. */
import { group } from './entry.ts';

export const generic = group({
  deadlock: {
    id: 'deadlock', kind: 'deadlock', class: 'liveness',
    message: 'no step is possible, yet not every thread has finished',
    kernel: 'every task is blocked (a lock, a wait queue, a wait for a reply) with none left to wake it: the hung-task detector (kernel/hung_task.c) reports it after 120 s',
  },
});
