/** Tiny model definitions for the CI tests: a racy counter (lost update) and its locked form. */
import { model, range, bool, step, guard, set, add, eq, not, requires, lt, defineModel, type ModelDef } from '../../model/lang/index.ts';

/** Each of `threads` threads reads the counter, then writes read+1; the check requires no lost update. */
function counter(threads: number, locked: boolean) {
  const m = model('counter');
  const names = Array.from({ length: threads }, (_, i) => `T${i + 1}`);
  m.threads(names);
  const c = m.var('c', range(0, threads), 0);
  const lock = m.var('lock', bool, false);
  const tmp = m.local('tmp', range(0, threads), 0);
  const done = m.var('finished', range(0, threads), 0);
  m.program('inc', names, (self) => [
    step('lock', guard(locked ? not(lock) : true), ...(locked ? [set(lock, true)] : [])),
    step('read', set(tmp.at(self), c)),
    step('write', set(c, add(tmp.at(self), 1)), set(done, add(done, 1)), ...(locked ? [set(lock, false)] : [])),
    step('check', requires('counter.lost-update', 'an increment was lost', eq(c, done))),
  ]);
  return m.build();
}

export const counterDef: ModelDef = defineModel({
  name: 'counter',
  doc: 'threads incrementing a shared counter',
  variants: [
    { name: 'locked', doc: 'increments under a lock', expect: 'pass' },
    { name: 'racy', doc: 'read and write without the lock: a lost update', expect: 'violation:counter.lost-update' },
  ],
  bounds: [{ name: 'threads', default: 2, min: 1, max: 4, doc: 'incrementing threads' }],
  build: (variant, b) => counter(b.threads, variant === 'locked'),
});

export const brokenDef: ModelDef = defineModel({
  name: 'broken',
  doc: 'throws while building',
  variants: [{ name: 'default', doc: 'throws', expect: 'pass' }],
  bounds: [],
  build: () => { throw new Error('deliberate failure while building'); },
});

export { lt };
