/**
 * The affine hull of sampled count vectors (count-houdini's equality candidates), by hand.
 */
import { describe, expect, it } from 'vitest';
import { affineEqualities } from '../../checker/symbolic/count-houdini.ts';

/** Each equality as `coef=rhs`, sign fixed so the first non-zero coefficient is positive. */
const show = (eqs: { coef: bigint[]; rhs: bigint }[]) => eqs.map(({ coef, rhs }) => {
  const s = coef.find((x) => x !== 0n)! < 0n ? -1n : 1n;
  return `${coef.map((x) => x * s).join(',')}=${rhs * s}`;
}).sort();

describe('affineEqualities', () => {
  it('one point in the plane: x = 3 and y = -2', () => {
    expect(show(affineEqualities([[3, -2]]))).toEqual(['0,1=-2', '1,0=3']);
  });

  it('points on the diagonal: x - y = 0, whatever their order or repetition', () => {
    expect(show(affineEqualities([[2, 2], [0, 0], [2, 2], [5, 5]]))).toEqual(['1,-1=0']);
  });

  it('a line in space: x + y = 1 and z = 2', () => {
    expect(show(affineEqualities([[1, 0, 2], [0, 1, 2], [2, -1, 2]]))).toEqual(['0,0,1=2', '1,1,0=1']);
  });

  it('points spanning the space: no equality', () => {
    expect(affineEqualities([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]])).toEqual([]);
  });

  it('integer coefficients: 2x = 3y through the origin (not x = 1.5y)', () => {
    expect(show(affineEqualities([[0, 0], [3, 2], [6, 4]]))).toEqual(['2,-3=0']);
  });

  it('10,000 points of a plane 2a + b - c = 7 (most skipped as already in the hull): that one equality', () => {
    const pts: number[][] = [];
    for (let a = 0; a < 100; a++) for (let b = 0; b < 100; b++) pts.push([a, b, 2 * a + b - 7]);
    expect(show(affineEqualities(pts))).toEqual(['2,1,-1=7']);
  });

  it('a point off the plane found after thousands on it: no equality left', () => {
    const pts: number[][] = [];
    for (let a = 0; a < 50; a++) for (let b = 0; b < 50; b++) pts.push([a, b, 2 * a + b - 7]);
    pts.push([0, 0, 0]);
    expect(affineEqualities(pts)).toEqual([]);
  });
});
