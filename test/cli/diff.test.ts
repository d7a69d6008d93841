import { describe, it, expect } from 'vitest';
import mmDef from '../../model/mm.ts';
import { diffModels } from '../../checker/diff.ts';
import { isolate, propertyIds } from '../../properties/isolate.ts';
import { runCheck } from '../../checker/check.ts';
import { cli } from './run-cli.ts';
import { EXIT } from '../../checker/result.ts';

const mm = (v: string) => mmDef.build(v, { senders: 2 });

describe('diff: old API against new, property by property', () => {
  it('isolate keeps exactly one property (requires included)', () => {
    const m = mm('fixed');
    const ids = propertyIds(m);
    expect(ids.slice(0, 4)).toEqual(['deadlock', 'mm.leak', 'mm.count-pins-users', 'binder.release-not-run']);
    expect(ids).toContain('mm.pasid-use-after-free');
    const only = isolate(m, ['mm.pasid-use-after-free']);
    expect(only.properties).toEqual([]);
    expect(only.actions.flatMap((a) => a.requires.map((r) => r.id))).toEqual(['mm.pasid-use-after-free']);
  });

  it('K4 → fixed: deadlock fixed, nothing broken, every other property still holds', () => {
    const d = diffModels(mm('mmput-in-sender-context'), mm('fixed'));
    expect(d.rows.find((r) => r.property === 'deadlock')).toMatchObject({ change: 'fixed', old: { verdict: 'violation', steps: 9 }, new: { verdict: 'pass' } });
    expect(d.rows.filter((r) => r.property !== 'deadlock').every((r) => r.change === 'still holds')).toBe(true);
    expect([d.fixed, d.broke, d.stillViolated]).toEqual([1, 0, 0]);
  });

  it('isolating a property shows violations the first one hid', () => {
    // As a whole, access-without-mmget stops at its first violation (1 step); alone, the
    // real use-after-free of the address space shows up too: touched after __mmput, 2 steps.
    expect(runCheck(mm('access-without-mmget')).property?.id).toBe('mm.access-without-mm_users');
    const d = diffModels(mm('access-without-mmget'), mm('fixed'));
    const uaf = d.rows.find((r) => r.property === 'mm.access-after-teardown')!;
    expect(uaf.old).toMatchObject({ verdict: 'violation', steps: 2 });
    expect(uaf.old!.trace).toEqual(['owner exit_mm', 'T1 install_pages']);
    expect(uaf.change).toBe('fixed');
  });

  it('CLI: exit 1 when the new side breaks something, 0 when it fixes', () => {
    const broke = cli(['diff', 'mm', '--old', 'fixed', '--new', 'pasid-freed-in-mmput']);
    expect(broke.code).toBe(EXIT.violation);
    expect(broke.stdout).toMatch(/^unsound +mm\.pasid-use-after-free +pass +violation \(3 steps\) +broke$/m);
    expect(broke.stdout).toMatch(/^0 fixed, 1 broke, 0 still violated$/m);
    // The witness of the broken row, in order, the bad step marked.
    const lines = broke.stdout.split('\n');
    const w = lines.indexOf('witness of mm.pasid-use-after-free (unsound), new side, 3 steps:');
    expect(lines.slice(w + 1, w + 4).map((l) => l.trim().split(/\s+/).slice(1, 3))).toEqual([['owner', 'exit_mm'], ['T1', 'mmget_not_zero_failed'], ['T1', 'sva_unbind']]);
    expect(lines[w + 3]).toMatch(/✗ mm\.pasid-use-after-free$/);
    const fixed = cli(['diff', 'mm', '--old', 'mmput-in-sender-context', '--new', 'fixed', '--json']);
    expect(fixed.code).toBe(EXIT.pass);
    expect(JSON.parse(fixed.stdout)).toMatchObject({ old: { variant: 'mmput-in-sender-context' }, new: { variant: 'fixed' }, fixed: 1, broke: 0 });
  });
});
