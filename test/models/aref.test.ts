import { describe, it, expect } from 'vitest';
import arefDef from '../../model/aref.ts';
import { runCheck } from '../../checker/check.ts';
import type { Result } from '../../checker/result.ts';
import { minimalViolationDepth } from '../helpers/shortest.ts';
import { runSchedule } from './schedule.ts';
import { findBuiltin } from '../../model/registry.ts';
import { ofThread } from '../helpers/trace.ts';

const build = (variant: string, readers = 2) => arefDef.build(variant, { readers });
const READER_RUN = [
  'xa_lock', 'xa_load', 'kref_get_unless_zero', 'xa_unlock', 'use', 'clone', 'queue_work_into_raw',
  'drop', 'work_from_raw', 'work_use', 'work_drop', 'work_last_put',
];
const OWNER_RUN = ['into_raw', 'from_raw', 'owner_drop'];

describe('aref model', () => {
  it('kref-get-lookup-race: the last put leaves obj in the table, a reader finds it and kref_get adds on 0', () => {
    const r = runCheck(build('kref-get-lookup-race'));
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('refcount.add-on-zero');
    expect(r.property?.action).toBe('aref_from');
    expect(r.trace!.steps.length).toBe(6);
    expect(minimalViolationDepth(build('kref-get-lookup-race'), 6)).toBe(6);
    expect(ofThread(r, 'owner')).toEqual(OWNER_RUN);
    expect(ofThread(r, 'R1')).toEqual(['xa_lock', 'xa_load', 'aref_from']);
    expect(ofThread(r, 'R2')).toEqual([]);
    const before = r.trace!.steps[4].state;
    expect(before['obj.refs']).toBe(0);
    expect(before['obj.in_table']).toBe(true); // the destructor has not erased it yet
    expect(before['obj.freed']).toBe(false);
    expect((before.releasing as Record<string, boolean>).owner).toBe(true);
    expect(before.xa_lock).toBe('R1');
  });

  it('fixed: at 0 kref_get_unless_zero fails, the reader treats obj as not found, the destructor erases and frees', () => {
    const run = runSchedule(build('fixed'), [
      ['owner', 'into_raw'], ['owner', 'from_raw'], ['owner', 'owner_drop'],
      ['R1', 'xa_lock'], ['R1', 'xa_load'], ['R1', 'kref_get_unless_zero'], ['R1', 'xa_unlock'], ['R1', 'got_ref'],
      ['owner', 'owner_xa_lock'], ['owner', 'owner_xa_erase'], ['owner', 'owner_xa_unlock'], ['owner', 'owner_kfree'],
      ['R2', 'xa_lock'], ['R2', 'xa_load'], ['R2', 'xa_unlock'], ['R2', 'got_ref'],
    ]);
    expect(run.states[5]['obj.refs']).toBe(0); // unchanged by the failed get
    expect(run.states[5].got).toEqual({ owner: false, R1: false, R2: false });
    expect(run.states[11]['obj.freed']).toBe(true);
    expect(run.states[13].found).toEqual({ owner: false, R1: true, R2: false });
    expect(run.final).toBe(true);
  });

  it('fixed: a reader\'s work function drops the last reference and runs the destructor on its thread', () => {
    const r1 = READER_RUN.slice(0, -1).map((a) => ['R1', a] as [string, string]);
    const run = runSchedule(build('fixed', 1), [
      ...r1.slice(0, 4), // R1 holds a reference
      ...OWNER_RUN.map((a) => ['owner', a] as [string, string]), ['owner', 'owner_last_put'],
      ...r1.slice(4),
      ['R1', 'work_xa_lock'], ['R1', 'work_xa_erase'], ['R1', 'work_xa_unlock'], ['R1', 'work_kfree'],
    ]);
    // After the owner's drop: R1's token is the only reference.
    expect(run.states[7]['obj.refs']).toBe(1);
    // clone → 2, into_raw keeps the count (the stash holds it), drop → 1, from_raw keeps it.
    expect(run.states.slice(8, 15).map((s) => [s['obj.refs'], s['obj.raw']])).toEqual([[1, 0], [2, 0], [2, 1], [1, 1], [1, 0], [1, 0], [0, 0]]);
    expect((run.states[14].releasing as Record<string, boolean>).R1).toBe(true);
    expect(run.states[18]['obj.freed']).toBe(true);
    expect(run.final).toBe(true);
  });

  it('kref-put-lock: the last put waits for xa_lock, so a reader holding it finds the count at 1, not 0', () => {
    const model = build('kref-put-lock', 1);
    const head: [string, string][] = [
      ['owner', 'into_raw'], ['owner', 'from_raw'], ['owner', 'owner_drop'], // refcount_dec_not_one fails at 1
      ['R1', 'xa_lock'], ['R1', 'xa_load'],
    ];
    // The owner's slow path cannot take xa_lock while R1 holds it.
    expect(() => runSchedule(model, [...head, ['owner', 'owner_xa_lock']])).toThrow('owner owner_xa_lock: not enabled');
    const run = runSchedule(model, [
      ...head, ['R1', 'aref_from'], ['R1', 'xa_unlock'],
      ['owner', 'owner_xa_lock'], ['owner', 'owner_dec_and_test'], ['owner', 'owner_last_put'],
    ]);
    expect(run.states[2]['obj.refs']).toBe(1); // the owner gave up its token, not yet the count
    expect((run.states[2].put_locking as Record<string, boolean>).owner).toBe(true);
    expect(run.states[5]['obj.refs']).toBe(2); // kref_get on a live count
    expect(run.states[8]['obj.refs']).toBe(1); // dec_and_test under the lock: not the last
    expect(run.states[8].xa_lock).toBe('none'); // ...so it unlocked at once
    expect(run.states[8]['obj.in_table']).toBe(true);
    expect((run.states[8].releasing as Record<string, boolean>).owner).toBe(false);
  });

  it('into-raw-leak: the owner never adopts its stash; at the end the count is 1 with no owner', () => {
    const r = runCheck(build('into-raw-leak'));
    expect(r.property?.id).toBe('aref.leak');
    expect(r.property?.kind).toBe('quiescence');
    expect(r.trace!.steps.length).toBe(1 + 2 * READER_RUN.length);
    expect(minimalViolationDepth(build('into-raw-leak'), 25)).toBe(25);
    expect(ofThread(r, 'owner')).toEqual(['into_raw']);
    expect(ofThread(r, 'R1')).toEqual(READER_RUN);
    expect(ofThread(r, 'R2')).toEqual(READER_RUN);
    const end = r.trace!.steps[24].state;
    expect([end['obj.refs'], end['obj.raw'], end['obj.freed'], end['obj.in_table']]).toEqual([1, 1, false, true]);
  });

  it('from-raw-twice: the second adoption finds no increment handed out', () => {
    const r = runCheck(build('from-raw-twice'));
    expect(r.property?.id).toBe('aref.from-raw-without-increment');
    expect(r.property?.action).toBe('from_raw_again');
    expect(r.trace!.steps.length).toBe(3);
    expect(minimalViolationDepth(build('from-raw-twice'), 3)).toBe(3);
    expect(ofThread(r, 'owner')).toEqual(['into_raw', 'from_raw', 'from_raw_again']);
  });

  it('at 1..3 readers the passing variants pass and each bug variant fails with its property', () => {
    for (const readers of [1, 2, 3]) {
      for (const v of arefDef.variants) {
        const r = runCheck(build(v.name, readers));
        expect(r.verdict === 'pass' ? 'pass' : `violation:${r.property?.id}`).toBe(v.expect);
      }
    }
  });

  it('is registered, and every variant gives its expected verdict at the default bounds', () => {
    expect(findBuiltin('aref')).toBe(arefDef);
    const defaults = Object.fromEntries(arefDef.bounds.map((b) => [b.name, b.default]));
    expect(defaults).toEqual({ readers: 2 });
    for (const v of arefDef.variants) {
      const r = runCheck(arefDef.build(v.name, defaults));
      expect(r.verdict === 'pass' ? 'pass' : `violation:${r.property?.id}`).toBe(v.expect);
    }
  });

  it('fixed and kref-put-lock: every action is enabled somewhere (failed and successful gets, release on either side)', () => {
    expect(runCheck(build('fixed')).unreachedActions ?? []).toEqual([]);
    expect(runCheck(build('kref-put-lock')).unreachedActions ?? []).toEqual([]);
    // With one reader nobody can take a reference while a put waits for the lock.
    expect(runCheck(build('kref-put-lock', 1)).unreachedActions).toEqual(['work_last_put']);
  });
});
