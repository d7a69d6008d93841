/**
 * Tutorial: a pointer is a variable whose sort is the objects' sort; an object's fields are
 * arrays indexed by it, so `freed.at(p.at(self))` is `p->freed`. A reader copies the published
 * pointer (`rcu_dereference`) and uses the object later; the updater publishes another object
 * and frees the old one. Freeing at once is a use-after-free; waiting until the reader is done
 * (what synchronize_rcu guarantees; see examples/rcu-reclaim.ts) is not.
 *
 *   npx protocheck check test/docs/tutorial/pointer.ts --variant free-at-once
 */
import { model, defineModel, bool, enumeration, step, guard, set, not, requires } from 'protocheck';

function build(variant: string) {
  const m = model('pointer');
  const Obj = enumeration('Obj', ['a', 'b']);
  m.threads(['R', 'U']);
  const cur = m.var('cur', Obj, 'a'); // the published pointer
  const freed = m.var('freed', bool, false, [Obj]); // a field of every object
  const p = m.local('p', Obj, 'a'); // each thread's copy of a pointer
  m.program('reader', ['R'], (self) => [
    step('rcu_dereference', set(p.at(self), cur)),
    step('use', requires('obj.use-after-free', 'the object is used after it was freed', not(freed.at(p.at(self))))),
  ]);
  m.program('updater', ['U'], (self) => [
    step('rcu_assign_pointer', set(p.at(self), cur), set(cur, 'b')), // keep the old pointer
    step('kfree', ...(variant === 'wait-for-reader' ? [guard(m.atLabel('R', 'done'))] : []), set(freed.at(p.at(self)), true)),
  ]);
  return m.build();
}

export default defineModel({
  name: 'pointer',
  doc: 'a reader holds a copy of a published pointer while the updater replaces and frees the object',
  variants: [
    { name: 'wait-for-reader', doc: 'kfree the old object once the reader is done', expect: 'pass' },
    { name: 'free-at-once', doc: 'kfree the old object right after publishing the new one', expect: 'violation:obj.use-after-free' },
  ],
  bounds: [],
  build: (variant) => build(variant),
});
