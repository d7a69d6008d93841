import { describe, it, expect } from 'vitest';
import mmDef from '../../model/mm.ts';
import { runCheck } from '../../checker/check.ts';
import { cli } from '../cli/run-cli.ts';
import { EXIT, type Result } from '../../checker/result.ts';
import { minimalViolationDepth } from '../helpers/shortest.ts';
import { ofThread } from '../helpers/trace.ts';

const build = (variant: string, senders = 2) => mmDef.build(variant, { senders });
const steps = (r: Result) => r.trace!.steps.map((s) => `${s.thread} ${s.action}`);

describe('mm model', () => {
  it('check mm --json: exit 0, proved (auto: explicit, then PDR) with states > 0; identical twice apart from timings', () => {
    const runs = [cli(['check', 'mm', '--json']), cli(['check', 'mm', '--json'])];
    const results = runs.map((r) => {
      expect(r.code).toBe(EXIT.pass);
      const j = JSON.parse(r.stdout) as Result;
      expect(j.verdict).toBe('proved');
      expect(j.stats.states).toBeGreaterThan(0);
      expect(j.bounds).toEqual({ senders: 2 });
      const { seconds, statesPerSecond, ...rest } = j.stats;
      return { ...j, stats: rest };
    });
    expect(results[0]).toEqual(results[1]);
  });

  it('access-without-mmget: exit 1, names the property, and the trace is shortest', () => {
    const r = cli(['check', 'mm', '--variant', 'access-without-mmget', '--json']);
    expect(r.code).toBe(EXIT.violation);
    const j = JSON.parse(r.stdout) as Result;
    expect(j.verdict).toBe('violation');
    expect(j.property?.id).toBe('mm.access-without-mm_users');
    expect(j.property?.action).toBe('install_pages');
    expect(j.property?.loc?.file).toBe('model/mm.ts'); // the model's line, relative to the working directory
    const n = j.trace!.steps.length;
    expect(n).toBe(1);
    // No shorter path reaches a violation (here: the initial state itself), by the interpreter alone.
    expect(minimalViolationDepth(build('access-without-mmget'), n)).toBe(n);
  });

  it('K10 pasid-freed-in-mmput: the owner exits, then an mm_count holder uses the PASID', () => {
    const r = runCheck(build('pasid-freed-in-mmput'));
    expect(r.property?.id).toBe('mm.pasid-use-after-free');
    expect(steps(r)).toEqual(['owner exit_mm', 'T1 mmget_not_zero_failed', 'T1 sva_unbind']);
    expect(minimalViolationDepth(build('pasid-freed-in-mmput'), 3)).toBe(3);
  });

  it('K4 mmput-in-sender-context: the sender\'s mmput is the last one and binder_release never runs', () => {
    for (const threads of [1, 2]) {
      const r = runCheck(build('mmput-in-sender-context', threads));
      expect(r.property?.id).toBe('deadlock');
      const n = r.trace!.steps.length;
      expect(minimalViolationDepth(build('mmput-in-sender-context', threads), n)).toBe(n);
      // The owner leaves completely (exit_mm drops its user, exit_files its fd) before some
      // sender's mmput drops mm_users to 0 and queues ____fput on itself.
      expect(ofThread(r, 'owner')).toEqual(['exit_mm', 'exit_files', 'exit_task_work']);
      const last = r.trace!.steps[n - 1];
      expect(last.action).toBe('mmput');
      expect(last.state.mm_users).toBe(0);
      expect((last.state.binder_release_pending as Record<string, boolean>)[last.thread!]).toBe(true);
      expect(last.state.binder_released).toBe(false);
      expect(ofThread(r, last.thread!)).toEqual(['mmget_not_zero', 'install_pages', 'mmput']);
    }
  });

  it('fixed passes at 1..3 senders and the bug variants fail at each', () => {
    for (const t of [1, 2, 3]) {
      expect(runCheck(build('fixed', t)).verdict).toBe('pass');
      for (const v of mmDef.variants.filter((x) => x.expect !== 'pass')) {
        const r = runCheck(build(v.name, t));
        expect(`violation:${r.property?.id}`).toBe(v.expect);
      }
    }
  });

  it('fixed: every action of the model is enabled somewhere (nothing vacuous)', () => {
    const r = runCheck(build('fixed'));
    // With mmput_async the synchronous mmput of senders does not exist; the owner's does.
    expect(r.unreachedActions ?? []).toEqual([]);
  });
});
