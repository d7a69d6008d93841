/**
 * Run SPIN on a Promela shape the way a SPIN user would, and time it as a whole: `spin -a`,
 * `gcc -O2 -DBFS -DNOREDUCE` (breadth first, no partial-order reduction, so every state is
 * stored, as protocheck stores them), then `./pan`, in a fresh temporary directory. Reads
 * pan's "states, stored", the depth and the first error.
 *
 * @example
 * if (hasSpin()) {
 *   const r = runSpin(SHAPES[0], 3, { bug: false });
 *   console.log(r.states, r.seconds); // 495, 2.1
 * }
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Shape } from './shapes.ts';

/** `/usr/bin/time` reports peak RSS; without it the bench prints `-` there. */
export const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Whether `spin` and `gcc` are on PATH. */
export function hasSpin(): boolean {
  const ok = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
  return ok('spin', ['-V']) && ok('gcc', ['--version']);
}

export interface SpinResult {
  /** pan's "states, stored". */
  states: number;
  /** pan's "depth reached". */
  depth: number;
  /** The first error, if any: pan's line without the `pan:1: ` and the depth. */
  error?: string;
  /** Depth of the state the error was found from (for an assertion: the state before the step). */
  errorDepth?: number;
  /** Wall time of spin -a + gcc + pan, seconds. */
  seconds: number;
  /** Of which the run of pan. */
  panSeconds: number;
  /** Peak RSS of pan in KiB (undefined without /usr/bin/time). */
  panPeakKiB?: number;
}

export interface SpinOptions {
  bug: boolean;
  /** pan's hash table: 2^w slots (default 2^22; give about log2 of the states expected). */
  w?: number;
  /** Kill pan after this many seconds (the result is then `undefined`). */
  timeoutSeconds?: number;
}

/** The repository root (this file is bench/shapes/spin-run.ts). */
export const ROOT = resolve(import.meta.dirname, '..', '..');

/** Check one shape at `n` threads with SPIN; undefined when pan ran out of time. */
export function runSpin(shape: Shape, n: number, opts: SpinOptions): SpinResult | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'protocheck-spin-'));
  try {
    const defines = [`-DN=${n}`, ...Object.entries(shape.fixed).map(([k, v]) => `-D${shape.pmlNames?.[k] ?? k}=${v}`), ...(opts.bug ? [`-D${shape.bug.define}`] : [])];
    const t0 = performance.now();
    run('spin', [...defines, '-a', join(ROOT, shape.pml)], dir);
    run('gcc', ['-w', '-O2', '-DBFS', '-DNOREDUCE', '-o', 'pan', 'pan.c'], dir);
    const t1 = performance.now();
    const timeFile = join(dir, 'time.txt');
    const pan = TIME
      ? run(TIME, ['-f', '%M', '-o', timeFile, './pan', `-w${opts.w ?? 22}`], dir, opts.timeoutSeconds)
      : run('./pan', [`-w${opts.w ?? 22}`], dir, opts.timeoutSeconds);
    const t2 = performance.now();
    if (pan === undefined) return undefined;
    const num = (re: RegExp) => { const m = re.exec(pan); return m ? Number(m[1]) : NaN; };
    const err = /^pan:1: (.*?)\s*\(at depth (\d+)\)/m.exec(pan);
    const states = num(/(\d+) states, stored/);
    if (!Number.isFinite(states)) throw new Error(`pan printed no "states, stored" for ${shape.pml} n=${n}: ${pan.slice(0, 200)}`);
    return {
      states, depth: num(/depth reached (\d+)/),
      ...(err ? { error: err[1], errorDepth: Number(err[2]) } : {}),
      seconds: (t2 - t0) / 1000, panSeconds: (t2 - t1) / 1000,
      ...(TIME ? { panPeakKiB: Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Run a command; its stdout, or undefined when it ran out of time. A failure throws with its
 * stderr. The time limit is coreutils `timeout`, which kills the whole process group (a plain
 * spawn timeout would kill /usr/bin/time and leave pan running).
 */
export function run(cmd: string, args: string[], cwd: string, timeoutSeconds?: number, okStatus: number[] = [0]): string | undefined {
  const [c, a] = timeoutSeconds ? ['timeout', ['-s', 'KILL', String(timeoutSeconds), cmd, ...args]] : [cmd, args];
  const r = spawnSync(c, a, { cwd, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (r.error) throw r.error;
  if (timeoutSeconds && (r.status === 124 || r.status === 137)) return undefined;
  if (!okStatus.includes(r.status ?? -1)) throw new Error(`${cmd} ${args.join(' ')} ${r.signal ? `was killed by ${r.signal}` : `exited ${r.status}`}: ${(r.stderr || r.stdout).trim().split('\n').slice(0, 3).join(' / ')}`);
  return r.stdout;
}
