/**
 * Tiny bug models for the counterexample tests, one per kind of violation, so the round trip
 * never runs on an empty list: a requirement (use after free under a lock the reader skips),
 * an invariant, a deadlock (ABBA), a leak (quiescence) and a value leaving its range (bounds).
 * `split` is the minimisation model: its shortest violations use 2 or 3 threads.
 */
import {
  model, range, bool, option, step, guard, set, add, sub, eq, not, lt, gt, when, requires, defineModel, implies, type ModelDef, type Expr,
} from '../../model/lang/index.ts';

/** T1 increments once, T2 once, T3 twice; x must stay below 3. BFS meets T1,T2,T3 first. */
export function splitModel() {
  const m = model('split', 'three ways to three increments');
  m.threads(['T1', 'T2', 'T3']);
  const x = m.var('x', range(0, 3), 0);
  m.program('one', ['T1'], () => [step('inc1', set(x, add(x, 1)))]);
  m.program('two', ['T2'], () => [step('inc2', set(x, add(x, 1)))]);
  m.program('three', ['T3'], () => [step('p', set(x, add(x, 1))), step('q', set(x, add(x, 1)))]);
  m.invariant('x.below-3', 'x reached 3', lt(x, 3));
  return m.build();
}

/**
 * T1 drops the last reference under the lock; T2 looks the object up without (`racy`) or with
 * (`locked`) the lock and takes a reference.
 */
function krefModel(locked: boolean) {
  const m = model('kref', 'last put races a lookup');
  const t = m.threads(['T1', 'T2']);
  const owner = m.var('lock_owner', option(t.sort), 'none', [], 'mutex owner');
  const refs = m.var('refcount', range(0, 2), 1, [], 'kref count');
  const freed = m.var('freed', bool, false);
  m.program('put', ['T1'], (self) => [
    step('mutex_lock', guard(eq(owner, 'none')), set(owner, self)),
    step('kref_put', set(refs, sub(refs, 1)), when(eq(refs, 0), [set(freed, true)])),
    step('mutex_unlock', set(owner, 'none')),
  ]);
  const got = m.local('got', bool, false);
  m.program('lookup', ['T2'], (self) => locked ? [
    step('mutex_lock', guard(eq(owner, 'none')), set(owner, self)),
    step('kref_get_unless_zero', when(gt(refs, 0), [set(refs, add(refs, 1)), set(got.at(self), true)])),
    step('kref_put', requires('kref.uaf', 'kref_put on a freed object', implies(got.at(self), not(freed))),
      when(got.at(self), [set(refs, sub(refs, 1)), when(eq(refs, 0), [set(freed, true)])])),
    step('mutex_unlock', set(owner, 'none')),
  ] : [
    step('kref_get', requires('kref.uaf', 'kref_get on a freed object', not(freed)), set(refs, add(refs, 1))),
    step('kref_put', set(refs, sub(refs, 1)), when(eq(refs, 0), [set(freed, true)])),
  ]);
  return m.build();
}

/** Two threads take two locks in opposite orders. */
function abbaModel() {
  const m = model('abba', 'lock order inversion');
  const t = m.threads(['T1', 'T2']);
  const a = m.var('lock_a', option(t.sort), 'none');
  const b = m.var('lock_b', option(t.sort), 'none');
  const prog = (first: typeof a, second: typeof a) => (self: Expr) => [
    step(`lock_${first.name.slice(5)}`, guard(eq(first, 'none')), set(first, self)),
    step(`lock_${second.name.slice(5)}`, guard(eq(second, 'none')), set(second, self)),
    step('unlock_all', set(first, 'none'), set(second, 'none')),
  ];
  m.program('ab', ['T1'], prog(a, b));
  m.program('ba', ['T2'], prog(b, a));
  return m.build();
}

/** A reader takes a reference and forgets to drop it on one path: a leak at quiescence. */
function leakModel() {
  const m = model('leak', 'a reference not returned');
  m.threads(['T1', 'T2']);
  const refs = m.var('users', range(0, 3), 1);
  const seen = m.local('seen', range(0, 3), 0);
  m.program('user', ['T1', 'T2'], (self) => [
    step('get', set(refs, add(refs, 1)), set(seen.at(self), refs)),
    step('put', when(lt(seen.at(self), 2), [set(refs, sub(refs, 1))])),
  ]);
  m.quiescence('users.balanced', 'a reference was leaked', eq(refs, 1));
  return m.build();
}

/** Two increments of a 0..1 counter: the second leaves the range (a bounds violation). */
function overflowModel() {
  const m = model('overflow', 'counter overflow');
  m.threads(['T1', 'T2']);
  const c = m.var('count', range(0, 1), 0);
  const hist = m.var('history', bool, false, [m.threadSort, m.threadSort], 'who saw whom');
  m.program('inc', ['T1', 'T2'], (self) => [step('inc', set(c, add(c, 1)), set(hist.at(self, self), true))]);
  return m.build();
}

/** An invariant broken by the third step of any interleaving. */
function invariantModel() {
  const m = model('pair', 'both flags then a count');
  m.threads(['A', 'B']);
  const flags = m.local('flag', bool, false);
  const n = m.var('n', range(0, 2), 0);
  m.program('w', ['A', 'B'], (self) => [step('raise', set(flags.at(self), true), set(n, add(n, 1)))]);
  m.invariant('n.below-2', 'both threads raised their flag', lt(n, 2));
  return m.build();
}

export const bugModels: ModelDef = defineModel({
  name: 'cx-bugs',
  doc: 'tiny bug models for counterexample tests',
  variants: [
    { name: 'kref-racy', doc: 'lookup without the lock: use after free', expect: 'violation:kref.uaf' },
    { name: 'kref-locked', doc: 'lookup under the lock', expect: 'pass' },
    { name: 'abba', doc: 'ABBA deadlock', expect: 'violation:deadlock' },
    { name: 'leak', doc: 'a reference is leaked', expect: 'violation:users.balanced' },
    { name: 'overflow', doc: 'a counter leaves its range', expect: 'violation:bounds' },
    { name: 'pair', doc: 'an invariant broken', expect: 'violation:n.below-2' },
    { name: 'split', doc: '2- and 3-thread shortest traces', expect: 'violation:x.below-3' },
  ],
  bounds: [],
  build: (variant) => {
    switch (variant) {
      case 'kref-racy': return krefModel(false);
      case 'kref-locked': return krefModel(true);
      case 'abba': return abbaModel();
      case 'leak': return leakModel();
      case 'overflow': return overflowModel();
      case 'pair': return invariantModel();
      default: return splitModel();
    }
  },
});

/** Each thread reads the counter, then writes read+1; a finished thread checks no update was lost. */
export function racyCounter(threads: number) {
  const m = model('racy', 'lost update');
  const names = Array.from({ length: threads }, (_, i) => `T${i + 1}`);
  m.threads(names);
  const c = m.var('c', range(0, threads), 0);
  const tmp = m.local('tmp', range(0, threads), 0);
  const done = m.var('finished', range(0, threads), 0);
  m.program('inc', names, (self) => [
    step('read', set(tmp.at(self), c)),
    step('write', set(c, add(tmp.at(self), 1)), set(done, add(done, 1))),
    step('check', requires('counter.lost-update', 'an increment was lost', eq(c, done))),
  ]);
  return m.build();
}

/** One thread locks a, locks b, unlocks a, unlocks b (holds overlap without nesting), then breaks x = 0. */
export function handOverHand() {
  const m = model('hoh', 'hand-over-hand locking');
  const t = m.threads(['T1']);
  const a = m.var('lock_a', option(t.sort), 'none');
  const b = m.var('lock_b', option(t.sort), 'none');
  const x = m.var('x', range(0, 1), 0);
  m.program('walk', ['T1'], (self) => [
    step('lock_a', guard(eq(a, 'none')), set(a, self)),
    step('lock_b', guard(eq(b, 'none')), set(b, self)),
    step('unlock_a', set(a, 'none')),
    step('unlock_b', set(b, 'none')),
    step('bug', set(x, 1)),
  ]);
  m.invariant('x.zero', 'x was set', eq(x, 0));
  return m.build();
}
