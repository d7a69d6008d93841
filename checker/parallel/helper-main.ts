/**
 * The helper thread's loop: compile the model (compilation is deterministic, so every thread
 * runs the same code), say it is ready, then expand chunks of each level the lead announces
 * until told to quit. Chunk results go back on the helper's port; a failure goes back as a
 * chunk result with `failure` set. A helper may fall a level behind (the lead finished its
 * chunk for it): its late result carries the old generation and is dropped.
 */
import { workerData, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { Model } from '../../model/lang/ir.ts';
import { compileModel } from '../compile.ts';
import { canonicaliser } from '../symmetry.ts';
import { CMD_QUIT, CTRL, Expander, GEN_MASK, chunkRange, type ChunkOutput, type SharedArrays } from './expand.ts';
import { warmUp } from './warm-up.ts';

const { model, symmetry, ctrlBuffer, finishedBuffer, port } = workerData as { model: Model; symmetry: boolean; ctrlBuffer: SharedArrayBuffer; finishedBuffer: SharedArrayBuffer; port: MessagePort };
/** How long a helper searches the model on its own before it says it is ready. */
const HELPER_WARM_UP_MS = 50;
const ctrl = new Int32Array(ctrlBuffer);
const finished = new Int32Array(finishedBuffer);
let expander: Expander;
let actions = 0;
try {
  const c = compileModel(model);
  const sym = symmetry ? canonicaliser(model, c.layout) : undefined;
  expander = new Expander(c, sym, model.properties.filter((p) => p.kind === 'cover').length);
  actions = model.actions.length;
  // Its code optimised before it takes a share of the search (warm-up.ts).
  warmUp(model, c, sym, expander, HELPER_WARM_UP_MS);
} catch {
  Atomics.add(ctrl, CTRL.failed, 1);
  Atomics.notify(ctrl, CTRL.ready);
  port.close();
  process.exit(0);
}
Atomics.add(ctrl, CTRL.ready, 1);
Atomics.notify(ctrl, CTRL.ready);

let arrays: SharedArrays | undefined;
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, CTRL.gen, seen);
  seen = Atomics.load(ctrl, CTRL.gen);
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) arrays = m.message as SharedArrays;
  if (Atomics.load(ctrl, CTRL.cmd) === CMD_QUIT) break;
  if (!arrays) continue;
  const levelGen = seen & GEN_MASK;
  const start = ctrl[CTRL.levelStart], end = ctrl[CTRL.levelEnd], chunks = ctrl[CTRL.chunks];
  const shared = arrays;
  for (;;) {
    // Busy from before the claim to after the chunk: the lead ends a level only once no helper
    // is still expanding one of its chunks (a chunk it expanded again itself, backups).
    Atomics.add(ctrl, CTRL.busy, 1);
    try {
      if (!claimAndExpand()) break;
    } finally {
      Atomics.sub(ctrl, CTRL.busy, 1);
      Atomics.notify(ctrl, CTRL.busy);
    }
  }

  /** Claim the next chunk of this level and expand it; false when none is left. */
  function claimAndExpand(): boolean {
    // Claim the next chunk of this level only: a stale generation claims nothing.
    const next = Atomics.load(ctrl, CTRL.next);
    if (next >>> 16 !== levelGen || (next & 0xffff) >= chunks) return false;
    if (Atomics.compareExchange(ctrl, CTRL.next, next, next + 1) !== next) return true;
    const k = next & 0xffff;
    const [from, to] = chunkRange(start, end, chunks, k);
    let out: ChunkOutput;
    try {
      // Stop when the lead has expanded this chunk itself, or has moved on to another level.
      out = expander.expand(shared, ctrl, levelGen, k, from, to, actions, undefined,
        () => Atomics.load(finished, k) === levelGen || Atomics.load(ctrl, CTRL.gen) !== seen);
    } catch (err) {
      out = { gen: levelGen, chunk: k, from, info: new Int32Array(0), events: new Int32Array(0), nevents: 0, fired: new Uint8Array(0), exact: true, aborted: true, failure: String((err as Error)?.stack ?? err) };
    }
    // Marked finished first: the lead then drops its own expansion of this chunk, if any.
    if (!out.aborted) Atomics.store(finished, k, levelGen);
    port.postMessage(out, [out.info.buffer as ArrayBuffer, out.events.buffer as ArrayBuffer, out.fired.buffer as ArrayBuffer]);
    Atomics.add(ctrl, CTRL.done, 1);
    Atomics.notify(ctrl, CTRL.done);
    return true;
  }
}
port.close();
