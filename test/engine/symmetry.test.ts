import { describe, it, expect } from 'vitest';
import {
  model, bool, option, step, guard, set, requires, eq, not, and, lit, ModelError, BOOL, type Expr, type Model,
} from '../../model/lang/index.ts';
import { runCheck } from '../../checker/check.ts';
import { initialState, instancesOf, canFire, step as fire, type State } from '../../checker/interpreter.ts';
import { builtinModels } from '../../model/registry.ts';
import { symmetricModel } from './symmetric-models.ts';

/** n threads, each sets its own flag once: 2^n states, n+1 orbits (how many flags are set). */
function flags(n: number): Model {
  const m = model('flags');
  const names = Array.from({ length: n }, (_, i) => `T${i + 1}`);
  const T = m.threads(names);
  m.symmetric(names);
  const f = m.var('f', bool, false, [T.sort]);
  m.program('p', names, (self) => [step('set', set(f.at(self), true))]);
  return m.build();
}

/** A lock without a guard on `take`: a second taker overwrites the owner, the first's `use` fails. */
function stolenLock(guarded: boolean): Model {
  const m = model('stolen');
  const names = ['T1', 'T2', 'T3'];
  const T = m.threads(names);
  m.symmetric(names);
  const owner = m.var('owner', option(T.sort), 'none', []);
  m.program('p', names, (self) => [
    step('take', ...(guarded ? [guard(eq(owner, 'none'))] : []), set(owner, self)),
    step('use', requires('lock.owner', 'used the lock without owning it', eq(owner, self))),
    step('release', set(owner, 'none')),
  ]);
  return m.build();
}

/** Every member renaming of a state of a model whose only tied sort is the thread sort (members first). */
function orbitKey(m: Model, s: State, n: number): string {
  const perms: number[][] = [];
  const gen = (p: number[]) => { if (p.length === n) { perms.push(p); return; } for (let i = 0; i < n; i++) if (!p.includes(i)) gen([...p, i]); };
  gen([]);
  const T = m.threadSort!;
  const keys = perms.map((p) => JSON.stringify(m.vars.map((d) => {
    const cells = s[d.name];
    const tiedValue = d.sort === T || (d.sort.kind === 'enum' && d.sort.base === 'Thread');
    const mv = (v: number) => (tiedValue && v < n ? p[v] : v);
    if (d.index.length === 1 && d.index[0] === T) {
      const out = [...cells];
      cells.forEach((v, i) => (out[i < n ? p[i] : i] = mv(v)));
      return out;
    }
    return cells.map(mv);
  })));
  return keys.sort()[0];
}

/** Reachable states by breadth-first search on the interpreter (a model that passes). */
function reachable(m: Model): State[] {
  const all = instancesOf(m);
  const seen = new Map<string, State>();
  const s0 = initialState(m);
  seen.set(JSON.stringify(s0), s0);
  const queue = [s0];
  while (queue.length) {
    const s = queue.shift()!;
    for (const i of all) {
      if (!canFire(m, s, i).enabled) continue;
      const t = fire(m, s, i).state;
      const k = JSON.stringify(t);
      if (!seen.has(k)) { seen.set(k, t); queue.push(t); }
    }
  }
  return [...seen.values()];
}

describe('symmetry reduction', () => {
  it('n threads setting their own flag: 2^n states without symmetry, n+1 orbits with it (hand-counted)', () => {
    for (const n of [2, 3, 4, 5]) {
      const m = flags(n);
      const off = runCheck(m, { symmetry: false }), on = runCheck(m);
      expect([n, off.verdict, off.stats.states, off.stats.symmetry]).toEqual([n, 'pass', 2 ** n, { on: false, members: m.symmetry!.members }]);
      expect([n, on.verdict, on.stats.states, on.stats.symmetry]).toEqual([n, 'pass', n + 1, { on: true, members: m.symmetry!.members, orbits: n + 1, exact: true }]);
    }
  });

  it('a thread-valued cell is renamed with its thread: the stolen lock is found in 3 steps either way, and the trace is a real path', () => {
    const m = stolenLock(false);
    for (const symmetry of [true, false]) {
      for (const minimise of [true, false]) {
        const r = runCheck(m, { symmetry, minimise });
        expect(r.property?.id).toBe('lock.owner');
        const steps = r.trace!.steps.map((s) => `${s.thread} ${s.action}`);
        // Two takes, then the first taker's use; which threads depends on the search, the shape does not.
        expect(steps.length).toBe(3);
        const [a, b, c] = r.trace!.steps;
        expect([a.action, b.action, c.action]).toEqual(['take', 'take', 'use']);
        expect(a.thread).not.toBe(b.thread);
        expect(c.thread).toBe(a.thread);
      }
    }
    // With the guard the lock is sound: 3 threads x 4 positions, 1 owner: orbits counted by hand
    // are (position multiset of the non-owners, owner's position): pass both ways.
    const ok = stolenLock(true);
    const on = runCheck(ok), off = runCheck(ok, { symmetry: false });
    expect([on.verdict, off.verdict]).toEqual(['pass', 'pass']);
    expect(on.stats.states).toBeLessThan(off.stats.states);
    const n = 3;
    expect(on.stats.states).toBe(new Set(reachable(ok).map((s) => orbitKey(ok, s, n))).size);
  });

  it('a model that singles out a member is refused, naming what breaks the symmetry', () => {
    const m = model('bad');
    const T = m.threads(['T1', 'T2']);
    m.symmetric(['T1', 'T2']);
    const f = m.var('f', bool, false, [T.sort]);
    m.program('p', ['T1', 'T2'], (self) => [step('set', set(f.at(self), true))]);
    m.invariant('bad.t1', 'T1 never sets its flag', not(f.at(lit(T.sort, 'T1'))));
    expect(() => m.build()).toThrow(new ModelError("symmetric(T1, T2): invariant 'bad.t1' changes when T1 and T2 swap; a property of a symmetric model must treat every member alike"));
    const m2 = model('bad2');
    m2.threads(['T1', 'T2', 'E']);
    m2.symmetric(['T1', 'T2']);
    m2.program('p', ['T1'], () => [step('only_t1')]);
    m2.program('q', ['T2', 'E'], () => [step('others')]);
    expect(() => m2.build()).toThrow(/^symmetric\(T1, T2\): action 'only_t1' has no counterpart when T1 and T2 swap/);
    expect(() => model('x').symmetric(['T1'])).toThrow('declare m.threads([...]) before m.symmetric([...])');
  });

  it('a model derived from a symmetric one that singles out a member (a probe for one state) is searched without reduction', () => {
    const m = flags(3);
    const T = m.threadSort!;
    const f = (t: string): Expr => ({ op: 'var', sort: BOOL, name: 'f', index: [lit(T, t)] });
    // Only T1's flag set: not the representative of its orbit (T3's alone), which a reduced search would store instead.
    const probe: Model = { ...m, properties: [{ kind: 'invariant', id: 'probe', message: 'the probed state is reached', expr: not(and(f('T1'), not(f('T2')), not(f('T3')))) }] };
    const r = runCheck(probe);
    expect([r.verdict, r.trace?.steps.length, r.stats.symmetry]).toEqual(['violation', 1, { on: false, members: ['T1', 'T2', 'T3'] }]);
  });

  it('writes that test each other for aliasing (rcu_read_unlock ending every grace-period wait) are matched up to that test', async () => {
    const { rcuGracePeriods, rcu_read_lock, rcu_read_unlock } = await import('../../model/primitives/index.ts');
    const m = model('rcu-sym');
    const rs = ['R1', 'R2', 'R3'];
    m.threads([...rs, 'K']);
    m.symmetric(rs);
    rcuGracePeriods(m);
    m.program('reader', rs, (self) => [step('lock', ...rcu_read_lock(m, self)), step('unlock', ...rcu_read_unlock(m, self))]);
    m.program('k', ['K'], () => [step('idle')]);
    const built = m.build();
    const on = runCheck(built), off = runCheck(built, { symmetry: false });
    // Each reader before, inside or after its section (3^3 = 27 states, times K's 2 positions = 54);
    // orbits: multisets of 3 positions out of 3 (10), times 2.
    expect([on.verdict, on.stats.states, off.stats.states]).toEqual(['pass', 20, 54]);
  });

  it('every built-in variant that declares symmetry: the same verdict, property and shortest length with and without it', () => {
    let compared = 0;
    for (const def of builtinModels) {
      const b = Object.fromEntries(def.bounds.map((x) => [x.name, x.default]));
      for (const v of def.variants) {
        const m = def.build(v.name, b);
        if (!m.symmetry) continue;
        const on = runCheck(m), off = runCheck(m, { symmetry: false });
        const fig = (r: typeof on) => [r.verdict, r.property?.id, r.trace?.steps.length];
        expect([`${def.name}/${v.name}`, ...fig(on)]).toEqual([`${def.name}/${v.name}`, ...fig(off)]);
        expect(on.stats.symmetry).toMatchObject({ on: true, exact: true });
        expect(on.stats.states).toBeLessThanOrEqual(off.stats.states);
        compared++;
      }
    }
    // mm 4, drm_mm 4, page 4, task 2, aref 5, vma 3, fork 2, api-task 3, api-drm_mm 5, api-mmap 3, api-mm 4.
    expect(compared).toBe(39);
  }, 120_000);

  it('1,000 random models with symmetric threads: identical verdicts, properties and shortest lengths; exact orbit counts', () => {
    const kinds = new Map<string, number>();
    let orbitChecks = 0;
    for (let seed = 1; seed <= 1000; seed++) {
      const { model: m, members } = symmetricModel(seed);
      const on = runCheck(m), off = runCheck(m, { symmetry: false });
      expect([seed, on.verdict, on.property?.id, on.trace?.steps.length]).toEqual([seed, off.verdict, off.property?.id, off.trace?.steps.length]);
      kinds.set(`${on.verdict}:${on.property?.id ?? ''}`, (kinds.get(`${on.verdict}:${on.property?.id ?? ''}`) ?? 0) + 1);
      // A pass stores every orbit once: count the orbits of the unreduced state space independently.
      if (on.verdict === 'pass' && seed % 4 === 0) {
        expect([seed, on.stats.states]).toEqual([seed, new Set(reachable(m).map((s) => orbitKey(m, s, members.length))).size]);
        orbitChecks++;
      }
    }
    // The generator reaches every kind of verdict.
    for (const k of ['pass:', 'violation:deadlock', 'violation:sym.inv', 'violation:sym.owner', 'violation:bounds', 'violation:sym.cap']) expect(kinds.get(k), k).toBeGreaterThan(5);
    expect(orbitChecks).toBeGreaterThan(20);
  }, 300_000);
});
