/**
 * Child process of v8-probe.ts `optimisationStatus` (run with `--allow-natives-syntax`): search
 * a built-in model variant, then print one JSON line with V8's optimisation status of every
 * generated function.
 */
import { builtinModels } from '../../model/registry.ts';
import { compileModel } from '../../checker/compile.ts';
import { checkExplicit } from '../../checker/explicit.ts';

const { model, variant, bounds, maxStates } = JSON.parse(process.argv[2]) as
  { model: string; variant: string; bounds: Record<string, number>; maxStates: number };
const def = builtinModels.find((d) => d.name === model);
if (!def) throw new Error(`no built-in model ${model}`);
const all = Object.fromEntries(def.bounds.map((b) => [b.name, b.default]));
const built = def.build(variant, { ...all, ...bounds });
const c = compileModel(built);
const r = checkExplicit(built, { maxStates, symmetry: false }, c);
// Natives syntax is parsed only in code compiled at run time with the flag on.
const status = new Function('f', 'return %GetOptimizationStatus(f)') as (f: unknown) => number;
const functions: Record<string, { status: number; optimised: boolean; calledOnce: boolean }> = {};
for (const [name, f] of Object.entries(c.functions)) {
  const s = status(f);
  // Bits of V8 11's OptimizationStatus: 1<<4 optimised, 1<<6 TurboFan, 1<<18 never compiled (lazy).
  functions[name] = { status: s, optimised: (s & (1 << 4)) !== 0 && (s & (1 << 6)) !== 0, calledOnce: (s & (1 << 18)) === 0 };
}
process.stdout.write(`${JSON.stringify({ states: r.states, seconds: r.seconds, functions })}\n`);
