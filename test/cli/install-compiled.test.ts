/**
 * The compiled CLI (dist/, built by bin/build.mjs) says exactly what the sources say: the same
 * stdout, stderr and exit code for a few commands, timings masked. PROTOCHECK_RUN picks the one
 * bin/protocheck.js runs.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { BIN, ROOT, cli } from './run-cli.ts';

/** Timings and rates differ from run to run; everything else must not. */
const mask = (s: string) => s.replace(/\d+(\.\d+)? ?(s|ms)\b/g, 'T').replace(/\d+ states\/s/g, 'R').replace(/"(seconds|statesPerSecond|timestamp|ms)": [\d.e+-]+/g, '"$1": T');

beforeAll(() => {
  const r = spawnSync(process.execPath, [`${ROOT}/bin/build.mjs`, '--quiet'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}, 120_000);

describe('compiled CLI = sources', () => {
  const commands: string[][] = [
    ['list'],
    ['check', 'mm', '--engine', 'explicit'],
    ['check', 'mm', '--variant', 'access-without-mmget', '--engine', 'explicit', '--json'],
    ['check', 'examples/kref-lookup.ts', '--variant', 'kref-get', '--engine', 'explicit'],
    ['check', 'nosuch'],
  ];
  for (const args of commands) {
    it(`protocheck ${args.join(' ')}`, () => {
      const source = cli(args, { env: { PROTOCHECK_RUN: 'source' } });
      const dist = cli(args, { env: { PROTOCHECK_RUN: 'dist' } });
      expect(dist.code).toBe(source.code);
      expect(mask(dist.stderr)).toBe(mask(source.stderr));
      expect(mask(dist.stdout)).toBe(mask(source.stdout));
    });
  }

  it('PROTOCHECK_RUN picks the build: a stale or missing dist/ is never run unasked', async () => {
    const { chooseBuild } = await import('../../bin/select.mjs');
    expect(chooseBuild({ PROTOCHECK_RUN: 'source' })).toEqual({ mode: 'source' });
    expect(chooseBuild({ PROTOCHECK_RUN: 'dist' })).toEqual({ mode: 'dist' });
    expect(BIN.endsWith('bin/protocheck.js')).toBe(true);
  });
});
