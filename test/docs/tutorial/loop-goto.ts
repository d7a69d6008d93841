/**
 * Tutorial: `loop` and `goto`. Two threads spin on a trylock. A loop's condition, like a
 * branch's, is read in the same transition as the step it leads to (the first step of its body,
 * or the step after the loop); after the body's last step control is back at the loop's label.
 * `goto(label)` continues at a labelled statement.
 *
 *   npx protocheck check test/docs/tutorial/loop-goto.ts --variant goto
 */
import { model, defineModel, bool, step, loop, branch, goto, when, set, not, type Expr } from 'protocheck';

function build(variant: string) {
  const m = model('trylock');
  m.threads(['T1', 'T2']);
  const locked = m.var('locked', bool, false);
  const got = m.local('got', bool, false);
  // spin_trylock: one transition that tests and takes the lock, or fails and changes nothing.
  const trylock = (self: Expr) => step('spin_trylock', when(not(locked), [set(locked, true), set(got.at(self), true)]));
  if (variant === 'loop') {
    m.program('worker', ['T1', 'T2'], (self) => [
      loop('retry', not(got.at(self)), [trylock(self)]),
      step('spin_unlock', set(locked, false)),
    ]);
  } else {
    m.program('worker', ['T1', 'T2'], (self) => [
      trylock(self),
      branch('got?', got.at(self), [step('spin_unlock', set(locked, false))], [goto('spin_trylock')]),
    ]);
  }
  return m.build();
}

export default defineModel({
  name: 'trylock',
  doc: 'two threads retry spin_trylock until they get the lock: with loop, or with branch and goto',
  variants: [
    { name: 'loop', doc: 'loop while the trylock failed', expect: 'pass' },
    { name: 'goto', doc: 'branch on the result; goto the trylock again', expect: 'pass' },
  ],
  bounds: [],
  build: (variant) => build(variant),
});
