/**
 * checker/parallel/expand.ts, two expanders on one set of shared arrays, run in turn on this
 * thread as if on two: a state found by another thread's expansion is recorded by the chunk that
 * meets it first in sequential order, even when the meeting expansion's token equals a token the
 * expander used in an earlier level (tokens are counted per control array, so they repeat). A
 * token-only test for "this expansion made it" once skipped such a state: its owner stayed the
 * later chunk (the numbering then differs from one thread's), and with backups a state was lost.
 */
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../checker/compile.ts';
import { initialState } from '../../checker/interpreter.ts';
import { toSlots } from '../../checker/layout.ts';
import { CTRL, ENTRY, ENTRY_META, EV_NEW, Expander, placeInitial, sharedArrays, sharedInts as shared, type ChunkOutput } from '../../checker/parallel/expand.ts';
import { twoSteps } from './models.ts';

describe('expansion tokens repeat across levels', () => {
  it('2 threads of `a; b`: (done, b), found from (done, a) in chunk 0 and from (b, b) in chunk 1, is owned and recorded by chunk 0', () => {
    const m = twoSteps(2);
    const c = compileModel(m);
    const W = c.layout.words, cap = 64 * 16;
    const init = toSlots(m, c.layout, initialState(m));
    const fresh = () => {
      const b = sharedArrays(shared(cap * W), shared(cap), shared(4096), shared(cap * ENTRY_META));
      placeInitial(c, undefined, init, b);
      return b;
    };
    const a = fresh();
    const ctrl = shared(CTRL.size);
    let stored = 1, nextId = 1;
    const level = () => {
      ctrl[CTRL.base] = nextId;
      ctrl[CTRL.entryCap] = cap - nextId;
      ctrl[CTRL.entries] = 0;
    };
    /** The lead's merge, in chunk order: an entry is stored at its owner chunk's record. */
    const merge = (outs: ChunkOutput[]) => {
      for (const o of outs) {
        for (let e = 0; e < o.nevents; e++) {
          const x = o.events[e * 4 + 2];
          if (o.events[e * 4 + 1] !== EV_NEW || a.entries[x * ENTRY_META + ENTRY.owner] !== o.chunk) continue;
          a.entries[x * ENTRY_META + ENTRY.owner] = -1;
          a.order[stored++] = nextId + x;
        }
      }
      nextId += ctrl[CTRL.entries];
    };
    const X = new Expander(c, undefined, 0), Y = new Expander(c, undefined, 0);
    const actions = m.actions.length;

    // Depth 0, by X (token 1): (a, a) -> (b, a), (a, b).
    level();
    merge([X.expand(a, ctrl, 0, 0, 0, 1, actions)]);
    expect(stored).toBe(3);
    // Depth 1, by Y alone (token 2, block 0 of that level).
    level();
    merge([Y.expand(a, ctrl, 0, 0, 1, 3, actions)]);
    expect(stored).toBe(6); // + (done, a), (b, b), (a, done)
    // Depth 2 in two chunks, [3, 4) and [4, 6): X takes chunk 1 first (token 3), then Y chunk 0
    // with token 2 again, the token of its expansion one level up.
    level();
    const second = X.expand(a, ctrl, 0, 1, 4, 6, actions);
    ctrl[CTRL.token] = 1;
    const first = Y.expand(a, ctrl, 0, 0, 3, 4, actions);
    // Every state X found that Y's chunk meets too is owned by chunk 0 and recorded by Y.
    const xNew = new Set<number>();
    for (let e = 0; e < second.nevents; e++) xNew.add(second.events[e * 4 + 2]);
    const yNew = new Set<number>();
    for (let e = 0; e < first.nevents; e++) if (first.events[e * 4 + 1] === EV_NEW) yNew.add(first.events[e * 4 + 2]);
    const sharedStates = [...xNew].filter((x) => a.entries[x * ENTRY_META + ENTRY.owner] === 0);
    expect(sharedStates.length).toBeGreaterThan(0);
    for (const x of sharedStates) expect(yNew.has(x)).toBe(true);
    // And the merged level has one thread's states: 1 + 2 + 3 + 2.
    merge([first, second]);
    const oneThread = (() => {
      const b = fresh();
      const k = shared(CTRL.size);
      let n = 1, id = 1, from = 0;
      const Z = new Expander(c, undefined, 0);
      for (let d = 0; d < 3; d++) {
        k[CTRL.base] = id; k[CTRL.entryCap] = cap - id; k[CTRL.entries] = 0;
        const to = n;
        const o = Z.expand(b, k, 0, 0, from, to, actions);
        for (let e = 0; e < o.nevents; e++) if (o.events[e * 4 + 1] === EV_NEW) b.order[n++] = id + o.events[e * 4 + 2];
        id += k[CTRL.entries];
        from = to;
      }
      return n;
    })();
    expect([stored, oneThread]).toEqual([8, 8]);
  });
});
