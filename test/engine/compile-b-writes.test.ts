/**
 * The code generator's writes (checker/compile.ts writeCode, currentValue, sameExpr, store):
 * the fast `if (path)` form of a write under `when` is taken only when the write's else branch
 * really is the cell's current value. Steps whose assigns are spliced together by hand (two
 * writes to one cell, a user-written `ite` whose else branch looks like an earlier write) must
 * give the interpreter's successors on every reachable state, and exact counts.
 */
import { describe, expect, it } from 'vitest';
import type { Assign, Model } from '../../model/lang/ir.ts';
import { model, range, bool, set, eq, add, sub, ite, param, lt, not } from '../../model/lang/index.ts';
import { exhaustiveAgreement } from './helpers.ts';

const exhaustive = exhaustiveAgreement;

/** A model whose action `name` has the assigns of the source actions `from`, in order. */
function splice(m: Model, name: string, from: string[]): Model {
  const pick = (n: string) => m.actions.find((a) => a.name === n)!;
  const assigns: Assign[] = from.flatMap((n) => pick(n).assigns);
  const actions = m.actions
    .filter((a) => !a.name.startsWith('src_'))
    .map((a) => (a.name === name ? { ...a, assigns } : a));
  return { ...m, actions };
}

/** With `arr`, a flag f, indexes p, q and an array a[0..1] of 0..2; else x in 0..2, y, z in 0..1 and f. Actions move each. */
function base(arr = false) {
  const m = model('writes');
  const f = m.var('f', bool, false);
  m.action('flip', { body: [set(f, not(f))] });
  const cycle = (v: ReturnType<typeof m.var>, hi: number) => m.action(`m${v.name}`, { body: [set(v, ite(lt(v, hi), add(v, 1), 0))] });
  m.noDeadlockCheck();
  if (arr) {
    const p = m.var('p', range(0, 1), 0);
    const q = m.var('q', range(0, 1), 0);
    const a = m.var('a', range(0, 2), 0, [range(0, 1)]);
    cycle(p, 1); cycle(q, 1);
    m.action('ma', { body: [set(a.at(p), ite(lt(a.at(p), 2), add(a.at(p), 1), 0))] });
    return { m, f, p, q, a, x: p, y: p, z: p };
  }
  const x = m.var('x', range(0, 2), 0);
  const y = m.var('y', range(0, 1), 0);
  const z = m.var('z', range(0, 1), 0);
  cycle(x, 2); cycle(y, 1); cycle(z, 1);
  return { m, f, x, y, z, p: x, q: x, a: x };
}

describe('compiled writes equal the interpreter', () => {
  it('an earlier write to the same scalar, then a user ite reading the pre-state', () => {
    const { m, x, f } = base();
    m.action('t', { body: [] });
    m.action('src_1', { body: [set(x, 1)] });
    m.action('src_2', { body: [set(x, ite(f, 2, x))] });
    const built = splice(m.build(), 't', ['src_1', 'src_2']);
    expect(exhaustive(built)).toEqual([24, 120, 0]);
  });

  it('a write to another scalar whose value is the ite else branch', () => {
    const { m, x, y, f } = base();
    m.action('t', { body: [] });
    m.action('src_1', { body: [set(y, 1)] });
    m.action('src_2', { body: [set(x, ite(f, 2, 1))] });
    const built = splice(m.build(), 't', ['src_1', 'src_2']);
    expect(exhaustive(built)).toEqual([24, 120, 0]);
  });

  it('writes to a[p] then a[q] (indexes not constant)', () => {
    const { m, a, p, q, f } = base(true);
    m.action('t', { body: [] });
    m.action('src_1', { body: [set(a.at(p), 1)] });
    m.action('src_2', { body: [set(a.at(q), ite(f, 2, a.at(q)))] });
    const built = splice(m.build(), 't', ['src_1', 'src_2']);
    expect(exhaustive(built)).toEqual([72, 360, 0]);
  });

  it('writes to a[0] then a[1] (constant indexes, different cells)', () => {
    const { m, a, f } = base(true);
    m.action('t', { body: [] });
    m.action('src_1', { body: [set(a.at(0), 1)] });
    m.action('src_2', { body: [set(a.at(1), ite(f, 2, 1))] });
    const built = splice(m.build(), 't', ['src_1', 'src_2']);
    expect(exhaustive(built)).toEqual([72, 360, 0]);
  });

  it('an earlier write of y+1, then an ite whose else branch is z+1', () => {
    const { m, x, y, z, f } = base();
    m.action('t', { body: [] });
    m.action('src_1', { body: [set(x, add(y, 1))] });
    m.action('src_2', { body: [set(x, ite(f, 0, add(z, 1)))] });
    const built = splice(m.build(), 't', ['src_1', 'src_2']);
    expect(exhaustive(built)).toEqual([24, 120, 0]);
  });

  it('a write at a user-written ite index: the index of the branch taken is the one checked', () => {
    // a[ite(f, x, y)] := ite(f, 1, a[ite(f, x, y)]): when f holds only x must be in range, else only y.
    const m = model('ite-index');
    const f = m.var('f', bool, false);
    const x = m.var('x', range(0, 2), 0);
    const y = m.var('y', range(0, 2), 0);
    const a = m.var('a', range(0, 1), 0, [range(0, 1)]);
    m.action('flip', { body: [set(f, not(f))] });
    m.action('mx', { body: [set(x, ite(lt(x, 2), add(x, 1), 0))] });
    m.action('my', { body: [set(y, ite(lt(y, 2), add(y, 1), 0))] });
    const idx = ite(f, x, y);
    m.action('w', { body: [set(a.at(idx), ite(f, 1, a.at(idx)))] });
    m.noDeadlockCheck();
    expect(exhaustive(m.build())).toEqual([72, 288, 24]);
  });

  it('a write at an ite index under a path constant per instance (params)', () => {
    const m = model('ite-index-param');
    const y = m.var('y', range(0, 2), 0);
    const a = m.var('a', range(0, 1), 0, [range(0, 1)]);
    const i = param('i', range(0, 1));
    m.action('my', { body: [set(y, ite(lt(y, 2), add(y, 1), 0))] });
    const idx = ite(eq(i, 0), 0, y);
    m.action('w', { params: [i], body: [set(a.at(idx), ite(eq(i, 0), 1, a.at(idx)))] });
    m.noDeadlockCheck();
    expect(exhaustive(m.build())).toEqual([6, 18, 2]);
  });

  it('a constant below the sort is a bad write (status -1), per parameter value', () => {
    const m = model('below');
    const x = m.var('x', range(0, 3), 1);
    const i = param('i', range(0, 2));
    m.action('w', { params: [i], body: [set(x, sub(i, 1))] });
    m.noDeadlockCheck();
    const built = m.build();
    expect(exhaustive(built)).toEqual([2, 6, 2]);
  });
});
