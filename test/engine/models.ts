/**
 * Tiny models whose state spaces are small enough to count by hand. Each test file states the
 * hand count next to its assertion; the differential test runs all of them (`tinyModels`).
 */
import {
  model, range, bool, scalarset, step, either, guard, set, add, sub, eq, not, and, lt, ite, forall,
  requires, cyclic, exists, count, le, defineModel, type ModelDef, type Model, type Expr,
} from '../../model/lang/index.ts';

/** `k` counters `x0..x{k-1}`, each 0..n, each with its own `inc<i>` action; final: all at n. */
export function counters(k: number, n: number): Model {
  const m = model('counters');
  const xs = Array.from({ length: k }, (_, i) => m.var(`x${i}`, range(0, n), 0));
  xs.forEach((x, i) => m.action(`inc${i}`, { body: [guard(lt(x, n)), set(x, add(x, 1))] }));
  m.final(and(...xs.map((x) => eq(x, n))));
  return m.build();
}

/** The same counters as one array over a scalarset and one parameterised action `inc(i)`. */
export function counterArray(k: number, n: number): Model {
  const m = model('counter-array');
  const C = scalarset('Ctr', k, 'C');
  const x = m.var('x', range(0, n), 0, [C]);
  const i: Expr = { op: 'param', sort: C, name: 'i' };
  m.action('inc', { params: [{ name: 'i', sort: C }], body: [guard(lt(x.at(i), n)), set(x.at(i), add(x.at(i), 1))] });
  m.final(forall(C, (c) => eq(x.at(c), n)));
  return m.build();
}

/** `t` threads each running the 2-step program `a; b`; every step bumps a shared step counter. */
export function twoSteps(t: number): Model {
  const m = model('two-steps');
  const names = Array.from({ length: t }, (_, i) => `T${i + 1}`);
  m.threads(names);
  const steps = m.var('steps', range(0, 2 * t), 0);
  m.program('worker', names, () => [
    step('a', set(steps, add(steps, 1))),
    step('b', set(steps, add(steps, 1))),
  ]);
  return m.build();
}

/**
 * Two threads A and B: `lock` (blocks while the lock is held, unless `broken`), `enter` (into the
 * critical section), `unlock` (leave it and release the lock). Invariant `mutex`: never both inside.
 */
export function mutex(broken: boolean): Model {
  const m = model(broken ? 'mutex-broken' : 'mutex');
  const t = m.threads(['A', 'B']);
  const lock = m.var('lock', bool, false);
  const cs = m.local('cs', bool, false);
  m.program('worker', ['A', 'B'], (self) => [
    step('lock', ...(broken ? [] : [guard(not(lock))]), set(lock, true)),
    step('enter', set(cs.at(self), true)),
    step('unlock', set(cs.at(self), false), set(lock, false)),
  ]);
  m.invariant('mutex', 'both threads in the critical section', not(and(cs.at(t.lit('A')), cs.at(t.lit('B')))));
  return m.build();
}

/**
 * Dining philosophers P1..Pn; fork i is Pi's left fork, fork i+1 (mod n) its right one. Each
 * takes its first fork, then its second, then releases both. With `fixed`, Pn takes its right
 * fork first (the classic order fix); otherwise all take left first and can deadlock.
 */
export function philosophers(n: number, fixed: boolean): Model {
  const m = model(fixed ? 'philosophers-fixed' : 'philosophers');
  const names = Array.from({ length: n }, (_, i) => `P${i + 1}`);
  const t = m.threads(names);
  // Forks are indexed by the thread sort: fork Pi is Pi's left fork.
  const fork = m.var('fork', bool, false, [t.sort]);
  const right = (self: Expr): Expr =>
    names.slice(0, -1).reduceRight<Expr>((acc, nm, i) => ite(eq(self, nm), t.lit(names[i + 1]), acc), t.lit(names[0]));
  const last = t.lit(names[n - 1]);
  m.program('philosopher', names, (self) => {
    const first = fixed ? ite(eq(self, last), right(self), self) : self;
    const second = fixed ? ite(eq(self, last), self, right(self)) : right(self);
    return [
      step('take_first', guard(not(fork.at(first))), set(fork.at(first), true)),
      step('take_second', guard(not(fork.at(second))), set(fork.at(second), true)),
      step('release', set(fork.at(first), false), set(fork.at(second), false)),
    ];
  });
  return m.build();
}

/** The model without its deadlock property (to count the whole state space of a deadlocking model). */
export function withoutDeadlock(m: Model): Model {
  return { ...m, properties: m.properties.filter((p) => p.kind !== 'deadlock') };
}

/** One thread T bumps `x` three times; `inc` requires x < 2 before the bump (id `x.max`). */
export function requiresModel(): Model {
  const m = model('requires');
  m.threads(['T']);
  const x = m.var('x', range(0, 3), 0);
  const inc = (label: string) => step(label, requires('x.max', 'inc with x already 2', lt(x, 2)), set(x, add(x, 1)));
  m.program('bump', ['T'], () => [inc('inc1'), inc('inc2'), inc('inc3')]);
  return m.build();
}

/** `x` in 0..2 and an unguarded `inc`: the third inc assigns 3, outside the sort. */
export function boundsModel(): Model {
  const m = model('bounds');
  const x = m.var('x', range(0, 2), 0);
  m.action('inc', { body: [set(x, add(x, 1))] });
  m.noDeadlockCheck();
  return m.build();
}

/** A thread takes a reference, then either puts it or (with `leaky`) may forget it. */
export function refModel(leaky: boolean): Model {
  const m = model(leaky ? 'ref-leak' : 'ref');
  m.threads(['T']);
  const refs = m.var('refs', range(0, 1), 0);
  m.program('user', ['T'], () => [
    step('get', set(refs, add(refs, 1))),
    leaky
      ? either('exit', [step('put', set(refs, sub(refs, 1)))], [step('forget')])
      : step('put', set(refs, sub(refs, 1))),
  ]);
  m.quiescence('ref.leak', 'a reference is still held at the end', eq(refs, 0));
  return m.build();
}

/**
 * `x` counts 0..2; `reset` needs x == 3, which never happens (so it is an unreached action).
 * `cover` adds a cover property: reachable (`x == 2`) or vacuous (`x == 3`).
 */
export function coverModel(cover: 'none' | 'reachable' | 'vacuous'): Model {
  const m = model('cover');
  const x = m.var('x', range(0, 3), 0);
  m.action('inc', { body: [guard(lt(x, 2)), set(x, add(x, 1))] });
  m.action('reset', { body: [guard(eq(x, 3)), set(x, 0)] });
  m.final(eq(x, 2));
  if (cover === 'reachable') m.cover('x.two', 'x reaches 2', eq(x, 2));
  if (cover === 'vacuous') m.cover('x.three', 'x reaches 3', eq(x, 3));
  return m.build();
}

/**
 * A lock-order graph over 3 locks: `order(a, b)` adds the edge a -> b while fewer than
 * `maxSources` locks have outgoing edges, `forget(a, b)` removes it. Invariant: the graph has
 * no cycle (`cyclic`); `count`/`exists` appear in the guard and a cover.
 */
export function graphModel(maxSources: number): Model {
  const m = model('graph');
  const L = scalarset('Lock', 3, 'L');
  const edge = m.var('edge', bool, false, [L, L]);
  const a: Expr = { op: 'param', sort: L, name: 'a' };
  const b: Expr = { op: 'param', sort: L, name: 'b' };
  const sources = count(L, (x) => exists(L, (y) => edge.at(x, y)));
  const params = [{ name: 'a', sort: L }, { name: 'b', sort: L }];
  m.action('order', { params, body: [guard(and(not(edge.at(a, b)), lt(sources, maxSources))), set(edge.at(a, b), true)] });
  m.action('forget', { params, body: [guard(edge.at(a, b)), set(edge.at(a, b), false)] });
  m.invariant('graph.acyclic', 'lock-order cycle', not(cyclic(edge)));
  m.cover('graph.two-sources', 'two locks have outgoing edges', le(2, sources));
  m.noDeadlockCheck();
  return m.build();
}

const fixedModel = (name: string, variants: Record<string, () => Model>): ModelDef =>
  defineModel({
    name, doc: `test model ${name}`, bounds: [],
    variants: Object.keys(variants).map((v) => ({ name: v, doc: v, expect: 'pass' as const })),
    build: (variant) => variants[variant](),
  });

/** Every tiny model of the engine tests, as model definitions (for the differential test). */
export const tinyModels: ModelDef[] = [
  fixedModel('counters', { k3n2: () => counters(3, 2), array: () => counterArray(3, 2) }),
  fixedModel('two-steps', { t3: () => twoSteps(3) }),
  fixedModel('mutex', { ok: () => mutex(false), broken: () => mutex(true) }),
  fixedModel('philosophers', {
    n2: () => philosophers(2, false), n3: () => philosophers(3, false),
    n2fixed: () => philosophers(2, true), n3fixed: () => philosophers(3, true),
  }),
  fixedModel('props', {
    requires: requiresModel, bounds: boundsModel, ref: () => refModel(false), leak: () => refModel(true),
    cover: () => coverModel('vacuous'),
  }),
  fixedModel('graph', { one: () => graphModel(1), three: () => graphModel(3) }),
];
