/**
 * JUnit XML for CI systems: one test case per check; a failure carries the expectation, the
 * property and a summary of the trace.
 */
import type { CiReport, CheckReport } from './report.ts';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
    // XML 1.0 forbids most control characters.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/** A few lines: the property, then each step as `N. thread action`. */
export function traceSummary(c: CheckReport): string {
  const r = c.result;
  const lines: string[] = [];
  if (r?.property) lines.push(`property ${r.property.id} (${r.property.class}): ${r.property.message}`);
  for (const s of r?.trace?.steps ?? []) {
    const params = Object.entries(s.params).filter(([k]) => k !== 'self').map(([k, v]) => `${k}=${v}`).join(' ');
    lines.push(`${s.index}. ${s.thread ?? '-'} ${s.action}${params ? ' ' + params : ''}`);
  }
  if (r?.stats) lines.push(`states: ${r.stats.states}, depth: ${r.stats.depth}`);
  return lines.join('\n');
}

export function toJUnit(report: CiReport): string {
  const cases = report.checks.map((c) => {
    const time = (c.result?.stats.seconds ?? 0).toFixed(3);
    const open = `    <testcase classname="${esc(c.model)}" name="${esc(c.name)}" time="${time}"`;
    if (c.outcome === 'as-expected') return `${open}/>`;
    const tag = c.outcome === 'model-error' || c.outcome === 'inconclusive' ? 'error' : 'failure';
    const cls = c.result?.property?.class;
    const props = cls ? `\n      <properties><property name="class" value="${cls}"/></properties>` : '';
    return `${open}>${props}\n      <${tag} type="${c.outcome}" message="${esc(c.message)}">${esc(traceSummary(c))}</${tag}>\n    </testcase>`;
  });
  const failures = report.checks.filter((c) => c.outcome === 'unexpected-violation' || c.outcome === 'expected-violation-missing').length;
  const errors = report.checks.filter((c) => c.outcome === 'model-error' || c.outcome === 'inconclusive').length;
  const attrs = `tests="${report.checks.length}" failures="${failures}" errors="${errors}" time="${report.summary.seconds.toFixed(3)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="protocheck" ${attrs}>`,
    `  <testsuite name="protocheck ci" ${attrs}>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
