/**
 * Root causes: fold the properties one bug makes reachable into one row. On each side of a
 * comparison a violated property is either
 * - a **root**: it can be the first violation on a path (its isolated witness shows it first), or
 * - a **consequence**: reachable only after another property's violation (`after`).
 * Roots whose witnesses break at the same point (`situation`: the state before the bad step,
 * or the bad state) are the same violation seen through different operations: `pid()` and
 * `ARef::from` on one freed task. Each group is named after its worst, shortest member.
 *
 * @example
 * rootCauses([
 *   { id: 'refcount.add-on-zero', class: 'unsound', change: 'fixed', old: { violated: true, steps: 4, situation: 's3' } },
 *   { id: 'refcount.underflow', class: 'unsound', change: 'fixed', old: { violated: true, after: 'refcount.add-on-zero' } },
 * ]); // one group: root refcount.add-on-zero, consequences ['refcount.underflow']
 */
import { CLASSES, type PropertyClass } from './classes.ts';

/** What one side (old or new) says about one property. */
export interface SideFacts {
  violated: boolean;
  /** Steps of the property's own witness (roots). */
  steps?: number;
  /** Where a root's witness breaks; equal strings mean the same violation. */
  situation?: string;
  /** For a consequence: the property violated first on its shortest path. */
  after?: string;
}

export interface PropertyFacts {
  id: string;
  class: PropertyClass;
  /** The row's change (`fixed`, `broke`, …): only rows with the same change fold together. */
  change: string;
  old?: SideFacts;
  new?: SideFacts;
}

export interface RootCauseGroup {
  /** The property that names the row. */
  root: string;
  class: PropertyClass;
  change: string;
  /** Which side's witnesses the grouping comes from (the new side when it violates). */
  side?: 'old' | 'new';
  /** Roots with the same violation as `root`. */
  sameViolation: string[];
  /** Properties reachable only after the root's violation. */
  consequences: string[];
}

type Side = 'old' | 'new';

/** Group properties by root cause; groups come worst class first, then in input order. */
export function rootCauses(rows: PropertyFacts[]): RootCauseGroup[] {
  const order = new Map(rows.map((r, i) => [r.id, i]));
  const better = (a: PropertyFacts, b: PropertyFacts, side: Side) =>
    CLASSES.indexOf(a.class) - CLASSES.indexOf(b.class)
    || (a[side]?.steps ?? Infinity) - (b[side]?.steps ?? Infinity)
    || order.get(a.id)! - order.get(b.id)!;
  // Per side: each violated property's representative root.
  const rep: Record<Side, Map<string, string>> = { old: new Map(), new: new Map() };
  for (const side of ['old', 'new'] as Side[]) {
    const roots = rows.filter((r) => r[side]?.violated && !r[side]?.after);
    const bySituation = new Map<string, PropertyFacts[]>();
    for (const r of roots) {
      const key = r[side]!.situation ?? `own:${r.id}`;
      bySituation.set(key, [...(bySituation.get(key) ?? []), r]);
    }
    for (const members of bySituation.values()) {
      const best = [...members].sort((a, b) => better(a, b, side))[0];
      members.forEach((m) => rep[side].set(m.id, best.id));
    }
    for (const r of rows) {
      const after = r[side]?.violated ? r[side]?.after : undefined;
      if (after !== undefined) rep[side].set(r.id, rep[side].get(after) ?? after);
    }
  }
  const groups = new Map<string, { side?: Side; rootId: string; rows: PropertyFacts[] }>();
  for (const r of rows) {
    const side: Side | undefined = r.new?.violated ? 'new' : r.old?.violated ? 'old' : undefined;
    const rootId = side ? rep[side].get(r.id) ?? r.id : r.id;
    const key = `${side ?? 'none'}:${rootId}:${r.change}`;
    const g = groups.get(key) ?? { side, rootId, rows: [] };
    g.rows.push(r);
    groups.set(key, g);
  }
  const out = [...groups.values()].map((g): RootCauseGroup => {
    const side = g.side;
    const root = g.rows.find((r) => r.id === g.rootId) ?? [...g.rows].sort((a, b) => better(a, b, side ?? 'new'))[0];
    const others = g.rows.filter((r) => r !== root);
    return {
      root: root.id, class: root.class, change: root.change, ...(side ? { side } : {}),
      sameViolation: others.filter((r) => side && !r[side]?.after).map((r) => r.id),
      consequences: others.filter((r) => side && r[side]?.after).map((r) => r.id),
    };
  });
  return out.sort((a, b) => CLASSES.indexOf(a.class) - CLASSES.indexOf(b.class) || order.get(a.root)! - order.get(b.root)!);
}
