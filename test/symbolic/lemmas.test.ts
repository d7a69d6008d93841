/**
 * Bit-vector lemmas: the shipped page and Binder lemmas give their expected verdicts, each
 * refutation with its (hand-derived) smallest counterexample, re-checked in exact arithmetic.
 */
import { describe, expect, it } from 'vitest';
import { checkLemmas, type LemmaResult } from '../../checker/symbolic/index.ts';
import { builtinLemmas, lemma, lemmaGroups, word, lit } from '../../model/lemmas/index.ts';
import { evalFact } from '../../checker/symbolic/bv-eval.ts';

describe('built-in lemmas', () => {
  let results: LemmaResult[];
  const byId = (id: string) => results.find((r) => r.id === id)!;

  it('every built-in lemma gives its expected verdict', async () => {
    results = await checkLemmas(builtinLemmas);
    expect(results.map((r) => [r.id, r.verdict])).toEqual(builtinLemmas.map((l) => [l.id, l.expect]));
    expect(results.every((r) => r.asExpected)).toBe(true);
    expect(Object.keys(lemmaGroups)).toEqual(['page', 'binder']);
  });

  it("PAGE_MASK: the Rust patch's PAGE_SIZE - 1 is not C's ~(PAGE_SIZE-1), with both values", () => {
    const r = byId('page.mask-c-vs-rust-v1');
    expect(r.verdict).toBe('refuted');
    // 4 KiB pages, 64-bit usize: ~0xfff and 0xfff.
    expect(r.shown).toEqual({ C_PAGE_MASK: '0xfffffffffffff000', RUST_V1_PAGE_MASK: '0xfff' });
    expect(r.counterexample).toEqual({});
  });

  it("masking with the patch's PAGE_MASK does not page-align: smallest address 0x1", () => {
    const r = byId('page.mask-rust-v1-aligns');
    expect(r.counterexample).toEqual({ addr: '0x1' });
    expect(r.shown).toEqual({ masked: '0x1' });
  });

  it('page_align: None exactly on overflow, Some(r) the next boundary; proved', () => {
    expect(byId('page.align-none-exactly-on-overflow').verdict).toBe('proved');
    expect(byId('page.align-some-is-next-boundary').verdict).toBe('proved');
    expect(byId('page.mask-c-rounds-down').verdict).toBe('proved');
  });

  it('page_align without the overflow check wraps: smallest address 2^64 - 4095 gives 0', () => {
    const r = byId('page.align-wrapping-add');
    expect(r.counterexample).toEqual({ addr: '0xfffffffffffff001' });
    expect(r.shown).toEqual({ result: '0x0' });
  });

  it("Binder's freed range (start rounded up, end rounded down) never takes a neighbour's page", () => {
    expect(byId('binder.freed-range-spares-neighbours').verdict).toBe('proved');
  });

  it('rounding the start down takes page 0 of a neighbour at [0, 1) when [1, 4096) is freed', () => {
    const r = byId('binder.freed-range-start-rounded-down');
    expect(r.counterexample).toEqual({ off: '0x1', size: '0xfff', noff: '0x0', nsize: '0x1', page: '0x0' });
  });
});

describe('lemma checking', () => {
  it('a refutation is re-checked in exact arithmetic and is the smallest one', async () => {
    const x = word('x');
    // 3 is invertible modulo 2^8, so x = 2 is the only x with x * 3 == 6 (8-bit, wrapping).
    const l = lemma({ id: 't.mul', doc: 'x * 3 is never 6 (8-bit)', claim: x.mul(3).ne(6), expect: 'refuted', width: 8 });
    const [r] = await checkLemmas([l]);
    expect(r.verdict).toBe('refuted');
    expect(r.counterexample).toEqual({ x: '0x2' });
    expect(evalFact(l.claim, { x: 2n }, 8)).toBe(false);
    // 86 * 3 = 258 wraps to 2, not 6.
    expect(evalFact(l.claim, { x: 86n }, 8)).toBe(true);
  });

  it('a per-query timeout gives unknown, never proved (factoring a 62-bit semiprime, 50 ms)', async () => {
    const p = word('p'), q = word('q');
    const n = 2147483647n * 2147483629n;
    const l = lemma({
      id: 't.factor', doc: 'n has no factors below 2^32', expect: 'proved',
      assume: [p.gt(1), q.gt(1), p.lt(lit(1n << 32n)), q.lt(lit(1n << 32n))],
      claim: p.mul(q).ne(n),
    });
    const [r] = await checkLemmas([l], { smtTimeoutMs: 50 });
    expect(r.verdict).toBe('unknown');
    expect(r.reason).toBe('Z3 returned unknown (timeout)');
    expect(r.asExpected).toBe(false);
  });
});
