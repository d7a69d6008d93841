/**
 * The model builder: declare sorts, state variables, threads and their programs, actions and
 * properties; `build()` returns the IR `Model`.
 *
 * @example
 * const m = model('counter');
 * const x = m.var('x', range(0, 2), 0);
 * m.action('inc', { body: [guard(lt(x, 2)), set(x, add(x, 1))] });
 * m.final(eq(x, 2));
 * export default m.build();
 */
import type { Action, Expr, Model, Param, Property, PropertyClass, Sort, SourceLoc, Symmetry, VarDecl } from './ir.ts';
import { checkSymmetry } from './symmetry.ts';
import type { PropertyDecl } from '../../properties/catalogue/entry.ts';
import { KERNEL } from '../../properties/catalogue/index.ts';
import { isPropertyClass, CLASSES } from '../../properties/classes.ts';
import { IR_VERSION, BOOL, cardinality, inSort, sortName, showValue, compatibleSorts } from './ir.ts';
import { Ref, ModelError, ex, and, eq, or, ite, type ExprLike } from './expr.ts';
import { compileStep, flat, type StmtLike } from './stmt.ts';
import { compileProgram, DONE, goto, type ProgStmt, type Alternative } from './process.ts';
import { callerLocation, formatLoc } from './source.ts';
import { noDeref } from './pointer.ts';
import { irParams, checkParams } from './param.ts';

/** `lo..hi` integers. */
export function range(lo: number, hi: number): Sort {
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) throw new ModelError(`bad range ${lo}..${hi}`);
  return { kind: 'range', lo, hi };
}
/** A named enumeration. Example: `enumeration('VmaState', ['attached', 'detached', 'freed'])`. */
export function enumeration(name: string, values: string[]): Sort {
  if (values.length === 0) throw new ModelError(`enumeration ${name} has no values`);
  if (new Set(values).size !== values.length) throw new ModelError(`enumeration ${name} repeats a value`);
  return { kind: 'enum', name, values };
}
/** `n` interchangeable ids printed `prefix1..prefixN`. Example: `scalarset('Page', 2, 'P')`. */
export function scalarset(name: string, size: number, prefix = name): Sort {
  if (!Number.isInteger(size) || size < 1) throw new ModelError(`scalarset ${name} needs a size of at least 1`);
  return { kind: 'scalarset', name, size, prefix };
}
/** The sort's values plus one more (`none`), comparable with the sort: an owner, a nullable pointer. */
export function option(base: Sort, none = 'none'): Sort {
  if (base.kind !== 'enum' && base.kind !== 'scalarset') throw new ModelError('option() needs an enumeration or scalarset');
  const values = Array.from({ length: cardinality(base) }, (_, i) => String(showValue(base, i)));
  return { kind: 'enum', name: `${base.name}?`, values: [...values, none], base: base.name };
}
export const bool: Sort = BOOL;

/** A declared state variable: read it as an expression, or `.at(i, …)` for one array cell. */
export class Var extends Ref {
  constructor(readonly decl: VarDecl) {
    super(decl.name, decl.sort, []);
  }
  /** The cell at the given indices (one per index sort). */
  at(...idx: ExprLike[]): Ref {
    if (idx.length !== this.decl.index.length) {
      throw new ModelError(`${this.name} takes ${this.decl.index.length} indices, got ${idx.length}`);
    }
    return new Ref(this.name, this.sort, idx.map((x, i) => {
      const e = ex(x, this.decl.index[i]);
      if (!compatibleSorts(this.decl.index[i], e.sort)) {
        throw new ModelError(`${this.name}: index ${i + 1} must be ${sortName(this.decl.index[i])}, got ${sortName(e.sort)}`);
      }
      return e;
    }), this.decl.index);
  }
  override get e(): Expr {
    if (this.decl.index.length) throw new ModelError(`${this.name} is an array: use ${this.name}.at(...)`);
    return super.e;
  }
}

/**
 * True iff the directed graph held in a bool array `g[a][b]` (one finite sort, squared) has a
 * cycle; a self-loop `g[a][a]` counts. Example: `m.invariant('lockdep.cycle', 'lock-order cycle', not(cyclic(order)))`.
 */
export function cyclic(g: Var): Expr {
  const d = g.decl;
  const [a, b] = d.index;
  if (d.sort.kind !== 'bool' || d.index.length !== 2 || sortName(a) !== sortName(b) || cardinality(a) !== cardinality(b)) {
    throw new ModelError(`cyclic(${d.name}) needs a bool array indexed by one finite sort twice`);
  }
  return { op: 'cyclic', sort: BOOL, name: d.name };
}

/** The model's threads: a sort whose values name them. */
export interface Threads {
  sort: Sort;
  names: string[];
  /** The literal naming one thread. */
  lit(name: string): Expr;
  id(name: string): number;
}

export interface ActionSpec {
  params?: Param[];
  body: StmtLike[];
  thread?: string;
  doc?: string;
}

interface ProgramDecl {
  name: string;
  threads: number[];
  body: ProgStmt[];
  loc?: SourceLoc;
  /** A daemon's program loops forever; at its start it is idle, which counts as finished. */
  daemon?: boolean;
}

export class ModelBuilder {
  private vars: VarDecl[] = [];
  /** The names in `vars`, so a duplicate is found in O(1) (200,000 variables took minutes with a scan). */
  private varNames = new Set<string>();
  private actions: Action[] = [];
  private properties: Property[] = [];
  private finals: Expr[] = [];
  private programs: ProgramDecl[] = [];
  private threadDecl?: Threads;
  private deadlockCheck = true;
  private classes = new Map<string, PropertyClass>();
  private lazyVars = new Map<string, Var>();
  /** The sort of `pc`, filled in by build(); `atLabel` reads it before the labels are known. */
  private labelSort: Sort & { kind: 'enum' } = { kind: 'enum', name: 'Label', values: [] };
  private labelRefs: { lit: Expr & { op: 'lit' }; label: string; threads: number[]; loc?: SourceLoc }[] = [];
  private sym?: { members: string[]; sort?: Sort; tie: Array<[Sort, (value: string) => string[]]> };
  readonly loc = callerLocation();
  /** Bounds reported with every result; set by the model's factory. */
  bounds: Record<string, number | string | boolean> = {};

  constructor(readonly name: string, readonly doc?: string) {}

  /**
   * Declare a state variable (a scalar when `index` is empty).
   * Example: `m.var('mm_users', range(0, 3), 1)`, `m.var('holds', bool, false, [Thread])`.
   */
  var(name: string, sort: Sort, init: number | boolean | string | (number | boolean | string)[], index: Sort[] = [], doc?: string): Var {
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name)) {
      const at = callerLocation();
      throw new ModelError(`bad variable name '${name}': use letters, digits, '_' and '.', starting with a letter or '_'${at ? ` (${formatLoc(at)})` : ''}`);
    }
    if (this.varNames.has(name)) throw new ModelError(`variable ${name} declared twice`);
    if (sort.kind === 'int') throw new ModelError(`variable ${name}: use range(lo, hi), not int`);
    index.forEach((s) => cardinality(s));
    const code = (x: number | boolean | string): number => {
      const e = ex(x, sort);
      if (e.op !== 'lit' || !inSort(sort, e.value)) {
        throw new ModelError(`variable ${name}: initial value ${String(x)} is not in ${sortName(sort)}`);
      }
      return e.value;
    };
    const cells = index.reduce((n, s) => n * cardinality(s), 1);
    let initv: number | number[];
    if (Array.isArray(init)) {
      if (init.length !== cells) throw new ModelError(`variable ${name}: ${init.length} initial values for ${cells} cells`);
      initv = init.map(code);
    } else initv = code(init);
    const decl: VarDecl = { name, sort, index, init: initv, doc, loc: callerLocation() };
    this.vars.push(decl);
    this.varNames.add(name);
    return new Var(decl);
  }

  /** A variable created once on first use (used by primitives, e.g. the per-thread preempt count). */
  lazyVar(name: string, make: () => Var): Var {
    let v = this.lazyVars.get(name);
    if (!v) { v = make(); this.lazyVars.set(name, v); }
    return v;
  }

  /** Declare the model's threads, once. Example: `m.threads(['owner', 'T1', 'T2'])`. */
  threads(names: string[]): Threads {
    if (this.threadDecl) throw new ModelError('threads declared twice');
    if (names.length === 0) throw new ModelError('a model needs at least one thread');
    const sort: Sort = { kind: 'enum', name: 'Thread', values: names };
    if (new Set(names).size !== names.length) throw new ModelError('thread names repeat');
    const id = (n: string) => {
      const i = names.indexOf(n);
      if (i < 0) throw new ModelError(`no thread named ${n}`);
      return i;
    };
    this.threadDecl = { sort, names, id, lit: (n) => ({ op: 'lit', sort, value: id(n) }) };
    return this.threadDecl;
  }

  get threadSort(): Sort {
    if (!this.threadDecl) throw new ModelError('declare m.threads([...]) first');
    return this.threadDecl.sort;
  }

  /** A per-thread local variable (an array over the thread sort). */
  local(name: string, sort: Sort, init: number | boolean | string): Var {
    return this.var(name, sort, init, [this.threadSort]);
  }

  /**
   * Give threads a program; `self` is the running thread. Example:
   * `m.program('user', ['T1', 'T2'], self => [step('mmgrab', mm.mmgrab(self)), step('mmdrop', mm.mmdrop(self))])`.
   */
  program(name: string, threadNames: string[], body: (self: Expr) => ProgStmt[]): void {
    const t = this.threadDecl;
    if (!t) throw new ModelError('declare m.threads([...]) before programs');
    const ids = threadNames.map((n) => t.id(n));
    for (const p of this.programs) {
      const clash = p.threads.find((x) => ids.includes(x));
      if (clash !== undefined) throw new ModelError(`thread ${t.names[clash]} already runs program ${p.name}`);
    }
    const self: Expr = { op: 'param', sort: t.sort, name: 'self' };
    this.programs.push({ name, threads: ids, body: body(self), loc: callerLocation() });
  }

  /**
   * A daemon: threads whose program runs forever (a kworker, a shrinker, an RCU callback
   * thread). After its last step the program starts over; a daemon waiting at its first step
   * is idle, which counts as finished, so an idle daemon is not a deadlock.
   * Example: `m.daemon('kworker', ['kworker'], (self) => [step('run_work', guard(pending), set(pending, false))])`.
   */
  daemon(name: string, threadNames: string[], body: (self: Expr) => ProgStmt[]): void {
    this.program(name, threadNames, (self) => {
      const b = body(self);
      const first = b[0];
      if (!first || first.k === 'goto') throw new ModelError(`daemon ${name}: its program must start with a step (or branch, either, loop)`);
      return [...b, goto(first.label)];
    });
    this.programs[this.programs.length - 1].daemon = true;
  }

  /**
   * True when `thread` is at the statement labelled `label` (about to take it), or at `done`.
   * Use it in invariants, covers and quiescence instead of ghost variables.
   * Example: `m.cover('reaches.critical', 'a reader gets in', m.atLabel('R1', 'critical'))`.
   */
  atLabel(thread: string | ExprLike, label: string): Expr {
    const t = this.threadDecl;
    if (!t) throw new ModelError('declare m.threads([...]) before atLabel');
    const who = typeof thread === 'string' ? t.lit(thread) : ex(thread, t.sort);
    const lit = { op: 'lit' as const, sort: this.labelSort, value: -1 };
    const threads = typeof thread === 'string' ? [t.id(thread)] : t.names.map((_, i) => i);
    this.labelRefs.push({ lit, label, threads, loc: callerLocation() });
    return { op: 'eq', sort: BOOL, a: { op: 'var', sort: this.labelSort, name: 'pc', index: [who] }, b: lit };
  }
  /** Some of these threads is at `label`. Example: `m.someAt(['R1', 'R2'], 'critical')`. */
  someAt(threads: string[], label: string): Expr {
    return or(...threads.map((x) => this.atLabel(x, label)));
  }
  /** Every one of these threads is at `label`. Example: `m.everyAt(['R1', 'R2'], 'done')`. */
  everyAt(threads: string[], label: string): Expr {
    return and(...threads.map((x) => this.atLabel(x, label)));
  }

  /**
   * The object each thread stands for (its task, its mm, its CPU), as a function of a thread
   * expression: a constant map, no state (an `ite` over the threads, folded when the thread is
   * known, as `self` is in each generated action). Every thread needs an entry unless
   * `otherwise` gives one. Example:
   * `const taskOf = m.threadMap(Task, { T1: 'p1', T2: 'p1', T3: 'p2' }); set(need_qs.at(taskOf(self)), true)`.
   */
  threadMap(sort: Sort, map: Record<string, string | number | boolean>, otherwise?: string | number | boolean): (thread: ExprLike) => Expr {
    const t = this.threadDecl;
    if (!t) throw new ModelError('declare m.threads([...]) before threadMap');
    for (const k of Object.keys(map)) t.id(k);
    const missing = t.names.filter((n) => !(n in map));
    if (missing.length && otherwise === undefined) throw new ModelError(`threadMap: no entry for ${missing.join(', ')}; give every thread one, or an 'otherwise' value`);
    const value = (n: string) => ex(n in map ? map[n] : otherwise!, sort);
    return (thread) => {
      const e = ex(thread, t.sort);
      if (e.op === 'lit') return value(t.names[e.value]);
      const [last, ...rest] = [...t.names].reverse();
      return rest.reduce<Expr>((acc, n) => ite(eq(e, t.lit(n)), value(n), acc), value(last));
    };
  }

  /**
   * A free-standing action (no program), taken once per value of each parameter; the body reads
   * a parameter as the expression `param(...)` returned. Example:
   * `const node = param('node', Node); m.action('kfree', { params: [node], body: [guard(not(freed.at(node))), set(freed.at(node), true)] })`.
   */
  action(name: string, spec: ActionSpec): void {
    const c = compileStep(flat(spec.body));
    const action: Action = {
      name, params: irParams(spec.params ?? []), guard: c.guard, requires: c.requires, assigns: c.assigns,
      threadParam: spec.thread, tags: c.tags, doc: spec.doc, loc: callerLocation(),
    };
    checkParams(action);
    this.actions.push(action);
  }

  /**
   * A state invariant. Examples: `m.invariant('mm.no-uaf', 'mm used after free', implies(freed, not(inUse)))`,
   * `m.invariant(KERNEL.mm.countPinsUsers, implies(gt(users, 0), gt(count, 0)))`,
   * `m.invariant({ id: 'drm_mm.clean', message: 'nodes left at takedown', class: 'warn' }, clean)`.
   */
  invariant(id: string, message: string, expr: ExprLike): void;
  invariant(p: PropertyDecl, expr: ExprLike, message?: string): void;
  invariant(p: string | PropertyDecl, a: ExprLike | string, b?: ExprLike | string): void {
    this.stateProperty('invariant', p, a, b);
  }
  /** Must hold in every final state (e.g. every reference returned: no leak). Forms as `invariant`; class `leak` by default. */
  quiescence(id: string, message: string, expr: ExprLike): void;
  quiescence(p: PropertyDecl, expr: ExprLike, message?: string): void;
  quiescence(p: string | PropertyDecl, a: ExprLike | string, b?: ExprLike | string): void {
    this.stateProperty('quiescence', p, a, b);
  }
  /** Some reachable state must satisfy `expr` (a capability: "a client can do X"), or the check is vacuous. Forms as `invariant`. */
  cover(id: string, message: string, expr: ExprLike): void;
  cover(p: PropertyDecl, expr: ExprLike, message?: string): void;
  cover(p: string | PropertyDecl, a: ExprLike | string, b?: ExprLike | string): void {
    this.stateProperty('cover', p, a, b);
  }
  private stateProperty(kind: 'invariant' | 'quiescence' | 'cover', p: string | PropertyDecl, a: ExprLike | string, b?: ExprLike | string): void {
    const decl: PropertyDecl = typeof p === 'string' ? { id: p, message: a as string } : { ...p, message: (b as string | undefined) ?? p.message };
    const expr = boolExpr((typeof p === 'string' ? b : a) as ExprLike, decl.id);
    noDeref(expr, `${kind} ${decl.id}`);
    this.properties.push({ kind, id: decl.id, message: decl.message, ...(decl.class ? { class: decl.class } : {}), expr, loc: callerLocation() });
  }
  /**
   * Give every property with this id another class in this model (a kernel WARN the model treats
   * as undefined behaviour, say). Example: `m.classify('refcount.saturated', 'unsound')`.
   */
  classify(id: string, cls: PropertyClass): void {
    if (!isPropertyClass(cls)) throw new ModelError(`classify ${id}: unknown class '${String(cls)}' (one of ${CLASSES.join(', ')})`);
    this.classes.set(id, cls);
  }
  /** An extra condition for a state to count as an intended end (ANDed with "every thread done"). */
  final(expr: ExprLike): void {
    const e = boolExpr(expr, 'final');
    noDeref(e, 'final');
    this.finals.push(e);
  }
  /**
   * Declare members interchangeable: threads running the same program (or a scalarset's
   * values), so the explicit engine stores one state per orbit (symmetry reduction;
   * `--no-symmetry` turns it off). `tie` names, for a sort whose values belong to members (a
   * guard identity per client, say), the members each value names. `build()` checks the claim:
   * an action, property or final condition that singles out one member is a model error.
   * Examples: `m.symmetric(['T1', 'T2', 'T3'])`, `m.symmetric(pageSort)`,
   * `m.symmetric(['C1', 'C2'], { tie: [[GuardId, (g) => [`C${g[1]}`]]] })`.
   */
  symmetric(members: string[] | Sort, opts: { tie?: Array<[Sort, (value: string) => string[]]> } = {}): void {
    if (this.sym) throw new ModelError('symmetric declared twice; declare every interchangeable member in one call');
    if (Array.isArray(members)) {
      const t = this.threadDecl;
      if (!t) throw new ModelError('declare m.threads([...]) before m.symmetric([...])');
      for (const n of members) t.id(n);
      if (new Set(members).size !== members.length) throw new ModelError('symmetric: a member is named twice');
      this.sym = { members, tie: opts.tie ?? [] };
    } else {
      if (members.kind !== 'scalarset') throw new ModelError(`symmetric: ${sortName(members)} is not a scalarset; give a scalarset or a list of thread names`);
      this.sym = { members: Array.from({ length: members.size }, (_, i) => String(showValue(members, i))), sort: members, tie: opts.tie ?? [] };
    }
  }

  /** The declared symmetry in IR form: for each tied sort, the members each value names. */
  private symmetry(): Symmetry | undefined {
    const d = this.sym;
    if (!d) return undefined;
    const member = (n: string, what: string) => {
      const i = d.members.indexOf(n);
      if (i < 0) throw new ModelError(`symmetric: ${what} names '${n}', which is not a member (${d.members.join(', ')})`);
      return i;
    };
    const tied: Record<string, number[][]> = {};
    const names = (s: Sort) => Array.from({ length: cardinality(s) }, (_, i) => String(showValue(s, i)));
    const base = d.sort ?? this.threadSort;
    tied[sortName(base)] = names(base).map((v) => (d.members.includes(v) ? [d.members.indexOf(v)] : []));
    for (const [s, f] of d.tie) {
      if (s.kind !== 'enum') throw new ModelError(`symmetric: tie ${sortName(s)}: only an enumeration can be tied`);
      tied[s.name] = names(s).map((v) => f(v).map((n) => member(n, `tie ${s.name} value '${v}'`)));
    }
    return { members: d.members, tied };
  }

  /** Turn off the deadlock check (for models whose dead ends are intended). */
  noDeadlockCheck(): void {
    this.deadlockCheck = false;
  }

  /** Apply `classify` overrides; an override naming no property is a model error. */
  private applyClasses(properties: Property[], actions: Action[]): void {
    for (const [id, cls] of this.classes) {
      let found = false;
      for (const p of properties) if (p.id === id) { p.class = cls; found = true; }
      for (const a of actions) {
        a.requires = a.requires.map((r) => { if (r.id !== id) return r; found = true; return { ...r, class: cls }; });
      }
      if (!found) throw new ModelError(`classify: the model has no property '${id}'`);
    }
  }

  build(): Model {
    const actions = this.actions.map((a) => ({ ...a }));
    const vars = [...this.vars];
    let finalExpr = and(...this.finals);
    if (this.programs.length) {
      const t = this.threadDecl!;
      const graphs = this.programs.map((p) => ({ p, g: compileProgram(p.name, p.body) }));
      const labels = [...new Set(graphs.flatMap(({ g }) => g.positions)), DONE];
      const pcSort = this.labelSort;
      pcSort.values.splice(0, pcSort.values.length, ...labels);
      for (const r of this.labelRefs) {
        const own = graphs.filter(({ p }) => p.threads.some((x) => r.threads.includes(x))).flatMap(({ g }) => g.positions);
        if (r.label !== DONE && !own.includes(r.label)) {
          const where = r.loc ? ` (${formatLoc(r.loc)})` : '';
          throw new ModelError(`atLabel: no step labelled '${r.label}' in the program of ${r.threads.map((x) => t.names[x]).join(', ')}${where}; its labels: ${[...new Set(own)].join(', ')}`);
        }
        r.lit.value = labels.indexOf(r.label);
      }
      const init = t.names.map((_, i) => {
        const owner = graphs.find(({ p }) => p.threads.includes(i));
        return labels.indexOf(owner ? owner.g.start : DONE);
      });
      const pcDecl: VarDecl = { name: 'pc', sort: pcSort, index: [t.sort], init, doc: 'program counter per thread' };
      if (vars.some((v) => v.name === 'pc')) throw new ModelError('the name pc is reserved for the program counter');
      vars.unshift(pcDecl);
      const pc = new Var(pcDecl);
      const self: Expr = { op: 'param', sort: t.sort, name: 'self' };
      // One action per step, named after its label: a step reached from several positions (after
      // a branch, at a loop's exit, as a goto target) is one action whose guard lists the ways in.
      // Qualify only where two programs share a label.
      const raw: { name: string; from: string; prog: string; action: Omit<Action, 'name'> }[] = [];
      for (const { p, g } of graphs) {
        const ways = new Map<string, { name: string; from: string; alts: { from: string; alt: Alternative }[] }>();
        for (const from of g.positions) {
          for (const alt of g.alternatives.get(from)!) {
            noDeref(alt.cond, `program ${p.name}: the condition leading to '${alt.step?.label ?? alt.controlLabel}'`);
            const name = alt.step?.label ?? alt.controlLabel;
            const key = `${name}\u0000${alt.next}`;
            const w = ways.get(key) ?? { name, from, alts: [] };
            w.alts.push({ from, alt });
            ways.set(key, w);
          }
        }
        for (const { name, from, alts } of ways.values()) {
          const alt = alts[0].alt;
          const c = compileStep([...(alt.step?.body ?? [])]);
          const guard = alts.length === 1
            ? and(eq(pc.at(self), from), alt.cond, c.guard)
            : and(or(...alts.map((a) => and(eq(pc.at(self), a.from), a.alt.cond))), c.guard);
          raw.push({
            name, from, prog: p.name,
            action: {
              params: [{ name: 'self', sort: t.sort, values: p.threads }],
              guard,
              requires: c.requires,
              assigns: [...c.assigns, { name: 'pc', index: [self], value: ex(alt.next, pcSort) }],
              threadParam: 'self', tags: c.tags, loc: alt.step?.loc ?? p.loc,
            },
          });
        }
      }
      const names = new Set<string>();
      for (const r of raw) {
        const dupes = raw.filter((x) => x.name === r.name);
        let name = r.name;
        if (dupes.some((d) => d.prog !== r.prog)) name = `${r.prog}.${name}`;
        if (dupes.filter((d) => d.prog === r.prog).length > 1) name = `${name}@${r.from}`;
        if (names.has(name)) name = `${name}#${names.size}`;
        names.add(name);
        actions.push({ name, ...r.action });
      }
      // A thread is finished at `done`; a daemon's, idle at the start of its program.
      const endOf = (i: number) => graphs.find(({ p }) => p.daemon && p.threads.includes(i))?.g.start ?? DONE;
      finalExpr = and(...t.names.map((_, i) => eq(pc.at(t.lit(t.names[i])), endOf(i))), finalExpr);
    }
    const properties = this.properties.map((p) => ({ ...p }));
    if (this.deadlockCheck) {
      const d = KERNEL.generic.deadlock;
      properties.unshift({ kind: 'deadlock', id: d.id, message: d.message, class: d.class, ...(this.loc ? { loc: this.loc } : {}) });
    }
    this.applyClasses(properties, actions);
    const model: Model = {
      irVersion: IR_VERSION, name: this.name, doc: this.doc, vars, actions, properties,
      final: this.finals.length || this.programs.length ? finalExpr : or(),
      threadSort: this.threadDecl?.sort, bounds: { ...this.bounds }, loc: this.loc,
    };
    const symmetry = this.symmetry();
    if (symmetry) model.symmetry = symmetry;
    validateModel(model);
    checkSymmetry(model);
    return model;
  }
}

function boolExpr(x: ExprLike, what: string): Expr {
  const e = ex(x);
  if (e.sort.kind !== 'bool') throw new ModelError(`${what}: expected a bool expression, got ${sortName(e.sort)}`);
  return e;
}

/** Structural checks every model passes before an engine sees it. */
export function validateModel(m: Model): void {
  const names = new Set<string>();
  for (const a of m.actions) {
    if (names.has(a.name)) throw new ModelError(`two actions are named ${a.name}`);
    names.add(a.name);
    const vars = new Set(m.vars.map((v) => v.name));
    for (const w of a.assigns) if (!vars.has(w.name)) throw new ModelError(`action ${a.name} assigns unknown variable ${w.name}`);
  }
  if (m.actions.length === 0) throw new ModelError(`model ${m.name} has no actions`);
}

/**
 * Start a model. Example: `const m = model('mm', 'mm_users/mm_count protocol');`
 */
export function model(name: string, doc?: string): ModelBuilder {
  return new ModelBuilder(name, doc);
}
