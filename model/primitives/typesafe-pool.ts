/**
 * A type-stable object pool: a `kmem_cache` created with `SLAB_TYPESAFE_BY_RCU`
 * (include/linux/slab.h). A freed object's memory is handed out again at once, possibly for an
 * unrelated owner (a VMA of another mm), while RCU readers may still hold pointers to it; only
 * the slab page waits for a grace period. So, for a reader:
 * - inside an RCU read section, any pointer into the pool may be dereferenced: the memory is
 *   an object of this type, though perhaps not the one the pointer was taken for;
 * - outside one, only an object the reader pins (holds a reference to) may be.
 * Whatever a reader decides from such an object must be re-validated after it took its
 * reference (`vma->vm_mm == mm` in `vma_start_read`); the pool cannot tell, the model's own
 * properties must.
 *
 * State: `<name>.allocated[slot]`. Fields of the objects are the model's own arrays indexed by
 * `pool.sort`; a free leaves them as they were (stale memory), an allocation re-initialises them.
 * `kmem_cache_alloc` takes the lowest free slot (deterministic; no correct user may depend on
 * which free object the slab returns, and ordering frees against allocations reaches reuse).
 *
 * | id                           | what                                                          |
 * |------------------------------|---------------------------------------------------------------|
 * | `slab.double-free`           | `kmem_cache_free` of an object that is not allocated          |
 * | `slab.typesafe-deref-unpinned` | a pool object read outside RCU without holding a reference  |
 *
 * @example
 * const pool = typesafePool(m, 'vm_area_cachep', { slots: 2, prefix: 'V', allocated: 1 });
 * const vma = m.local('vma', pool.ptrSort, 'none');
 * step('vm_area_alloc', kmem_cache_alloc(pool, vma.at(self), (v) => [set(vm_mm.at(v), 'mmB')])),
 * step('vm_area_free', kmem_cache_free(pool, vma.at(self))),
 */
import type { ModelBuilder, Var } from '../lang/builder.ts';
import { bool, option, scalarset } from '../lang/builder.ts';
import type { Expr, Sort } from '../lang/ir.ts';
import { ModelError, ex, and, or, not, eq, ite, exists, type ExprLike } from '../lang/expr.ts';
import type { Ref } from '../lang/expr.ts';
import { guard, requires, set, when, type Stmt, type StmtLike } from '../lang/stmt.ts';
import { rcu_read_lock_held } from './rcu.ts';
import { KERNEL } from '../../properties/catalogue/index.ts';

export interface PoolOptions {
  /** Number of objects the cache can hold (the model bound). */
  slots: number;
  /** How slots print: `V1`, `V2`, … (default: the pool name). */
  prefix?: string;
  /** The first `allocated` slots start in use (objects that exist in the initial state). */
  allocated?: number;
}

export interface TypesafePool {
  readonly m: ModelBuilder;
  readonly name: string;
  /** The slots: index the objects' field arrays with it. */
  readonly sort: Sort;
  /** A nullable pointer into the pool (`none` = NULL). */
  readonly ptrSort: Sort;
  readonly none: Expr;
  readonly allocated: Var;
  /** Slot `i` (0-based) as a literal. */
  slot(i: number): Expr;
}

/** Declare a `SLAB_TYPESAFE_BY_RCU` cache. Example: `typesafePool(m, 'vm_area_cachep', { slots: 2, prefix: 'V' })`. */
export function typesafePool(m: ModelBuilder, name: string, opts: PoolOptions): TypesafePool {
  const sort = scalarset(`${name}.slot`, opts.slots, opts.prefix ?? name);
  const ptrSort = option(sort, 'none');
  const n = opts.allocated ?? 0;
  if (n < 0 || n > opts.slots) throw new ModelError(`pool ${name}: ${n} initially allocated objects do not fit in ${opts.slots} slots`);
  const allocated = m.var(`${name}.allocated`, bool, Array.from({ length: opts.slots }, (_, i) => i < n), [sort], `${name}: object in use`);
  return { m, name, sort, ptrSort, none: ex('none', ptrSort), allocated, slot: (i) => ex(i, sort) };
}

/** Some object of the pool is free. */
export function pool_has_free(p: TypesafePool): Expr {
  return exists(p.sort, (s) => not(p.allocated.at(s)));
}

/**
 * `kmem_cache_alloc`: waits for a free slot (the model's bound stands in for memory), takes the
 * lowest, stores it in `into` and runs `init` on it in the same step.
 */
export function kmem_cache_alloc(p: TypesafePool, into: Ref, init: (slot: Expr) => StmtLike[] = () => []): Stmt[] {
  // if slot 0 is free take it, else if slot 1 is free take it, … (an else-chain: one allocation).
  let chain: StmtLike[] = [];
  for (let i = poolSize(p) - 1; i >= 0; i--) {
    const s = p.slot(i);
    chain = [when(not(p.allocated.at(s)), [set(p.allocated.at(s), true), set(into, s), ...init(s)], chain)];
  }
  return [guard(pool_has_free(p)), ...(chain as Stmt[])];
}

/** `kmem_cache_free`: the memory may be handed out again at once. */
export function kmem_cache_free(p: TypesafePool, ptr: ExprLike): Stmt[] {
  const e = ex(ptr, p.ptrSort);
  return [
    requires(KERNEL.slab.doubleFree, and(not(eq(e, p.none)), slotAllocated(p, e)),
      `kmem_cache_free(${p.name}) of an object that is not allocated`),
    ...slotCases(p, e, (s) => [set(p.allocated.at(s), false)]),
  ];
}

/**
 * A read of a pool object through a pointer: legal inside an RCU read section (the memory is
 * type-stable) or while `pinned` (the caller holds a reference that keeps it from being freed).
 */
export function typesafe_read(p: TypesafePool, self: Expr, pinned: ExprLike = false): Stmt {
  return requires(KERNEL.slab.typesafeDerefUnpinned, or(rcu_read_lock_held(p.m, self), ex(pinned)),
    `${p.name} object read outside an RCU read section without holding a reference (its slab page may be gone)`);
}

/** The object `ptr` points to is allocated (false for `none`). */
export function slotAllocated(p: TypesafePool, ptr: ExprLike): Expr {
  const e = ex(ptr, p.ptrSort);
  return or(...Array.from({ length: poolSize(p) }, (_, i) => and(eq(e, p.slot(i)), p.allocated.at(p.slot(i)))));
}

/**
 * A field of the object `ptr` points to: `field` is an array indexed by the pool's slots. Only
 * meaningful when `ptr` is not `none` (then it reads the last slot). Example: `pool_field(pool, vm_mm, vma.at(self))`.
 */
export function pool_field(p: TypesafePool, field: Var, ptr: ExprLike): Expr {
  const e = ex(ptr, p.ptrSort);
  const n = poolSize(p);
  let out: Expr = field.at(p.slot(n - 1)).e;
  for (let i = n - 2; i >= 0; i--) out = ite(eq(e, p.slot(i)), field.at(p.slot(i)), out);
  return out;
}

/** Number of slots. */
export function poolSize(p: TypesafePool): number {
  return (p.sort as { size: number }).size;
}

/** Run `body(slot)` for the slot `ptr` points to, with a literal index (nothing for `none`). */
export function slotCases(p: TypesafePool, ptr: ExprLike, body: (slot: Expr) => StmtLike[]): Stmt[] {
  const e = ex(ptr, p.ptrSort);
  return Array.from({ length: poolSize(p) }, (_, i) => when(eq(e, p.slot(i)), body(p.slot(i))));
}
