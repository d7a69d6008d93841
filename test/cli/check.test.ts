import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { cli, ROOT } from './run-cli.ts';
import { EXIT, type Result } from '../../checker/result.ts';
import { progressReporter } from '../../cli/progress.ts';

const dir = mkdtempSync(join(tmpdir(), 'protocheck-check-'));
const lang = join(ROOT, 'model/lang/index.ts');

describe('check: limits end a run as incomplete, never pass', () => {
  it('--max-states: exit 2, verdict incomplete with the reason and the figures reached', () => {
    const r = cli(['check', 'mm', '--bound', 'senders=4', '--max-states', '100', '--json']);
    expect(r.code).toBe(EXIT.inconclusive);
    const j = JSON.parse(r.stdout) as Result;
    expect(j.verdict).toBe('incomplete');
    expect(j.reason).toBe('stopped at --max-states 100');
    expect(j.stats.states).toBe(100);
    expect(j.bounds).toMatchObject({ senders: 4, maxStates: 100 });
    expect(j.trace).toBeUndefined();
  });
  it('text says INCOMPLETE and never PASS', () => {
    const r = cli(['check', 'mm', '--bound', 'senders=4', '--max-states', '100']);
    expect(r.code).toBe(EXIT.inconclusive);
    expect(r.stdout.split('\n')[0]).toBe('INCOMPLETE mm/fixed: stopped at --max-states 100');
    expect(r.stdout).not.toMatch(/PASS/);
  });
  it('--max-memory: the visited set stops growing at the limit and the run is incomplete', () => {
    const r = cli(['check', 'mm', '--bound', 'senders=7', '--no-symmetry', '--max-memory', '1', '--json']);
    expect(r.code).toBe(EXIT.inconclusive);
    const j = JSON.parse(r.stdout) as Result;
    expect(j.verdict).toBe('incomplete');
    expect(j.reason).toMatch(/memory limit/);
    expect(j.stats.bytesAllocated).toBeLessThanOrEqual(2 ** 20);
  });
  it('a model too large to compile is refused with exit 69 and a one-line reason', () => {
    const file = join(dir, 'huge.ts');
    writeFileSync(file, [
      `import { model, scalarset, range, bool, set, guard } from '${lang}';`,
      `const m = model('huge');`,
      `const K = scalarset('K', 700, 'k');`,
      `const x = m.var('x', bool, false);`,
      `m.action('touch', { params: [{ name: 'a', sort: K }, { name: 'b', sort: K }], body: [guard(true), set(x, true)] });`,
      `export default m.build();`,
    ].join('\n'));
    const r = cli(['check', file]);
    expect(r.code).toBe(EXIT.tooLarge);
    expect(r.stderr.trim()).toBe('protocheck: error: 490000 action instances (the limit is 200000; action touch has 490000: a: 700 × b: 700); lower the bounds or give the action parameters smaller sorts');
  });
});

describe('list', () => {
  it('--json lists every built-in model with its variants and bounds', () => {
    const r = cli(['list', '--json']);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout) as { name: string; variants: { name: string; expect: string }[]; bounds: { name: string; default: number }[] }[];
    const mm = data.find((d) => d.name === 'mm')!;
    expect(mm.variants.map((v) => v.name)).toEqual(['fixed', 'access-without-mmget', 'pasid-freed-in-mmput', 'mmput-in-sender-context']);
    expect(mm.variants[0].expect).toBe('pass');
    expect(mm.bounds).toEqual([expect.objectContaining({ name: 'senders', default: 2, min: 1, max: 12 })]);
  });
});

describe('progress', () => {
  const sink = (tty: boolean) => {
    const chunks: string[] = [];
    const s = new Writable({ write(c, _e, cb) { chunks.push(String(c)); cb(); } }) as Writable & { isTTY?: boolean };
    s.isTTY = tty;
    return { s, chunks };
  };
  it('on a terminal: one self-overwriting line, cleared at the end', () => {
    const { s, chunks } = sink(true);
    const p = progressReporter(s);
    p.update({ states: 1234567, depth: 12, statesPerSecond: 500000.4, seconds: 2.4 });
    p.done();
    expect(chunks).toEqual(['\r\x1b[K1,234,567 states, depth 12, 500,000 states/s, 2 s', '\r\x1b[K']);
  });
  it('not a terminal: nothing', () => {
    const { s, chunks } = sink(false);
    const p = progressReporter(s);
    p.update({ states: 1, depth: 1, statesPerSecond: 1, seconds: 1 });
    p.done();
    expect(chunks).toEqual([]);
  });
});
