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
 * It applies only when no step or property tells members apart: a refusal names the variable or
 * action that stops it (a thread-indexed array read at another member's index, a variable holding
 * a thread identity, a property naming one member).
 *
 * @example
 * const cs = counterSystem(model);           // CounterSystem, or throws CounterAbstractionError
 * const text = cs.horn();                     // Horn clauses for Spacer, over cs.args
 */
import type { Action, Expr, Model, Sort, VarDecl } from '../../model/lang/ir.ts';
import { cellCount, cardinality, ordinal, showValue, sortName, sortValues } from '../../model/lang/ir.ts';
import { tiesOf } from '../../model/lang/symmetry.ts';

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
  /** Thread-sort parameters standing for an abstract member in local state `local`. */
  members: Map<string, number[]>;
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
  // Local states no member can reach from the initial one, whatever the shared state, always
  // count 0: the second pass leaves them out (fewer unknowns for Spacer, same system).
  const all = build(model, minMembers, scaled);
  const seen = new Set([all.l0]);
  for (let grew = true; grew;) {
    grew = false;
    for (const s of all.cs.steps) if (s.move && seen.has(s.move[0]) && !seen.has(s.move[1])) { seen.add(s.move[1]); grew = true; }
  }
  return build(model, minMembers, scaled, new Set([...seen].map((i) => all.states[i].join(',')))).cs;
}

function build(model: Model, minMembers: number, scaled: Map<string, Scaled>, keep?: Set<string>): { cs: CounterSystem; l0: number; states: number[][] } {
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

  // Classify the variables: locals (indexed by the thread sort alone), shared otherwise.
  const locals: VarDecl[] = [];
  for (const v of model.vars) {
    if (tiesOf(sym, v.sort)) throw new CounterAbstractionError(`variable ${v.name} holds a thread identity (sort ${sortName(v.sort)}): the counter abstraction cannot tell members apart; keep identities out of shared state`);
    const tIdx = v.index.filter(threadSorted).length;
    if (tIdx === 0) continue;
    if (v.index.length !== 1) throw new CounterAbstractionError(`variable ${v.name} is indexed by the thread sort and more (${v.index.map(sortName).join(' x ')}): only thread-local arrays over the thread sort alone are counted`);
    locals.push(v);
  }
  const localIdx = new Map(locals.map((v, i) => [v.name, i]));
  // Local states: the product of the locals' sorts.
  let nLocal = 1;
  for (const v of locals) nLocal *= cardinality(v.sort);
  if (nLocal > MAX_LOCAL_STATES) throw new CounterAbstractionError(`the thread-local variables (${locals.map((v) => v.name).join(', ')}) have ${nLocal} local states, more than ${MAX_LOCAL_STATES}`);
  const localStates: number[][] = [[]];
  for (const v of locals) {
    const next: number[][] = [];
    for (const l of localStates) for (const x of sortValues(v.sort)) next.push([...l, x]);
    localStates.splice(0, localStates.length, ...next);
  }
  if (keep) localStates.splice(0, localStates.length, ...localStates.filter((l) => keep.has(l.join(','))));
  const lsKey = (l: number[]) => l.join(',');
  const lsIndex = new Map(localStates.map((l, i) => [lsKey(l), i]));
  const showLocal = (l: number[]) => `#[${locals.map((v, i) => `${v.name}=${String(showValue(v.sort, l[i]))}`).join(',')}]`;

  // Shared cells: every cell of a shared variable, and the non-members' cells of the locals.
  const args: CountArg[] = localStates.map((l, i) => ({ name: `c${i}`, sort: 'Int', show: showLocal(l) }));
  const cellArg = new Map<string, number>();
  const addCell = (v: VarDecl, cell: number, show: string) => {
    cellArg.set(`${v.name}.${cell}`, args.length);
    args.push({ name: `s${args.length - localStates.length}`, sort: v.sort.kind === 'bool' ? 'Bool' : 'Int', show, cellSort: v.sort });
  };
  for (const v of model.vars) {
    if (localIdx.has(v.name)) {
      for (const t of others) addCell(v, ordinal(ts, t), `${v.name}[${ts.values[t]}]`);
      continue;
    }
    for (let c = 0; c < cellCount(v); c++) addCell(v, c, cellName(v, c));
  }
  const initOf = (v: VarDecl, c: number) => (Array.isArray(v.init) ? v.init[c] : v.init);

  // The initial state: all members in one local state.
  const l0 = locals.map((v) => {
    const xs = memberIdx.map((t) => initOf(v, ordinal(ts, t)));
    if (xs.some((x) => x !== xs[0])) throw new CounterAbstractionError(`the members start with different values of ${v.name}; the counter abstraction needs one initial local state`);
    return xs[0];
  });
  const init = args.map((a, i) => {
    if (i < localStates.length) return i === lsIndex.get(lsKey(l0)) ? 'N' : '0';
    const [name, cell] = [...cellArg.entries()].find(([, j]) => j === i)![0].split('.');
    const v = model.vars.find((x) => x.name === name)!;
    return scaled.get(v.name)?.init(Number(cell)) ?? lit(v.sort, initOf(v, Number(cell)));
  });

  const pre = (i: number) => `${args[i].name}@p`;
  const count = (i: number) => pre(i);

  // Expressions over the pre-state, for one binding of parameters.
  const where = (what: string) => (msg: string) => new CounterAbstractionError(`${msg} (${what}); the counter abstraction applies only when no step or property tells members apart`);
  function expr(e: Expr, env: Env, fail: (m: string) => Error): Val {
    const go = (x: Expr) => expr(x, env, fail);
    switch (e.op) {
      case 'lit': return { v: lit(e.sort, e.value), err: 'false' };
      case 'param': {
        if (env.members.has(e.name)) throw fail(`thread ${e.name} is used as a value, not only as an index`);
        const k = env.consts.get(e.name);
        if (k === undefined) throw fail(`parameter ${e.name} is unbound`);
        return { v: lit(e.sort, k), err: 'false' };
      }
      case 'var': {
        const li = localIdx.get(e.name);
        if (li !== undefined) {
          const ix = e.index[0];
          if (ix.op === 'param' && env.members.has(ix.name)) return { v: lit(e.sort, env.members.get(ix.name)![li]), err: 'false' };
          const t = go(ix);
          if (!isNum(t.v)) throw fail(`thread-indexed array ${e.name} is read at a computed thread index`);
          const tv = numOf(t.v);
          if (isMember(tv)) throw fail(`thread-indexed array ${e.name} is read at member ${ts.values[tv]}, by another thread`);
          return { v: pre(cellArg.get(`${e.name}.${ordinal(ts, tv)}`)!), err: t.err };
        }
        const v = model.vars.find((x) => x.name === e.name)!;
        const idx = e.index.map(go);
        const err = or(idx.map((x) => x.err));
        const cells = cellsOf(v, idx.map((x) => x.v));
        if (cells.length === 1 && cells[0].when === 'true') return { v: pre(cellArg.get(`${v.name}.${cells[0].cell}`)!), err };
        const inRange = and(v.index.map((s, k) => inSortTerm(s, idx[k].v)));
        let out = cells.length ? pre(cellArg.get(`${v.name}.${cells[cells.length - 1].cell}`)!) : lit(v.sort, 0);
        for (let k = cells.length - 2; k >= 0; k--) out = `(ite ${cells[k].when} ${pre(cellArg.get(`${v.name}.${cells[k].cell}`)!)} ${out})`;
        return { v: out, err: or([err, not(inRange)]) };
      }
      case 'and': case 'or': {
        // Short-circuit: an operand is evaluated only if those before it did not decide.
        const vs = foldMembers(e.args).map((x) => (typeof x === 'string' ? quantifier({ op: e.op === 'and' ? 'forall' : 'exists', sort: e.sort, v: '$m', over: ts, body: templates.get(x)! }, env, fail) : go(x)));
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
        const ix = e.index[0];
        if (localIdx.has(e.name) && ix.op === 'lit' && isMember(ix.value)) { ms.add(ix.value); return { ...e, index: [{ op: 'param', sort: ts, name: '$m' }] }; }
        return { ...e, index: e.index.map(r) };
      }
      case 'and': case 'or': return { ...e, args: e.args.map(r) };
      case 'not': return { ...e, a: r(e.a) };
      case 'ite': return { ...e, c: r(e.c), t: r(e.t), e: r(e.e) };
      case 'forall': case 'exists': case 'count': return { ...e, body: r(e.body) };
      default: return { ...e, a: r(e.a), b: r(e.b) };
    }
  }

  /** Cells of `v` that indices `ix` (terms) may hit, each with its condition. */
  function cellsOf(v: VarDecl, ix: string[]): { cell: number; when: string }[] {
    let out: { cell: number; when: string[] }[] = [{ cell: 0, when: [] }];
    v.index.forEach((s, k) => {
      const next: { cell: number; when: string[] }[] = [];
      for (const o of out) {
        for (const x of sortValues(s)) {
          const w = isNum(ix[k]) ? (numOf(ix[k]) === x ? 'true' : 'false') : `(= ${ix[k]} ${x})`;
          if (w === 'false') continue;
          next.push({ cell: o.cell * cardinality(s) + ordinal(s, x), when: [...o.when, w] });
        }
      }
      out = next;
    });
    return out.map((o) => ({ cell: o.cell, when: and(o.when) }));
  }

  function quantifier(e: Extract<Expr, { op: 'forall' | 'exists' | 'count' }>, env: Env, fail: (m: string) => Error): Val {
    const parts: { v: string; err: string; weight?: number; present: string }[] = [];
    if (threadSorted(e.over) && e.over.kind === 'enum' && e.over.name === tsName) {
      for (const t of others) {
        const x = expr(e.body, { ...env, consts: new Map(env.consts).set(e.v, t) }, fail);
        parts.push({ ...x, present: 'true' });
      }
      localStates.forEach((l, i) => {
        const x = expr(e.body, { ...env, members: new Map(env.members).set(e.v, l) }, fail);
        parts.push({ ...x, weight: i, present: `(> ${count(i)} 0)` });
      });
    } else {
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
  for (const a of model.actions) {
    const tp = a.threadParam ? a.params.find((p) => p.name === a.threadParam) : undefined;
    const tpValues = tp ? tp.values ?? sortValues(tp.sort) : [];
    const memberStep = tp !== undefined && tpValues.some(isMember);
    if (memberStep && !tpValues.every(isMember)) throw where(`action ${a.name}`)('it runs on members and non-members alike');
    const rest = a.params.filter((p) => !(memberStep && p === tp));
    for (const p of rest) {
      const vs = p.values ?? sortValues(p.sort);
      if (p.sort.kind === 'enum' && p.sort.name === tsName && vs.some(isMember)) {
        const read = locals.find((v) => JSON.stringify(a).includes(`"name":"${v.name}","index":[{"op":"param","sort":${JSON.stringify(p.sort)},"name":"${p.name}"}]`));
        throw where(`action ${a.name}, parameter ${p.name}`)(read ? `thread-indexed array ${read.name} is read by another thread (at ${read.name}[${p.name}])` : `parameter ${p.name} picks a member thread other than the one taking the step`);
      }
    }
    for (const binding of combos(rest)) {
      const consts = new Map(rest.map((p, k) => [p.name, binding[k]]));
      const label = `${a.name}${binding.length ? `(${rest.map((p, k) => `${p.name}=${String(showValue(p.sort, binding[k]))}`).join(',')})` : ''}`;
      const fail = where(`action ${a.name}`);
      if (!memberStep) { instance(a, { consts, members: new Map() }, undefined, label, fail); continue; }
      localStates.forEach((l, i) => instance(a, { consts, members: new Map([[tp!.name, l]]) }, i, `${label} by a member in ${showLocal(l)}`, fail));
    }
  }

  /** One action instance (for a member in local state `li`, or a non-member step). */
  function instance(a: Action, env: Env, li: number | undefined, what: string, fail: (m: string) => Error) {
    const g = expr(a.guard, env, fail);
    const here = li === undefined ? 'true' : `(>= ${count(li)} 1)`;
    if (g.v === 'false' && g.err === 'false') return;
    const en = and([here, g.v]);
    enabled.push(or([en, and([here, g.err])]));
    const reqs = a.requires.map((r) => expr(r.expr, env, fail));
    // Writes: local cells of the acting member (a new local state), or shared cells.
    const post = args.map((_, i) => pre(i));
    const newLocal = li === undefined ? [] : [...localStates[li]].map((x) => String(x));
    const errs: string[] = [];
    for (const w of a.assigns) {
      const val = expr(w.value, env, fail);
      errs.push(val.err);
      const li2 = localIdx.get(w.name);
      const v = model.vars.find((x) => x.name === w.name)!;
      const sc = scaled.get(v.name);
      errs.push(not(sc ? and([sc.lo === undefined ? 'true' : `(<= ${lit(v.sort, sc.lo)} ${val.v})`, sc.hi === undefined ? 'true' : `(<= ${val.v} ${lit(v.sort, sc.hi)})`]) : inSortTerm(v.sort, val.v)));
      if (li2 !== undefined) {
        const ix = w.index[0];
        if (li !== undefined && ix.op === 'param' && env.members.has(ix.name)) { newLocal[li2] = val.v; continue; }
        const t = expr(ix, env, fail);
        if (!isNum(t.v) || isMember(numOf(t.v))) throw fail(`thread-indexed array ${w.name} is written at another member's index`);
        post[cellArg.get(`${w.name}.${ordinal(ts, numOf(t.v))}`)!] = val.v;
        continue;
      }
      const idx = w.index.map((x) => expr(x, env, fail));
      errs.push(...idx.map((x) => x.err), not(and(v.index.map((s, k) => inSortTerm(s, idx[k].v)))));
      for (const c of cellsOf(v, idx.map((x) => x.v))) {
        const j = cellArg.get(`${v.name}.${c.cell}`)!;
        post[j] = c.when === 'true' ? val.v : `(ite ${c.when} ${val.v} ${post[j]})`;
      }
    }
    const reqBad = or(reqs.map((r) => or([r.err, not(r.v)])));
    bad.push({ cond: and([here, or([g.err, and([g.v, or([reqBad, ...errs])])])]), what: `${what}: a requirement or a sort bound` });
    const good = and([here, not(g.err), g.v, ...reqs.map((r) => and([not(r.err), r.v])), ...errs.map(not)]);
    if (good === 'false') return;
    if (li === undefined) { steps.push({ cond: good, post, what }); return; }
    // The member moves to the local state its new values name (one clause per possible target).
    for (let lj = 0; lj < localStates.length; lj++) {
      const eqs = localStates[lj].map((x, k) => (isNum(newLocal[k]) ? (numOf(newLocal[k]) === x ? 'true' : 'false')
        : newLocal[k] === 'true' || newLocal[k] === 'false' ? ((newLocal[k] === 'true') === (x === 1) ? 'true' : 'false')
          : locals[k].sort.kind === 'bool' ? (x ? newLocal[k] : not(newLocal[k])) : `(= ${newLocal[k]} ${x})`));
      const to = and(eqs);
      if (to === 'false') continue;
      const p2 = [...post];
      if (lj !== li) {
        p2[li] = `(- ${p2[li]} 1)`;
        p2[lj] = `(+ ${p2[lj]} 1)`;
      }
      steps.push({ cond: and([good, to]), post: p2, what, move: [li, lj] });
    }
  }

  // Properties.
  // Wrapped in an `and`, so that a final condition of one member (`pc[T1] = done`) folds too.
  const final = expr({ op: 'and', sort: { kind: 'bool' }, args: [model.final] }, { consts: new Map(), members: new Map() }, where('the final condition'));
  for (const p of model.properties) {
    const fail = where(`${p.kind} ${p.id}`);
    if (p.kind === 'invariant') {
      const x = expr(p.expr, { consts: new Map(), members: new Map() }, fail);
      bad.push({ cond: or([x.err, not(x.v)]), what: `invariant ${p.id}` });
    } else if (p.kind === 'quiescence') {
      const x = expr(p.expr, { consts: new Map(), members: new Map() }, fail);
      bad.push({ cond: and([final.v, or([x.err, not(x.v)])]), what: `quiescence ${p.id}` });
    } else if (p.kind === 'deadlock') {
      bad.push({ cond: and([not(final.v), ...enabled.map(not)]), what: 'deadlock' });
    }
  }
  if (final.err !== 'false') bad.push({ cond: final.err, what: 'the final condition leaves a sort' });
  const cellSort: (Scaled | Sort | undefined)[] = args.map((_, i) => {
    if (i < localStates.length) return undefined;
    const [name] = [...cellArg.entries()].find(([, j]) => j === i)![0].split('.');
    const v = model.vars.find((x) => x.name === name)!;
    return scaled.get(v.name) ?? v.sort;
  });
  const domain = (terms: string[]) => and(terms.map((t, i) => {
    const s = cellSort[i];
    if (s === undefined) return `(>= ${t} 0)`;
    if ('init' in s) return and([s.lo === undefined ? 'true' : `(<= ${s.lo} ${t})`, s.hi === undefined ? 'true' : `(<= ${t} ${s.hi})`]);
    return inSortTerm(s, t);
  }));
  const argCells = [...cellArg.entries()].sort((a, b) => a[1] - b[1]).map(([k]) => k.split('.'));
  const abstractOf = (m: Model, st: Record<string, number[]>): number[] | undefined => {
    const mts = m.threadSort as Extract<Sort, { kind: 'enum' }>;
    const counts = new Array<number>(localStates.length).fill(0);
    for (const name of m.symmetry!.members) {
      const t = mts.values.indexOf(name);
      const i = lsIndex.get(lsKey(locals.map((v) => st[v.name][t])));
      if (i === undefined) return undefined;
      counts[i]++;
    }
    const cells = argCells.map(([name, cell]) => {
      if (!localIdx.has(name)) return st[name][Number(cell)];
      return st[name][mts.values.indexOf(ts.values[Number(cell)])];
    });
    return [...counts, ...cells];
  };
  return { cs: { args, init, minMembers, steps, domain, abstractOf, bad, locals, members: sym.members }, l0: lsIndex.get(lsKey(l0))!, states: localStates };
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
  const parts: string[] = [];
  let rest = c;
  for (let k = v.index.length - 1; k >= 0; k--) {
    const n = cardinality(v.index[k]);
    const x = sortValues(v.index[k])[rest % n];
    parts.unshift(String(showValue(v.index[k], x)));
    rest = Math.floor(rest / n);
  }
  return `${v.name}[${parts.join('][')}]`;
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
