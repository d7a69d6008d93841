/**
 * `check --fingerprint` (hash compaction): the text verdict says PASS (probabilistic) with the
 * omission bound and never a plain PASS, JSON carries `fingerprint: { bits: 64,
 * omissionProbability }` with the exact mode's counts, a violation is printed as usual with its
 * trace, and another engine or more than one worker is refused (exit 64, one line naming the fix).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './run-cli.ts';
import { EXIT, type Result } from '../../checker/result.ts';
import { omissionProbability } from '../../checker/fingerprint.ts';
import { runCheck } from '../../checker/check.ts';
import { findBuiltin } from '../../model/registry.ts';

describe('check --fingerprint', () => {
  it('text: PASS (probabilistic) with the omission bound, the same counts as exact mode', () => {
    const r = cli(['check', 'mm', '--fingerprint']);
    expect(r.code).toBe(EXIT.pass);
    const lines = r.stdout.split('\n');
    // mm/fixed, 2 senders, symmetry on: 117 states; 117 × 116 / 2^65 = 3.7e-16.
    expect(lines[0]).toBe('PASS (probabilistic) mm/fixed: no violation in any reached state (hash compaction: a state omitted with probability ≤ 3.7e-16)');
    expect(lines[2]).toMatch(/^ {2}states: 117, transitions: 263, depth: 13, /);
    expect(r.stdout).not.toMatch(/^PASS mm/m);
  });

  it('JSON: the fingerprint field, and exact mode has none', () => {
    const fp = JSON.parse(cli(['check', 'mm', '--fingerprint', '--json', '--engine', 'explicit']).stdout) as Result;
    const exact = runCheck(findBuiltin('mm')!.build('fixed', { senders: 2 }));
    expect(fp.fingerprint).toEqual({ bits: 64, omissionProbability: omissionProbability(117) });
    expect(exact.fingerprint).toBeUndefined();
    expect([fp.verdict, fp.stats.states, fp.stats.transitions, fp.stats.depth]).toEqual([exact.verdict, exact.stats.states, exact.stats.transitions, exact.stats.depth]);
  });

  it('--out: the HTML report and result.json say probabilistic too; result.json fits the schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-fp-'));
    const r = cli(['check', 'mm', '--fingerprint', '--out', join(dir, 'o')]);
    expect(r.code).toBe(EXIT.pass);
    const html = readFileSync(join(dir, 'o', 'report.html'), 'utf8');
    expect(html).toContain('<span class="word">PASS (probabilistic)</span>');
    expect(html).toContain('no violation in any reached state (hash compaction: a state omitted with probability ≤ 3.7e-16)');
    expect(html).not.toContain('exhaustive within the bounds');
    const json = JSON.parse(readFileSync(join(dir, 'o', 'result.json'), 'utf8')) as Result;
    expect(json.fingerprint).toEqual({ bits: 64, omissionProbability: omissionProbability(117) });
    const schema = JSON.parse(readFileSync(new URL('../../schema/result.schema.json', import.meta.url), 'utf8'));
    expect(schema.properties.fingerprint.required).toEqual(['bits', 'omissionProbability']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a violation is printed as usual, with its trace', () => {
    const r = cli(['check', 'mm', '--variant', 'pasid-freed-in-mmput', '--fingerprint']);
    expect(r.code).toBe(EXIT.violation);
    expect(r.stdout.split('\n')[0]).toBe('VIOLATION mm/pasid-freed-in-mmput: mm.pasid-use-after-free: mm->pasid used after it was freed (mm_pasid_drop ran)');
    expect(r.stdout).toMatch(/shortest: 3 steps/);
  });

  it('another engine or more than one worker: exit 64 and one line naming the fix', () => {
    const e = cli(['check', 'mm', '--fingerprint', '--engine', 'bmc']);
    expect([e.code, e.stdout, e.stderr]).toEqual([EXIT.usage, '', 'protocheck: error: --fingerprint works with the explicit engine only: drop --engine bmc (or use --engine explicit)\n']);
    const w = cli(['check', 'mm', '--fingerprint', '--workers', '2']);
    expect([w.code, w.stdout, w.stderr]).toEqual([EXIT.usage, '', 'protocheck: error: --fingerprint searches with one thread: drop --workers 2 (or use --workers 1)\n']);
  });
});
