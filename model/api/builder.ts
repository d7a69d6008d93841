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
 * - **resource** (a `Node`, a lock guard): owned with identity, one holder per identity; made by
 *   a method (`returns: { resource }`), which may tie it to its receiver for its whole life (a
 *   borrowed `Node<'a>`); drop (or forbidden), `mem::forget`, `send(to)` when `Send`;
 * - **borrow** (`&T` to an object): records its lender (an owned handle, a resource or a context
 *   handle); a lender cannot be dropped, forgotten or sent while lent; a borrow may end at any
 *   step, and ends at scope end;
 * - **context** (`CurrentTask`): one per object, held by a client; `send(to)` only when `Send`.
 *
 * Every generated action is named as the call reads (`Task::group_leader(&ARef<Task>(t))`,
 * `drop(Node(N1))`), takes the client as `self` and counts against the client's budget
 * (scope-end drops and borrow ends are free). Type preconditions are guards: an ill-typed call
 * is not a client. Kernel preconditions stay `requires` inside the effects the API declares.
 * A `blocking` call is two steps — the call, then its return once the kernel lets it proceed —
 * so a client can commit to a call that never returns (a deadlock). With a context discipline
 * (`atomic`), a `mightSleep` call or destructor is refused in atomic context instead of being a
 * violation.
 *
 * @example
 * const a = api(m, { clients: ['C1', 'C2'], budget: 3 });
 * const ARefTask = a.owned('ARef<Task>', { object: Task, send: true, clone: (c) => get(c.obj), drop: (c) => put(c.obj) });
 * const TaskRef = a.borrow('&Task', { object: Task });
 * a.method('Task::group_leader', { on: ARefTask, returns: { borrow: TaskRef, target: (c) => groupLeader.at(c.obj) } });
 * a.generate();
 */
import type { Expr, Model, Sort } from '../lang/ir.ts';
import { sortValues, showValue, sortName } from '../lang/ir.ts';
import { range, bool, option, enumeration, type ModelBuilder, type Var } from '../lang/builder.ts';
import { ModelError, add, sub, and, or, not, eq, ne, lt, ge, gt, ite, lit, type ExprLike } from '../lang/expr.ts';
import { guard, set, tag, type StmtLike } from '../lang/stmt.ts';

/** The tag of every generated `mem::forget` action: what a witness reaches only through it is a "through forget" finding. */
export const FORGET_TAG = 'mem::forget';

/** What an operation's effect sees: the calling client, the receiver's object, and any argument or result. */
export interface CallCtx {
  /** The calling client (the action's `self`). */
  self: Expr;
  /** The receiver's object or identity, as the sort's value name (`'t'`, `'N1'`). */
  obj: string;
  /** The same as an expression. */
  objExpr: Expr;
  /** The argument handle's object or identity, for a method with `arg`. */
  arg?: string;
  /** The identity a method returning a resource made. */
  result?: string;
}

type Effect = (c: CallCtx) => StmtLike[];

interface Flags {
  /** The call may sleep: refused in atomic context under the API's context discipline. */
  mightSleep?: boolean;
}

export interface OwnedType { kind: 'owned'; name: string; object: Sort; send: boolean; cap: number; clone?: Effect; drop: Effect | 'forbidden'; dropSleeps: boolean; own: Var }
export interface ResourceType { kind: 'resource'; name: string; object: Sort; send: boolean; drop: Effect | 'forbidden'; dropSleeps: boolean; holder: Var; lender?: Var }
export interface BorrowType { kind: 'borrow'; name: string; object: Sort; target?: Var; lender?: Var }
export interface ContextType { kind: 'context'; name: string; object: Sort; send: boolean; holder: Var }
export type HandleType = OwnedType | ResourceType | BorrowType | ContextType;

export interface OwnedSpec {
  object: Sort;
  /** `Send`: a `send(to)` to a still-running client (default false: `!Send`). */
  send?: boolean;
  /** Most handles of one object one client may hold (default 2). */
  cap?: number;
  clone?: Effect;
  /** The destructor's kernel effect, or `'forbidden'` (no Drop). */
  drop: Effect | 'forbidden';
  /** The destructor may sleep. */
  dropSleeps?: boolean;
  /** Handles each client starts with: client name → object value → count. */
  init?: Record<string, Record<string, number>>;
}

export interface ResourceSpec {
  /** The identities (a small sort: `N1`, `N2`). */
  object: Sort;
  send?: boolean;
  drop: Effect | 'forbidden';
  dropSleeps?: boolean;
  /** Who holds each identity at the start (identity → client name). */
  init?: Record<string, string>;
}

export interface ContextSpec {
  object: Sort;
  send?: boolean;
  /** Which client holds each object's context handle at the start (object value → client name). */
  init: Record<string, string>;
}

export type Returns =
  | { owned: OwnedType; object: (c: CallCtx) => string }
  | { borrow: BorrowType; target: (c: CallCtx) => ExprLike }
  /** A new resource: any identity whose holder is none and for which `available` holds; `borrows`: it keeps the receiver borrowed for its life. */
  | { resource: ResourceType; available?: (c: CallCtx) => ExprLike; borrows?: boolean };

export interface MethodSpec extends Flags {
  /** The receiver: a handle type the client must hold (the type precondition); absent for a constructor. */
  on?: HandleType;
  /** A second handle the client passes (held by it); `consumes`: the call takes it by value. */
  arg?: { type: HandleType; consumes?: boolean };
  /** Kernel preconditions and effects of the call. */
  effect?: Effect;
  returns?: Returns;
  /**
   * The call blocks until this holds. When it holds at the call, the call is one step (`f(..)`);
   * a client may also commit to the call (`f(..) waits`) and return later (`f(..) returns`), so a
   * call that never returns is a deadlock. `effect` runs when the call completes.
   */
  blocksUntil?: (c: CallCtx) => ExprLike;
  /** Effects at the call itself (before any blocking): lockdep's acquire annotation, say. */
  onCall?: Effect;
}

/**
 * A generated type rule a test may remove, to show the rule is not vacuous: the borrow's lender
 * check, `!Send` (every handle becomes sendable), the blocking split (a blocking call becomes one
 * guarded step), the scope-end drops.
 */
export type ApiRule = 'lender-check' | 'not-send' | 'blocking-split' | 'scope-end-drop';

export interface ApiOptions {
  /** The client threads (already declared with `m.threads`). */
  clients: string[];
  /** Calls per client. */
  budget: number;
  /** Context discipline (klint-like): the client is in atomic context; `mightSleep` calls and sleeping destructors are refused there. */
  atomic?: (self: Expr) => ExprLike;
  /** Rules to leave out (the mutation test only). */
  without?: ApiRule[];
  /**
   * Clients that are interchangeable (same handles, same calls): the model declares them
   * symmetric (`m.symmetric`) so the search stores one state per orbit. `tie` names the members
   * a value of a handle's object sort belongs to (a guard identity per client, say); the
   * generated sorts (lenders, pending calls) are tied from it.
   */
  symmetric?: string[];
  tie?: Array<[Sort, (value: string) => string[]]>;
}

/** The API layer over a model builder. */
export class Api {
  private handles: HandleType[] = [];
  private methods: { name: string; spec: MethodSpec }[] = [];
  private owners: string[] = [];
  readonly calls: Var;
  readonly done: Var;
  /** Set once any client called `mem::forget`: what is reachable after it is reachable "through forget". */
  readonly forgot: Var;
  private clientIds: number[];
  private generated = false;

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

  private checkInit(name: string, clients: string[]): void {
    for (const c of clients) if (!this.opts.clients.includes(c)) throw new ModelError(`api: ${name} init names ${c}, not a client`);
  }

  /** A fungible owned handle type. Example: `a.owned('ARef<Task>', { object: Task, send: true, clone, drop })`. */
  owned(name: string, spec: OwnedSpec): OwnedType {
    const cap = spec.cap ?? 2;
    const threads = values(this.m.threadSort);
    this.checkInit(name, Object.keys(spec.init ?? {}));
    const init = values(spec.object).flatMap((v) => threads.map((t) => spec.init?.[t]?.[v] ?? 0));
    const own = this.m.var(`${ident(name)}.own`, range(0, cap), init, [spec.object, this.m.threadSort], `${name} handles held per object and client`);
    const h: OwnedType = { kind: 'owned', name, object: spec.object, send: spec.send ?? false, cap, clone: spec.clone, drop: spec.drop, dropSleeps: spec.dropSleeps ?? false, own };
    return this.add(h);
  }

  /** An owned handle with identity (a `Node`, a guard). Example: `a.resource('Node', { object: NodeId, send: true, drop: (c) => remove(c.obj) })`. */
  resource(name: string, spec: ResourceSpec): ResourceType {
    // The threads, then none and forgotten: comparable with the thread sort (its option, plus one).
    const holderSort: Sort = { kind: 'enum', name: `${ident(name)}Holder`, values: [...values(this.m.threadSort), 'none', 'forgotten'], base: sortName(this.m.threadSort) };
    this.checkInit(name, Object.values(spec.init ?? {}));
    const init = values(spec.object).map((v) => spec.init?.[v] ?? 'none');
    const holder = this.m.var(`${ident(name)}.holder`, holderSort, init, [spec.object], `who holds each ${name} (forgotten: mem::forget)`);
    return this.add({ kind: 'resource', name, object: spec.object, send: spec.send ?? false, drop: spec.drop, dropSleeps: spec.dropSleeps ?? false, holder });
  }

  /** A borrow `&T` of an object. Example: `a.borrow('&Task', { object: Task })`. */
  borrow(name: string, spec: { object: Sort }): BorrowType {
    return this.add({ kind: 'borrow', name, object: spec.object });
  }

  /** A context handle (`CurrentTask`), one per object. Example: `a.context('CurrentTask', { object: Task, init: { t: 't' } })`. */
  context(name: string, spec: ContextSpec): ContextType {
    this.checkInit(name, Object.values(spec.init));
    const init = values(spec.object).map((v) => spec.init[v] ?? 'none');
    const holder = this.m.var(`${ident(name)}.holder`, option(this.m.threadSort), init, [spec.object], `the client holding each object's ${name}`);
    return this.add({ kind: 'context', name, object: spec.object, send: spec.send ?? false, holder });
  }

  /** A call with no receiver: a constructor or a free function (`Allocator::new()`, `LOCK.lock()`). Example: `a.function('Allocator::new', { returns: { resource: Alloc } })`. */
  function(name: string, spec: Omit<MethodSpec, 'on'>): void {
    this.method(name, spec);
  }

  /** A method call on a receiver the client holds. Example: `a.method('Task::pid', { on: TaskRef, effect: (c) => obj_use(task[c.obj]) })`. */
  method(name: string, spec: MethodSpec): void {
    if (this.generated) throw new ModelError(`api: method ${name} declared after generate()`);
    this.methods.push({ name, spec });
  }

  private add<H extends HandleType>(h: H): H {
    if (this.generated) throw new ModelError(`api: ${h.name} declared after generate()`);
    if (this.handles.some((x) => x.name === h.name)) throw new ModelError(`api: two handle types are named ${h.name}`);
    this.handles.push(h);
    if (h.kind !== 'borrow') for (const v of values(h.object)) this.owners.push(`${h.name}(${v})`);
    return h;
  }

  /** Whether `client` holds a handle of this type for `obj` (the type precondition of a receiver). */
  holds(h: HandleType, obj: string, client: Expr): Expr {
    switch (h.kind) {
      case 'owned': return ge(h.own.at(obj, client), 1);
      case 'resource': return eq(h.holder.at(obj), client);
      case 'context': return eq(h.holder.at(obj), client);
      case 'borrow': return eq(this.need(h.target).at(client), obj);
    }
  }

  /** The client left its scope and holds no owned handle or resource (what the environment waits for before it exits). */
  finished(client: Expr): Expr {
    return and(this.done.at(client), ...this.holdsNone(client, () => true));
  }

  /** The client holds no owned handle and no resource of the types `which` picks. */
  private holdsNone(client: Expr, which: (h: OwnedType | ResourceType) => boolean): Expr[] {
    return this.handles.flatMap((h) => ((h.kind === 'owned' || h.kind === 'resource') && which(h)
      ? values(h.object).map((v) => not(this.holds(h, v, client))) : []));
  }

  private need(v: Var | undefined): Var {
    if (!v) throw new ModelError('api: borrows are laid out by generate(); read them after it');
    return v;
  }

  /** `m.symmetric` over the interchangeable clients, with the generated sorts tied to them. */
  private declareSymmetry(lenderSort: Sort, pendingSort: Sort | undefined): void {
    const members = this.opts.symmetric!;
    for (const c of members) if (!this.opts.clients.includes(c)) throw new ModelError(`api: symmetric client ${c} is not a client`);
    const ties = new Map((this.opts.tie ?? []).map(([s, f]) => [sortName(s), f] as const));
    const of = (sort: Sort, v: string) => membersOf(ties, members, sort, v);
    const lender = new Map<string, string[]>();
    for (const h of this.handles) if (h.kind !== 'borrow') for (const v of values(h.object)) lender.set(`${h.name}(${v})`, of(h.object, v));
    const pendingOf = new Map<string, string[]>();
    for (const { name, spec } of this.methods) {
      for (const i of instances(spec)) {
        pendingOf.set(callName(name, spec, i, false), [...(spec.on ? of(spec.on.object, i.obj) : []), ...(spec.arg ? of(spec.arg.type.object, i.arg!) : [])]);
      }
    }
    // An object sort whose values are client names (one `&MmWithUser` per client) is tied by name.
    const byName = new Map<string, Sort>();
    for (const h of this.handles) {
      const n = sortName(h.object);
      if (!ties.has(n) && h.object !== this.m.threadSort && values(h.object).some((v) => members.includes(v))) byName.set(n, h.object);
    }
    const named = [...byName.values()].map((s) => [s, (v: string) => of(s, v)] as [Sort, (v: string) => string[]]);
    this.m.symmetric(members, { tie: [...(this.opts.tie ?? []), ...named, [lenderSort, (v) => lender.get(v) ?? []], ...(pendingSort ? [[pendingSort, (v: string) => pendingOf.get(v) ?? []] as [Sort, (v: string) => string[]]] : [])] });
  }

  /** Emit the most general client's actions and its final condition. Call once, after every declaration. */
  generate(): void {
    if (this.generated) throw new ModelError('api: generate() called twice');
    this.generated = true;
    const m = this.m;
    const T = m.threadSort;
    const lenderSort = enumeration('Lender', ['none', ...this.owners]);
    const borrows = this.handles.filter((h): h is BorrowType => h.kind === 'borrow');
    for (const b of borrows) {
      b.target = m.var(`${ident(b.name)}.target`, option(b.object), 'none', [T], `what the client's ${b.name} points at`);
      b.lender = m.var(`${ident(b.name)}.lender`, lenderSort, 'none', [T], `the handle the client's ${b.name} is borrowed from`);
    }
    const lendingResources = new Set(this.methods.flatMap(({ spec: s }) => (s.returns && 'resource' in s.returns && s.returns.borrows ? [s.returns.resource] : [])));
    for (const r of lendingResources) r.lender = m.var(`${ident(r.name)}.lender`, lenderSort, 'none', [r.object], `what each ${r.name} keeps borrowed for its life`);

    const off = (r: ApiRule) => (this.opts.without ?? []).includes(r);
    const blocking = this.methods.filter(({ spec }) => spec.blocksUntil && !off('blocking-split'));
    // A pending call is named without its result: the identity it returns is picked when it returns.
    const pendingNames = ['none', ...new Set(blocking.flatMap(({ name, spec }) => instances(spec).map((i) => callName(name, spec, i, false))))];
    const pendingSort = enumeration('PendingCall', pendingNames);
    const pending = blocking.length ? m.var('api.pending', pendingSort, 'none', [T], 'the blocking call each client is in') : undefined;
    if (this.opts.symmetric) this.declareSymmetry(lenderSort, blocking.length ? pendingSort : undefined);

    const self: Expr = { op: 'param', sort: T, name: 'self' };
    const to: Expr = { op: 'param', sort: T, name: 'to' };
    const clientParam = [{ name: 'self', sort: T, values: this.clientIds }];
    const sendParams = [...clientParam, { name: 'to', sort: T, values: this.clientIds }];
    const running = (c: Expr) => and(not(this.done.at(c)), ...(pending ? [eq(pending.at(c), 'none')] : []));
    const mayRun = (c: Expr) => not(this.done.at(c));
    const call = (c: Expr): StmtLike[] => [guard(and(running(c), lt(this.calls.at(c), this.opts.budget))), set(this.calls.at(c), add(this.calls.at(c), 1))];
    const notAtomic = (sleeps: boolean | undefined): StmtLike[] => (sleeps && this.opts.atomic ? [guard(not(this.opts.atomic(self)))] : []);
    // Whether the client's handle `owner` is lent: to one of its borrows, or to a resource for its life.
    const lent = (c: Expr, owner: string): Expr => (off('lender-check') ? lit(bool, false) : or(
      ...borrows.map((b) => eq(b.lender!.at(c), owner)),
      ...[...lendingResources].flatMap((r) => values(r.object).map((w) => eq(r.lender!.at(w), owner))),
    ));
    const sendable = (h: { send: boolean }) => h.send || off('not-send');
    const ctx = (obj: string, sort: Sort, extra: Partial<CallCtx> = {}): CallCtx => ({ self, obj, objExpr: lit(sort, obj), ...extra });
    const act = (name: string, body: StmtLike[], params = clientParam) => m.action(name, { params, thread: 'self', body });
    // A handle whose Drop is forbidden must be disposed of before scope end (else the client does
    // not compile); forgetting it is always possible, so that one call needs no budget.
    const forgetCall = (h: OwnedType | ResourceType): StmtLike[] => (h.drop === 'forbidden' ? [guard(running(self))] : call(self));
    const clearLender = (r: ResourceType, v: string): StmtLike[] => (r.lender ? [set(r.lender.at(v), 'none')] : []);
    // An explicit drop (a call) and, unless that rule is off, the same drop at scope end (free of budget).
    const drops = (h: OwnedType | ResourceType, v: string, free: Expr, release: StmtLike[]) => {
      if (h.drop === 'forbidden') return;
      const body = [...notAtomic(h.dropSleeps), ...h.drop(ctx(v, h.object)), ...release];
      act(`drop(${h.name}(${v}))`, [...call(self), guard(free), ...body]);
      if (!off('scope-end-drop')) act(`scope_end drop(${h.name}(${v}))`, [guard(and(this.done.at(self), free)), ...body]);
    };
    // mem::forget ends the value (and any borrow it held) without running its destructor.
    const forget = (h: OwnedType | ResourceType, v: string, free: Expr, release: StmtLike[]) =>
      act(`mem::forget(${h.name}(${v}))`, [...forgetCall(h), guard(free), ...release, set(this.forgot, true), tag(FORGET_TAG)]);

    for (const h of this.handles) {
      if (h.kind === 'owned') {
        for (const v of values(h.object)) {
          const own = h.own.at(v, self);
          const free = gt(own, ite(lent(self, `${h.name}(${v})`), 1, 0));
          const c = ctx(v, h.object);
          if (h.clone) act(`${h.name}::clone(${v})`, [...call(self), guard(and(ge(own, 1), lt(own, h.cap))), ...h.clone(c), set(own, add(own, 1))]);
          drops(h, v, free, [set(own, sub(own, 1))]);
          forget(h, v, free, [set(own, sub(own, 1))]);
          if (sendable(h)) {
            const dest = h.own.at(v, to);
            act(`send(${h.name}(${v}))`, [...call(self), guard(and(free, ne(to, self), mayRun(to), lt(dest, h.cap))), set(own, sub(own, 1)), set(dest, add(dest, 1))], sendParams);
          }
        }
      } else if (h.kind === 'resource') {
        for (const v of values(h.object)) {
          const mine = eq(h.holder.at(v), self);
          const free = and(mine, not(lent(self, `${h.name}(${v})`)));
          drops(h, v, free, [set(h.holder.at(v), 'none'), ...clearLender(h, v)]);
          forget(h, v, free, [set(h.holder.at(v), 'forgotten'), ...clearLender(h, v)]);
          if (sendable(h)) act(`send(${h.name}(${v}))`, [...call(self), guard(and(free, ne(to, self), mayRun(to))), set(h.holder.at(v), to)], sendParams);
        }
      } else if (h.kind === 'borrow') {
        // NLL: a borrow may end at any step (not a call).
        act(`end(${h.name})`, [guard(and(mayRun(self), ne(h.target!.at(self), 'none'))), set(h.target!.at(self), 'none'), set(h.lender!.at(self), 'none')]);
      } else if (sendable(h)) {
        for (const v of values(h.object)) {
          act(`send(${h.name}(${v}))`, [...call(self), guard(and(eq(h.holder.at(v), self), not(lent(self, `${h.name}(${v})`)), ne(to, self), mayRun(to))), set(h.holder.at(v), to)], sendParams);
        }
      }
    }

    const calls = new Set<string>();
    for (const { name, spec } of this.methods) {
      for (const i of instances(spec)) {
        const r = spec.on;
        const c: CallCtx = { ...(r ? ctx(i.obj, r.object) : { self, obj: '', objExpr: lit(bool, false) }), ...(i.arg !== undefined ? { arg: i.arg } : {}), ...(i.result !== undefined ? { result: i.result } : {}) };
        const lenderName = !r ? 'none' : r.kind === 'borrow' ? r.lender!.at(self) : `${r.name}(${i.obj})`;
        const pre: StmtLike[] = r ? [guard(this.holds(r, i.obj, self))] : [];
        const post: StmtLike[] = [];
        if (spec.arg) {
          const a = spec.arg.type;
          pre.push(guard(this.holds(a, i.arg!, self)));
          if (spec.arg.consumes) {
            if (a.kind === 'owned') post.push(set(a.own.at(i.arg!, self), sub(a.own.at(i.arg!, self), 1)));
            else if (a.kind === 'resource') post.push(set(a.holder.at(i.arg!), 'none'), ...clearLender(a, i.arg!));
            else throw new ModelError(`api: ${name} cannot consume a ${a.kind}`);
            pre.push(guard(not(lent(self, `${a.name}(${i.arg})`))));
          }
        }
        // What the result needs (a free slot, a free identity): checked when the call returns.
        const retPre: StmtLike[] = [];
        const ret = spec.returns;
        if (ret && 'borrow' in ret) {
          const b = ret.borrow;
          retPre.push(guard(eq(b.target!.at(self), 'none')));
          post.push(set(b.target!.at(self), ret.target(c)), set(b.lender!.at(self), lenderName));
        } else if (ret && 'owned' in ret) {
          const dest = ret.owned.own.at(ret.object(c), self);
          retPre.push(guard(lt(dest, ret.owned.cap)));
          post.push(set(dest, add(dest, 1)));
        } else if (ret && 'resource' in ret) {
          const res = ret.resource;
          retPre.push(guard(and(eq(res.holder.at(i.result!), 'none'), ret.available ? ret.available(c) : true)));
          post.push(set(res.holder.at(i.result!), self), ...(ret.borrows ? [set(res.lender!.at(i.result!), lenderName)] : []));
        }
        const label = callName(name, spec, i);
        const body = [...(spec.effect ? spec.effect(c) : []), ...post];
        const onCall = spec.onCall ? spec.onCall(c) : [];
        // The call as one step; for a blocking call, taken when it can proceed at once (the
        // kernel's uncontended fast path). The blocking-split mutation keeps only this step,
        // which hides deadlocks.
        const proceeds = spec.blocksUntil ? [guard(spec.blocksUntil(c))] : [];
        act(label, [...call(self), ...pre, ...retPre, ...notAtomic(spec.mightSleep), ...proceeds, ...onCall, ...body]);
        if (spec.blocksUntil && pending) {
          // Or the client commits to the call (type checks and `onCall` happen here, once per
          // call without its result) and it returns, with any free result, once the kernel lets
          // it. Both paths reach the same states; the first keeps traces as short as a call.
          const key = callName(name, spec, i, false);
          if (!calls.has(key)) {
            calls.add(key);
            act(`${key} waits`, [...call(self), ...pre, ...notAtomic(spec.mightSleep), ...onCall, set(pending.at(self), key)]);
          }
          act(i.result !== undefined ? `${key} returns -> ${label.slice(key.length + 4)}` : `${key} returns`,
            [guard(eq(pending.at(self), key)), guard(spec.blocksUntil(c)), ...retPre, set(pending.at(self), 'none'), ...body]);
        }
      }
    }

    // Scope end: the client stops calling; its borrows end; owned handles go by the scope-end drops.
    // A handle whose Drop is forbidden must be gone (freed or forgotten) before scope end.
    const undroppable = this.holdsNone(self, (h) => h.drop === 'forbidden');
    act('scope_end', [guard(and(running(self), ...undroppable)), set(this.done.at(self), true),
      ...borrows.flatMap((b) => [set(b.target!.at(self), 'none'), set(b.lender!.at(self), 'none')])]);
    // Final: every client left its scope and owns nothing.
    m.final(and(...this.clientIds.map((i) => this.finished(lit(T, String(showValue(T, i)))))));
  }
}

interface Instance { obj: string; arg?: string; result?: string }

/** The members (client names) a value of an object sort names, by the API's `tie`s and the thread sort. */
function membersOf(ties: Map<string, (v: string) => string[]>, members: string[], sort: Sort, v: string): string[] {
  const f = ties.get(sortName(sort));
  if (f) return f(v);
  return members.includes(v) ? [v] : [];
}

/** One generated action per receiver object, argument and result identity (names stay readable). */
function instances(spec: MethodSpec): Instance[] {
  let out: Instance[] = spec.on ? values(spec.on.object).map((obj) => ({ obj })) : [{ obj: '' }];
  if (spec.arg) out = out.flatMap((i) => values(spec.arg!.type.object).map((arg) => ({ ...i, arg })));
  const ret = spec.returns;
  if (ret && 'resource' in ret) out = out.flatMap((i) => values(ret.resource.object).map((result) => ({ ...i, result })));
  return out;
}

function callName(name: string, spec: MethodSpec, i: Instance, withResult = true): string {
  const show = (h: HandleType, v: string) => (h.kind === 'borrow' ? `&${v}` : `&${h.name}(${v})`);
  const args = [...(spec.on ? [show(spec.on, i.obj)] : []), ...(spec.arg ? [spec.arg.consumes ? `${spec.arg.type.name}(${i.arg})` : show(spec.arg.type, i.arg!)] : [])];
  return `${name}(${args.join(', ')})${withResult && i.result !== undefined ? ` -> ${spec.returns && 'resource' in spec.returns ? spec.returns.resource.name : ''}(${i.result})` : ''}`;
}

/** A variable name for a Rust type name: `ARef<Task>` → `ARef_Task`, `&Task` → `ref_Task`. */
function ident(name: string): string {
  return name.replace(/^&/, 'ref_').replace(/[^A-Za-z0-9_.]+/g, '_').replace(/_+$/, '');
}

function values(s: Sort): string[] {
  return sortValues(s).map((v) => String(showValue(s, v)));
}

/** The model with every generated `mem::forget` call removed: a client that never leaks by hand. */
export function withoutForget(m: Model): Model {
  return { ...m, actions: m.actions.filter((a) => !a.tags.includes(FORGET_TAG)) };
}

/** Start declaring an API over a model builder whose threads include the clients. */
export function api(m: ModelBuilder, opts: ApiOptions): Api {
  return new Api(m, opts);
}
