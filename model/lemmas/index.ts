/**
 * The built-in bit-vector lemmas, by group (`protocheck lemmas [group]`).
 */
import type { Lemma } from './lang.ts';
import { pageLemmas } from './page.ts';
import { binderLemmas } from './binder.ts';

export * from './lang.ts';

export const lemmaGroups: Record<string, Lemma[]> = {
  page: pageLemmas,
  binder: binderLemmas,
};

/** Every built-in lemma, in group order. */
export const builtinLemmas: Lemma[] = Object.values(lemmaGroups).flat();
