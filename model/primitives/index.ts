/**
 * The kernel primitive library: each primitive declares its state variables, returns its
 * operations as statement lists for `step(...)` bodies, and adds the properties it implies.
 * Those properties are entries of the kernel property catalogue (properties/catalogue/), named
 * as `KERNEL.<group>.<entry>` (id, message, class), never as ids spelled inline.
 *
 * @example
 * import { refObject, kref_get_unless_zero, kref_put, obj_free, mutex, mutex_lock } from 'protocheck/primitives';
 */
export * from './context.ts';
export * from './ownership.ts';
export * from './refcount.ts';
export * from './aref.ts';
export * from './locks.ts';
export * from './lockorder.ts';
export * from './mm.ts';
export * from './rcu.ts';
export * from './typesafe-pool.ts';
export * from './arrays.ts';
