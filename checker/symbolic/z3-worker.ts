/**
 * The Z3 worker thread: Z3 (WASM) is initialised once per process here, and answers one
 * request at a time (the client never sends the next one before the answer). Solvers are
 * addressed by id; assertions arrive as SMT-LIB text.
 */
import { parentPort } from 'node:worker_threads';
import { init, Z3_ast_print_mode, Z3_error_code, Z3_lbool } from 'z3-solver';
import type { Z3_ast, Z3_context, Z3_model, Z3_solver } from 'z3-solver';

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
// Z3's low-level C API only, every reference counted by hand. The high-level API hands its
// objects (ASTs, models, vectors, params) to a FinalizationRegistry whose callbacks call Z3's
// dec_ref whenever V8 collects them, also while an asynchronous check is running on Z3's own
// thread: two threads in Z3's allocator at once, which corrupted its heap here ("memory access
// out of bounds", a few runs in ten of the guided PDR learner).
const { Z3 } = await init();

function newContext(): Z3_context {
  const cfg = Z3.mk_config();
  const c = Z3.mk_context_rc(cfg);
  Z3.del_config(cfg);
  Z3.set_ast_print_mode(c, Z3_ast_print_mode.Z3_PRINT_SMTLIB2_COMPLIANT);
  return c;
}
const c = newContext();
// Scripts run in their own context, reset before each one, so they see nothing of the solvers.
const scriptCtx = newContext();

/** Z3 reports errors through an error code on the context (its handler does not throw). */
function ok<T>(v: T): T {
  const code = Z3.get_error_code(c);
  if (code !== Z3_error_code.Z3_OK) throw new Error(Z3.get_error_msg(c, code));
  return v;
}

interface Held { s: Z3_solver; model?: Z3_model }
const solvers = new Map<number, Held>();

function get(id: number): Held {
  const s = solvers.get(id);
  if (!s) throw new Error(`no solver ${id}`);
  return s;
}

function dropModel(x: Held): void {
  if (x.model !== undefined) Z3.model_dec_ref(c, x.model);
  x.model = undefined;
}

/** A constant of the given sort, with one reference the caller must drop. */
function constant(name: string, sort: 'Int' | 'Bool' | number): Z3_ast {
  const sym = Z3.mk_string_symbol(c, name);
  const srt = sort === 'Bool' ? Z3.mk_bool_sort(c) : sort === 'Int' ? Z3.mk_int_sort(c) : Z3.mk_bv_sort(c, sort);
  const a = ok(Z3.mk_const(c, sym, srt));
  Z3.inc_ref(c, a);
  return a;
}

function setSolverTimeout(s: Z3_solver, ms: number): void {
  const p = Z3.mk_params(c);
  Z3.params_inc_ref(c, p);
  try {
    // Z3's timeout is in milliseconds; its default (no limit) is UINT_MAX.
    Z3.params_set_uint(c, p, Z3.mk_string_symbol(c, 'timeout'), ms > 0 ? ms : 4294967295);
    ok(Z3.solver_set_params(c, s, p));
  } finally {
    Z3.params_dec_ref(c, p);
  }
}

async function check(x: Held, req: { timeoutMs: number; assume?: string[] }): Promise<Z3Reply> {
  dropModel(x);
  setSolverTimeout(x.s, req.timeoutMs);
  const assume = (req.assume ?? []).map((n) => constant(n, 'Bool'));
  let r: number;
  try {
    r = ok(await Z3.solver_check_assumptions(c, x.s, assume));
  } finally {
    for (const a of assume) Z3.dec_ref(c, a);
  }
  if (r === Z3_lbool.Z3_L_TRUE) {
    x.model = ok(Z3.solver_get_model(c, x.s));
    Z3.model_inc_ref(c, x.model);
    return { ok: true, result: 'sat' };
  }
  if (r === Z3_lbool.Z3_L_FALSE) return { ok: true, result: 'unsat' };
  return { ok: true, result: 'unknown', reason: ok(Z3.solver_get_reason_unknown(c, x.s)) };
}

function core(x: Held): string[] {
  const v = ok(Z3.solver_get_unsat_core(c, x.s));
  Z3.ast_vector_inc_ref(c, v);
  try {
    const names: string[] = [];
    const n = Z3.ast_vector_size(c, v);
    for (let i = 0; i < n; i++) names.push(Z3.ast_to_string(c, Z3.ast_vector_get(c, v, i)));
    return names;
  } finally {
    Z3.ast_vector_dec_ref(c, v);
  }
}

function evaluate(x: Held, names: { name: string; sort: 'Int' | 'Bool' | number }[]): string[] {
  const m = x.model;
  if (m === undefined) throw new Error('no model: the last check was not sat');
  return names.map(({ name, sort }) => {
    const t = constant(name, sort);
    try {
      const v = ok(Z3.model_eval(c, m, t, true));
      if (v === null) throw new Error(`Z3 could not evaluate ${name}`);
      Z3.inc_ref(c, v);
      try {
        if (sort === 'Bool') return Z3.get_bool_value(c, v) === Z3_lbool.Z3_L_TRUE ? 'true' : 'false';
        return ok(Z3.get_numeral_string(c, v));
      } finally {
        Z3.dec_ref(c, v);
      }
    } finally {
      Z3.dec_ref(c, t);
    }
  });
}

async function handle(req: Z3Request): Promise<Z3Reply> {
  switch (req.op) {
    case 'new': {
      const s = ok(req.logic ? Z3.mk_solver_for_logic(c, Z3.mk_string_symbol(c, req.logic)) : Z3.mk_solver(c));
      Z3.solver_inc_ref(c, s);
      solvers.set(req.id, { s });
      return { ok: true };
    }
    case 'free': {
      const x = solvers.get(req.id);
      if (x) { dropModel(x); Z3.solver_dec_ref(c, x.s); solvers.delete(req.id); }
      return { ok: true };
    }
    case 'add': ok(Z3.solver_from_string(c, get(req.id).s, req.text)); return { ok: true };
    case 'push': ok(Z3.solver_push(c, get(req.id).s)); return { ok: true };
    case 'pop': { const x = get(req.id); dropModel(x); ok(Z3.solver_pop(c, x.s, 1)); return { ok: true }; }
    case 'check': return check(get(req.id), req);
    case 'core': return { ok: true, values: core(get(req.id)) };
    case 'eval': return { ok: true, values: evaluate(get(req.id), req.names) };
    case 'script': {
      const output = await Z3.eval_smtlib2_string(scriptCtx, `(reset)\n${req.text}`);
      return { ok: true, output };
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
