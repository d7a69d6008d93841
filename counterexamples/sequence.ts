/**
 * A trace as a sequence diagram: threads and the shared objects they touch (locks, counters,
 * other shared variables) are participants; each step that changes a shared object is a
 * message from its thread to the object (`3. kref_put (1→0)`), a step that changes only the
 * thread's own state is a note over the thread, and the violation is a final note. The same
 * structure is written as Mermaid text and drawn as SVG in the HTML report.
 *
 * @example
 * writeFileSync('trace.mmd', toMermaid(result));
 */
import type { Result } from '../checker/result.ts';
import { classify, stepChanges, type VarKind } from './objects.ts';

export interface Participant {
  id: string;
  label: string;
  kind: 'thread' | 'env' | VarKind;
}

export interface Message {
  /** 1-based step; the violation note carries the last step. */
  step: number;
  from: string;
  to: string;
  label: string;
  kind: 'op' | 'note' | 'violation';
}

export interface Sequence {
  participants: Participant[];
  messages: Message[];
}

const ENV = '(no thread)';

/** The sequence of a result's trace (empty without a trace). */
export function sequenceOf(result: Result): Sequence {
  const t = result.trace;
  if (!t) return { participants: [], messages: [] };
  const kinds = classify(t);
  const changes = stepChanges(t);
  const order = t.threads ?? [];
  const used = new Set(t.steps.map((s) => s.thread ?? ENV));
  const threads = [...order.filter((x) => used.has(x)), ...[...used].filter((x) => !order.includes(x) && x !== ENV), ...(used.has(ENV) ? [ENV] : [])];
  const participants: Participant[] = threads.map((name, i) => ({ id: `t${i}`, label: name, kind: name === ENV ? 'env' : 'thread' }));
  const tid = new Map(threads.map((name, i) => [name, `t${i}`]));
  const shared = (name: string) => kinds.get(name) !== 'thread-local';
  const objects: string[] = [];
  for (const cs of changes) for (const c of cs) if (shared(c.name) && !objects.includes(c.name)) objects.push(c.name);
  // Keep the model's variable order for the objects.
  const varOrder = t.vars?.map((v) => v.name) ?? Object.keys(t.initial);
  objects.sort((a, b) => varOrder.indexOf(a) - varOrder.indexOf(b));
  objects.forEach((name, i) => participants.push({ id: `o${i}`, label: name, kind: kinds.get(name) ?? 'object' }));
  const oid = new Map(objects.map((name, i) => [name, `o${i}`]));

  const messages: Message[] = [];
  t.steps.forEach((s, i) => {
    const from = tid.get(s.thread ?? ENV)!;
    const mine = changes[i].filter((c) => shared(c.name));
    const byObject = new Map<string, string[]>();
    for (const c of mine) {
      const key = c.cell.slice(c.name.length);
      const arrow = `${key ? `${key} ` : ''}${String(c.from)}→${String(c.to)}`;
      byObject.set(c.name, [...(byObject.get(c.name) ?? []), arrow]);
    }
    if (!byObject.size) messages.push({ step: s.index, from, to: from, label: `${s.index}. ${s.action}`, kind: 'note' });
    for (const [name, arrows] of byObject) {
      messages.push({ step: s.index, from, to: oid.get(name)!, label: `${s.index}. ${s.action} (${arrows.join(', ')})`, kind: 'op' });
    }
  });
  const p = result.property;
  if (p && t.steps.length) {
    const last = t.steps[t.steps.length - 1];
    const at = tid.get(last.thread ?? ENV)!;
    messages.push({ step: last.index, from: at, to: at, label: `✗ ${p.id}: ${p.message}`, kind: 'violation' });
  }
  return { participants, messages };
}

/** Mermaid's entity codes for the characters that end or escape a statement. */
function mermaidText(s: string): string {
  return s.replace(/#/g, '#35;').replace(/;/g, '#59;').replace(/\n/g, ' ');
}

/** The trace as a Mermaid `sequenceDiagram`. */
export function toMermaid(result: Result): string {
  const seq = sequenceOf(result);
  const name = `${result.model.name}${result.model.variant ? `/${result.model.variant}` : ''}`;
  const lines = ['sequenceDiagram', `    title ${mermaidText(`${name}: ${result.verdict}${result.property ? ` of ${result.property.id}` : ''}`)}`];
  for (const p of seq.participants) {
    lines.push(`    participant ${p.id} as ${mermaidText(p.kind === 'thread' || p.kind === 'env' ? p.label : `${p.label} (${p.kind})`)}`);
  }
  for (const m of seq.messages) {
    if (m.kind === 'op') lines.push(`    ${m.from}->>${m.to}: ${mermaidText(m.label)}`);
    else lines.push(`    Note over ${m.from}: ${mermaidText(m.label)}`);
  }
  return lines.join('\n') + '\n';
}
