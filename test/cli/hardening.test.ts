/**
 * Issue 15, points 1, 2, 3 and 7: every crash, hang and misleading message found by trying
 * protocheck as a new user would. Each case asserts the exit code and the one line the user
 * sees (no stack trace), run through the real binary.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync, symlinkSync, openSync, closeSync, truncateSync, existsSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cli, BIN, ROOT } from './run-cli.ts';
import { EXIT } from '../../checker/result.ts';
import { model, bool, set } from '../../model/lang/index.ts';
import { runCheck } from '../../checker/check.ts';
import { runInduction } from '../../checker/symbolic/index.ts';
import { colorWanted } from '../../cli/stdio.ts';
import { maxOf } from '../../counterexamples/table.ts';
import * as tiny from '../symbolic/models.ts';

const dir = mkdtempSync(join(tmpdir(), 'protocheck-hardening-'));
// The 130,000-step outputs take about 230 MB: removed at the end.
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const lang = join(ROOT, 'model/lang/index.ts');
const prims = join(ROOT, 'model/primitives/index.ts');
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** A counter that violates its invariant after exactly `n` steps (one thread, a loop). */
const counterText = (n: number) => [
  `import { model, range, step, set, add, lt, loop } from '${lang}';`,
  `const m = model('long', 'a counter that needs ${n} steps to go wrong');`,
  `m.threads(['T1']);`,
  `const x = m.var('x', range(0, ${n + 1}), 0);`,
  `m.program('count', ['T1'], () => [loop('again', true, [step('inc', set(x, add(x, 1)))])]);`,
  `m.invariant('x.small', 'x reached ${n}', lt(x, ${n}));`,
  `export default m.build();`,
].join('\n');
const long = file('long.ts', counterText(130_000));
const medium = file('medium.ts', counterText(3_000));

/** Exactly one line on stderr, starting `protocheck: `, matching `pattern`; no stack trace. */
function oneLine(r: { code: number; stderr: string }, code: number, pattern: RegExp): void {
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^protocheck: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(code);
}

describe('1. crashes: a 130,000-step trace prints, exports and replays', () => {
  it('maxOf takes any number of values (Math.max(...spread) overflowed the stack)', () => {
    expect(maxOf(Array.from({ length: 500_000 }, (_, i) => i % 1000), 4)).toBe(999);
    expect(maxOf([], 4)).toBe(4);
  });
  it('text, --json and --out all work; the ITF replays; export renders text', () => {
    const text = cli(['check', long, '--engine', 'explicit']);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(EXIT.violation);
    expect(text.stdout.trimEnd().split('\n').at(-1)).toMatch(/^ {2}✗ after step 130000: x\.small: x reached 130000 \(.*long\.ts:6:3\)$/);

    const json = cli(['check', long, '--engine', 'explicit', '--json']);
    expect(json.code).toBe(EXIT.violation);
    expect(JSON.parse(json.stdout).trace.steps).toHaveLength(130_000);

    const out = join(dir, 'long-out');
    const w = cli(['check', long, '--engine', 'explicit', '--out', out]);
    expect(w.code).toBe(EXIT.violation);
    expect(w.stderr).toContain(`wrote ${join(out, 'trace.itf.json')}`);
    const replay = cli(['replay', long, join(out, 'trace.itf.json')]);
    expect(replay.code).toBe(EXIT.pass);
    expect(replay.stdout).toBe('replay OK: all 130000 steps are legal transitions of long/default; it shows a violation of x.small (x reached 130000) at step 130000\n');
    const exported = cli(['export', join(out, 'result.json'), '--format', 'text']);
    expect(exported.code).toBe(EXIT.pass);
    expect(exported.stdout).toMatch(/\n {2}130000 {2}inc\n {10}pc\[T1\]=again x=130000\n/);
  }, 240_000);
});

describe('1. crashes: output paths are checked before the search and fail in one line (exit 73)', () => {
  const plain = file('plain.txt', 'mine');
  it('--out under a file', () => {
    const r = cli(['check', 'mm', '--out', join(plain, 'x')]);
    oneLine(r, EXIT.cannotWrite, new RegExp(`--out .*plain\\.txt/x: .*plain\\.txt is a file, not a directory; choose another path$`));
    expect(r.stdout).toBe('');
  });
  it('--out through a dangling symbolic link', () => {
    const link = join(dir, 'dangling');
    symlinkSync(join(dir, 'nowhere'), link);
    oneLine(cli(['check', 'mm', '--out', link]), EXIT.cannotWrite, /--out .*dangling: a symbolic link to .*nowhere, which does not exist; remove the link or create its target$/);
  });
  it('--out /proc/x returns at once (recursive mkdirSync never returned there)', () => {
    const r = cli(['check', 'mm', '--out', '/proc/protocheck/x']);
    oneLine(r, EXIT.cannotWrite, /^protocheck: error: --out \/proc\/protocheck\/x: cannot create files in \/proc: .*; choose a writable path$/);
  });
  it('--junit where nothing can be written fails before any check runs', () => {
    const r = cli(['ci', '--builtin', '--junit', '/proc/protocheck.xml']);
    oneLine(r, EXIT.cannotWrite, /^protocheck: error: --junit \/proc\/protocheck\.xml: cannot create files in \/proc: /);
    expect(r.stdout).toBe('');
  });
  it('--sarif DIR --force: a directory is never written over', () => {
    const r = cli(['ci', '--builtin', '--sarif', dir, '--force']);
    oneLine(r, EXIT.cannotWrite, /--sarif .*: is a directory; give a file name$/);
    expect(r.stdout).toBe('');
  });
  it('export --out DIR (EISDIR) and an existing file kept without --force', () => {
    const res = join(dir, 'long-out', 'result.json');
    if (!existsSync(res)) return; // written by the 130,000-step test above
    oneLine(cli(['export', res, '--format', 'itf', '--out', dir]), EXIT.cannotWrite, /--out .*: is a directory; give a file name$/);
    const r = cli(['export', res, '--format', 'itf', '--out', plain]);
    oneLine(r, EXIT.badOption, /refusing to overwrite an existing file \(add --force to replace it\)$/);
    expect(readFileSync(plain, 'utf8')).toBe('mine');
  });
});

describe('1. crashes: stdout closed or full ends the run in one line (exit 73)', () => {
  it('> /dev/full (ENOSPC)', () => {
    const fd = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, 'list'], { cwd: ROOT, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      oneLine({ code: r.status ?? -1, stderr: r.stderr }, EXIT.cannotWrite, /^protocheck: error: cannot write to stdout: no space left on device \(ENOSPC\); output stopped$/);
    } finally {
      closeSync(fd);
    }
  });
  it('| head -1 (EPIPE)', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" check "${medium}" --engine explicit --json | head -1 >/dev/null; echo "exit=\${PIPESTATUS[0]}" >&2`], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toEqual(['protocheck: error: cannot write to stdout: the reader closed the pipe (EPIPE); output stopped', `exit=${EXIT.cannotWrite}`]);
  }, 60_000);
});

describe('1. crashes: bad input files are one line (exit 71)', () => {
  it('replay mm DIR and export DIR (EISDIR)', () => {
    oneLine(cli(['replay', 'mm', dir]), EXIT.badInput, /: is a directory; give a trace file$/);
    oneLine(cli(['export', dir, '--format', 'json']), EXIT.badInput, /: is a directory; give a result file$/);
  });
  it('an ITF file over 512 MiB is refused before it is read', () => {
    const big = join(dir, 'big.itf.json');
    writeFileSync(big, '');
    truncateSync(big, 600 * 2 ** 20); // sparse: no disk used
    oneLine(cli(['replay', 'mm', big]), EXIT.badInput, /big\.itf\.json: 600 MiB is more than the 512 MiB protocheck can read as JSON; export a shorter trace$/);
  });
  it('an ITF nested 200,000 deep (a stack overflow in the schema validator)', () => {
    const n = 200_000;
    const deep = file('deep.itf.json', `{"vars":[],"states":[${'['.repeat(n)}${']'.repeat(n)}]}`);
    oneLine(cli(['replay', 'mm', deep]), EXIT.badInput, /deep\.itf\.json: nested deeper than 1000 levels; not a file protocheck wrote/);
  });
});

describe('1. crashes and hangs: too-large models and loading limits', () => {
  it('range(0, 2**40) is too large (exit 69), not an internal error', () => {
    const f = file('bigrange.ts', [
      `import { model, range, step, set, add } from '${lang}';`,
      `const m = model('bigrange');`, `m.threads(['T1']);`,
      `const x = m.var('x', range(0, 2 ** 40), 0);`,
      `m.program('p', ['T1'], () => [step('inc', set(x, add(x, 1)))]);`,
      `export default m.build();`,
    ].join('\n'));
    oneLine(cli(['check', f, '--engine', 'explicit']), EXIT.tooLarge, /^protocheck: error: variable x: 0\.\.1099511627776 has 1099511627777 values; the explicit engine stores at most 2\^31 per variable; lower the bounds$/);
  });
  it('two scalarset parameters of 10^6 values: counted, not enumerated (exit 69 at once)', () => {
    const f = file('twoss.ts', [
      `import { model, scalarset, bool, set, guard } from '${lang}';`,
      `const m = model('twoss');`, `const K = scalarset('K', 1000000, 'k');`, `m.threads(['T1']);`,
      `const x = m.var('x', bool, false);`,
      `m.action('touch', { params: [{ name: 'a', sort: K }, { name: 'b', sort: K }], body: [guard(true), set(x, true)] });`,
      `export default m.build();`,
    ].join('\n'));
    for (const engine of ['explicit', 'bmc']) {
      oneLine(cli(['check', f, '--engine', engine]), EXIT.tooLarge,
        /^protocheck: error: 1000000000000 action instances \(the limit is 200000; action touch has 1000000000000: a: 1000000 × b: 1000000\); lower the bounds or give the action parameters smaller sorts$/);
    }
  }, 60_000);
  it('200,000 variables are declared and checked (no quadratic scan in m.var or in pack; the test timeout catches a hang); a duplicate is still found', () => {
    const m = model('many');
    for (let i = 0; i < 200_000; i++) m.var(`v${i}`, bool, false);
    expect(() => m.var('v199999', bool, false)).toThrow('variable v199999 declared twice');
    m.action('flip', { body: [set(m.var('flag', bool, false), true)] });
    m.noDeadlockCheck();
    // 6,251 words a state; flip leads to one more state, then repeats it.
    expect(runCheck(m.build()).stats.states).toBe(2);
  }, 60_000);
  it('an endless loop while loading a model file is stopped by --max-seconds (exit 2)', () => {
    const f = file('loops.ts', [
      `import { model, bool, step, set } from '${lang}';`,
      `const m = model('loops');`, `m.threads(['T1']);`, `const x = m.var('x', bool, false);`,
      `let i = 0;`, `while (i >= 0) i = (i + 1) % 7;`,
      `m.program('p', ['T1'], () => [step('s', set(x, true))]);`, `export default m.build();`,
    ].join('\n'));
    const r = cli(['check', f, '--max-seconds', '2']);
    oneLine(r, EXIT.inconclusive, /^protocheck: error: .*loops\.ts: loading the model did not finish within --max-seconds 2 \(an endless loop at the top level of the file or in build\(\)\?\); nothing was checked$/);
  }, 60_000);
});

describe('2. merge: every shard once, or an error', () => {
  const cfg = file('shards.json', JSON.stringify({ checks: [
    { model: 'mm', variant: 'fixed', expect: 'pass' },
    { model: 'mm', variant: 'pasid-freed-in-mmput', expect: 'pass' },
    { model: 'mm', variant: 'access-without-mmget', expect: 'violation:mm.access-without-mm_users' },
  ] }));
  const shard = (i: number, n: number) => {
    const r = cli(['ci', '--config', cfg, '--shard', `${i}/${n}`, '--json'], { cwd: dir });
    const f = join(dir, `s${i}of${n}.json`);
    writeFileSync(f, r.stdout);
    return f;
  };
  it('each shard report names its index, count and the config size', () => {
    const s = JSON.parse(readFileSync(shard(1, 3), 'utf8'));
    expect(s.shard).toEqual({ index: 1, count: 3, checks: 3 });
  });
  it('a missing shard, a repeated one, shards of two runs, an unsharded report: exit 65', () => {
    const [a, b, c] = [shard(1, 3), shard(2, 3), shard(3, 3)];
    oneLine(cli(['merge', a]), EXIT.badOption, /^protocheck: error: shards 2\/3, 3\/3 missing \(given: 1\/3\); merge needs every shard of the run$/);
    oneLine(cli(['merge', a, b, a]), EXIT.badOption, /^protocheck: error: shard 1\/3 given twice \(.*s1of3\.json and .*s1of3\.json\); give each shard once$/);
    oneLine(cli(['merge', a, shard(2, 2)]), EXIT.badOption, /s2of2\.json is shard 2\/2, but .*s1of3\.json is 1\/3: shards of different runs$/);
    const whole = join(dir, 'whole.json');
    writeFileSync(whole, cli(['ci', '--config', cfg, '--json'], { cwd: dir }).stdout);
    oneLine(cli(['merge', whole]), EXIT.badOption, /whole\.json: not a shard report \(it was run without --shard\)/);
    // The complete set merges, with the per-check rows `ci` prints, and the run's exit code.
    const m = cli(['merge', c, a, b]);
    expect(m.code).toBe(EXIT.violation);
    const rows = m.stdout.trimEnd().split('\n');
    expect(rows.map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['ok mm/fixed', 'FAIL mm/pasid-freed-in-mmput', 'ok mm/access-without-mmget', '3 checks:']);
  }, 120_000);
  it('a file that is not a ci report names the JSON path (exit 71)', () => {
    oneLine(cli(['merge', file('notreport.json', '{"checks": []}')]), EXIT.badInput, /notreport\.json: \(top level\): missing property 'version'$/);
  });
});

describe('3. misleading messages', () => {
  it('an unreachable cover says it was never reached, not that it happened', () => {
    const f = file('cover.ts', [
      `import { model, range, step, set, add, eq } from '${lang}';`,
      `const m = model('cover');`, `m.threads(['T1']);`, `const x = m.var('x', range(0, 3), 0);`,
      `m.program('p', ['T1'], () => [step('inc', set(x, add(x, 1)))]);`,
      `m.cover('x.three', 'x reaches 3', eq(x, 3));`, `export default m.build();`,
    ].join('\n'));
    const r = cli(['check', f, '--engine', 'explicit']);
    expect(r.code).toBe(EXIT.violation);
    expect(r.stdout.split('\n')[0]).toBe('VIOLATION cover/default: x.three: never reached: no reachable state satisfies "x reaches 3"');
  });
  it('a bounds violation names the variable and the value', () => {
    const f = file('oob.ts', [
      `import { model, range, step, set, add, loop } from '${lang}';`,
      `const m = model('oob');`, `m.threads(['T1']);`, `const x = m.var('x', range(0, 2), 0);`,
      `m.program('p', ['T1'], () => [loop('l', true, [step('inc', set(x, add(x, 1)))])]);`, `export default m.build();`,
    ].join('\n'));
    const r = cli(['check', f, '--engine', 'explicit']);
    expect(r.code).toBe(EXIT.violation);
    expect(r.stdout.split('\n')[0]).toBe('VIOLATION oob/default: bounds: a value left the range of its declared sort: x := 3 is outside 0..2');
  });
  it('a duplicate label names both lines', () => {
    const f = file('duplabel.ts', [
      `import { model, bool, step, set } from '${lang}';`,
      `const m = model('duplabel');`, `m.threads(['T1']);`, `const x = m.var('x', bool, false);`,
      `m.program('p', ['T1'], () => [`, `  step('s', set(x, true)),`, `  step('s', set(x, false)),`, `]);`,
      `export default m.build();`,
    ].join('\n'));
    oneLine(cli(['check', f]), EXIT.modelBuild, /program p: label 's' used twice \(.*duplabel\.ts:6:3 and .*duplabel\.ts:7:3\); labels name program positions and must be unique/);
  });
  it('an error thrown inside the primitives points at the user\'s line, not protocheck\'s source', () => {
    const f = file('primerr.ts', [
      `import { model, bool, step, set, defineModel } from '${lang}';`,
      `import { lockdep } from '${prims}';`,
      `function build() {`, `  const m = model('primerr');`, `  m.threads(['T1']);`, `  const x = m.var('x', bool, false);`,
      `  lockdep(m, ['a']);`, `  lockdep(m, ['b']);`,
      `  m.program('p', ['T1'], () => [step('s', set(x, true))]);`, `  return m.build();`, `}`,
      `export default defineModel({ name: 'primerr', doc: '', variants: [{ name: 'v', doc: '', expect: 'pass' }], bounds: [], build });`,
    ].join('\n'));
    const r = cli(['check', f]);
    oneLine(r, EXIT.modelBuild, /lockdep declared twice in one model; list every lock class in one call \(at .*primerr\.ts:8\)$/);
    expect(r.stderr).not.toContain('model/primitives');
  });
  it('replay: a #meta variant the model lacks is an error; a #meta bound is named as such', () => {
    const out = join(dir, 'k10');
    expect(cli(['check', 'mm', '--variant', 'pasid-freed-in-mmput', '--engine', 'explicit', '--out', out]).code).toBe(EXIT.violation);
    const itf = JSON.parse(readFileSync(join(out, 'trace.itf.json'), 'utf8'));
    itf['#meta'].model.variant = 'nope';
    oneLine(cli(['replay', 'mm', file('badvar.itf.json', JSON.stringify(itf))]), EXIT.badOption,
      /badvar\.itf\.json: its #meta names variant 'nope', which model mm does not have \(it has: fixed, .*\); pass --variant to choose one$/);
    itf['#meta'].model.variant = 'pasid-freed-in-mmput';
    itf['#meta'].bounds.senders = 13;
    const bad = file('badbound.itf.json', JSON.stringify(itf));
    oneLine(cli(['replay', 'mm', bad]), EXIT.badOption, /badbound\.itf\.json: #meta\.bounds\.senders: 13 is outside 1\.\.12 for model mm .*; pass --bound to override it$/);
    expect(cli(['replay', 'mm', bad, '--bound', 'senders=2']).code).toBe(EXIT.pass);
  });
  it('ci: an expected property the model lacks is named, not "the bug is no longer found"', () => {
    const cfg = file('typo.json', JSON.stringify({ checks: [{ model: 'mm', variant: 'pasid-freed-in-mmput', expect: 'violation:mm.pasid-use-after-fre' }] }));
    const r = cli(['ci', '--config', cfg]);
    expect(r.code).toBe(EXIT.badOption);
    expect(r.stdout).toMatch(/^ERROR mm\/pasid-freed-in-mmput +expect violation:mm\.pasid-use-after-fre: model mm has no property 'mm\.pasid-use-after-fre' \(its properties: .*mm\.pasid-use-after-free.*\); correct the id in the config$/m);
    expect(r.stdout).not.toMatch(/no longer found/);
  });
  it('induction: a capped look-up of a CTI\'s state says whose cap it is; uncapped, the CTI is unreachable', async () => {
    const capped = await runInduction(tiny.lagging(), { maxK: 0, ctiMaxStates: 2 });
    expect(capped.inductionCounterexample!.reachableNote).toBe("the explicit search for this state stopped at its limit of 2 states before deciding (an exhaustive 'check --engine auto' decides it)");
    expect(capped.inductionCounterexample!.reachableNote).not.toMatch(/--max-states/);
    const full = await runInduction(tiny.lagging(), { maxK: 0 });
    expect(full.inductionCounterexample!.reachable).toBe('no');
    expect(full.inductionCounterexample!.reachableNote).toBe('not reachable: the explicit engine searched all 5 reachable states');
  }, 60_000);
});

describe('7. what users expect', () => {
  it('--version prints the package version', () => {
    const r = cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
  it('FORCE_COLOR is honoured like NO_COLOR', () => {
    expect(colorWanted({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(colorWanted({ FORCE_COLOR: '0' }, true)).toBe(false);
    expect(colorWanted({ NO_COLOR: '1' }, true)).toBe(false);
    expect(colorWanted({ NO_COLOR: '' }, true)).toBe(true);
    expect(colorWanted({}, false)).toBe(false);
    const r = cli(['check', 'mm', '--engine', 'explicit'], { env: { FORCE_COLOR: '1' } });
    expect(r.stdout).toMatch(/^\x1b\[/);
    expect(cli(['check', 'mm', '--engine', 'explicit'], { env: { FORCE_COLOR: '0' } }).stdout).not.toContain('\x1b[');
  });
  it('Ctrl-C prints what was reached and exits 130', async () => {
    const { spawn } = await import('node:child_process');
    // mm with 12 senders and no symmetry: far more than 6 s of search on any machine.
    const p = spawn(process.execPath, [BIN, 'check', 'mm', '--bound', 'senders=12', '--engine', 'explicit', '--no-symmetry'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let err = '';
    let out = '';
    p.stderr.on('data', (d) => (err += d));
    p.stdout.on('data', (d) => (out += d));
    const closed = new Promise<number | null>((r) => p.on('close', (c) => r(c)));
    await new Promise((r) => setTimeout(r, 6000));
    p.kill('SIGINT');
    const code = await closed;
    expect(out).toBe('');
    expect(code).toBe(EXIT.interrupted);
    expect(err).toMatch(/^protocheck: interrupted by Ctrl-C \(SIGINT\) while checking mm\/fixed: (\d+ states, depth \d+ reached in [\d.]+ s|stopped after [\d.]+ s, before the first progress report)[^\n]*; no verdict\n$/);
  }, 60_000);
  it('ci rows line up whatever the outcome: the figures come before the message', () => {
    const cfg = file('rows.json', JSON.stringify({ checks: [
      { model: 'mm', variant: 'fixed', expect: 'pass' },
      { model: 'mm', variant: 'pasid-freed-in-mmput', expect: 'pass' },
      { model: 'mm', variant: 'fixed', bounds: { senders: 3 }, maxStates: 50, expect: 'pass' },
    ] }));
    const r = cli(['ci', '--config', cfg]);
    const rows = r.stdout.split('\n').slice(0, 3);
    const col = rows.map((l) => l.indexOf(' states '));
    expect(new Set(col).size).toBe(1);
    expect(col[0]).toBeGreaterThan(0);
  }, 60_000);
});
