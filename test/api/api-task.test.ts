import { describe, it, expect } from 'vitest';
import apiTask from '../../model/api-task.ts';
import { runCheck } from '../../checker/check.ts';
import { diffModels } from '../../checker/diff.ts';

const build = (v: string, clients = 2, budget = 3) => apiTask.build(v, { clients, budget });
const steps = (r: ReturnType<typeof runCheck>) => r.trace?.steps.map((s) => `${s.thread} ${s.action}`);

describe('api-task: every client of Task::group_leader (K9)', () => {
  it('any-task: a use-after-free in 5 steps — t leaves, the leader is reaped, a client borrows it through t', () => {
    const r = runCheck(build('any-task'));
    expect(r.property).toMatchObject({ id: 'refcount.use-after-free', class: 'unsound' });
    expect(steps(r)).toEqual(['t scope_end', 't do_exit_t', 'L do_exit', 'C1 Task::group_leader(&ARef<Task>(t))', 'C1 Task::pid(&L)']);
  });

  it('current-only: no client reaches any violation (2 clients x 3 calls; 2 x 4)', () => {
    for (const [clients, budget] of [[2, 3], [2, 4], [1, 3]]) {
      const r = runCheck(build('current-only', clients, budget));
      expect([clients, budget, r.verdict]).toEqual([clients, budget, 'pass']);
    }
  });

  it('current-only at 3 clients (3 observers besides t): pass, one state per orbit of the interchangeable observers', () => {
    const r = runCheck(build('current-only', 3, 3), { minimise: false });
    expect(r.verdict).toBe('pass');
    // 11,991,658 states without symmetry (measured: 104 s on the 2-core CI machine, too slow for a test).
    expect(r.stats.symmetry).toEqual({ on: true, members: ['C1', 'C2', 'C3'], orbits: 2_163_382, exact: true });
  }, 400_000);

  it('current-sendable: a Send CurrentTask breaks it again in 6 steps', () => {
    const r = runCheck(build('current-sendable'));
    expect(r.property).toMatchObject({ id: 'refcount.add-on-zero', class: 'unsound' });
    expect(steps(r)).toEqual(['t send(CurrentTask(t))', 't scope_end', 't do_exit_t', 'L do_exit',
      'C1 CurrentTask::group_leader(&CurrentTask(t))', 'C1 ARef::from(&L)']);
  });

  it('diff any-task → current-only: one unsound root cause (add on 0 and use-after-free are the same violation), 5 steps', () => {
    const d = diffModels(build('any-task'), build('current-only'));
    const fixed = d.rootCauses.filter((g) => g.change === 'fixed');
    expect(fixed).toHaveLength(1);
    expect(fixed[0]).toMatchObject({ root: 'refcount.add-on-zero', class: 'unsound', sameViolation: ['refcount.use-after-free'] });
    expect(d.rows.find((r) => r.property === 'refcount.add-on-zero')!.old).toMatchObject({ verdict: 'violation', steps: 5 });
    expect(d.rows.find((r) => r.property === 'refcount.use-after-free')!.old).toMatchObject({ verdict: 'violation', steps: 5 });
    expect([d.fixed, d.broke, d.stillViolated]).toEqual([1, 0, 0]);
  });
});

describe('the generated client finds the built-in bug client', () => {
  it('task/group-leader-any-task: the built-in K9 client\'s kernel steps, in its order, are a shortest violating path of the generated client', async () => {
    const { default: taskDef } = await import('../../model/task.ts');
    const { initialState, instancesOf, step } = await import('../../checker/interpreter.ts');
    const builtin = runCheck(taskDef.build('group-leader-any-task', { observers: 2 }));
    expect(steps(builtin)).toEqual(['L do_exit', 't do_exit_t', 'T1 group_leader', 'T1 aref_from_leader']);
    // The same kernel steps, in the same order, as calls of the generated client (t's scope ends before it exits).
    const mgc = build('any-task');
    const path: [string, string][] = [['L', 'do_exit'], ['t', 'scope_end'], ['t', 'do_exit_t'],
      ['C1', 'Task::group_leader(&ARef<Task>(t))'], ['C1', 'ARef::from(&L)']];
    const all = instancesOf(mgc);
    let s = initialState(mgc);
    path.forEach(([thread, action], i) => {
      const inst = all.find((x) => x.action.name === action && (x.action.params[0]?.name !== 'self' || thread === String(['L', 't', 'C1', 'C2'][x.params[0]])));
      expect(inst, `${thread} ${action}`).toBeDefined();
      const r = step(mgc, s, inst!);
      if (i < path.length - 1) expect(r.violated).toBeUndefined();
      else expect(r.violated?.id).toBe('refcount.add-on-zero');
      s = r.state;
    });
    // And it is shortest: the generated client's own witness has the same length and kernel steps.
    const own = runCheck(mgc);
    expect(own.trace!.steps).toHaveLength(path.length);
    // Both exits (in either order), then group_leader on the ARef for t, then a use of the freed leader.
    expect(steps(own)!.slice(0, 3).sort()).toEqual(['L do_exit', 't do_exit_t', 't scope_end']);
    expect(steps(own)![3]).toBe('C1 Task::group_leader(&ARef<Task>(t))');
  });
});
