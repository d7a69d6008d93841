/**
 * The model IR: plain, JSON-serialisable data. Every engine (interpreter, compiled explicit
 * engine, Z3 encoding) reads only this. Values of every sort are small integers:
 * bool 0/1, range its own value, enumeration and scalarset the index of the value.
 */

import type { SourceLoc } from '../../properties/ref.ts';
import type { PropertyClass } from '../../properties/classes.ts';

export type { SourceLoc, PropertyClass };

export const IR_VERSION = 1;

export type Sort =
  | { kind: 'bool' }
  | { kind: 'range'; lo: number; hi: number }
  /** `base`: this enumeration is an option of that sort (its values, then one extra such as `none`). */
  | { kind: 'enum'; name: string; values: string[]; base?: string }
  | { kind: 'scalarset'; name: string; size: number; prefix: string }
  /** Unbounded integer: only the result of arithmetic, never a variable's sort. */
  | { kind: 'int' };

/** A state variable: a scalar, or an array indexed by finite sorts (row-major). */
export interface VarDecl {
  name: string;
  sort: Sort;
  index: Sort[];
  /** Initial value of every cell (cells listed row-major), or one value for all. */
  init: number[] | number;
  doc?: string;
  loc?: SourceLoc;
}

export type BinOp = 'add' | 'sub' | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'implies';

/**
 * An expression in the IR: plain data every engine reads. Models rarely write one by hand: the
 * builders of expr.ts (`eq`, `add`, `and`, `ite`, `forall`, …) return them, a `Ref` reads as
 * one (`ref.e`), and a program's `self` is `{ op: 'param', name: 'self' }`. `sort` is the
 * value's sort, checked when the model is built.
 *
 * @example
 * const e: Expr = eq(users, 0); // { op: 'eq', sort: bool, a: <var mm_users>, b: <lit 0> }
 */
export type Expr =
  | { op: 'lit'; sort: Sort; value: number }
  | { op: 'var'; sort: Sort; name: string; index: Expr[] }
  /** An action parameter or a quantifier-bound variable. */
  | { op: 'param'; sort: Sort; name: string }
  | { op: BinOp; sort: Sort; a: Expr; b: Expr }
  | { op: 'and' | 'or'; sort: Sort; args: Expr[] }
  | { op: 'not'; sort: Sort; a: Expr }
  | { op: 'ite'; sort: Sort; c: Expr; t: Expr; e: Expr }
  | { op: 'forall' | 'exists' | 'count'; sort: Sort; v: string; over: Sort; body: Expr }
  /** True iff the directed graph `name[a][b]` (a bool array over one finite sort squared) has a cycle. */
  | { op: 'cyclic'; sort: Sort; name: string };

export interface Param {
  name: string;
  sort: Sort;
  /** Restrict the parameter to these values of its sort (e.g. the threads running one program). */
  values?: number[];
}

export interface Assign {
  name: string;
  index: Expr[];
  value: Expr;
}

/** A safety condition that must hold whenever the action is taken. */
export interface Requirement {
  id: string;
  message: string;
  expr: Expr;
  /** What a violation means (properties/classes.ts); absent: `unsound`, the default of `requires`. */
  class?: PropertyClass;
  loc?: SourceLoc;
}

export interface Action {
  name: string;
  params: Param[];
  guard: Expr;
  requires: Requirement[];
  /** Parallel assignments: every right-hand side and index reads the pre-state; applied in order. */
  assigns: Assign[];
  /** Which thread takes the step: the value of this parameter (of the model's thread sort). */
  threadParam?: string;
  tags: string[];
  doc?: string;
  loc?: SourceLoc;
}

/** What every property has; `class` absent means its kind's default (properties/kinds.ts). */
interface PropertyBase {
  id: string;
  message: string;
  class?: PropertyClass;
  loc?: SourceLoc;
}

export type Property =
  | (PropertyBase & { kind: 'invariant'; expr: Expr })
  /** In a state where no action is enabled, `final` must hold. */
  | (PropertyBase & { kind: 'deadlock' })
  /** In every state where `final` holds, `expr` must hold (no leaked reference, lock released). */
  | (PropertyBase & { kind: 'quiescence'; expr: Expr })
  /** Some reachable state must satisfy `expr`; unreachable means the model is vacuous there. */
  | (PropertyBase & { kind: 'cover'; expr: Expr });

/**
 * Interchangeable members (threads of one role, a scalarset's values): renaming them, together
 * with every value tied to them, maps the model onto itself, so an engine may keep one state per
 * orbit. `model/lang/symmetry.ts` checks the claim when the model is built.
 */
export interface Symmetry {
  /** The members' names (thread names, or a scalarset's values), in member order. */
  members: string[];
  /**
   * Per sort (by name), for each value in code order, the members it names ([] for none). A
   * value naming members M is the r-th of the values naming M; a renaming σ maps it to the r-th
   * value naming σ(M).
   */
  tied: Record<string, number[][]>;
}

export interface Model {
  irVersion: number;
  name: string;
  doc?: string;
  vars: VarDecl[];
  actions: Action[];
  properties: Property[];
  /** When true, the state is an intended end state (threads finished): not a deadlock. */
  final: Expr;
  /** The sort whose values name threads, for traces. */
  threadSort?: Sort;
  /** Interchangeable members, if the model declares them (`m.symmetric`). */
  symmetry?: Symmetry;
  /** Free-form bounds the model was built with (threads, pages, ...), reported in results. */
  bounds: Record<string, number | string | boolean>;
  loc?: SourceLoc;
}

export const BOOL: Sort = { kind: 'bool' };
export const INT: Sort = { kind: 'int' };

/** Number of values of a finite sort. */
export function cardinality(s: Sort): number {
  switch (s.kind) {
    case 'bool': return 2;
    case 'range': return s.hi - s.lo + 1;
    case 'enum': return s.values.length;
    case 'scalarset': return s.size;
    case 'int': throw new Error('int is not a finite sort');
  }
}

/** The integer codes of a finite sort, in order. */
export function sortValues(s: Sort): number[] {
  if (s.kind === 'range') return Array.from({ length: s.hi - s.lo + 1 }, (_, i) => s.lo + i);
  return Array.from({ length: cardinality(s) }, (_, i) => i);
}

/** Offset of a value within its sort (0-based), used for array indexing. */
export function ordinal(s: Sort, v: number): number {
  return s.kind === 'range' ? v - s.lo : v;
}

export function inSort(s: Sort, v: number): boolean {
  switch (s.kind) {
    case 'bool': return v === 0 || v === 1;
    case 'range': return v >= s.lo && v <= s.hi;
    case 'enum': return v >= 0 && v < s.values.length;
    case 'scalarset': return v >= 0 && v < s.size;
    case 'int': return Number.isInteger(v);
  }
}

/** Human form of a value: `true`, `3`, `Locked`, `T2`. */
export function showValue(s: Sort, v: number): string | number | boolean {
  switch (s.kind) {
    case 'bool': return v !== 0;
    case 'range': case 'int': return v;
    case 'enum': return s.values[v] ?? `<bad ${v}>`;
    case 'scalarset': return `${s.prefix}${v + 1}`;
  }
}

/** Inverse of showValue; undefined when the text names no value of the sort. */
export function parseValue(s: Sort, x: unknown): number | undefined {
  switch (s.kind) {
    case 'bool': return x === true ? 1 : x === false ? 0 : undefined;
    case 'range': case 'int': return typeof x === 'number' && inSort(s, x) ? x : undefined;
    case 'enum': { const i = s.values.indexOf(x as string); return i < 0 ? undefined : i; }
    case 'scalarset': {
      if (typeof x !== 'string' || !x.startsWith(s.prefix)) return undefined;
      const n = Number(x.slice(s.prefix.length));
      return Number.isInteger(n) && n >= 1 && n <= s.size ? n - 1 : undefined;
    }
  }
}

export function sortName(s: Sort): string {
  switch (s.kind) {
    case 'bool': return 'bool';
    case 'int': return 'int';
    case 'range': return `${s.lo}..${s.hi}`;
    case 'enum': case 'scalarset': return s.name;
  }
}

/** Whether values of the two sorts may be compared or assigned to each other. */
export function compatibleSorts(a: Sort, b: Sort): boolean {
  const numeric = (s: Sort) => s.kind === 'range' || s.kind === 'int';
  if (numeric(a) && numeric(b)) return true;
  const named = (s: Sort) => (s.kind === 'enum' || s.kind === 'scalarset' ? s.name : undefined);
  const base = (s: Sort) => (s.kind === 'enum' ? s.base : undefined);
  if (a.kind === 'bool' || b.kind === 'bool') return a.kind === b.kind;
  const na = named(a), nb = named(b);
  if (na === undefined || nb === undefined) return false;
  return na === nb || base(a) === nb || base(b) === na;
}

/** Number of cells of a variable (1 for a scalar). */
export function cellCount(v: VarDecl): number {
  return v.index.reduce((n, s) => n * cardinality(s), 1);
}
