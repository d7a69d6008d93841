import { describe, it, expect } from 'vitest';
import taskDef from '../../model/task.ts';
import { runCheck } from '../../checker/check.ts';
import type { Result } from '../../checker/result.ts';
import { minimalViolationDepth } from '../helpers/shortest.ts';
import { runSchedule } from './schedule.ts';
import { findBuiltin } from '../../model/registry.ts';
import { ofThread } from '../helpers/trace.ts';

const build = (variant: string, observers = 2) => taskDef.build(variant, { observers });

describe('task model', () => {
  it('K9 group-leader-any-task: the leader is reaped under the observer, then get_task_struct adds on 0', () => {
    const r = runCheck(build('group-leader-any-task'));
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('refcount.add-on-zero');
    expect(r.property?.action).toBe('aref_from_leader');
    expect(r.trace!.steps.length).toBe(4);
    expect(minimalViolationDepth(build('group-leader-any-task'), 4)).toBe(4);
    // T1 holds only an ARef for t; the leader exits (a zombie: t still runs), t exits and,
    // as the last thread, reaps the leader, whose usage hits 0.
    expect(ofThread(r, 'T1')).toEqual(['group_leader', 'aref_from_leader']);
    expect(ofThread(r, 'L')).toEqual(['do_exit']);
    expect(ofThread(r, 't')).toEqual(['do_exit_t']);
    expect(ofThread(r, 'T2')).toEqual([]);
    const s = r.trace!.steps[2].state; // before ARef::from
    expect(s['task.refs']).toEqual({ L: 0, t: 2 }); // t itself is still pinned by the observers' ARefs
    expect(s['task.freed']).toEqual({ L: true, t: false });
    expect((s.leader as Record<string, string>).T1).toBe('L');
  });

  it('K9 through exec: the pointer is read, the leader dies, de_thread releases it, then ARef::from', () => {
    const run = runSchedule(build('group-leader-any-task'), [
      ['T1', 'group_leader'], ['L', 'do_exit'], ['t', 'de_thread'], ['T1', 'aref_from_leader'],
    ], { violationAtEnd: true });
    expect(run.violated).toBe('refcount.add-on-zero');
    expect(run.states[2]['task.group_leader']).toEqual({ L: 't', t: 't' });
    expect(run.states[2]['task.freed']).toMatchObject({ L: true });
  });

  it('group_leader read after de_thread gives t itself: that reference is pinned, so the run completes', () => {
    const run = runSchedule(build('group-leader-any-task', 1), [
      ['L', 'do_exit'], ['t', 'de_thread'],
      ['T1', 'group_leader'], ['T1', 'aref_from_leader'], ['T1', 'leader_pid'], ['T1', 'drop_leader'],
      ['t', 'do_exit_new_leader'], ['T1', 'task_pid'], ['T1', 'drop_task'],
    ]);
    expect((run.states[2].leader as Record<string, string>).T1).toBe('t');
    expect(run.states[3]['task.refs']).toMatchObject({ t: 3 }); // its own + T1's two ARefs
    expect(run.states[6]['task.refs']).toMatchObject({ t: 1 }); // t reaped; T1's ARef keeps the struct
    expect(run.states[8]['task.freed']).toMatchObject({ t: true }); // the observer's drop frees it
    expect(run.final).toBe(true);
  });

  it('fixed: t takes the leader from current, clones and sends one per observer, drops its own; after exec the observers\' ARefs keep L alive', () => {
    const run = runSchedule(build('fixed', 2), [
      ['t', 'current_group_leader'], ['t', 'aref_from_leader'],
      ['t', 'clone_for_next'], ['t', 'send_to_T2'], ['t', 'clone_for_next'], ['t', 'send_to_T1'], ['t', 'drop_own_leader'],
      ['L', 'do_exit'], ['t', 'de_thread'],
      ['T1', 'receive_leader'], ['T1', 'leader_pid'], ['T1', 'drop_leader'],
      ['T2', 'receive_leader'], ['T2', 'leader_pid'], ['T2', 'drop_leader'],
    ]);
    // states[i]: after step i. t sent in either order (here T2 first); after its drop only the observers hold L.
    expect(run.states[3]['task.aref']).toMatchObject({ L: { T1: 0, T2: 1, L: 0, t: 1 } });
    expect(run.states[6]['task.aref']).toMatchObject({ L: { T1: 1, T2: 1, L: 0, t: 0 } });
    expect(run.states[6]['task.refs']).toMatchObject({ L: 3 }); // its own + the two observers'
    expect(run.states[8]['task.refs']).toMatchObject({ L: 2 }); // reaped by de_thread, still pinned twice
    expect(run.states[8]['task.freed']).toMatchObject({ L: false });
    expect(run.states[11]['task.refs']).toMatchObject({ L: 1 });
    expect(run.states[14]['task.freed']).toMatchObject({ L: true }); // T2's drop was the last put
  });

  it('fixed: t cannot send twice to one observer, nor leave its loop while one has none', () => {
    expect(() => runSchedule(build('fixed', 2), [
      ['t', 'current_group_leader'], ['t', 'aref_from_leader'], ['t', 'clone_for_next'], ['t', 'send_to_T1'], ['t', 'clone_for_next'], ['t', 'send_to_T1'],
    ])).toThrow(/^t send_to_T1: not enabled$/);
    expect(() => runSchedule(build('fixed', 2), [
      ['t', 'current_group_leader'], ['t', 'aref_from_leader'], ['t', 'clone_for_next'], ['t', 'send_to_T1'], ['t', 'drop_own_leader'],
    ])).toThrow(/^t drop_own_leader: not enabled$/);
  });

  it('fixed passes at 1..3 observers and the K9 variant fails at each', () => {
    for (const observers of [1, 2, 3]) {
      expect(runCheck(build('fixed', observers)).verdict).toBe('pass');
      for (const v of taskDef.variants.filter((x) => x.expect !== 'pass')) {
        const r = runCheck(build(v.name, observers));
        expect(`violation:${r.property?.id}`).toBe(v.expect);
      }
    }
  });

  it('is registered, and every variant gives its expected verdict at the default bounds', () => {
    expect(findBuiltin('task')).toBe(taskDef);
    const defaults = Object.fromEntries(taskDef.bounds.map((b) => [b.name, b.default]));
    expect(defaults).toEqual({ observers: 2 });
    for (const v of taskDef.variants) {
      const r = runCheck(taskDef.build(v.name, defaults));
      expect(r.verdict === 'pass' ? 'pass' : `violation:${r.property?.id}`).toBe(v.expect);
    }
  });

  it('fixed: every action is enabled somewhere (exit and exec paths, every send)', () => {
    const r = runCheck(build('fixed'));
    expect(r.unreachedActions ?? []).toEqual([]);
  });
});
