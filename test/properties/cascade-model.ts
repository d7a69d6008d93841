/**
 * A test model where violating Q makes a later P violation reachable. Thread T1 runs
 * s1 (x := 1 in `buggy`, nothing in `fixed`), s2 (requires q: x == 0; broken := x != 0),
 * s3 (requires p: !broken). Thread T2 runs w1 (y := 1) once, so the state space has a second
 * thread to interleave. In `buggy` p is reachable only after q's violation; in `fixed` neither is.
 */
import { model, defineModel, bool, range, step, set, eq, ne, not, requires, type ModelDef } from '../../model/lang/index.ts';

export function buildCascade(buggy: boolean) {
  const m = model('cascade', 'q breaks, then p breaks because q did');
  m.threads(['T1', 'T2']);
  const x = m.var('x', range(0, 1), 0);
  const y = m.var('y', range(0, 1), 0);
  const broken = m.var('broken', bool, false);
  m.program('first', ['T1'], () => [
    step('s1', ...(buggy ? [set(x, 1)] : [])),
    step('s2', requires({ id: 'q', message: 'q: x must be 0 here', class: 'unsound' }, eq(x, 0)), set(broken, ne(x, 0))),
    step('s3', requires({ id: 'p', message: 'p: used after q broke it', class: 'unsound' }, not(broken))),
  ]);
  m.program('second', ['T2'], () => [step('w1', set(y, 1))]);
  return m.build();
}

const cascade: ModelDef = defineModel({
  name: 'cascade',
  doc: 'q breaks, then p breaks because q did',
  variants: [
    { name: 'buggy', doc: 's1 sets x, so s2 breaks q and s3 then breaks p', expect: 'violation:q' },
    { name: 'fixed', doc: 's1 leaves x at 0', expect: 'pass' },
  ],
  bounds: [],
  build: (variant) => buildCascade(variant === 'buggy'),
});

export default cascade;
