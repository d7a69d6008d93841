/**
 * Old API against new: check two models (two variants of one definition, or two files)
 * property by property and say, for each property, what the change did — fixed, broke, or left
 * it as it was — then fold the rows one bug explains into one root-cause row, grouped by class.
 * A kernel developer proposing an API change reads it as "which bugs can a client of the new API
 * still reach, and which did the change remove".
 *
 * Each property is checked in isolation with cuts (properties/isolate.ts), so its witness shows
 * it as the first violation on its path. A property that holds that way but is violated once
 * other violations may happen first is a consequence: its root cause is the first violation on
 * its shortest uncut path.
 *
 * @example
 * const d = diffModels(mm.build('mmput-in-sender-context', b), mm.build('fixed', b));
 * d.rows.find((r) => r.property === 'deadlock')?.change; // 'fixed'
 */
import type { Model, PropertyClass } from '../model/lang/ir.ts';
import { runCheck, type CheckOptions } from './check.ts';
import type { Result, Trace } from './result.ts';
import { isolate, propertyIds } from '../properties/isolate.ts';
import { classOf } from '../properties/ref.ts';
import { rootCauses, type RootCauseGroup, type SideFacts } from '../properties/root-cause.ts';
import { firstRequiresViolation } from './first-violation.ts';
import { FORGET_TAG, withoutForget } from '../model/api/builder.ts';

export type Change = 'fixed' | 'broke' | 'still violated' | 'still holds' | 'only in old' | 'only in new' | 'inconclusive';

export interface DiffSide {
  verdict: Result['verdict'];
  /** Set when the isolated run stopped at another property first (a value left its sort). */
  blockedBy?: string;
  /** Steps of the shortest violating trace. */
  steps?: number;
  states: number;
  /** The actions of the trace as `thread action`, for the report. */
  trace?: string[];
  /** For a consequence: the property violated first on its shortest path (the root cause). */
  after?: string;
  /** The witness: the property's own shortest trace (for a consequence, its uncut one). */
  witness?: Trace;
  /** Whether the witness ends in a bad step (`requires`, `bounds`) rather than a bad state. */
  stepViolation?: boolean;
  /** The violation needs `mem::forget` (API models): with every forget call removed it is gone. */
  onlyThroughForget?: boolean;
}

export interface DiffRow {
  property: string;
  class: PropertyClass;
  message: string;
  old?: DiffSide;
  new?: DiffSide;
  change: Change;
}

export interface ModelDiff {
  /** The bounds each side was checked within. */
  bounds: { old: Model['bounds']; new: Model['bounds'] };
  rows: DiffRow[];
  /** Rows folded by root cause, worst class first. */
  rootCauses: RootCauseGroup[];
  /** Counts of root-cause rows. */
  fixed: number;
  broke: number;
  stillViolated: number;
}

function side(r: Result, id: string): DiffSide {
  if (r.verdict === 'violation' && r.property?.id !== id) {
    return { verdict: 'unknown', blockedBy: r.property?.id, states: r.stats.states };
  }
  return {
    verdict: r.verdict, states: r.stats.states,
    ...(r.trace ? {
      steps: r.trace.steps.length, trace: r.trace.steps.map((s) => `${s.thread ?? '-'} ${s.action}`), witness: r.trace,
      stepViolation: r.property?.kind === 'requires' || r.property?.kind === 'bounds',
    } : {}),
  };
}

const bad = (s: DiffSide) => s.verdict === 'violation';
const good = (s: DiffSide) => s.verdict === 'pass' || s.verdict === 'proved';

function changeOf(o?: DiffSide, n?: DiffSide): Change {
  if (!o) return 'only in new';
  if (!n) return 'only in old';
  if (!(bad(o) || good(o)) || !(bad(n) || good(n))) return 'inconclusive';
  if (bad(o) && good(n)) return 'fixed';
  if (good(o) && bad(n)) return 'broke';
  return bad(o) ? 'still violated' : 'still holds';
}

function declOf(m: Model, id: string): { message: string; class: PropertyClass } | undefined {
  const p = m.properties.find((x) => x.id === id);
  if (p) return { message: p.message, class: classOf(p, p.kind) };
  const r = m.actions.flatMap((a) => a.requires).find((x) => x.id === id);
  return r ? { message: r.message, class: classOf(r, 'requires') } : undefined;
}

/** Where a witness breaks: the state before its bad step, or its bad state. */
function situation(w: Trace, stepViolation: boolean): string {
  const n = w.steps.length;
  const at = stepViolation ? (n >= 2 ? w.steps[n - 2].state : w.initial) : (n ? w.steps[n - 1].state : w.initial);
  return `${stepViolation ? 'step' : 'state'}:${JSON.stringify(at)}`;
}

/** Every property of one side, each in isolation; consequences traced to their root. */
function checkSide(m: Model, ids: string[], opts: CheckOptions): Map<string, { side: DiffSide; facts: SideFacts }> {
  const out = new Map<string, { side: DiffSide; facts: SideFacts }>();
  // Sift the properties that hold on every path (nothing cut) with a few whole searches: check
  // all of them, drop the one violated first, repeat until a search passes. What that last
  // search checked holds on every reachable state, so it holds alone too (isolation only cuts
  // paths); only the violated ones need a search of their own.
  // Covers are existential: one reachable on every path may be unreachable without UB, so each
  // gets its own (cut) search.
  const covers = new Set(m.properties.filter((p) => p.kind === 'cover').map((p) => p.id));
  let holding = ids.filter((id) => !covers.has(id));
  let sift: Result | undefined;
  while (holding.length) {
    sift = runCheck(isolate(m, holding, { cut: false }), { ...opts, minimise: false });
    const hit = sift.verdict === 'violation' ? sift.property?.id : undefined;
    if (sift.verdict === 'pass' || hit === undefined || !holding.includes(hit)) break;
    holding = holding.filter((x) => x !== hit);
  }
  if (sift?.verdict !== 'pass') holding = [];
  for (const id of holding) out.set(id, { side: { verdict: 'pass', states: sift!.stats.states }, facts: { violated: false } });
  ids = ids.filter((id) => !holding.includes(id));
  const results = new Map(ids.map((id) => [id, runCheck(isolate(m, [id]), opts)]));
  // Without a reachable requires violation no path is ever cut: the cut runs are the whole story.
  const anyCut = [...results.values()].some((r) => r.verdict === 'violation' && (r.property?.kind === 'requires'));
  for (const id of ids) {
    const r = results.get(id)!;
    const s = side(r, id);
    if (bad(s)) {
      out.set(id, { side: s, facts: { violated: true, steps: s.steps, situation: s.witness ? situation(s.witness, s.stepViolation!) : undefined } });
      continue;
    }
    if (anyCut && good(s)) {
      const raw = runCheck(isolate(m, [id], { cut: false }), opts);
      const rs = side(raw, id);
      if (bad(rs) && raw.trace) {
        const after = firstRequiresViolation(m, raw.trace, { upTo: raw.trace.steps.length - (rs.stepViolation ? 1 : 0) });
        if (after !== undefined && after !== id) {
          out.set(id, { side: { ...rs, after }, facts: { violated: true, after } });
          continue;
        }
      }
    }
    out.set(id, { side: s, facts: { violated: false } });
  }
  for (const [id, v] of out) {
    if (bad(v.side) && v.side.witness && usesForget(m, v.side.witness)) {
      const without = runCheck(isolate(withoutForget(m), [id], { cut: !v.side.after }), opts);
      if (good(side(without, id))) v.side.onlyThroughForget = true;
    }
  }
  return out;
}

function usesForget(m: Model, w: Trace): boolean {
  const forget = new Set(m.actions.filter((a) => a.tags.includes(FORGET_TAG)).map((a) => a.name));
  return w.steps.some((s) => forget.has(s.action));
}


/** Check each property of either model on both, separately, and fold the rows by root cause. */
export function diffModels(oldModel: Model, newModel: Model, opts: CheckOptions = {}): ModelDiff {
  const oldIds = propertyIds(oldModel), newIds = propertyIds(newModel);
  const ids = [...oldIds, ...newIds.filter((x) => !oldIds.includes(x))];
  const o = checkSide(oldModel, oldIds, opts), n = checkSide(newModel, newIds, opts);
  const rows = ids.map((id): DiffRow => {
    const d = declOf(newModel, id) ?? declOf(oldModel, id)!;
    const os = o.get(id)?.side, ns = n.get(id)?.side;
    return { property: id, class: d.class, message: d.message, old: os, new: ns, change: changeOf(os, ns) };
  });
  const groups = rootCauses(rows.map((r) => ({
    id: r.property, class: r.class, change: r.change, old: o.get(r.property)?.facts, new: n.get(r.property)?.facts,
  })));
  const count = (c: Change) => groups.filter((g) => g.change === c).length;
  return { bounds: { old: oldModel.bounds, new: newModel.bounds }, rows, rootCauses: groups, fixed: count('fixed'), broke: count('broke'), stillViolated: count('still violated') };
}
