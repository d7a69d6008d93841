/**
 * The process layer: a PlusCal-like program per thread, compiled to IR actions over a
 * per-thread `pc`. Each `step` is one atomic, labelled interleaving point; `branch`, `either`
 * and `loop` choose among the steps that follow and are evaluated atomically with the step
 * they lead to (like a PlusCal label covering an `if` and its first statement).
 */
import type { Expr, SourceLoc } from './ir.ts';
import { callerLocation, formatLoc } from './source.ts';
import { ModelError, and, not, ex, type ExprLike } from './expr.ts';
import { type Stmt, type StmtLike, flat } from './stmt.ts';

export type ProgStmt =
  | { k: 'step'; label: string; body: Stmt[]; doc?: string; loc?: SourceLoc }
  | { k: 'either'; label: string; branches: ProgStmt[][]; loc?: SourceLoc }
  | { k: 'branch'; label: string; cond: Expr; then: ProgStmt[]; else: ProgStmt[]; loc?: SourceLoc }
  | { k: 'loop'; label: string; cond: Expr; body: ProgStmt[]; loc?: SourceLoc }
  | { k: 'goto'; target: string };

/**
 * One atomic step with a label (its action name in traces).
 * Example: `step('mmget_not_zero', guard(gt(users, 0)), set(users, add(users, 1)))`.
 */
export function step(label: string, ...body: StmtLike[]): ProgStmt {
  return { k: 'step', label, body: flat(body), loc: callerLocation() };
}
/** Nondeterministic choice between blocks. Example: `either('exit_path', [step('a')], [step('b')])`. */
export function either(label: string, ...branches: ProgStmt[][]): ProgStmt {
  return { k: 'either', label, branches, loc: callerLocation() };
}
/**
 * `if cond then … else …`; the condition is read together with the first step of the branch taken.
 * `cond` may be a location, e.g. the per-thread result of a trylock: `branch('locked', got.at(self), …)`.
 */
export function branch(label: string, cond: ExprLike, then: ProgStmt[], otherwise: ProgStmt[] = []): ProgStmt {
  return { k: 'branch', label, cond: boolCond(cond, label), then, else: otherwise, loc: callerLocation() };
}
/** `while cond do …`. */
export function loop(label: string, cond: ExprLike, body: ProgStmt[]): ProgStmt {
  return { k: 'loop', label, cond: boolCond(cond, label), body, loc: callerLocation() };
}

function boolCond(cond: ExprLike, label: string): Expr {
  const c = ex(cond);
  if (c.sort.kind !== 'bool') throw new ModelError(`${label}: the condition must be a bool`);
  return c;
}
/** Continue at a labelled statement. */
export function goto(target: string): ProgStmt {
  return { k: 'goto', target };
}

/** One way to leave a position: extra guard, the step taken (or none: fall to done), next position. */
export interface Alternative {
  cond: Expr;
  step: { label: string; body: Stmt[]; loc?: SourceLoc } | undefined;
  controlLabel: string;
  next: string;
}

interface Entry {
  block: ProgStmt[];
  i: number;
  k: string;
}

export const DONE = 'done';

/** Control-flow graph of one program: positions (pc values) and how each can be left. */
export interface ProgramGraph {
  start: string;
  positions: string[];
  alternatives: Map<string, Alternative[]>;
}

export function compileProgram(programName: string, body: ProgStmt[]): ProgramGraph {
  const entries = new Map<string, Entry>();
  const register = (block: ProgStmt[], k: string) => {
    block.forEach((s, i) => {
      if (s.k === 'goto') return;
      if (s.label === DONE) throw new ModelError(`program ${programName}: '${DONE}' is reserved for the end`);
      const twin = entries.get(s.label);
      if (twin) {
        // Name both places: the error is raised at build(), far from either.
        const at = (x: ProgStmt) => (x.k !== 'goto' && x.loc ? formatLoc(x.loc) : undefined);
        const places = [at(twin.block[twin.i]), at(s)].filter(Boolean);
        throw new ModelError(`program ${programName}: label '${s.label}' used twice${places.length ? ` (${places.join(' and ')})` : ''}; labels name program positions and must be unique`);
      }
      entries.set(s.label, { block, i, k });
      const after = posLabel(block, i + 1, k);
      if (s.k === 'either') s.branches.forEach((b) => register(b, after));
      if (s.k === 'branch') { register(s.then, after); register(s.else, after); }
      if (s.k === 'loop') register(s.body, s.label);
    });
  };
  const posLabel = (block: ProgStmt[], i: number, k: string): string => {
    if (i >= block.length) return k;
    const s = block[i];
    return s.k === 'goto' ? s.target : s.label;
  };
  register(body, DONE);

  const alternativesAt = (label: string, visiting: Set<string>, ctl: string): Alternative[] => {
    if (label === DONE) return [{ cond: and(), step: undefined, controlLabel: ctl, next: DONE }];
    const e = entries.get(label);
    if (!e) throw new ModelError(`program ${programName}: goto to unknown label '${label}'`);
    if (visiting.has(label)) {
      throw new ModelError(`program ${programName}: a loop through '${label}' has no step; add a step`);
    }
    const seen = new Set(visiting).add(label);
    const s = e.block[e.i];
    const next = posLabel(e.block, e.i + 1, e.k);
    const guarded = (c: Expr, alts: Alternative[]) => alts.map((a) => ({ ...a, cond: and(c, a.cond) }));
    switch (s.k) {
      case 'step': return [{ cond: and(), step: { label: s.label, body: s.body, loc: s.loc }, controlLabel: s.label, next }];
      case 'goto': return alternativesAt(s.target, seen, ctl);
      case 'either': {
        if (s.branches.length === 0) throw new ModelError(`program ${programName}: either '${s.label}' has no branch`);
        return s.branches.flatMap((b) => alternativesAt(posLabel(b, 0, next), seen, s.label));
      }
      case 'branch':
        return [
          ...guarded(s.cond, alternativesAt(posLabel(s.then, 0, next), seen, s.label)),
          ...guarded(not(s.cond), alternativesAt(posLabel(s.else, 0, next), seen, s.label)),
        ];
      case 'loop':
        return [
          ...guarded(s.cond, alternativesAt(posLabel(s.body, 0, s.label), seen, s.label)),
          ...guarded(not(s.cond), alternativesAt(next, seen, s.label)),
        ];
    }
  };

  // Positions reachable from the start; each is a pc value.
  const start = posLabel(body, 0, DONE);
  const alternatives = new Map<string, Alternative[]>();
  const todo = [start];
  while (todo.length) {
    const p = todo.pop()!;
    if (alternatives.has(p) || p === DONE) continue;
    const alts = alternativesAt(p, new Set(), p);
    alternatives.set(p, alts);
    for (const a of alts) todo.push(a.next);
  }
  const positions = [...alternatives.keys()];
  return { start, positions, alternatives };
}
