/**
 * Tutorial: a `branch` is not a transition of its own: its condition is read in the same
 * transition as the first step of the side it takes. Testing the count in the branch is
 * `kref_get_unless_zero` (atomic); copying it to a local in one step and branching on the copy
 * later is a check-then-act race: the owner can put the last reference in between.
 *
 *   npx protocheck check test/docs/tutorial/branch.ts --variant check-then-get
 */
import { model, defineModel, range, bool, step, branch, set, add, sub, gt, requires } from 'protocheck';

function build(variant: string) {
  const m = model('branch');
  m.threads(['owner', 'R']);
  const refs = m.var('refcount', range(0, 2), 1);
  const alive = m.local('alive', bool, false);
  m.program('owner', ['owner'], () => [step('kref_put', set(refs, sub(refs, 1)))]);
  const getAndPut = [
    step('kref_get', requires('refcount.add-on-zero', 'refcount_t: addition on 0; use-after-free.', gt(refs, 0)),
      set(refs, add(refs, 1))),
    step('kref_put_reader', set(refs, sub(refs, 1))),
  ];
  if (variant === 'in-branch') {
    m.program('reader', ['R'], () => [
      branch('alive?', gt(refs, 0), getAndPut), // tested and taken in one transition
    ]);
  } else {
    m.program('reader', ['R'], (self) => [
      step('kref_read', set(alive.at(self), gt(refs, 0))), // its own transition
      branch('alive?', alive.at(self), getAndPut), // acts on a stale copy
    ]);
  }
  return m.build();
}

export default defineModel({
  name: 'branch',
  doc: 'a reader tests a refcount and takes a reference: in the branch, or after copying it',
  variants: [
    { name: 'in-branch', doc: 'the branch tests the count itself', expect: 'pass' },
    { name: 'check-then-get', doc: 'a step copies the count, the branch tests the copy', expect: 'violation:refcount.add-on-zero' },
  ],
  bounds: [],
  build: (variant) => build(variant),
});
