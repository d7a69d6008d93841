/**
 * The command line of `--workers` and of the mm bound's rename (`threads` is now `senders`, so
 * that no flag reads like a count of search threads).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../cli/run-cli.ts';
import { EXIT, type Result } from '../../checker/result.ts';

const dir = mkdtempSync(join(tmpdir(), 'protocheck-workers-'));

function oneLine(r: { code: number; stdout: string; stderr: string }, code: number, message: RegExp): void {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr.split('\n')).toHaveLength(2); // one line and its newline
  expect(r.stderr).toMatch(message);
}

/** The --json Result without timings and the workers figure. */
function timeless(stdout: string): unknown {
  const r = JSON.parse(stdout) as Result;
  const { seconds: _s, statesPerSecond: _p, workers: _w, ...stats } = r.stats;
  return { ...r, stats };
}

describe('--workers', () => {
  it('1 and 2 workers print the same JSON apart from timings (mm, 6 senders, every state)', () => {
    const args = ['check', 'mm', '--bound', 'senders=6', '--no-symmetry', '--engine', 'explicit', '--json'];
    const one = cli([...args, '--workers', '1']);
    const two = cli([...args, '--workers', '2']);
    expect([one.code, two.code]).toEqual([EXIT.pass, EXIT.pass]);
    // 175,340 states: the number `npm run bench` and the README give for 6 senders.
    expect((JSON.parse(one.stdout) as Result).stats.states).toBe(175_340);
    expect(timeless(two.stdout)).toEqual(timeless(one.stdout));
  });

  it('0 workers is refused in one line (exit 65)', () => {
    oneLine(cli(['check', 'mm', '--workers', '0']), EXIT.badOption, /^protocheck: error: option '--workers <n>' argument '0' is invalid\. expected a positive integer, got '0'/);
    oneLine(cli(['check', 'mm', '--workers', '65']), EXIT.badOption, /expected 1\.\.64 search threads, got 65/);
  });
});

describe('the mm bound is `senders`', () => {
  it('--threads says what replaced it, in check, diff and replay (exit 64)', () => {
    const msg = /^protocheck: error: --threads was removed: set a model's bound with --bound NAME=3 \(mm's sender threads: --bound senders=3\); --workers N sets the search threads\n$/;
    oneLine(cli(['check', 'mm', '--threads', '3']), EXIT.usage, msg);
    oneLine(cli(['diff', 'mm', '--old', 'fixed', '--new', 'fixed', '--threads', '3']), EXIT.usage, msg);
    oneLine(cli(['replay', 'mm', 'no-such.itf.json', '--threads', '3']), EXIT.usage, msg);
  });

  it('a ci config that still says `threads` for mm is a model error naming the new name', () => {
    const cfg = join(dir, 'old.json');
    writeFileSync(cfg, JSON.stringify({ checks: [{ model: 'mm', variant: 'fixed', bounds: { threads: 3 }, expect: 'pass' }] }));
    const r = cli(['ci', '--config', cfg]);
    expect(r.code).toBe(EXIT.badOption);
    expect(r.stdout).toMatch(/^ERROR mm\/fixed threads=3 .*bound threads: model mm has no bound 'threads' \(its bounds: senders\); 'threads' was renamed 'senders'$/m);
  });

  it('an ITF trace written before the rename (#meta bounds `threads`) replays with those senders', () => {
    const out = join(dir, 'k10');
    expect(cli(['check', 'mm', '--variant', 'pasid-freed-in-mmput', '--bound', 'senders=3', '--engine', 'explicit', '--out', out]).code).toBe(EXIT.violation);
    const itf = JSON.parse(readFileSync(join(out, 'trace.itf.json'), 'utf8'));
    expect(itf['#meta'].bounds).toEqual({ senders: 3 });
    itf['#meta'].bounds = { threads: 3 };
    const old = join(dir, 'old.itf.json');
    writeFileSync(old, JSON.stringify(itf));
    const r = cli(['replay', 'mm', old, '--json']);
    expect(r.code).toBe(EXIT.pass);
    expect(JSON.parse(r.stdout)).toMatchObject({ model: 'mm/pasid-freed-in-mmput', bounds: { senders: 3 }, ok: true });
    // A flag still overrides it.
    expect(JSON.parse(cli(['replay', 'mm', old, '--json', '--bound', 'senders=2']).stdout).bounds).toEqual({ senders: 2 });
  });
});
