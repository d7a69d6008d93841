/**
 * Random models with interchangeable threads, for the symmetry differential test. A seed gives
 * one model: 2 or 3 member threads `T1..Tn` running one random program (2–4 steps drawn from
 * templates, some in an `either`), optionally an environment thread `E` with its own program,
 * over a shared counter `c` (0..3), an owner `owner: option(Thread)` (a thread-valued cell, so
 * renaming changes values too), a per-thread counter `l[T]` and flag `f[T]`. Properties: the
 * deadlock check, and optionally an invariant over shared state and a `count` over the members.
 * Every template treats the members alike, so each model passes `m.symmetric`'s check.
 *
 * @example
 * const { model, members } = symmetricModel(7);
 */
import {
  model, range, bool, option, step, either, guard, set, when, requires, eq, ne, lt, le, ge, add, sub, not, and, implies, count, lit,
  type Expr, type Model, type ProgStmt, type StmtLike,
} from '../../model/lang/index.ts';

/** A small deterministic generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function symmetricModel(seed: number): { model: Model; members: string[] } {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const n = r() < 0.5 ? 2 : 3;
  const members = Array.from({ length: n }, (_, i) => `T${i + 1}`);
  const env = r() < 0.4;
  const m = model(`sym${seed}`);
  const T = m.threads([...members, ...(env ? ['E'] : [])]);
  m.symmetric(members);
  const c = m.var('c', range(0, 3), pick([0, 1]), []);
  const owner = m.var('owner', option(T.sort), 'none', []);
  const l = m.var('l', range(0, 2), 0, [T.sort]);
  const f = m.var('f', bool, false, [T.sort]);
  const none = 'none';
  const stmts = (self: Expr): StmtLike[][] => [
    [set(c, add(c, 1))],
    [guard(lt(c, 3)), set(c, add(c, 1))],
    [guard(ge(c, 1)), set(c, sub(c, 1))],
    [guard(eq(owner, none)), set(owner, self)],
    [set(owner, self)],
    [when(eq(owner, self), [set(owner, none)])],
    [requires('sym.owner', 'used without owning', eq(owner, self)), set(l.at(self), add(l.at(self), 1))],
    [set(l.at(self), add(l.at(self), 1))],
    [guard(lt(l.at(self), 2)), set(l.at(self), add(l.at(self), 1)), set(f.at(self), not(f.at(self)))],
    [set(f.at(self), true), when(ne(owner, none), [set(c, add(c, 1))])],
    [requires('sym.cap', 'counter full', lt(c, 3)), set(c, add(c, 1))],
    [guard(f.at(self)), set(f.at(self), false)],
  ];
  const body = (self: Expr, prefix: string, k: number): ProgStmt[] => {
    const out: ProgStmt[] = [];
    const all = stmts(self);
    for (let i = 0; i < k; i++) {
      if (r() < 0.25) out.push(either(`${prefix}e${i}`, [step(`${prefix}s${i}a`, ...pick(all))], [step(`${prefix}s${i}b`, ...pick(all))]));
      else out.push(step(`${prefix}s${i}`, ...pick(all)));
    }
    return out;
  };
  const k = 2 + Math.floor(r() * 3);
  const prog = body({ op: 'param', sort: T.sort, name: 'self' }, '', k);
  m.program('member', members, () => prog);
  if (env) {
    m.program('env', ['E'], () => [
      step('e0', ...pick([[set(owner, none)], [guard(ge(c, 1)), set(c, sub(c, 1))], [set(c, 0)]] as StmtLike[][])),
      step('e1', ...pick([[guard(eq(owner, none)), set(c, add(c, 1))], [set(owner, none)]] as StmtLike[][])),
    ]);
  }
  const inv = pick<Expr | undefined>([
    undefined, le(c, 2), implies(ne(owner, none), ge(c, 1)), le(count(T.sort, (t) => f.at(t)), 1),
    not(and(eq(c, 3), eq(owner, none))), le(count(T.sort, (t) => eq(l.at(t), 2)), 1),
  ]);
  if (inv) m.invariant('sym.inv', 'the random invariant', inv);
  return { model: m.build(), members };
}

export { lit };
