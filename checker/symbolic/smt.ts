/**
 * SMT-LIB terms as text, with constant folding. The encoder builds every formula from these
 * helpers, so a term whose value is fixed by the action's parameters never reaches Z3.
 *
 * Integers are signed bit-vectors of a width `w` carried by each term (the encoder picks a
 * width in which no intermediate value of the model can overflow), so Z3 solves the queries by
 * bit-blasting with its incremental SAT solver, which is far faster here than linear arithmetic.
 * Width `INT_W` (0) means mathematical integers (SMT-LIB `Int`): the Horn-clause encoding uses
 * it, since Spacer finds linear-arithmetic invariants far more readily than bit-vector ones.
 *
 * @example
 * const x = sym('x.0@1', false, 4);
 * txt(and(cmp('le', num(0, 4), x), T)); // '(bvsle (_ bv0 4) x.0@1)'
 */

/** A Bool or (bit-vector) integer term: either a known constant `k` or SMT-LIB text `s`. */
export type Term =
  | { b: boolean; k: number; s?: undefined; w?: number }
  | { b: boolean; s: string; k?: undefined; w?: number };

/** The width of mathematical integers (sort `Int`, operators `+`, `<=`, …). */
export const INT_W = 0;

export const T: Term = { b: true, k: 1 };
export const F: Term = { b: true, k: 0 };

/** An integer constant of width `w`. */
export function num(n: number, w: number): Term {
  return { b: false, k: n, w };
}
export function bool(x: boolean): Term {
  return x ? T : F;
}
/** A named constant (or any SMT-LIB text): Bool, or an integer of width `w`. */
export function sym(s: string, isBool: boolean, w?: number): Term {
  if (!isBool && w === undefined) throw new Error(`integer term ${s} needs a width`);
  return isBool ? { b: true, s } : { b: false, s, w };
}

/** The SMT-LIB sort of integers of width `w`. */
export function intSort(w: number): string {
  return w === INT_W ? 'Int' : `(_ BitVec ${w})`;
}

/** Two's complement reading of an unsigned bit-vector value. */
export function signed(v: bigint, w: number): number {
  const half = 1n << BigInt(w - 1);
  return Number(v >= half ? v - (1n << BigInt(w)) : v);
}
export function isK(t: Term): t is { b: boolean; k: number } {
  return t.k !== undefined;
}

/** SMT-LIB text of a term. */
export function txt(t: Term): string {
  if (t.k === undefined) return t.s!;
  if (t.b) return t.k ? 'true' : 'false';
  const w = t.w!;
  if (w === INT_W) return t.k < 0 ? `(- ${-t.k})` : String(t.k);
  const m = 1n << BigInt(w);
  if (t.k >= 2 ** (w - 1) || t.k < -(2 ** (w - 1))) throw new Error(`${t.k} does not fit in ${w} signed bits`);
  return `(_ bv${((BigInt(t.k) % m) + m) % m} ${w})`;
}

export function not(a: Term): Term {
  if (isK(a)) return bool(!a.k);
  if (a.s!.startsWith('(not ')) return sym(a.s!.slice(5, -1), true);
  return sym(`(not ${a.s})`, true);
}

export function and(...xs: Term[]): Term {
  const parts: string[] = [];
  for (const x of xs) {
    if (isK(x)) { if (!x.k) return F; continue; }
    parts.push(x.s!);
  }
  if (parts.length === 0) return T;
  if (parts.length === 1) return sym(parts[0], true);
  return sym(`(and ${parts.join(' ')})`, true);
}

export function or(...xs: Term[]): Term {
  const parts: string[] = [];
  for (const x of xs) {
    if (isK(x)) { if (x.k) return T; continue; }
    parts.push(x.s!);
  }
  if (parts.length === 0) return F;
  if (parts.length === 1) return sym(parts[0], true);
  return sym(`(or ${parts.join(' ')})`, true);
}

export function implies(a: Term, b: Term): Term {
  return or(not(a), b);
}

export function ite(c: Term, t: Term, e: Term): Term {
  if (isK(c)) return c.k ? t : e;
  if (isK(t) && isK(e) && t.k === e.k) return t;
  if (t.b) {
    if (isK(t) && isK(e)) return t.k ? c : not(c);
  }
  if (!isK(t) && !isK(e) && t.s === e.s) return t;
  return sym(`(ite ${c.s} ${txt(t)} ${txt(e)})`, t.b, t.w ?? e.w);
}

export function eq(a: Term, b: Term): Term {
  if (isK(a) && isK(b)) return bool(a.k === b.k);
  if (!isK(a) && !isK(b) && a.s === b.s) return T;
  if (a.b) {
    if (isK(a)) return a.k ? b : not(b);
    if (isK(b)) return b.k ? a : not(a);
  }
  return sym(`(= ${txt(a)} ${txt(b)})`, true);
}

type Cmp = 'lt' | 'le' | 'gt' | 'ge';
const CMP: Record<Cmp, [string, (x: number, y: number) => boolean, string]> = {
  lt: ['bvslt', (x, y) => x < y, '<'], le: ['bvsle', (x, y) => x <= y, '<='], gt: ['bvsgt', (x, y) => x > y, '>'], ge: ['bvsge', (x, y) => x >= y, '>='],
};
/** Width of a pair of operands (a Bool operand takes the other's width). */
function widthOf(a: Term, b: Term, w?: number): number {
  const x = a.w ?? b.w ?? w;
  if (x === undefined) throw new Error('integer operation without a width');
  return x;
}
export function cmp(op: Cmp, a: Term, b: Term, w?: number): Term {
  const [bv, f, arith] = CMP[op];
  if (isK(a) && isK(b)) return bool(f(a.k, b.k));
  const x = widthOf(a, b, w);
  return sym(`(${x === INT_W ? arith : bv} ${txt(toInt(a, x))} ${txt(toInt(b, x))})`, true);
}

export function add(a: Term, b: Term, w?: number): Term {
  const x = widthOf(a, b, w);
  if (isK(a) && isK(b)) return num(a.k + b.k, x);
  if (isK(b) && b.k === 0) return toInt(a, x);
  if (isK(a) && a.k === 0) return toInt(b, x);
  return sym(`(${x === INT_W ? '+' : 'bvadd'} ${txt(toInt(a, x))} ${txt(toInt(b, x))})`, false, x);
}
export function sub(a: Term, b: Term, w?: number): Term {
  const x = widthOf(a, b, w);
  if (isK(a) && isK(b)) return num(a.k - b.k, x);
  if (isK(b) && b.k === 0) return toInt(a, x);
  return sym(`(${x === INT_W ? '-' : 'bvsub'} ${txt(toInt(a, x))} ${txt(toInt(b, x))})`, false, x);
}
/** Sum of integer terms of width `w`. */
export function sum(xs: Term[], w: number): Term {
  let k = 0;
  const parts: string[] = [];
  for (const x of xs.map((t) => toInt(t, w))) {
    if (isK(x)) k += x.k; else parts.push(x.s!);
  }
  if (parts.length === 0) return num(k, w);
  if (k !== 0) parts.push(txt(num(k, w)));
  return parts.length === 1 ? sym(parts[0], false, w) : sym(`(${w === INT_W ? '+' : 'bvadd'} ${parts.join(' ')})`, false, w);
}

/** A Bool term as 0/1 of width `w`, an integer term unchanged (the IR treats bools as 0 and 1). */
export function toInt(t: Term, w: number): Term {
  if (!t.b) return t;
  if (isK(t)) return num(t.k ? 1 : 0, w);
  return sym(`(ite ${t.s} ${txt(num(1, w))} ${txt(num(0, w))})`, false, w);
}

/** `lo <= x <= hi` for an integer term. */
export function within(x: Term, lo: number, hi: number): Term {
  if (isK(x)) return bool(x.k >= lo && x.k <= hi);
  return and(cmp('ge', x, num(lo, x.w!)), cmp('le', x, num(hi, x.w!)));
}
