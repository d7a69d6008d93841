/**
 * The symbolic engines from the command line (the real binary, spawned): `check --engine
 * bmc|induction|auto`, `--depth`, `--smt-timeout`, `lemmas`, their wording and exit codes.
 * Each run also shows that the process exits by itself after using Z3.
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.ts';
import { EXIT } from '../../checker/result.ts';

describe('check --engine', () => {
  it('bmc too shallow: BOUNDED "no violation within K steps", bounds.depth = K, exit 2 (never PASS)', () => {
    const r = cli(['check', 'mm', '--variant', 'fixed', '--bound', 'senders=1', '--engine', 'bmc', '--depth', '6']);
    expect(r.code).toBe(EXIT.inconclusive);
    expect(r.stdout.split('\n')[0]).toBe('BOUNDED mm/fixed: no violation within 6 steps (bounded model checking; longer traces were not checked, so this is not a pass)');
    expect(r.stdout).toContain('  bounds: senders=1, depth=6\n');
    expect(r.stdout).toContain('  no violation within 6 steps; not a pass: reachable states lie up to 10 steps deep; give --depth 11 or more, or use --engine explicit\n');
    expect(r.stdout).not.toMatch(/verified|exhaustive|^PASS/im);
  });

  it('bmc deep enough to reach every state: PASS, exit 0', () => {
    const r = cli(['check', 'mm', '--variant', 'fixed', '--bound', 'senders=1', '--engine', 'bmc', '--depth', '11']);
    expect(r.code).toBe(EXIT.pass);
    expect(r.stdout.split('\n')[0]).toBe('PASS mm/fixed: no violation in any reachable state (bounded model checking to 11 steps, which reach them all)');
    expect(r.stdout).toContain('complete: every reachable state is within 10 steps (an exhaustive search of 34 states), fewer than 11');
  });

  it('bmc violation as JSON: engine bmc, shortest trace of 1 step, exit 1', () => {
    const r = cli(['check', 'mm', '--variant', 'access-without-mmget', '--engine', 'bmc', '--json']);
    expect(r.code).toBe(EXIT.violation);
    const j = JSON.parse(r.stdout);
    expect(j.engine).toBe('bmc');
    expect(j.property.id).toBe('mm.access-without-mm_users');
    expect(j.trace.steps).toHaveLength(1);
    expect(j.bounds.depth).toBe(10);
  });

  it('induction: PROVED with k stated, exit 0', () => {
    const r = cli(['check', 'mm', '--variant', 'fixed', '--bound', 'senders=1', '--engine', 'induction', '--depth', '14', '--json']);
    expect(r.code).toBe(EXIT.pass);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ engine: 'induction', verdict: 'proved', k: 12, note: 'proved for every depth by 12-induction' });
  });

  it('induction with too small a k: UNKNOWN, the CTI printed as a state, exit 2', () => {
    const r = cli(['check', 'mm', '--variant', 'fixed', '--bound', 'senders=1', '--engine', 'induction', '--depth', '2']);
    expect(r.code).toBe(EXIT.inconclusive);
    expect(r.stdout.split('\n')[0]).toBe('UNKNOWN mm/fixed: the properties are not 2-inductive (simple paths up to 2 steps)');
    expect(r.stdout).toMatch(/counterexample to induction \(k=2\): from this state, \d+ steps? break /);
    expect(r.stdout).toMatch(/\n {4}state: pc\.owner=/);
    expect(r.stdout).toMatch(/unreachable: not reachable: the explicit engine searched all 34 reachable states/);
  });

  it('auto: the explicit pass becomes PROVED, exit 0', () => {
    const r = cli(['check', 'mm', '--variant', 'fixed', '--bound', 'senders=1', '--engine', 'auto', '--json']);
    expect(r.code).toBe(EXIT.pass);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ engine: 'auto', verdict: 'proved' });
    expect(j.proof).toBeUndefined(); // the invariant varies run to run; --engine pdr gives it
    expect(j.stats.states).toBe(34);
    expect(j.note).toMatch(/^explicit search exhaustive at 34 states; proved for every depth by an inductive invariant \(PDR, re-checked; check --engine pdr prints it\)$/);
  });

  it('--smt-timeout 1: UNKNOWN (exit 2), never a pass', () => {
    const r = cli(['check', 'mm', '--variant', 'fixed', '--engine', 'bmc', '--depth', '13', '--smt-timeout', '1']);
    expect(r.code).toBe(EXIT.inconclusive);
    expect(r.stdout).toMatch(/^UNKNOWN mm\/fixed: Z3 returned unknown at length \d+ \(timeout\)/);
  });

  it('a bad --engine or --depth is one line and exit 65', () => {
    const a = cli(['check', 'mm', '--engine', 'z3']);
    expect(a.code).toBe(EXIT.badOption);
    expect(a.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(a.stderr).toMatch(/expected one of explicit, bmc, induction, pdr, auto, got 'z3'/);
    const b = cli(['check', 'mm', '--engine', 'bmc', '--depth', '-1']);
    expect(b.code).toBe(EXIT.badOption);
  });
});

describe('lemmas', () => {
  it('all built-in lemmas as expected: exit 0, the PAGE_MASK values printed', () => {
    const r = cli(['lemmas']);
    expect(r.code).toBe(EXIT.pass);
    expect(r.stdout).toContain('REFUTED  page.mask-c-vs-rust-v1 (expected: it shows a bug)\n');
    expect(r.stdout).toContain('values: C_PAGE_MASK=0xfffffffffffff000 (18446744073709547520), RUST_V1_PAGE_MASK=0xfff (4095)');
    expect(r.stdout).toContain('PROVED   binder.freed-range-spares-neighbours\n');
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('8 lemmas: 8 as expected, 0 not');
  });

  it('one group as JSON', () => {
    const r = cli(['lemmas', 'binder', '--json']);
    expect(r.code).toBe(EXIT.pass);
    expect(JSON.parse(r.stdout).map((x: { id: string; verdict: string }) => [x.id, x.verdict])).toEqual([
      ['binder.freed-range-spares-neighbours', 'proved'],
      ['binder.freed-range-start-rounded-down', 'refuted'],
    ]);
  });

  it('an unknown group names the groups, exit 65', () => {
    const r = cli(['lemmas', 'pages']);
    expect(r.code).toBe(EXIT.badOption);
    expect(r.stderr).toBe("protocheck: error: no lemma group 'pages' (groups: page, binder)\n");
  });
});
