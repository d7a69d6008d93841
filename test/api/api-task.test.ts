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
