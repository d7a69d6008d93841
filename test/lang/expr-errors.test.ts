/**
 * The expression builders' errors (model/lang/expr.ts): each bad operand throws a ModelError
 * (its `name` too) with the exact one-line message naming the operator and the sorts involved:
 * non-integer literals, enumeration/scalarset values a sort lacks (one past the end included),
 * strings with no sort to resolve against, non-expressions, and every operator's sort check.
 */
import { describe, expect, it } from 'vitest';
import {
  model, range, bool, enumeration, scalarset, ex, lit, add, sub, eq, ne, lt, le, gt, ge, not, implies, ite, set,
  ModelError, type ExprLike,
} from '../../model/lang/index.ts';

/** The error `f` throws, which must be a ModelError. */
function thrown(f: () => unknown): Error {
  let err: unknown;
  try { f(); } catch (e) { err = e; }
  expect(err).toBeInstanceOf(ModelError);
  return err as Error;
}

/** Expect `f` to throw a ModelError with exactly this message. */
function rejects(f: () => unknown, message: string): void {
  expect(thrown(f).message).toBe(message);
}

const m = model('expr-errors');
const b = m.var('b', bool, false);
const x = m.var('x', range(0, 3), 0);
const State = enumeration('State', ['idle', 'busy']);
const s = m.var('s', State, 'idle');
const Page = scalarset('Page', 2, 'P');

describe('ModelError', () => {
  it('is named ModelError', () => {
    const err = thrown(() => not(x));
    expect(err.name).toBe('ModelError');
    expect(String(err)).toBe('ModelError: not needs a bool, got 0..3');
  });
});

describe('literals and names', () => {
  it('a number that is not an integer', () => {
    rejects(() => add(x, 1.5), 'literal 1.5 is not an integer');
    rejects(() => ex(-0.25), 'literal -0.25 is not an integer');
  });

  it('a number outside an enumeration or scalarset', () => {
    rejects(() => eq(s, 5), '5 is not a value of State');
    rejects(() => lit(State, 2), '2 is not a value of State');
    rejects(() => lit(Page, -1), '-1 is not a value of Page');
    expect(lit(State, 1)).toEqual({ op: 'lit', sort: State, value: 1 });
    expect(lit(Page, 1)).toEqual({ op: 'lit', sort: Page, value: 1 });
  });

  it('a string with nothing typed to resolve it against', () => {
    rejects(() => eq('idle', 'busy'), "cannot tell the sort of 'idle': compare it with a typed expression");
    rejects(() => ex('idle'), "cannot tell the sort of 'idle': compare it with a typed expression");
  });

  it('a scalarset name one past the last value', () => {
    // Page has P1 and P2: P3 would be value 2, which the sort does not have.
    expect(lit(Page, 'P2')).toEqual({ op: 'lit', sort: Page, value: 1 });
    rejects(() => lit(Page, 'P3'), "'P3' is not a value of Page");
    rejects(() => lit(State, 'done'), "'done' is not a value of State");
  });

  it('a string against a number, a bool or an unbounded integer', () => {
    rejects(() => set(x, 'idle'), "'idle' is not a value of 0..3");
    rejects(() => eq(b, 'idle'), "'idle' is not a value of bool");
    rejects(() => eq(add(x, 1), 'idle'), "'idle' is not a value of int");
    rejects(() => ex('3', range(0, 5)), "'3' is not a value of 0..5");
  });

  it('something that is no expression at all', () => {
    rejects(() => ex(null as unknown as ExprLike), 'not an expression: null');
    rejects(() => ex(undefined as unknown as ExprLike), 'not an expression: undefined');
    rejects(() => ex({} as unknown as ExprLike), 'not an expression: [object Object]');
  });
});

describe('operator sort checks name the operator', () => {
  it('arithmetic needs numbers on both sides', () => {
    rejects(() => add(b, 1), '+ needs a number, got bool');
    rejects(() => add(1, b), '+ needs a number, got bool');
    rejects(() => sub(b, 1), '- needs a number, got bool');
    rejects(() => sub(1, s), '- needs a number, got State');
  });

  it('comparisons', () => {
    rejects(() => eq(b, 1), '==: cannot compare bool with int');
    rejects(() => ne(b, 1), '!=: cannot compare bool with int');
    rejects(() => ne(s, x), '!=: cannot compare State with 0..3');
    rejects(() => lt(b, 1), '< needs a number, got bool');
    rejects(() => le(1, b), '<= needs a number, got bool');
    rejects(() => gt(s, 1), '> needs a number, got State');
    rejects(() => ge(x, b), '>= needs a number, got bool');
  });

  it('boolean operators', () => {
    rejects(() => not(x), 'not needs a bool, got 0..3');
    rejects(() => implies(x, b), 'implies needs a bool, got 0..3');
    rejects(() => implies(b, s), 'implies needs a bool, got State');
  });

  it('ite: a bool condition and branches of compatible sorts', () => {
    rejects(() => ite(x, 1, 2), 'ite needs a bool, got 0..3');
    rejects(() => ite(b, b, 1), 'ite: cannot compare bool with int');
    rejects(() => ite(b, s, x), 'ite: cannot compare State with 0..3');
  });
});
