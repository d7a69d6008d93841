/**
 * The expression builders' results (model/lang/expr.ts): which operands `cannotFail` (and so may
 * be folded away by and/or: a faulting read under and/or/ite is still evaluated, checked through
 * a model's bounds violation), the literal folding of and/or/not/ite, the sort `ite` gives its
 * result (the option sort when one branch is the option of the other), quantifiers' bound
 * variables (nested ones do not shadow each other), `sortOfLike`, and a scalar's index sorts.
 */
import { describe, expect, it } from 'vitest';
import {
  model, range, bool, enumeration, option, cyclic, guard, set, add, eq, ne, lt, and, or, not, ite, implies,
  forall, exists, count, lit, cannotFail, sortOfLike, TRUE, FALSE, BOOL, INT, type Expr, type ExprLike, type ModelBuilder,
} from '../../model/lang/index.ts';
import { runCheck } from '../../checker/check.ts';
import { counter } from './counter-model.ts';


/** A model whose `probe` is guarded by `or(X, true)`, X built from i and arr; its check result. */
function probeOrTrue(name: string, make: (i: ExprLike, arr: (k: ExprLike) => ExprLike) => Expr) {
  const { m, i, arr } = counter(name);
  m.action('probe', { body: [guard(or(make(i, (k) => arr.at(k)), true))] });
  return runCheck(m.build());
}

describe('cannotFail: what reads no variable', () => {
  const m = model('cannot-fail');
  const i = m.var('i', range(0, 2), 0);
  const arr = m.var('arr', bool, false, [range(0, 1)]);
  const Node = enumeration('Node', ['n1', 'n2']);
  const order = m.var('order', bool, false, [Node, Node]);

  it('cyclic reads a graph the engine always has: it cannot fail, and folds away', () => {
    expect(cannotFail(cyclic(order))).toBe(true);
    expect(cannotFail(not(cyclic(order)))).toBe(true);
    expect(or(not(cyclic(order)), true)).toEqual(TRUE);
    expect(and(cyclic(order), false)).toEqual(FALSE);
  });

  it('and/or can fail when any operand can', () => {
    expect(cannotFail(and(arr.at(i), eq(1, 1)))).toBe(false);
    expect(cannotFail(or(eq(1, 1), arr.at(i)))).toBe(false);
    expect(cannotFail(and(eq(1, 1), ne(2, 3)))).toBe(true);
  });

  it('ite can fail when its condition or either branch can', () => {
    expect(cannotFail(ite(eq(1, 1), 1, 2))).toBe(true);
    expect(cannotFail(ite(lt(i, 5), arr.at(i), false))).toBe(false);
    expect(cannotFail(ite(eq(1, 1), arr.at(i), false))).toBe(false);
    expect(cannotFail(ite(eq(1, 1), false, arr.at(i)))).toBe(false);
    expect(cannotFail(ite(lt(i, 1), true, false))).toBe(false);
  });

  it('an ite that cannot fail is folded away before an absorbing literal', () => {
    expect(or(ite(eq(1, 1), true, false), true)).toEqual(TRUE);
    expect(and(ite(eq(1, 2), true, false), false)).toEqual(FALSE);
  });

  it('an and whose first operand reads arr[i] is still evaluated under or(…, true): bounds at i = 2', () => {
    const r = probeOrTrue('and-read', (i, arr) => and(arr(i), eq(1, 1)));
    expect(r.verdict).toBe('violation');
    expect(r.property).toMatchObject({ id: 'bounds', action: 'probe' });
    expect(r.trace?.steps.map((s) => s.action)).toEqual(['next', 'next', 'probe']);
  });

  it('an ite whose branch reads arr[i] is still evaluated (literal-free condition)', () => {
    const r = probeOrTrue('ite-branch-read', (_i, arr) => ite(eq(1, 1), arr(_i), false));
    expect(r.verdict).toBe('violation');
    expect(r.property).toMatchObject({ id: 'bounds', action: 'probe' });
    expect(r.trace?.steps.map((s) => s.action)).toEqual(['next', 'next', 'probe']);
  });

  it('an ite whose condition and branch read variables is still evaluated', () => {
    const r = probeOrTrue('ite-cond-read', (i, arr) => ite(lt(i, 5), arr(i), false));
    expect(r.property).toMatchObject({ id: 'bounds', action: 'probe' });
    expect(r.trace?.steps).toHaveLength(3);
  });

  it('without the faulting read the same model passes (3 states)', () => {
    const r = probeOrTrue('no-read', () => ite(eq(1, 1), true, false));
    expect([r.verdict, r.stats.states]).toEqual(['pass', 3]);
  });
});

describe('literal folding', () => {
  const m = model('folding');
  const b = m.var('b', bool, false);
  const x = m.var('x', range(0, 3), 0);

  it('an empty or all-neutral and/or is its neutral literal', () => {
    expect(and()).toEqual(TRUE);
    expect(or()).toEqual(FALSE);
    expect(and(true, true)).toEqual(TRUE);
    expect(or(false)).toEqual(FALSE);
    expect(and(true, b)).toEqual(b.e);
  });

  it('not of a literal is the other literal; not(not(e)) is e', () => {
    expect(not(true)).toEqual(FALSE);
    expect(not(false)).toEqual(TRUE);
    expect(not(eq(1, 1))).toEqual({ op: 'not', sort: BOOL, a: eq(1, 1) });
    expect(not(not(b))).toEqual(b.e);
    expect(not(not(eq(x, 2)))).toEqual(eq(x, 2));
  });

  it('ite with a literal condition is the branch it picks', () => {
    expect(ite(true, x, 3)).toEqual(x.e);
    expect(ite(false, x, 3)).toEqual({ op: 'lit', sort: INT, value: 3 });
    expect(ite(not(true), b, true)).toEqual(TRUE);
    expect(ite(b, x, 3)).toEqual({ op: 'ite', sort: INT, c: b.e, t: x.e, e: { op: 'lit', sort: INT, value: 3 } });
  });

  it('implies builds a bool of both sides', () => {
    expect(implies(b, eq(x, 1))).toEqual({ op: 'implies', sort: BOOL, a: b.e, b: eq(x, 1) });
  });
});

describe('ite takes the wider sort of an option and its base', () => {
  const Thread = enumeration('Thread', ['T1', 'T2']);
  const Owner = option(Thread);

  function owned() {
    const m = model('ite-option');
    const owner = m.var('owner', Owner, 'none');
    const held = m.var('held', bool, false);
    return { m, owner, held };
  }

  it('the option sort whichever branch has it', () => {
    const { owner, held } = owned();
    expect(ite(held, owner, lit(Thread, 'T1')).sort).toEqual(Owner);
    expect(ite(held, lit(Thread, 'T1'), owner).sort).toEqual(Owner);
    expect(ite(held, lit(Thread, 'T1'), lit(Thread, 'T2')).sort).toEqual(Thread);
    expect(ite(held, true, false).sort).toEqual(BOOL);
  });

  it("so 'none' resolves against it, and a model comparing with it checks: 2 states, pass", () => {
    const { m, owner, held } = owned();
    const who = ite(held, lit(Thread, 'T1'), owner);
    expect(eq(who, 'none')).toMatchObject({ b: { op: 'lit', sort: Owner, value: 2 } });
    m.action('take', { body: [guard(not(held)), set(held, true), set(owner, 'T1')] });
    m.final(held);
    m.invariant('owner.named', 'held without the owner T1', implies(held, eq(ite(held, lit(Thread, 'T1'), owner), owner)));
    m.invariant('owner.none', 'owner set while free', implies(not(held), eq(who, 'none')));
    const r = runCheck(m.build());
    expect([r.verdict, r.stats.states, r.stats.transitions]).toEqual(['pass', 2, 1]);
  });
});

describe('quantifiers', () => {
  const Thread = enumeration('Thread', ['T1', 'T2']);
  /** One step, x from 0 to 1: two states for the invariants to hold in. */
  const tick = (m: ModelBuilder) => {
    const x = m.var('x', range(0, 1), 0);
    m.action('tick', { body: [guard(lt(x, 1)), set(x, add(x, 1))] });
  };

  it('nested quantifiers bind distinct variables: every thread has another one', () => {
    const e = forall(Thread, (t) => exists(Thread, (u) => ne(t, u)));
    const f = forall(Thread, (t) => exists(Thread, (u) => ne(t, u)));
    expect(e.op === 'forall' && f.op === 'forall' && e.v !== f.v).toBe(true);
    const m = model('nested-quantifiers');
    tick(m);
    m.invariant('q.other', 'some thread has no other', e);
    m.invariant('q.count', 'not two threads with another', eq(count(Thread, (t) => exists(Thread, (u) => ne(u, t))), 2));
    m.noDeadlockCheck();
    const r = runCheck(m.build());
    expect([r.verdict, r.stats.states]).toEqual(['pass', 2]);
  });

  it('a false nested quantifier is reported in the initial state', () => {
    const m = model('nested-quantifiers-fail');
    tick(m);
    m.invariant('q.same', 'not every pair equal', forall(Thread, (t) => forall(Thread, (u) => eq(t, u))));
    m.noDeadlockCheck();
    const r = runCheck(m.build());
    expect(r.verdict).toBe('violation');
    expect(r.property).toMatchObject({ id: 'q.same' });
    expect(r.trace?.steps).toHaveLength(0);
  });
});

describe('sortOfLike', () => {
  const m = model('sort-of-like');
  const State = enumeration('State', ['idle', 'busy']);
  const s = m.var('s', State, 'idle');
  const x = m.var('x', range(0, 3), 0);

  it('a Ref has its sort, an Expr its sort, a boolean bool, a number int, a name none', () => {
    expect(sortOfLike(s)).toEqual(State);
    expect(sortOfLike(x)).toEqual(range(0, 3));
    expect(sortOfLike(eq(x, 1))).toEqual(BOOL);
    expect(sortOfLike(add(x, 1))).toEqual(INT);
    expect(sortOfLike(true)).toEqual(BOOL);
    expect(sortOfLike(false)).toEqual(BOOL);
    expect(sortOfLike(3)).toEqual(INT);
    expect(sortOfLike(0)).toEqual(INT);
    expect(sortOfLike('idle')).toBeUndefined();
  });
});

describe('Ref index sorts', () => {
  it('a scalar has none; an array cell has the array index sorts', () => {
    const m = model('index-sorts');
    const x = m.var('x', range(0, 3), 0);
    const arr = m.var('arr', bool, false, [range(0, 1)]);
    expect(x.indexSorts).toEqual([]);
    expect(arr.at(1).indexSorts).toEqual([range(0, 1)]);
  });
});
