/**
 * A helper's warm-up: before it says it is ready, a helper searches a few levels of the model on
 * its own, in private arrays, so that V8 has compiled its expansion code (Expander.expand, the
 * model's successors and pack, the canonicaliser) before it takes a share of the real search.
 * Without it, a helper's first shared levels ran in the interpreter and while its optimising
 * compiler took the other core: on mm with 7 senders, 2 workers, the first shared level went at
 * 420 states/ms against the lead's 1,400 alone, and the helpers were let go as not paying.
 */
import type { Model } from '../../model/lang/ir.ts';
import type { CompiledModel } from '../compile.ts';
import { initialState } from '../interpreter.ts';
import { toSlots } from '../layout.ts';
import type { Canonicaliser } from '../symmetry.ts';
import { CTRL, ENTRY, ENTRY_META, EV_NEW, placeInitial, sharedArrays, sharedInts, type Expander } from './expand.ts';

/**
 * Breadth-first search of `model` from its initial state with `expander`, in private arrays of
 * `cap` states, until `ms` milliseconds have passed, the arrays are full or no state is new.
 * Returns the states stored (a test checks them against the one-thread count on a tiny model).
 *
 * @example
 * warmUp(model, c, sym, expander, 60);   // then Atomics.add(ctrl, CTRL.ready, 1)
 */
export function warmUp(model: Model, c: CompiledModel, sym: Canonicaliser | undefined, expander: Expander, ms: number, cap = 1 << 15): number {
  const t0 = performance.now();
  const W = c.layout.words;
  const tsize = 1 << Math.ceil(Math.log2(cap * 2 + 1));
  const a = sharedArrays(sharedInts(cap * W), sharedInts(cap), sharedInts(tsize), sharedInts(cap * ENTRY_META));
  const ctrl = sharedInts(CTRL.size);
  placeInitial(c, sym, toSlots(model, c.layout, initialState(model)), a);
  // `stored`: states numbered in `order`; `nextId`: ids handed out (a level's base).
  let stored = 1, nextId = 1, levelStart = 0, levelEnd = 1;
  while (levelStart < levelEnd && performance.now() - t0 < ms) {
    ctrl[CTRL.base] = nextId;
    ctrl[CTRL.entryCap] = cap - nextId;
    ctrl[CTRL.entries] = 0;
    // Two chunks, the second first and as if on another thread: the first then meets states the
    // "other thread" found, lowers their owner and records them, as in a shared level.
    const mid = levelStart + ((levelEnd - levelStart) >> 1);
    const second = expander.expand(a, ctrl, 0, 1, mid, levelEnd, model.actions.length);
    expander.forgetBlocks();
    const first = expander.expand(a, ctrl, 0, 0, levelStart, mid, model.actions.length);
    if (first.aborted || second.aborted) break;
    for (const out of [first, second]) {
      for (let e = 0; e < out.nevents; e++) {
        if (out.events[e * 4 + 1] !== EV_NEW) continue;
        const x = out.events[e * 4 + 2];
        if (a.entries[x * ENTRY_META + ENTRY.owner] !== out.chunk) continue; // the other chunk's, or stored
        a.entries[x * ENTRY_META + ENTRY.owner] = -1;
        a.order[stored++] = nextId + x;
      }
    }
    nextId += Math.min(ctrl[CTRL.entries], cap - nextId);
    levelStart = levelEnd;
    levelEnd = stored;
  }
  return stored;
}
