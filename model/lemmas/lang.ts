/**
 * Bit-vector lemmas: facts about address arithmetic over machine words (64-bit by default),
 * stated with typed builders and proved or refuted by Z3 (`protocheck lemmas`). A refutation
 * comes with concrete values (the smallest counterexample) that protocheck re-checks with
 * exact BigInt arithmetic before reporting it.
 *
 * @example
 * const addr = word('addr');
 * const PAGE_SIZE = lit(4096n);
 * export const aligned = lemma({
 *   id: 'page.mask-aligns', doc: 'addr & ~(PAGE_SIZE-1) is page aligned',
 *   claim: addr.and(PAGE_SIZE.sub(1).not()).and(PAGE_SIZE.sub(1)).eq(0),
 *   expect: 'proved',
 * });
 */
import type { SourceLoc } from '../lang/ir.ts';
import { callerLocation } from '../lang/source.ts';

export type WordOp2 = 'add' | 'sub' | 'mul' | 'and' | 'or' | 'xor' | 'shl' | 'lshr' | 'udiv' | 'urem';

/** A word-valued expression (unsigned, wrapping at the lemma's width). */
export type WordExpr =
  | { op: 'var'; name: string }
  | { op: 'lit'; value: bigint }
  | { op: WordOp2; a: WordExpr; b: WordExpr }
  | { op: 'not' | 'neg'; a: WordExpr }
  | { op: 'ite'; c: FactExpr; t: WordExpr; e: WordExpr };

export type CmpOp = 'eq' | 'ne' | 'ult' | 'ule' | 'ugt' | 'uge';

/** A truth-valued expression over words. */
export type FactExpr =
  | { op: 'true' | 'false' }
  | { op: CmpOp; a: WordExpr; b: WordExpr }
  /** `a + b` does not fit in the width (Rust's `checked_add` returns None). */
  | { op: 'addOverflows'; a: WordExpr; b: WordExpr }
  | { op: 'all' | 'any'; args: FactExpr[] }
  | { op: 'notf'; a: FactExpr }
  | { op: 'implies' | 'iff'; a: FactExpr; b: FactExpr };

export type WordLike = Word | bigint | number;

function lower(x: WordLike): WordExpr {
  if (x instanceof Word) return x.e;
  if (typeof x === 'number') {
    if (!Number.isSafeInteger(x) || x < 0) throw new Error(`word literal ${x} must be a non-negative safe integer (use a bigint)`);
    return { op: 'lit', value: BigInt(x) };
  }
  if (x < 0n) throw new Error(`word literal ${x} must be non-negative`);
  return { op: 'lit', value: x };
}

/** A word expression with chainable operators (all wrap at the lemma's width, like Rust's wrapping_*). */
export class Word {
  constructor(readonly e: WordExpr) {}
  private bin(op: WordOp2, b: WordLike): Word { return new Word({ op, a: this.e, b: lower(b) }); }
  add(b: WordLike) { return this.bin('add', b); }
  sub(b: WordLike) { return this.bin('sub', b); }
  mul(b: WordLike) { return this.bin('mul', b); }
  and(b: WordLike) { return this.bin('and', b); }
  or(b: WordLike) { return this.bin('or', b); }
  xor(b: WordLike) { return this.bin('xor', b); }
  shl(b: WordLike) { return this.bin('shl', b); }
  /** Logical shift right. */
  shr(b: WordLike) { return this.bin('lshr', b); }
  /** Unsigned division (x / 0 is all ones, as in SMT-LIB; lemmas should assume a non-zero divisor). */
  div(b: WordLike) { return this.bin('udiv', b); }
  rem(b: WordLike) { return this.bin('urem', b); }
  /** Bitwise complement (C's `~`, Rust's `!`). */
  not() { return new Word({ op: 'not', a: this.e }); }
  neg() { return new Word({ op: 'neg', a: this.e }); }
  private cmp(op: CmpOp, b: WordLike): Fact { return new Fact({ op, a: this.e, b: lower(b) }); }
  eq(b: WordLike) { return this.cmp('eq', b); }
  ne(b: WordLike) { return this.cmp('ne', b); }
  lt(b: WordLike) { return this.cmp('ult', b); }
  le(b: WordLike) { return this.cmp('ule', b); }
  gt(b: WordLike) { return this.cmp('ugt', b); }
  ge(b: WordLike) { return this.cmp('uge', b); }
  /** `self + b` overflows (Rust: `self.checked_add(b).is_none()`). */
  addOverflows(b: WordLike) { return new Fact({ op: 'addOverflows', a: this.e, b: lower(b) }); }
}

/** A truth value over words. */
export class Fact {
  constructor(readonly e: FactExpr) {}
  and(...xs: Fact[]) { return all(this, ...xs); }
  or(...xs: Fact[]) { return any(this, ...xs); }
  not() { return new Fact({ op: 'notf', a: this.e }); }
  implies(b: Fact) { return new Fact({ op: 'implies', a: this.e, b: b.e }); }
  iff(b: Fact) { return new Fact({ op: 'iff', a: this.e, b: b.e }); }
}

/** An unknown word (universally quantified in the claim). */
export function word(name: string): Word {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`bad word name '${name}'`);
  return new Word({ op: 'var', name });
}
/** A word constant. */
export function lit(v: bigint | number): Word {
  return new Word(lower(v));
}
/** `if c then t else e` on words. */
export function ite(c: Fact, t: WordLike, e: WordLike): Word {
  return new Word({ op: 'ite', c: c.e, t: lower(t), e: lower(e) });
}
export function all(...xs: Fact[]): Fact {
  return new Fact({ op: 'all', args: xs.map((x) => x.e) });
}
export function any(...xs: Fact[]): Fact {
  return new Fact({ op: 'any', args: xs.map((x) => x.e) });
}
export const TRUE = new Fact({ op: 'true' });

export interface Lemma {
  id: string;
  /** One line: what the lemma says, in kernel terms. */
  doc: string;
  width: number;
  /** The unknown words, in the order a counterexample is minimised (first is smallest first). */
  vars: string[];
  /** Preconditions (the claim is checked only where all hold). */
  assume: FactExpr[];
  claim: FactExpr;
  /** Words printed with a refutation (e.g. both masks). */
  show: Record<string, WordExpr>;
  /** What the lemma is expected to give: a proof, or a refutation (a bug it demonstrates). */
  expect: 'proved' | 'refuted';
  loc?: SourceLoc;
}

export interface LemmaSpec {
  id: string;
  doc: string;
  claim: Fact;
  assume?: Fact[];
  show?: Record<string, WordLike>;
  expect: 'proved' | 'refuted';
  /** Word width in bits (default 64, `usize` on 64-bit kernels). */
  width?: number;
}

function varsOf(e: WordExpr | FactExpr, out: string[]): void {
  switch (e.op) {
    case 'var': if (!out.includes(e.name)) out.push(e.name); return;
    case 'lit': case 'true': case 'false': return;
    case 'not': case 'neg': case 'notf': varsOf(e.a, out); return;
    case 'ite': varsOf(e.c, out); varsOf(e.t, out); varsOf(e.e, out); return;
    case 'all': case 'any': e.args.forEach((x) => varsOf(x, out)); return;
    default: varsOf(e.a, out); varsOf(e.b, out);
  }
}

/** Define a lemma; its unknowns are the words it mentions, in order of first use (assumptions first). */
export function lemma(spec: LemmaSpec): Lemma {
  const width = spec.width ?? 64;
  if (!Number.isInteger(width) || width < 1 || width > 128) throw new Error(`lemma ${spec.id}: width ${width} is not 1..128`);
  const assume = (spec.assume ?? []).map((f) => f.e);
  const show: Record<string, WordExpr> = {};
  for (const [k, v] of Object.entries(spec.show ?? {})) show[k] = lower(v);
  const vars: string[] = [];
  assume.forEach((a) => varsOf(a, vars));
  varsOf(spec.claim.e, vars);
  Object.values(show).forEach((s) => varsOf(s, vars));
  return { id: spec.id, doc: spec.doc, width, vars, assume, claim: spec.claim.e, show, expect: spec.expect, loc: callerLocation() };
}
