/**
 * Any number of interchangeable threads (`--bound NAME=any`): the counter abstraction of a
 * symmetric model, Spacer's invariant over member counts, its re-check, and the refusals.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { counterSystem, CounterAbstractionError } from '../../checker/symbolic/counter-abstraction.ts';
import { runAnyMembers, spacerOnCounts, recheckCounts, withoutConjunct } from '../../checker/symbolic/any-threads.ts';
import { runCheck } from '../../checker/check.ts';
import { EXIT } from '../../checker/result.ts';
import { cli, ROOT } from '../cli/run-cli.ts';
import { findBuiltin } from '../../model/registry.ts';
import * as tiny from './models.ts';

const workers = join(ROOT, 'test/symbolic/fixtures/workers-model.ts');

describe('counter abstraction: the mutex workers', () => {
  it('local states: pc in {lock, unlock, done}, all reachable; one shared cell (locked)', () => {
    const cs = counterSystem(tiny.mutexWorkers(2), { grown: tiny.mutexWorkers(3) });
    expect(cs.args.map((a) => a.show)).toEqual(['#[pc=lock]', '#[pc=unlock]', '#[pc=done]', 'locked']);
    // N members start at lock, none elsewhere, the mutex free.
    expect(cs.init).toEqual(['N', '0', '0', 'false']);
    // Two moves: lock -> unlock (needs locked false) and unlock -> done.
    expect(cs.steps.map((s) => s.move)).toEqual([[0, 1], [1, 2]]);
  });

  it('explicit search: 3, 5, 7 states for 1, 2, 3 workers (one state per orbit: #lock, #unlock, #done with #unlock <= 1)', () => {
    // Orbits for n workers: (#unlock = 0: n+1 splits of lock/done) + (#unlock = 1: n splits of the rest) = 2n+1.
    expect([1, 2, 3].map((n) => runCheck(tiny.mutexWorkers(n)).stats.states)).toEqual([3, 5, 7]);
  });

  it('proved for any number of workers: the invariant says #[pc=unlock] is 1 exactly when locked', async () => {
    const r = await runAnyMembers(tiny.mutexWorkers(2), { boundName: 'workers', grown: tiny.mutexWorkers(3) });
    expect(r.verdict).toBe('proved');
    expect(r.bounds.workers).toBe('any');
    expect(r.proof!.anyMembers).toBe('workers');
    expect(r.note).toBe('proved for any number of workers (at least 1): an inductive invariant over member counts of 4 conjuncts (Spacer, counter abstraction), re-checked');
    // locked <=> one worker at unlock, at most one there; the domain (counts >= 0) last.
    expect(r.proof!.invariant).toEqual(['locked or #[pc=unlock] <= 0', '#[pc=unlock] >= 1 or not locked', '#[pc=unlock] <= 1', 'every count >= 0, every variable within its sort']);
  });

  it('each conjunct removed in turn: the weakened invariant fails the independent SMT re-check', async () => {
    const cs = counterSystem(tiny.mutexWorkers(2), { grown: tiny.mutexWorkers(3) });
    const inv = await spacerOnCounts(cs, 20_000_000);
    if (typeof inv === 'string') throw new Error(inv);
    expect(await recheckCounts(cs, inv)).toBeUndefined();
    for (let i = 0; i < inv.lines.length; i++) {
      const weak = withoutConjunct(inv, i);
      expect(weak.lines).toHaveLength(inv.lines.length - 1);
      expect(await recheckCounts(cs, weak)).toMatch(/^the invariant fails its SMT re-check: (initiation|consecution|safety)/);
    }
  });

  it('the lock that does not wait (its fix removed): never proved; with 1 worker the explicit search passes, the abstraction finds some number that fails', async () => {
    const r = await runAnyMembers(tiny.mutexWorkers(1, true), { boundName: 'workers', grown: tiny.mutexWorkers(2, true) });
    expect(r.verdict).toBe('unknown');
    expect(r.reason).toBe('some number of workers violates a property (the counter abstraction reaches a bad state), though not workers=1; check larger --bound workers=K');
    const two = await runAnyMembers(tiny.mutexWorkers(2, true), { boundName: 'workers', grown: tiny.mutexWorkers(3, true) });
    expect(two.verdict).toBe('violation');
    expect(two.trace!.steps).toHaveLength(2);
  });
});

describe('counter abstraction: refusals name what stops it', () => {
  it('a thread-indexed array read by another thread', () => {
    expect(() => counterSystem(tiny.wakeOther(2))).toThrow(CounterAbstractionError);
    expect(() => counterSystem(tiny.wakeOther(2))).toThrow(/^thread-indexed array waiting is read by another thread \(at waiting\[other\]\) \(action wake, parameter other\)/);
  });
  it('a variable holding a thread identity', () => {
    expect(() => counterSystem(tiny.ownerId(2), { grown: tiny.ownerId(3) })).toThrow(/^variable owner holds a thread identity \(sort Thread\?\)/);
  });
  it('a model without interchangeable threads', () => {
    expect(() => counterSystem(tiny.lagging())).toThrow(/^model lagging declares no interchangeable threads/);
  });
});

describe('check --engine pdr --bound NAME=any (the CLI)', () => {
  it('mutex: PROVED for any number of workers, the invariant printed, exit 0', () => {
    const r = cli(['check', workers, '--variant', 'mutex', '--engine', 'pdr', '--bound', 'workers=any']);
    expect(r.code).toBe(EXIT.pass);
    expect(r.stdout.split('\n')[0]).toBe('PROVED mutex/mutex: proved for any number of workers, at any depth (inductive invariant over member counts, re-checked)');
    expect(r.stdout).toContain('  bounds: workers=any\n');
    expect(r.stdout).toContain('    #[pc=unlock] <= 1\n    every count >= 0, every variable within its sort\n');
  }, 120_000);
  it('wake-other: a one-line error naming the variable, exit 65', () => {
    const r = cli(['check', workers, '--variant', 'wake-other', '--engine', 'pdr', '--bound', 'workers=any']);
    expect(r.code).toBe(EXIT.badOption);
    expect(r.stderr.trim()).toBe('protocheck: error: --bound workers=any: thread-indexed array waiting is read by another thread (at waiting[other]) (action wake, parameter other); the counter abstraction applies only when no step or property tells members apart');
  }, 120_000);
  it('=any without --engine pdr: a one-line error, exit 65', () => {
    const a = cli(['check', workers, '--engine', 'explicit', '--bound', 'workers=any']);
    expect(a.code).toBe(EXIT.badOption);
    expect(a.stderr.trim()).toBe('protocheck: error: --bound workers=any needs --engine pdr (a proof for every number of workers); other engines check one number');
  }, 120_000);
});

describe('built-in models for any number of threads', () => {
  it('mm/fixed: proved for any number of senders (Spacer runs out; Houdini on candidates from senders=2 and 3), re-checked', async () => {
    const def = findBuiltin('mm')!;
    const model = def.build('fixed', { senders: 2 }), grown = def.build('fixed', { senders: 3 });
    const r = await runAnyMembers(model, { boundName: 'senders', grown });
    expect(r.verdict).toBe('proved');
    expect(r.proof!.method).toBe('explicit-guided');
    expect(r.note).toMatch(/^proved for any number of senders \(at least 1\): an inductive invariant over member counts of \d+ conjuncts \(Houdini on candidates from the reached states, counter abstraction\), re-checked$/);
    // mm->pasid is freed exactly when the mm is (__mmdrop); the file's f_count is the owner's fd
    // reference until exit_files plus the VMA's until exit_mmap.
    expect(r.proof!.invariant).toContain('mm_pasid_valid + mm_freed = 1');
    expect(r.proof!.invariant).toContain('-[pc[owner]=exit_mm] - [pc[owner]=exit_files] + binder_file_refs + mm_torn_down = 1');
  }, 300_000);

  it('aref/fixed, api-task/current-only: refused, naming the variable; task declares no symmetry', () => {
    const build = (name: string, variant: string) => {
      const def = findBuiltin(name)!;
      return def.build(variant, Object.fromEntries(def.bounds.map((b) => [b.name, b.default])));
    };
    expect(() => counterSystem(build('aref', 'fixed'))).toThrow(/^variable xa_lock holds a thread identity/);
    expect(() => counterSystem(build('api-task', 'current-only'))).toThrow(/^variable ARef_Task\.own is indexed by the thread sort and more \(Task x Thread\)/);
    expect(() => counterSystem(build('task', 'fixed'))).toThrow(/^model task declares no interchangeable threads/);
  });
});
