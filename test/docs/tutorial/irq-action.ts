/**
 * Tutorial: `m.action` with `thread:`. An interrupt is no step of a program: it can arrive
 * whenever the thread's interrupts are on. A free-standing action with a thread parameter says
 * so; `thread: 't'` makes it a step of thread `t` in traces. A thread that holds a spinlock its
 * own interrupt handler takes deadlocks unless it took the lock with spin_lock_irqsave
 * (Documentation/locking/spinlocks.rst).
 *
 *   npx protocheck check test/docs/tutorial/irq-action.ts --variant spin_lock
 */
import { model, defineModel, bool, step, guard, set, not, and, param } from 'protocheck';

function build(variant: string) {
  const m = model('irq');
  m.threads(['T1']);
  const locked = m.var('locked', bool, false);
  const irqsOff = m.local('irqs_off', bool, false);
  const inIrq = m.local('in_irq', bool, false);
  const fired = m.local('irq_fired', bool, false); // one interrupt per thread keeps the model finite
  const save = variant === 'spin_lock_irqsave';
  m.program('task', ['T1'], (self) => [
    // An interrupted thread does not run until its handler returns.
    step(save ? 'spin_lock_irqsave' : 'spin_lock', guard(not(inIrq.at(self))), guard(not(locked)),
      set(locked, true), set(irqsOff.at(self), save)),
    step('spin_unlock', guard(not(inIrq.at(self))), set(locked, false), set(irqsOff.at(self), false)),
  ]);
  const t = param('t', m.threadSort); // declared in params, read in the body
  m.action('irq', {
    params: [t], thread: 't',
    body: [guard(and(not(fired.at(t)), not(irqsOff.at(t)))), set(fired.at(t), true), set(inIrq.at(t), true)],
  });
  m.action('irq_handler', {
    params: [t], thread: 't',
    body: [guard(inIrq.at(t)), guard(not(locked)), set(inIrq.at(t), false)], // spin_lock(); …; spin_unlock()
  });
  return m.build();
}

export default defineModel({
  name: 'irq',
  doc: 'a thread takes a spinlock that its interrupt handler also takes',
  variants: [
    { name: 'spin_lock_irqsave', doc: 'interrupts off while the lock is held', expect: 'pass' },
    { name: 'spin_lock', doc: 'the handler interrupts the holder and spins on its lock', expect: 'violation:deadlock' },
  ],
  bounds: [],
  build: (variant) => build(variant),
});
