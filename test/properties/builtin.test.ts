import { describe, it, expect } from 'vitest';
import mmDef from '../../model/mm.ts';
import taskDef from '../../model/task.ts';
import { propertyIds } from '../../properties/isolate.ts';
import { diffModels } from '../../checker/diff.ts';
import { CLASSES } from '../../properties/classes.ts';
import { cli } from '../cli/run-cli.ts';
import { EXIT } from '../../checker/result.ts';

describe('properties on the built-in models', () => {
  it('`properties mm` lists every mm property with its kind, class and where it is declared', () => {
    const r = cli(['properties', 'mm']);
    expect(r.code).toBe(0);
    const [head, cols, ...rows] = r.stdout.trimEnd().split('\n');
    const ids = propertyIds(mmDef.build('fixed', { senders: 2 }));
    expect(head).toBe(`mm/fixed: ${ids.length} properties`);
    expect(cols.split(/\s{2,}/)).toEqual(['id', 'kind', 'class', 'declared at', 'message']);
    expect(rows.map((l) => l.split(/\s+/)[0])).toEqual(ids);
    for (const l of rows) {
      const [, kind, cls, where] = l.split(/\s+/);
      expect(['invariant', 'requires', 'deadlock', 'quiescence', 'cover']).toContain(kind);
      expect(CLASSES).toContain(cls);
      expect(where).toMatch(/^model\/mm\.ts:\d+:\d+$/);
    }
    expect(rows.find((l) => l.startsWith('mm.pasid-use-after-free'))!.split(/\s+/).slice(1, 3)).toEqual(['requires', 'unsound']);
    expect(rows.find((l) => l.startsWith('deadlock'))!.split(/\s+/).slice(1, 3)).toEqual(['deadlock', 'liveness']);
  });

  it('`properties` alone lists the catalogue with what the kernel does at each point', () => {
    const r = cli(['properties', '--json']);
    const cat = JSON.parse(r.stdout) as { id: string; class: string; kernel: string }[];
    expect(cat.find((e) => e.id === 'refcount.add-on-zero')).toMatchObject({ class: 'unsound', kernel: expect.stringMatching(/refcount_warn_saturate/) });
    expect(cat.find((e) => e.id === 'drm_mm.takedown-not-clean')).toMatchObject({ class: 'warn' });
  });

  it('check mm/pasid-freed-in-mmput --property mm.pasid-use-after-free: the 3-step witness; --property deadlock: pass', () => {
    const r = cli(['check', 'mm', '--variant', 'pasid-freed-in-mmput', '--property', 'mm.pasid-use-after-free', '--engine', 'explicit', '--json']);
    expect(r.code).toBe(EXIT.violation);
    const res = JSON.parse(r.stdout);
    expect(res.property).toMatchObject({ id: 'mm.pasid-use-after-free', kind: 'requires', class: 'unsound' });
    expect(res.trace.steps.map((s: { thread: string; action: string }) => `${s.thread} ${s.action}`))
      .toEqual(['owner exit_mm', 'T1 mmget_not_zero_failed', 'T1 sva_unbind']);
    const d = cli(['check', 'mm', '--variant', 'pasid-freed-in-mmput', '--property', 'deadlock', '--engine', 'explicit']);
    expect(d.code).toBe(EXIT.pass);
    expect(d.stdout.split('\n')[0]).toBe('PASS mm/pasid-freed-in-mmput [only deadlock]: no violation in any reachable state (exhaustive within the bounds)');
  });

  it('diff task group-leader-any-task → fixed: one root-cause row (add on 0) with its 4 consequences, not 5 fixed rows', () => {
    const b = { observers: 2 };
    const d = diffModels(taskDef.build('group-leader-any-task', b), taskDef.build('fixed', b));
    expect(d.rows.filter((r) => r.change === 'fixed').map((r) => r.property).sort())
      .toEqual(['aref.leak', 'refcount.add-on-zero', 'refcount.saturated', 'refcount.underflow', 'refcount.use-after-free']);
    const fixed = d.rootCauses.filter((g) => g.change === 'fixed');
    expect(fixed).toHaveLength(1);
    expect(fixed[0]).toMatchObject({ root: 'refcount.add-on-zero', class: 'unsound', side: 'old', sameViolation: [] });
    expect([...fixed[0].consequences].sort()).toEqual(['aref.leak', 'refcount.saturated', 'refcount.underflow', 'refcount.use-after-free']);
    expect(d.rows.find((r) => r.property === 'refcount.add-on-zero')!.old!.trace).toEqual(['L do_exit', 't do_exit_t', 'T1 group_leader', 'T1 aref_from_leader']);
    // Every consequence's shortest path goes through the add on 0 first.
    for (const id of fixed[0].consequences) expect(d.rows.find((r) => r.property === id)!.old!.after).toBe('refcount.add-on-zero');
    expect(d.fixed).toBe(1);
    const text = cli(['diff', 'task', '--old', 'group-leader-any-task', '--new', 'fixed']).stdout;
    expect(text.split('\n').filter((l) => / fixed$/.test(l))).toEqual([expect.stringMatching(/^unsound +refcount\.add-on-zero, and 4 consequences +violation \(4 steps\) +pass +fixed$/)]);
  });
});

describe('a WARN does not cut a path', () => {
  it('drm_mm early Asahi → fixed: the use after takedown is its own unsound row, not a consequence of the takedown WARN', async () => {
    const { default: drm } = await import('../../model/drm-mm.ts');
    const b = { objects: 3, size: 2 };
    const d = diffModels(drm.build('takedown-in-allocator-drop', b), drm.build('fixed', b));
    const fixed = d.rootCauses.filter((g) => g.change === 'fixed').map((g) => [g.root, g.class, g.consequences]);
    expect(fixed).toEqual([['drm_mm.use-after-takedown', 'unsound', []], ['drm_mm.takedown-not-clean', 'warn', []]]);
    const uat = d.rows.find((r) => r.property === 'drm_mm.use-after-takedown')!.old!;
    expect(uat).toMatchObject({ verdict: 'violation', steps: 13 });
    expect(uat.after).toBeUndefined();
    // Its witness goes through the WARN: the takedown with nodes still allocated comes first.
    expect(uat.trace!.some((s) => /takedown/.test(s))).toBe(true);
  });
});
