/**
 * The one result shape every engine returns (versioned). `pass` means the search was
 * exhaustive within `bounds`; anything cut short is `incomplete`.
 */
import type { Sort, SourceLoc } from '../model/lang/ir.ts';

export const RESULT_VERSION = 'protocheck.result/1';

export type Verdict = 'pass' | 'proved' | 'violation' | 'incomplete' | 'unknown' | 'error';

export interface PropertyRef {
  id: string;
  kind: 'invariant' | 'requires' | 'deadlock' | 'quiescence' | 'cover' | 'bounds';
  message: string;
  loc?: SourceLoc;
  /** For `requires`: the action whose requirement failed. */
  action?: string;
}

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
  bytesPerState?: number;
}

export interface Result {
  version: typeof RESULT_VERSION;
  model: { name: string; variant?: string; file?: string };
  engine: 'explicit';
  verdict: Verdict;
  /** Why a run is incomplete or failed, in one line. */
  reason?: string;
  property?: PropertyRef;
  bounds: Record<string, number | string | boolean>;
  stats: Stats;
  trace?: Trace;
  /** Present when a trace was minimised after the shortest search. */
  minimisation?: Minimisation;
  /** Actions never enabled in any reached state (possibly vacuous parts of the model). */
  unreachedActions?: string[];
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
} as const;

export function exitCodeOf(v: Verdict): number {
  switch (v) {
    case 'pass': case 'proved': return EXIT.pass;
    case 'violation': return EXIT.violation;
    case 'incomplete': case 'unknown': return EXIT.inconclusive;
    case 'error': return EXIT.internal;
  }
}
