/**
 * Run protocheck on a shape as a user would, one whole process: `node bin/protocheck.js check
 * <shape.ts> --bound n=N --engine explicit --json`, timed from spawn to exit, with peak RSS
 * from /usr/bin/time. `--workers K` is passed only when the CLI has it.
 *
 * @example
 * const r = runProtocheck(SHAPES[0], 3, { bug: false, symmetry: false });
 * console.log(r?.states, r?.seconds); // 495, 2.9
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Shape } from './shapes.ts';
import { ROOT, TIME, run } from './spin-run.ts';

export interface ProtocheckRun {
  verdict: string;
  /** States stored: every state with symmetry off, one per orbit with it on. */
  states: number;
  /** The violated property's id. */
  property?: string;
  /** Steps of the trace, for a violation. */
  steps?: number;
  /** Whole process, spawn to exit, seconds. */
  seconds: number;
  /** The search alone, as the Result reports it. */
  searchSeconds: number;
  peakKiB?: number;
}

export interface ProtocheckOptions {
  bug: boolean;
  symmetry: boolean;
  /** `--workers K`, when the CLI has the flag (see `cliHasWorkers`). */
  workers?: number;
  /** Type-check the model file first, as `check` does by default (the bench leaves it off). */
  typecheck?: boolean;
  timeoutSeconds?: number;
}

/** Whether `protocheck check` takes `--workers` (another change adds it). */
export function cliHasWorkers(): boolean {
  const r = spawnSync(process.execPath, ['bin/protocheck.js', 'check', '--help'], { cwd: ROOT, encoding: 'utf8' });
  return /--workers\b/.test(r.stdout ?? '');
}

/** Check one shape at `n` threads in a fresh protocheck process; undefined when it ran out of time. */
export function runProtocheck(shape: Shape, n: number, opts: ProtocheckOptions): ProtocheckRun | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'protocheck-bench-'));
  try {
    const args = [
      'bin/protocheck.js', 'check', shape.ts, '--bound', `n=${n}`, ...Object.entries(shape.fixed).flatMap(([k, v]) => ['--bound', `${k}=${v}`]),
      '--engine', 'explicit', '--json', '--max-memory', '8192',
      ...(opts.bug ? ['--variant', shape.bug.variant] : []),
      ...(opts.symmetry ? [] : ['--no-symmetry']),
      ...(opts.typecheck ? [] : ['--no-typecheck']),
      ...(opts.workers !== undefined ? ['--workers', String(opts.workers)] : []),
    ];
    const timeFile = join(dir, 'time.txt');
    const t0 = performance.now();
    // Exit 0 pass, 1 violation, 2 incomplete: all print a Result.
    const out = TIME
      ? run(TIME, ['-f', '%M', '-o', timeFile, process.execPath, ...args], ROOT, opts.timeoutSeconds, [0, 1, 2])
      : run(process.execPath, args, ROOT, opts.timeoutSeconds, [0, 1, 2]);
    const seconds = (performance.now() - t0) / 1000;
    if (out === undefined) return undefined;
    const r = JSON.parse(out) as { verdict: string; stats: { states: number; seconds: number }; property?: { id: string }; trace?: { steps: unknown[] } };
    return {
      verdict: r.verdict, states: r.stats.states, seconds, searchSeconds: r.stats.seconds,
      ...(r.property ? { property: r.property.id } : {}),
      ...(r.trace ? { steps: r.trace.steps.length } : {}),
      ...(TIME ? { peakKiB: Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
