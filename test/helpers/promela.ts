/**
 * Translate a threaded random program (test/engine/random-programs.ts, `threadedPrograms()`)
 * into Promela for SPIN, from the source-level spec and the reference's control-flow graph
 * (test/helpers/reference-semantics.ts), never from protocheck's IR.
 *
 * The encoding, chosen so that SPIN's stored states are exactly protocheck's states:
 * - every variable is a global `int`; `arr[i]` (literal indices only) is `arr_i`, the local
 *   `l[self]` of thread T is `l_T`; no other globals, no `init` process;
 * - each thread is one `active proctype` whose control locations are its positions: at a
 *   position, an `if` offers one option per way out, `d_step { (conditions) -> body }; goto next`
 *   (one atomic transition; the `goto` is a jump, not a step), and `done` is the location
 *   `end_done: false`, a valid end state where the process blocks forever (it never
 *   terminates, so no process is ever removed from the state vector);
 * - the d_step's condition is the control conditions (pre-state) and the step's leading guard;
 *   the body runs the statements in order (`when` as `if :: c -> … :: else -> … fi`); a
 *   `requires` is an `assert`, a write checks its value's range with an `assert` first, and
 *   the invariant is asserted at the end of every step (the state it reaches).
 * So a SPIN state is (globals, one location per process) = (variables, positions): the same
 * count as protocheck's `states` when both search everything, provided SPIN keeps every
 * variable (`spin -o1 -o2 -a`: its default hides write-only variables from the state) and
 * does no partial-order reduction (`-DNOREDUCE`). A deadlock is SPIN's invalid end
 * state; every other violation is an assertion violation, in the step protocheck reports it.
 *
 * @example
 * writeFileSync('model.pml', toPromela(spec));
 */
import {
  DONE, ARR_INDEX, ARR_VALUES, LOCAL_VALUES, programGraph,
  type BoolE, type IntE, type ProgramSpec, type StmtS,
} from './reference-semantics.ts';

/** Promela text of an integer expression for thread `self`. */
function int(e: IntE, self: string): string {
  switch (e.t) {
    case 'lit': return e.v < 0 ? `(${e.v})` : String(e.v);
    case 'var': return e.name;
    case 'local': return `l_${self}`;
    case 'cell': {
      if (e.idx.t !== 'lit' || e.idx.v < ARR_INDEX.lo || e.idx.v > ARR_INDEX.hi) throw new Error('promela: only literal indices in range');
      return `arr_${e.idx.v}`;
    }
    case 'add': return `(${int(e.a, self)} + ${int(e.b, self)})`;
    case 'sub': return `(${int(e.a, self)} - ${int(e.b, self)})`;
    case 'ite': return `(${bool(e.c, self)} -> ${int(e.a, self)} : ${int(e.b, self)})`;
  }
}

const OPS = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' } as const;

function bool(e: BoolE, self: string): string {
  switch (e.t) {
    case 'true': return '1';
    case 'false': return '0';
    case 'bvar': return `(${e.name} != 0)`;
    case 'cmp': return `(${int(e.a, self)} ${OPS[e.op]} ${int(e.b, self)})`;
    case 'not': return `(!${bool(e.a, self)})`;
    case 'and': return `(${e.args.map((a) => bool(a, self)).join(' && ')})`;
    case 'or': return `(${e.args.map((a) => bool(a, self)).join(' || ')})`;
    case 'implies': return `((!${bool(e.a, self)}) || ${bool(e.b, self)})`;
  }
}

function body(spec: ProgramSpec, stmts: StmtS[], self: string, ind: string): string[] {
  const out: string[] = [];
  for (const s of stmts) {
    switch (s.s) {
      case 'guard': throw new Error('promela: a guard must lead its step');
      case 'requires': out.push(`${ind}assert(${bool(s.cond, self)});`); break;
      case 'when': {
        const then = body(spec, s.then, self, `${ind}   `);
        const other = body(spec, s.else, self, `${ind}   `);
        out.push(`${ind}if`, `${ind}:: ${bool(s.cond, self)} ->`, ...(then.length ? then : [`${ind}   skip;`]),
          `${ind}:: else ->`, ...(other.length ? other : [`${ind}   skip;`]), `${ind}fi;`);
        break;
      }
      case 'set': {
        const t = s.target;
        if (t.k === 'bvar') { out.push(`${ind}${t.name} = ${bool(s.value as BoolE, self)};`); break; }
        const v = int(s.value as IntE, self);
        const [name, sort] = t.k === 'var' ? [t.name, spec.ints.find((x) => x.name === t.name)!]
          : t.k === 'local' ? [`l_${self}`, LOCAL_VALUES]
            : [int({ t: 'cell', idx: t.idx }, self), ARR_VALUES];
        out.push(`${ind}assert(${sort.lo} <= ${v} && ${v} <= ${sort.hi});`, `${ind}${name} = ${v};`);
        break;
      }
    }
  }
  return out;
}

const loc = (pos: string) => (pos === DONE ? 'end_done' : `P_${pos}`);

/** The Promela model of a spec (see the file comment for the encoding). */
export function toPromela(spec: ProgramSpec): string {
  const lines: string[] = [];
  for (const v of spec.ints) lines.push(`int ${v.name} = ${v.init};`);
  for (const v of spec.bools) lines.push(`int ${v.name} = ${v.init ? 1 : 0};`);
  spec.arr?.forEach((x, i) => lines.push(`int arr_${i + ARR_INDEX.lo} = ${x};`));
  if (spec.local) for (const t of spec.threads) lines.push(`int l_${t} = 0;`);
  const inv = spec.invariant ? `assert(${bool(spec.invariant, '')});` : '';
  for (const p of spec.programs) {
    const g = programGraph(p.body);
    for (const t of p.threads) {
      lines.push('', `active proctype ${t}() {`, `  goto ${loc(g.start)};`);
      for (const [pos, alts] of g.alts) {
        lines.push(`${loc(pos)}:`, '  if');
        for (const a of alts) {
          const lead = a.body[0]?.s === 'guard' ? [a.body[0].cond] : [];
          const rest = lead.length ? a.body.slice(1) : a.body;
          const conds = [...a.conds.map(([c, want]) => (want ? bool(c, t) : `(!${bool(c, t)})`)), ...lead.map((c) => bool(c, t))];
          const stmts = [...body(spec, rest, t, '       '), ...(inv ? [`       ${inv}`] : [])];
          lines.push(`  :: d_step { (${conds.length ? conds.join(' && ') : '1'}) ->`, ...(stmts.length ? stmts : ['       skip;']));
          lines.push(`     }; goto ${loc(a.next)}`);
        }
        lines.push('  fi;');
      }
      lines.push('end_done: false', '}');
    }
  }
  return `${lines.join('\n')}\n`;
}
