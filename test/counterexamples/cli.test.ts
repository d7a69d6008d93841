import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cli } from '../cli/run-cli.ts';
import { EXIT, type Result } from '../../checker/result.ts';
import { validateInput } from '../../counterexamples/input.ts';
import { FILE_OF } from '../../counterexamples/write-all.ts';

const dir = mkdtempSync(join(tmpdir(), 'pc-cx-cli-'));
const out = join(dir, 'out');
const K10 = ['check', 'mm', '--variant', 'pasid-freed-in-mmput'];

describe('check --out, --force, --full; replay; export', () => {
  it('check --out writes every format; a second run refuses to overwrite; --force replaces', () => {
    const r = cli([...K10, '--out', out]);
    expect(r.code).toBe(EXIT.violation);
    expect(r.stderr.trim().split('\n')).toEqual(Object.values(FILE_OF).map((f) => `wrote ${join(out, f)}`));
    expect(readdirSync(out).sort()).toEqual(Object.values(FILE_OF).sort());
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as Result;
    validateInput(result, 'result.schema.json', 'result.json');
    expect(result.property!.id).toBe('mm.pasid-use-after-free');
    expect(result.trace!.steps).toHaveLength(3);

    writeFileSync(join(out, 'report.html'), 'mine');
    const again = cli([...K10, '--out', out]);
    expect(again.code).toBe(EXIT.badOption);
    expect(again.stderr).toMatch(/^protocheck: error: --out .*: refusing to overwrite .*report\.html.* \(add --force to replace them\)\n$/);
    expect(again.stdout).toBe(''); // refused before the check ran
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toBe('mine');

    const forced = cli([...K10, '--out', out, '--force', '--full']);
    expect(forced.code).toBe(EXIT.violation);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/);
    // --full: the whole state under every step.
    expect(forced.stdout).toContain('  shortest: 3 steps; threads involved: 2 of 4; context switches: 1');
    expect(forced.stdout).toMatch(/\n {8}pc\[owner\]=exit_files .*mm_freed=false/);
  }, 60_000);

  it('replay: OK with the variant from #meta; a changed value fails at its step; bad JSON is exit 71', () => {
    const itfFile = join(out, 'trace.itf.json');
    const ok = cli(['replay', 'mm', itfFile]);
    expect(ok.code).toBe(EXIT.pass);
    expect(ok.stdout).toBe('replay OK: all 3 steps are legal transitions of mm/pasid-freed-in-mmput; it shows a violation of mm.pasid-use-after-free (mm->pasid used after it was freed (mm_pasid_drop ran)) at step 3\n');

    const itf = JSON.parse(readFileSync(itfFile, 'utf8'));
    itf.states[2].mm_count = { '#bigint': '1' };
    writeFileSync(join(dir, 'changed.itf.json'), JSON.stringify(itf));
    const bad = cli(['replay', 'mm', join(dir, 'changed.itf.json'), '--json']);
    expect(bad.code).toBe(EXIT.violation);
    const rep = JSON.parse(bad.stdout);
    expect(rep).toMatchObject({ model: 'mm/pasid-freed-in-mmput', bounds: { senders: 2 }, ok: false, step: 2, steps: 3 });
    expect(rep.reason).toMatch(/^mmget_not_zero_failed\(self=T1\): mm_count is 2 after the step, the trace has 1$/);

    itf.states[2].mm_count = 1.5;
    writeFileSync(join(dir, 'number.itf.json'), JSON.stringify(itf));
    const malformed = cli(['replay', 'mm', join(dir, 'number.itf.json')]);
    expect(malformed.code).toBe(EXIT.badInput);
    expect(malformed.stderr).toBe(`protocheck: error: ${join(dir, 'number.itf.json')}: states[2].mm_count: 1.5 is not an ITF integer (a JSON number must be an integer within ±(2^53-1)); write {"#bigint": "n"}\n`);
  }, 60_000);

  it('export converts a saved result; never overwrites without --force; a malformed result is exit 71', () => {
    const res = join(out, 'result.json');
    const mmd = cli(['export', res, '--format', 'mermaid']);
    expect(mmd.code).toBe(0);
    expect(mmd.stdout).toBe(readFileSync(join(out, 'trace.mmd'), 'utf8'));

    const all = join(dir, 'all');
    const w = cli(['export', res, '--format', 'all', '--out', all]);
    expect(w.code).toBe(0);
    expect(w.stderr).toContain(`skipped ${join(all, 'states.dot')}: format states-dot draws the model's whole state graph: it needs the model (use \`check --out\`)`);
    expect(readFileSync(join(all, 'trace.itf.json'), 'utf8')).toBe(readFileSync(join(out, 'trace.itf.json'), 'utf8'));
    expect(existsSync(join(all, 'states.dot'))).toBe(false);
    const again = cli(['export', res, '--format', 'itf', '--out', join(all, 'trace.itf.json')]);
    expect(again.code).toBe(EXIT.badOption);
    expect(again.stderr).toContain('refusing to overwrite an existing file (add --force to replace it)');

    writeFileSync(join(dir, 'broken.json'), JSON.stringify({ version: 'protocheck.result/1', model: { name: 'mm' }, engine: 'explicit', verdict: 'maybe', bounds: {}, stats: { states: 1, transitions: 0, depth: 0 } }));
    const broken = cli(['export', join(dir, 'broken.json'), '--format', 'text']);
    expect(broken.code).toBe(EXIT.badInput);
    expect(broken.stderr).toBe(`protocheck: error: ${join(dir, 'broken.json')}: verdict: must be equal to one of the allowed values\n`);
  }, 60_000);
});
