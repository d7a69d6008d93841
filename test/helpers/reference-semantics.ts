/**
 * A second, independent implementation of the modelling language's documented semantics, for
 * the differential suites (test/engine/semantics-*.test.ts). It interprets a *source-level*
 * program (`ProgramSpec`: plain JSON statements and control flow) directly, with its own
 * breadth-first search, and imports nothing from model/lang or checker/: it never sees the IR,
 * the substitution compileStep does, or the compiled engine.
 *
 * The semantics, as documented on `step`, `guard`, `requires`, `when` and `branch`:
 * - Values: ranges and bools are integers (bool 0/1); arithmetic is unbounded. Expressions
 *   evaluate left to right; `and`/`or`/`implies`/`ite` stop as soon as the result is known.
 *   Reading an array cell whose index is outside the index sort is an *out-of-range read*.
 * - A thread at a position takes one of the steps reachable from it through `branch`, `loop`,
 *   `either` and `goto` (conditions read in the pre-state, outer first), or, when the control
 *   flow falls off the end of the program, moves to `done` without a step.
 * - One step runs its statements in order on a working copy (a later statement sees earlier
 *   writes; a `when` runs one branch; a branch not taken is not evaluated at all). Its outcome,
 *   in this order of priority:
 *   1. the control conditions and every `guard` reached (in order): the first that is false
 *      disables the step; an out-of-range read needed to decide them is a `bounds` violation;
 *   2. the `requires` reached (in order): the first false one is the violation; an
 *      out-of-range read needed before it is `bounds`;
 *   3. every `set` reached: an out-of-range read in its index or value, an index outside the
 *      array, or a value outside the variable's sort is `bounds`;
 *   4. otherwise the working copy, with the thread's position advanced, is the next state.
 *   "Needed": a statement's effect is computed when something reads it. A value that could not
 *   be computed (an out-of-range read in a `set`, or a `set` under a `when` whose condition
 *   could not be computed) is *poison* (⊥): reading it is an out-of-range read. A `set` of
 *   `arr[i]` whose index could not be computed poisons every cell of `arr`; under a `when` whose
 *   condition could not be computed it poisons cell i when i is a literal in range or `self`,
 *   else every cell. So `when(c, [], [])` reads nothing (documented on `when`).
 * - Properties: an invariant false in a reachable state (trace length = its depth), a deadlock
 *   (no step possible and not every thread done; length = depth), a violating step out of a
 *   state of depth d (length d + 1). Traces through violating steps are not explored.
 *
 * @example
 * const r = referenceBfs(spec, 200_000);
 * r.states; r.shortest; r.properties; // e.g. 1234, 11, Set { 'inv' }
 */

export type CmpOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

/** Integer expressions. `cell` is `arr[idx]`; `local` is `l[self]`. */
export type IntE =
  | { t: 'lit'; v: number }
  | { t: 'var'; name: string }
  | { t: 'cell'; idx: IntE }
  | { t: 'local' }
  | { t: 'add' | 'sub'; a: IntE; b: IntE }
  | { t: 'ite'; c: BoolE; a: IntE; b: IntE };

export type BoolE =
  | { t: 'true' | 'false' }
  | { t: 'bvar'; name: string }
  | { t: 'cmp'; op: CmpOp; a: IntE; b: IntE }
  | { t: 'not'; a: BoolE }
  | { t: 'and' | 'or'; args: BoolE[] }
  | { t: 'implies'; a: BoolE; b: BoolE };

export type Target = { k: 'var'; name: string } | { k: 'bvar'; name: string } | { k: 'cell'; idx: IntE } | { k: 'local' };

export type StmtS =
  | { s: 'set'; target: Target; value: IntE | BoolE }
  | { s: 'guard'; cond: BoolE }
  | { s: 'requires'; id: string; cond: BoolE }
  | { s: 'when'; cond: BoolE; then: StmtS[]; else: StmtS[] };

export type ProgS =
  | { k: 'step'; label: string; body: StmtS[] }
  | { k: 'either'; label: string; branches: ProgS[][] }
  | { k: 'branch'; label: string; cond: BoolE; then: ProgS[]; else: ProgS[] }
  | { k: 'loop'; label: string; cond: BoolE; body: ProgS[] }
  | { k: 'goto'; target: string };

export interface ProgramSpec {
  /** Range variables `lo..hi` with their initial values. */
  ints: { name: string; lo: number; hi: number; init: number }[];
  bools: { name: string; init: boolean }[];
  /** `arr`: cells over the index sort ARR_INDEX, values in ARR_VALUES; absent: no array. */
  arr?: number[];
  /** `l`: one cell per thread, values in LOCAL_VALUES, initially 0; absent: no local. */
  local: boolean;
  threads: string[];
  programs: { name: string; threads: string[]; body: ProgS[] }[];
  invariant?: BoolE;
  deadlock: boolean;
}

/** Index sort 0..2 and value sort 0..3 of `arr` (no variable has exactly the index sort). */
export const ARR_INDEX = { lo: 0, hi: 2 };
export const ARR_VALUES = { lo: 0, hi: 3 };
export const LOCAL_VALUES = { lo: 0, hi: 3 };
export const DONE = 'done';

/** Poison: a value that could not be computed. */
const BOT = Number.NaN;
class OutOfRange extends Error {}

/** A state: every variable's cells (scalars have one), then each thread's position. */
export interface RefState { cells: Record<string, number[]>; pc: string[] }

type Cells = Record<string, number[]>;

function read(cells: Cells, name: string, i: number): number {
  const v = cells[name][i];
  if (Number.isNaN(v)) throw new OutOfRange(`${name} is poison`);
  return v;
}

export function evalInt(e: IntE, cells: Cells, self: number): number {
  switch (e.t) {
    case 'lit': return e.v;
    case 'var': return read(cells, e.name, 0);
    case 'local': return read(cells, 'l', self);
    case 'cell': {
      const i = evalInt(e.idx, cells, self);
      if (i < ARR_INDEX.lo || i > ARR_INDEX.hi) throw new OutOfRange(`arr[${i}]`);
      return read(cells, 'arr', i - ARR_INDEX.lo);
    }
    case 'add': { const a = evalInt(e.a, cells, self); return a + evalInt(e.b, cells, self); }
    case 'sub': { const a = evalInt(e.a, cells, self); return a - evalInt(e.b, cells, self); }
    case 'ite': return evalBool(e.c, cells, self) ? evalInt(e.a, cells, self) : evalInt(e.b, cells, self);
  }
}

function compare(op: CmpOp, a: number, b: number): boolean {
  switch (op) {
    case 'eq': return a === b;
    case 'ne': return a !== b;
    case 'lt': return a < b;
    case 'le': return a <= b;
    case 'gt': return a > b;
    case 'ge': return a >= b;
  }
}

export function evalBool(e: BoolE, cells: Cells, self: number): boolean {
  switch (e.t) {
    case 'true': return true;
    case 'false': return false;
    case 'bvar': return read(cells, e.name, 0) !== 0;
    case 'cmp': return compare(e.op, evalInt(e.a, cells, self), evalInt(e.b, cells, self));
    case 'not': return !evalBool(e.a, cells, self);
    case 'and': return e.args.every((x) => evalBool(x, cells, self));
    case 'or': return e.args.some((x) => evalBool(x, cells, self));
    case 'implies': return !evalBool(e.a, cells, self) || evalBool(e.b, cells, self);
  }
}

const isBoolTarget = (t: Target) => t.k === 'bvar';

/** What one step does from a state. */
export type Outcome =
  | { k: 'disabled' }
  | { k: 'bounds' }
  | { k: 'requires'; id: string }
  | { k: 'ok'; cells: Cells };

/** Live: the statement runs (T), is in a branch not taken (F), or under an uncomputable condition (P). */
type Live = 'T' | 'F' | 'P';

/** Run one step body on a copy of `pre` for thread `self` (an index into `threads`). */
export function runStep(spec: ProgramSpec, pre: Cells, self: number, body: StmtS[]): Outcome {
  const cells: Cells = {};
  for (const k of Object.keys(pre)) cells[k] = [...pre[k]];
  const guards: ('ok' | 'false' | 'error')[] = [];
  const reqs: { r: 'ok' | 'false' | 'error'; id: string }[] = [];
  let writeError = false;
  const sortOf = (t: Target): { lo: number; hi: number } => {
    if (t.k === 'bvar') return { lo: 0, hi: 1 };
    if (t.k === 'cell') return ARR_VALUES;
    if (t.k === 'local') return LOCAL_VALUES;
    return spec.ints.find((v) => v.name === t.name)!;
  };
  const poisonAll = (name: string) => cells[name].fill(BOT);
  const attempt = <T>(f: () => T): { ok: true; v: T } | { ok: false } => {
    try { return { ok: true, v: f() }; } catch (err) { if (err instanceof OutOfRange) return { ok: false }; throw err; }
  };
  const walk = (list: StmtS[], live: Live) => {
    if (live === 'F') return;
    for (const st of list) {
      switch (st.s) {
        case 'guard': {
          if (live === 'P') { guards.push('error'); break; }
          const c = attempt(() => evalBool(st.cond, cells, self));
          guards.push(!c.ok ? 'error' : c.v ? 'ok' : 'false');
          break;
        }
        case 'requires': {
          if (live === 'P') { reqs.push({ r: 'error', id: st.id }); break; }
          const c = attempt(() => evalBool(st.cond, cells, self));
          reqs.push({ r: !c.ok ? 'error' : c.v ? 'ok' : 'false', id: st.id });
          break;
        }
        case 'when': {
          const c: { ok: true; v: boolean } | { ok: false } = live === 'P' ? { ok: false } : attempt(() => evalBool(st.cond, cells, self));
          walk(st.then, !c.ok ? 'P' : c.v ? 'T' : 'F');
          walk(st.else, !c.ok ? 'P' : c.v ? 'F' : 'T');
          break;
        }
        case 'set': {
          writeError ||= live === 'P';
          const t = st.target;
          const name = t.k === 'var' || t.k === 'bvar' ? t.name : t.k === 'cell' ? 'arr' : 'l';
          let at = 0;
          if (t.k === 'local') at = self;
          if (t.k === 'cell') {
            if (live === 'P') {
              // A literal index in range (or `self`) names its cell without the condition.
              if (t.idx.t === 'lit' && t.idx.v >= ARR_INDEX.lo && t.idx.v <= ARR_INDEX.hi) cells.arr[t.idx.v - ARR_INDEX.lo] = BOT;
              else poisonAll('arr');
              break;
            }
            const i = attempt(() => evalInt(t.idx, cells, self));
            if (!i.ok) { writeError = true; poisonAll('arr'); break; }
            if (i.v < ARR_INDEX.lo || i.v > ARR_INDEX.hi) { writeError = true; break; }
            at = i.v - ARR_INDEX.lo;
          }
          if (live === 'P') { cells[name][at] = BOT; break; }
          const v = attempt(() => (isBoolTarget(t) ? (evalBool(st.value as BoolE, cells, self) ? 1 : 0) : evalInt(st.value as IntE, cells, self)));
          if (!v.ok) { writeError = true; cells[name][at] = BOT; break; }
          const s = sortOf(t);
          if (v.v < s.lo || v.v > s.hi) writeError = true;
          cells[name][at] = v.v;
          break;
        }
      }
    }
  };
  walk(body, 'T');
  const g = guards.find((x) => x !== 'ok');
  if (g === 'false') return { k: 'disabled' };
  if (g === 'error') return { k: 'bounds' };
  const r = reqs.find((x) => x.r !== 'ok');
  if (r?.r === 'false') return { k: 'requires', id: r.id };
  if (r?.r === 'error') return { k: 'bounds' };
  if (writeError) return { k: 'bounds' };
  return { k: 'ok', cells };
}

/** One way to leave a position: control conditions (cond, wanted value), a step body (or none), the next position. */
export interface RefAlternative { conds: [BoolE, boolean][]; label: string; body: StmtS[]; next: string }

/** The control-flow graph of one program: its start position and, per position, the ways to leave it. */
export function programGraph(body: ProgS[]): { start: string; alts: Map<string, RefAlternative[]> } {
  const where = new Map<string, { block: ProgS[]; i: number; cont: string }>();
  const at = (block: ProgS[], i: number, cont: string): string => {
    if (i >= block.length) return cont;
    const s = block[i];
    return s.k === 'goto' ? s.target : s.label;
  };
  const register = (block: ProgS[], cont: string) => block.forEach((s, i) => {
    if (s.k === 'goto') return;
    where.set(s.label, { block, i, cont });
    const after = at(block, i + 1, cont);
    if (s.k === 'either') s.branches.forEach((b) => register(b, after));
    if (s.k === 'branch') { register(s.then, after); register(s.else, after); }
    if (s.k === 'loop') register(s.body, s.label);
  });
  register(body, DONE);
  const resolve = (label: string, conds: [BoolE, boolean][], ctl: string, depth: number): RefAlternative[] => {
    if (depth > 100) throw new Error(`a cycle of control statements through ${label}`);
    if (label === DONE) return [{ conds, label: ctl, body: [], next: DONE }];
    const { block, i, cont } = where.get(label)!;
    const s = block[i];
    const after = at(block, i + 1, cont);
    switch (s.k) {
      case 'step': return [{ conds, label: s.label, body: s.body, next: after }];
      case 'goto': throw new Error('unreachable');
      case 'either': return s.branches.flatMap((b) => resolve(at(b, 0, after), conds, s.label, depth + 1));
      case 'branch': return [
        ...resolve(at(s.then, 0, after), [...conds, [s.cond, true]], s.label, depth + 1),
        ...resolve(at(s.else, 0, after), [...conds, [s.cond, false]], s.label, depth + 1),
      ];
      case 'loop': return [
        ...resolve(at(s.body, 0, s.label), [...conds, [s.cond, true]], s.label, depth + 1),
        ...resolve(after, [...conds, [s.cond, false]], s.label, depth + 1),
      ];
    }
  };
  const start = at(body, 0, DONE);
  const alts = new Map<string, RefAlternative[]>();
  const todo = [start];
  while (todo.length) {
    const p = todo.pop()!;
    if (p === DONE || alts.has(p)) continue;
    const a = resolve(p, [], p, 0);
    alts.set(p, a);
    todo.push(...a.map((x) => x.next));
  }
  return { start, alts };
}

/** What the reference search found. */
export interface RefResult {
  /** States reachable through non-violating steps (all of them when `complete`). */
  states: number;
  /** Whether the whole reachable state space was explored. */
  complete: boolean;
  /** The deepest BFS level (complete runs). */
  depth: number;
  /** Length of the shortest violating trace, undefined when there is none. */
  shortest?: number;
  /** Property ids violated at that length: an invariant's id, `deadlock`, a requires id, `bounds`. */
  properties: Set<string>;
  /** States of depth at most k, for k = 0, 1, … (explored levels only). */
  upTo: number[];
}

function initialCells(spec: ProgramSpec): Cells {
  const cells: Cells = {};
  for (const v of spec.ints) cells[v.name] = [v.init];
  for (const v of spec.bools) cells[v.name] = [v.init ? 1 : 0];
  if (spec.arr) cells.arr = [...spec.arr];
  if (spec.local) cells.l = spec.threads.map(() => 0);
  return cells;
}

/** A state's identity: its cells and positions as JSON (cells in declaration order). */
export const keyOf = (s: RefState) => JSON.stringify(s);

/** The initial state of a spec. */
export function initialState(spec: ProgramSpec, graphs = spec.programs.map((p) => programGraph(p.body))): RefState {
  return { cells: initialCells(spec), pc: spec.threads.map((t) => { const i = spec.programs.findIndex((p) => p.threads.includes(t)); return i < 0 ? DONE : graphs[i].start; }) };
}

/** What thread `self` can do in state `s`: one outcome per way out of its position that is not disabled. */
export function threadOutcomes(spec: ProgramSpec, graphs: ReturnType<typeof programGraph>[], s: RefState, self: number): { alt: RefAlternative; out: Outcome; next?: RefState }[] {
  const pos = s.pc[self];
  if (pos === DONE) return [];
  const prog = spec.programs.findIndex((p) => p.threads.includes(spec.threads[self]));
  const res: { alt: RefAlternative; out: Outcome; next?: RefState }[] = [];
  for (const alt of graphs[prog].alts.get(pos)!) {
    let out: Outcome | undefined;
    for (const [c, want] of alt.conds) {
      try {
        if (evalBool(c, s.cells, self) !== want) { out = { k: 'disabled' }; break; }
      } catch (err) {
        if (!(err instanceof OutOfRange)) throw err;
        out = { k: 'bounds' }; break;
      }
    }
    out ??= runStep(spec, s.cells, self, alt.body);
    if (out.k === 'disabled') continue;
    res.push({ alt, out, ...(out.k === 'ok' ? { next: { cells: out.cells, pc: s.pc.map((p, i) => (i === self ? alt.next : p)) } } : {}) });
  }
  return res;
}

/**
 * Breadth-first search of the spec's state space. Stops one level after the shortest
 * violation is settled (then `complete` is false unless nothing was left), or throws past
 * `limit` states.
 */
export function referenceBfs(spec: ProgramSpec, limit: number): RefResult {
  const graphs = spec.programs.map((p) => programGraph(p.body));
  const init = initialState(spec, graphs);
  const seen = new Set<string>([keyOf(init)]);
  const found = new Map<number, Set<string>>();
  const note = (len: number, p: string) => { if (!found.has(len)) found.set(len, new Set()); found.get(len)!.add(p); };
  const upTo: number[] = [];
  let frontier = [init];
  let d = 0;
  let complete = true;
  for (;;) {
    upTo.push(seen.size);
    const next: RefState[] = [];
    for (const s of frontier) {
      if (spec.invariant && !evalBool(spec.invariant, s.cells, -1)) note(d, 'inv');
      let enabled = 0;
      s.pc.forEach((_, self) => {
        for (const { out, next: n } of threadOutcomes(spec, graphs, s, self)) {
          enabled++;
          if (out.k === 'bounds') { note(d + 1, 'bounds'); continue; }
          if (out.k === 'requires') { note(d + 1, out.id); continue; }
          const k = keyOf(n!);
          if (seen.has(k)) continue;
          seen.add(k);
          if (seen.size > limit) throw new Error(`referenceBfs: more than ${limit} states`);
          next.push(n!);
        }
      });
      if (enabled === 0 && spec.deadlock && s.pc.some((p) => p !== DONE)) note(d, 'deadlock');
    }
    const settled = [...found.keys()].some((len) => len <= d);
    if (settled || next.length === 0) {
      if (next.length) { complete = false; upTo.push(seen.size); }
      break;
    }
    frontier = next;
    d++;
  }
  const shortest = found.size ? Math.min(...found.keys()) : undefined;
  return { states: seen.size, complete, depth: d, shortest, properties: shortest === undefined ? new Set() : found.get(shortest)!, upTo };
}
