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

describe('counter abstraction: a member reading another member, a lock owner, refusals', () => {
  it('wake-other: a step of two members (the waker and the woken) moves both counts', () => {
    const cs = counterSystem(tiny.wakeOther(2), { grown: tiny.wakeOther(3) });
    expect(cs.args.map((a) => a.show)).toEqual(['#[waiting=false]', '#[waiting=true]']);
    // wait: one member false -> true. wake: the woken (true -> false) and the waker, in either
    // local state, needing two members at true when the waker waits too; waker = woken is
    // ruled out by the guard ne(self, other).
    expect(cs.steps.map((s) => [s.cond, s.post.join(' ')])).toEqual([
      ['(>= c0@p 1)', '(- c0@p 1) (+ c1@p 1)'],
      ['(and (>= c0@p 1) (>= c1@p 1))', '(+ c0@p 1) (- c1@p 1)'],
      ['(>= c1@p 2)', '(+ c0@p 1) (- c1@p 1)'],
    ]);
  });

  it('a lock owner (a thread-valued variable): whether it names the member is part of its local state', async () => {
    const cs = counterSystem(tiny.ownerId(2), { grown: tiny.ownerId(3) });
    expect(cs.args.map((a) => a.show)).toEqual(['#[pc=take]', '#[pc=drop,owner=self]', '#[pc=done]', 'owner']);
    expect(cs.init).toEqual(['N', '0', '0', '2']); // owner = none (T1, T2, none)
    const r = await runAnyMembers(tiny.ownerId(2), { boundName: 'workers', grown: tiny.ownerId(3) });
    expect(r.verdict).toBe('proved');
    // The domain alone (one member names itself exactly when owner is "a member") implies the requirement.
    expect(r.proof!.invariant).toEqual(['every count >= 0, every variable within its sort']);
  });

  it('an owner overwritten by a take that does not wait: never proved (1 worker: some number fails; 2: the 3-step trace)', async () => {
    const one = await runAnyMembers(tiny.ownerId(1, true), { boundName: 'workers', grown: tiny.ownerId(2, true) });
    expect(one.verdict).toBe('unknown');
    expect(one.reason).toBe('some number of workers violates a property (the counter abstraction reaches a bad state), though not workers=1; check larger --bound workers=K');
    const two = await runAnyMembers(tiny.ownerId(2, true), { boundName: 'workers', grown: tiny.ownerId(3, true) });
    expect(two.verdict).toBe('violation');
    expect(two.trace!.steps.map((s) => s.action)).toEqual(['take', 'take', 'drop']);
  });

  it('a guard spelled once per member folds into "every member", not every thread: the hub\'s release is found', async () => {
    const cs = counterSystem(tiny.barrier(2), { grown: tiny.barrier(3) });
    const release = cs.steps.find((s) => s.what === 'release(self=hub)')!;
    // The hub at release (label 1), and every member done: none at finish (c0), those at done (c1) are.
    expect(release.cond).toBe('(and (= s0@p 1) (and (=> (> c0@p 0) false) (=> (> c1@p 0) true)))');
    expect(await spacerOnCounts(cs, 5_000_000)).toBe('violation');
  });

  it('refused: two parameters picking members', () => {
    expect(() => counterSystem(tiny.relay(2))).toThrow(/^parameters from, to each pick a member; the counter abstraction follows at most one member besides the one taking the step \(action hand\)/);
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
  it('wake-other: proved for any number of workers (a step of two members), exit 0', () => {
    const r = cli(['check', workers, '--variant', 'wake-other', '--engine', 'pdr', '--bound', 'workers=any']);
    expect(r.code).toBe(EXIT.pass);
    expect(r.stdout.split('\n')[0]).toBe('PROVED wake-other/wake-other: proved for any number of workers, at any depth (inductive invariant over member counts, re-checked)');
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

  it('aref/fixed: proved for any number of readers (xa_lock\'s owner as part of the local state; the saturation value 2n+2 moves with N), re-checked', async () => {
    const def = findBuiltin('aref')!;
    const model = def.build('fixed', { readers: 2 }), grown = def.build('fixed', { readers: 3 });
    const cs = counterSystem(model, { grown });
    expect(cs.args.at(-1)!.show).toBe('N');
    expect(cs.args[1].show).toBe('#[pc=xa_load,obj.aref=0,found=false,got=false,releasing=false,preempt_count=1,xa_lock=self]');
    const r = await runAnyMembers(model, { boundName: 'readers', grown });
    expect(r.verdict).toBe('proved');
    // xa_lock names the owner exactly while it erases the object from the table.
    expect(r.proof!.invariant).toContain('-[pc[owner]=owner_xa_erase] - [pc[owner]=owner_xa_unlock] + [xa_lock=owner] = 0');
  }, 300_000);

  it('task/fixed: proved for any number of observers (t\'s per-observer sends fold into one step picking a member), re-checked', async () => {
    const def = findBuiltin('task')!;
    const model = def.build('fixed', { observers: 2 }), grown = def.build('fixed', { observers: 3 });
    const cs = counterSystem(model, { grown });
    // send_to_T1, send_to_T2 (images of each other under swapping T1, T2): one step, by t, to a member.
    expect(cs.steps.some((s) => s.what.startsWith('send_to_*(self=t) by $d a member in #[pc=receive_leader,leader=none,'))).toBe(true);
    expect(cs.steps.some((s) => s.what.startsWith('send_to_T'))).toBe(false);
    const r = await runAnyMembers(model, { boundName: 'observers', grown });
    expect(r.verdict).toBe('proved');
    // t leaves its sending loop only when no observer is left without the leader's ARef.
    expect(r.proof!.invariant).toContain('pc[t] != send or #[pc=receive_leader,leader=none,task.aref[L][self]=0,task.aref[t][self]=1] >= 1');
  }, 300_000);

  it('api-task/current-only: abstracted (clients in the ARef<Task> table, t a non-member client)', () => {
    const build = (name: string, variant: string) => {
      const def = findBuiltin(name)!;
      return def.build(variant, Object.fromEntries(def.bounds.map((b) => [b.name, b.default])));
    };
    const cs = counterSystem(build('api-task', 'current-only'));
    expect(cs.args[0].show).toMatch(/^#\[pc=.*ARef_Task\.own\[L\]\[self\]=0,ARef_Task\.own\[t\]\[self\]=1,/);
    expect(cs.args.map((a) => a.show)).toContain('ARef_Task.own[t][t]');
  });

  it('api-task/current-only: proved for any number of clients (samples at 1 and 2 clients; each mem::forget leak is an API call)', async () => {
    const def = findBuiltin('api-task')!;
    const at = (clients: number) => def.build('current-only', { clients, budget: 3 });
    // 3 clients have 2,163,382 orbits, more than the learner samples: it falls back to 1 and 2.
    const r = await runAnyMembers(at(2), { boundName: 'clients', grown: at(3), smaller: at(1) });
    expect(r.verdict).toBe('proved');
    expect(r.proof!.method).toBe('explicit-guided');
    // L's usage count is its own reference (until release_task) plus every live ARef<Task> for L,
    // exactly until a client leaks one with mem::forget; every leak is one of the API calls made,
    // which bounds the count below the saturation value (1 + (N+1)(cap+budget)) for every N.
    expect(r.proof!.invariant).toContain('api.forgot or -task.reaped[L] - task_L.refs + Σ ARef_Task.own[L][*] = -1');
    expect(r.proof!.invariant).toContain('-task.reaped[L] - task_L.refs + Σ ARef_Task.own[L][*] >= -1 - Σ api.calls[*]');
  }, 900_000);
});
