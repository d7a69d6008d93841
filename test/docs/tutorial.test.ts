/**
 * The README's "Writing your own model" tutorial is real: each construct's example is a file in
 * test/docs/tutorial/ (importing 'protocheck' as a user's file does), checked here on the
 * explicit engine against state counts worked out by hand, and every snippet the README shows
 * under `<!-- snippet: FILE -->` is a run of consecutive lines of FILE (indentation aside).
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { model, bool, step, loop, set, not } from '../../model/lang/index.ts';
import { runCheck } from '../../checker/check.ts';
import type { Result } from '../../checker/result.ts';
import type { ModelDef } from '../../model/lang/define.ts';
import { boundsFor } from '../../cli/ci/run.ts';
import atomicStep from './tutorial/atomic-step.ts';
import branch from './tutorial/branch.ts';
import either from './tutorial/either.ts';
import loopGoto from './tutorial/loop-goto.ts';
import irqAction from './tutorial/irq-action.ts';
import final from './tutorial/final.ts';
import cover from './tutorial/cover.ts';
import bound from './tutorial/bound.ts';
import threadMap from './tutorial/thread-map.ts';
import pointer from './tutorial/pointer.ts';
import daemon from './tutorial/daemon.ts';

function check(def: ModelDef, variant: string, bounds: Record<string, number> = {}): Result {
  return runCheck(def.build(variant, boundsFor(def, bounds)), { variant });
}
/** `thread action` per step; `-` for a step of no thread. */
const steps = (r: Result) => r.trace?.steps.map((s) => `${s.thread ?? '-'} ${s.action}`);
const figures = (r: Result) => [r.verdict, r.stats.states, r.stats.transitions];

describe('tutorial: one step is one transition', () => {
  it('atomic_inc: 4 states, 4 transitions; load + store loses an update in 4 steps', () => {
    // pc of T1 and T2 in {atomic_inc, done}; x counts the threads done: 2 x 2 = 4 states, and
    // each thread's one step is enabled in the 2 states where it has not run: 4 transitions.
    expect(figures(check(atomicStep, 'atomic_inc'))).toEqual(['pass', 4, 4]);
    const r = check(atomicStep, 'load-store');
    expect([r.verdict, r.property?.id, r.property?.class]).toEqual(['violation', 'counter.lost-update', 'unsound']);
    // Both load 0 before either stores: x ends at 1.
    expect(steps(r)).toEqual(['T1 load', 'T2 load', 'T2 store', 'T1 store']);
    expect(r.trace?.steps.at(-1)?.state.x).toBe(1);
  });

  it('branch: tested in one transition with kref_get, 6 states and 7 transitions; tested on a copy, add-on-zero in 3 steps', () => {
    // (owner pc, R pc, refcount): (kref_put, alive?, 1) -> owner puts: (done, alive?, 0), or R
    // gets: (kref_put, kref_put_reader, 2). (done, alive?, 0): the branch finds 0 and falls to
    // the end as a transition named 'alive?': (done, done, 0). (kref_put, kref_put_reader, 2) ->
    // (done, kref_put_reader, 1) | (kref_put, done, 1), each -> (done, done, 0).
    // 6 states; transitions 2 + 1 + 2 + 1 + 1 = 7.
    expect(figures(check(branch, 'in-branch'))).toEqual(['pass', 6, 7]);
    // The fall to the end is the one transition a branch has of its own, named after it.
    expect(branch.build('in-branch', {}).actions.map((a) => a.name).sort()).toEqual(['alive?', 'kref_get', 'kref_put', 'kref_put_reader']);
    const r = check(branch, 'check-then-get');
    expect([r.property?.id, steps(r)]).toEqual(['refcount.add-on-zero', ['R kref_read', 'owner kref_put', 'R kref_get']]);
  });

  it('either: no transition of its own; 3 states, 3 transitions; the error path leaks in 2 steps', () => {
    // (pc, refcount): (kref_get, 1) -> (outcome, 2) -> success or error_out -> (done, 1):
    // 3 states, 1 + 2 transitions (two steps reach the same state).
    expect(figures(check(either, 'fixed'))).toEqual(['pass', 3, 3]);
    const r = check(either, 'error-path-leaks');
    expect([r.property?.id, r.property?.class, steps(r)]).toEqual(['obj.leak', 'leak', ['T1 kref_get', 'T1 error_out']]);
  });

  it('loop: 8 states, 10 transitions; the same with branch and goto: 12 states, 16 transitions', () => {
    // loop: a thread is A (at retry, no lock), B (at retry, holding: the loop test and
    // spin_unlock are one transition) or C (done); `locked` is "someone is B". Pairs without BB:
    // AA AB BA AC CA BC CB CC = 8. Transitions: AA 2, AB 2 (T1's failed trylock is a self-loop),
    // BA 2, AC 1, CA 1, BC 1, CB 1, CC 0 = 10.
    expect(figures(check(loopGoto, 'loop'))).toEqual(['pass', 8, 10]);
    // goto: P (at spin_trylock), Q (at got?, failed), R (at got?, holding), D (done). Q only
    // while the other holds or has finished (PQ, QQ, QP unreachable): PP PR RP QR RQ PD DP QD DQ
    // RD DR DD = 12. Transitions: PP 2, PR 2, RP 2, QR 2 (retry fails: self-loop), RQ 2, PD 1,
    // DP 1, QD 1, DQ 1, RD 1, DR 1 = 16.
    expect(figures(check(loopGoto, 'goto'))).toEqual(['pass', 12, 16]);
  });

  it('the step after a loop is no program position: atLabel refuses it and names the positions', () => {
    const m = model('after-loop');
    m.threads(['T1']);
    const got = m.local('got', bool, false);
    m.program('worker', ['T1'], (self) => [loop('retry', not(got.at(self)), [step('spin_trylock', set(got.at(self), true))]), step('spin_unlock')]);
    m.invariant('x', 'x', not(m.atLabel('T1', 'spin_unlock')));
    expect(() => m.build()).toThrow(/^atLabel: no step labelled 'spin_unlock' in the program of T1 \(.*\); its labels: retry$/);
  });
});

describe('tutorial: actions, final states, covers, bounds', () => {
  it('m.action with thread: irqsave passes in 8 states and 8 transitions; spin_lock deadlocks in 2 steps of T1', () => {
    // (pc, in_irq, irq_fired); locked and irqs_off hold exactly at spin_unlock. At spin_lock or
    // done: (F,F) (T,T) (F,T); at spin_unlock interrupts are off, so in_irq is F: (F,F) (F,T).
    // 3 + 2 + 3 = 8. Transitions: (spin_lock,F,F) irq or lock: 2; every other non-final state
    // has one: handler, lock, unlock, unlock, irq, handler: 6; total 8.
    expect(figures(check(irqAction, 'spin_lock_irqsave'))).toEqual(['pass', 8, 8]);
    const r = check(irqAction, 'spin_lock');
    expect([r.property?.id, steps(r)]).toEqual(['deadlock', ['T1 spin_lock', 'T1 irq']]);
  });

  it('m.final: an empty pool ends the run (3 states, 2 transitions); without it, the empty pool is a deadlock after 2 steps', () => {
    // nr_free = 2, 1, 0: 3 states, 2 transitions.
    expect(figures(check(final, 'final'))).toEqual(['pass', 3, 2]);
    const r = check(final, 'no-final');
    expect([r.property?.id, steps(r)]).toEqual(['deadlock', ['- alloc_page', '- alloc_page']]);
  });

  it('m.cover: shared readers reach it (16 states, 24 transitions); exclusive ones never do (12 states, 12 transitions)', () => {
    // down_read never blocks: 4 positions per reader, 4 x 4 = 16 states; each reader moves in
    // the 12 states where it is not done: 24 transitions.
    expect(figures(check(cover, 'down_read'))).toEqual(['pass', 16, 24]);
    // exclusive: not both in {read, up_write}: 16 - 4 = 12 states. R1 at down_write: 4 states,
    // R1 moves in 2 (R2 not inside), R2 moves in 3; R1 inside (read or up_write, R2 at
    // down_write or done): 4 states, R1 moves in each, R2 blocked; R1 done: R2 moves in 3.
    // 5 + 4 + 3 = 12 transitions. A cover fails only after the whole search: no trace.
    const r = check(cover, 'exclusive');
    expect([...figures(r), r.property?.id, r.property?.class, r.trace]).toEqual(['violation', 12, 12, 'rwsem.readers-share', 'capability', undefined]);
  });

  it('bounds: n readers give 4^n states and 3n * 4^(n-1) transitions (16/24 by default, 64/144 at readers=3)', () => {
    expect(figures(check(bound, 'fixed'))).toEqual(['pass', 16, 24]);
    const r = check(bound, 'fixed', { readers: 3 });
    expect([...figures(r), r.bounds]).toEqual(['pass', 64, 144, { readers: 3 }]);
    expect(() => boundsFor(bound, { readers: 7 })).toThrow(/readers/);
  });
});

describe('tutorial: threads and objects', () => {
  it('m.threadMap: three exiting threads of two tasks, 8 states and 12 transitions; both tasks end group_dead', () => {
    // One step per thread: 2^3 = 8 states (signal.live and group_dead follow from who has
    // exited); each thread's step is enabled in the 4 states where it has not run: 12.
    expect(figures(check(threadMap, 'fixed'))).toEqual(['pass', 8, 12]);
  });

  it('a pointer copy: freeing once the reader is done passes in 10 states; freeing at once is a use-after-free in 4 steps', () => {
    // Reader: rcu_dereference (p = a), use with p = a or b, done with p = a or b; updater:
    // rcu_assign_pointer, kfree (waits for the reader's done), done. The reader reads b only
    // after the assign. Updater at the assign: reader at deref, use(a), done(a): 3; at kfree:
    // all 5; done: done(a), done(b): 2. 10 states. Transitions: 2 + 3 reader and updater moves
    // before the assign, 3 + 2 at kfree = 10.
    expect(figures(check(pointer, 'wait-for-reader'))).toEqual(['pass', 10, 10]);
    const r = check(pointer, 'free-at-once');
    expect([r.property?.id, steps(r)]).toEqual(['obj.use-after-free', ['R rcu_dereference', 'U rcu_assign_pointer', 'U kfree', 'R use']]);
  });

  it('m.daemon: the idle kworker is finished: 5 states, 4 transitions', () => {
    // (T1 pc, pending): (queue_work,F) (queue_again,T) (queue_again,F) (done,T) (done,F); the
    // kworker is always back at its first step. One transition out of each but the last: 4.
    expect(figures(check(daemon, 'fixed'))).toEqual(['pass', 5, 4]);
  });
});

describe('README snippets', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const SNIPPET = /<!-- snippet: (\S+) -->\n```ts\n([\s\S]*?)```/g;
  const snippets = [...readme.matchAll(SNIPPET)].map((m) => ({ file: m[1], code: m[2] }));
  const dedent = (lines: string[]) => {
    const pad = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
    return lines.map((l) => l.slice(pad)).join('\n');
  };
  /** Whether `code` is a run of consecutive lines of `text`, both taken without common indentation. */
  const contains = (text: string, code: string) => {
    const want = dedent(code.trimEnd().split('\n'));
    const lines = text.split('\n');
    const n = want.split('\n').length;
    for (let i = 0; i + n <= lines.length; i++) if (dedent(lines.slice(i, i + n)) === want) return true;
    return false;
  };

  it('every tutorial file is shown in the README', () => {
    const files = readdirSync(new URL('tutorial/', import.meta.url)).map((f) => `test/docs/tutorial/${f}`).sort();
    expect([...new Set(snippets.map((s) => s.file).filter((f) => f.startsWith('test/docs/tutorial/')))].sort()).toEqual(files);
  });
  for (const s of snippets) {
    it(`the README's snippet of ${s.file} (${s.code.split('\n')[0].trim()} …) is in the file`, () => {
      expect(contains(readFileSync(new URL(`../../${s.file}`, import.meta.url), 'utf8'), s.code)).toBe(true);
    });
  }
  it('the contains check fails on a changed line', () => {
    expect(contains('a\n  b(1)\n  c\n', 'b(1)\nc\n')).toBe(true);
    expect(contains('a\n  b(1)\n  c\n', 'b(2)\nc\n')).toBe(false);
  });
});
