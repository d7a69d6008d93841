/**
 * Draw a sequence (counterexamples/sequence.ts) as inline SVG, for the self-contained HTML
 * report: participants as boxes with lifelines, operations as arrows, notes as boxes over a
 * thread, the violation in red. Each message element carries `data-step` so the report can
 * highlight the current step.
 *
 * @example
 * const svg = sequenceSvg(sequenceOf(result));
 */
import type { Sequence } from './sequence.ts';

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const ROW = 30;
const TOP = 56;
const CHAR = 6.4; // px per character of the 11px monospace labels

export function sequenceSvg(seq: Sequence): string {
  if (!seq.participants.length) return '';
  // Columns as wide as the longest participant name and arrow label between neighbours allow;
  // notes may be wider than a column, so the margins make room for them.
  const np = seq.participants.length;
  const index = new Map(seq.participants.map((p, i) => [p.id, i]));
  const boxW = (p: Sequence['participants'][number]) => Math.max(60, ((p.kind === 'thread' || p.kind === 'env') ? p.label : `${p.label} (${p.kind})`).length * CHAR + 16);
  let gap = Math.max(110, ...seq.participants.map((p) => boxW(p) + 16));
  for (const m of seq.messages) {
    if (m.kind !== 'op') continue;
    const span = Math.abs(index.get(m.to)! - index.get(m.from)!) || 1;
    gap = Math.max(gap, Math.ceil((m.label.length * CHAR + 20) / span));
  }
  gap = Math.min(gap, 260);
  let left = 70, right = 70;
  for (const m of seq.messages) {
    if (m.kind === 'op') continue;
    const half = (m.label.length * CHAR + 14) / 2 + 6;
    const i = index.get(m.from)!;
    left = Math.max(left, half - i * gap);
    right = Math.max(right, half - (np - 1 - i) * gap);
  }
  const x = new Map(seq.participants.map((p, i) => [p.id, Math.ceil(left) + i * gap]));
  const width = Math.ceil(left + right) + (np - 1) * gap;
  const height = TOP + seq.messages.length * ROW + 40;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" id="sequence" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-monospace, monospace" font-size="11">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="currentColor"/></marker></defs>',
  ];
  for (const p of seq.participants) {
    const cx = x.get(p.id)!;
    const label = p.kind === 'thread' || p.kind === 'env' ? p.label : `${p.label} (${p.kind})`;
    const w = Math.max(60, label.length * CHAR + 16);
    out.push(`<g class="participant ${p.kind}"><rect x="${cx - w / 2}" y="8" width="${w}" height="26" rx="${p.kind === 'thread' ? 13 : 3}"/>`
      + `<text x="${cx}" y="25" text-anchor="middle">${escapeXml(label)}</text>`
      + `<line class="lifeline" x1="${cx}" y1="34" x2="${cx}" y2="${height - 10}"/></g>`);
  }
  seq.messages.forEach((m, i) => {
    const y = TOP + i * ROW + 12;
    const x1 = x.get(m.from)!, x2 = x.get(m.to)!;
    if (m.kind === 'op') {
      const mid = (x1 + x2) / 2;
      out.push(`<g class="msg op" data-step="${m.step}"><line x1="${x1}" y1="${y}" x2="${x2 + (x2 > x1 ? -2 : 2)}" y2="${y}" marker-end="url(#arrow)"/>`
        + `<text x="${mid}" y="${y - 5}" text-anchor="middle">${escapeXml(m.label)}</text></g>`);
    } else {
      const w = m.label.length * CHAR + 14;
      out.push(`<g class="msg ${m.kind}" data-step="${m.step}"><rect x="${x1 - w / 2}" y="${y - 14}" width="${w}" height="20" rx="3"/>`
        + `<text x="${x1}" y="${y}" text-anchor="middle">${escapeXml(m.label)}</text></g>`);
    }
  });
  out.push('</svg>');
  return out.join('\n');
}
