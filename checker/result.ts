/**
 * The one result shape every engine returns (versioned). `pass` means the search was
 * exhaustive within `bounds`; anything cut short is `incomplete`.
 */
import type { Sort, SourceLoc } from '../model/lang/ir.ts';
import type { PropertyRef } from '../properties/ref.ts';
import type { SymmetryStats } from './explicit.ts';
import type { FingerprintStats } from './fingerprint.ts';

export type { PropertyRef };

export const RESULT_VERSION = 'protocheck.result/1';

/**
 * `pass`: exhaustive within the bounds; `proved`: for every depth (k-induction); `bounded`: BMC
 * found no violation within its depth, and that depth is not known to cover every reachable
 * state (not a pass: exit 2); `incomplete`: a limit stopped the run; `unknown`: a solver gave up.
 */
export type Verdict = 'pass' | 'proved' | 'violation' | 'bounded' | 'incomplete' | 'unknown' | 'error';

export interface TraceStep {
  /** 1-based step number. */
  index: number;
  action: string;
  params: Record<string, string | number | boolean>;
  thread?: string;
  /** The state after the step, readable (enumerations by name, arrays keyed by index). */
  state: Record<string, unknown>;
  /** Where the action was defined in the model file. */
  loc?: SourceLoc;
}

/** A state variable's sorts, so a saved trace can be exported (ITF) without its model. */
export interface TraceVar {
  name: string;
  sort: Sort;
  index: Sort[];
}

export interface Trace {
  initial: Record<string, unknown>;
  steps: TraceStep[];
  /** The variables of the states, in model order, with their sorts. */
  vars?: TraceVar[];
  /** Every thread of the model (the values of its thread sort), in order. */
  threads?: string[];
}

/**
 * How the reported trace was chosen among the shortest ones: fewest threads involved, then
 * fewest context switches. `exact` means both figures are proven minima for this length.
 */
export interface Minimisation {
  exact: boolean;
  threads: number;
  threadsTotal: number;
  switches: number;
  /** The figures of the first shortest trace the engine found. */
  before: { threads: number; switches: number };
  /** Restricted searches run (one per thread subset tried) and states they stored. */
  searches: number;
  states: number;
  /** Candidate traces replayed on the interpreter. */
  replayed: number;
  /** Why the trace is not minimised (a limit was reached), when `exact` is false. */
  reason?: string;
}

export interface Stats {
  states: number;
  transitions: number;
  depth: number;
  seconds: number;
  statesPerSecond: number;
  /** Bytes per stored state (packed words + parent/action links + hash slots). */
  bytesPerState?: number;
  /** Bytes the visited set allocated in all. */
  bytesAllocated?: number;
  /** Present when the model declares interchangeable members (explicit engine). */
  symmetry?: SymmetryStats;
  /** Threads that searched, when helpers ran (explicit engine, `--workers`). */
  workers?: number;
}

export interface Result {
  version: typeof RESULT_VERSION;
  model: { name: string; variant?: string; file?: string };
  engine: 'explicit' | 'bmc' | 'induction' | 'pdr' | 'auto';
  verdict: Verdict;
  /** Why a run is incomplete or failed, in one line. */
  reason?: string;
  property?: PropertyRef;
  bounds: Record<string, number | string | boolean>;
  stats: Stats;
  trace?: Trace;
  /** Present when a trace was minimised after the shortest search. */
  minimisation?: Minimisation;
  /**
   * Present when only these properties were checked (`check --property`): the verdict covers
   * them alone, and steps that violate another property's `requires` were not taken.
   */
  checkedProperties?: string[];
  /** Actions never enabled in any reached state (possibly vacuous parts of the model). */
  unreachedActions?: string[];
  /** What the verdict covers, in one line (e.g. BMC: "no violation within 12 steps"). */
  note?: string;
  /** `proved`: the k of the k-induction proof (every reachable state is safe, for all depths). */
  k?: number;
  /** `unknown` from induction: the state from which k good steps reach a violation. */
  inductionCounterexample?: InductionCounterexample;
  /**
   * Present when the states were stored as 64-bit fingerprints (`check --fingerprint`, hash
   * compaction, checker/fingerprint.ts): a state may have been omitted, with at most
   * `omissionProbability` (n(n-1)/2^65 for n states), so a `pass` is probabilistic. A violation's
   * trace is real (replayed on the interpreter).
   */
  fingerprint?: FingerprintStats;
  /** Symbolic engines: Z3 figures. */
  smt?: SmtStats;
  /** `proved` by the PDR engine: the inductive invariant, re-checked. */
  proof?: Proof;
}

/**
 * An inductive invariant that proves every property at every depth: it holds initially, every
 * step preserves it, and it excludes every bad state and step. `invariant` is its conjuncts in
 * the model's vocabulary (`pc[T1] = install_pages → mm_users_held[T1] = 1`).
 */
export interface Proof {
  /** Who found it: Z3's Spacer, or IC3-style learning with the reached states as the oracle. */
  method: 'spacer' | 'explicit-guided';
  invariant: string[];
  /** The independent re-check: one SMT query, and the explicit engine on every reached state. */
  recheck: { smt: 'valid'; explicitStates: number; explicitComplete: boolean };
  /** Seconds from the start of the run to the invariant. */
  seconds: number;
  /**
   * Set when the proof covers any number of a model's interchangeable threads (`--bound NAME=any`,
   * checker/symbolic/any-threads.ts): the bound's name. The invariant is then over member counts.
   */
  anyMembers?: string;
}

/**
 * A counterexample to induction: a state satisfying every property from which `steps` (k good
 * steps, then the violation) break `property`. If no reachable state is like it, a stronger
 * invariant would make the proof go through.
 */
export interface InductionCounterexample {
  k: number;
  property: PropertyRef;
  /** The first state of the path (readable, as trace states). */
  state: Record<string, unknown>;
  /** The steps from `state`; the state after the last one (or its last step) breaks `property`. */
  steps: TraceStep[];
  /** Whether the explicit engine reaches `state` from the initial state within the bounds. */
  reachable: 'yes' | 'no' | 'unknown';
  /** One line: how `reachable` was decided (exhaustive search, its state count, or why not). */
  reachableNote: string;
}

export interface SmtStats {
  queries: number;
  /** Seconds per BMC length (length 0 = the initial state). */
  perDepth?: { depth: number; seconds: number }[];
  /** Per-query Z3 timeout in milliseconds, when one was set. */
  timeoutMs?: number;
}

/** Exit codes, one per verdict class and per kind of bad input (documented in the README). */
export const EXIT = {
  pass: 0,
  violation: 1,
  inconclusive: 2,
  /** `ci`: a check expected a violation and none was found. */
  expectationMissed: 3,
  usage: 64,
  badOption: 65,
  modelNotFound: 66,
  modelCompile: 67,
  modelBuild: 68,
  tooLarge: 69,
  internal: 70,
  /** An input file (a trace to replay, a saved result to export) is malformed. */
  badInput: 71,
  /** An output cannot be written: `--out`/`--junit`/`--sarif`/`export --out`, or stdout closed (EPIPE) or full. */
  cannotWrite: 73,
  /** Stopped by Ctrl-C (SIGINT) or SIGTERM; what was reached is printed. */
  interrupted: 130,
} as const;

export function exitCodeOf(v: Verdict): number {
  switch (v) {
    case 'pass': case 'proved': return EXIT.pass;
    case 'violation': return EXIT.violation;
    case 'bounded': case 'incomplete': case 'unknown': return EXIT.inconclusive;
    case 'error': return EXIT.internal;
  }
}
