/**
 * The counter abstraction of a model with interchangeable threads (`m.symmetric`): instead of
 * one copy of each thread-local variable per member, one unbounded integer per *local state*
 * (the values of `pc` and the other thread-indexed variables at one member) counts the members
 * in it; shared variables, and the cells of threads outside the symmetry (owner, kworker), stay
 * as they are. The initial state puts all N members in their common initial local state, for
 * every N >= `minMembers`, so an inductive invariant of this system proves the properties for
 * any number of members at once. The abstraction is exact (a member's step depends only on its
 * own local state and the shared state), so a reachable bad state is a real violation for some N.
 *
 * What it follows beyond plain thread-local variables:
 * - arrays indexed by another sort and the thread sort (`ARef` tokens per task and thread): one
 *   local component per value of the other index;
 * - a variable holding one thread or none (a lock's owner): "some member" in shared state, and
 *   in each member's local state whether it names that member (the domain says exactly one
 *   member is named when the variable says "some member");
 * - a step of a second member besides the one stepping (a send to it, a wake of it): both move;
 * - a family of steps spelled once per member (`send_to_T1`, `send_to_T2`): one step picking a
 *   member (memberFamilies);
 * - `and`/`or`/sums spelled once per member: a quantifier or count over the members only;
 * - an integer constant that moves with the member count (a refcount's saturation value):
 *   `k + d(N - n)`, with N an argument of the invariant (scaledLiterals).
 *
 * It applies only when no step or property tells members apart: a refusal names the variable or
 * action that stops it (two parameters each picking a member, an identity copied between
 * variables, a thread-indexed array read at a computed index).
 *
 * @example
 * const cs = counterSystem(model, { grown }); // CounterSystem, or throws CounterAbstractionError
 * const text = hornText(cs);                  // Horn clauses for Spacer, over cs.args
 */
import type { Action, Expr, Model, Sort, VarDecl } from '../../model/lang/ir.ts';
import { cellCount, cardinality, ordinal, showValue, sortName, sortValues } from '../../model/lang/ir.ts';
import { addends, renamedActionKey, tiesOf } from '../../model/lang/symmetry.ts';
import { cellOffset } from '../interpreter.ts';

/** Why the abstraction does not apply, naming the variable (or action, or property) at fault. */
export class CounterAbstractionError extends Error {}

/** An argument of `Inv`: a member count, or a shared cell. */
export interface CountArg {
  /** SMT name (`c3`, `s0`). */
  name: string;
  sort: 'Int' | 'Bool';
  /** Model vocabulary: `#[pc=unlock]`, `locked`, `pc[owner]`. */
  show: string;
  /** A cell's sort (for printing its values: `pc[owner] = exit_files`); undefined for a count. */
  cellSort?: Sort;
  /** A thread-identity cell: the value that stands for "some member" (printed `member`). */
  someMember?: number;
  /**
   * Which per-thread quantity this argument contributes to, as `var|key` (the thread index left
   * out): a count contributes its local state's value of each numeric component, times the count;
   * a non-member's cell of a thread-local variable contributes its value. Summed, they give a
   * total over every thread (`api.calls` made by all clients), for the learner's candidates.
   */
  parts?: { key: string; coef: number; total: string }[];
}

/** One transition clause: `Inv(pre) ∧ cond → Inv(post)` (post: one term per argument). */
interface Step { cond: string; post: string[]; what: string; /** A member's move between local states (indices). */ move?: [number, number] }

export interface CounterSystem {
  args: CountArg[];
  /** `N`, the number of members, appears free in `init`. */
  init: string[];
  minMembers: number;
  steps: Step[];
  /**
   * The domain D over a state's argument terms: every count >= 0, every shared cell within its
   * sort (the bounds that do not move with N). D is inductive by construction (a count falls only
   * from >= 1; a step leaving a sort is bad, not taken), so the clauses assume it in every
   * pre-state and the invariant reported is D ∧ Inv, re-checked whole.
   */
  domain: (terms: string[]) => string;
  /**
   * A concrete state of this model, or of it built with another member count, as the argument
   * values (counts; cells, Bool as 0/1); undefined if a member is in a local state left out.
   */
  abstractOf: (m: Model, s: Record<string, number[]>) => number[] | undefined;
  /** `Inv(pre) ∧ bad → false`, with what each one breaks. */
  bad: { cond: string; what: string }[];
  /** The local variables (thread-indexed arrays), in local-state order. */
  locals: VarDecl[];
  /** The members' thread names (from the model at its built bound). */
  members: string[];
}

/** Most local states the abstraction enumerates (the product of the local variables' sorts). */
export const MAX_LOCAL_STATES = 4096;

const lit = (s: Sort, v: number) => (s.kind === 'bool' ? (v ? 'true' : 'false') : v < 0 ? `(- ${-v})` : String(v));
const and = (xs: string[]) => { const ys = xs.filter((x) => x !== 'true'); return ys.includes('false') ? 'false' : ys.length === 0 ? 'true' : ys.length === 1 ? ys[0] : `(and ${ys.join(' ')})`; };
const or = (xs: string[]) => { const ys = xs.filter((x) => x !== 'false'); return ys.includes('true') ? 'true' : ys.length === 0 ? 'false' : ys.length === 1 ? ys[0] : `(or ${ys.join(' ')})`; };
const not = (x: string) => (x === 'true' ? 'false' : x === 'false' ? 'true' : `(not ${x})`);
const isNum = (x: string) => /^(-?\d+|\(- \d+\))$/.test(x);
const numOf = (x: string) => (x.startsWith('(- ') ? -Number(x.slice(3, -1)) : Number(x));
const inSortTerm = (s: Sort, x: string) => (s.kind === 'bool' || s.kind === 'int' ? 'true'
  : isNum(x) ? (sortValues(s).includes(numOf(x)) ? 'true' : 'false')
    : `(and (<= ${lit(s, s.kind === 'range' ? s.lo : 0)} ${x}) (<= ${x} ${lit(s, s.kind === 'range' ? s.hi : cardinality(s) - 1)}))`);

/** A translated expression: its value, and when evaluating it leaves a sort (an index error). */
interface Val { v: string; err: string }

/** Which member (local state) a thread-sort parameter stands for while translating. */
interface Env {
  consts: Map<string, number>;
  /** Thread-sort parameters standing for an abstract member (MemberRef: its slot and local state). */
  members: Map<string, MemberRef>;
  /** In a family representative (memberFamilies): the member literal that stands for `$d`. */
  dLit?: number;
}

/** Build the counter abstraction of a symmetric model; throws CounterAbstractionError when it does not apply. */
export interface CounterOptions {
  /** The fewest members the proof covers (default 1). */
  minMembers?: number;
  /**
   * The same model built with one member more. Shared variables sized by the member count
   * (a refcount `mm_users` over 0..N+1) are compared: a bound that moves with N is dropped (the
   * counter is unbounded), an initial value that moves becomes linear in N. Without it, every
   * sort is taken as built, so a counter sized for N members overflows for N+1 (an `unknown`).
   */
  grown?: Model;
}

/** How a shared variable scales with the member count: bounds kept (undefined: dropped), init in N. */
interface Scaled { lo?: number; hi?: number; init: (cell: number) => string }

export function counterSystem(model: Model, opts: CounterOptions = {}): CounterSystem {
  const minMembers = opts.minMembers ?? 1;
  const scaled = opts.grown ? scaling(model, opts.grown) : new Map<string, Scaled>();
  const lins = opts.grown ? scaledLiterals(model, opts.grown) : new Map<Expr, number>();
  // Once: the rounds below rebuild the clauses, not the families of per-member steps.
  const actions = memberFamilies(model);
  // Local states are found from the initial one: each round builds the clauses of the local states
  // known so far and collects those their steps reach; a round that reaches nothing new is final.
  // (A local state no member can reach, whatever the shared state, would always count 0.)
  let known: string[] | undefined;
  for (;;) {
    const r = build(model, actions, minMembers, scaled, lins, known);
    if (!r.discovered.length) return r.cs;
    known = [...r.known, ...r.discovered];
    if (known.length > MAX_LOCAL_STATES) throw new CounterAbstractionError(`the members reach more than ${MAX_LOCAL_STATES} local states (values of ${r.cs.locals.map((v) => v.name).join(', ')}); the counter abstraction would be too large`);
  }
}

/** A component of a member's local state: one cell of a thread-indexed array at the member, or whether a thread-identity cell names the member. */
type Comp =
  | { kind: 'cell'; v: VarDecl; key: number[]; sort: Sort; show: string }
  | { kind: 'names'; v: VarDecl; cell: number; sort: Sort; show: string };

/** A member taking part in a step (slot >= 0: the stepping member or another one; -1: bound by a quantifier) and its local state. */
interface MemberRef { slot: number; l: number[] }

const BOOL: Sort = { kind: 'bool' };

function build(model: Model, actions: Action[], minMembers: number, scaled: Map<string, Scaled>, lins: Map<Expr, number>, knownKeys?: string[]): { cs: CounterSystem; known: string[]; discovered: string[] } {
  const sym = model.symmetry;
  const ts0 = model.threadSort;
  if (!sym || !ts0 || ts0.kind !== 'enum') throw new CounterAbstractionError(`model ${model.name} declares no interchangeable threads (m.symmetric([...])); the counter abstraction needs them`);
  const ts: Extract<Sort, { kind: 'enum' }> = ts0;
  const memberIdx = sym.members.map((n) => ts.values.indexOf(n));
  if (memberIdx.some((i) => i < 0)) throw new CounterAbstractionError(`the symmetric members of ${model.name} are not threads (${sym.members.join(', ')}); the counter abstraction counts threads`);
  const isMember = (v: number) => memberIdx.includes(v);
  const others = sortValues(ts).filter((v) => !isMember(v));
  const tsName = ts.name;
  const threadSorted = (s: Sort) => (s.kind === 'enum' || s.kind === 'scalarset') && (s.name === tsName || (s.kind === 'enum' && s.base === tsName));
  const isThreadSort = (s: Sort) => s.kind === 'enum' && s.name === tsName;
  /** The value standing for "some member" in a thread-identity cell (the first member's). */
  const M = memberIdx[0];

  // Classify the variables: locals (indexed once by the thread sort), thread-identity variables
  // (a thread or none: a lock's owner), shared otherwise.
  const localVars = new Map<string, { v: VarDecl; tpos: number; rest: Sort[] }>();
  const identVars = new Map<string, VarDecl>();
  for (const v of model.vars) {
    const ties = tiesOf(sym, v.sort);
    const tIdx = v.index.flatMap((s, i) => (threadSorted(s) ? [i] : []));
    if (ties && ties.some((t) => t.length > 0)) {
      const ok = v.sort.kind === 'enum' && (v.sort.name === tsName || v.sort.base === tsName) && ties.every((t) => t.length <= 1);
      if (!ok) throw new CounterAbstractionError(`variable ${v.name} holds member identities of sort ${sortName(v.sort)}: the counter abstraction follows only a variable holding one thread (or none), such as a lock's owner`);
      if (tIdx.length) throw new CounterAbstractionError(`variable ${v.name} holds a thread identity per thread (indexed by ${v.index.map(sortName).join(' x ')}): the counter abstraction cannot tell members apart`);
      identVars.set(v.name, v);
      continue;
    }
    if (tIdx.length === 0) continue;
    if (tIdx.length > 1 || !isThreadSort(v.index[tIdx[0]])) throw new CounterAbstractionError(`variable ${v.name} is indexed by threads more than once, or by ${sortName(v.index[tIdx[0]])} (${v.index.map(sortName).join(' x ')}): only arrays indexed once by the thread sort are thread-local`);
    localVars.set(v.name, { v, tpos: tIdx[0], rest: v.index.filter((_, i) => i !== tIdx[0]) });
  }
  const locals = [...localVars.values()].map((x) => x.v);

  // A local state: one value per component.
  const comps: Comp[] = [];
  const compOf = new Map<string, number>();
  for (const { v, tpos, rest } of localVars.values()) {
    for (const key of combos(rest.map((s) => ({ sort: s })))) {
      compOf.set(`${v.name}|${key.join(',')}`, comps.length);
      const shown = key.map((x, k) => String(showValue(rest[k], x)));
      shown.splice(tpos, 0, 'self');
      comps.push({ kind: 'cell', v, key, sort: v.sort, show: key.length ? `${v.name}[${shown.join('][')}]` : v.name });
    }
  }
  for (const v of identVars.values()) {
    for (let c = 0; c < cellCount(v); c++) {
      compOf.set(`names|${v.name}|${c}`, comps.length);
      comps.push({ kind: 'names', v, cell: c, sort: BOOL, show: `${cellName(v, c)}=self` });
    }
  }
  const namesComp = (v: VarDecl, cell: number) => compOf.get(`names|${v.name}|${cell}`)!;
  const showLocal = (l: number[]) => `#[${comps.flatMap((c, i) => (c.kind === 'names' ? (l[i] ? [c.show] : []) : [`${c.show}=${String(showValue(c.sort, l[i]))}`])).join(',')}]`;

  const initOf = (v: VarDecl, c: number) => (Array.isArray(v.init) ? v.init[c] : v.init);
  const memberCell = (lv: { v: VarDecl; tpos: number }, key: number[], t: number) => { const vals = [...key]; vals.splice(lv.tpos, 0, t); return cellOffset(lv.v, vals); };
  // The initial local state, the same for every member.
  const l0 = comps.map((c) => {
    if (c.kind === 'names') {
      if (isMember(initOf(c.v, c.cell))) throw new CounterAbstractionError(`variable ${c.v.name} starts naming a member; the counter abstraction needs members to start alike`);
      return 0;
    }
    const xs = memberIdx.map((t) => initOf(c.v, memberCell(localVars.get(c.v.name)!, c.key, t)));
    if (xs.some((x) => x !== xs[0])) throw new CounterAbstractionError(`the members start with different values of ${c.show}; the counter abstraction needs one initial local state`);
    return xs[0];
  });
  const lsKey = (l: number[]) => l.join(',');
  const known = knownKeys ?? [lsKey(l0)];
  const localStates = known.map((k) => (k === '' ? [] : k.split(',').map(Number)));
  const lsIndex = new Map(known.map((k, i) => [k, i]));
  const discovered = new Set<string>();

  // Shared cells: every cell of a shared or identity variable, and the non-members' cells of the locals.
  const numeric = (so: Sort) => so.kind === 'range' || so.kind === 'int' || so.kind === 'bool';
  const partKey = (v: VarDecl, key: number[]) => `${v.name}|${key.join(',')}`;
  /** The total's printed name: `Σ ARef_Task.own[L][*]`. */
  const totalName = (v: VarDecl, key: number[]) => {
    const lv = localVars.get(v.name)!;
    const shown = key.map((x, k) => String(showValue(lv.rest[k], x)));
    shown.splice(lv.tpos, 0, '*');
    return `Σ ${v.name}[${shown.join('][')}]`;
  };
  const args: CountArg[] = localStates.map((l, i) => ({
    name: `c${i}`, sort: 'Int', show: showLocal(l),
    parts: comps.flatMap((c, k) => (c.kind === 'cell' && numeric(c.sort) && l[k] !== 0 ? [{ key: partKey(c.v, c.key), coef: l[k], total: totalName(c.v, c.key) }] : [])),
  }));
  const cellArg = new Map<string, number>();
  /** The shared cell behind each argument after the counts. */
  const argCells: { v: VarDecl; cell: number }[] = [];
  for (const v of model.vars) {
    const lv = localVars.get(v.name);
    for (let c = 0; c < cellCount(v); c++) {
      if (lv && isMember(cellValues(v.index, c)[lv.tpos])) continue;
      cellArg.set(`${v.name}.${c}`, args.length);
      argCells.push({ v, cell: c });
      const key = lv && numeric(v.sort) ? cellValues(v.index, c).filter((_, k) => k !== lv.tpos) : undefined;
      args.push({
        name: `s${args.length - localStates.length}`, sort: v.sort.kind === 'bool' ? 'Bool' : 'Int', show: cellName(v, c), cellSort: v.sort,
        ...(identVars.has(v.name) ? { someMember: M } : {}), ...(key ? { parts: [{ key: partKey(v, key), coef: 1, total: totalName(v, key) }] } : {}),
      });
    }
  }
  // N itself, when a constant of the model moves with it (a refcount's saturation value).
  const nArg = lins.size ? args.length : -1;
  if (lins.size) args.push({ name: 'n', sort: 'Int', show: 'N' });
  const init = args.map((a, i) => {
    if (i < localStates.length) return i === 0 ? 'N' : '0';
    if (i === nArg) return 'N';
    const { v, cell } = argCells[i - localStates.length];
    return scaled.get(v.name)?.init(cell) ?? lit(v.sort, initOf(v, cell));
  });

  const pre = (i: number) => `${args[i].name}@p`;
  const count = (i: number) => pre(i);
  const argOf = (v: VarDecl, cell: number) => cellArg.get(`${v.name}.${cell}`)!;
  /** A thread-identity cell names some member (the abstraction keeps which one in the member's local state). */
  const namesMember = (t: string) => (isNum(t) ? (numOf(t) === M ? 'true' : 'false') : `(= ${t} ${M})`);

  // Expressions over the pre-state, for one binding of parameters.
  const where = (what: string) => (msg: string) => new CounterAbstractionError(`${msg} (${what}); the counter abstraction applies only when no step or property tells members apart`);
  const memberParam = (x: Expr, env: Env) => (x.op === 'param' ? env.members.get(x.name)
    : x.op === 'lit' && env.dLit !== undefined && x.value === env.dLit && threadSorted(x.sort) ? env.members.get('$d') : undefined);
  /** `options` as one term: the first whose condition holds (the last one otherwise). */
  const chain = (options: { when: string; v: string }[], dflt: string) => {
    if (!options.length) return dflt;
    let out = options[options.length - 1].v;
    for (let k = options.length - 2; k >= 0; k--) out = options[k].when === 'true' ? options[k].v : `(ite ${options[k].when} ${options[k].v} ${out})`;
    return out;
  };
  function expr(e: Expr, env: Env, fail: (m: string) => Error): Val {
    const go = (x: Expr) => expr(x, env, fail);
    switch (e.op) {
      case 'lit': {
        if (memberParam(e, env)) throw fail(`member ${ts.values[e.value]} is used as a value, not only as an index or compared with a thread`);
        const d = lins.get(e);
        // k + d*(N - n): the constant at N members, from its values at n and n+1.
        if (d !== undefined) return { v: `(+ ${lit({ kind: 'int' }, e.value)} (* ${lit({ kind: 'int' }, d)} (- ${pre(nArg)} ${sym!.members.length})))`, err: 'false' };
        return { v: lit(e.sort, e.value), err: 'false' };
      }
      case 'param': {
        if (env.members.has(e.name)) throw fail(`thread ${e.name} is used as a value, not only as an index or compared with a thread`);
        const k = env.consts.get(e.name);
        if (k === undefined) throw fail(`parameter ${e.name} is unbound`);
        return { v: lit(e.sort, k), err: 'false' };
      }
      case 'var': {
        const lv = localVars.get(e.name);
        if (lv) {
          const rest = e.index.filter((_, i) => i !== lv.tpos).map(go);
          const err = or(rest.map((x) => x.err));
          const inRange = and(lv.rest.map((s, k) => inSortTerm(s, rest[k].v)));
          const ix = e.index[lv.tpos];
          const m = memberParam(ix, env);
          if (m) {
            const keys = cellsOf(lv.rest, rest.map((x) => x.v));
            const v = chain(keys.map((k) => ({ when: k.when, v: lit(e.sort, m.l[compOf.get(`${e.name}|${k.vals.join(',')}`)!]) })), lit(e.sort, 0));
            return { v, err: keys.length === 1 && keys[0].when === 'true' ? err : or([err, not(inRange)]) };
          }
          const t = go(ix);
          if (!isNum(t.v)) throw fail(`thread-indexed array ${e.name} is read at a computed thread index`);
          const tv = numOf(t.v);
          if (isMember(tv)) throw fail(`thread-indexed array ${e.name} is read at member ${ts.values[tv]}, by another thread`);
          const terms = rest.map((x) => x.v);
          terms.splice(lv.tpos, 0, t.v);
          return sharedRead(lv.v, terms, or([err, t.err]), e.sort);
        }
        if (identVars.has(e.name)) throw fail(`thread-identity variable ${e.name} is read other than compared with a thread, none or a non-member`);
        const v = model.vars.find((x) => x.name === e.name)!;
        const idx = e.index.map(go);
        return sharedRead(v, idx.map((x) => x.v), or(idx.map((x) => x.err)), e.sort);
      }
      case 'and': case 'or': {
        // Short-circuit: an operand is evaluated only if those before it did not decide.
        // A group folds into a quantifier over the members only (not the other threads).
        const vs = foldMembers(e.args).map((x) => (typeof x === 'string' ? quantifier({ op: e.op === 'and' ? 'forall' : 'exists', sort: e.sort, v: '$m', over: ts, body: templates.get(x)! }, env, fail, true) : go(x)));
        const decided = (k: number) => (e.op === 'and' ? and(vs.slice(0, k).map((x) => x.v)) : and(vs.slice(0, k).map((x) => not(x.v))));
        const err = or(vs.map((x, k) => and([decided(k), x.err])));
        return { v: e.op === 'and' ? and(vs.map((x) => x.v)) : or(vs.map((x) => x.v)), err };
      }
      case 'not': { const a = go(e.a); return { v: not(a.v), err: a.err }; }
      case 'ite': {
        const c = go(e.c), t = go(e.t), f = go(e.e);
        const v = c.v === 'true' ? t.v : c.v === 'false' ? f.v : `(ite ${c.v} ${t.v} ${f.v})`;
        return { v, err: or([c.err, and([c.v, t.err]), and([not(c.v), f.err])]) };
      }
      case 'forall': case 'exists': case 'count': return quantifier(e, env, fail);
      case 'cyclic': throw fail(`cyclic(${e.name}) is not supported by the counter abstraction`);
      default: {
        if (e.op === 'add') {
          const sum = memberSum(e, env, fail);
          if (sum) return sum;
        }
        if (e.op === 'eq' || e.op === 'ne') {
          const r = identityEq(e.a, e.b, env, fail);
          if (r) return e.op === 'eq' ? r : { v: not(r.v), err: r.err };
        }
        const a = go(e.a), b = go(e.b);
        const err = e.op === 'implies' ? or([a.err, and([a.v, b.err])]) : or([a.err, b.err]);
        if (isNum(a.v) && isNum(b.v) && e.op !== 'implies') {
          const x = numOf(a.v), y = numOf(b.v);
          const r: Record<string, number | boolean> = { add: x + y, sub: x - y, eq: x === y, ne: x !== y, lt: x < y, le: x <= y, gt: x > y, ge: x >= y };
          const k = r[e.op];
          return { v: typeof k === 'boolean' ? (k ? 'true' : 'false') : k < 0 ? `(- ${-k})` : String(k), err };
        }
        const op: Record<string, string> = { add: '+', sub: '-', eq: '=', lt: '<', le: '<=', gt: '>', ge: '>=', implies: '=>' };
        if (e.op === 'ne') return { v: `(not (= ${a.v} ${b.v}))`, err };
        if (e.op === 'eq' && (a.v === 'true' || b.v === 'true')) return { v: a.v === 'true' ? b.v : a.v, err };
        return { v: `(${op[e.op]} ${a.v} ${b.v})`, err };
      }
    }
  }

  /**
   * A sum spelled once per thread (`aref[owner] + aref[R1] + aref[R2]`): the members' terms
   * become one count-weighted sum over local states. Undefined when no member's term is complete.
   */
  function memberSum(e: Expr, env: Env, fail: (m: string) => Error): Val | undefined {
    const groups = foldMembers(addends(e));
    if (!groups.some((g) => typeof g === 'string')) return undefined;
    const terms: string[] = [];
    const errs: string[] = [];
    for (const g of groups) {
      if (typeof g !== 'string') { const x = expr(g, env, fail); terms.push(x.v); errs.push(x.err); continue; }
      localStates.forEach((l, i) => {
        const x = expr(templates.get(g)!, { ...env, members: new Map(env.members).set('$m', { slot: -1, l }) }, fail);
        if (!isNum(x.v)) throw fail('a sum over the members has a term that is not fixed by the member\'s local state');
        errs.push(and([`(> ${count(i)} 0)`, x.err]));
        const k = numOf(x.v);
        if (k !== 0) terms.push(k === 1 ? count(i) : `(* ${lit({ kind: 'int' }, k)} ${count(i)})`);
      });
    }
    return { v: terms.length === 0 ? '0' : terms.length === 1 ? terms[0] : `(+ ${terms.join(' ')})`, err: or(errs) };
  }

  /** A read of shared variable `v` at index terms `terms`: one cell, or a choice among the cells it may hit. */
  function sharedRead(v: VarDecl, terms: string[], err: string, sort: Sort): Val {
    const cells = cellsOf(v.index, terms);
    if (cells.length === 1 && cells[0].when === 'true') return { v: pre(argOf(v, cellOffset(v, cells[0].vals))), err };
    const inRange = and(v.index.map((s, k) => inSortTerm(s, terms[k])));
    const v2 = chain(cells.map((c) => ({ when: c.when, v: pre(argOf(v, cellOffset(v, c.vals))) })), lit(sort, 0));
    return { v: v2, err: or([err, not(inRange)]) };
  }

  /**
   * `a = b` where one side involves members as values: two member parameters (the same member or
   * not), or a thread-identity cell compared with a member (that member's `names` component) or
   * with a non-member value. Undefined when neither side does.
   */
  function identityEq(a: Expr, b: Expr, env: Env, fail: (m: string) => Error): Val | undefined {
    const ma = memberParam(a, env), mb = memberParam(b, env);
    const ia = a.op === 'var' && identVars.has(a.name), ib = b.op === 'var' && identVars.has(b.name);
    if (ma && mb) {
      if (ma.slot < 0 || mb.slot < 0) throw fail('a member bound by a quantifier is compared with another member');
      return { v: ma.slot === mb.slot ? 'true' : 'false', err: 'false' };
    }
    if (!ia && !ib) {
      const m = ma ?? mb;
      if (!m) return undefined;
      // A member compared with anything else: a non-member value is never equal to it.
      const o = expr(ma ? b : a, env, fail);
      if (!isNum(o.v)) throw fail('a member is compared with a computed value');
      if (isMember(numOf(o.v))) throw fail(`a member is compared with member ${ts.values[numOf(o.v)]}`);
      return { v: 'false', err: o.err };
    }
    if (ia && ib) throw fail(`two thread-identity variables are compared (${(a as { name: string }).name}, ${(b as { name: string }).name})`);
    const cellE = (ia ? a : b) as Extract<Expr, { op: 'var' }>;
    const other = ia ? b : a;
    const v = identVars.get(cellE.name)!;
    const idx = cellE.index.map((x) => expr(x, env, fail));
    let err = or(idx.map((x) => x.err));
    const cells = cellsOf(v.index, idx.map((x) => x.v));
    if (!(cells.length === 1 && cells[0].when === 'true')) err = or([err, not(and(v.index.map((s, k) => inSortTerm(s, idx[k].v))))]);
    const m = ia ? mb : ma;
    let per: (cell: number) => string;
    if (m) {
      if (m.slot < 0) throw fail(`a member bound by a quantifier is compared with thread-identity variable ${v.name}`);
      per = (cell) => (m.l[namesComp(v, cell)] ? 'true' : 'false');
    } else {
      const o = expr(other, env, fail);
      err = or([err, o.err]);
      if (!isNum(o.v)) throw fail(`thread-identity variable ${v.name} is compared with a computed value`);
      const x = numOf(o.v);
      if (isMember(x)) throw fail(`thread-identity variable ${v.name} is compared with member ${ts.values[x]}`);
      per = (cell) => `(= ${pre(argOf(v, cell))} ${x})`;
    }
    return { v: chain(cells.map((c) => ({ when: c.when, v: per(cellOffset(v, c.vals)) })), 'false'), err };
  }

  /**
   * `and`/`or` operands spelled once per member (the builder's final condition: `pc[T1] = done`,
   * `pc[T2] = done`, ...) folded into one quantifier over the members: each such group becomes
   * the key of its template (the operand with the member replaced by the parameter `$m`).
   */
  const templates = new Map<string, Expr>();
  function foldMembers(args: Expr[]): (Expr | string)[] {
    const byKey = new Map<string, Set<number>>();
    const keyOf = args.map((x) => {
      const ms = new Set<number>();
      const t = replaceMember(x, ms);
      if (ms.size !== 1) return undefined;
      const k = JSON.stringify(t);
      templates.set(k, t);
      byKey.set(k, (byKey.get(k) ?? new Set()).add([...ms][0]));
      return k;
    });
    const complete = (k: string | undefined) => k !== undefined && memberIdx.every((m) => byKey.get(k)!.has(m));
    const out: (Expr | string)[] = [];
    const done = new Set<string>();
    args.forEach((x, i) => {
      const k = keyOf[i];
      if (!complete(k)) out.push(x);
      else if (!done.has(k!)) { done.add(k!); out.push(k!); }
    });
    return out;
  }
  /** `e` with each member literal indexing a local variable replaced by `$m` (the members found go in `ms`). */
  function replaceMember(e: Expr, ms: Set<number>): Expr {
    const r = (x: Expr) => replaceMember(x, ms);
    switch (e.op) {
      case 'lit': case 'param': case 'cyclic': return e;
      case 'var': {
        const lv = localVars.get(e.name);
        const ix = lv ? e.index[lv.tpos] : undefined;
        if (lv && ix && ix.op === 'lit' && isMember(ix.value)) {
          ms.add(ix.value);
          return { ...e, index: e.index.map((x, k) => (k === lv.tpos ? { op: 'param', sort: ts, name: '$m' } : r(x))) };
        }
        return { ...e, index: e.index.map(r) };
      }
      case 'and': case 'or': return { ...e, args: e.args.map(r) };
      case 'not': return { ...e, a: r(e.a) };
      case 'ite': return { ...e, c: r(e.c), t: r(e.t), e: r(e.e) };
      case 'forall': case 'exists': case 'count': return { ...e, body: r(e.body) };
      default: return { ...e, a: r(e.a), b: r(e.b) };
    }
  }

  function quantifier(e: Extract<Expr, { op: 'forall' | 'exists' | 'count' }>, env: Env, fail: (m: string) => Error, membersOnly = false): Val {
    const parts: { v: string; err: string; weight?: number; present: string }[] = [];
    if (isThreadSort(e.over)) {
      for (const t of membersOnly ? [] : others) {
        const x = expr(e.body, { ...env, consts: new Map(env.consts).set(e.v, t) }, fail);
        parts.push({ ...x, present: 'true' });
      }
      localStates.forEach((l, i) => {
        const x = expr(e.body, { ...env, members: new Map(env.members).set(e.v, { slot: -1, l }) }, fail);
        parts.push({ ...x, weight: i, present: `(> ${count(i)} 0)` });
      });
    } else {
      if (threadSorted(e.over)) throw fail(`a quantifier over ${sortName(e.over)} is not supported by the counter abstraction`);
      for (const x of sortValues(e.over)) parts.push({ ...expr(e.body, { ...env, consts: new Map(env.consts).set(e.v, x) }, fail), present: 'true' });
    }
    const err = or(parts.map((p) => and([p.present, p.err])));
    if (e.op === 'forall') return { v: and(parts.map((p) => (p.present === 'true' ? p.v : `(=> ${p.present} ${p.v})`))), err };
    if (e.op === 'exists') return { v: or(parts.map((p) => and([p.present, p.v]))), err };
    const terms = parts.map((p) => {
      const one = p.weight === undefined ? '1' : count(p.weight);
      return p.v === 'true' ? one : p.v === 'false' ? '0' : `(ite ${p.v} ${one} 0)`;
    }).filter((t) => t !== '0');
    return { v: terms.length === 0 ? '0' : terms.length === 1 ? terms[0] : `(+ ${terms.join(' ')})`, err };
  }

  // Steps and their bad conditions.
  const steps: Step[] = [];
  const bad: { cond: string; what: string }[] = [];
  const enabled: string[] = [];
  for (const a of actions) {
    const fail = where(`action ${a.name}`);
    const tp = a.threadParam ? a.params.find((p) => p.name === a.threadParam) : undefined;
    const tpValues = tp ? tp.values ?? sortValues(tp.sort) : [];
    const picks = a.params.filter((p) => p !== tp && isThreadSort(p.sort) && (p.values ?? sortValues(p.sort)).some(isMember));
    if (picks.length > 1) throw fail(`parameters ${picks.map((p) => p.name).join(', ')} each pick a member; the counter abstraction follows at most one member besides the one taking the step`);
    for (const p of a.params) if (p !== tp && !picks.includes(p) && threadSorted(p.sort) && (p.values ?? sortValues(p.sort)).some(isMember)) throw fail(`parameter ${p.name} of sort ${sortName(p.sort)} picks a member`);
    const q = picks[0];
    const qValues = q ? q.values ?? sortValues(q.sort) : [];
    const rest = a.params.filter((p) => p !== tp && p !== q);
    // The stepping thread: each non-member it may be, or a member. q: each of its non-member
    // values, the stepping member itself, or another member.
    type Pick = { value: number } | { member: 'same' | 'other' };
    const tpBindings: (Pick | undefined)[] = !tp ? [undefined] : [
      ...tpValues.filter((x) => !isMember(x)).map((x) => ({ value: x })),
      ...(tpValues.some(isMember) ? [{ member: 'other' as const }] : []),
    ];
    for (const tb of tpBindings) {
      const memberStep = tb !== undefined && 'member' in tb;
      const qBindings: (Pick | undefined)[] = !q ? [undefined] : [
        ...qValues.filter((x) => !isMember(x)).map((x) => ({ value: x })),
        ...(memberStep && qValues.some((x) => isMember(x) && tpValues.includes(x)) ? [{ member: 'same' as const }] : []),
        ...(qValues.some(isMember) ? [{ member: 'other' as const }] : []),
      ];
      for (const binding of combos(rest)) {
        for (const qb of qBindings) {
          const consts = new Map(rest.map((p, k) => [p.name, binding[k]]));
          const shown = rest.map((p, k) => `${p.name}=${String(showValue(p.sort, binding[k]))}`);
          for (const [p, b] of [[tp, tb], [q, qb]] as const) {
            if (p && b && 'value' in b) { consts.set(p.name, b.value); shown.push(`${p.name}=${String(showValue(p.sort, b.value))}`); }
          }
          const label = `${a.name}${shown.length ? `(${shown.join(',')})` : ''}`;
          // Slots: the stepping member (when a member steps), then q's member (unless it is the same one).
          const slotNames: string[][] = [];
          if (memberStep) slotNames.push(qb && 'member' in qb && qb.member === 'same' ? [tp!.name, q!.name] : [tp!.name]);
          if (qb && 'member' in qb && qb.member === 'other') slotNames.push([q!.name]);
          const dLit = familyMember.get(a);
          if (!slotNames.length) { instance(a, { consts, members: new Map(), dLit }, [], label, fail); continue; }
          for (const states of combos(slotNames.map(() => ({ sort: { kind: 'range' as const, lo: 0, hi: localStates.length - 1 } })))) {
            const members = new Map<string, MemberRef>();
            slotNames.forEach((names, s) => { for (const n of names) members.set(n, { slot: s, l: localStates[states[s]] }); });
            const who = slotNames.map((names, s) => `${names.join('=')} a member in ${showLocal(localStates[states[s]])}`).join(', ');
            instance(a, { consts, members, dLit }, states, `${label} by ${who}`, fail);
          }
        }
      }
    }
  }

  /** One action instance: `slots[s]` is the local state of the s-th member taking part (none for a non-member step). */
  function instance(a: Action, env: Env, slots: number[], what: string, fail: (m: string) => Error) {
    const need = new Map<number, number>();
    for (const i of slots) need.set(i, (need.get(i) ?? 0) + 1);
    const here = and([...need].map(([i, k]) => `(>= ${count(i)} ${k})`));
    const g = expr(a.guard, env, fail);
    if (g.v === 'false' && g.err === 'false') return;
    const en = and([here, g.v]);
    enabled.push(or([en, and([here, g.err])]));
    const reqs = a.requires.map((r) => expr(r.expr, env, fail));
    // Writes: the members' local cells (their new local states), or shared cells.
    const post = args.map((_, i) => pre(i));
    const newLocal = slots.map((i) => localStates[i].map((x) => String(x)));
    const slotOf = (x: Expr) => { const m = memberParam(x, env); if (m && m.slot < 0) throw fail('a quantified member is written'); return m?.slot; };
    const errs: string[] = [];
    const identWrites: { v: VarDecl; cell: number; to: { slot: number } | { value: number } }[] = [];
    for (const w of a.assigns) {
      const v = model.vars.find((x) => x.name === w.name)!;
      if (identVars.has(v.name)) {
        const idx = w.index.map((x) => expr(x, env, fail));
        if (!idx.every((x) => isNum(x.v))) throw fail(`thread-identity variable ${v.name} is written at a computed index`);
        errs.push(...idx.map((x) => x.err));
        const vals = idx.map((x) => numOf(x.v));
        if (!v.index.every((s, k) => sortValues(s).includes(vals[k]))) { errs.push('true'); continue; }
        const s = slotOf(w.value);
        if (s !== undefined) { identWrites.push({ v, cell: cellOffset(v, vals), to: { slot: s } }); continue; }
        const x = expr(w.value, env, fail);
        errs.push(x.err);
        if (!isNum(x.v)) throw fail(`thread-identity variable ${v.name} is assigned a computed value`);
        if (isMember(numOf(x.v))) throw fail(`thread-identity variable ${v.name} is assigned member ${ts.values[numOf(x.v)]}`);
        if (!sortValues(v.sort).includes(numOf(x.v))) { errs.push('true'); continue; }
        identWrites.push({ v, cell: cellOffset(v, vals), to: { value: numOf(x.v) } });
        continue;
      }
      const val = expr(w.value, env, fail);
      errs.push(val.err);
      const sc = scaled.get(v.name);
      errs.push(not(sc ? and([sc.lo === undefined ? 'true' : `(<= ${lit(v.sort, sc.lo)} ${val.v})`, sc.hi === undefined ? 'true' : `(<= ${val.v} ${lit(v.sort, sc.hi)})`]) : inSortTerm(v.sort, val.v)));
      const lv = localVars.get(v.name);
      let terms: string[];
      if (lv) {
        const restIdx = w.index.filter((_, i) => i !== lv.tpos).map((x) => expr(x, env, fail));
        errs.push(...restIdx.map((x) => x.err), not(and(lv.rest.map((s, k) => inSortTerm(s, restIdx[k].v)))));
        const s = slotOf(w.index[lv.tpos]);
        if (s !== undefined) {
          for (const k of cellsOf(lv.rest, restIdx.map((x) => x.v))) {
            const c = compOf.get(`${v.name}|${k.vals.join(',')}`)!;
            newLocal[s][c] = k.when === 'true' ? val.v : `(ite ${k.when} ${val.v} ${newLocal[s][c]})`;
          }
          continue;
        }
        const t = expr(w.index[lv.tpos], env, fail);
        if (!isNum(t.v)) throw fail(`thread-indexed array ${v.name} is written at a computed thread index`);
        if (isMember(numOf(t.v))) throw fail(`thread-indexed array ${v.name} is written at member ${ts.values[numOf(t.v)]}'s index by another thread`);
        errs.push(t.err);
        terms = restIdx.map((x) => x.v);
        terms.splice(lv.tpos, 0, t.v);
      } else {
        const idx = w.index.map((x) => expr(x, env, fail));
        errs.push(...idx.map((x) => x.err), not(and(v.index.map((s, k) => inSortTerm(s, idx[k].v)))));
        terms = idx.map((x) => x.v);
      }
      for (const c of cellsOf(v.index, terms)) {
        const j = argOf(v, cellOffset(v, c.vals));
        post[j] = c.when === 'true' ? val.v : `(ite ${c.when} ${val.v} ${post[j]})`;
      }
    }
    const reqBad = or(reqs.map((r) => or([r.err, not(r.v)])));
    bad.push({ cond: and([here, or([g.err, and([g.v, or([reqBad, ...errs])])])]), what: `${what}: a requirement or a sort bound` });
    const good = and([here, not(g.err), g.v, ...reqs.map((r) => and([not(r.err), r.v])), ...errs.map(not)]);
    if (good === 'false') return;

    // Thread-identity writes: the member the cell named (a member taking part, or some other
    // member, `holder`) stops being named; the member written starts.
    type Case = { cond: string; newLocal: string[][]; post: string[]; holders: [number, number][] };
    let cases: Case[] = [{ cond: 'true', newLocal, post, holders: [] }];
    for (const w of identWrites) {
      const next: Case[] = [];
      const nc = namesComp(w.v, w.cell);
      const j = argOf(w.v, w.cell);
      for (const c of cases) {
        const held = c.newLocal.flatMap((l, s) => (l[nc] === '1' ? [s] : []));
        if (c.newLocal.some((l) => l[nc] !== '0' && l[nc] !== '1')) throw fail(`thread-identity variable ${w.v.name} is written twice`);
        const write = (x: Case): Case => {
          const nl = x.newLocal.map((l) => [...l]);
          const p = [...x.post];
          if ('slot' in w.to) { nl[w.to.slot][nc] = '1'; p[j] = String(M); } else p[j] = lit(w.v.sort, w.to.value);
          return { ...x, newLocal: nl, post: p };
        };
        if (held.length > 1) continue;
        if (held.length === 1) {
          const nl = c.newLocal.map((l) => [...l]);
          nl[held[0]][nc] = '0';
          next.push(write({ ...c, newLocal: nl }));
          continue;
        }
        next.push(write({ ...c, cond: and([c.cond, not(namesMember(c.post[j]))]) }));
        // Named by a member not taking part: it moves to the same local state, not named.
        const byOther = and([c.cond, namesMember(c.post[j])]);
        if (contradicts(and([good, byOther]))) continue;
        localStates.forEach((l, lh) => {
          if (!l[nc]) return;
          const l2 = [...l];
          l2[nc] = 0;
          const key = lsKey(l2);
          if (!lsIndex.has(key)) { discovered.add(key); return; }
          next.push(write({ ...c, cond: byOther, holders: [...c.holders, [lh, lsIndex.get(key)!]] }));
        });
      }
      cases = next;
    }

    for (const c of cases) {
      const hneed = new Map(need);
      for (const [lh] of c.holders) hneed.set(lh, (hneed.get(lh) ?? 0) + 1);
      const here2 = and([...hneed].filter(([i, k]) => k > (need.get(i) ?? 0)).map(([i, k]) => `(>= ${count(i)} ${k})`));
      // Each member moves to the local state its new values name (one clause per possible target).
      const targets = c.newLocal.map((nl) => targetsOf(nl));
      for (const pick of combos(targets.map((t) => ({ sort: { kind: 'range' as const, lo: 0, hi: t.length - 1 } })))) {
        const chosen = pick.map((k, s) => targets[s][k]);
        const keys = chosen.map((t) => lsKey(t.l));
        const cond = and([good, here2, c.cond, ...chosen.map((t) => t.cond)]);
        if (cond === 'false' || contradicts(cond)) continue;
        const missing = keys.filter((k) => !lsIndex.has(k));
        if (missing.length) { for (const k of missing) discovered.add(k); continue; }
        const delta = new Map<number, number>();
        const move = (from: number, to: number) => { if (from === to) return; delta.set(from, (delta.get(from) ?? 0) - 1); delta.set(to, (delta.get(to) ?? 0) + 1); };
        slots.forEach((from, s) => move(from, lsIndex.get(keys[s])!));
        for (const [from, to] of c.holders) move(from, to);
        const p2 = [...c.post];
        for (const [i, d] of delta) if (d) p2[i] = d > 0 ? `(+ ${p2[i]} ${d})` : `(- ${p2[i]} ${-d})`;
        steps.push({ cond, post: p2, what, ...(slots.length === 1 && !c.holders.length ? { move: [slots[0], lsIndex.get(keys[0])!] as [number, number] } : {}) });
      }
    }
  }

  /** The local states a member's new component terms may name, each with its condition. */
  function targetsOf(nl: string[]): { l: number[]; cond: string }[] {
    let out: { l: number[]; cond: string[] }[] = [{ l: [], cond: [] }];
    nl.forEach((t, k) => {
      const s = comps[k].sort;
      const options: { x: number; cond: string }[] = isNum(t) ? [{ x: numOf(t), cond: 'true' }]
        : t === 'true' || t === 'false' ? [{ x: t === 'true' ? 1 : 0, cond: 'true' }]
          : s.kind === 'bool' ? [{ x: 1, cond: t }, { x: 0, cond: not(t) }]
            : sortValues(s).map((x) => ({ x, cond: `(= ${t} ${lit(s, x)})` }));
      out = out.flatMap((o) => options.map((p) => ({ l: [...o.l, p.x], cond: [...o.cond, p.cond] })));
    });
    return out.map((o) => ({ l: o.l, cond: and(o.cond) }));
  }

  // Properties.
  // Wrapped in an `and`, so that a final condition of one member (`pc[T1] = done`) folds too.
  const noMembers: Env = { consts: new Map(), members: new Map() };
  const final = expr({ op: 'and', sort: BOOL, args: [model.final] }, noMembers, where('the final condition'));
  for (const p of model.properties) {
    const fail = where(`${p.kind} ${p.id}`);
    if (p.kind === 'invariant') {
      const x = expr(p.expr, noMembers, fail);
      bad.push({ cond: or([x.err, not(x.v)]), what: `invariant ${p.id}` });
    } else if (p.kind === 'quiescence') {
      const x = expr(p.expr, noMembers, fail);
      bad.push({ cond: and([final.v, or([x.err, not(x.v)])]), what: `quiescence ${p.id}` });
    } else if (p.kind === 'deadlock') {
      bad.push({ cond: and([not(final.v), ...enabled.map(not)]), what: 'deadlock' });
    }
  }
  if (final.err !== 'false') bad.push({ cond: final.err, what: 'the final condition leaves a sort' });

  const domain = (terms: string[]) => {
    const parts = terms.map((t, i) => {
      if (i < localStates.length) return `(>= ${t} 0)`;
      if (i === nArg) {
        const sum = localStates.length === 1 ? terms[0] : `(+ ${terms.slice(0, localStates.length).join(' ')})`;
        return `(and (>= ${t} ${minMembers}) (= ${sum} ${t}))`;
      }
      const { v } = argCells[i - localStates.length];
      const s = scaled.get(v.name);
      if (s) return and([s.lo === undefined ? 'true' : `(<= ${s.lo} ${t})`, s.hi === undefined ? 'true' : `(<= ${t} ${s.hi})`]);
      if (identVars.has(v.name)) return or(sortValues(v.sort).filter((x) => !isMember(x) || x === M).map((x) => `(= ${t} ${x})`));
      return inSortTerm(v.sort, t);
    });
    // A thread-identity cell names some member exactly when one member's `names` component is set.
    for (const v of identVars.values()) {
      for (let c = 0; c < cellCount(v); c++) {
        const nc = namesComp(v, c);
        const holders = localStates.flatMap((l, i) => (l[nc] ? [terms[i]] : []));
        const sum = holders.length === 0 ? '0' : holders.length === 1 ? holders[0] : `(+ ${holders.join(' ')})`;
        parts.push(`(= ${sum} (ite ${namesMember(terms[argOf(v, c)])} 1 0))`);
      }
    }
    return and(parts);
  };

  const abstractOf = (m: Model, st: Record<string, number[]>): number[] | undefined => {
    const mts = m.threadSort as Extract<Sort, { kind: 'enum' }>;
    const mVar = (name: string) => m.vars.find((x) => x.name === name)!;
    // A cell of this model's variable, in model m (its thread sort may have more members).
    const cellIn = (v: VarDecl, vals: number[]) => cellOffset(mVar(v.name), vals.map((x, k) => (threadSorted(v.index[k]) ? mts.values.indexOf(ts.values[x]) : x)));
    const identValue = (v: VarDecl, x: number) => {
      const name = String(showValue(mVar(v.name).sort, x));
      if (m.symmetry!.members.includes(name)) return M;
      return (v.sort as Extract<Sort, { kind: 'enum' }>).values.indexOf(name);
    };
    const counts = new Array<number>(localStates.length).fill(0);
    for (const name of m.symmetry!.members) {
      const t = mts.values.indexOf(name);
      const l = comps.map((c) => {
        if (c.kind === 'names') return st[c.v.name][cellIn(c.v, cellValues(c.v.index, c.cell))] === t ? 1 : 0;
        const lv = localVars.get(c.v.name)!;
        const vals = [...c.key];
        vals.splice(lv.tpos, 0, -1);
        const mv = mVar(c.v.name);
        return st[c.v.name][cellOffset(mv, vals.map((x, k) => (k === lv.tpos ? t : x)))];
      });
      const i = lsIndex.get(lsKey(l));
      if (i === undefined) return undefined;
      counts[i]++;
    }
    const cells = argCells.map(({ v, cell }) => {
      const x = st[v.name][cellIn(v, cellValues(v.index, cell))];
      return identVars.has(v.name) ? identValue(v, x) : x;
    });
    return [...counts, ...cells, ...(nArg >= 0 ? [m.symmetry!.members.length] : [])];
  };
  return {
    cs: { args, init, minMembers, steps, domain, abstractOf, bad, locals, members: sym.members },
    known,
    discovered: [...discovered],
  };
}

/**
 * A conjunction that says a term equals two different numbers, or equals and differs from one
 * (`(= s3@p 3)` and `(= s3@p 1)`): false, found without a solver. Incomplete by design: it
 * only prunes clauses (and the local states they would reach) that could never fire.
 */
function contradicts(x: string): boolean {
  const eqs = new Map<string, string>();
  const nes = new Set<string>();
  const all = conjuncts(x);
  for (const c of all) {
    const m = /^\(= (\S+) (-?\d+|\(- \d+\)|true|false)\)$/.exec(c);
    if (m) {
      if ((eqs.has(m[1]) && eqs.get(m[1]) !== m[2]) || nes.has(`${m[1]} ${m[2]}`)) return true;
      eqs.set(m[1], m[2]);
      continue;
    }
    const n = /^\(not \(= (\S+) (-?\d+|\(- \d+\))\)\)$/.exec(c);
    if (n) {
      if (eqs.get(n[1]) === n[2]) return true;
      nes.add(`${n[1]} ${n[2]}`);
    }
  }
  // A disjunction of equalities none of which can hold.
  const EQ = /^\(= (\S+) (-?\d+|\(- \d+\)|true|false)\)$/;
  return all.some((c) => c.startsWith('(or ') && conjuncts(`(and ${c.slice(4)}`).every((d) => {
    const m = EQ.exec(d);
    return m !== null && eqs.has(m[1]) && eqs.get(m[1]) !== m[2];
  }));
}

/** The top-level conjuncts of an SMT-LIB term (nested `and`s flattened). */
function conjuncts(x: string): string[] {
  if (!x.startsWith('(and ')) return [x];
  const out: string[] = [];
  let depth = 0, start = -1;
  for (let i = 5; i < x.length - 1; i++) {
    const ch = x[i];
    if (ch === ' ' && depth === 0) { if (start >= 0) { out.push(...conjuncts(x.slice(start, i))); start = -1; } continue; }
    if (start < 0) start = i;
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
  }
  if (start >= 0) out.push(...conjuncts(x.slice(start, x.length - 1)));
  return out;
}

/** The values (one per index sort) of cell `c` of an array over `sorts` (row-major). */
function cellValues(sorts: Sort[], c: number): number[] {
  const out: number[] = [];
  let rest = c;
  for (let k = sorts.length - 1; k >= 0; k--) {
    const n = cardinality(sorts[k]);
    out.unshift(sortValues(sorts[k])[rest % n]);
    rest = Math.floor(rest / n);
  }
  return out;
}

/** Cells of an array over `sorts` that index terms `ix` may hit, each with its index values and condition. */
function cellsOf(sorts: Sort[], ix: string[]): { vals: number[]; when: string }[] {
  let out: { vals: number[]; when: string[] }[] = [{ vals: [], when: [] }];
  sorts.forEach((s, k) => {
    const next: { vals: number[]; when: string[] }[] = [];
    for (const o of out) {
      for (const x of sortValues(s)) {
        const w = isNum(ix[k]) ? (numOf(ix[k]) === x ? 'true' : 'false') : ix[k] === 'true' || ix[k] === 'false' ? ((ix[k] === 'true') === (x === 1) ? 'true' : 'false') : s.kind === 'bool' ? (x ? ix[k] : `(not ${ix[k]})`) : `(= ${ix[k]} ${x})`;
        if (w === 'false') continue;
        next.push({ vals: [...o.vals, x], when: [...o.when, w] });
      }
    }
    out = next;
  });
  return out.map((o) => ({ vals: o.vals, when: and(o.when) }));
}

/**
 * Integer constants of the model that move with the member count (a refcount's saturation value
 * `2n + 2`): the model and `grown` (one member more) are walked side by side, and each integer
 * literal that differs maps to its step per member. Any other difference in shape (an action, a
 * property) is refused: the abstraction must describe the model at every member count.
 */
function scaledLiterals(model: Model, grown: Model): Map<Expr, number> {
  const out = new Map<Expr, number>();
  const mismatch = (what: string) => new CounterAbstractionError(`${what} changes shape with the member count; the counter abstraction needs the same model at every count`);
  const walk = (a: Expr, b: Expr, what: string): void => {
    if (a.op !== b.op) throw mismatch(what);
    switch (a.op) {
      case 'lit': {
        const y = (b as typeof a).value;
        if (y !== a.value && (a.sort.kind === 'range' || a.sort.kind === 'int')) out.set(a, y - a.value);
        return;
      }
      case 'param': case 'cyclic': return;
      case 'var': { const bb = b as typeof a; if (a.name !== bb.name || a.index.length !== bb.index.length) throw mismatch(what); a.index.forEach((x, i) => walk(x, bb.index[i], what)); return; }
      case 'and': case 'or': walkList(a.args, (b as typeof a).args, what); return;
      case 'add': walkList(addends(a), addends(b), what); return;
      case 'not': walk(a.a, (b as typeof a).a, what); return;
      case 'ite': { const bb = b as typeof a; walk(a.c, bb.c, what); walk(a.t, bb.t, what); walk(a.e, bb.e, what); return; }
      case 'forall': case 'exists': case 'count': walk(a.body, (b as typeof a).body, what); return;
      default: { const bb = b as typeof a; walk(a.a, bb.a, what); walk(a.b, bb.b, what); }
    }
  };
  // Operands spelled once per member (`aref[R1] + aref[R2]`, one more in `grown`) are paired by member.
  const walkList = (xs: Expr[], ys: Expr[], what: string) => {
    if (xs.length === ys.length) { xs.forEach((x, i) => walk(x, ys[i], what)); return; }
    const gx = byMember(model, xs), gy = byMember(grown, ys);
    if (gx.fixed.length !== gy.fixed.length || gx.groups.size !== gy.groups.size) throw mismatch(what);
    gx.fixed.forEach((x, i) => walk(x, gy.fixed[i], what));
    for (const [k, mx] of gx.groups) {
      const my = gy.groups.get(k);
      if (!my || mx.size !== model.symmetry!.members.length || my.size !== grown.symmetry!.members.length) throw mismatch(what);
      for (const [name, x] of mx) walk(x, my.get(name) ?? (() => { throw mismatch(what); })(), what);
    }
  };
  const mine = memberFamilies(model), theirs = memberFamilies(grown);
  if (mine.length !== theirs.length) throw mismatch(`the set of actions (${mine.length} against ${theirs.length})`);
  mine.forEach((a, i) => {
    const b = theirs[i];
    const what = `action ${a.name}`;
    if (a.name !== b.name || a.requires.length !== b.requires.length || a.assigns.length !== b.assigns.length) throw mismatch(what);
    walk(a.guard, b.guard, what);
    a.requires.forEach((r, k) => walk(r.expr, b.requires[k].expr, what));
    a.assigns.forEach((w, k) => {
      if (w.name !== b.assigns[k].name) throw mismatch(what);
      w.index.forEach((x, j) => walk(x, b.assigns[k].index[j], what));
      walk(w.value, b.assigns[k].value, what);
    });
  });
  if (model.properties.length !== grown.properties.length) throw mismatch('the set of properties');
  model.properties.forEach((p, i) => {
    const q = grown.properties[i];
    if (p.id !== q.id || ('expr' in p) !== ('expr' in q)) throw mismatch(`property ${p.id}`);
    if ('expr' in p && 'expr' in q) walk(p.expr as Expr, q.expr as Expr, `property ${p.id}`);
  });
  return out;
}

/** Family representatives (memberFamilies): the member literal standing for "the member it names". */
const familyMember = new WeakMap<Action, number>();

/**
 * The model's actions with each family of per-member copies (one step spelled once per member,
 * `send_to_T1`, `send_to_T2`: images of each other under renaming the members) replaced, in the
 * place of its first action, by one representative with a parameter `$d` over the members: the
 * representative's literal of the first member stands for `$d` (familyMember).
 */
export function memberFamilies(m: Model): Action[] {
  const sym = m.symmetry, ts = m.threadSort;
  if (!sym || !ts || ts.kind !== 'enum') return m.actions;
  const members = sym.members.map((n) => ts.values.indexOf(n));
  const n = members.length;
  // Each action naming one member outside every all-members group: that member, and the key of
  // the action renamed so that it names the first member instead.
  const info = m.actions.map((a) => {
    const free = freeMembers(m, a);
    if (free.size !== 1) return undefined;
    const d = members.indexOf([...free][0]);
    const perm = members.map((_, i) => (i === d ? 0 : i === 0 ? d : i));
    return { d, key: renamedActionKey(sym, a, perm) };
  });
  const byKey = new Map<string, number[]>();
  info.forEach((x, i) => { if (x) byKey.set(x.key, [...(byKey.get(x.key) ?? []), i]); });
  const out: Action[] = [];
  m.actions.forEach((a, i) => {
    const x = info[i];
    const fam = x ? byKey.get(x.key)! : [];
    const complete = fam.length === n && new Set(fam.map((j) => info[j]!.d)).size === n;
    if (!complete) { out.push(a); return; }
    if (fam[0] !== i) return;
    const rep = m.actions[fam.find((j) => info[j]!.d === 0)!];
    const r: Action = { ...rep, name: rep.name.replace(ts.values[members[0]], '*'), params: [...rep.params, { name: '$d', sort: ts, values: members }] };
    familyMember.set(r, members[0]);
    out.push(r);
  });
  return out;
}

/** The members an action names outside the operand groups that name every member alike. */
function freeMembers(m: Model, a: Action): Set<number> {
  const ts = m.threadSort as Extract<Sort, { kind: 'enum' }>;
  const members = new Set(m.symmetry!.members.map((x) => ts.values.indexOf(x)));
  const out = new Set<number>();
  const list = (xs: Expr[]) => {
    const g = byMember(m, xs);
    for (const x of g.fixed) walk(x);
    for (const grp of g.groups.values()) if (grp.size !== members.size) for (const x of grp.values()) walk(x);
  };
  const walk = (e: Expr): void => {
    switch (e.op) {
      case 'lit': if (e.sort.kind === 'enum' && (e.sort.name === ts.name || e.sort.base === ts.name) && members.has(e.value)) out.add(e.value); return;
      case 'param': case 'cyclic': return;
      case 'var': e.index.forEach(walk); return;
      case 'and': case 'or': list(e.args); return;
      case 'add': list(addends(e)); return;
      case 'not': walk(e.a); return;
      case 'ite': walk(e.c); walk(e.t); walk(e.e); return;
      case 'forall': case 'exists': case 'count': walk(e.body); return;
      default: walk(e.a); walk(e.b);
    }
  };
  walk(a.guard);
  for (const r of a.requires) walk(r.expr);
  for (const w of a.assigns) { w.index.forEach(walk); walk(w.value); }
  return out;
}

/**
 * Operands of one `and`/`or`/sum split into those naming no member and those naming exactly one
 * (grouped by their shape with the member left out, then by member name).
 */
function byMember(m: Model, xs: Expr[]): { fixed: Expr[]; groups: Map<string, Map<string, Expr>> } {
  const ts = m.threadSort as Extract<Sort, { kind: 'enum' }>;
  const members = new Set(m.symmetry!.members);
  const fixed: Expr[] = [];
  const groups = new Map<string, Map<string, Expr>>();
  for (const x of xs) {
    const named = new Set<string>();
    // The shape: sorts left out, thread literals by name, a member literal as `$m`.
    const key = JSON.stringify(x, (k, v) => {
      if (k === 'sort' || k === 'over' || k === '$action') return undefined;
      // Quantified variables are named afresh in each build (`$q3`, `$q4`).
      if (v && typeof v === 'object' && v.op === 'param') return { op: 'param' };
      if (v && typeof v === 'object' && (v.op === 'forall' || v.op === 'exists' || v.op === 'count')) return { ...v, v: undefined };
      if (v && typeof v === 'object' && v.op === 'lit' && v.sort?.kind === 'enum' && (v.sort.name === ts.name || v.sort.base === ts.name)) {
        const name = v.sort.values[v.value];
        if (members.has(name)) { named.add(name); return '$m'; }
        return `thread:${name}`;
      }
      return v;
    });
    if (named.size !== 1) { fixed.push(x); continue; }
    const g = groups.get(key) ?? new Map<string, Expr>();
    g.set([...named][0], x);
    groups.set(key, g);
  }
  return { fixed, groups };
}

/** Shared variables whose sort bounds or initial values change with one member more. */
function scaling(model: Model, grown: Model): Map<string, Scaled> {
  const out = new Map<string, Scaled>();
  const n = model.symmetry?.members.length ?? 0;
  const ts = model.threadSort;
  for (const v of model.vars) {
    if (ts && v.index.some((s) => s.kind === 'enum' && s.name === (ts as { name: string }).name)) continue;
    if (model.symmetry && tiesOf(model.symmetry, v.sort)) continue; // refused by build(), naming it
    const w = grown.vars.find((x) => x.name === v.name);
    if (!w) throw new CounterAbstractionError(`variable ${v.name} exists only with ${n} members; the counter abstraction needs the same shared variables for every member count`);
    const a = v.sort, b = w.sort;
    const init = (x: VarDecl, c: number) => (Array.isArray(x.init) ? x.init[c] : x.init);
    const sameInit = cellCount(v) === cellCount(w) && Array.from({ length: cellCount(v) }, (_, c) => init(v, c) === init(w, c)).every(Boolean);
    if (JSON.stringify(a) === JSON.stringify(b) && sameInit) continue;
    if (a.kind !== 'range' || b.kind !== 'range' || cellCount(v) !== cellCount(w)) throw new CounterAbstractionError(`variable ${v.name} changes sort with the member count (${sortName(a)} for ${n}, ${sortName(b)} for ${n + 1}); only integer ranges may grow with it`);
    out.set(v.name, {
      lo: a.lo === b.lo ? a.lo : undefined,
      hi: a.hi === b.hi ? a.hi : undefined,
      // init(N) = init(n) + (init(n+1) - init(n)) * (N - n)
      init: (c) => {
        const i0 = init(v, c), d = init(w, c) - i0;
        return d === 0 ? lit(a, i0) : `(+ ${lit(a, i0)} (* ${lit(a, d)} (- N ${n})))`;
      },
    });
  }
  return out;
}

function cellName(v: VarDecl, c: number): string {
  if (!v.index.length) return v.name;
  return `${v.name}[${cellValues(v.index, c).map((x, k) => String(showValue(v.index[k], x))).join('][')}]`;
}

function combos(ps: { sort: Sort; values?: number[] }[]): number[][] {
  let out: number[][] = [[]];
  for (const p of ps) {
    const vs = p.values ?? sortValues(p.sort);
    out = out.flatMap((o) => vs.map((x) => [...o, x]));
  }
  return out;
}

/** The Horn clauses of a counter system (SMT-LIB, for Spacer). */
export function hornText(cs: CounterSystem): string {
  const decl = cs.args.map((a) => a.sort).join(' ');
  const binder = (tag: string) => cs.args.map((a) => `(${a.name}@${tag} ${a.sort})`).join(' ');
  const inv = (terms: string[]) => `(Inv ${terms.join(' ')})`;
  const preTerms = cs.args.map((a) => `${a.name}@p`);
  const out = ['(set-logic HORN)', `(declare-fun Inv (${decl}) Bool)`];
  out.push(`(assert (forall ((N Int)) (=> (>= N ${cs.minMembers}) ${inv(cs.init)})))`);
  const d = cs.domain(preTerms);
  for (const s of cs.steps) out.push(`(assert (forall (${binder('p')}) (=> (and ${inv(preTerms)} ${d} ${s.cond}) ${inv(s.post)})))`);
  for (const b of cs.bad) if (b.cond !== 'false') out.push(`(assert (forall (${binder('p')}) (=> (and ${inv(preTerms)} ${d} ${b.cond}) false)))`);
  return out.join('\n');
}
