import { describe, it, expect } from 'vitest';
import { buildCascade } from './cascade-model.ts';
import { isolate, propertyIds, CUT_TAG } from '../../properties/isolate.ts';
import { runCheck } from '../../checker/check.ts';
import { diffModels } from '../../checker/diff.ts';
import { cli } from '../cli/run-cli.ts';
import { EXIT } from '../../checker/result.ts';

const steps = (r: ReturnType<typeof runCheck>) => r.trace?.steps.map((s) => `${s.thread} ${s.action}`);

describe('isolation: a witness shows its property as the first violation on its path', () => {
  // cascade/buggy: T1 runs s1 (x := 1), s2 (requires q: x == 0; broken := x != 0), s3 (requires
  // p: !broken); T2 runs w1 (y := 1). Reachable without cuts: 1 initial state, then s1 or w1.
  it('the whole model stops at q, the first violation (2 steps, 3 states)', () => {
    const r = runCheck(buildCascade(true));
    expect(r.property).toMatchObject({ id: 'q', kind: 'requires', class: 'unsound' });
    expect(steps(r)).toEqual(['T1 s1', 'T1 s2']);
    expect(r.stats.states).toBe(3);
  });

  it('--property p: the path through q is cut, so p holds (4 states: x and y set or not, T1 stuck before s2 when x = 1)', () => {
    const r = runCheck(isolate(buildCascade(true), ['p']));
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(4);
  });

  it('without cuts p is reachable, 3 steps, through q (the artifact isolation removes)', () => {
    const r = runCheck(isolate(buildCascade(true), ['p'], { cut: false }));
    expect(r.property?.id).toBe('p');
    expect(steps(r)).toEqual(['T1 s1', 'T1 s2', 'T1 s3']);
  });

  it('--property deadlock: a state whose only step was cut is not a deadlock (a stutter stands in for the cut step)', () => {
    const m = isolate(buildCascade(true), ['deadlock']);
    expect(m.actions.filter((a) => a.tags.includes(CUT_TAG)).map((a) => a.name)).toEqual(['cut:s2', 'cut:s3']);
    const r = runCheck(m);
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(4);
    // 3 real transitions out of the 4 states (s1, w1, w1 after s1, s1 after w1 reach 4 states with 4 edges) plus 2 stutters.
    expect(r.stats.transitions).toBe(6);
    expect(r.unreachedActions ?? []).not.toContain('cut:s2');
    // Without the stutter the state after s1 (and after s1, w1) would be a dead end.
    const noStutter = { ...m, actions: m.actions.filter((a) => !a.tags.includes(CUT_TAG)) };
    expect(runCheck(noStutter)).toMatchObject({ verdict: 'violation', property: { id: 'deadlock' } });
  });

  it('a step that breaks the chosen property and another at once is still its witness', () => {
    // mm/access-without-mmget: install_pages after exit_mm touches the address space without
    // mm_users *and* after teardown; isolated, the teardown property keeps that 2-step witness.
    return import('../../model/mm.ts').then(({ default: mm }) => {
      const r = runCheck(isolate(mm.build('access-without-mmget', { senders: 2 }), ['mm.access-after-teardown']));
      expect(steps(r)).toEqual(['owner exit_mm', 'T1 install_pages']);
    });
  });

  it('keeps only the chosen properties; requires of others leave the step but guard it', () => {
    const m = buildCascade(true);
    expect(propertyIds(m)).toEqual(['deadlock', 'q', 'p']);
    const only = isolate(m, ['p']);
    expect(only.properties).toEqual([]);
    expect(only.actions.flatMap((a) => a.requires.map((r) => r.id))).toEqual(['p']);
    const s2 = only.actions.find((a) => a.name === 's2')!;
    expect(s2.guard).toMatchObject({ op: 'and' });
  });
});

describe('diff folds consequences into their root cause', () => {
  it('cascade buggy → fixed: one row "q, and 1 consequence" (p only after q)', () => {
    const d = diffModels(buildCascade(true), buildCascade(false));
    expect(d.rows.find((r) => r.property === 'p')).toMatchObject({ change: 'fixed', old: { verdict: 'violation', after: 'q', steps: 3 } });
    expect(d.rootCauses.filter((g) => g.change === 'fixed')).toEqual([
      { root: 'q', class: 'unsound', change: 'fixed', side: 'old', sameViolation: [], consequences: ['p'] },
    ]);
    expect([d.fixed, d.broke, d.stillViolated]).toEqual([1, 0, 0]);
  });

  it('CLI: check --property prints the witness; an unknown id is a one-line error naming the known ones', () => {
    const q = cli(['check', 'test/properties/cascade-model.ts', '--variant', 'buggy', '--engine', 'explicit', '--property', 'q']);
    expect(q.code).toBe(EXIT.violation);
    expect(q.stdout).toMatch(/^VIOLATION cascade\/buggy \[only q\]: q: q: x must be 0 here$/m);
    expect(q.stdout).toMatch(/shortest: 2 steps/);
    const p = cli(['check', 'test/properties/cascade-model.ts', '--variant', 'buggy', '--engine', 'explicit', '--property', 'p', '--json']);
    expect(p.code).toBe(EXIT.pass);
    expect(JSON.parse(p.stdout)).toMatchObject({ verdict: 'pass', checkedProperties: ['p'], stats: { states: 4 } });
    const both = cli(['check', 'test/properties/cascade-model.ts', '--variant', 'buggy', '--engine', 'explicit', '--property', 'p', '--property', 'q', '--json']);
    expect(both.code).toBe(EXIT.violation);
    expect(JSON.parse(both.stdout).map((r: { verdict: string }) => r.verdict)).toEqual(['pass', 'violation']);
    const bad = cli(['check', 'test/properties/cascade-model.ts', '--property', 'nope']);
    expect(bad.code).toBe(EXIT.badOption);
    expect(bad.stderr).toBe("protocheck: error: --property nope: model cascade has no such property (its properties: deadlock, q, p; see 'protocheck properties cascade')\n");
  });

  it('CLI diff prints the root-cause row, its consequences and the witness; --brief leaves the witness out', () => {
    const r = cli(['diff', 'test/properties/cascade-model.ts', '--old', 'buggy', '--new', 'fixed']);
    expect(r.code).toBe(EXIT.pass);
    const lines = r.stdout.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^unsound +q, and 1 consequence +violation \(2 steps\) +pass +fixed$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ +only after q: p$/));
    const w = lines.indexOf('witness of q (unsound), old side, 2 steps:');
    expect(w).toBeGreaterThan(0);
    expect(lines.slice(w + 1, w + 3).map((l) => l.trim().split(/\s+/))).toEqual([['1', 'T1', 's1'], ['2', 'T1', 's2', '✗', 'q']]);
    const brief = cli(['diff', 'test/properties/cascade-model.ts', '--old', 'buggy', '--new', 'fixed', '--brief']);
    expect(brief.stdout).not.toMatch(/witness/);
    expect(brief.stdout.trim().split('\n').slice(-2)).toEqual(['1 fixed, 0 broke, 0 still violated', 'new API: sound for no bounds; nothing broke']);
  });
});
