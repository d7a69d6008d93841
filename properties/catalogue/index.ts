/**
 * The kernel property catalogue: every property the primitives and the built-in protocol models
 * generate, grouped by subsystem, each with its class and what the kernel does there. Primitives
 * name entries (`KERNEL.refcount.addOnZero`), never ids spelled inline, so an id, its message
 * and its class are written once.
 *
 * @example
 * import { KERNEL, catalogueEntry } from './index.ts';
 * requires(KERNEL.refcount.addOnZero, ne(count, 0));
 * catalogueEntry('refcount.add-on-zero')?.class; // 'unsound'
 */
import type { KernelProperty } from './entry.ts';
import { generic } from './generic.ts';
import { refcount, aref } from './refcount.ts';
import { mutex, spinlock, rwsem, rwlock, lock, lockdep } from './locks.ts';
import { context } from './context.ts';
import { rcu } from './rcu.ts';
import { mm } from './mm.ts';
import { vma, slab } from './vma.ts';
import { page, kmap } from './page.ts';
import { binder } from './binder.ts';
import { drmMm } from './drm-mm.ts';
import { fork } from './fork.ts';
import { pointer } from './pointer.ts';

export type { KernelProperty, PropertyDecl } from './entry.ts';

/** The catalogue by subsystem: `KERNEL.<group>.<entry>`. `generic` stays first. */
export const KERNEL = {
  generic,
  pointer,
  refcount, aref,
  mutex, spinlock, rwsem, rwlock, lock, lockdep,
  context, rcu,
  mm, vma, slab,
  page, kmap,
  binder, drmMm, fork,
} as const;

/** Every catalogue entry, in subsystem order. */
export const CATALOGUE: readonly KernelProperty[] = Object.values(KERNEL).flatMap((g) => Object.values(g) as KernelProperty[]);

/** The entry with this id, if the catalogue has one. */
export function catalogueEntry(id: string): KernelProperty | undefined {
  return CATALOGUE.find((e) => e.id === id);
}
