/**
 * The counter abstraction simulates the model: for every step between reachable concrete states
 * (all of them, no symmetry reduction), some clause of the counter system for the same action
 * takes the abstract pre-state to the abstract post-state, and the initial state satisfies the initial clause. That
 * is the direction a proof for any number of threads rests on (every behaviour of the model at
 * that count is one of the abstraction's), checked by one SMT query per distinct abstract step,
 * on the shapes the abstraction handles: a lock owner, a step of two members, a family of
 * per-member steps, constants that move with N, thread-indexed arrays over two sorts.
 */
import { describe, expect, it } from 'vitest';
import { counterSystem } from '../../checker/symbolic/counter-abstraction.ts';
import { compileModel } from '../../checker/compile.ts';
import { initialState } from '../../checker/interpreter.ts';
import { fromSlots, toSlots } from '../../checker/layout.ts';
import { openSolver } from '../../checker/symbolic/z3.ts';
import type { Model } from '../../model/lang/ir.ts';
import { findBuiltin } from '../../model/registry.ts';
import * as tiny from './models.ts';

/** Abstract steps (pre, post, the action taken) of every concrete step among the reachable states, each once, and the abstract initial state. */
function abstractSteps(model: Model, cs: ReturnType<typeof counterSystem>): { init: number[]; steps: [number[], number[], string][] } {
  const c = compileModel(model);
  const abs = (v: Int32Array) => {
    const a = cs.abstractOf(model, fromSlots(model, c.layout, v) as Record<string, number[]>);
    if (!a) throw new Error('a reachable state has a member in a local state the abstraction left out');
    return a;
  };
  const init = toSlots(model, c.layout, initialState(model));
  const seen = new Set([init.join(',')]);
  const queue = [init];
  const steps = new Map<string, [number[], number[], string]>();
  const n = new Int32Array(init.length);
  for (let i = 0; i < queue.length; i++) {
    const s = queue[i];
    const a = abs(s);
    c.successors(s, n, (inst, status) => {
      if (status !== 0) return;
      const b = abs(n);
      const action = c.instances[inst].action.name;
      const key = `${a.join(',')}>${b.join(',')}>${action}`;
      if (a.join(',') !== b.join(',') && !steps.has(key)) steps.set(key, [a, b, action]);
      const k = n.join(',');
      if (!seen.has(k)) { seen.add(k); queue.push(Int32Array.from(n)); }
    });
  }
  return { init: abs(init), steps: [...steps.values()] };
}

const lit = (sort: 'Int' | 'Bool', x: number) => (sort === 'Bool' ? (x ? 'true' : 'false') : x < 0 ? `(- ${-x})` : String(x));

/** The abstract steps no clause matches (empty when the abstraction simulates the model), and how many were checked. */
async function unmatched(model: Model, grown: Model): Promise<{ checked: number; missing: string[] }> {
  const cs = counterSystem(model, { grown });
  const { init, steps } = abstractSteps(model, cs);
  const solver = await openSolver();
  const missing: string[] = [];
  try {
    await solver.add(['(declare-const N Int)', ...cs.args.map((a) => `(declare-const ${a.name}@p ${a.sort})`)].join('\n'));
    const members = model.symmetry!.members.length;
    const initOk = await solver.query(`(assert (= N ${members}))\n(assert (not (and ${cs.init.map((t, i) => `(= ${t} ${lit(cs.args[i].sort, init[i])})`).join(' ')})))`, 0, []);
    if (initOk.result !== 'unsat') missing.push(`the initial state ${init.join(',')}`);
    // The clauses of an action: named after it, or after its family (`send_to_*` for send_to_T2).
    const actionOf = (what: string) => what.split(/[( ]/)[0];
    const clausesOf = (action: string) => cs.steps.filter((s) => {
      const name = actionOf(s.what);
      return name === action || (name.includes('*') && new RegExp(`^${name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace('*', '[A-Za-z0-9_]+')}$`).test(action));
    });
    for (const [a, b, action] of steps) {
      const pre = cs.args.map((x, i) => `(assert (= ${x.name}@p ${lit(x.sort, a[i])}))`);
      const post = (s: (typeof cs.steps)[number]) => `(and ${s.cond} ${s.post.map((t, i) => `(= ${t} ${lit(cs.args[i].sort, b[i])})`).join(' ')})`;
      const r = await solver.query([...pre, `(assert (or false ${clausesOf(action).map(post).join(' ')}))`].join('\n'), 0, []);
      if (r.result !== 'sat') missing.push(`${action}: ${a.join(',')} -> ${b.join(',')} (${r.result})`);
    }
  } finally {
    await solver.free();
  }
  return { checked: steps.length, missing };
}

describe('the counter abstraction simulates every concrete step', () => {
  const cases: [string, () => Model, () => Model][] = [
    ['mutex workers (2)', () => tiny.mutexWorkers(2), () => tiny.mutexWorkers(3)],
    ['a lock owner (2 workers)', () => tiny.ownerId(2), () => tiny.ownerId(3)],
    ['a take that overwrites the owner (3 workers)', () => tiny.ownerId(3, true), () => tiny.ownerId(4, true)],
    ['a member waking another (3)', () => tiny.wakeOther(3), () => tiny.wakeOther(4)],
    ['a barrier spelled per member (2)', () => tiny.barrier(2), () => tiny.barrier(3)],
  ];
  for (const [name, model, grown] of cases) {
    it(name, async () => {
      const r = await unmatched(model(), grown());
      expect(r.checked).toBeGreaterThan(0);
      expect(r.missing).toEqual([]);
    }, 120_000);
  }

  const builtin = (name: string, bound: string, n: number) => {
    const def = findBuiltin(name)!;
    const b = Object.fromEntries(def.bounds.map((x) => [x.name, x.default]));
    return [def.build('fixed', { ...b, [bound]: n }), def.build('fixed', { ...b, [bound]: n + 1 })] as const;
  };
  for (const [name, bound, n] of [['task', 'observers', 2], ['aref', 'readers', 2], ['mm', 'senders', 2]] as const) {
    it(`${name}/fixed at ${bound}=${n}`, async () => {
      const [m, g] = builtin(name, bound, n);
      const r = await unmatched(m, g);
      expect(r.checked).toBeGreaterThan(10);
      expect(r.missing).toEqual([]);
    }, 300_000);
  }
});
