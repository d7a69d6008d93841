/**
 * The three benchmark shapes written twice, in protocheck (bench/shapes/*.ts) and in Promela
 * (bench/shapes/*.pml), with one-to-one states: what each file is called, its bug variant in
 * both languages, and the sizes `npm run bench` (bench/spin.ts) measures.
 *
 * @example
 * const mm = SHAPES.find((s) => s.name === 'mm')!;
 * runSpin(mm, 3, { bug: true }); // bench/shapes/spin-run.ts
 */

/** One shape: the same protocol in both languages. */
export interface Shape {
  name: string;
  /** What the shape is, in a few words (the bench prints it). */
  doc: string;
  /** The protocheck model file (a `defineModel` with a bound `n`), relative to the repo root. */
  ts: string;
  /** The Promela twin (`-DN=<n>` sets the threads), relative to the repo root. */
  pml: string;
  /** Other bounds, the same on both sides (protocheck `--bound k=v`, Promela `-Dk=v`). */
  fixed: Record<string, number>;
  /** The protocheck bound named `fixed[k]` is spelt this way in the Promela file. */
  pmlNames?: Record<string, string>;
  bug: {
    /** The protocheck variant. */
    variant: string;
    /** The `-D` symbol that selects it in the Promela file. */
    define: string;
    /** The property protocheck reports. */
    property: string;
    /** Part of the assertion pan reports ("assertion violated <expr>"). */
    assertion: string;
    /** Steps of the shortest trace (pan reports the depth of the state before the last step). */
    steps: number;
  };
  /** Values of `n` for the bench: SPIN takes from well under a second up to about a minute. */
  sizes: number[];
}

export const SHAPES: Shape[] = [
  {
    name: 'mm', doc: 'mm_users/mm_count: owner + N senders + kworker',
    ts: 'bench/shapes/mm.ts', pml: 'bench/shapes/mm.pml', fixed: {},
    bug: { variant: 'pasid-freed-in-mmput', define: 'K10', property: 'mm.pasid-use-after-free', assertion: 'mm_pasid_valid', steps: 3 },
    // ×6 states per sender: 8 is 3.4 M, 9 about 20 M (10, about 120 M, needs ~15 GB in pan).
    sizes: [6, 7, 8, 9],
  },
  {
    name: 'vma', doc: 'mmap_lock rwsem + per-VMA lock: N readers + munmap',
    ts: 'bench/shapes/vma.ts', pml: 'bench/shapes/vma.pml', fixed: {},
    bug: { variant: 'no-wait-readers', define: 'NO_WAIT_READERS', property: 'vma.use-after-free', assertion: '!(vma_freed)', steps: 7 },
    // ×4.5 states per reader: 8 is 1.7 M, 10 about 35 M.
    sizes: [6, 8, 9, 10],
  },
  {
    name: 'binder', doc: 'first-fit buffers over 3 pages, lazy install, LRU, shrinker: N workers',
    ts: 'bench/shapes/binder.ts', pml: 'bench/shapes/binder.pml', fixed: { pages: 3 }, pmlNames: { pages: 'P' },
    bug: { variant: 'zap-after-mutex-unlock', define: 'ZAP_AFTER_UNLOCK', property: 'binder.page-not-in-use', assertion: 'page_installed[buf]', steps: 9 },
    // ×25 states per worker: 5 is 1.4 M, 6 about 35 M.
    sizes: [4, 5, 6],
  },
];
