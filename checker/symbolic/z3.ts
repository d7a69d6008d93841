/**
 * The client side of the Z3 worker thread. One worker per process, started on first use and
 * initialised once; requests are queued so that Z3 sees one at a time. While no request is in
 * flight the worker is unref'd, so a process that is done with Z3 exits by itself.
 *
 * A check has a timeout (Z3's own parameter) that yields `unknown`; a watchdog terminates the
 * worker if Z3 does not return well after it, and that too yields `unknown`, never a pass.
 *
 * @example
 * const s = await openSolver();
 * await s.add('(declare-const x Int) (assert (> x 2))');
 * (await s.check(1000)).result; // 'sat'
 * (await s.eval([{ name: 'x', sort: 'Int' }]))[0]; // '3'
 */
import { Worker } from 'node:worker_threads';
import type { Z3Reply, Z3Request } from './z3-worker.ts';

export interface CheckAnswer {
  result: 'sat' | 'unsat' | 'unknown';
  reason?: string;
}

/** The worker went away (watchdog or crash); the solver's assertions are lost. */
export class Z3Lost extends Error {}

/** Extra time Z3 gets past its own timeout before the watchdog ends the worker. */
const WATCHDOG_GRACE_MS = 5000;

class Z3Client {
  private worker?: Worker;
  private ready?: Promise<void>;
  private chain: Promise<unknown> = Promise.resolve();
  private inFlight = 0;
  private waiting?: { resolve: (r: Z3Reply) => void; reject: (e: Error) => void };
  private nextId = 1;
  /** Bumped whenever the worker is replaced; solvers of an older generation are lost. */
  generation = 0;

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const entry = new URL('./z3-worker.ts', import.meta.url).href;
    const w = new Worker(new URL('./z3-boot.mjs', import.meta.url), { workerData: { entry } });
    this.worker = w;
    this.ready = new Promise<void>((resolve, reject) => {
      const first = (m: Z3Reply) => {
        w.off('error', fail);
        if (m.ok) resolve(); else reject(new Error(m.error));
        w.on('message', (r: Z3Reply) => this.waiting?.resolve(r));
      };
      const fail = (e: Error) => reject(e);
      w.once('message', first);
      w.once('error', fail);
    });
    w.on('error', (e) => this.lose(e));
    w.on('exit', () => this.lose(new Z3Lost('the Z3 worker exited')));
    return this.ready;
  }

  private lose(e: Error): void {
    if (!this.worker) return;
    this.worker = undefined;
    this.ready = undefined;
    this.generation++;
    const w = this.waiting;
    this.waiting = undefined;
    w?.reject(e instanceof Z3Lost ? e : new Z3Lost(`the Z3 worker failed: ${e.message}`));
  }

  newId(): number {
    return this.nextId++;
  }

  /** Send one request after every earlier one has been answered. */
  request(req: Z3Request, watchdogMs = 0): Promise<Z3Reply> {
    const run = async (): Promise<Z3Reply> => {
      await this.start();
      const w = this.worker;
      if (!w) throw new Z3Lost('the Z3 worker exited while starting');
      this.inFlight++;
      w.ref();
      try {
        return await new Promise<Z3Reply>((resolve, reject) => {
          let timer: NodeJS.Timeout | undefined;
          const done = () => { if (timer) clearTimeout(timer); this.waiting = undefined; };
          this.waiting = { resolve: (r) => { done(); resolve(r); }, reject: (e) => { done(); reject(e); } };
          if (watchdogMs > 0) {
            timer = setTimeout(() => {
              const pending = this.waiting;
              this.waiting = undefined;
              this.lose(new Z3Lost('Z3 did not return after its timeout'));
              void w.terminate();
              pending?.resolve({ ok: true, result: 'unknown', reason: 'timeout (Z3 ended by the watchdog)' });
            }, watchdogMs);
          }
          w.postMessage(req);
        });
      } finally {
        this.inFlight--;
        if (this.inFlight === 0 && this.worker === w) w.unref();
      }
    };
    const p = this.chain.then(run, run);
    this.chain = p.catch(() => undefined);
    return p;
  }

  async shutdown(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    await this.chain;
    this.lose(new Z3Lost('Z3 was shut down'));
    await w.terminate();
  }
}

const client = new Z3Client();

/** A Z3 solver in the worker. */
export class Solver {
  private constructor(readonly id: number, private generation: number) {}

  static async open(logic?: string): Promise<Solver> {
    const id = client.newId();
    const s = new Solver(id, -1);
    await s.call({ op: 'new', id, ...(logic ? { logic } : {}) }, true);
    s.generation = client.generation;
    return s;
  }

  private async call(req: Z3Request, fresh = false, watchdogMs = 0): Promise<Z3Reply & { ok: true }> {
    if (!fresh && this.generation !== client.generation) throw new Z3Lost('the Z3 worker was restarted; this solver is gone');
    const r = await client.request(req, watchdogMs);
    if (!r.ok) throw new Error(`Z3: ${r.error}`);
    return r;
  }

  /** Assert SMT-LIB text (declarations and assertions). */
  async add(text: string): Promise<void> {
    if (text.trim()) await this.call({ op: 'add', id: this.id, text });
  }
  async push(): Promise<void> { await this.call({ op: 'push', id: this.id }); }
  async pop(): Promise<void> { await this.call({ op: 'pop', id: this.id }); }

  /** Check satisfiability; `timeoutMs` 0 means no limit. `unknown` carries Z3's reason. */
  async check(timeoutMs = 0, assume: string[] = []): Promise<CheckAnswer> {
    const watchdog = timeoutMs > 0 ? timeoutMs + WATCHDOG_GRACE_MS : 0;
    const r = await this.call({ op: 'check', id: this.id, timeoutMs, assume }, false, watchdog);
    return { result: r.result!, ...(r.reason ? { reason: r.reason } : {}) };
  }

  /** Values of constants in the model of the last `sat` check. */
  async eval(names: { name: string; sort: 'Int' | 'Bool' | number }[]): Promise<string[]> {
    if (names.length === 0) return [];
    return (await this.call({ op: 'eval', id: this.id, names })).values!;
  }

  /** The names of the assumptions in the unsat core of the last `unsat` check. */
  async core(): Promise<string[]> {
    return (await this.call({ op: 'core', id: this.id })).values!;
  }

  private scopes = 0;
  /** After a `query` with `assume` and `wantCore` that was unsat: its unsat core (assumption names, the query's own literal included). */
  lastCore?: string[];

  /**
   * Check the assertions plus the temporary `text` (declarations and one `(assert …)` per line)
   * and read `read` from the model if sat. The temporary assertions are guarded by a fresh
   * literal assumed for this check only, rather than push/pop: Z3's incremental SAT solver
   * (QF_BV) has returned models that break earlier assertions after pops.
   */
  async query(text: string, timeoutMs: number, read: { name: string; sort: 'Int' | 'Bool' | number }[], assume: string[] = [], wantCore = false): Promise<CheckAnswer & { values?: string[] }> {
    const q = `$scope${this.id}_${++this.scopes}`;
    const guarded = text.split('\n').map((line) => {
      const m = /^\(assert (.*)\)$/.exec(line);
      return m ? `(assert (=> ${q} ${m[1]}))` : line;
    });
    await this.add([`(declare-const ${q} Bool)`, ...guarded].join('\n'));
    const r = await this.check(timeoutMs, [q, ...assume]);
    const values = r.result === 'sat' ? await this.eval(read) : undefined;
    // The core only when the caller reads it: one per unsat query is a vector of thousands of
    // assumption names to build and send back for nothing.
    this.lastCore = wantCore && r.result === 'unsat' && assume.length ? await this.core() : undefined;
    // The literal is never assumed again; asserting its negation lets Z3 drop those clauses.
    await this.add(`(assert (not ${q}))`);
    return values ? { ...r, values } : r;
  }

  async free(): Promise<void> {
    if (this.generation !== client.generation) return;
    await this.call({ op: 'free', id: this.id });
  }
}

/** Open a fresh solver, optionally for one SMT-LIB logic (e.g. 'QF_BV'). */
export function openSolver(logic?: string): Promise<Solver> {
  return Solver.open(logic);
}

/**
 * Run a whole SMT-LIB script in the worker (a fresh command context each time) and return what
 * Z3 printed. `timeoutMs` > 0 arms the watchdog: if Z3 has not answered `timeoutMs` plus a grace
 * period later, the worker is ended and the answer is `undefined` (treat it as unknown). The
 * script sets Z3's own `:timeout` itself.
 *
 * @example
 * await runScript('(set-logic HORN) (declare-fun P (Int) Bool) (assert (forall ((x Int)) (=> (= x 0) (P x)))) (check-sat)', 0); // 'sat\n'
 */
export async function runScript(text: string, timeoutMs = 0): Promise<string | undefined> {
  const r = await client.request({ op: 'script', text }, timeoutMs > 0 ? timeoutMs + WATCHDOG_GRACE_MS : 0);
  if (!r.ok) throw new Error(`Z3: ${r.error}`);
  return r.output;
}

/** Terminate the Z3 worker (optional: an idle worker does not keep the process alive). */
export function shutdownZ3(): Promise<void> {
  return client.shutdown();
}
