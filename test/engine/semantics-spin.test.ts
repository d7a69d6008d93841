/**
 * SPIN differential suite (issue 15 point 4): random threaded programs (the threaded profile
 * of random-programs.ts) translated to Promela by test/helpers/promela.ts and checked by SPIN
 * 6.5 (`spin -o1 -o2 -a`: no data-flow optimisation, write-only variables kept in the state, as
 * protocheck keeps them; `gcc -DBFS -DSAFETY -DNOREDUCE`: breadth first, no partial-order
 * reduction; `./pan`) against protocheck (builder, explicit engine, itself checked against the
 * reference interpreter by `differential`). They must agree on the verdict, on the shortest
 * trace's length, and on a pass on the number of states: the encoding makes a SPIN state
 * (globals, one control location per process) exactly protocheck's (variables, positions).
 *
 * pan runs twice per model: `-E` (assertions only: requires, ranges, the invariant; on a pass
 * its `states, stored` is the whole state space) and, with the deadlock check on, `-A`
 * (invalid end states only). An assertion violation `at depth d` is a trace of d + 1 steps
 * (the violating step included), an invalid end state at depth d one of d steps; the shorter
 * of the two is the shortest violation, as BFS finds each at its least depth.
 *
 * Skipped, with the reason in the test name, when `spin` or `gcc` is not on PATH
 * (test/ensure-spin.sh installs Debian's spin before `npm test` where it can).
 * PROTOCHECK_SPIN_MODELS sets the number of models (default 100: each needs its own gcc run of
 * pan.c, ~0.7 s on an idle core; 200 took 5.7 min on a loaded 2-core machine).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProgramSpec } from '../helpers/reference-semantics.ts';
import { toPromela } from '../helpers/promela.ts';
import { threadedPrograms } from './random-programs.ts';
import { differential } from './semantics-differential.ts';

const onPath = (cmd: string, arg: string) => spawnSync(cmd, [arg], { stdio: 'ignore' }).status === 0;
const missing = ['spin', 'gcc'].filter((c) => !onPath(c, c === 'spin' ? '-V' : '--version'));
const MODELS = Number(process.env.PROTOCHECK_SPIN_MODELS ?? 100);
const BATCH = 50;

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

interface SpinResult { states?: number; length?: number }

/** Verify one model with SPIN in its own directory. */
async function spinCheck(spec: ProgramSpec, dir: string): Promise<SpinResult> {
  mkdirSync(dir);
  writeFileSync(join(dir, 'model.pml'), toPromela(spec));
  const gen = await run('spin', ['-o1', '-o2', '-a', 'model.pml'], dir);
  if (gen.code !== 0) throw new Error(`spin -a failed:\n${gen.out}`);
  const cc = await run('gcc', ['-O0', '-w', '-DBFS', '-DSAFETY', '-DNOREDUCE', '-o', 'pan', 'pan.c'], dir);
  if (cc.code !== 0) throw new Error(`gcc failed:\n${cc.out}`);
  const pan = async (flag: string) => {
    const r = await run('./pan', ['-m1000000', '-w19', flag], dir);
    if (!/depth reached/.test(r.out) || /max search depth too small/.test(r.out)) throw new Error(`pan ${flag} did not finish:\n${r.out}`);
    return r.out;
  };
  const asserts = await pan('-E');
  const lengths: number[] = [];
  const a = /assertion violated .*\(at depth (\d+)\)/.exec(asserts);
  if (a) lengths.push(Number(a[1]) + 1);
  if (spec.deadlock) {
    const d = /invalid end state \(at depth (\d+)\)/.exec(await pan('-A'));
    if (d) lengths.push(Number(d[1]));
  }
  if (lengths.length) return { length: Math.min(...lengths) };
  return { states: Number(/(\d+) states, stored/.exec(asserts)![1]) };
}

/** Run `f` over `xs`, two at a time (the machine has two cores). */
async function twoAtATime<T, R>(xs: T[], f: (x: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(xs.length);
  let next = 0;
  const worker = async () => { while (next < xs.length) { const i = next++; out[i] = await f(xs[i], i); } };
  await Promise.all([worker(), worker()]);
  return out;
}

const specs = fc.sample(threadedPrograms(), { numRuns: MODELS, seed: 2026 });
const batches = Array.from({ length: Math.ceil(MODELS / BATCH) }, (_, b) => specs.slice(b * BATCH, (b + 1) * BATCH));
const title = (b: number) => `models ${b * BATCH + 1}..${b * BATCH + batches[b].length}: SPIN and protocheck agree on verdict, shortest length and states`
  + (missing.length ? ` (skipped: ${missing.join(' and ')} not on PATH; apt-get install spin gcc)` : '');

describe('threaded programs: protocheck against SPIN', () => {
  batches.forEach((batch, b) => {
    it.skipIf(missing.length > 0)(title(b), async () => {
      const root = mkdtempSync(join(tmpdir(), 'protocheck-spin-'));
      try {
        const ours = batch.map((spec) => differential(spec));
        const theirs = await twoAtATime(batch, (spec, i) => spinCheck(spec, join(root, String(i))));
        batch.forEach((spec, i) => {
          const p = ours[i]!;
          const s = theirs[i];
          const where = `model ${b * BATCH + i + 1} (${join(root, String(i), 'model.pml')})`;
          expect(s.length === undefined ? 'pass' : 'violation', where).toBe(p.verdict);
          if (p.verdict === 'pass') expect(s.states, where).toBe(p.states);
          else expect(s.length, where).toBe(p.length);
        });
        rmSync(root, { recursive: true, force: true });
      } catch (err) {
        // Keep the models of a failing batch for a look; say where.
        throw new Error(`${(err as Error).message}\n(models kept in ${root})`);
      }
    }, 300_000);
  });
});
