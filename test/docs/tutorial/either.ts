/**
 * Tutorial: `either` is a nondeterministic choice (an error path the model does not decide);
 * like `branch` it is no transition of its own, each side starts with its first step.
 * `m.quiescence` is checked in every final state: here, an error path that forgets its put
 * leaves a reference behind.
 *
 *   npx protocheck check test/docs/tutorial/either.ts --variant error-path-leaks
 */
import { model, defineModel, range, step, either, set, add, sub, eq } from 'protocheck';

function build(variant: string) {
  const m = model('either');
  m.threads(['T1']);
  const refs = m.var('refcount', range(0, 2), 1); // the owner's reference
  const put = variant === 'fixed' ? [set(refs, sub(refs, 1))] : [];
  m.program('ioctl', ['T1'], () => [
    step('kref_get', set(refs, add(refs, 1))),
    either('outcome',
      [step('success', set(refs, sub(refs, 1)))],
      [step('error_out', ...put)]),
  ]);
  m.quiescence('obj.leak', 'a reference was never put', eq(refs, 1));
  return m.build();
}

export default defineModel({
  name: 'either',
  doc: 'an ioctl takes a reference and either succeeds or fails; both paths must put it',
  variants: [
    { name: 'fixed', doc: 'both paths put the reference', expect: 'pass' },
    { name: 'error-path-leaks', doc: 'the error path returns without the put', expect: 'violation:obj.leak' },
  ],
  bounds: [],
  build: (variant) => build(variant),
});
