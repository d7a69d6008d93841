/**
 * A SARIF result points at the definition of the violated property (the `requires(...)` or
 * `m.invariant(...)` call), not at the action that fired last; the action is a related location
 * and the trace's steps are located at their actions. The models below put each property on
 * its own line, away from every step, so the two cannot be confused (cli/ci/sarif.ts).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { toSarif } from '../../cli/ci/sarif.ts';
import { githubAnnotations } from '../../cli/ci/github.ts';
import { runChecks, type CiRunner } from '../../cli/ci/run.ts';
import { resolveChecks } from '../../cli/ci/config.ts';
import { runCheck } from '../../checker/check.ts';
import { model, range, step, set, add, lt, ne, requires, defineModel, type ModelDef } from '../../model/lang/index.ts';

const FILE = relative(process.cwd(), fileURLToPath(import.meta.url));
const SOURCE = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
/** 1-based line and column of the first line containing `marker`, at `call`. */
function where(marker: string, call: string) {
  const i = SOURCE.findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`marker ${marker} not in ${FILE}`);
  return { line: i + 1, column: SOURCE[i].indexOf(call) + 1 };
}

/** One thread: `bump` then `check`; `check`'s requires (x < 1) fails, or the invariant x != 1 does. */
function build(kind: 'requires' | 'invariant') {
  const m = model(`sarif-${kind}`);
  m.threads(['T1']);
  const x = m.var('x', range(0, 1), 0);
  const rule = requires('t.x-small', 'x reached 1',
    lt(x, 1)); // marker:requires-line is the line above (the call starts there)
  m.program('p', ['T1'], () => [
    step('bump', set(x, add(x, 1))), // marker:bump
    step('check', ...(kind === 'requires' ? [rule] : [])), // marker:check
  ]);
  if (kind === 'invariant') m.invariant('t.x-ne1', 'x is 1', ne(x, 1)); // marker:invariant
  return m.build();
}

const def: ModelDef = defineModel({
  name: 'sarif',
  doc: 'a property defined away from the steps',
  variants: [
    { name: 'requires', doc: 'requires fails in check', expect: 'pass' },
    { name: 'invariant', doc: 'invariant fails after bump', expect: 'pass' },
  ],
  bounds: [],
  build: (variant) => build(variant as 'requires' | 'invariant'),
});
const runner: CiRunner = { loadDef: async () => def, run: async (m, _c, variant) => runCheck(m, { variant }) };

type Loc = { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } };
async function sarifOf(variant: string) {
  const rep = await runChecks(resolveChecks({ checks: [{ model: 'sarif', variant, expect: 'pass' }] }, '.'), runner);
  const log = toSarif(rep) as { runs: { results: { ruleId: string; locations: { physicalLocation: Loc }[]; relatedLocations: { physicalLocation: Loc }[] }[] }[] };
  return { rep, result: log.runs[0].results[0] };
}

describe('SARIF locates a violation at the property, not at the action', () => {
  it('a failing requires: at the requires(...) call; the last action is a related location', async () => {
    const { rep, result } = await sarifOf('requires');
    expect(result.ruleId).toBe('t.x-small');
    const rq = where('const rule = requires(', 'requires(');
    expect(result.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: FILE }, region: { startLine: rq.line, startColumn: rq.column } });
    const check = where('marker:check', 'step(');
    expect(result.relatedLocations[0].physicalLocation.region).toEqual({ startLine: check.line, startColumn: check.column });
    expect(rq.line).not.toBe(check.line);
    expect(githubAnnotations(rep)[0]).toContain(`file=${FILE},line=${rq.line},col=${rq.column},`);
  });

  it('a broken invariant: at the m.invariant(...) call, while the trace ends at bump', async () => {
    const { result } = await sarifOf('invariant');
    expect(result.ruleId).toBe('t.x-ne1');
    const inv = where('marker:invariant', 'm.invariant(');
    // callerLocation names the call's `invariant` identifier (after `m.`).
    expect(result.locations[0].physicalLocation.region).toEqual({ startLine: inv.line, startColumn: inv.column + 2 });
    const bump = where('marker:bump', 'step(');
    expect(result.relatedLocations[0].physicalLocation.region).toEqual({ startLine: bump.line, startColumn: bump.column });
  });
});
