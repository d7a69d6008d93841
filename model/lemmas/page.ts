/**
 * Page address arithmetic (docs/kernel-protocols.md §4.2 constants): `PAGE_SIZE = 1 <<
 * PAGE_SHIFT`, C's `PAGE_MASK = ~(PAGE_SIZE-1)` (include/asm-generic/page.h) against the first
 * Rust `Page` patch's `PAGE_MASK: usize = PAGE_SIZE - 1` (the opposite set of bits), and
 * `page_align(addr) -> Option<usize>`, which is None on overflow. 4 KiB pages, 64-bit usize.
 */
import { lemma, lit, word, type Lemma } from './lang.ts';

export const PAGE_SHIFT = 12n;
const PAGE_SIZE = lit(1n << PAGE_SHIFT);
/** C: `#define PAGE_MASK (~(PAGE_SIZE-1))`. */
const C_PAGE_MASK = PAGE_SIZE.sub(1).not();
/** The Rust patch (v1 of "rust: add abstraction for struct page"): `PAGE_SIZE - 1`. */
const RUST_V1_PAGE_MASK = PAGE_SIZE.sub(1);
const USIZE_MAX = lit((1n << 64n) - 1n);

const addr = word('addr');

/** Rust `page_align`: `addr.checked_add(PAGE_SIZE - 1)` then `& PAGE_MASK`; None on overflow. */
const alignNone = addr.addOverflows(PAGE_SIZE.sub(1));
const aligned = addr.add(PAGE_SIZE.sub(1)).and(C_PAGE_MASK);

export const pageLemmas: Lemma[] = [
  lemma({
    id: 'page.mask-c-vs-rust-v1',
    doc: "the Rust patch's PAGE_MASK (PAGE_SIZE - 1) equals C's ~(PAGE_SIZE-1)",
    claim: RUST_V1_PAGE_MASK.eq(C_PAGE_MASK),
    show: { C_PAGE_MASK, RUST_V1_PAGE_MASK },
    expect: 'refuted',
  }),
  lemma({
    id: 'page.mask-rust-v1-aligns',
    doc: "addr & PAGE_MASK with the Rust patch's mask is page aligned (as every C caller assumes)",
    claim: addr.and(RUST_V1_PAGE_MASK).and(PAGE_SIZE.sub(1)).eq(0),
    show: { masked: addr.and(RUST_V1_PAGE_MASK) },
    expect: 'refuted',
  }),
  lemma({
    id: 'page.mask-c-rounds-down',
    doc: 'addr & PAGE_MASK (C) is the page start: aligned, at most addr, less than PAGE_SIZE below it',
    claim: addr.and(C_PAGE_MASK).and(PAGE_SIZE.sub(1)).eq(0)
      .and(addr.and(C_PAGE_MASK).le(addr), addr.sub(addr.and(C_PAGE_MASK)).lt(PAGE_SIZE)),
    expect: 'proved',
  }),
  lemma({
    id: 'page.align-none-exactly-on-overflow',
    doc: 'page_align(addr) is None exactly when no page-aligned usize is >= addr (addr > usize::MAX & PAGE_MASK)',
    claim: alignNone.iff(addr.gt(USIZE_MAX.and(C_PAGE_MASK))),
    expect: 'proved',
  }),
  lemma({
    id: 'page.align-some-is-next-boundary',
    doc: 'when page_align(addr) is Some(r): r is aligned, r >= addr and r - addr < PAGE_SIZE',
    assume: [alignNone.not()],
    claim: aligned.and(PAGE_SIZE.sub(1)).eq(0).and(aligned.ge(addr), aligned.sub(addr).lt(PAGE_SIZE)),
    expect: 'proved',
  }),
  lemma({
    id: 'page.align-wrapping-add',
    doc: 'without the overflow check ((addr + PAGE_SIZE - 1) & PAGE_MASK, wrapping) the result is >= addr',
    claim: aligned.ge(addr),
    show: { result: aligned },
    expect: 'refuted',
  }),
];
