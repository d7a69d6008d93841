/**
 * Old API against new: check two models (two variants of one definition, or two files)
 * property by property and say, for each property, what the change did — fixed, broke, or left
 * it as it was. A kernel developer proposing an API change reads it as "which bugs can a client
 * of the new API still reach, and which did the change remove".
 *
 * @example
 * const d = diffModels(mm.build('mmput-in-sender-context', b), mm.build('fixed', b));
 * d.rows.find((r) => r.property === 'deadlock')?.change; // 'fixed'
 */
import type { Model } from '../model/lang/ir.ts';
import { runCheck, type CheckOptions } from './check.ts';
import type { Result } from './result.ts';
import { isolate, propertyIds } from '../properties/isolate.ts';

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
}

export interface DiffRow {
  property: string;
  message: string;
  old?: DiffSide;
  new?: DiffSide;
  change: Change;
}

export interface ModelDiff {
  rows: DiffRow[];
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
    ...(r.trace ? { steps: r.trace.steps.length, trace: r.trace.steps.map((s) => `${s.thread ?? '-'} ${s.action}`) } : {}),
  };
}

function changeOf(o?: DiffSide, n?: DiffSide): Change {
  if (!o) return 'only in new';
  if (!n) return 'only in old';
  const bad = (s: DiffSide) => s.verdict === 'violation';
  const good = (s: DiffSide) => s.verdict === 'pass' || s.verdict === 'proved';
  if (!(bad(o) || good(o)) || !(bad(n) || good(n))) return 'inconclusive';
  if (bad(o) && good(n)) return 'fixed';
  if (good(o) && bad(n)) return 'broke';
  return bad(o) ? 'still violated' : 'still holds';
}

function messageOf(m: Model, id: string): string | undefined {
  return m.properties.find((p) => p.id === id)?.message
    ?? m.actions.flatMap((a) => a.requires).find((r) => r.id === id)?.message;
}

/** Check each property of either model on both, separately. */
export function diffModels(oldModel: Model, newModel: Model, opts: CheckOptions = {}): ModelDiff {
  const oldIds = propertyIds(oldModel), newIds = propertyIds(newModel);
  const ids = [...oldIds, ...newIds.filter((x) => !oldIds.includes(x))];
  const rows = ids.map((id): DiffRow => {
    const o = oldIds.includes(id) ? side(runCheck(isolate(oldModel, id), opts), id) : undefined;
    const n = newIds.includes(id) ? side(runCheck(isolate(newModel, id), opts), id) : undefined;
    return { property: id, message: messageOf(newModel, id) ?? messageOf(oldModel, id) ?? '', old: o, new: n, change: changeOf(o, n) };
  });
  const count = (c: Change) => rows.filter((r) => r.change === c).length;
  return { rows, fixed: count('fixed'), broke: count('broke'), stillViolated: count('still violated') };
}
