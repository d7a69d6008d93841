/**
 * Binder's freed-range page indices (docs/kernel-protocols.md §5.2): when a buffer
 * `[off, off+size)` is freed, `FreedRange { start_page_idx: ceil(off / PAGE_SIZE), end_page_idx:
 * floor((off+size) / PAGE_SIZE) }` names the pages it covered completely; `stop_using_range` puts
 * exactly those on the LRU, where the shrinker may free them. A page still used by a neighbouring
 * buffer (one that does not overlap the freed one) must never be among them. Offsets are within
 * the mapping (at most SZ_4M), so nothing wraps.
 */
import { lemma, lit, word, any, type Lemma, type Word } from './lang.ts';

const PAGE_SHIFT = 12n;
const PAGE_SIZE = 1n << PAGE_SHIFT;
const SZ_4M = 4n << 20n;

const off = word('off'), size = word('size');
const noff = word('noff'), nsize = word('nsize');
const i = word('page');

const inMapping = (o: Word, s: Word) => [o.le(SZ_4M), s.le(SZ_4M), o.add(s).le(SZ_4M)];
const disjoint = any(noff.add(nsize).le(off), off.add(size).le(noff));
/** The neighbour `[noff, noff+nsize)` touches page i. */
const neighbourUses = (p: Word) => p.shl(PAGE_SHIFT).lt(noff.add(nsize)).and(p.add(1).shl(PAGE_SHIFT).gt(noff));
const endIdx = off.add(size).shr(PAGE_SHIFT);
const assumptions = [...inMapping(off, size), ...inMapping(noff, nsize), nsize.gt(0), disjoint, i.lt(lit(SZ_4M / PAGE_SIZE))];

export const binderLemmas: Lemma[] = [
  lemma({
    id: 'binder.freed-range-spares-neighbours',
    doc: 'pages [ceil(off/PAGE), floor((off+size)/PAGE)) of a freed buffer are never used by a disjoint neighbour',
    assume: assumptions,
    claim: off.add(PAGE_SIZE - 1n).shr(PAGE_SHIFT).le(i).and(i.lt(endIdx)).implies(neighbourUses(i).not()),
    expect: 'proved',
  }),
  lemma({
    id: 'binder.freed-range-start-rounded-down',
    doc: 'with the start index rounded down (floor(off/PAGE)) the freed range can take a neighbour\'s page',
    assume: assumptions,
    claim: off.shr(PAGE_SHIFT).le(i).and(i.lt(endIdx)).implies(neighbourUses(i).not()),
    expect: 'refuted',
  }),
];
