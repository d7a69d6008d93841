/**
 * Pointers chosen at run time. A pointer is a location of an `option(sort)`: a value of the
 * sort, or `none` (NULL). `deref(ptr)` reads through it: it is the pointer's value, usable as an
 * index (`alloc_lock.at(deref(leader.at(self)))`), and a step that evaluates it while the
 * pointer is `none` violates `pointer.null-deref` ("NULL dereference of <ptr>") before anything
 * else of that statement runs, even a wait: the kernel faults at the load, it does not block.
 *
 * `deref` is for step bodies (`step`, `m.action`); a state property or a `branch` condition
 * cannot fault, so there it is a model error: compare the pointer with `'none'` and index with
 * the pointer itself (`implies(ne(p, 'none'), held.at(p))`).
 *
 * @example
 * const Task = enumeration('Task', ['L', 't']);
 * const leader = m.local('leader', option(Task), 'none');       // task_struct *leader
 * const alloc_lock = spinlockArray(m, 'task.alloc_lock', Task); // one spinlock_t per task
 * step('task_lock', spin_lock(alloc_lock.at(deref(leader.at(self), 'leader')), self))
 */
import type { Expr } from './ir.ts';
import { sortName, showValue } from './ir.ts';
import { Ref, ModelError, ex, or, ne, type ExprLike } from './expr.ts';
import { callerLocation } from './source.ts';
import type { SourceLoc } from './ir.ts';
import { KERNEL } from '../../properties/catalogue/index.ts';

/** What a `deref` read goes through: the pointer, its `none` and the name messages show. */
interface DerefInfo {
  ptr: Expr;
  none: Expr;
  what: string;
  loc?: SourceLoc;
}

// The deref nodes, by identity: the IR stays plain data (every engine reads a `deref` as the
// pointer itself), and compileStep finds them in a statement before compiling it.
const derefs = new WeakMap<Expr, DerefInfo>();

/**
 * Read through a nullable pointer (a location or expression of an `option(...)` sort). The
 * result is the pointer's value; a step that evaluates it while the pointer is `none` violates
 * `pointer.null-deref`, named after `what` (default: the location, `leader[self]`).
 * Example: `spin_lock(alloc_lock.at(deref(leader.at(self), 'tsk->group_leader')), self)`.
 */
export function deref(ptr: ExprLike, what?: string): Expr {
  const e = ex(ptr);
  if (e.sort.kind !== 'enum' || e.sort.base === undefined) {
    throw new ModelError(`deref(${what ?? exprText(e)}): a pointer is a location of an option(...) sort, got ${sortName(e.sort)}`);
  }
  const none = { op: 'lit' as const, sort: e.sort, value: e.sort.values.length - 1 };
  const node: Expr = { ...e };
  derefs.set(node, { ptr: e, none, what: what ?? exprText(ptr instanceof Ref ? ptr.e : e), loc: callerLocation() });
  return node;
}

/**
 * The derefs of an expression tree, innermost first (`head->next` after `head`: checking the
 * outer pointer reads through the inner one), each once.
 */
export function derefsIn(e: Expr, out: DerefInfo[] = []): DerefInfo[] {
  const d = derefs.get(e);
  switch (e.op) {
    case 'lit': case 'param': case 'cyclic': break;
    case 'var': e.index.forEach((x) => derefsIn(x, out)); break;
    case 'and': case 'or': e.args.forEach((x) => derefsIn(x, out)); break;
    case 'not': derefsIn(e.a, out); break;
    case 'ite': derefsIn(e.c, out); derefsIn(e.t, out); derefsIn(e.e, out); break;
    case 'forall': case 'exists': case 'count': derefsIn(e.body, out); break;
    default: derefsIn(e.a, out); derefsIn(e.b, out);
  }
  if (d && !out.includes(d)) out.push(d);
  return out;
}

/** The `pointer.null-deref` requirement of one deref: the pointer is not `none`. */
export function nullCheck(d: DerefInfo): { id: string; message: string; class: 'unsound'; cond: Expr; loc?: SourceLoc } {
  const e = KERNEL.pointer.nullDeref;
  return { id: e.id, message: `NULL dereference of ${d.what}`, class: e.class, cond: ne(d.ptr, d.none), loc: d.loc };
}

/**
 * A step's guard once its NULL dereferences are known: `faults[k]` says "the step gets as far
 * as deref k and the pointer is none". Such a step is enabled (it faults rather than waits),
 * and the faults come first, so the guard never reads through a NULL pointer.
 */
export function faultingGuard(guard: Expr, faults: Expr[]): Expr {
  return faults.length ? or(...faults, guard) : guard;
}

/** Refuse `deref` where nothing can fault (a state property, a branch condition). */
export function noDeref(e: Expr, where: string): void {
  const d = derefsIn(e)[0];
  if (d) throw new ModelError(`${where}: deref(${d.what}) outside a step cannot fault; compare the pointer with 'none' and index with the pointer itself`);
}

/** Short text of an expression for messages: `leader[self]`, `T1`, `node`. */
export function exprText(e: Expr | Ref): string {
  const x = e instanceof Ref ? e.e : e;
  const d = derefs.get(x);
  if (d) return d.what;
  switch (x.op) {
    case 'lit': return x.sort.kind === 'int' ? String(x.value) : String(showValue(x.sort, x.value));
    case 'param': return x.name.startsWith('$') ? 'x' : x.name;
    case 'var': return x.index.length ? `${x.name}[${x.index.map(exprText).join(',')}]` : x.name;
    default: return '…';
  }
}
