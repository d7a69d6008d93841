/**
 * Ownership preconditions (model/primitives/ownership.ts): every primitive operation whose
 * catalogue entry is `precondition: 'ownership'` ("the caller holds the handle, lock or reference
 * the operation consumes") emits it as a `requires` by default and as a `guard` with
 * `{ ownership: 'guard' }`; its kernel requirements are unchanged either way.
 *
 * Each case is a tiny model in which thread T1 takes one step of the operation without holding
 * what it consumes: by default that is a violation of the entry on the first step; with the
 * guard the step is never enabled, and as nothing else can run the run ends in a deadlock in the
 * initial state. A second model per case has T1 hold what the operation consumes: both modes
 * pass, with the same number of states.
 */
import { describe, it, expect } from 'vitest';
import { model, step, ModelError, type ModelBuilder, type Expr, type ProgStmt, type Stmt } from '../../model/lang/index.ts';
import {
  refObject, arefs, aref_clone, aref_drop, aref_into_raw, aref_from_raw, aref_borrow, aref_send,
  aref_held, aref_raw_pending, obj_free, type ARefs,
  mmStruct, mm_users_held, mm_count_held, type MmStruct,
  mutex, mutex_lock, mutex_unlock, mutex_is_owner, spinlock, spin_lock, spin_unlock, spin_is_owner,
  rwsem, down_read, down_write, up_read, up_write, downgrade_write, rwsem_is_read_owner, rwsem_is_write_owner,
  rwlock, read_lock, read_unlock, write_lock, write_unlock,
  rcu_read_lock, rcu_read_unlock, rcu_read_lock_held,
  requiresOwnership, type OwnershipMode, type OwnershipOptions,
} from '../../model/primitives/index.ts';
import { KERNEL, CATALOGUE, type KernelProperty } from '../../properties/catalogue/index.ts';
import { builtinModels } from '../../model/registry.ts';
import type { Model } from '../../model/lang/ir.ts';
import { check, actions } from './helpers.ts';

const MODES: OwnershipMode[] = ['requires', 'guard'];

/** A model with threads `threads` and one program, for T1. */
function oneThread(name: string, threads: string[], setup: (m: ModelBuilder) => (self: Expr) => ProgStmt[]): ModelBuilder {
  const m = model(name);
  m.threads(threads);
  const prog = setup(m);
  m.program('p', ['T1'], prog);
  return m;
}

/** One object whose initial reference an outside owner holds for the whole run; T1 starts with `tokens` ARefs. */
function arefModel(name: string, tokens: number, prog: (a: ARefs, self: Expr) => ProgStmt[]): ModelBuilder {
  return oneThread(name, ['T1'], (m) => {
    const obj = refObject(m, 'obj', { max: 3, init: 1 + tokens });
    const a = arefs(m, 'obj', obj.refs, { owners: 1, release: obj_free(obj), initial: tokens ? { T1: tokens } : {} });
    return (self) => prog(a, self);
  });
}

/**
 * T1 sends an ARef to T2 (holding `tokens` of them); with `receiver`, T2 waits for the token
 * (a guarded drop) and drops it. The outside owner keeps the object alive.
 */
function sendModel(tokens: number, o: OwnershipOptions, receiver: boolean): ModelBuilder {
  const m = model('send');
  const t = m.threads(['T1', 'T2']);
  const obj = refObject(m, 'obj', { max: 3, init: 1 + tokens });
  const a = arefs(m, 'obj', obj.refs, { owners: 1, release: obj_free(obj), initial: tokens ? { T1: tokens } : {} });
  m.program('p', ['T1'], (self) => [step('aref_send', aref_send(a, self, t.lit('T2'), o))]);
  if (receiver) m.program('receiver', ['T2'], (self) => [step('drop', aref_drop(a, self, a.release, { ownership: 'guard' }))]);
  return m;
}

/** An mm_struct with no reference held by anybody (T1 holds `users`/`grabs` when listed). */
function mmModel(name: string, refs: { users?: string[]; grabs?: string[] }, prog: (mm: MmStruct, self: Expr) => ProgStmt[]): ModelBuilder {
  return oneThread(name, ['T1'], (m) => {
    const mm = mmStruct(m, { users: refs.users ?? [], grabs: refs.grabs ?? [] });
    return (self) => prog(mm, self);
  });
}

interface Case {
  /** The operation and the label of its step. */
  op: string;
  entry: KernelProperty;
  /** T1 takes the step `op` without holding what it consumes. */
  bad(o: OwnershipOptions): ModelBuilder;
  /** T1 holds what `op` consumes, then takes the step `op`: passes in both modes. */
  good(o: OwnershipOptions): ModelBuilder;
}

const CASES: Case[] = [
  {
    op: 'aref_clone', entry: KERNEL.aref.borrowWithoutToken,
    bad: (o) => arefModel('clone', 0, (a, self) => [step('aref_clone', aref_clone(a, self, o))]),
    good: (o) => arefModel('clone', 1, (a, self) => [
      step('aref_clone', aref_clone(a, self, o)), step('drop1', aref_drop(a, self)), step('drop2', aref_drop(a, self)),
    ]),
  },
  {
    op: 'aref_borrow', entry: KERNEL.aref.borrowWithoutToken,
    bad: (o) => arefModel('borrow', 0, (a, self) => [step('aref_borrow', aref_borrow(a, self, o))]),
    good: (o) => arefModel('borrow', 1, (a, self) => [step('aref_borrow', aref_borrow(a, self, o)), step('drop', aref_drop(a, self))]),
  },
  {
    op: 'aref_drop', entry: KERNEL.aref.dropWithoutToken,
    bad: (o) => arefModel('drop', 0, (a, self) => [step('aref_drop', aref_drop(a, self, a.release, o))]),
    good: (o) => arefModel('drop', 1, (a, self) => [step('aref_drop', aref_drop(a, self, a.release, o))]),
  },
  {
    op: 'aref_into_raw', entry: KERNEL.aref.dropWithoutToken,
    bad: (o) => arefModel('into_raw', 0, (a, self) => [step('aref_into_raw', aref_into_raw(a, self, o))]),
    good: (o) => arefModel('into_raw', 1, (a, self) => [
      step('aref_into_raw', aref_into_raw(a, self, o)), step('from_raw', aref_from_raw(a, self)), step('drop', aref_drop(a, self)),
    ]),
  },
  {
    op: 'aref_send', entry: KERNEL.aref.dropWithoutToken,
    bad: (o) => sendModel(0, o, false),
    good: (o) => sendModel(1, o, true),
  },
  {
    op: 'aref_from_raw', entry: KERNEL.aref.fromRawWithoutIncrement,
    bad: (o) => arefModel('from_raw', 0, (a, self) => [step('aref_from_raw', aref_from_raw(a, self, o))]),
    good: (o) => arefModel('from_raw', 1, (a, self) => [
      step('into_raw', aref_into_raw(a, self)), step('aref_from_raw', aref_from_raw(a, self, o)), step('drop', aref_drop(a, self)),
    ]),
  },
  {
    op: 'mmput', entry: KERNEL.mm.mmputWithoutReference,
    bad: (o) => mmModel('mmput', {}, (mm, self) => [step('mmput', ...mm.mmput(self, o))]),
    good: (o) => mmModel('mmput', { users: ['T1'] }, (mm, self) => [step('mmput', ...mm.mmput(self, o))]),
  },
  {
    op: 'mmput_async', entry: KERNEL.mm.mmputWithoutReference,
    bad: (o) => mmModel('mmput_async', {}, (mm, self) => [step('mmput_async', ...mm.mmputAsync(self, o))]),
    good: (o) => mmModel('mmput_async', { users: ['T1'] }, (mm, self) => [step('mmput_async', ...mm.mmputAsync(self, o))]),
  },
  {
    op: 'mmdrop', entry: KERNEL.mm.mmdropWithoutReference,
    bad: (o) => mmModel('mmdrop', {}, (mm, self) => [step('mmdrop', ...mm.mmdrop(self, o))]),
    good: (o) => mmModel('mmdrop', { grabs: ['T1'] }, (mm, self) => [step('mmdrop', ...mm.mmdrop(self, o))]),
  },
  {
    op: 'mm_access', entry: KERNEL.mm.accessWithoutMmUsers,
    bad: (o) => mmModel('access', { grabs: ['T1'] }, (mm, self) => [step('mm_access', ...mm.access(self, o))]),
    good: (o) => mmModel('access', { users: ['T1'] }, (mm, self) => [step('mm_access', ...mm.access(self, o)), step('mmput', ...mm.mmput(self))]),
  },
  {
    op: 'mutex_unlock', entry: KERNEL.mutex.unlockNotOwner,
    bad: (o) => oneThread('mutex_unlock', ['T1'], (m) => { const mu = mutex(m, 'mu'); return (self) => [step('mutex_unlock', mutex_unlock(mu, self, o))]; }),
    good: (o) => oneThread('mutex_unlock', ['T1'], (m) => {
      const mu = mutex(m, 'mu');
      return (self) => [step('lock', mutex_lock(mu, self)), step('mutex_unlock', mutex_unlock(mu, self, o))];
    }),
  },
  {
    op: 'spin_unlock', entry: KERNEL.spinlock.unlockNotOwner,
    bad: (o) => oneThread('spin_unlock', ['T1'], (m) => { const sl = spinlock(m, 'sl'); return (self) => [step('spin_unlock', spin_unlock(sl, self, o))]; }),
    good: (o) => oneThread('spin_unlock', ['T1'], (m) => {
      const sl = spinlock(m, 'sl');
      return (self) => [step('lock', spin_lock(sl, self)), step('spin_unlock', spin_unlock(sl, self, o))];
    }),
  },
  {
    op: 'up_read', entry: KERNEL.rwsem.unlockNotOwner,
    bad: (o) => oneThread('up_read', ['T1'], (m) => { const s = rwsem(m, 's'); return (self) => [step('up_read', up_read(s, self, o))]; }),
    good: (o) => oneThread('up_read', ['T1'], (m) => {
      const s = rwsem(m, 's');
      return (self) => [step('down_read', down_read(s, self)), step('up_read', up_read(s, self, o))];
    }),
  },
  {
    op: 'up_write', entry: KERNEL.rwsem.unlockNotOwner,
    bad: (o) => oneThread('up_write', ['T1'], (m) => { const s = rwsem(m, 's'); return (self) => [step('up_write', up_write(s, self, o))]; }),
    good: (o) => oneThread('up_write', ['T1'], (m) => {
      const s = rwsem(m, 's');
      return (self) => [step('down_write', down_write(s, self)), step('up_write', up_write(s, self, o))];
    }),
  },
  {
    op: 'read_unlock', entry: KERNEL.rwlock.unlockNotOwner,
    bad: (o) => oneThread('read_unlock', ['T1'], (m) => { const l = rwlock(m, 'l'); return (self) => [step('read_unlock', read_unlock(l, self, o))]; }),
    good: (o) => oneThread('read_unlock', ['T1'], (m) => {
      const l = rwlock(m, 'l');
      return (self) => [step('read_lock', read_lock(l, self)), step('read_unlock', read_unlock(l, self, o))];
    }),
  },
  {
    op: 'write_unlock', entry: KERNEL.rwlock.unlockNotOwner,
    bad: (o) => oneThread('write_unlock', ['T1'], (m) => { const l = rwlock(m, 'l'); return (self) => [step('write_unlock', write_unlock(l, self, o))]; }),
    good: (o) => oneThread('write_unlock', ['T1'], (m) => {
      const l = rwlock(m, 'l');
      return (self) => [step('write_lock', write_lock(l, self)), step('write_unlock', write_unlock(l, self, o))];
    }),
  },
  {
    op: 'downgrade_write', entry: KERNEL.rwsem.downgradeNotOwner,
    bad: (o) => oneThread('downgrade_write', ['T1'], (m) => { const s = rwsem(m, 's'); return (self) => [step('downgrade_write', downgrade_write(s, self, o))]; }),
    good: (o) => oneThread('downgrade_write', ['T1'], (m) => {
      const s = rwsem(m, 's');
      return (self) => [step('down_write', down_write(s, self)), step('downgrade_write', downgrade_write(s, self, o)), step('up_read', up_read(s, self))];
    }),
  },
  {
    op: 'rcu_read_unlock', entry: KERNEL.rcu.unlockWithoutLock,
    bad: (o) => oneThread('rcu_read_unlock', ['T1'], (m) => (self) => [step('rcu_read_unlock', rcu_read_unlock(m, self, o))]),
    good: (o) => oneThread('rcu_read_unlock', ['T1'], (m) => (self) => [
      step('rcu_read_lock', rcu_read_lock(m, self)), step('rcu_read_unlock', rcu_read_unlock(m, self, o)),
    ]),
  },
];

/** The requirement ids of the action named `op`, in order. */
function requirementIds(model: Model, op: string): string[] {
  const a = model.actions.find((x) => x.name === op);
  if (!a) throw new Error(`no action ${op} in ${model.name}: ${model.actions.map((x) => x.name).join(', ')}`);
  return a.requires.map((r) => r.id);
}

describe.each(CASES)('$op ($entry.id)', (c) => {
  it('by default, a thread that does not hold it taking the step violates the entry', () => {
    const r = check(c.bad({}));
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe(c.entry.id);
    expect(r.property?.kind).toBe('requires');
    expect(r.property?.action).toBe(c.op);
    expect(actions(r)).toEqual([c.op]);
    // `ownership: 'requires'` spelled out is the default.
    const explicit = check(c.bad({ ownership: 'requires' }));
    expect(explicit.property?.id).toBe(c.entry.id);
    expect(actions(explicit)).toEqual([c.op]);
  });

  it("with ownership: 'guard' the step is not enabled: nothing else can run, a deadlock in the initial state", () => {
    const r = check(c.bad({ ownership: 'guard' }));
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('deadlock');
    expect(actions(r)).toEqual([]);
    expect(r.stats.states).toBe(1);
  });

  it('a thread that holds it takes the step in both modes, with the same state space', () => {
    const [dflt, guarded] = MODES.map((mode) => check(c.good({ ownership: mode })));
    expect(dflt.verdict).toBe('pass');
    expect(guarded.verdict).toBe('pass');
    expect(guarded.stats.states).toBe(dflt.stats.states);
    expect(guarded.stats.transitions).toBe(dflt.stats.transitions);
  });

  it('the guard drops only the ownership requirement: kernel requirements stay, in the same order', () => {
    const dflt = requirementIds(c.bad({}).build(), c.op);
    const guarded = requirementIds(c.bad({ ownership: 'guard' }).build(), c.op);
    expect(dflt).toContain(c.entry.id);
    expect(guarded).toEqual(dflt.filter((id) => id !== c.entry.id));
  });
});

describe('kernel requirements of an operation with guard ownership still fire', () => {
  it('aref_clone at the refcount bound: refcount.saturated', () => {
    const m = oneThread('clone-saturated', ['T1'], (m) => {
      const obj = refObject(m, 'obj', { max: 1, init: 1 });
      const a = arefs(m, 'obj', obj.refs, { initial: { T1: 1 } });
      return (self) => [step('aref_clone', aref_clone(a, self, { ownership: 'guard' }))];
    });
    const r = check(m);
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe(KERNEL.refcount.saturated.id);
    expect(actions(r)).toEqual(['aref_clone']);
  });

  it('aref_drop of a token on a saturated count: refcount.underflow', () => {
    const m = oneThread('drop-saturated', ['T1'], (m) => {
      const obj = refObject(m, 'obj', { max: 1, init: 2 }); // 2 = max + 1 = REFCOUNT_SATURATED
      const a = arefs(m, 'obj', obj.refs, { initial: { T1: 1 } });
      return (self) => [step('aref_drop', aref_drop(a, self, a.release, { ownership: 'guard' }))];
    });
    const r = check(m);
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe(KERNEL.refcount.underflow.id);
    expect(actions(r)).toEqual(['aref_drop']);
  });

  it('mmput by a holder inside a spinlock: sleep-in-atomic', () => {
    const m = oneThread('mmput-atomic', ['T1'], (m) => {
      const mm = mmStruct(m, { users: ['T1'], grabs: [] });
      const sl = spinlock(m, 'sl');
      return (self) => [step('spin_lock', spin_lock(sl, self)), step('mmput', ...mm.mmput(self, { ownership: 'guard' }))];
    });
    const r = check(m);
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe(KERNEL.context.sleepInAtomic.id);
    expect(actions(r)).toEqual(['spin_lock', 'mmput']);
  });

  it('mmput by a non-holder inside a spinlock: sleep-in-atomic by default (it comes first), not enabled with the guard', () => {
    const build = (o: OwnershipOptions) => oneThread('mmput-atomic-unowned', ['T1'], (m) => {
      const mm = mmStruct(m, { users: [], grabs: ['T1'] });
      const sl = spinlock(m, 'sl');
      return (self) => [step('spin_lock', spin_lock(sl, self)), step('mmput', ...mm.mmput(self, o))];
    });
    const dflt = check(build({}));
    expect(dflt.property?.id).toBe(KERNEL.context.sleepInAtomic.id);
    expect(actions(dflt)).toEqual(['spin_lock', 'mmput']);
    const guarded = check(build({ ownership: 'guard' }));
    expect(guarded.property?.id).toBe('deadlock');
    expect(actions(guarded)).toEqual(['spin_lock']);
  });

  it('mutex_lock by its owner stays mutex.recursive when its unlock is guarded', () => {
    const m = oneThread('mutex-recursive', ['T1'], (m) => {
      const mu = mutex(m, 'mu');
      return (self) => [
        step('lock', mutex_lock(mu, self)), step('lock_again', mutex_lock(mu, self)),
        step('unlock', mutex_unlock(mu, self, { ownership: 'guard' })),
      ];
    });
    const r = check(m);
    expect(r.property?.id).toBe(KERNEL.mutex.recursive.id);
    expect(actions(r)).toEqual(['lock', 'lock_again']);
  });
});

describe('a guarded operation in a two-thread client', () => {
  it('mutex_unlock guarded: the non-owner never unlocks the owner\'s mutex, and waits forever once it is free', () => {
    const build = (o: OwnershipOptions) => {
      const m = model('steal-unlock');
      m.threads(['T1', 'T2']);
      const mu = mutex(m, 'mu');
      m.program('owner', ['T1'], (self) => [step('lock', mutex_lock(mu, self)), step('unlock', mutex_unlock(mu, self))]);
      m.program('other', ['T2'], (self) => [step('steal_unlock', mutex_unlock(mu, self, o))]);
      return m;
    };
    const dflt = check(build({}));
    expect(dflt.property?.id).toBe(KERNEL.mutex.unlockNotOwner.id);
    expect(actions(dflt)).toEqual(['steal_unlock']);
    const guarded = check(build({ ownership: 'guard' }));
    expect(guarded.property?.id).toBe('deadlock');
    // T1 locks and unlocks; T2 never could: stuck once T1 is done.
    expect(actions(guarded)).toEqual(['lock', 'unlock']);
  });

  it('aref_drop guarded: a thread waits for the token another thread sends it', () => {
    const m = model('send-then-drop');
    const t = m.threads(['T1', 'T2']);
    const obj = refObject(m, 'obj', { max: 2, init: 1 });
    const a = arefs(m, 'obj', obj.refs, { initial: { T1: 1 }, release: obj_free(obj) });
    m.program('sender', ['T1'], (self) => [step('send', aref_send(a, self, t.lit('T2')))]);
    m.program('receiver', ['T2'], (self) => [step('drop', aref_drop(a, self, a.release, { ownership: 'guard' }))]);
    const r = check(m);
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(3);
  });
});

describe('the ownership predicates are the conditions the operations use', () => {
  it('each is the guard of its operation with ownership: guard', () => {
    const m = model('predicates');
    const t = m.threads(['T1']);
    const obj = refObject(m, 'obj', { max: 2, init: 1 });
    const a = arefs(m, 'obj', obj.refs, { owners: 1 });
    const mm = mmStruct(m, { users: [], grabs: [] });
    const mu = mutex(m, 'mu');
    const sl = spinlock(m, 'sl');
    const s = rwsem(m, 's');
    const self = t.lit('T1');
    const pairs: [Expr, Stmt[]][] = [
      [aref_held(a, self), aref_drop(a, self, [], { ownership: 'guard' })],
      [aref_raw_pending(a), aref_from_raw(a, self, { ownership: 'guard' })],
      [mm_users_held(mm, self), mm.mmput(self, { ownership: 'guard' })],
      [mm_users_held(mm, self), mm.access(self, { ownership: 'guard' })],
      [mm_count_held(mm, self), mm.mmdrop(self, { ownership: 'guard' })],
      [mutex_is_owner(mu, self), mutex_unlock(mu, self, { ownership: 'guard' })],
      [spin_is_owner(sl, self), spin_unlock(sl, self, { ownership: 'guard' })],
      [rwsem_is_read_owner(s, self), up_read(s, self, { ownership: 'guard' })],
      [rwsem_is_write_owner(s, self), up_write(s, self, { ownership: 'guard' })],
      [rwsem_is_write_owner(s, self), downgrade_write(s, self, { ownership: 'guard' })],
      [rcu_read_lock_held(m, self), rcu_read_unlock(m, self, { ownership: 'guard' })],
    ];
    for (const [pred, stmts] of pairs) {
      const guards = stmts.flatMap((x) => (x.k === 'guard' ? [x.cond] : []));
      expect(guards).toEqual([pred]);
      expect(stmts.filter((x) => x.k === 'requires' && CATALOGUE.find((e) => e.id === x.id)?.precondition === 'ownership')).toEqual([]);
    }
  });
});

/** Ownership entries emitted outside model/primitives/, by one hand-written protocol model: no guard option there. */
const OUTSIDE_PRIMITIVES: Record<string, { model: string }> = {
  [KERNEL.vma.putWithoutReference.id]: { model: 'vma' },
  [KERNEL.page.accessWithoutReference.id]: { model: 'page' },
};

describe('the catalogue marks ownership preconditions', () => {
  const ownership = CATALOGUE.filter((e) => e.precondition === 'ownership');

  it('marks exactly these entries', () => {
    expect(ownership.map((e) => e.id)).toEqual([
      'aref.borrow-without-token', 'aref.drop-without-token', 'aref.from-raw-without-increment',
      'mutex.unlock-not-owner', 'spinlock.unlock-not-owner', 'rwsem.unlock-not-owner', 'rwsem.downgrade-not-owner',
      'rwlock.unlock-not-owner',
      'rcu.unlock-without-lock',
      'mm.mmput-without-reference', 'mm.mmdrop-without-reference', 'mm.access-without-mm_users',
      'vma.put-without-reference',
      'page.access-without-reference',
    ]);
    for (const e of ownership) expect(e.kind).toBe('requires');
  });

  it('every ownership entry is emitted by a primitive operation that accepts ownership: guard (or is one of the listed protocol-model ones)', () => {
    const covered = new Set(CASES.map((c) => c.entry.id));
    const uncovered = ownership.map((e) => e.id).filter((id) => !covered.has(id));
    expect(uncovered.sort()).toEqual(Object.keys(OUTSIDE_PRIMITIVES).sort());
    // Every case's entry is an ownership entry.
    for (const c of CASES) expect(c.entry.precondition).toBe('ownership');
  });

  it('the ownership entries outside the primitives are emitted as requires by their protocol model', () => {
    for (const [id, { model: name }] of Object.entries(OUTSIDE_PRIMITIVES)) {
      const def = builtinModels.find((d) => d.name === name);
      expect(def, name).toBeDefined();
      const bounds = Object.fromEntries(def!.bounds.map((b) => [b.name, b.default]));
      const emitted = def!.variants.some((v) => def!.build(v.name, bounds).actions.some((a) => a.requires.some((r) => r.id === id)));
      expect(emitted, `${id} in ${name}`).toBe(true);
    }
  });

  it('marks no kernel precondition', () => {
    const kernel: KernelProperty[] = [
      KERNEL.refcount.addOnZero, KERNEL.refcount.saturated, KERNEL.refcount.underflow, KERNEL.refcount.decLeak,
      KERNEL.refcount.doubleFree, KERNEL.refcount.useAfterFree,
      KERNEL.context.sleepInAtomic,
      KERNEL.mutex.recursive, KERNEL.spinlock.recursive, KERNEL.rwsem.recursive,
      KERNEL.mm.useAfterFree, KERNEL.mm.mmgetOnZero, KERNEL.mm.accessAfterTeardown,
      KERNEL.rcu.nestingTooDeep, KERNEL.slab.doubleFree,
    ];
    for (const e of kernel) expect(e.precondition, e.id).toBeUndefined();
    const marked = ownership.map((e) => e.id);
    expect(marked.filter((id) => /use-after-free|recursive|add-on-zero|sleep-in-atomic|saturated|underflow/.test(id))).toEqual([]);
  });

  it('requiresOwnership refuses a kernel precondition, and an unknown mode', () => {
    expect(() => requiresOwnership(KERNEL.refcount.addOnZero, true, undefined, { ownership: 'guard' })).toThrow(ModelError);
    expect(() => requiresOwnership(KERNEL.refcount.addOnZero, true, undefined)).toThrow(/kernel precondition/);
    expect(() => requiresOwnership(KERNEL.mutex.unlockNotOwner, true, undefined, { ownership: 'maybe' as OwnershipMode })).toThrow(ModelError);
  });
});
