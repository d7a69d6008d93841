/**
 * A self-contained HTML report of a result: the verdict, the violated property and where it
 * is defined, the trace figures, the trace as a table (one column per thread) with step
 * navigation (buttons, arrow keys, clicking a row), the whole state at the selected step with
 * the changed cells marked, and the sequence diagram drawn as inline SVG with the selected
 * step highlighted. No network access: styles, script and data are all inline.
 *
 * @example
 * writeFileSync('report.html', toHtml(result));
 */
import type { Result } from '../checker/result.ts';
import { formatLoc } from '../model/lang/source.ts';
import { boundsText, probabilityText } from './verdict-text.ts';
import { cells, changeText, stepChanges } from './objects.ts';
import { sequenceOf } from './sequence.ts';
import { escapeXml as esc, sequenceSvg } from './svg.ts';
import { figuresLine } from './render-text.ts';

const ENV = '(no thread)';

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #fafafa; }
header { padding: 14px 22px; background: #fff; border-bottom: 1px solid #ddd; }
h1 { margin: 0 0 4px; font-size: 20px; }
h1 .word { padding: 1px 8px; border-radius: 4px; color: #fff; margin-right: 8px; }
.violation .word { background: #c62828; } .pass .word, .proved .word { background: #2e7d32; } .other .word { background: #b26a00; }
header p { margin: 2px 0; } code, td, .mono { font-family: ui-monospace, monospace; font-size: 12.5px; }
main { display: grid; grid-template-columns: minmax(420px, 1.3fr) minmax(300px, 1fr); gap: 16px; padding: 16px 22px; }
section { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 10px 14px; overflow: auto; }
section h2 { font-size: 15px; margin: 2px 0 8px; }
#diagram { grid-column: 1 / span 2; }
.nav { display: flex; gap: 6px; align-items: center; margin-bottom: 8px; }
.nav button { font: inherit; padding: 3px 10px; cursor: pointer; }
#pos { margin-left: 8px; font-weight: 600; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #eee; vertical-align: top; }
th { background: #f3f3f3; position: sticky; top: 0; }
#steps tbody tr { cursor: pointer; } #steps tbody tr:hover { background: #f5f9ff; }
#steps tr.current { background: #fff3c4 !important; }
#steps tr.bad td.act { color: #c62828; font-weight: 700; }
td.changes { color: #555; }
#state-table tr.changed td { background: #fff3c4; font-weight: 600; }
.msg text { fill: #333; } .msg line { stroke: #555; color: #555; stroke-width: 1.3; }
.msg.note rect { fill: #eef3fb; stroke: #9ab; } .msg.violation rect { fill: #fdecea; stroke: #c62828; } .msg.violation text { fill: #c62828; font-weight: 700; }
.msg.future { opacity: 0.28; } .msg.current line { stroke: #e08a00; stroke-width: 2.5; color: #e08a00; } .msg.current text { font-weight: 700; fill: #000; }
.msg.current rect { stroke: #e08a00; stroke-width: 2; }
.participant rect { fill: #f3f6fa; stroke: #789; } .participant.thread rect { fill: #e7f0ff; } .participant.lock rect { fill: #fff1e0; }
.participant.counter rect { fill: #eaf7ea; } .lifeline { stroke: #bbb; stroke-dasharray: 4 3; }
`;

const SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('data').textContent);
  var n = data.positions.length - 1, cur = 0;
  var rows = Array.prototype.slice.call(document.querySelectorAll('#steps tbody tr'));
  var msgs = Array.prototype.slice.call(document.querySelectorAll('#sequence .msg'));
  function cell(tag, text) { var e = document.createElement(tag); e.textContent = text; return e; }
  function show(i) {
    cur = Math.max(0, Math.min(n, i));
    var p = data.positions[cur];
    rows.forEach(function (r) { r.classList.toggle('current', Number(r.dataset.step) === cur); });
    msgs.forEach(function (m) { var s = Number(m.dataset.step); m.classList.toggle('current', s === cur); m.classList.toggle('future', s > cur); });
    document.getElementById('pos').textContent = 'step ' + cur + ' of ' + n;
    document.getElementById('state-title').textContent = p.title;
    document.getElementById('step-changes').textContent = p.changes.length ? 'changed: ' + p.changes.join(', ') : (cur ? 'changed: nothing' : '');
    var body = document.querySelector('#state-table tbody');
    body.textContent = '';
    p.cells.forEach(function (c) {
      var tr = document.createElement('tr');
      if (p.changed.indexOf(c[0]) >= 0) tr.className = 'changed';
      tr.appendChild(cell('td', c[0])); tr.appendChild(cell('td', String(c[1])));
      body.appendChild(tr);
    });
    document.getElementById('prev').disabled = cur === 0; document.getElementById('first').disabled = cur === 0;
    document.getElementById('next').disabled = cur === n; document.getElementById('last').disabled = cur === n;
  }
  document.getElementById('first').onclick = function () { show(0); };
  document.getElementById('prev').onclick = function () { show(cur - 1); };
  document.getElementById('next').onclick = function () { show(cur + 1); };
  document.getElementById('last').onclick = function () { show(n); };
  rows.forEach(function (r) { r.onclick = function () { show(Number(r.dataset.step)); }; });
  msgs.forEach(function (m) { m.onclick = function () { show(Number(m.dataset.step)); }; });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowRight' || e.key === 'j') show(cur + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'k') show(cur - 1);
    else if (e.key === 'Home') show(0); else if (e.key === 'End') show(n);
  });
  show(0);
})();
`;

/** JSON safe inside a <script> element. */
function scriptJson(x: unknown): string {
  return JSON.stringify(x).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The report as one HTML document. */
export function toHtml(result: Result): string {
  const r = result;
  const name = `${r.model.name}${r.model.variant ? `/${r.model.variant}` : ''}`;
  // A pass under hash compaction (`check --fingerprint`) is probabilistic, never a plain PASS.
  const word = r.verdict === 'pass' && r.fingerprint ? 'PASS (probabilistic)' : r.verdict.toUpperCase();
  const cls = r.verdict === 'violation' ? 'violation' : r.verdict === 'pass' || r.verdict === 'proved' ? r.verdict : 'other';
  const p = r.property;
  const t = r.trace;
  const head: string[] = [
    `<h1 id="verdict" class="${cls}"><span class="word">${esc(word)}</span><span id="model">${esc(name)}</span></h1>`,
  ];
  if (p) {
    const lastStep = t?.steps.length ?? 0;
    head.push(`<p id="property"><b>${esc(p.id)}</b> (${esc(p.kind)}): ${esc(p.message)}`
      + `${p.loc ? ` — defined at <code>${esc(formatLoc(p.loc))}</code>` : ''}`
      + `${p.action ? `, violated by <code>${esc(p.action)}</code>${lastStep ? ` at step ${lastStep}` : ''}` : ''}</p>`);
  } else if (r.verdict === 'pass' && r.fingerprint) {
    head.push(`<p id="property">no violation in any reached state (hash compaction: a state omitted with probability ≤ ${esc(probabilityText(r.fingerprint.omissionProbability))})</p>`);
  } else if (r.verdict === 'pass') {
    head.push('<p id="property">no violation in any reachable state (exhaustive within the bounds)</p>');
  } else if (r.reason) {
    head.push(`<p id="property">${esc(r.reason)}</p>`);
  }
  const fl = figuresLine(r);
  if (fl) head.push(`<p id="figures">${esc(fl)}</p>`);
  head.push(`<p id="stats" class="mono">bounds: ${esc(boundsText(r.bounds))} · states: ${r.stats.states} · transitions: ${r.stats.transitions} · depth: ${r.stats.depth} · engine: ${esc(r.engine)}</p>`);

  let body = '';
  let data: unknown = { positions: [{ title: '', cells: [], changed: [], changes: [] }] };
  if (t) {
    const changes = stepChanges(t);
    const order = t.threads ?? [];
    const used = new Set(t.steps.map((s) => s.thread ?? ENV));
    const cols = [...order.filter((x) => used.has(x)), ...[...used].filter((x) => !order.includes(x) && x !== ENV), ...(used.has(ENV) ? [ENV] : [])];
    const bad = p && (p.kind === 'requires' || p.kind === 'bounds');
    const rows = [`<tr data-step="0"><td>0</td>${cols.map(() => '<td></td>').join('')}<td class="changes">initial state</td></tr>`];
    t.steps.forEach((s, i) => {
      const last = i === t.steps.length - 1;
      const params = Object.entries(s.params).filter(([k]) => k !== 'self').map(([k, v]) => `${k}=${v}`).join(' ');
      const act = `${s.action}${params ? ` ${params}` : ''}${last && bad ? ' ✗' : ''}`;
      const tds = cols.map((c) => (c === (s.thread ?? ENV) ? `<td class="act">${esc(act)}</td>` : '<td></td>')).join('');
      const ch = changes[i].filter((c) => c.name !== 'pc').map(changeText).join(', ');
      rows.push(`<tr data-step="${s.index}"${last && p ? ' class="bad"' : ''}><td>${s.index}</td>${tds}<td class="changes">${esc(ch)}</td></tr>`);
    });
    const positions = [t.initial, ...t.steps.map((s) => s.state)].map((state, i) => {
      const s = i ? t.steps[i - 1] : undefined;
      const title = s ? `after step ${s.index}: ${s.thread ? `${s.thread} ` : ''}${s.action}` : 'initial state';
      const ch = i ? changes[i - 1] : [];
      return { title, cells: cells(state).map((c) => [c.cell, c.value]), changed: ch.map((c) => c.cell), changes: ch.map(changeText) };
    });
    data = { positions };
    const violationNote = p ? `<p class="mono" id="violation" style="color:#c62828">✗ ${esc(p.id)}: ${esc(p.message)} ${bad ? `at step ${t.steps.length}` : `after step ${t.steps.length}`}</p>` : '';
    body = `<main>
<section id="trace"><h2>trace</h2>
<div class="nav"><button id="first" title="first (Home)">« first</button><button id="prev" title="previous (←)">◀ prev</button><button id="next" title="next (→)">next ▶</button><button id="last" title="last (End)">last »</button><span id="pos"></span></div>
<table id="steps"><thead><tr><th>step</th>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}<th>changes</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>${violationNote}</section>
<section id="state"><h2 id="state-title"></h2><p id="step-changes" class="mono"></p><table id="state-table"><thead><tr><th>variable</th><th>value</th></tr></thead><tbody></tbody></table></section>
<section id="diagram"><h2>sequence diagram</h2>
${sequenceSvg(sequenceOf(r))}
</section>
</main>`;
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>protocheck: ${esc(name)} — ${esc(word)}${p ? ` ${esc(p.id)}` : ''}</title>
<style>${STYLE}</style></head>
<body>
<header>
${head.join('\n')}
</header>
${body}
<script type="application/json" id="data">${scriptJson(data)}</script>
${t ? `<script>${SCRIPT}</script>` : ''}
</body></html>
`;
}
