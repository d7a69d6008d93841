/** Pointers read at run time: `deref(ptr)` of an `option(...)` pointer (model/lang/pointer.ts). */
import { group } from './entry.ts';

export const pointer = group({
  nullDeref: {
    id: 'pointer.null-deref', kind: 'requires', class: 'unsound',
    message: 'NULL pointer dereference',
    kernel: 'a load or store through NULL faults: page_fault_oops() prints "BUG: kernel NULL pointer dereference" and kills the task (arch/x86/mm/fault.c), with any lock it held still held',
  },
});
