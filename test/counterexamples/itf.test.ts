import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { toItf, type ItfTrace } from '../../counterexamples/itf.ts';
import { parseItf, replayItf } from '../../counterexamples/replay-itf.ts';
import { InputError } from '../../counterexamples/input.ts';
import { runCheck } from '../../checker/check.ts';
import { cardinality, showValue, sortValues } from '../../model/lang/ir.ts';
import { bugModels } from './models.ts';
import { allBugVariants, registryVariants } from './variants.ts';

const adr015 = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync('test/fixtures/itf-adr015.schema.json', 'utf8')));
const variants = allBugVariants();
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

/** Every JSON number inside the states, outside #meta (ADR-015 allows none since 2023-09-14). */
function numbersIn(x: unknown, path: string, out: string[]): string[] {
  if (typeof x === 'number') out.push(path);
  else if (Array.isArray(x)) x.forEach((y, i) => numbersIn(y, `${path}[${i}]`, out));
  else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) if (k !== '#meta') numbersIn(v, `${path}.${k}`, out);
  return out;
}

describe('ITF export', () => {
  it('the registry contributes bug variants, and there are our own', () => {
    expect(variants.length).toBeGreaterThanOrEqual(6);
    expect(registryVariants().every((v) => v.result.verdict === 'violation')).toBe(true);
  });

  for (const v of variants) {
    it(`${v.name}: validates against the ADR-015 schema; every state gives every var; no JSON numbers`, () => {
      const itf = toItf(v.result);
      const ok = adr015(itf);
      expect(adr015.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
      expect(itf.states).toHaveLength(v.result.trace!.steps.length + 1);
      for (const s of itf.states) for (const name of itf.vars) expect(s).toHaveProperty([name]);
      expect(numbersIn(itf.states, 'states', [])).toEqual([]);
      expect(itf.vars).toEqual([...v.model.vars.map((d) => d.name), 'mbt::actionTaken', 'mbt::nondetPicks']);
    });
  }

  it('kref-racy, field by field', () => {
    const model = bugModels.build('kref-racy', {});
    const itf = toItf(runCheck(model, { variant: 'kref-racy' }));
    expect(itf['#meta']).toMatchObject({
      format: 'ITF', 'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html', source: 'kref', status: 'violation',
      model: { name: 'kref', variant: 'kref-racy' },
      property: { id: 'kref.uaf', kind: 'requires', message: 'kref_get on a freed object', action: 'kref_get', loc: 'test/counterexamples/models.ts:46:22' },
    });
    const none = { tag: 'None', value: { '#tup': [] } };
    expect(itf.states[0]).toEqual({
      '#meta': { index: 0 },
      pc: { '#map': [['T1', 'mutex_lock'], ['T2', 'kref_get']] },
      lock_owner: 'none', refcount: { '#bigint': '1' }, freed: false,
      got: { '#map': [['T1', false], ['T2', false]] },
      'mbt::actionTaken': 'init', 'mbt::nondetPicks': { self: none },
    });
    expect(itf.states[1]['#meta']).toEqual({ index: 1, action: 'mutex_lock', thread: 'T1', params: { self: 'T1' } });
    expect(itf.states[1].lock_owner).toBe('T1');
    expect(itf.states[2]).toMatchObject({ refcount: { '#bigint': '0' }, freed: true, 'mbt::actionTaken': 'put.kref_put' });
    expect(itf.states[3]).toMatchObject({
      '#meta': { index: 3, action: 'kref_get', thread: 'T2', params: { self: 'T2' } },
      'mbt::actionTaken': 'kref_get', 'mbt::nondetPicks': { self: { tag: 'Some', value: 'T2' } },
      refcount: { '#bigint': '1' },
    });
  });

  it('an array over two sorts is a #map keyed by #tup', () => {
    const model = bugModels.build('overflow', {});
    const itf = toItf(runCheck(model, { variant: 'overflow' }));
    expect(itf.states[1].history).toEqual({ '#map': [
      [{ '#tup': ['T1', 'T1'] }, true], [{ '#tup': ['T1', 'T2'] }, false],
      [{ '#tup': ['T2', 'T1'] }, false], [{ '#tup': ['T2', 'T2'] }, false],
    ] });
  });

  it('a result without a trace has nothing to export', () => {
    expect(() => toItf(runCheck(bugModels.build('kref-locked', {})))).toThrow('no trace to export: the verdict is pass');
  });
});

/** A cell of a variable in one ITF state changed to another value of its sort. */
function mutateOne(itf: ItfTrace, model: ReturnType<typeof bugModels.build>, k: number): string {
  for (const d of model.vars) {
    if (cardinality(d.sort) < 2) continue;
    const vals = sortValues(d.sort);
    const enc = (x: number) => (d.sort.kind === 'bool' ? x === 1 : d.sort.kind === 'range' ? { '#bigint': String(x) } : String(showValue(d.sort, x)));
    const s = itf.states[k] as Record<string, any>;
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    if (d.index.length === 0) {
      const other = vals.find((x) => !same(enc(x), s[d.name]))!;
      s[d.name] = enc(other);
    } else {
      const entry = s[d.name]['#map'][0];
      entry[1] = enc(vals.find((x) => !same(enc(x), entry[1]))!);
    }
    return d.name;
  }
  throw new Error('no variable to change');
}

describe('ITF import and replay: round trip for every bug variant', () => {
  for (const v of variants) {
    it(`${v.name}: export → import → replay succeeds; one changed value names its step`, () => {
      const text = JSON.stringify(toItf(v.result));
      const rep = replayItf(v.model, parseItf(text, 't.itf.json'));
      const L = v.result.trace!.steps.length;
      expect(rep).toEqual({ ok: true, steps: L, violation: expect.objectContaining({ id: v.result.property!.id, step: L }) });
      for (let k = 0; k <= L; k++) {
        const itf = parseItf(text);
        mutateOne(itf, v.model, k);
        const bad = replayItf(v.model, itf);
        expect(bad.ok).toBe(false);
        if (!bad.ok) {
          expect(bad.step).toBe(k);
          expect(bad.reason.length).toBeGreaterThan(10);
        }
      }
    });
  }
});

describe('ITF replay: reasons', () => {
  const model = bugModels.build('kref-racy', {});
  const base = toItf(runCheck(model, { variant: 'kref-racy' }));

  it('a changed value: the step, the action and the cell that differs', () => {
    const itf = clone(base);
    (itf.states[2] as Record<string, unknown>).refcount = { '#bigint': '2' };
    expect(replayItf(model, itf)).toEqual({ ok: false, step: 2, steps: 3, reason: 'put.kref_put(self=T1): refcount is 0 after the step, the trace has 2' });
  });
  it('an action that is not enabled', () => {
    const itf = clone(base);
    itf.states[1]['#meta'] = { index: 1, action: 'mutex_unlock', thread: 'T1' };
    itf.states[1]['mbt::actionTaken'] = 'mutex_unlock';
    expect(replayItf(model, itf)).toMatchObject({ ok: false, step: 1, reason: 'mutex_unlock(self=T1) is not enabled in state 0' });
  });
  it('#meta and mbt::actionTaken disagree', () => {
    const itf = clone(base);
    itf.states[3]['mbt::actionTaken'] = 'kref_put';
    expect(replayItf(model, itf)).toMatchObject({ ok: false, step: 3, reason: "states[3]: #meta.action is 'kref_get' but mbt::actionTaken is 'kref_put'" });
  });
  it('an unknown action and a thread that does not run it', () => {
    const a = clone(base);
    delete a.states[2]['#meta'];
    a.states[2]['mbt::actionTaken'] = 'kfree';
    expect(replayItf(model, a)).toMatchObject({ ok: false, step: 2, reason: "model kref has no action 'kfree'" });
    const b = clone(base);
    b.states[1]['#meta'] = { index: 1, action: 'mutex_lock', thread: 'T2' };
    expect(replayItf(model, b)).toMatchObject({ ok: false, step: 1, reason: 'the trace says thread T2 but parameter self is T1' });
  });
  it('the initial state must be the model\'s', () => {
    const itf = clone(base);
    (itf.states[0] as Record<string, unknown>).freed = true;
    expect(replayItf(model, itf)).toMatchObject({ ok: false, step: 0, reason: 'state 0 is not the initial state of kref: freed is false, the trace has true' });
  });
  it('Quint-style: no #meta, module-qualified names; and a trace with no action at all is searched', () => {
    const quint = clone(base);
    quint.vars = quint.vars.map((n) => (n.startsWith('mbt::') ? n : `kref::${n}`));
    quint.states = quint.states.map((s) => Object.fromEntries(Object.entries(s).filter(([k]) => k !== '#meta').map(([k, x]) => [k.startsWith('mbt::') ? k : `kref::${k}`, x])));
    expect(replayItf(model, quint)).toMatchObject({ ok: true, steps: 3, violation: { id: 'kref.uaf', step: 3 } });
    const bare = clone(base);
    bare.vars = bare.vars.filter((n) => !n.startsWith('mbt::'));
    bare.states = bare.states.map((s) => Object.fromEntries(Object.entries(s).filter(([k]) => k !== '#meta' && !k.startsWith('mbt::'))));
    expect(replayItf(model, bare)).toMatchObject({ ok: true, steps: 3, violation: { id: 'kref.uaf', step: 3 } });
    (bare.states[2] as Record<string, unknown>).freed = false;
    expect(replayItf(model, bare)).toMatchObject({ ok: false, step: 2, reason: 'no action of kref leads from state 1 to state 2 (enabled: put.kref_put(self=T1), kref_get(self=T2))' });
  });
  it('variables that do not fit the model are input errors naming vars or the state', () => {
    const a = clone(base);
    a.vars = a.vars.filter((n) => n !== 'freed');
    expect(() => replayItf(model, a, 't.itf.json')).toThrow("t.itf.json: vars: no variable 'freed' (model kref has: pc, lock_owner, refcount, freed, got)");
    const b = clone(base);
    delete (b.states[1] as Record<string, unknown>).got;
    expect(() => replayItf(model, b, 't.itf.json')).toThrow(InputError);
    expect(() => replayItf(model, b, 't.itf.json')).toThrow("t.itf.json: states[1]: missing variable 'got' (every state must give every variable in vars)");
  });
});

describe('ITF input validation names the JSON path at fault', () => {
  const good = JSON.stringify(toItf(runCheck(bugModels.build('kref-racy', {}), { variant: 'kref-racy' })));
  const bad = (edit: (x: any) => void) => { const x = JSON.parse(good); edit(x); return JSON.stringify(x); };
  const cases: [string, string, string][] = [
    ['a JSON number that is not an integer', bad((x) => { x.states[2].refcount = 1.5; }), 't.itf.json: states[2].refcount: 1.5 is not an ITF integer (a JSON number must be an integer within ±(2^53-1)); write {"#bigint": "n"}'],
    ['a JSON integer past 2^53-1', bad((x) => { x.states[2].refcount = 2 ** 53; }), 't.itf.json: states[2].refcount: 9007199254740992 is not an ITF integer (a JSON number must be an integer within ±(2^53-1)); write {"#bigint": "9007199254740992"}'],
    ['an #unserializable that is not a string', bad((x) => { x.states[2].refcount = { '#unserializable': 1 }; }), ''],
    ['a malformed #bigint', bad((x) => { x.states[1].refcount = { '#bigint': '1.5' }; }), 't.itf.json: states[1].refcount["#bigint"]: must match pattern "^-?[0-9]+$"'],
    ['no vars', bad((x) => { delete x.vars; }), "t.itf.json: (top level): missing property 'vars'"],
    ['an unknown top-level key', bad((x) => { x.trace = 1; }), "t.itf.json: (top level): unexpected property 'trace'"],
    ['states not a list', bad((x) => { x.states = {}; }), 't.itf.json: states: must be array'],
    ['a map entry of three', bad((x) => { x.states[0].got['#map'][1].push(true); }), 't.itf.json: states[0].got["#map"][1]: must NOT have more than 2 items'],
    ['not JSON', '{"vars": [', ''],
  ];
  for (const [what, text, message] of cases) {
    it(what, () => {
      let err: unknown;
      try { parseItf(text, 't.itf.json'); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(InputError);
      if (message) expect((err as Error).message).toBe(message);
      else if (what === 'not JSON') expect((err as Error).message).toMatch(/^t\.itf\.json: not valid JSON \(/);
      else expect((err as Error).message).toMatch(/^t\.itf\.json: states\[2\]\.refcount/);
      expect((err as InputError).exitCode).toBe(71);
    });
  }
});

describe('ITF #meta.varTypes (ADR-015, types in the syntax of ADR-002)', () => {
  it('kref-racy, variable by variable', () => {
    const itf = toItf(runCheck(bugModels.build('kref-racy', {}), { variant: 'kref-racy' }));
    // pc and got are arrays over the threads (T1, T2); lock_owner is an option of a thread
    // (an enumeration: none, T1, T2); refcount is 0..2; the one step parameter, self, is a thread.
    expect(itf['#meta']!.varTypes).toEqual({
      pc: 'Str -> Str', lock_owner: 'Str', refcount: 'Int', freed: 'Bool', got: 'Str -> Bool',
      'mbt::actionTaken': 'Str', 'mbt::nondetPicks': '{ self: Some(Str) | None(UNIT) }',
    });
    // Every variable in vars has a type, and nothing else does.
    expect(Object.keys(itf['#meta']!.varTypes as object).sort()).toEqual([...itf.vars].sort());
  });
  it('an array over two sorts is keyed by a tuple', () => {
    const itf = toItf(runCheck(bugModels.build('overflow', {}), { variant: 'overflow' }));
    expect((itf['#meta']!.varTypes as Record<string, string>).history).toBe('<<Str, Str>> -> Bool');
    expect((itf['#meta']!.varTypes as Record<string, string>).count).toBe('Int');
  });
});

describe('ITF replay reads what other writers write', () => {
  const model = bugModels.build('kref-racy', {});
  const base = toItf(runCheck(model, { variant: 'kref-racy' }));
  const okReport = { ok: true, steps: 3, violation: { id: 'kref.uaf', kind: 'requires', message: 'kref_get on a freed object', step: 3 } };
  /** Every {"#bigint": "n"} in the states as a plain JSON integer n. */
  const plain = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(plain);
    if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (typeof o['#bigint'] === 'string') return Number(o['#bigint']);
      return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, plain(v)]));
    }
    return x;
  };

  it('plain JSON integers (ADR-015 before 2023-09-14): the same replay as #bigint', () => {
    const itf = clone(base);
    itf.states = plain(itf.states) as typeof itf.states;
    expect(itf.states[0].refcount).toBe(1);
    expect(itf.states[2].refcount).toBe(0);
    expect(replayItf(model, parseItf(JSON.stringify(itf), 't.itf.json'))).toEqual(okReport);
    // A plain integer is still checked: refcount after put.kref_put is 0, not 2.
    (itf.states[2] as Record<string, unknown>).refcount = 2;
    expect(replayItf(model, itf)).toEqual({ ok: false, step: 2, steps: 3, reason: 'put.kref_put(self=T1): refcount is 0 after the step, the trace has 2' });
    // ...and must fit the sort (refcount is 0..2).
    (itf.states[2] as Record<string, unknown>).refcount = 3;
    expect(replayItf(model, itf)).toMatchObject({ ok: false, step: 2, reason: 'states[2]["refcount"]: 3 is outside 0..2' });
  });

  it('{"#unserializable": ...} for a variable, a cell, a parameter: not checked, the model\'s value stands', () => {
    const u = { '#unserializable': 'a value the writer could not print' };
    const itf = clone(base);
    (itf.states[0] as Record<string, unknown>).freed = u; // a whole variable of the initial state
    (itf.states[2] as Record<string, unknown>).refcount = u; // after put.kref_put: really 0
    (itf.states[1] as any).got['#map'][1][1] = u; // the cell got[T2]
    (itf.states[3]['#meta'] as any).params.self = u; // kref_get's thread parameter...
    (itf.states[3] as any)['mbt::nondetPicks'].self.value = u; // ...in both places
    delete (itf.states[3]['#meta'] as any).thread; // (#meta.thread would name it)
    expect(replayItf(model, parseItf(JSON.stringify(itf), 't.itf.json'))).toEqual(okReport);
    // The known values are still checked: freed after put.kref_put is true.
    (itf.states[2] as Record<string, unknown>).freed = false;
    expect(replayItf(model, itf)).toEqual({ ok: false, step: 2, steps: 3, reason: 'put.kref_put(self=T1): freed is true after the step, the trace has false' });
  });

  it('a whole array variable #unserializable; the loop-free trace still ends in the violation', () => {
    const itf = clone(base);
    for (const s of itf.states) (s as Record<string, unknown>).pc = { '#unserializable': 'pc' };
    expect(replayItf(model, itf)).toEqual(okReport);
  });
});
