/**
 * Compile a model's IR into specialised JavaScript (the Rumur idea: do the work once, keep the
 * search loop free of interpretation). Parameters and quantifiers are unrolled into constants,
 * so most array reads become fixed slot reads. The generated functions work on a flat slot
 * vector `v` (real values); packing to words is generated too.
 */
import type { Expr, Model } from '../model/lang/ir.ts';
import { cardinality, ordinal, sortValues } from '../model/lang/ir.ts';
import { ModelError } from '../model/lang/expr.ts';
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
   * Call `emit(instanceId, status)` for every enabled instance, with the successor in `n`;
   * status 0 = fine, r+1 = requirement r failed, -1 = a value left its sort. Returns how many were enabled.
   * A bounds error while evaluating a guard is reported as status -1 with `n` = `v`.
   */
  successors(v: Int32Array, n: Int32Array, emit: (inst: number, status: number) => void): number;
  /** Index of the first violated invariant (in `invariants` order) or -1. */
  checkInvariants(v: Int32Array): number;
  isFinal(v: Int32Array): boolean;
  checkQuiescence(v: Int32Array): number;
  /** Bit i set iff cover property i holds. */
  covers(v: Int32Array): number;
  source: string;
}

class Bounds extends Error {}

/** Row-major cell offset of constant indices, or undefined when one is outside its sort. */
function constOffset(sorts: import('../model/lang/ir.ts').Sort[], vals: number[]): number | undefined {
  let off = 0;
  for (let i = 0; i < sorts.length; i++) {
    const o = ordinal(sorts[i], vals[i]);
    if (o < 0 || o >= cardinality(sorts[i])) return undefined;
    off = off * cardinality(sorts[i]) + o;
  }
  return off;
}

type Env = Map<string, number>;

/** JS code of an expression; constants folded where parameters make them known. */
class ExprCompiler {
  constructor(private layout: Layout) {}

  /** Returns `{k: value}` when constant, else `{c: code}`; bool code is a JS boolean. */
  gen(e: Expr, env: Env): { k: number } | { c: string } {
    const L = this.layout;
    // A negative constant is parenthesised: `v[0]-` followed by `-1` would lex as `--`.
    const num = (x: { k: number } | { c: string }, isBool: boolean) =>
      'k' in x ? (x.k < 0 ? `(${x.k})` : String(x.k)) : isBool ? `(${x.c}?1:0)` : x.c;
    const boolc = (x: { k: number } | { c: string }) => ('k' in x ? (x.k ? 'true' : 'false') : x.c);
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
        let offc = '0';
        d.index.forEach((s, i) => {
          const lo = s.kind === 'range' ? s.lo : 0;
          const x = idx[i];
          const xc = 'k' in x ? String(x.k) : x.c;
          offc = `(${offc})*${cardinality(s)}+ix(${xc},${lo},${cardinality(s)})`;
        });
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
      case 'and': case 'or': {
        const parts: string[] = [];
        const absorbing = e.op === 'and' ? 0 : 1;
        return this.junction(e.args.map((x) => () => this.gen(x, env)), e.op);
      }
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
          return cs.length ? { c: `(${[String(k), ...cs].join('+')})` } : { k };
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
  private junction(terms: (() => { k: number } | { c: string })[], op: 'and' | 'or'): { k: number } | { c: string } {
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
    return { c: `(${parts.join(op === 'and' ? '&&' : '||')})` };
  }

  /** Boolean code (JS boolean), or null when evaluating the expression hits a constant bounds error. */
  bool(e: Expr, env: Env): string {
    const g = this.gen(e, env);
    return 'k' in g ? (g.k ? 'true' : 'false') : g.c;
  }
  int(e: Expr, env: Env): string {
    const g = this.gen(e, env);
    if ('k' in g) return String(g.k);
    return e.sort.kind === 'bool' ? `(${g.c}?1:0)` : g.c;
  }
}

export function compileModel(model: Model): CompiledModel {
  const layout = layoutOf(model);
  const instances = instancesOf(model);
  const ec = new ExprCompiler(layout);
  const lines: string[] = [];
  const out = (s: string) => lines.push(s);

  // pack / unpack
  out('function unpack(a, off, v) {');
  layout.slots.forEach((s, i) => {
    if (s.bits === 0) out(`v[${i}]=${s.lo};`);
    else out(`v[${i}]=((a[off+${s.word}]>>>${s.shift})&${(2 ** s.bits - 1) >>> 0})+${s.lo};`);
  });
  out('}');
  out('function pack(v, a, off) {');
  for (let w = 0; w < layout.words; w++) {
    const parts = layout.slots.map((s, i) => ({ s, i })).filter(({ s }) => s.word === w && s.bits > 0)
      .map(({ s, i }) => `((v[${i}]-(${s.lo}))<<${s.shift})`); // (lo) may be negative
    out(`a[off+${w}]=${parts.length ? parts.join('|') : '0'};`);
  }
  out('}');

  // successors: one block per instance.
  out('function successors(v, n, emit) {');
  out('let count = 0;');
  for (const inst of instances) {
    const env: Env = new Map(inst.action.params.map((p, i) => [p.name, inst.params[i]]));
    const guard = ec.bool(inst.action.guard, env);
    if (guard === 'false') continue;
    // `emit` runs after the try: a bounds error raised while the engine handles the successor
    // (checking its invariants) must not be taken for one of this step.
    out(`{ let st = 0, en = false, fired = false; try { if (${guard}) { en = true; count++;`);
    inst.action.requires.forEach((r, ri) => out(`if (st===0 && !(${ec.bool(r.expr, env)})) st=${ri + 1};`));
    // Every index and value is computed from the pre-state before any write (parallel assignment).
    const checks: string[] = [];
    inst.action.assigns.forEach((a, ai) => {
      const d = layout.decl.get(a.name)!;
      const b = layout.base.get(a.name)!;
      const idx = a.index.map((x) => ec.gen(x, env));
      let offc: string;
      if (idx.every((x) => 'k' in x)) {
        const off = constOffset(d.index, idx.map((x) => (x as { k: number }).k));
        offc = off === undefined ? 'oob()' : String(b + off);
      } else {
        let c = '0';
        d.index.forEach((s, i) => {
          const x = idx[i];
          const xc = 'k' in x ? String(x.k) : x.c;
          c = `(${c})*${cardinality(s)}+ix(${xc},${s.kind === 'range' ? s.lo : 0},${cardinality(s)})`;
        });
        offc = `${b}+${c}`;
      }
      const lo = d.sort.kind === 'range' ? d.sort.lo : 0;
      const hi = lo + cardinality(d.sort) - 1;
      out(`const o${ai}=${offc}, x${ai}=${ec.int(a.value, env)};`);
      checks.push(`x${ai}<${lo}||x${ai}>${hi}`);
    });
    out('n.set(v); fired = true;');
    if (checks.length) {
      out(`if (${checks.join('||')}) { st = st || -1; } else {`);
      inst.action.assigns.forEach((_, ai) => out(`n[o${ai}]=x${ai};`));
      out('}');
    }
    out(`} } catch (e) { if (!(e instanceof Bounds)) throw e; if (!en) count++; n.set(v); st = st || -1; fired = true; }`);
    out(`if (fired) emit(${inst.id}, st); }`);
  }
  out('return count;');
  out('}');

  const props = model.properties;
  const inv = props.filter((p) => p.kind === 'invariant');
  const qui = props.filter((p) => p.kind === 'quiescence');
  const cov = props.filter((p) => p.kind === 'cover');
  if (cov.length > 30) throw new Error('at most 30 cover properties');
  const none: Env = new Map();
  // A property that reads outside a sort in a reachable state is a fault of the model: say which.
  const what = (kind: string, id: string) => JSON.stringify(`${kind} ${id}`);
  out('function checkInvariants(v) {');
  inv.forEach((p, i) => out(`try { if (!(${ec.bool(p.expr, none)})) return ${i}; } catch (e) { propError(e, ${what('invariant', p.id)}); }`));
  out('return -1; }');
  out(`function isFinal(v) { try { return ${ec.bool(model.final, none)}; } catch (e) { propError(e, 'the final condition'); } }`);
  out('function checkQuiescence(v) {');
  qui.forEach((p, i) => out(`try { if (!(${ec.bool(p.expr, none)})) return ${i}; } catch (e) { propError(e, ${what('quiescence', p.id)}); }`));
  out('return -1; }');
  out('function covers(v) { let m = 0;');
  cov.forEach((p, i) => out(`try { if (${ec.bool(p.expr, none)}) m|=${1 << i}; } catch (e) { propError(e, ${what('cover', p.id)}); }`));
  out('return m; }');
  out('return { unpack, pack, successors, checkInvariants, isFinal, checkQuiescence, covers };');

  const source = lines.join('\n');
  const helpers = {
    Bounds,
    ix: (x: number, lo: number, card: number) => {
      const o = x - lo;
      if (o < 0 || o >= card) throw new Bounds('index out of range');
      return o;
    },
    oob: () => { throw new Bounds('index out of range'); },
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
  const fn = new Function('Bounds', 'ix', 'cyclic', 'oob', 'propError', source);
  const built = fn(helpers.Bounds, helpers.ix, helpers.cyclic, helpers.oob, helpers.propError);
  return { layout, instances, source, ...built };
}

export { Bounds };
