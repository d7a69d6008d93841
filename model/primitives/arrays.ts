/**
 * Arrays of kernel objects indexed by a sort: one lock or one refcounted object per task, per
 * VMA slot, per node. `arr.at(i)` is an ordinary `Mutex`, `Spinlock`, `Rwsem`, `Rwlock` or
 * `RefObject`, so every operation of locks.ts and refcount.ts takes it, and `i` may be any
 * expression of the index sort: a literal, `self`'s task (`m.threadMap`), a parameter
 * (`param('node', Node)`), or a pointer read with `deref` (model/lang/pointer.ts), which makes a
 * NULL pointer a `pointer.null-deref` violation instead of a `when` chain per object.
 *
 * State: one variable per array (`<name>` or `<name>.writer`/`.readers` for locks,
 * `<name>.refs`/`.freed` for objects) indexed by the sort; the held-at-exit quiescence covers
 * every element. Messages name the element: `spin_lock(task.alloc_lock[tsk->group_leader])`.
 *
 * @example
 * const Task = enumeration('Task', ['L', 't']);
 * const alloc_lock = spinlockArray(m, 'task.alloc_lock', Task);   // task_struct::alloc_lock
 * const usage = refObjectArray(m, 'task', Task, { max: 3, init: 1 }); // task_struct::usage
 * const leader = m.local('leader', option(Task), 'none');
 * m.program('observer', ['T1'], (self) => [
 *   step('task_lock', spin_lock(alloc_lock.at(deref(leader.at(self), 'leader')), self)),
 *   step('get_task_struct', refcount_inc(usage.at(deref(leader.at(self), 'leader')).refs)),
 * ]);
 */
import type { ModelBuilder } from '../lang/builder.ts';
import { bool, option } from '../lang/builder.ts';
import type { Expr, Sort } from '../lang/ir.ts';
import { ex, eq, and, not, forall, type ExprLike } from '../lang/expr.ts';
import { exprText } from '../lang/pointer.ts';
import { refcountArray, refcountSort, type Refcount, type RefcountOptions, type RefObject, type RefcountArray } from './refcount.ts';
import { ModelError, add, ge, ne, implies } from '../lang/expr.ts';
import { range } from '../lang/builder.ts';
import { sortValues, showValue, sortName } from '../lang/ir.ts';
import type { StmtLike } from '../lang/stmt.ts';
import type { ARefs } from './aref.ts';
import type { LockOptions, Mutex, Spinlock, Rwsem, Rwlock } from './locks.ts';
import { KERNEL } from '../../properties/catalogue/index.ts';

/** Objects of one kind, one per value of `sort`; `at(i)` is the object `i` names. */
export interface ObjectArray<T> {
  readonly name: string;
  readonly sort: Sort;
  /** The element at index `i` (any expression of the sort, e.g. `deref(ptr)`). */
  at(i: ExprLike): T;
}

/** `name[i]` for messages: the index as written (`T1`, `self`, a deref's name). */
function elementName(name: string, index: Expr): string {
  return `${name}[${exprText(index)}]`;
}

function ownedArray(m: ModelBuilder, name: string, sort: Sort, what: string, opts: LockOptions) {
  const osort = option(m.threadSort, 'none');
  const owner = m.var(name, osort, 'none', [sort], `${what} holder, per ${sort.kind === 'enum' || sort.kind === 'scalarset' ? sort.name : 'index'}`);
  const none = ex('none', osort);
  if (!opts.mayStayHeld) {
    m.quiescence(KERNEL.lock.heldAtExit, forall(sort, (i) => eq(owner.at(i), none)), `a ${what} of ${name} still held when every thread finished`);
  }
  return (i: ExprLike) => {
    const cell = owner.at(i);
    return { m, name: elementName(name, cell.index[0]), owner: cell, none, lockClass: opts.lockClass };
  };
}

function rwArray(m: ModelBuilder, name: string, sort: Sort, what: string, opts: LockOptions) {
  const osort = option(m.threadSort, 'none');
  const writer = m.var(`${name}.writer`, osort, 'none', [sort], `${what} ${name} write holder`);
  const readers = m.var(`${name}.readers`, bool, false, [sort, m.threadSort], `${what} ${name} read holders`);
  const none = ex('none', osort);
  if (!opts.mayStayHeld) {
    m.quiescence(KERNEL.lock.heldAtExit,
      forall(sort, (i) => and(eq(writer.at(i), none), forall(m.threadSort, (t) => not(readers.at(i, t))))),
      `a ${what} of ${name} still held when every thread finished`);
  }
  return (i: ExprLike) => {
    const cell = writer.at(i);
    const index = cell.index[0];
    return { m, name: elementName(name, index), writer: cell, readers: { at: (t: ExprLike) => readers.at(index, t) }, none, lockClass: opts.lockClass };
  };
}

/**
 * One `struct mutex` per value of `sort` (variable `<name>`: the holder of each). Example:
 * `const locks = mutexArray(m, 'node.lock', Node); step('lock', mutex_lock(locks.at(deref(p, 'node')), self))`.
 */
export function mutexArray(m: ModelBuilder, name: string, sort: Sort, opts: LockOptions = {}): ObjectArray<Mutex> {
  const at = ownedArray(m, name, sort, 'mutex', opts);
  return { name, sort, at: (i) => ({ ...at(i), kind: 'mutex' }) };
}

/**
 * One `spinlock_t` per value of `sort` (variable `<name>`). Example:
 * `const alloc_lock = spinlockArray(m, 'task.alloc_lock', Task); step('task_lock', spin_lock(alloc_lock.at('L'), self))`.
 */
export function spinlockArray(m: ModelBuilder, name: string, sort: Sort, opts: LockOptions = {}): ObjectArray<Spinlock> {
  const at = ownedArray(m, name, sort, 'spinlock', opts);
  return { name, sort, at: (i) => ({ ...at(i), kind: 'spinlock' }) };
}

/**
 * One `struct rw_semaphore` per value of `sort` (variables `<name>.writer`, `<name>.readers`).
 * Example: `const mmap_lock = rwsemArray(m, 'mmap_lock', Mm); step('mmap_read_lock', down_read(mmap_lock.at(mm), self))`.
 */
export function rwsemArray(m: ModelBuilder, name: string, sort: Sort, opts: LockOptions = {}): ObjectArray<Rwsem> {
  const at = rwArray(m, name, sort, 'rwsem', opts);
  return { name, sort, at: (i) => ({ ...at(i), kind: 'rwsem' }) };
}

/**
 * One `rwlock_t` per value of `sort` (variables `<name>.writer`, `<name>.readers`). Example:
 * `const locks = rwlockArray(m, 'bucket.lock', Bucket); step('read_lock', read_lock(locks.at(b), self))`.
 */
export function rwlockArray(m: ModelBuilder, name: string, sort: Sort, opts: LockOptions = {}): ObjectArray<Rwlock> {
  const at = rwArray(m, name, sort, 'rwlock', opts);
  return { name, sort, at: (i) => ({ ...at(i), kind: 'rwlock' }) };
}

export interface RefObjectArrayOptions extends Omit<RefcountOptions, 'init'> {
  /** Initial count of every object (default 1), or per object by the sort's value names. */
  init?: number | Record<string, number>;
}

/**
 * One refcounted object per value of `sort` (variables `<name>.refs`, `<name>.freed`, indexed by
 * it), each starting at `init` (default 1). Example:
 * `const tasks = refObjectArray(m, 'task', Task, { max: 3, init: { L: 1, t: 2 } }); step('put_task_struct', kref_put(tasks.at(t).refs, obj_free(tasks.at(t))))`.
 */
export function refObjectArray(m: ModelBuilder, name: string, sort: Sort, opts: RefObjectArrayOptions = {}): ObjectArray<RefObject> {
  const max = opts.max ?? 3;
  const values = sortValues(sort).map((v) => String(showValue(sort, v)));
  const init = typeof opts.init === 'object' ? values.map((v) => (opts.init as Record<string, number>)[v] ?? 1) : values.map(() => (opts.init as number | undefined) ?? 1);
  for (const k of typeof opts.init === 'object' ? Object.keys(opts.init) : []) {
    if (!values.includes(k)) throw new ModelError(`refObjectArray ${name}: '${k}' is not a value of ${sortName(sort)}`);
  }
  init.forEach((n) => { if (!Number.isInteger(n) || n < 0 || n > max + 1) throw new ModelError(`refcount ${name}.refs: initial count ${n} is outside 0..${max + 1}`); });
  const refsVar = m.var(`${name}.refs`, refcountSort(max), init, [sort], opts.doc ?? 'refcount_t per index (max+1 = REFCOUNT_SATURATED)');
  const refs = { at: (i: ExprLike) => ({ ref: refsVar.at(i), max, saturated: max + 1 }) };
  const freed = m.var(`${name}.freed`, bool, false, [sort], `${name} has been freed, per ${sort.kind === 'enum' || sort.kind === 'scalarset' ? sort.name : 'index'}`);
  return {
    name, sort,
    at: (i) => {
      const cell = freed.at(i);
      return { name: elementName(name, cell.index[0]), refs: refs.at(cell.index[0]), freed: cell };
    },
  };
}

/**
 * One `struct kref` per index (a `refcountArray` under kref's name). Example:
 * `const refs = krefArray(m, 'node.ref', [Node], { max: 2, init: 1 }); step('get', kref_get(refs.at(n)))`.
 */
export function krefArray(m: ModelBuilder, name: string, index: Sort[], opts: RefcountOptions = {}): RefcountArray {
  return refcountArray(m, name, index, opts);
}

export interface ARefArrayOptions {
  /** Most tokens one thread may hold of one object (default 2). */
  maxTokens?: number;
  /** Tokens each thread starts with, by object then thread name (`{ t: { T1: 1 } }`). */
  initial?: Record<string, Record<string, number>>;
  /** The references of object `i` owned outside tokens (default 0). Example: `(i) => ite(reaped.at(i), 0, 1)`. */
  owners?: (i: Expr) => ExprLike;
  /** Run when `aref_drop` puts object `i`'s last reference. Example: `(i) => obj_free(tasks.at(i))`. */
  release?: (i: Expr) => StmtLike[];
}

/**
 * `ARef<T>` tokens over an array of counters (`refObjectArray`'s objects, or any `at(i) → { refs }`):
 * `arr.at(i)` is an `ARefs` for every operation of aref.ts, with its invariant and leak check
 * over every element (variables `<name>.aref` per object and thread, `<name>.raw` per object).
 * Example: `const a = arefArray(m, 'task', Task, tasks, { release: (i) => obj_free(tasks.at(i)) }); step('get', aref_from(a.at(deref(p)), self))`.
 */
export function arefArray(m: ModelBuilder, name: string, sort: Sort, objs: { at(i: ExprLike): { refs: Refcount } }, opts: ARefArrayOptions = {}): ObjectArray<ARefs> {
  const maxTokens = opts.maxTokens ?? 2;
  const threads = m.threadSort;
  if (threads.kind !== 'enum') throw new ModelError('arefArray: declare m.threads([...]) first');
  const values = sortValues(sort).map((v) => String(showValue(sort, v)));
  for (const [obj, per] of Object.entries(opts.initial ?? {})) {
    if (!values.includes(obj)) throw new ModelError(`arefArray ${name}: '${obj}' is not a value of ${sortName(sort)}`);
    for (const t of Object.keys(per)) if (!threads.values.includes(t)) throw new ModelError(`arefArray ${name}: no thread named ${t}`);
  }
  const init = values.flatMap((v) => threads.values.map((t) => opts.initial?.[v]?.[t] ?? 0));
  if (init.some((n) => n < 0 || n > maxTokens)) throw new ModelError(`arefArray ${name}: initial tokens outside 0..${maxTokens}`);
  const max = objs.at(sortValues(sort)[0]).refs.max;
  const tokens = m.var(`${name}.aref`, range(0, maxTokens), init, [sort, threads], `ARef<${name}> tokens held per object and thread`);
  const raw = m.var(`${name}.raw`, range(0, max), 0, [sort], `${name} increments handed out by ARef::into_raw, per object`);
  const view = (i: ExprLike): ARefs => {
    const rawCell = raw.at(i);
    const index = rawCell.index[0];
    const refs = objs.at(index).refs;
    const live = threads.values.map((_, t) => tokens.at(index, t).e).reduce((acc, x) => add(acc, x));
    return {
      name: elementName(name, index), refs, tokens: { at: (t: ExprLike) => tokens.at(index, t) }, raw: rawCell,
      owners: ex(opts.owners ? opts.owners(index) : 0), release: opts.release ? opts.release(index) : [], live,
    };
  };
  m.invariant(KERNEL.aref.countBelowOwners, forall(sort, (i) => {
    const a = view(i);
    return implies(ne(a.refs.ref, a.refs.saturated), ge(a.refs.ref, add(add(a.live, a.raw), a.owners)));
  }), `${name}: ${KERNEL.aref.countBelowOwners.message}`);
  m.quiescence(KERNEL.aref.leak, forall(sort, (i) => { const a = view(i); return eq(a.refs.ref, a.owners); }), `${name}: ${KERNEL.aref.leak.message}`);
  return { name, sort, at: view };
}
