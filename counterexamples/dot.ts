/**
 * Graphviz DOT: the trace as a chain of states (each labelled with the cells its step changed,
 * the first with the whole initial state), and, for small models, the whole reachable state
 * graph with the trace drawn in red. Drawing the state graph is refused above a state limit,
 * with a message saying what to do instead.
 *
 * @example
 * writeFileSync('trace.dot', traceToDot(result));
 * writeFileSync('states.dot', stateGraphToDot(model, result, { limit: 200 }));
 */
import type { Model } from '../model/lang/ir.ts';
import type { Result } from '../checker/result.ts';
import { compileModel } from '../checker/compile.ts';
import { StateStore } from '../checker/visited.ts';
import { initialState, showState } from '../checker/interpreter.ts';
import { fromSlots, toSlots } from '../checker/layout.ts';
import { cells, changeText, stepChanges } from './objects.ts';
import { showValue } from '../model/lang/ir.ts';
import { EXIT } from '../checker/result.ts';

/** Default most states `stateGraphToDot` draws. */
export const STATE_GRAPH_LIMIT = 200;

export class GraphTooLargeError extends Error {
  readonly exitCode = EXIT.tooLarge;
}

/** A DOT string literal. */
export function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\l')}"`;
}

function stateLines(state: Record<string, unknown>): string {
  const byVar = new Map<string, string[]>();
  for (const c of cells(state)) byVar.set(c.name, [...(byVar.get(c.name) ?? []), c.cell === c.name ? `${c.name}=${c.value}` : `${c.cell.slice(c.name.length)}=${c.value}`]);
  return [...byVar].map(([name, parts]) => (parts[0].startsWith(name) ? parts[0] : `${name} ${parts.join(' ')}`)).join('\n') + '\n';
}

function stepLabel(s: { index: number; thread?: string; action: string; params: Record<string, unknown> }): string {
  const params = Object.entries(s.params).filter(([k]) => k !== 'self').map(([k, v]) => `${k}=${v}`);
  return `${s.index}. ${s.thread ? `${s.thread} ` : ''}${s.action}${params.length ? ` ${params.join(' ')}` : ''}`;
}

/** The trace as a DOT digraph (top to bottom). */
export function traceToDot(result: Result): string {
  const t = result.trace;
  const name = `${result.model.name}${result.model.variant ? `/${result.model.variant}` : ''}`;
  const lines = [
    'digraph trace {',
    `  label=${dotString(`${name}: ${result.verdict}${result.property ? ` of ${result.property.id}: ${result.property.message}` : ''}`)};`,
    '  labelloc=t; rankdir=TB;',
    '  node [shape=box, fontname="monospace", fontsize=10];',
    '  edge [fontname="monospace", fontsize=10];',
  ];
  if (!t) return [...lines, '}', ''].join('\n');
  const p = result.property;
  const stepBad = p && (p.kind === 'requires' || p.kind === 'bounds');
  const changes = stepChanges(t);
  lines.push(`  s0 [label=${dotString(`initial\n${stateLines(t.initial)}`)}];`);
  t.steps.forEach((s, i) => {
    const last = i === t.steps.length - 1;
    const ch = changes[i].map(changeText).join('\n');
    const bad = last && p && !stepBad;
    lines.push(`  s${i + 1} [label=${dotString(`after step ${s.index}\n${ch ? ch + '\n' : '(no change)\n'}`)}${bad ? ', color=red, penwidth=2' : ''}];`);
    lines.push(`  s${i} -> s${i + 1} [label=${dotString(stepLabel(s))}${last && stepBad ? ', color=red, fontcolor=red, penwidth=2' : ''}];`);
  });
  if (p) lines.push(`  violation [shape=note, color=red, fontcolor=red, label=${dotString(`✗ ${p.id}: ${p.message}`)}];`, `  s${t.steps.length} -> violation [style=dashed, color=red, arrowhead=none];`);
  lines.push('}', '');
  return lines.join('\n');
}

/**
 * The whole reachable state graph as DOT, for small models. States that violate an invariant
 * are red and not expanded; a step that fails a requirement goes to a red ✗ node; dead ends
 * are octagons; final states have a double border. Throws GraphTooLargeError past `limit`.
 */
export function stateGraphToDot(model: Model, result?: Result, opts: { limit?: number } = {}): string {
  const limit = opts.limit ?? STATE_GRAPH_LIMIT;
  const c = compileModel(model);
  const W = c.layout.words;
  const store = new StateStore(W, 1 << 8);
  const v = new Int32Array(c.layout.slots.length);
  const n = new Int32Array(c.layout.slots.length);
  const buf = new Int32Array(W);
  c.pack(toSlots(model, c.layout, initialState(model)), buf, 0);
  store.insert(buf, 0, -1, -1);
  const edges: { from: number; to: number | string; inst: number }[] = [];
  const bad = new Map<string, string>();
  const badState = new Set<number>();
  const dead = new Set<number>();
  const final = new Set<number>();
  const hasDeadlock = model.properties.some((p) => p.kind === 'deadlock');
  for (let cur = 0; cur < store.count; cur++) {
    c.unpack(store.arena, cur * W, v);
    if (c.isFinal(v)) final.add(cur);
    const inv = c.checkInvariants(v);
    if (inv >= 0) { badState.add(cur); continue; }
    const count = c.successors(v, n, (inst, status) => {
      if (status !== 0) {
        const req = status > 0 ? c.instances[inst].action.requires[status - 1] : undefined;
        const key = req ? req.id : 'bounds';
        bad.set(key, req ? req.message : 'a value left the range of its declared sort');
        edges.push({ from: cur, to: key, inst });
        return;
      }
      c.pack(n, buf, 0);
      let idx = store.insert(buf, 0, cur, inst);
      if (idx < 0) idx = -idx - 1;
      else if (store.count > limit) {
        throw new GraphTooLargeError(`the state graph of ${model.name} has more than ${limit} states; it is drawn only up to ${limit} (lower the bounds, raise the limit, or use trace.dot)`);
      }
      edges.push({ from: cur, to: idx, inst });
    });
    if (count === 0 && !c.isFinal(v) && hasDeadlock) dead.add(cur);
  }
  // The trace's states, to draw its path in red.
  const keyOf = (i: number) => {
    c.unpack(store.arena, i * W, v);
    return JSON.stringify(showState(model, fromSlots(model, c.layout, v)));
  };
  const keys = Array.from({ length: store.count }, (_, i) => keyOf(i));
  const onTrace = new Set<string>();
  const t = result?.trace;
  if (t) {
    const states = [t.initial, ...t.steps.map((s) => s.state)].map((s) => JSON.stringify(s));
    const idx = states.map((k) => keys.indexOf(k));
    for (let i = 1; i < idx.length; i++) onTrace.add(`${idx[i - 1]}->${idx[i]}`);
    const last = t.steps[t.steps.length - 1];
    if (last && result?.property && (result.property.kind === 'requires' || result.property.kind === 'bounds')) onTrace.add(`${idx[idx.length - 2]}->${result.property.id}`);
    idx.forEach((x) => onTrace.add(`n${x}`));
  }
  const lines = [
    'digraph states {',
    `  label=${dotString(`${model.name}: ${store.count} reachable states`)}; labelloc=t;`,
    '  node [shape=box, fontname="monospace", fontsize=9];',
    '  edge [fontname="monospace", fontsize=9];',
  ];
  for (let i = 0; i < store.count; i++) {
    const attrs = [`label=${dotString(stateLines(JSON.parse(keys[i])))}`];
    if (badState.has(i)) attrs.push('color=red', 'fontcolor=red');
    if (dead.has(i)) attrs.push('shape=octagon', 'color=red');
    if (final.has(i)) attrs.push('peripheries=2');
    if (onTrace.has(`n${i}`)) attrs.push('penwidth=2');
    if (i === 0) attrs.push('style=bold');
    lines.push(`  n${i} [${attrs.join(', ')}];`);
  }
  for (const [id, message] of bad) lines.push(`  ${dotString(id)} [shape=note, color=red, fontcolor=red, label=${dotString(`✗ ${id}: ${message}`)}];`);
  for (const e of edges) {
    const inst = c.instances[e.inst];
    const tp = inst.action.threadParam;
    const j = tp === undefined ? -1 : inst.action.params.findIndex((p) => p.name === tp);
    const who = j >= 0 ? `${showValue(inst.action.params[j].sort, inst.params[j])} ` : '';
    const to = typeof e.to === 'number' ? `n${e.to}` : dotString(e.to);
    const red = onTrace.has(`${e.from}->${e.to}`);
    lines.push(`  n${e.from} -> ${to} [label=${dotString(`${who}${inst.action.name}`)}${red ? ', color=red, fontcolor=red, penwidth=2' : ''}];`);
  }
  lines.push('}', '');
  return lines.join('\n');
}
