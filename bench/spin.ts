/**
 * `npm run bench` (SPIN part): the three benchmark shapes (bench/shapes/) checked by protocheck
 * and by SPIN 6 at growing N, each tool as a whole process, as a user runs it. protocheck:
 * `node bin/protocheck.js check <shape.ts> --bound n=N --engine explicit --json` (the shape
 * file is type-checked by tsc with the repo, so `--no-typecheck`; the bug rows show the cost of
 * the check too). SPIN: `spin -a`, `gcc -O2 -DBFS -DNOREDUCE`, `./pan -wW` with W about log2
 * of the states (breadth first, no partial-order reduction: both store every state, and a test,
 * test/bench/spin-shapes.test.ts, checks that the counts agree; a row where they do not is
 * marked `≠`). Prints, per shape and N: states, protocheck seconds with symmetry off (1 and 2
 * workers when `check` has `--workers`) and on (with its orbits), SPIN seconds, the ratio,
 * protocheck's peak RSS per state and peak RSS, SPIN's peak RSS; then each bug variant's
 * whole-process times both ways. A shape stops growing once a SPIN run passes `--stop`
 * seconds; every run is killed after `--limit` seconds (printed as `>limit`), and a failed run
 * (killed, out of memory) is a `failed` cell with its error under the tables.
 *
 *   npx tsx bench/spin.ts                      # every shape at its sizes (minutes)
 *   npx tsx bench/spin.ts --smoke              # N = 2, 3: checks the plumbing in a minute
 *   npx tsx bench/spin.ts --shape mm --n 7,8   # chosen sizes (for every shape given)
 */
import { SHAPES, type Shape } from './shapes/shapes.ts';
import { hasSpin, runSpin, type SpinResult } from './shapes/spin-run.ts';
import { cliHasWorkers, runProtocheck, type ProtocheckRun } from './shapes/protocheck-run.ts';

interface Args { smoke: boolean; shapes: Shape[]; sizes?: number[]; limit: number; stop: number }

function parseArgs(argv: string[]): Args {
  const out: Args = { smoke: false, shapes: SHAPES, limit: 300, stop: 60 };
  const num = (flag: string, v: string | undefined) => {
    const n = Number(v);
    if (!v || !Number.isFinite(n) || n <= 0) fail(`${flag} needs a positive number, got '${v ?? ''}'`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--smoke') out.smoke = true;
    else if (a === '--limit') out.limit = num(a, argv[++i]);
    else if (a === '--stop') out.stop = num(a, argv[++i]);
    else if (a === '--n') out.sizes = (argv[++i] ?? '').split(',').map((x) => num(a, x));
    else if (a === '--shape') {
      const names = (argv[++i] ?? '').split(',');
      out.shapes = names.map((n) => SHAPES.find((s) => s.name === n) ?? fail(`--shape ${n}: no such shape (the shapes: ${SHAPES.map((s) => s.name).join(', ')})`));
    } else fail(`unknown option ${a} (options: --smoke, --shape NAME[,NAME], --n N[,N], --limit SECONDS, --stop SECONDS)`);
  }
  return out;
}

function fail(msg: string): never {
  console.error(`bench/spin.ts: error: ${msg}`);
  process.exit(64);
}

const args = parseArgs(process.argv.slice(2));
if (!hasSpin()) {
  console.log('SPIN comparison skipped: spin or gcc is not on PATH (apt-get install spin)');
  process.exit(0);
}
const workers = cliHasWorkers();
const secs = (r: { seconds: number } | undefined) => (r ? r.seconds.toFixed(2) : `>${args.limit}`);
const mib = (kib: number | undefined) => (kib === undefined ? '-' : (kib / 1024).toFixed(0));
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

console.log(`SPIN 6 (spin -a, gcc -O2 -DBFS -DNOREDUCE, pan) against protocheck (check --engine explicit), whole processes; ${new Date().toISOString()}`);
console.log(workers
  ? 'protocheck columns: symmetry off with --workers 1 and 2, symmetry on with --workers 2; ratio: symmetry off, 2 workers / SPIN'
  : 'protocheck columns: symmetry off, symmetry on (`check` has no --workers yet: the 1- and 2-worker columns go where "no sym" is); ratio: symmetry off / SPIN');
console.log('');
const head = workers
  ? ['shape', 'N', 'states', 'no sym 1w s', 'no sym 2w s', 'sym 2w s', 'orbits', 'SPIN s', 'ratio', 'B/state', 'peak MiB', 'SPIN peak MiB']
  : ['shape', 'N', 'states', 'no sym s', 'sym s', 'orbits', 'SPIN s', 'ratio', 'B/state', 'peak MiB', 'SPIN peak MiB'];
console.log(row(head));
console.log(row(head.map((_, i) => (i < 2 ? '---' : '---:'))));

// A run that fails (killed, out of memory) is a `failed` cell, its error printed after the tables.
const failures: string[] = [];
function attempt<T>(what: string, f: () => T | undefined): T | undefined | 'failed' {
  try {
    return f();
  } catch (err) {
    failures.push(`${what}: ${String((err as Error).message ?? err).split('\n')[0]}`);
    return 'failed';
  }
}
const ok = <T>(r: T | undefined | 'failed'): T | undefined => (r === 'failed' ? undefined : r);
const biggest = new Map<string, number>();
for (const shape of args.shapes) {
  const sizes = args.sizes ?? (args.smoke ? [2, 3] : shape.sizes);
  for (const n of sizes) {
    const base = { bug: false, timeoutSeconds: args.limit };
    const where = `${shape.name} N=${n}`;
    const off1r = attempt(`${where} protocheck`, () => runProtocheck(shape, n, { ...base, symmetry: false, ...(workers ? { workers: 1 } : {}) }));
    const off2r = workers ? attempt(`${where} protocheck 2 workers`, () => runProtocheck(shape, n, { ...base, symmetry: false, workers: 2 })) : undefined;
    const onr = attempt(`${where} protocheck symmetry`, () => runProtocheck(shape, n, { ...base, symmetry: true, ...(workers ? { workers: 2 } : {}) }));
    const [off1, off2, on] = [ok(off1r), ok(off2r), ok(onr)];
    const states = off1 && off1.verdict === 'pass' ? off1.states : undefined;
    // pan's hash table: about one slot per state (2^18 .. 2^28 slots).
    const w = Math.min(28, Math.max(18, Math.ceil(Math.log2(states ?? 2 ** 26)) + 1));
    const spinr = attempt(`${where} SPIN`, () => runSpin(shape, n, { bug: false, w, timeoutSeconds: args.limit }));
    const spin = ok(spinr);
    const same = states === undefined || spin === undefined || spin.states === states;
    const best = workers ? off2 : off1;
    const t = (r: { seconds: number; verdict?: string } | undefined | 'failed') =>
      (r === 'failed' ? 'failed' : r && r.verdict && r.verdict !== 'pass' ? r.verdict : secs(r));
    const cells = [
      shape.name, n, `${states ?? spin?.states ?? '-'}${same ? '' : ` ≠ SPIN ${spin!.states}`}`,
      t(off1r), ...(workers ? [t(off2r)] : []), t(onr), on?.verdict === 'pass' ? String(on.states) : '-', t(spinr),
      best?.verdict === 'pass' && spin ? (best.seconds / spin.seconds).toFixed(2) : '-',
      off1?.peakKiB && states ? ((off1.peakKiB * 1024) / states).toFixed(0) : '-', mib(off1?.peakKiB), mib(spin?.panPeakKiB),
    ];
    console.log(row(cells));
    biggest.set(shape.name, n);
    if (!spin || spin.seconds > args.stop || off1?.verdict !== 'pass') break;
  }
}

console.log('');
console.log('Bug variants, whole process each way (protocheck without and with the type check of the model file):');
console.log('');
const bhead = ['shape', 'variant', 'N', 'protocheck', 'protocheck s', 'with typecheck s', 'SPIN', 'SPIN s', 'ratio'];
console.log(row(bhead));
console.log(row(bhead.map((_, i) => (i < 4 || i === 6 ? '---' : '---:'))));
for (const shape of args.shapes) {
  const n = biggest.get(shape.name) ?? 2;
  const opts = { bug: true, symmetry: true, timeoutSeconds: args.limit };
  const pc = ok(attempt(`${shape.name} bug protocheck`, () => runProtocheck(shape, n, opts)));
  const pcTc = ok(attempt(`${shape.name} bug protocheck --typecheck`, () => runProtocheck(shape, n, { ...opts, typecheck: true })));
  const spin = ok(attempt(`${shape.name} bug SPIN`, () => runSpin(shape, n, { bug: true, timeoutSeconds: args.limit })));
  console.log(row([
    shape.name, shape.bug.variant, n, verdictOf(pc), secs(pc), secs(pcTc), spinVerdict(spin), secs(spin),
    pc && spin ? (pc.seconds / spin.seconds).toFixed(2) : '-',
  ]));
}

function verdictOf(r: ProtocheckRun | undefined): string {
  if (!r) return 'incomplete';
  return r.verdict === 'violation' ? `${r.property} in ${r.steps} steps` : r.verdict;
}
function spinVerdict(r: SpinResult | undefined): string {
  if (!r) return 'incomplete';
  // pan's depth is that of the state the failing step starts from: the trace is one longer.
  return r.error ? `${r.error.replace(/\s+/g, ' ')} in ${r.errorDepth! + 1} steps` : 'no error';
}
if (failures.length) {
  console.log('');
  for (const f of failures) console.log(`failed: ${f}`);
}
