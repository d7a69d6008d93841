/**
 * Compile a model's IR into specialised JavaScript (the Rumur idea: do the work once, keep the
 * search loop free of interpretation). Parameters and quantifiers are unrolled into constants,
 * so most array reads become fixed slot reads. The generated functions work on a flat slot
 * vector `v` (real values); packing to words is generated too.
 *
 * Every generated function is kept small (see `CodegenLimits`): V8 never optimises a function
 * over `--max-optimized-bytecode-size` (60 KiB), and a large function tiers up late. So
 * `successors` is a small dispatcher over one function per action (neighbouring small actions
 * share one, a large action's instances are split over several), long expressions are outlined
 * into functions of their own, and long lists (an instance's writes and requirements, the
 * properties, pack/unpack) are split into chunks. A write under `when` is a real `if`.
 */
import type { Assign, Expr, Model, Sort } from '../model/lang/ir.ts';
import { cardinality, ordinal, sortValues } from '../model/lang/ir.ts';
import { ModelError, and, eq, ite } from '../model/lang/expr.ts';
import { instancesOf, type Instance } from './interpreter.ts';
import { layoutOf, type Layout } from './layout.ts';

export interface CompiledModel {
  layout: Layout;
  instances: Instance[];
  /** Unpack words at `off` of `arena` into slots `v`. */
  unpack(arena: Int32Array, off: number, v: Int32Array): void;
  /** Pack slots `v` into `out` at `off`. */
  pack(v: Int32Array, out: Int32Array, off: number): void;
  /**
   * Call `emit(instanceId, status)` for every enabled instance, in instance order, with the
   * successor in `n` (`n` must not be `v`); status 0 = fine, r+1 = requirement r failed, -1 = a
   * value left its sort (then `n` = `v`). Returns how many were enabled.
   * A bounds error while evaluating a guard is reported as status -1 with `n` = `v`.
   */
  successors(v: Int32Array, n: Int32Array, emit: (inst: number, status: number) => void): number;
  /** Index of the first violated invariant (in `invariants` order) or -1. */
  checkInvariants(v: Int32Array): number;
  isFinal(v: Int32Array): boolean;
  checkQuiescence(v: Int32Array): number;
  /** Bit i set iff cover property i holds. */
  covers(v: Int32Array): number;
  /** The generated JavaScript (the body of one function returning the others). */
  source: string;
  /** Every generated function by name (helpers included), so tests can ask V8 about each. */
  functions: Record<string, (...args: never[]) => unknown>;
}

/**
 * Size budgets of the generated code, in source characters. Generated code compiles to 0.4–1.25
 * bytes of V8 bytecode per source character (pack/unpack are the densest; measured by
 * test/engine/codegen-size.test.ts), so with the defaults no built-in model has a function over
 * ≈3 KB of bytecode, far below V8's 60 KiB optimisation limit, and each tiers up early. Groups of
 * 3000 characters ran as fast as 6000 and faster than 1500 or 12000 on binder, vma and mm.
 * Lower values only split more (tests use tiny ones to exercise every splitting path).
 */
export interface CodegenLimits {
  /** Instance blocks of one action packed into one function; also the chunk size of long lists. */
  groupChars: number;
  /** An expression longer than this becomes a function of its own. */
  exprChars: number;
}

export const DEFAULT_CODEGEN_LIMITS: CodegenLimits = { groupChars: 3000, exprChars: 2000 };

export interface CompileOptions {
  limits?: Partial<CodegenLimits>;
}

class Bounds extends Error {}

/** Row-major cell offset of constant indices, or undefined when one is outside its sort. */
function constOffset(sorts: Sort[], vals: number[]): number | undefined {
  let off = 0;
  for (let i = 0; i < sorts.length; i++) {
    const o = ordinal(sorts[i], vals[i]);
    if (o < 0 || o >= cardinality(sorts[i])) return undefined;
    off = off * cardinality(sorts[i]) + o;
  }
  return off;
}

type Env = Map<string, number>;
type Gen = { k: number } | { c: string };

/** Whether generated code may throw `Bounds` (a checked index, or an outlined expression). */
function mayThrow(code: string): boolean {
  return /\b(?:ix|oob|ex_\d+)\(/.test(code);
}

/** Collects the helper functions the code generators split off, with unique names. */
class Functions {
  readonly defs: string[] = [];
  readonly names: string[] = [];
  private byBody = new Map<string, string>();
  private counts = new Map<string, number>();

  /** Define `function <prefix>_<k>(params) { body }`; identical definitions are shared. */
  define(prefix: string, params: string, body: string): string {
    const key = `${prefix}(${params}){${body}}`;
    const known = this.byBody.get(key);
    if (known) return known;
    const k = this.counts.get(prefix) ?? 0;
    this.counts.set(prefix, k + 1);
    const name = `${prefix}_${k}`;
    this.byBody.set(key, name);
    this.names.push(name);
    this.defs.push(`function ${name}(${params}) {\n${body}\n}`);
    return name;
  }
}

/**
 * Split `lines` into consecutive chunks of at most `budget` characters (a longer line is a chunk
 * of its own); one chunk when everything fits.
 */
function chunks(lines: string[], budget: number): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  let size = 0;
  for (const l of lines) {
    if (cur.length && size + l.length > budget) { out.push(cur); cur = []; size = 0; }
    cur.push(l);
    size += l.length + 1;
  }
  if (cur.length) out.push(cur);
  return out;
}

/** JS code of an expression; constants folded where parameters make them known. */
class ExprCompiler {
  constructor(private layout: Layout, private fns: Functions, private limit: number) {}

  /** Returns `{k: value}` when constant, else `{c: code}`; bool code is a JS boolean. */
  gen(e: Expr, env: Env): Gen {
    const g = this.gen0(e, env);
    return 'c' in g && g.c.length > this.limit ? { c: this.outline(g.c) } : g;
  }

  /** A call of a new function of `v` returning `code`: it evaluates the same, bounds errors included. */
  private outline(code: string): string {
    return `${this.fns.define('ex', 'v', `return ${code};`)}(v)`;
  }

  /** `parts` joined by `op`, split into outlined chunks while the whole is longer than the limit. */
  private joined(parts: string[], op: string): string {
    let ps = parts;
    // &&, || and + are associative and chunks keep their order: evaluation is unchanged.
    while (ps.length > 1 && ps.reduce((s, p) => s + p.length + op.length, 2) > this.limit) {
      const cs = chunks(ps, this.limit);
      const next = cs.length < ps.length
        ? cs.map((c) => (c.length === 1 ? c[0] : this.outline(`(${c.join(op)})`)))
        : ps.map((p) => (p.length > 40 ? this.outline(p) : p)); // parts near the limit: call each
      if (next.every((p, i) => p === ps[i]) && next.length === ps.length) break;
      ps = next;
    }
    return `(${ps.join(op)})`;
  }

  private gen0(e: Expr, env: Env): Gen {
    const L = this.layout;
    // A negative constant is parenthesised: `v[0]-` followed by `-1` would lex as `--`.
    const num = (x: Gen, isBool: boolean) =>
      'k' in x ? (x.k < 0 ? `(${x.k})` : String(x.k)) : isBool ? `(${x.c}?1:0)` : x.c;
    const boolc = (x: Gen) => ('k' in x ? (x.k ? 'true' : 'false') : x.c);
    switch (e.op) {
      case 'lit': return { k: e.value };
      case 'param': {
        const v = env.get(e.name);
        if (v === undefined) throw new Error(`unbound ${e.name}`);
        return { k: v };
      }
      case 'var': {
        const d = L.decl.get(e.name)!;
        const b = L.base.get(e.name)!;
        const idx = e.index.map((x) => this.gen(x, env));
        const isBool = d.sort.kind === 'bool';
        if (idx.every((x) => 'k' in x)) {
          const off = constOffset(d.index, idx.map((x) => (x as { k: number }).k));
          // An index known to be out of range still fails only when evaluation reaches it.
          if (off === undefined) return { c: isBool ? '(oob()!==0)' : 'oob()' };
          return { c: isBool ? `(v[${b + off}]!==0)` : `v[${b + off}]` };
        }
        const offc = dynamicOffset(d.index, idx);
        return { c: isBool ? `(v[${b}+${offc}]!==0)` : `v[${b}+${offc}]` };
      }
      case 'add': case 'sub': {
        const a = this.gen(e.a, env), b = this.gen(e.b, env);
        if ('k' in a && 'k' in b) return { k: e.op === 'add' ? a.k + b.k : a.k - b.k };
        return { c: `(${num(a, false)}${e.op === 'add' ? '+' : '-'}${num(b, false)})` };
      }
      case 'eq': case 'ne': case 'lt': case 'le': case 'gt': case 'ge': {
        const a = this.gen(e.a, env), b = this.gen(e.b, env);
        const isBool = e.a.sort.kind === 'bool';
        if ('k' in a && 'k' in b) {
          const r = { eq: a.k === b.k, ne: a.k !== b.k, lt: a.k < b.k, le: a.k <= b.k, gt: a.k > b.k, ge: a.k >= b.k }[e.op];
          return { k: r ? 1 : 0 };
        }
        const op = { eq: '===', ne: '!==', lt: '<', le: '<=', gt: '>', ge: '>=' }[e.op];
        return { c: `(${num(a, isBool)}${op}${num(b, isBool)})` };
      }
      case 'implies': {
        const a = this.gen(e.a, env);
        if ('k' in a) return a.k ? this.gen(e.b, env) : { k: 1 };
        const b = this.gen(e.b, env);
        // `a` is still evaluated when `b` is true: reading it may fail a bounds check, as in the interpreter.
        if ('k' in b) return b.k ? { c: `(${a.c}||true)` } : { c: `(!${a.c})` };
        return { c: `(!${a.c}||${b.c})` };
      }
      case 'and': case 'or':
        return this.junction(e.args.map((x) => () => this.gen(x, env)), e.op);
      case 'not': {
        const a = this.gen(e.a, env);
        return 'k' in a ? { k: a.k ? 0 : 1 } : { c: `(!${a.c})` };
      }
      case 'ite': {
        const c = this.gen(e.c, env);
        if ('k' in c) return this.gen(c.k ? e.t : e.e, env);
        const t = this.gen(e.t, env), f = this.gen(e.e, env);
        const isBool = e.sort.kind === 'bool';
        if (isBool) return { c: `(${c.c}?${boolc(t)}:${boolc(f)})` };
        return { c: `(${c.c}?${num(t, false)}:${num(f, false)})` };
      }
      case 'forall': case 'exists': case 'count': {
        const parts = sortValues(e.over).map((val) => this.gen(e.body, new Map(env).set(e.v, val)));
        if (e.op === 'count') {
          let k = 0;
          const cs: string[] = [];
          for (const p of parts) { if ('k' in p) k += p.k ? 1 : 0; else cs.push(`(${p.c}?1:0)`); }
          return cs.length ? { c: this.joined([String(k), ...cs], '+') } : { k };
        }
        return this.junction(parts.map((p) => () => p), e.op === 'forall' ? 'and' : 'or');
      }
      case 'cyclic': {
        const d = L.decl.get(e.name)!;
        return { c: `cyclic(v,${L.base.get(e.name)},${cardinality(d.index[0])})` };
      }
    }
  }

  /**
   * Short-circuit and/or with folding that keeps evaluation order: terms before an absorbing
   * constant are still evaluated (they may fail a bounds check, as in the interpreter).
   */
  private junction(terms: (() => Gen)[], op: 'and' | 'or'): Gen {
    const absorbing = op === 'and' ? 0 : 1;
    const parts: string[] = [];
    for (const t of terms) {
      const g = t();
      if ('k' in g) {
        if ((g.k ? 1 : 0) !== absorbing) continue;
        if (parts.length === 0) return { k: absorbing };
        parts.push(absorbing ? 'true' : 'false');
        break;
      }
      parts.push(g.c);
    }
    if (parts.length === 0) return { k: 1 - absorbing };
    return { c: this.joined(parts, op === 'and' ? '&&' : '||') };
  }

  /** Boolean code (a JS boolean). */
  bool(e: Expr, env: Env): string {
    const g = this.gen(e, env);
    return 'k' in g ? (g.k ? 'true' : 'false') : g.c;
  }
  /** Integer code, or the constant. */
  int(e: Expr, env: Env): Gen {
    const g = this.gen(e, env);
    if ('k' in g) return g;
    return { c: e.sort.kind === 'bool' ? `(${g.c}?1:0)` : g.c };
  }
}

/** Row-major offset code for indices some of which are only known at run time (checked by `ix`). */
function dynamicOffset(sorts: Sort[], idx: Gen[]): string {
  let c = '0';
  sorts.forEach((s, i) => {
    const x = idx[i];
    const xc = 'k' in x ? String(x.k) : x.c;
    c = `(${c})*${cardinality(s)}+ix(${xc},${s.kind === 'range' ? s.lo : 0},${cardinality(s)})`;
  });
  return c;
}

/** Structural equality of expressions; sort annotations are ignored (evaluation does not read them). */
function sameExpr(a: Expr, b: Expr): boolean {
  if (a === b) return true;
  if (a.op !== b.op) return false;
  const all = (xs: Expr[], ys: Expr[]) => xs.length === ys.length && xs.every((x, i) => sameExpr(x, ys[i]));
  switch (a.op) {
    case 'lit': return a.value === (b as typeof a).value;
    case 'param': return a.name === (b as typeof a).name;
    case 'cyclic': return a.name === (b as typeof a).name;
    case 'var': return a.name === (b as typeof a).name && all(a.index, (b as typeof a).index);
    case 'and': case 'or': return all(a.args, (b as typeof a).args);
    case 'not': return sameExpr(a.a, (b as typeof a).a);
    case 'ite': { const y = b as typeof a; return sameExpr(a.c, y.c) && sameExpr(a.t, y.t) && sameExpr(a.e, y.e); }
    case 'forall': case 'exists': case 'count': {
      const y = b as typeof a;
      return a.v === y.v && JSON.stringify(a.over) === JSON.stringify(y.over) && sameExpr(a.body, y.body);
    }
    default: { const y = b as typeof a; return sameExpr(a.a, y.a) && sameExpr(a.b, y.b); }
  }
}

/**
 * The value of cell `name[index]` after `prior` were applied in order, as an expression over
 * the pre-state: what model/lang/stmt.ts's `compileStep` puts in the else branch of a write
 * under `when`. Undefined when it cannot be built.
 */
function currentValue(a: Assign, sort: Sort, prior: Assign[]): Expr | undefined {
  try {
    let result: Expr = { op: 'var', sort, name: a.name, index: a.index };
    for (const w of prior) {
      if (w.name !== a.name) continue;
      const same = and(...w.index.map((x, k) => eq(x, a.index[k])));
      if (same.op === 'lit') { if (same.value) result = w.value; } else result = ite(same, w.value, result);
    }
    return result;
  } catch {
    return undefined;
  }
}

/** `e` with a top-level `ite` on `cond` resolved to one branch (how an index under `when` is built). */
function assuming(e: Expr, cond: Expr, holds: boolean): Expr {
  return e.op === 'ite' && sameExpr(e.c, cond) ? (holds ? e.t : e.e) : e;
}

/**
 * Compile a model into generated JavaScript functions. `opts.limits` changes the size budgets
 * (for tests; the defaults suit every built-in model).
 */
export function compileModel(model: Model, opts: CompileOptions = {}): CompiledModel {
  const limits: CodegenLimits = { ...DEFAULT_CODEGEN_LIMITS, ...opts.limits };
  const layout = layoutOf(model);
  const instances = instancesOf(model);
  const fns = new Functions();
  const ec = new ExprCompiler(layout, fns, limits.exprChars);
  const lines: string[] = [];
  const out = (s: string) => lines.push(s);

  /**
   * `function name(params) { head; body; tail }`, or, when `body` is over the budget, the same
   * with each chunk of `body` in a function `prefix_k(params) { chunkHead; chunk; chunkTail }`
   * called by the line `call(prefix_k)`.
   */
  const chunkedFunction = (name: string, prefix: string, params: string, head: string, body: string[], tail: string,
    call: (fn: string) => string, chunkHead = '', chunkTail = '') => {
    const cs = chunks(body, limits.groupChars);
    const inner = cs.length <= 1 ? body : cs.map((c) => call(fns.define(prefix, params, [chunkHead, ...c, chunkTail].join('\n'))));
    out(`function ${name}(${params}) {${head}\n${inner.join('\n')}\n${tail}}`);
  };

  // pack / unpack
  const unpackLines = layout.slots.map((s, i) =>
    s.bits === 0 ? `v[${i}]=${s.lo};` : `v[${i}]=((a[off+${s.word}]>>>${s.shift})&${(2 ** s.bits - 1) >>> 0})+${s.lo};`);
  chunkedFunction('unpack', 'up', 'a, off, v', '', unpackLines, '', (f) => `${f}(a, off, v);`);
  // Slots grouped by word once (a scan of every slot per word is quadratic: minutes at 200,000 variables).
  const byWord: string[][] = Array.from({ length: layout.words }, () => []);
  layout.slots.forEach((s, i) => { if (s.bits > 0) byWord[s.word].push(`((v[${i}]-(${s.lo}))<<${s.shift})`); }); // (lo) may be negative
  const packLines = byWord.map((parts, w) => `a[off+${w}]=${parts.length ? parts.join('|') : '0'};`);
  chunkedFunction('pack', 'pk', 'v, a, off', '', packLines, '', (f) => `${f}(v, a, off);`);

  // successors: one function per action, each instance one block. Neighbouring small actions
  // share a function and a large action is split, so that every function stays near the budget
  // (fewer, mid-sized functions warm up and tier up sooner than very many tiny ones).
  const groups: string[] = [];
  const safeName = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40);
  let pending: { names: string[]; blocks: string[]; size: number } = { names: [], blocks: [], size: 0 };
  const flush = () => {
    if (!pending.blocks.length) return;
    const more = pending.names.length > 1 ? `_and_${pending.names.length - 1}` : '';
    const name = `s${groups.length}_${safeName(pending.names[0])}${more}`;
    groups.push(name);
    out(`function ${name}(v, n, emit) {\nlet count = 0;\n${pending.blocks.join('\n')}\nreturn count;\n}`);
    pending = { names: [], blocks: [], size: 0 };
  };
  model.actions.forEach((action, ai) => {
    const blocks: string[] = [];
    for (const inst of instances) if (inst.actionIndex === ai) {
      const b = instanceBlock(inst);
      if (b) blocks.push(b);
    }
    const size = blocks.reduce((s, b) => s + b.length + 1, 0);
    if (!blocks.length) return;
    if (size > limits.groupChars) {
      flush();
      for (const c of chunks(blocks, limits.groupChars)) {
        pending = { names: [action.name], blocks: c, size: 0 };
        flush();
      }
      return;
    }
    if (pending.size + size > limits.groupChars) flush();
    pending.names.push(action.name);
    pending.blocks.push(...blocks);
    pending.size += size;
  });
  flush();
  // The dispatcher, itself split into sub-dispatchers of about 64 calls when there are more
  // groups; `+` evaluates left to right, so instances stay in order.
  let calls = groups.map((g) => `${g}(v, n, emit)`);
  while (calls.length > 64) {
    calls = chunks(calls, 64 * 24).map((c) => `${fns.define('sg', 'v, n, emit', `return ${c.join('+')};`)}(v, n, emit)`);
  }
  out(`function successors(v, n, emit) {\nreturn ${calls.length ? calls.join('+') : '0'};\n}`);

  /**
   * One instance: guard, requirements (the first false one is the status), then the writes,
   * straight into `n` (every value and index reads the pre-state `v`, so writing at once is the
   * IR's parallel assignment). A write under `when` is a real `if`; a value out of its sort
   * throws like an index out of range, and the catch turns both into status -1 with `n` = `v`.
   */
  function instanceBlock(inst: Instance): string | undefined {
    const { action } = inst;
    const env: Env = new Map(action.params.map((p, i) => [p.name, inst.params[i]]));
    const guard = ec.bool(action.guard, env);
    if (guard === 'false') return undefined;
    const reqs = action.requires.map((r, ri) => ({ ri, code: ec.bool(r.expr, env) }));
    const writes = mergeConditional(action.assigns.map((a, i) => writeCode(a, action.assigns.slice(0, i), env, i)));
    const reqLines = reqs.map(({ ri, code }) => `if (st===0 && !(${code})) st=${ri + 1};`);
    let body = [...reqLines, 'n.set(v);', ...writes];
    if (body.reduce((s, l) => s + l.length, 0) > limits.groupChars) {
      // A long instance: its requirements and writes move into helper functions, in order.
      const reqCalls = chunks(reqs.map(({ ri, code }) => `if (!(${code})) return ${ri + 1};`), limits.groupChars)
        .map((c) => `if (st===0) st=${fns.define('rq', 'v', [...c, 'return 0;'].join('\n'))}(v);`);
      const writeCalls = chunks(writes, limits.groupChars).map((c) => `${fns.define('wr', 'v, n', c.join('\n'))}(v, n);`);
      body = [...reqCalls, 'n.set(v);', ...writeCalls];
    }
    // `emit` runs after the try: a bounds error raised while the engine handles the successor
    // (checking its invariants) must not be taken for one of this step.
    return [
      `{ let st = 0, en = false; try { if (${guard}) { en = true; count++;`,
      ...body,
      `} } catch (e) { if (!(e instanceof Bounds)) throw e; if (!en) count++; n.set(v); st = st || -1; en = true; }`,
      `if (en) emit(${inst.id}, st); }`,
    ].join('\n');
  }

  /** Offset code of `name[index]`: a number when constant, `oob()` when constantly out of range. */
  function offsetCode(name: string, index: Expr[], env: Env): string {
    const d = layout.decl.get(name)!;
    const b = layout.base.get(name)!;
    const idx = index.map((x) => ec.gen(x, env));
    if (idx.every((x) => 'k' in x)) {
      const off = constOffset(d.index, idx.map((x) => (x as { k: number }).k));
      return off === undefined ? 'oob()' : String(b + off);
    }
    return `${b}+${dynamicOffset(d.index, idx)}`;
  }

  /** A write's statements: `then` when `cond` holds (always when absent), `otherwise` when not, `pre` first either way. */
  interface Write { cond?: string; pre: string[]; then: string; otherwise: string }

  /** Statements writing `a.value` at `a.index` into `n`, checked against the sort. */
  function writeCode(a: Assign, prior: Assign[], env: Env, k: number): Write {
    const d = layout.decl.get(a.name)!;
    const lo = d.sort.kind === 'range' ? d.sort.lo : 0;
    const hi = lo + cardinality(d.sort) - 1;
    const store = (off: string, value: Expr): string => {
      const x = ec.int(value, env);
      if ('k' in x) return x.k < lo || x.k > hi ? 'bad();' : `n[${off}]=${x.k};`;
      // A bool written to a bool is always in its sort.
      if (d.sort.kind === 'bool' && value.sort.kind === 'bool') return `n[${off}]=${x.c};`;
      return `{ const x=${x.c}; if (x<${lo}||x>${hi}) bad(); n[${off}]=x; }`;
    };
    // A write under `when` is `ite(path, value, current)` with `current` the cell's value after
    // the earlier writes: when `path` is false it writes back what is there, so only `if (path)`
    // has to write (and `current`, quadratic in the writes to one array, is never built).
    const cur = a.value.op === 'ite' ? currentValue(a, d.sort, prior) : undefined;
    if (a.value.op !== 'ite' || !cur || !sameExpr(a.value.e, cur)) {
      return { pre: [], then: store(offsetCode(a.name, a.index, env), a.value), otherwise: '' };
    }
    const cond = a.value.c;
    const p = ec.bool(cond, env);
    const offTrue = offsetCode(a.name, a.index.map((x) => assuming(x, cond, true)), env);
    // When `path` is false the index is still computed (and checked) unless it cannot fail.
    const offFalse = offsetCode(a.name, a.index.map((x) => assuming(x, cond, false)), env);
    const check = mayThrow(offFalse) ? `${offFalse};` : '';
    if (p === 'false') return { pre: [], then: check, otherwise: '' };
    if (p === 'true') return { pre: [], then: store(offTrue, a.value.t), otherwise: '' };
    // An index the path does not guard is computed once, before the `if`.
    if (check && offTrue === offFalse) return { cond: p, pre: [`const o${k}=${offTrue};`], then: store(`o${k}`, a.value.t), otherwise: '' };
    return { cond: p, pre: [], then: store(offTrue, a.value.t), otherwise: check };
  }

  /** Statements of the writes; neighbours under the same condition share one `if`. */
  function mergeConditional(ws: Write[]): string[] {
    const outl: string[] = [];
    for (let i = 0; i < ws.length;) {
      const { cond } = ws[i];
      if (cond === undefined) { if (ws[i].then) outl.push(ws[i].then); i++; continue; }
      let j = i;
      const pre: string[] = [], then: string[] = [], otherwise: string[] = [];
      // The condition reads only `v`, which no write changes: evaluating it once is the same.
      for (; j < ws.length && ws[j].cond === cond; j++) {
        pre.push(...ws[j].pre);
        then.push(ws[j].then);
        if (ws[j].otherwise) otherwise.push(ws[j].otherwise);
      }
      const stmt = `if (${cond}) { ${then.join(' ')} }${otherwise.length ? ` else { ${otherwise.join(' ')} }` : ''}`;
      // One statement (a block when it declares offsets), so chunking never separates them.
      outl.push(pre.length ? `{ ${pre.join(' ')} ${stmt} }` : stmt);
      i = j;
    }
    return outl;
  }

  const props = model.properties;
  const inv = props.filter((p) => p.kind === 'invariant');
  const qui = props.filter((p) => p.kind === 'quiescence');
  const cov = props.filter((p) => p.kind === 'cover');
  if (cov.length > 30) throw new Error('at most 30 cover properties');
  const none: Env = new Map();
  // A property that reads outside a sort in a reachable state is a fault of the model: say which.
  const what = (kind: string, id: string) => JSON.stringify(`${kind} ${id}`);
  chunkedFunction('checkInvariants', 'iv', 'v', '',
    inv.map((p, i) => `try { if (!(${ec.bool(p.expr, none)})) return ${i}; } catch (e) { propError(e, ${what('invariant', p.id)}); }`),
    'return -1; ', (f) => `{ const r = ${f}(v); if (r >= 0) return r; }`, '', 'return -1;');
  out(`function isFinal(v) { try { return ${finalCode(ec, model.final, none)}; } catch (e) { propError(e, 'the final condition'); } }`);
  chunkedFunction('checkQuiescence', 'qu', 'v', '',
    qui.map((p, i) => `try { if (!(${ec.bool(p.expr, none)})) return ${i}; } catch (e) { propError(e, ${what('quiescence', p.id)}); }`),
    'return -1; ', (f) => `{ const r = ${f}(v); if (r >= 0) return r; }`, '', 'return -1;');
  chunkedFunction('covers', 'cv', 'v', ' let m = 0;',
    cov.map((p, i) => `try { if (${ec.bool(p.expr, none)}) m|=${1 << i}; } catch (e) { propError(e, ${what('cover', p.id)}); }`),
    'return m; ', (f) => `m |= ${f}(v);`, 'let m = 0;', 'return m;');

  const names = ['unpack', 'pack', ...groups, 'successors', 'checkInvariants', 'isFinal', 'checkQuiescence', 'covers', ...fns.names];
  out(fns.defs.join('\n'));
  out(`return { unpack, pack, successors, checkInvariants, isFinal, checkQuiescence, covers, functions: { ${names.join(', ')} } };`);

  const source = lines.join('\n');
  const helpers = {
    Bounds,
    ix: (x: number, lo: number, card: number) => {
      const o = x - lo;
      if (o < 0 || o >= card) throw new Bounds('index out of range');
      return o;
    },
    oob: () => { throw new Bounds('index out of range'); },
    bad: () => { throw new Bounds('value out of its sort'); },
    propError: (e: unknown, what: string): never => {
      if (e instanceof Bounds) throw new ModelError(`${what} reads an array index outside its sort in a reachable state; make it total (e.g. guard the index with ite)`);
      throw e;
    },
    cyclic: (v: Int32Array, base: number, k: number) => {
      for (let start = 0; start < k; start++) {
        const seen = new Uint8Array(k);
        const stack = [start];
        while (stack.length) {
          const a = stack.pop()!;
          for (let b = 0; b < k; b++) {
            if (!v[base + a * k + b]) continue;
            if (b === start) return true;
            if (!seen[b]) { seen[b] = 1; stack.push(b); }
          }
        }
      }
      return false;
    },
  };
  const fn = new Function('Bounds', 'ix', 'cyclic', 'oob', 'bad', 'propError', source);
  const built = fn(helpers.Bounds, helpers.ix, helpers.cyclic, helpers.oob, helpers.bad, helpers.propError);
  return { layout, instances, source, ...built };
}

export { Bounds };

/** Code that only reads fixed slots and compares them: it cannot throw, and reads every slot it names. */
const FIXED_READS = /^[v\[\]0-9()=!<>&|+-]*$/;

/**
 * isFinal's code. The leading conjuncts that only compare fixed slots (the threads' program
 * counters, `pc[t] === end`, come first) are all evaluated on every call, not one after another
 * with `&&`: with `&&`, the read of the k-th thread's pc ran for the first time only once k-1
 * threads had ended, deep in the search, and each such first time deoptimised the search loop
 * that inlines isFinal (mm shape, 8 senders, 2 workers: the parallel expansion recompiled 20
 * times, 0.5 s of compiling on a 2-core machine). Evaluation order is kept where it could matter:
 * the rest still runs after them, short-circuited, as before.
 *
 * @example
 * finalCode(ec, and(eq(pc.at(T.lit('a')), 3), eq(pc.at(T.lit('b')), 3)), env); // '((((v[0]===3)?1:0)&((v[1]===3)?1:0))===1)'
 */
function finalCode(ec: ExprCompiler, e: Expr, env: Env): string {
  if (e.op !== 'and') return ec.bool(e, env);
  const codes = e.args.map((x) => ec.bool(x, env));
  let k = 0;
  while (k < codes.length && FIXED_READS.test(codes[k])) k++;
  if (k < 2) return ec.bool(e, env);
  const eager = `((${codes.slice(0, k).map((c) => `(${c}?1:0)`).join('&')})===1)`;
  return k === codes.length ? eager : `(${eager}&&${codes.slice(k).map((c) => `(${c})`).join('&&')})`;
}
