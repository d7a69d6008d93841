/**
 * The helper threads of the parallel search, driven synchronously from the lead: commands and
 * chunk claims go through a shared control array (Atomics.wait/notify), the shared arrays and
 * the chunk results through one MessagePort per helper, read with receiveMessageOnPort. So
 * `checkExplicit` stays a synchronous function however many threads it uses.
 *
 * @example
 * const pool = new HelperPool(model, true, 1);   // boots while the lead searches on its own
 * if (pool.ready() > 0) outs = pool.level(arrays, start, end, chunks, cap, (k) => expander.expand(...));
 * pool.close();
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { Model } from '../../model/lang/ir.ts';
import { CMD_LEVEL, CMD_QUIT, CTRL, GEN_MASK, MAX_CHUNKS, type ChunkOutput, type SharedArrays } from './expand.ts';

const HELPER = new URL('./helper.mjs', import.meta.url);

export class HelperPool {
  readonly ctrl = new Int32Array(new SharedArrayBuffer(CTRL.size * 4));
  /** Per chunk: the level generation once a helper has finished it. */
  private readonly finished = new Int32Array(new SharedArrayBuffer((MAX_CHUNKS + 1) * 4));
  private workers: Worker[] = [];
  private ports: MessagePort[] = [];
  private sent?: SharedArrays;
  private gen = 0;

  /** Start `count` helpers; each compiles `model` itself. */
  constructor(model: Model, symmetry: boolean, count: number) {
    for (let i = 0; i < count; i++) {
      const { port1, port2 } = new MessageChannel();
      const w = new Worker(HELPER, { workerData: { model, symmetry, ctrlBuffer: this.ctrl.buffer, finishedBuffer: this.finished.buffer, port: port2 }, transferList: [port2] });
      w.unref();
      // A helper that dies is simply not used; the lead finishes the search on its own.
      w.on('error', () => undefined);
      this.workers.push(w);
      this.ports.push(port1);
    }
  }

  /** Helpers that have compiled the model and wait for work (never counts down). */
  ready(): number {
    return Atomics.load(this.ctrl, CTRL.ready);
  }

  /** Whether every helper has either started or failed. */
  settled(): boolean {
    return Atomics.load(this.ctrl, CTRL.ready) + Atomics.load(this.ctrl, CTRL.failed) >= this.workers.length;
  }

  /** Block until every helper has started or failed (tests, which force helpers onto given levels). */
  waitSettled(): void {
    while (!this.settled()) Atomics.wait(this.ctrl, CTRL.ready, this.ready(), 10);
  }

  /**
   * Expand level [start, end) in `chunks` chunks and return every chunk's result, in chunk order.
   * The lead claims chunks like the helpers (`expand(k)`); once none is left, it expands again
   * each chunk a helper has not finished (a helper the machine's load holds back would otherwise
   * hold up the level), dropping that work as soon as the helper's result is in: the first
   * complete result of a chunk is the one used.
   */
  level(arrays: SharedArrays, start: number, end: number, chunks: number, entryCap: number, backups: boolean,
    expand: (k: number, gen: number, abandon?: () => boolean) => ChunkOutput): ChunkOutput[] {
    const ctrl = this.ctrl;
    const finished = this.finished;
    this.gen = (this.gen + 1) & GEN_MASK || 1;
    const gen = this.gen;
    if (this.sent !== arrays) {
      for (const p of this.ports) p.postMessage(arrays);
      this.sent = arrays;
    }
    finished.fill(0, 0, chunks);
    ctrl[CTRL.levelStart] = start;
    ctrl[CTRL.levelEnd] = end;
    ctrl[CTRL.chunks] = chunks;
    ctrl[CTRL.entryCap] = entryCap;
    Atomics.store(ctrl, CTRL.entries, 0);
    Atomics.store(ctrl, CTRL.overflow, 0);
    Atomics.store(ctrl, CTRL.cmd, CMD_LEVEL);
    Atomics.store(ctrl, CTRL.next, gen << 16);
    Atomics.store(ctrl, CTRL.gen, gen);
    Atomics.notify(ctrl, CTRL.gen);
    const outs: ChunkOutput[] = new Array(chunks);
    let have = 0;
    const take = (o: ChunkOutput) => {
      if (o.gen !== gen || outs[o.chunk]) return;
      outs[o.chunk] = o;
      have++;
      // A helper still expanding this chunk stops.
      if (!o.aborted) Atomics.store(finished, o.chunk, gen);
    };
    for (;;) {
      const next = Atomics.load(ctrl, CTRL.next);
      if ((next & 0xffff) >= chunks) break;
      if (Atomics.compareExchange(ctrl, CTRL.next, next, next + 1) === next) take(expand(next & 0xffff, gen));
    }
    let backup = 0;
    while (have < chunks) {
      const signal = Atomics.load(ctrl, CTRL.done);
      for (const p of this.ports) {
        for (let m = receiveMessageOnPort(p); m; m = receiveMessageOnPort(p)) take(m.message as ChunkOutput);
      }
      if (have === chunks) break;
      while (backup < chunks && (outs[backup] || Atomics.load(finished, backup) === gen)) backup++;
      if (backups && backup < chunks) {
        const k = backup++;
        const abandon = () => Atomics.load(finished, k) === gen;
        const o = expand(k, gen, abandon);
        if (!(o.aborted && abandon())) take(o);
        continue;
      }
      // Every chunk is finished or being expanded here: wait for the helpers' results.
      Atomics.wait(ctrl, CTRL.done, signal, 5);
    }
    // A helper still on a chunk the lead expanded again (backups) stops within 64 states; no
    // helper may run into the merge or the next level (it would claim states there: lost ones).
    for (let b = Atomics.load(ctrl, CTRL.busy); b > 0; b = Atomics.load(ctrl, CTRL.busy)) Atomics.wait(ctrl, CTRL.busy, b, 5);
    return outs;
  }

  /** Set once the helpers are let go for the rest of the search (they did not pay). */
  retired = false;

  /** Let the helpers go; the search goes on without them. */
  retire(): void {
    this.retired = true;
    this.close();
  }

  /** Tell the helpers to stop and let them go (idempotent). */
  close(): void {
    Atomics.store(this.ctrl, CTRL.cmd, CMD_QUIT);
    Atomics.add(this.ctrl, CTRL.gen, 1);
    Atomics.notify(this.ctrl, CTRL.gen);
    for (const p of this.ports) p.close();
    for (const w of this.workers) void w.terminate();
    this.workers = [];
    this.ports = [];
  }
}
