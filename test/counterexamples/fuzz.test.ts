import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { toItf } from '../../counterexamples/itf.ts';
import { parseItf, replayItf } from '../../counterexamples/replay-itf.ts';
import { InputError } from '../../counterexamples/input.ts';
import { runCheck } from '../../checker/check.ts';
import { findBuiltin } from '../../model/registry.ts';
import { bugModels } from './models.ts';

// Two valid traces to mutate: our kref race and the mm K10 PASID use-after-free (registry).
const kref = bugModels.build('kref-racy', {});
const mmDef = findBuiltin('mm')!;
const mm = mmDef.build('pasid-freed-in-mmput', Object.fromEntries(mmDef.bounds.map((b) => [b.name, b.default])));
const bases = [kref, mm].map((model) => ({ model, text: JSON.stringify(toItf(runCheck(model))) }));

type Outcome = { kind: 'input'; message: string } | { kind: 'replay'; step: number; reason: string } | { kind: 'ok' };

/** Parse and replay; an InputError or a failed replay is an outcome, anything else a crash (rethrown). */
function attempt(model: typeof kref, text: string): Outcome {
  try {
    const rep = replayItf(model, parseItf(text, 'f.itf.json'), 'f.itf.json');
    return rep.ok ? { kind: 'ok' } : { kind: 'replay', step: rep.step, reason: rep.reason };
  } catch (err) {
    if (err instanceof InputError) return { kind: 'input', message: err.message };
    throw err;
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Mutations that each make the trace wrong (never a no-op). */
const mutation = fc.oneof(
  // A state variable's value becomes any other JSON value.
  fc.record({ kind: fc.constant('value' as const), state: fc.nat(), v: fc.nat(), to: fc.jsonValue() }),
  // A variable or mbt entry disappears from one state.
  fc.record({ kind: fc.constant('delete' as const), state: fc.nat(), v: fc.nat() }),
  // vars or states replaced by any other JSON value.
  fc.record({ kind: fc.constant('top' as const), field: fc.constantFrom('vars', 'states'), to: fc.jsonValue() }),
  // Two neighbouring states swap places.
  fc.record({ kind: fc.constant('swap' as const), state: fc.nat() }),
  // The file is cut short.
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  // The action in #meta or the picked parameter changes.
  fc.record({ kind: fc.constant('action' as const), state: fc.nat(), to: fc.string() }),
  fc.record({ kind: fc.constant('pick' as const), state: fc.nat(), to: fc.jsonValue() }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(text: string, m: Mutation): string | undefined {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const x: any = JSON.parse(text);
  const n = x.states.length;
  const vars: string[] = x.vars;
  switch (m.kind) {
    case 'value': {
      const s = x.states[m.state % n], k = vars.filter((v) => !v.startsWith('mbt::'))[m.v % (vars.length - 2)];
      if (same(s[k], m.to)) return undefined;
      s[k] = m.to;
      break;
    }
    case 'delete': delete x.states[m.state % n][vars[m.v % vars.length]]; break;
    case 'top': if (same(x[m.field], m.to)) return undefined; x[m.field] = m.to; break;
    case 'swap': {
      const i = m.state % (n - 1);
      [x.states[i], x.states[i + 1]] = [x.states[i + 1], x.states[i]];
      break;
    }
    case 'truncate': return text.slice(0, m.at % text.length);
    case 'action': {
      const s = x.states[1 + (m.state % (n - 1))];
      if (m.to === s['#meta'].action) return undefined;
      s['#meta'].action = m.to;
      break;
    }
    case 'pick': {
      const s = x.states[1 + (m.state % (n - 1))];
      if (same(s['mbt::nondetPicks'].self.value, m.to)) return undefined;
      s['mbt::nondetPicks'].self.value = m.to;
      break;
    }
  }
  return JSON.stringify(x);
}

describe('1,000 mutations of a valid ITF file', () => {
  it('never crash; each is an input error naming a path or a replay failure with a reason', () => {
    for (const b of bases) expect(attempt(b.model, b.text)).toEqual({ kind: 'ok' });
    const seen = { input: 0, replay: 0 };
    fc.assert(fc.property(fc.constantFrom(0, 1), mutation, (which, m) => {
      const b = bases[which];
      const text = apply(b.text, m);
      fc.pre(text !== undefined);
      const out = attempt(b.model, text!);
      expect(out.kind).not.toBe('ok');
      if (out.kind === 'input') {
        seen.input++;
        expect(out.message).toMatch(/^(f\.itf\.json: (not valid JSON \(|\(top level\): |vars|states)|file not found)/);
      } else if (out.kind === 'replay') {
        seen.replay++;
        expect(out.reason.length).toBeGreaterThan(5);
        expect(out.step).toBeGreaterThanOrEqual(0);
      }
    }), { numRuns: 1000, seed: 20260101 });
    // Both kinds of rejection are exercised.
    expect(seen.input).toBeGreaterThan(100);
    expect(seen.replay).toBeGreaterThan(100);
    expect(seen.input + seen.replay).toBe(1000);
  });
});
