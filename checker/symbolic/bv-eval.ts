/**
 * Exact evaluation of lemma expressions with BigInt (the reference semantics of the lemma
 * language, as the interpreter is for models): every Z3 refutation is re-checked here.
 */
import type { FactExpr, WordExpr } from '../../model/lemmas/lang.ts';

export type WordEnv = Record<string, bigint>;

/** The value of a word expression at the given width (wrapping, unsigned). */
export function evalWord(e: WordExpr, env: WordEnv, width: number): bigint {
  const m = 1n << BigInt(width);
  const wrap = (x: bigint) => ((x % m) + m) % m;
  const w = (x: WordExpr) => evalWord(x, env, width);
  switch (e.op) {
    case 'var': {
      const v = env[e.name];
      if (v === undefined) throw new Error(`no value for ${e.name}`);
      return wrap(v);
    }
    case 'lit': return wrap(e.value);
    case 'add': return wrap(w(e.a) + w(e.b));
    case 'sub': return wrap(w(e.a) - w(e.b));
    case 'mul': return wrap(w(e.a) * w(e.b));
    case 'and': return w(e.a) & w(e.b);
    case 'or': return w(e.a) | w(e.b);
    case 'xor': return w(e.a) ^ w(e.b);
    // Shifts by the width or more give 0, as in SMT-LIB.
    case 'shl': { const s = w(e.b); return s >= BigInt(width) ? 0n : wrap(w(e.a) << s); }
    case 'lshr': { const s = w(e.b); return s >= BigInt(width) ? 0n : w(e.a) >> s; }
    case 'udiv': { const d = w(e.b); return d === 0n ? m - 1n : w(e.a) / d; }
    case 'urem': { const d = w(e.b); return d === 0n ? w(e.a) : w(e.a) % d; }
    case 'not': return m - 1n - w(e.a);
    case 'neg': return wrap(-w(e.a));
    case 'ite': return evalFact(e.c, env, width) ? w(e.t) : w(e.e);
  }
}

export function evalFact(e: FactExpr, env: WordEnv, width: number): boolean {
  const w = (x: WordExpr) => evalWord(x, env, width);
  const f = (x: FactExpr) => evalFact(x, env, width);
  switch (e.op) {
    case 'true': return true;
    case 'false': return false;
    case 'eq': return w(e.a) === w(e.b);
    case 'ne': return w(e.a) !== w(e.b);
    case 'ult': return w(e.a) < w(e.b);
    case 'ule': return w(e.a) <= w(e.b);
    case 'ugt': return w(e.a) > w(e.b);
    case 'uge': return w(e.a) >= w(e.b);
    case 'addOverflows': return w(e.a) + w(e.b) >= 1n << BigInt(width);
    case 'all': return e.args.every(f);
    case 'any': return e.args.some(f);
    case 'notf': return !f(e.a);
    case 'implies': return !f(e.a) || f(e.b);
    case 'iff': return f(e.a) === f(e.b);
  }
}
