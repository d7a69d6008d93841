/**
 * An invariant of a counter system learned from samples, for when Spacer runs out: the states
 * the explicit engine reaches at two member counts, as count vectors, suggest candidates, and
 * Houdini keeps the largest inductive subset (plain SMT queries). The candidates:
 *
 * - the linear equalities every sample satisfies (the affine hull: `mm_count = 1 + #[...] + ...`,
 *   a refcount equal to the sum of its holders), found by Gaussian elimination;
 * - bounds of a count or cell that are the same at both member counts;
 * - two-atom clauses over `count = 0`, `count >= 1`, Bool cells and small cell values that every
 *   sample satisfies ("if the owner is at exit_files, no sender is at install_pages").
 *
 * Where the candidates come from does not matter for soundness: what Houdini keeps is inductive
 * for every N (the queries have N free), and it is re-checked independently before it is used.
 *
 * @example
 * const inv = await houdiniOnCounts(cs, [model, grown]); // CountInvariant | undefined
 */
import type { Model } from '../../model/lang/ir.ts';
import { showValue } from '../../model/lang/ir.ts';
import { fromSlots, layoutOf } from '../layout.ts';
import type { CounterSystem } from './counter-abstraction.ts';
import { reachableStates } from './reach.ts';
import { openSolver } from './z3.ts';

/** Samples (orbits: renaming members changes no count) kept per member count (the search stops there). */
const MAX_SAMPLES = 200_000;
/** Most candidates tried (pairs are cut first). */
const MAX_CANDIDATES = 4000;

type Cand = { text: (t: string[]) => string; show: (n: string[]) => string };
/** A term of a linear form: its SMT text over the arguments' names `t`, and its printed form over their shown names `n`. */
type Feature = Cand;

/** Σ a·f over the nonzero coefficients: SMT text `(+ 0 (* a f) …)` and printed form (`x - 2*y`). */
function linearForm(coef: bigint[], feats: Feature[]) {
  const terms = coef.map((a, j) => (a === 0n ? undefined : [a, j] as const)).filter((x) => x !== undefined);
  return {
    terms,
    text: (t: string[]) => `(+ 0 ${terms.map(([a, j]) => `(* ${lit(a)} ${feats[j].text(t)})`).join(' ')})`,
    show: (n: string[]) => terms.map(([a, j], i) => `${a < 0n ? (i ? '- ' : '-') : i ? '+ ' : ''}${abs(a) === 1n ? '' : `${abs(a)}*`}${feats[j].show(n)}`).join(' '),
  };
}

/** An invariant of `cs` from the reached states of `models` (the same model at member counts N, N+1), or undefined. */
export async function houdiniOnCounts(cs: CounterSystem, models: Model[]): Promise<{ params: string[]; conjuncts: string[]; lines: string[] } | { fail: string; tooLarge?: true }> {
  const samples: number[][][] = [];
  for (const m of models) {
    const r = reachableStates(m, MAX_SAMPLES, undefined, { orbits: true });
    if (!r.complete) return { fail: `the explicit search of ${m.name} did not complete within ${MAX_SAMPLES} states`, tooLarge: true };
    const layout = layoutOf(m);
    // Count vectors, each once (many orbits share one).
    const vs = new Map<string, number[]>();
    for (const st of r.states) {
      const v = cs.abstractOf(m, fromSlots(m, layout, st) as Record<string, number[]>);
      if (!v) return { fail: 'a reached state has a member in a local state the abstraction left out' };
      vs.set(v.join(','), v);
    }
    samples.push([...vs.values()]);
  }
  // Count vectors, each once (the members' orbits and many concrete states share one).
  const unique = new Map<string, number[]>();
  for (const v of samples.flat()) unique.set(v.join(','), v);
  const all = [...unique.values()];
  const k = cs.args.length;
  const isBool = (j: number) => cs.args[j].sort === 'Bool';
  // A cell's value in model vocabulary (`exit_files`, not 1).
  const val = (j: number, x: number) => { const a = cs.args[j], so = a.cellSort; return a.someMember === x ? 'member' : so && so.kind === 'enum' ? String(showValue(so, x)) : String(x); };
  const num = (t: string[], j: number) => (isBool(j) ? `(ite ${t[j]} 1 0)` : t[j]);
  const cands: Cand[] = [];
  // Equalities of the affine hull, over the arguments and the indicators of small cells' values
  // (`[pc[owner] = exit_files]`), so that `binder_file_refs = [pc[owner] < exit_files] + [not torn down]` is one.
  const features: { arg: number; at: (v: number[]) => number; text: (t: string[]) => string; show: (n: string[]) => string }[] = [];
  for (let j = 0; j < k; j++) {
    features.push({ arg: j, at: (v) => v[j], text: (t) => num(t, j), show: (n) => n[j] });
    if (isBool(j) || cs.args[j].show.startsWith('#[')) continue;
    const values = [...new Set(all.map((v) => v[j]))].sort((a, b) => a - b);
    if (values.length < 3 || values.length > 16) continue;
    for (const x of values) features.push({ arg: j, at: (v) => (v[j] === x ? 1 : 0), text: (t) => `(ite (= ${t[j]} ${lit(BigInt(x))}) 1 0)`, show: (n) => `[${n[j]}=${val(j, x)}]` });
  }
  for (const row of affineEqualities(all.map((v) => features.map((f) => f.at(v))))) {
    const form = linearForm(row.coef, features);
    // One cell's value against its own indicators holds in every state of its sort: nothing learned.
    if (new Set(form.terms.map(([, j]) => features[j].arg)).size === 1 && form.terms.length > 1) continue;
    cands.push({ text: (t) => `(= ${form.text(t)} ${lit(row.rhs)})`, show: (n) => `${form.show(n)} = ${row.rhs}` });
  }
  const leaks = leakBounds(cs, samples, isBool);
  // Bounds equal at both member counts, and the atoms of the clauses.
  const atoms: { arg?: number; holds: (v: number[]) => boolean; text: (t: string[]) => string; show: (n: string[]) => string }[] = [];
  // Cells before counts: the pairs are cut at MAX_CANDIDATES, and facts between shared cells
  // ("L reaped only after its do_exit") matter more than the many count-vs-count ones.
  const order = [...Array(k).keys()].sort((x, y) => Number(cs.args[x].show.startsWith('#[')) - Number(cs.args[y].show.startsWith('#[')) || x - y);
  for (const j of order) {
    // A loop, not Math.min(...xs): a spread of 10^5 samples overflows the stack.
    const lo = samples.map((vs) => vs.reduce((x, v) => Math.min(x, v[j]), Infinity)), hi = samples.map((vs) => vs.reduce((x, v) => Math.max(x, v[j]), -Infinity));
    if (isBool(j)) {
      atoms.push({ arg: j, holds: (v) => v[j] === 1, text: (t) => t[j], show: (n) => n[j] });
      atoms.push({ arg: j, holds: (v) => v[j] === 0, text: (t) => `(not ${t[j]})`, show: (n) => `not ${n[j]}` });
      continue;
    }
    if (lo.every((x) => x === lo[0])) cands.push({ text: (t) => `(>= ${t[j]} ${lit(BigInt(lo[0]))})`, show: (n) => `${n[j]} >= ${lo[0]}` });
    if (hi.every((x) => x === hi[0])) cands.push({ text: (t) => `(<= ${t[j]} ${lit(BigInt(hi[0]))})`, show: (n) => `${n[j]} <= ${hi[0]}` });
    if (!cs.args[j].show.startsWith('#[') && hi.every((x) => x === hi[0]) && lo.every((x) => x === lo[0]) && hi[0] - lo[0] <= 12) {
      for (let x = lo[0]; x <= hi[0]; x++) {
        atoms.push({ arg: j, holds: (v) => v[j] === x, text: (t) => `(= ${t[j]} ${lit(BigInt(x))})`, show: (n) => `${n[j]} = ${val(j, x)}` });
        if (hi[0] > lo[0] + 1) atoms.push({ arg: j, holds: (v) => v[j] !== x, text: (t) => `(not (= ${t[j]} ${lit(BigInt(x))}))`, show: (n) => `${n[j]} != ${val(j, x)}` });
      }
    } else if (lo.every((x) => x === lo[0])) {
      // A count, or a counter that grows with N (mm_users): at its least value, or above it.
      const m = lo[0];
      atoms.push({ arg: j, holds: (v) => v[j] === m, text: (t) => `(= ${t[j]} ${lit(BigInt(m))})`, show: (n) => `${n[j]} = ${m}` });
      atoms.push({ arg: j, holds: (v) => v[j] > m, text: (t) => `(>= ${t[j]} ${lit(BigInt(m + 1))})`, show: (n) => `${n[j]} >= ${m + 1}` });
    }
  }
  // An atom every sample satisfies is a candidate by itself (its pairs add nothing); one no
  // sample satisfies adds nothing to a pair. Neither is paired, which leaves room under
  // MAX_CANDIDATES for the pairs that say something.
  const truth = atoms.map((a) => all.map((v) => a.holds(v)));
  const useful = atoms.map((a, i) => {
    const n = truth[i].filter(Boolean).length;
    if (n === all.length) cands.push({ text: a.text, show: a.show });
    return n > 0 && n < all.length;
  });
  atoms.splice(0, atoms.length, ...atoms.filter((_, i) => useful[i]));
  const sat = truth.filter((_, i) => useful[i]);
  const atomArg = atoms.map((a) => a.arg);
  const pairs: Cand[] = [];
  for (let a = 0; a < atoms.length && cands.length + pairs.length < MAX_CANDIDATES; a++) {
    for (let b = a + 1; b < atoms.length && cands.length + pairs.length < MAX_CANDIDATES; b++) {
      if (!all.every((_, i) => sat[a][i] || sat[b][i])) continue;
      if (atomArg[a] === atomArg[b]) continue; // two values of one cell: a fact about its sort alone
      const x = atoms[a], y = atoms[b];
      pairs.push({ text: (t) => `(or ${x.text(t)} ${y.text(t)})`, show: (n) => `${x.show(n)} or ${y.show(n)}` });
    }
  }
  // Two rounds: the single facts and the leak bounds first, then, if they do not exclude every
  // bad state, with the pairs too. The pairs' disjunctions make the step queries much harder (in
  // api-task, minutes each), and some systems need none of them.
  const singles = [...cands, ...leaks];
  if (process.env.PROTOCHECK_DEBUG) console.error(`count houdini: ${all.length} samples, ${singles.length} single candidates (${leaks.length} leak bounds), ${pairs.length} pairs`);
  let kept = await houdini(cs, singles);
  if ('fail' in kept && pairs.length) kept = await houdini(cs, [...singles, ...pairs]);
  if ('fail' in kept) return { fail: `${kept.fail} (${singles.length + pairs.length} candidates)` };
  const params = cs.args.map((_, i) => `x!${i}`);
  return { params, conjuncts: kept.map((c) => c.text(params)), lines: kept.map((c) => c.show(cs.args.map((a) => a.show))) };
}

/**
 * Equalities that hold while a Bool cell has one value, and how far they drift otherwise: in
 * api-task, a client's `mem::forget` sets `api.forgot` and leaks a reference, so
 * `task_L.refs = [not reaped] + Σ holders` holds only while `api.forgot` is false; the fact that
 * bounds the refcount (and so rules out its saturation) is that each leak is an API call:
 * `task_L.refs - [not reaped] - Σ holders <= Σ api.calls[*]`. Candidates, for each Bool cell b
 * and value: `b or E = r` for each equality E = r (over the arguments) of the samples where b
 * has the other value, `E <= r` or `E >= r` when the drift has one sign, and, when the drift
 * grows with the member count, `E - r <= T` (or `>= -T`) for each total T over the threads
 * (`Σ api.calls[*]`, from CountArg.parts) that bounds it in every sample.
 */
function leakBounds(cs: CounterSystem, samples: number[][][], isBool: (j: number) => boolean): Cand[] {
  const out: Cand[] = [];
  const num = (t: string[], j: number) => (isBool(j) ? `(ite ${t[j]} 1 0)` : t[j]);
  // Totals over the threads: Σ coef * arg for each key of CountArg.parts.
  const totals = new Map<string, { show: string; terms: [number, number][] }>();
  cs.args.forEach((a, j) => {
    for (const p of a.parts ?? []) {
      let t = totals.get(p.key);
      if (!t) totals.set(p.key, (t = { show: p.total, terms: [] }));
      t.terms.push([p.coef, j]);
    }
  });
  // The features: the shared cells and N (not the counts: a count no sample moves would get an
  // arbitrary coefficient), and the totals, which weigh every local state by its own value.
  // `arg`: the argument a shared cell's feature is; absent on a total.
  const feats: (Feature & { at: (v: number[]) => number; arg?: number })[] = [];
  cs.args.forEach((a, j) => {
    if (!a.show.startsWith('#[')) feats.push({ arg: j, at: (v) => v[j], text: (t) => num(t, j), show: (n) => n[j] });
  });
  for (const t of totals.values()) {
    feats.push({
      at: (v) => t.terms.reduce((acc, [c, j]) => acc + c * v[j], 0),
      text: (x) => `(+ 0 ${t.terms.map(([c, j]) => `(* ${c} ${num(x, j)})`).join(' ')})`,
      show: () => t.show,
    });
  }
  const pts = samples.map((vs) => vs.map((v) => feats.map((f) => f.at(v))));
  const all = pts.flat();
  const seen = new Set<string>();
  for (let b = 0; b < cs.args.length; b++) {
    if (!isBool(b)) continue;
    const fb = feats.findIndex((f) => f.arg === b);
    for (const val of [0, 1]) {
      const holding = all.filter((p) => p[fb] !== val);
      if (holding.length === 0 || holding.length === all.length) continue;
      const cond = (t: string[]) => (val ? t[b] : `(not ${t[b]})`);
      const condShow = (n: string[]) => (val ? n[b] : `not ${n[b]}`);
      for (const row of affineEqualities(holding)) {
        const { terms, text, show } = linearForm(row.coef, feats);
        const at = (p: number[]) => terms.reduce((acc, [a, j]) => acc + Number(a) * p[j], 0) - Number(row.rhs);
        if (all.every((p) => at(p) === 0)) continue; // an equality of every sample: a candidate already
        const key = `${row.coef.join(',')}|${row.rhs}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const r = lit(row.rhs);
        out.push({ text: (t) => `(or ${cond(t)} (= ${text(t)} ${r}))`, show: (n) => `${condShow(n)} or ${show(n)} = ${row.rhs}` });
        const hi = pts.map((ps) => ps.reduce((x, p) => Math.max(x, at(p)), -Infinity));
        const lo = pts.map((ps) => ps.reduce((x, p) => Math.min(x, at(p)), Infinity));
        if (hi.every((x) => x <= 0)) out.push({ text: (t) => `(<= ${text(t)} ${r})`, show: (n) => `${show(n)} <= ${row.rhs}` });
        if (lo.every((x) => x >= 0)) out.push({ text: (t) => `(>= ${text(t)} ${r})`, show: (n) => `${show(n)} >= ${row.rhs}` });
        const grows = (xs: number[]) => xs.some((x) => x !== xs[0]);
        feats.forEach((T, k) => {
          if (T.arg !== undefined) return; // a shared cell, not a total
          if (grows(hi) && all.every((p) => at(p) <= p[k])) out.push({ text: (t) => `(<= (- ${text(t)} ${r}) ${T.text(t)})`, show: (n) => `${show(n)} <= ${row.rhs} + ${T.show(n)}` });
          if (grows(lo) && all.every((p) => -at(p) <= p[k])) out.push({ text: (t) => `(>= (- ${text(t)} ${r}) (- ${T.text(t)}))`, show: (n) => `${show(n)} >= ${row.rhs} - ${T.show(n)}` });
        });
      }
    }
  }
  return out;
}

/**
 * The largest inductive subset of `cands` (given the domain), if it implies safety; else a reason.
 * Each candidate over the pre-state is asserted once, behind its own literal (`$a3 => cand3`),
 * and a query assumes the literals of the live ones: dropping a candidate is not assuming it. A
 * step is asked only about the candidates whose text it changes (the others it keeps as they
 * are), so a step that moves one member between two local states checks few of them.
 */
async function houdini(cs: CounterSystem, cands: Cand[]): Promise<Cand[] | { fail: string }> {
  const pre = cs.args.map((a) => `${a.name}@p`);
  const preText = cands.map((c) => c.text(pre));
  const on = cands.map((_, i) => `$a${i}`);
  const alive = new Array<boolean>(cands.length).fill(true);
  let liveCount = cands.length;
  const solver = await openSolver();
  let q = 0;
  try {
    await solver.add([
      '(declare-const N Int)',
      ...cs.args.map((a) => `(declare-const ${a.name}@p ${a.sort})`),
      `(assert ${cs.domain(pre)})`,
      ...on.map((a, i) => `(declare-const ${a} Bool)\n(assert (=> ${a} ${preText[i]}))`),
    ].join('\n'));
    // Drop every candidate in `asked` that some model of `context` (plus the live candidates over
    // the pre-state, when `hyp`) falsifies at `terms`, until none does.
    const prune = async (context: string[], terms: string[], asked: number[], hyp: boolean) => {
      for (;;) {
        const open = asked.filter((i) => alive[i]);
        if (open.length === 0) return true;
        const tag = ++q;
        const flags = open.map((i) => `$h${tag}_${i}`);
        const text = [
          ...flags.map((f) => `(declare-const ${f} Bool)`),
          ...context.map((c) => `(assert ${c})`),
          ...open.map((i, n) => `(assert (= ${flags[n]} ${cands[i].text(terms)}))`),
          `(assert (not (and true ${flags.join(' ')})))`,
        ].join('\n');
        const assume = hyp ? on.filter((_, i) => alive[i]) : [];
        const r = await solver.query(text, 0, flags.map((name) => ({ name, sort: 'Bool' as const })), assume);
        if (r.result === 'unsat') return true;
        if (r.result !== 'sat') return false;
        open.forEach((i, n) => { if (r.values![n] !== 'true') { alive[i] = false; liveCount--; } });
      }
    };
    const all = cands.map((_, i) => i);
    if (!(await prune([`(>= N ${cs.minMembers})`], cs.init, all, false))) return { fail: 'Z3 gave up on initiation' };
    // Which candidates each step can change: those whose text over its post-state differs.
    const touched = cs.steps.map((s) => all.filter((i) => cands[i].text(s.post) !== preText[i]));
    for (let changed = true; changed;) {
      changed = false;
      for (const [k, s] of cs.steps.entries()) {
        const before = liveCount;
        if (!(await prune([s.cond], s.post, touched[k], true))) return { fail: `Z3 gave up on ${s.what}` };
        if (liveCount !== before) changed = true;
        if (process.env.PROTOCHECK_DEBUG && k % 50 === 0) console.error(`houdini step ${k}/${cs.steps.length}: ${liveCount} live, ${touched[k].length} touched, ${q} queries, ${Math.round(performance.now() / 1000)} s`);
      }
    }
    const live = all.filter((i) => alive[i]);
    for (const b of cs.bad) {
      if (b.cond === 'false') continue;
      const r = await solver.query(`(assert ${b.cond})`, 0, cs.args.map((a) => ({ name: `${a.name}@p`, sort: a.sort })), live.map((i) => on[i]));
      if (r.result !== 'unsat') {
        const at = r.values ? `: ${cs.args.map((a, i) => `${a.show}=${r.values![i]}`).filter((x) => !/^#\[.*=0$/.test(x)).join(', ')}` : '';
        return { fail: `the ${live.length} inductive candidates do not exclude ${b.what}${process.env.PROTOCHECK_DEBUG ? at : ''}` };
      }
    }
    return live.map((i) => cands[i]);
  } finally {
    await solver.free();
  }
}

function lit(a: bigint): string {
  return a < 0n ? `(- ${-a})` : String(a);
}
function abs(a: bigint): bigint {
  return a < 0n ? -a : a;
}

/** The linear equalities `coef · x = rhs` satisfied by every point (a basis, integer coefficients). */
export function affineEqualities(points: number[][]): { coef: bigint[]; rhs: bigint }[] {
  if (points.length === 0) return [];
  const k = points[0].length;
  const p0 = points[0];
  // Row-reduce the differences p - p0 (fraction-free, BigInt); the null space gives the equalities.
  const rows: bigint[][] = [];
  const pivots: number[] = [];
  // The equalities of the points so far, as sparse numbers: a point satisfying them all is in
  // their affine hull already and needs no reduction (most points, once the rank is reached).
  let sparse: [number, number][][] = nullSpace(rows, pivots, k).map(sparseOf);
  for (const p of points) {
    if (sparse.every((eq) => eq.reduce((acc, [j, c]) => acc + c * (p[j] - p0[j]), 0) === 0)) continue;
    let r = p.map((x, j) => BigInt(x - p0[j]));
    for (let i = 0; i < rows.length; i++) {
      const c = pivots[i];
      if (r[c] === 0n) continue;
      const a = rows[i][c], b = r[c];
      r = r.map((x, j) => x * a - rows[i][j] * b);
    }
    const c = r.findIndex((x) => x !== 0n);
    if (c < 0) continue;
    const g = r.reduce((acc, x) => gcd(acc, abs(x)), 0n);
    r = r.map((x) => x / g);
    // Keep the rows reduced: clear column c in the earlier rows.
    for (let i = 0; i < rows.length; i++) {
      if (rows[i][c] === 0n) continue;
      const a = r[c], b = rows[i][c];
      rows[i] = rows[i].map((x, j) => x * a - r[j] * b);
      const h = rows[i].reduce((acc, x) => gcd(acc, abs(x)), 0n);
      rows[i] = rows[i].map((x) => x / h);
    }
    rows.push(r);
    pivots.push(c);
    if (rows.length === k) break;
    sparse = nullSpace(rows, pivots, k).map(sparseOf);
  }
  return nullSpace(rows, pivots, k).map((c) => ({ coef: c, rhs: c.reduce((acc, x, j) => acc + x * BigInt(p0[j]), 0n) }));
}

/** A basis of the vectors orthogonal to the reduced `rows` (integer, each divided by its gcd). */
function nullSpace(rows: bigint[][], pivots: number[], k: number): bigint[][] {
  const out: bigint[][] = [];
  for (let f = 0; f < k; f++) {
    if (pivots.includes(f)) continue;
    // Null-space vector: x_f = L (the lcm of the pivots), each pivot variable solved from its row.
    const L = rows.reduce((acc, r, i) => lcm(acc, abs(r[pivots[i]])), 1n);
    const coef = new Array<bigint>(k).fill(0n);
    coef[f] = L;
    rows.forEach((r, i) => { coef[pivots[i]] = -(r[f] * L) / r[pivots[i]]; });
    const g = coef.reduce((acc, x) => gcd(acc, abs(x)), 0n);
    out.push(coef.map((x) => x / g));
  }
  return out;
}

/** The non-zero coefficients of `c` as numbers; exact while sums stay below 2^53 (else the point is reduced anyway). */
function sparseOf(c: bigint[]): [number, number][] {
  const out: [number, number][] = [];
  c.forEach((x, j) => { if (x !== 0n) out.push([j, Number(x)]); });
  return out;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}
function lcm(a: bigint, b: bigint): bigint {
  return a === 0n || b === 0n ? a || b : (a / gcd(a, b)) * b;
}
