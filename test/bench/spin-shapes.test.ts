/**
 * The benchmark shapes (bench/shapes/) are the same protocol in protocheck and in Promela: at
 * small N, SPIN stores exactly the states protocheck stores (symmetry off), reaches the same
 * depth, and finds each bug variant's violation at the same shortest depth. The SPIN half needs
 * `spin` and `gcc` on PATH (apt-get install spin) and is skipped, by name, without them.
 */
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../checker/check.ts';
import { SHAPES, type Shape } from '../../bench/shapes/shapes.ts';
import { hasSpin, runSpin } from '../../bench/shapes/spin-run.ts';
import mmShape from '../../bench/shapes/mm.ts';
import vmaShape from '../../bench/shapes/vma.ts';
import binderShape from '../../bench/shapes/binder.ts';

const DEFS = { mm: mmShape, vma: vmaShape, binder: binderShape } as const;

function check(shape: Shape, n: number, bug: boolean) {
  const def = DEFS[shape.name as keyof typeof DEFS];
  const variant = bug ? shape.bug.variant : 'fixed';
  return runCheck(def.build(variant, { n, ...shape.fixed }), { variant, symmetry: false });
}
const shape = (name: string) => SHAPES.find((s) => s.name === name)!;

describe('the shapes in protocheck, counted by hand at N=1', () => {
  it('mm: 15 states', () => {
    // owner O (exit_mm, then done) and one sender S (try_mmget, access, mmput_async,
    // sva_unbind, mmdrop, done); the kworker's pc never changes. Before exit_mm: the sender at
    // any of its 6 places, mm_users pinned by the owner: 6 states. After it: the sender still at
    // try_mmget (it then fails: mm_users is 0); at access or mmput_async (holding mm_users: no
    // teardown yet); at sva_unbind, mmdrop or done, each with async_put_work pending or not
    // (run or not by the kworker; the failed-mmget path and a teardown by the owner land on
    // the "not pending" ones): 1 + 2 + 3*2 = 9. 6 + 9 = 15.
    const r = check(shape('mm'), 1, false);
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(15);
  });

  it('vma: 34 states', () => {
    // munmap at any of its 8 places (7 steps, done). The reader before lock_vma_under_rcu:
    // 8. In vma_start_read (handle_mm_fault, vma_end_read): only while munmap is at its first
    // two places, and munmap then goes one further to wait for it: 2 * 3. Fallen back, at
    // mmap_read_lock: munmap past vma_start_write (6 places). Holding mmap_lock for read
    // (vma_lookup, mmap_read_unlock): munmap downgraded, at remove_vma, mmap_read_unlock or
    // done: 2 * 3. Done: 8. 8 + 6 + 6 + 6 + 8 = 34.
    const r = check(shape('vma'), 1, false);
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(34);
  });

  it('binder: 20 states', () => {
    // The shrinker may run first (page 0 on the LRU, the mutex free): isolate, zap, unlock:
    // 3 states after the initial one, the worker blocked on the mutex meanwhile: 4. Worker
    // first: 9 places after mutex_lock, the shrinker kept out (mutex held, or LRU empty)
    // until the worker has put page 0 back and unlocked: 9 + 3 = 12. After the shrinker's
    // round, the worker's mutex_lock, alloc, lru_del and unlock see page 0 not installed: 4
    // new states, then installing it lands on the worker-first states. 4 + 12 + 4 = 20.
    const r = check(shape('binder'), 1, false);
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(20);
  });

  it('each bug variant: its property, by its shortest trace', () => {
    const steps = (name: string) => {
      const r = check(shape(name), 2, true);
      expect(r.verdict).toBe('violation');
      expect(r.property?.id).toBe(shape(name).bug.property);
      return r.trace!.steps.map((s) => s.action);
    };
    expect(steps('mm')).toEqual(['exit_mm', 'mmget_not_zero_failed', 'sva_unbind']);
    expect(steps('vma')).toEqual(['vma_start_read', 'mmap_write_lock', 'vma_start_write', 'vma_mark_detached', 'mmap_write_downgrade', 'remove_vma', 'handle_mm_fault']);
    expect(steps('binder')).toEqual(['isolate', 'mutex_unlock_shrinker', 'mutex_lock', 'binder_alloc_new_buf', 'binder_lru_freelist_del', 'mutex_unlock', 'binder_install_buffer_pages', 'zap_page', 'copy_to_buffer']);
  });
});

const spin = hasSpin();
describe.skipIf(!spin)(`SPIN 6 stores the same states${spin ? '' : ' (skipped: spin or gcc not on PATH; apt-get install spin)'}`, () => {
  for (const s of SHAPES) {
    for (const n of [2, 3]) {
      it(`${s.name}, N=${n}: pan's "states, stored" and depth equal protocheck's`, () => {
        const ours = check(s, n, false);
        const theirs = runSpin(s, n, { bug: false, w: 18 })!;
        expect(ours.verdict).toBe('pass');
        expect(theirs.error).toBeUndefined();
        expect(theirs.states).toBe(ours.stats.states);
        expect(theirs.depth).toBe(ours.stats.depth);
      });
    }
    it(`${s.name}, ${s.bug.variant}, N=2: the same violation at the same shortest depth`, () => {
      const ours = check(s, 2, true);
      const theirs = runSpin(s, 2, { bug: true, w: 18 })!;
      expect(ours.verdict).toBe('violation');
      expect(ours.property?.id).toBe(s.bug.property);
      expect(ours.trace?.steps.length).toBe(s.bug.steps);
      expect(theirs.error).toContain(`assertion violated`);
      expect(theirs.error).toContain(s.bug.assertion);
      // pan reports the depth of the state the failing step starts from.
      expect(theirs.errorDepth! + 1).toBe(s.bug.steps);
    });
  }
});
