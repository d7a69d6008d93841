/**
 * The Z3 worker thread: Z3 (WASM) is initialised once per process here, and answers one
 * request at a time (the client never sends the next one before the answer). Solvers are
 * addressed by id; assertions arrive as SMT-LIB text.
 */
import { parentPort } from 'node:worker_threads';
import { init } from 'z3-solver';

/** A request from the client; every request gets exactly one reply. */
export type Z3Request =
  /** `logic` picks Z3's solver for that logic (QF_BV: the incremental SAT solver). */
  | { op: 'new'; id: number; logic?: string }
  | { op: 'free'; id: number }
  | { op: 'add'; id: number; text: string }
  | { op: 'push'; id: number }
  | { op: 'pop'; id: number }
  /** `timeoutMs` 0 = none; `assume` names Bool constants assumed true for this check only. */
  | { op: 'check'; id: number; timeoutMs: number; assume?: string[] }
  /** Values in the last model: Int and bit-vector values as decimal strings, Bool as 'true'/'false'. */
  | { op: 'eval'; id: number; names: { name: string; sort: 'Int' | 'Bool' | number }[] }
  /** The assumptions in the unsat core of the last `unsat` check (their names). */
  | { op: 'core'; id: number }
  /** A whole SMT-LIB script (e.g. Horn clauses for Spacer) in a fresh command context: its output. */
  | { op: 'script'; text: string };

export type Z3Reply =
  | { ok: true; result?: 'sat' | 'unsat' | 'unknown'; reason?: string; values?: string[]; output?: string }
  | { ok: false; error: string };

const port = parentPort!;
const api = await init();
const ctx = new api.Context('main');
type Solver = InstanceType<typeof ctx.Solver>;
type Model = ReturnType<Solver['model']>;
const solvers = new Map<number, { s: Solver; model?: Model }>();
// Scripts run in their own context, reset before each one, so they see nothing of the solvers.
const scriptCtx = new api.Context('script');

function get(id: number) {
  const s = solvers.get(id);
  if (!s) throw new Error(`no solver ${id}`);
  return s;
}

async function handle(req: Z3Request): Promise<Z3Reply> {
  switch (req.op) {
    case 'new': solvers.set(req.id, { s: new ctx.Solver(req.logic) }); return { ok: true };
    case 'free': solvers.get(req.id)?.s.release(); solvers.delete(req.id); return { ok: true };
    case 'add': get(req.id).s.fromString(req.text); return { ok: true };
    case 'push': get(req.id).s.push(); return { ok: true };
    case 'pop': { const x = get(req.id); x.s.pop(); x.model = undefined; return { ok: true }; }
    case 'check': {
      const x = get(req.id);
      // Z3's timeout parameter is in milliseconds; its default (no limit) is UINT_MAX.
      x.s.set('timeout', req.timeoutMs > 0 ? req.timeoutMs : 4294967295);
      const result = await x.s.check(...(req.assume ?? []).map((n) => ctx.Bool.const(n)));
      x.model = result === 'sat' ? x.s.model() : undefined;
      return { ok: true, result, ...(result === 'unknown' ? { reason: x.s.reasonUnknown() } : {}) };
    }
    case 'core': {
      const core = get(req.id).s.unsatCore();
      const values: string[] = [];
      for (let i = 0; i < core.length(); i++) values.push(core.get(i).sexpr());
      return { ok: true, values };
    }
    case 'script': {
      const output = await api.Z3.eval_smtlib2_string(scriptCtx.ptr, `(reset)\n${req.text}`);
      return { ok: true, output };
    }
    case 'eval': {
      const x = get(req.id);
      if (!x.model) throw new Error('no model: the last check was not sat');
      const m = x.model;
      const values = req.names.map(({ name, sort }) => {
        const c = sort === 'Bool' ? ctx.Bool.const(name) : sort === 'Int' ? ctx.Int.const(name) : ctx.BitVec.const(name, sort);
        const v = m.eval(c, true);
        if (sort === 'Bool') return ctx.isTrue(v) ? 'true' : 'false';
        return (v as unknown as { value(): bigint }).value().toString();
      });
      return { ok: true, values };
    }
  }
}

port.on('message', (req: Z3Request) => {
  handle(req).then(
    (r) => port.postMessage(r),
    (err) => port.postMessage({ ok: false, error: (err as Error).message ?? String(err) }),
  );
});
port.postMessage({ ok: true, result: undefined, reason: 'ready' });
