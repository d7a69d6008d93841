/**
 * Declare a kernel API in Rust terms — handle types, what each operation needs and does — and
 * generate its most general client: every sequence of up to `budget` calls by each client
 * thread, moving handles only where the markers allow, dropping what is left at scope end in any
 * order. The kernel environment (exit, munmap, a kworker) stays an ordinary program on the same
 * `ModelBuilder`.
 *
 * Handle kinds:
 * - **owned** (`ARef<T>` to one object of a sort): fungible, a count per (object, client);
 *   `clone`, `drop` (or Drop forbidden), `mem::forget`, `send(to)` when `Send`;
 * - **borrow** (`&T` to an object): records its lender (an owned handle or a context handle);
 *   the lender cannot be dropped, forgotten or sent while it lives; it may end at any step, and
 *   ends at scope end;
 * - **context** (`CurrentTask`): one per object, held by a client; `send(to)` only when `Send`.
 *
 * Every generated action is named as the call reads (`Task::group_leader(&t)`, `drop(ARef<Task>(L))`),
 * takes the client as `self` and counts against the client's budget (scope-end drops and borrow
 * ends are free). Type preconditions are guards: an ill-typed call is not a client. Kernel
 * preconditions stay `requires` inside the effects the API declares.
 *
 * @example
 * const a = api(m, { clients: ['C1', 'C2'], budget: 3 });
 * const ARefTask = a.owned('ARef<Task>', { object: Task, send: true, clone: (c) => refcount_inc(refs[c.obj]), drop: (c) => put(c.obj) });
 * const TaskRef = a.borrow('&Task', { object: Task });
 * a.method('Task::group_leader', { on: ARefTask, returns: { borrow: TaskRef, target: (c) => groupLeader.at(c.obj) } });
 * a.generate();
 */
import type { Expr, Sort } from '../lang/ir.ts';
import { sortValues, showValue } from '../lang/ir.ts';
import { range, bool, option, enumeration, type ModelBuilder, type Var } from '../lang/builder.ts';
import { ModelError, add, sub, and, or, not, eq, ne, lt, ge, gt, ite, lit, type ExprLike } from '../lang/expr.ts';
import { guard, set, type StmtLike } from '../lang/stmt.ts';

/** What an operation's effect sees: the calling client and the receiver's object (a value of its sort). */
export interface CallCtx {
  /** The calling client (the action's `self`). */
  self: Expr;
  /** The receiver's object, as the sort's value name (`'t'`, `'L'`). */
  obj: string;
  /** The same object as an expression. */
  objExpr: Expr;
}

type Effect = (c: CallCtx) => StmtLike[];

export interface OwnedType {
  kind: 'owned';
  name: string;
  object: Sort;
  send: boolean;
  cap: number;
  clone?: Effect;
  drop: Effect | 'forbidden';
  /** Count per [object][thread]. */
  own: Var;
}

export interface BorrowType {
  kind: 'borrow';
  name: string;
  object: Sort;
  /** Target per [thread] (`none`: no borrow). */
  target: Var;
  /** Lender per [thread], a value of the API's lender sort. */
  lender: Var;
}

export interface ContextType {
  kind: 'context';
  name: string;
  object: Sort;
  send: boolean;
  /** Holder per [object] (`none`: nobody, e.g. a task with no context of its own). */
  holder: Var;
}

export type HandleType = OwnedType | BorrowType | ContextType;

export interface OwnedSpec {
  object: Sort;
  /** `Send`: a `send(to)` to a still-running client (default false: `!Send`). */
  send?: boolean;
  /** Most handles of one object one client may hold (default 2). */
  cap?: number;
  clone?: Effect;
  /** The destructor's kernel effect, or `'forbidden'` (no Drop: only `mem::forget` or an API call can consume it). */
  drop: Effect | 'forbidden';
  /** Handles each client starts with: client name → object value → count. */
  init?: Record<string, Record<string, number>>;
}

export interface ContextSpec {
  object: Sort;
  send?: boolean;
  /** Which client holds each object's context handle at the start (object value → client name). */
  init: Record<string, string>;
}

export interface MethodSpec {
  /** The receiver: a handle type the client must hold (the type precondition). */
  on: HandleType;
  /** Kernel preconditions and effects of the call. */
  effect?: Effect;
  /** A new owned handle (of an object the effect chose) or a borrow of a target object, lent by the receiver. */
  returns?: { owned: OwnedType; object: (c: CallCtx) => string } | { borrow: BorrowType; target: (c: CallCtx) => ExprLike };
}

export interface ApiOptions {
  /** The client threads (already declared with `m.threads`). */
  clients: string[];
  /** Calls per client. */
  budget: number;
}

/** The API layer over a model builder. */
export class Api {
  private handles: HandleType[] = [];
  private methods: { name: string; spec: MethodSpec }[] = [];
  readonly calls: Var;
  readonly done: Var;
  /** Set once any client called `mem::forget`: what is reachable after it is reachable "through forget". */
  readonly forgot: Var;
  private lenderNames: string[] = ['none'];
  private lenderSort?: Sort;
  private clientIds: number[];

  constructor(readonly m: ModelBuilder, readonly opts: ApiOptions) {
    const T = m.threadSort;
    this.clientIds = opts.clients.map((n) => {
      const i = T.kind === 'enum' ? T.values.indexOf(n) : -1;
      if (i < 0) throw new ModelError(`api: client ${n} is not a declared thread`);
      return i;
    });
    if (!Number.isInteger(opts.budget) || opts.budget < 1) throw new ModelError('api: budget must be a positive integer');
    this.calls = m.var('api.calls', range(0, opts.budget), 0, [T], 'API calls each client made');
    this.done = m.var('api.done', bool, false, [T], 'the client left its scope');
    this.forgot = m.var('api.forgot', bool, false, [], 'some client called mem::forget');
  }

  /** A fungible owned handle type. Example: `a.owned('ARef<Task>', { object: Task, send: true, clone, drop })`. */
  owned(name: string, spec: OwnedSpec): OwnedType {
    const cap = spec.cap ?? 2;
    const threads = values(this.m.threadSort);
    for (const c of Object.keys(spec.init ?? {})) if (!this.opts.clients.includes(c)) throw new ModelError(`api: ${name} init names ${c}, not a client`);
    const init = values(spec.object).flatMap((v) => threads.map((t) => spec.init?.[t]?.[v] ?? 0));
    const own = this.m.var(`${ident(name)}.own`, range(0, cap), init, [spec.object, this.m.threadSort], `${name} handles held per object and client`);
    const h: OwnedType = { kind: 'owned', name, object: spec.object, send: spec.send ?? false, cap, clone: spec.clone, drop: spec.drop, own };
    this.handles.push(h);
    for (const v of values(spec.object)) this.lenderNames.push(`${name}(${v})`);
    return h;
  }

  /** A borrow `&T` of an object. Example: `a.borrow('&Task', { object: Task })`. */
  borrow(name: string, spec: { object: Sort }): BorrowType {
    // The lender sort is fixed once the first borrow is declared: declare owned and context types first.
    this.lenderSort ??= enumeration('Lender', this.lenderNames);
    const target = this.m.var(`${ident(name)}.target`, option(spec.object), 'none', [this.m.threadSort], `what the client's ${name} points at`);
    const lender = this.m.var(`${ident(name)}.lender`, this.lenderSort, 'none', [this.m.threadSort], `the handle the client's ${name} is borrowed from`);
    const h: BorrowType = { kind: 'borrow', name, object: spec.object, target, lender };
    this.handles.push(h);
    return h;
  }

  /** A context handle (`CurrentTask`), one per object. Example: `a.context('CurrentTask', { object: Task, init: { t: 't' } })`. */
  context(name: string, spec: ContextSpec): ContextType {
    if (this.lenderSort) throw new ModelError(`api: declare context handle ${name} before any borrow`);
    const init = values(spec.object).map((v) => spec.init[v] ?? 'none');
    const holder = this.m.var(`${ident(name)}.holder`, option(this.m.threadSort), init, [spec.object], `the client holding each object's ${name}`);
    const h: ContextType = { kind: 'context', name, object: spec.object, send: spec.send ?? false, holder };
    this.handles.push(h);
    for (const v of values(spec.object)) this.lenderNames.push(`${name}(${v})`);
    return h;
  }

  /** A method call on a receiver the client holds. Example: `a.method('Task::pid', { on: TaskRef, effect: (c) => obj_use(task[c.obj]) })`. */
  method(name: string, spec: MethodSpec): void {
    this.methods.push({ name, spec });
  }

  /** The client left its scope and holds no owned handle (what the environment waits for before it exits). */
  finished(client: Expr): Expr {
    const owned = this.handles.filter((h): h is OwnedType => h.kind === 'owned');
    return and(this.done.at(client), ...owned.flatMap((h) => values(h.object).map((v) => eq(h.own.at(v, client), 0))));
  }

  /** Emit the most general client's actions and its final condition. Call once, after every declaration. */
  generate(): void {
    const m = this.m;
    const T = m.threadSort;
    const self: Expr = { op: 'param', sort: T, name: 'self' };
    const to: Expr = { op: 'param', sort: T, name: 'to' };
    const clientParam = [{ name: 'self', sort: T, values: this.clientIds }];
    const sendParams = [...clientParam, { name: 'to', sort: T, values: this.clientIds }];
    const running = (c: Expr) => not(this.done.at(c));
    const call = (c: Expr): StmtLike[] => [guard(and(running(c), lt(this.calls.at(c), this.opts.budget))), set(this.calls.at(c), add(this.calls.at(c), 1))];
    const borrows = this.handles.filter((h): h is BorrowType => h.kind === 'borrow');
    const lent = (c: Expr, lenderName: string): Expr => or(...borrows.map((b) => eq(b.lender.at(c), lenderName)));
    const ctxOf = (obj: string, sort: Sort): CallCtx => ({ self, obj, objExpr: lit(sort, obj) });
    const act = (name: string, body: StmtLike[], params = clientParam) => m.action(name, { params, thread: 'self', body });

    for (const h of this.handles) {
      if (h.kind === 'owned') {
        for (const v of values(h.object)) {
          const own = h.own.at(v, self);
          const free = gt(own, ite(lent(self, `${h.name}(${v})`), 1, 0));
          const c = ctxOf(v, h.object);
          if (h.clone) act(`${h.name}::clone(${v})`, [...call(self), guard(and(ge(own, 1), lt(own, h.cap))), ...h.clone(c), set(own, add(own, 1))]);
          if (h.drop !== 'forbidden') {
            act(`drop(${h.name}(${v}))`, [...call(self), guard(free), ...h.drop(c), set(own, sub(own, 1))]);
            // Scope end drops what is left, in any order, without a budget.
            act(`scope_end drop(${h.name}(${v}))`, [guard(and(this.done.at(self), ge(own, 1))), ...h.drop(c), set(own, sub(own, 1))]);
          }
          act(`mem::forget(${h.name}(${v}))`, [...call(self), guard(free), set(own, sub(own, 1)), set(this.forgot, true)]);
          if (h.send) {
            const dest = h.own.at(v, to);
            act(`send(${h.name}(${v}))`, [...call(self), guard(and(free, ne(to, self), running(to), lt(dest, h.cap))), set(own, sub(own, 1)), set(dest, add(dest, 1))], sendParams);
          }
        }
      } else if (h.kind === 'borrow') {
        // NLL: a borrow may end at any step (not a call).
        act(`end(${h.name})`, [guard(and(running(self), ne(h.target.at(self), 'none'))), set(h.target.at(self), 'none'), set(h.lender.at(self), 'none')]);
      } else if (h.send) {
        for (const v of values(h.object)) {
          act(`send(${h.name}(${v}))`, [...call(self), guard(and(eq(h.holder.at(v), self), not(lent(self, `${h.name}(${v})`)), ne(to, self), running(to))), set(h.holder.at(v), to)], sendParams);
        }
      }
    }

    for (const { name, spec } of this.methods) {
      const r = spec.on;
      for (const v of values(r.object)) {
        const c = ctxOf(v, r.object);
        const holds = r.kind === 'owned' ? ge(r.own.at(v, self), 1) : r.kind === 'borrow' ? eq(r.target.at(self), v) : eq(r.holder.at(v), self);
        const lenderName = r.kind === 'borrow' ? undefined : `${r.name}(${v})`;
        const ret: StmtLike[] = [];
        const ret0 = spec.returns;
        if (ret0 && 'borrow' in ret0) {
          const b = ret0.borrow;
          ret.push(guard(eq(b.target.at(self), 'none')), set(b.target.at(self), ret0.target(c)),
            set(b.lender.at(self), lenderName ?? (r as BorrowType).lender.at(self)));
        } else if (ret0) {
          const dest = ret0.owned.own.at(ret0.object(c), self);
          ret.push(guard(lt(dest, ret0.owned.cap)), set(dest, add(dest, 1)));
        }
        const shown = r.kind === 'borrow' ? `&${v}` : `&${r.name}(${v})`;
        act(`${name}(${shown})`, [...call(self), guard(holds), ...(spec.effect ? spec.effect(c) : []), ...ret]);
      }
    }

    // Scope end: the client stops calling; its borrows end; owned handles are dropped by the scope-end drops.
    act('scope_end', [guard(running(self)), set(this.done.at(self), true),
      ...borrows.flatMap((b) => [set(b.target.at(self), 'none'), set(b.lender.at(self), 'none')])]);

    // Final: every client left its scope and owns nothing.
    m.final(and(...this.clientIds.map((i) => this.finished(lit(T, String(showValue(T, i)))))));
  }
}

/** A variable name for a Rust type name: `ARef<Task>` → `ARef_Task`, `&Task` → `ref_Task`. */
function ident(name: string): string {
  return name.replace(/^&/, 'ref_').replace(/[^A-Za-z0-9_.]+/g, '_').replace(/_+$/, '');
}

function values(s: Sort): string[] {
  return sortValues(s).map((v) => String(showValue(s, v)));
}

/** Start declaring an API over a model builder whose threads include the clients. */
export function api(m: ModelBuilder, opts: ApiOptions): Api {
  return new Api(m, opts);
}
