/**
 * Running engines so that Ctrl-C is answered. The explicit search is one synchronous loop: a
 * SIGINT handler on its thread would run only after it ends. So the engine runs in a worker
 * thread (cli/engine-worker.mjs) that posts its progress; the main thread stays free, and on
 * SIGINT or SIGTERM it stops the worker and throws Interrupted with the figures reached (the
 * CLI prints them and exits 130). The model is sent as its IR (plain data), the Result comes back.
 *
 * @example
 * const host = new EngineHost();            // starts the worker now, while the model loads
 * try {
 *   const r = await host.run(model, 'auto', { maxSeconds: 60 }, progress.update);
 * } finally {
 *   await host.close();
 * }
 */
import { Worker } from 'node:worker_threads';
import type { Model } from '../model/lang/ir.ts';
import type { EngineName, EngineOptions } from '../checker/engines.ts';
import { EXIT, type Result } from '../checker/result.ts';
import { InternalError, TooLargeError } from '../checker/check.ts';
import { ModelError } from '../model/lang/expr.ts';

/** Figures of a running search, as the engines report them about once a second. */
export interface RunProgress {
  states: number;
  depth: number;
  statesPerSecond: number;
  seconds: number;
}

/** A run stopped by a signal: what it had reached, for one line and exit 130. */
export class Interrupted extends Error {
  readonly exitCode = EXIT.interrupted;
  /** Marks the error for code that must not take it for a model error (ci's runner). */
  readonly interrupted = true;
  constructor(readonly signal: string, readonly progress: RunProgress | undefined, readonly seconds: number, what: string) {
    super(`interrupted by ${signal === 'SIGINT' ? 'Ctrl-C (SIGINT)' : signal} while checking ${what}: ${reached(progress, seconds)}; no verdict`);
    this.name = 'Interrupted';
  }
}

function reached(p: RunProgress | undefined, seconds: number): string {
  if (!p) return `stopped after ${seconds.toFixed(1)} s, before the first progress report`;
  return `${p.states} states, depth ${p.depth} reached in ${p.seconds.toFixed(1)} s (stopped after ${seconds.toFixed(1)} s)`;
}

/** Whether an error is an Interrupted (also across module copies). */
export function isInterrupted(err: unknown): err is Interrupted {
  return (err as { interrupted?: unknown })?.interrupted === true;
}

type Message =
  | { kind: 'progress'; progress: RunProgress }
  | { kind: 'result'; result: Result }
  | { kind: 'error'; name: string; message: string; stack?: string; exitCode?: number };

/** An engine error rebuilt on the main thread with the class the CLI maps to an exit code. */
function rebuild(m: Extract<Message, { kind: 'error' }>): Error {
  const err = m.name === 'TooLargeError' ? new TooLargeError(m.message)
    : m.name === 'InternalError' ? new InternalError(m.message)
      : m.name === 'ModelError' ? new ModelError(m.message)
        : Object.assign(new Error(m.message), m.exitCode !== undefined ? { exitCode: m.exitCode } : {});
  if (m.stack) err.stack = m.stack;
  return err;
}

const WORKER = new URL('./engine-worker.mjs', import.meta.url);

/** One worker, started at construction and reused by every `run` (one at a time). */
export class EngineHost {
  private worker?: Worker;

  constructor() {
    this.worker = this.start();
  }

  private start(): Worker {
    const w = new Worker(WORKER);
    w.unref();
    return w;
  }

  /**
   * Run `engine` on `model` in the worker; `onProgress` gets its progress. Rejects with
   * Interrupted on SIGINT/SIGTERM (the worker is stopped), or with the engine's own error.
   * `what` names the run in the interrupted message (default: the model's name).
   */
  run(model: Model, engine: EngineName, opts: EngineOptions, onProgress?: (p: RunProgress) => void, what = model.name): Promise<Result> {
    const w = this.worker ?? (this.worker = this.start());
    const { onProgress: _drop, ...plain } = opts;
    const t0 = performance.now();
    let last: RunProgress | undefined;
    return new Promise<Result>((resolve, reject) => {
      const cleanup = () => {
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigterm);
      };
      const onMessage = (m: Message) => {
        if (m.kind === 'progress') {
          last = m.progress;
          onProgress?.(m.progress);
          return;
        }
        cleanup();
        if (m.kind === 'result') resolve(m.result);
        else reject(rebuild(m));
      };
      const onError = (err: Error) => {
        cleanup();
        this.worker = undefined;
        reject(new InternalError(`the engine worker failed: ${err.message}`));
      };
      const onExit = (code: number) => {
        cleanup();
        this.worker = undefined;
        reject(new InternalError(`the engine worker exited (code ${code}) without a result`));
      };
      const stop = (signal: string) => {
        cleanup();
        const ended = this.worker;
        this.worker = undefined;
        void ended?.terminate();
        reject(new Interrupted(signal, last, (performance.now() - t0) / 1000, what));
      };
      const onSigint = () => stop('SIGINT');
      const onSigterm = () => stop('SIGTERM');
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      process.on('SIGINT', onSigint);
      process.on('SIGTERM', onSigterm);
      w.ref();
      w.postMessage({ model, engine, opts: plain });
    }).finally(() => this.worker?.unref());
  }

  /** Stop the worker (idempotent). */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}
