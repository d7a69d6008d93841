/**
 * Run the checks of a CI config (or of one shard of it) and build the report. Loading models
 * and running engines are passed in, so the runner is the same for the CLI, `npm start` and tests.
 */
import type { Model, SourceLoc } from '../../model/lang/ir.ts';
import type { ModelDef } from '../../model/lang/define.ts';
import type { Result } from '../../checker/result.ts';
import { EXIT } from '../../checker/result.ts';
import type { ResolvedCheck } from './config.ts';
import { resolveBounds } from '../commands/options.ts';
import { withoutForget } from '../../model/api/index.ts';
import { isolate, propertyIds, propertyIdsOf } from '../../properties/isolate.ts';
import { BOUNDS_PROPERTY } from '../../checker/interpreter.ts';
import { classify, inShard, makeReport, type CheckReport, type CiReport } from './report.ts';
import { anyMembersFor } from './any.ts';

export interface CiRunner {
  /** Resolve a model spec (built-in name or path relative to baseDir). Errors may carry `exitCode`. */
  loadDef(spec: string, baseDir: string): Promise<ModelDef>;
  /** Run one engine on a built model. */
  run(model: Model, check: ResolvedCheck, variant: string): Promise<Result>;
  /** Called after each check, e.g. to print a line. */
  onCheck?(c: CheckReport): void;
}

function errorCode(err: unknown): number {
  const code = (err as { exitCode?: unknown }).exitCode;
  return typeof code === 'number' ? code : EXIT.modelBuild;
}

/** The model a check looks at: without `mem::forget` calls, and only some classes' properties, if it says so. */
export function restrict(model: Model, c: Pick<ResolvedCheck, 'classes' | 'forget'>): Model {
  const m = c.forget === false ? withoutForget(model) : model;
  return c.classes ? isolate(m, propertyIdsOf(m, c.classes)) : m;
}

/**
 * Why `expect: violation:<id>` cannot be met, when the model has no property `<id>` (a typo in
 * the config would otherwise read as "the bug is no longer found"); undefined when it has one.
 */
export function unknownExpectedProperty(model: Model, expect: string): string | undefined {
  if (!expect.startsWith('violation:')) return undefined;
  const id = expect.slice('violation:'.length);
  const known = [...propertyIds(model), BOUNDS_PROPERTY.id];
  if (known.includes(id)) return undefined;
  return `expect ${expect}: model ${model.name} has no property '${id}' (its properties: ${known.join(', ')}); correct the id in the config`;
}

/** Bounds for a check: the model's defaults overridden by the check's, each within min..max. */
export function boundsFor(def: ModelDef, given: Record<string, number> = {}): Record<string, number> {
  return resolveBounds(def, given, (k) => `bound ${k}`);
}

export async function runChecks(checks: ResolvedCheck[], runner: CiRunner, shard?: { index: number; count: number }): Promise<CiReport> {
  const t0 = performance.now();
  const reports: CheckReport[] = [];
  for (let index = 0; index < checks.length; index++) {
    if (!inShard(index, shard)) continue;
    const c = checks[index];
    const base = { index, name: c.name, model: c.model, ...(c.variant ? { variant: c.variant } : {}), ...(c.bounds ? { bounds: c.bounds } : {}), engine: c.engine, expect: c.expect };
    let rep: CheckReport;
    try {
      const def = await runner.loadDef(c.model, c.baseDir);
      const variant = c.variant ?? def.variants[0].name;
      if (!def.variants.some((v) => v.name === variant)) {
        throw Object.assign(new Error(`model ${def.name} has no variant '${variant}' (it has: ${def.variants.map((v) => v.name).join(', ')})`), { exitCode: EXIT.badOption });
      }
      const built = def.build(variant, boundsFor(def, c.bounds));
      const unknown = unknownExpectedProperty(built, c.expect);
      if (unknown) {
        rep = { ...base, variant, outcome: 'model-error', actual: 'error', message: unknown, errorCode: EXIT.badOption };
        reports.push(rep);
        runner.onCheck?.(rep);
        continue;
      }
      const model = restrict(built, c);
      const check = c.expect === 'proved:any' ? { ...c, anyMembers: anyMembersFor(def, variant, boundsFor(def, c.bounds), built, c.engine, (m) => restrict(m, c)) } : c;
      const result = await runner.run(model, check, variant);
      const cls = classify(c.expect, result);
      const actions: Record<string, SourceLoc> = {};
      for (const s of result.trace?.steps ?? []) {
        const loc = model.actions.find((a) => a.name === s.action)?.loc;
        if (loc) actions[s.action] = loc;
      }
      rep = { ...base, variant, ...cls, result, locations: { ...(model.loc ? { model: model.loc } : {}), actions } };
    } catch (err) {
      // Ctrl-C ends the whole run (the CLI prints what was reached), never one check as a model error.
      if ((err as { interrupted?: unknown })?.interrupted === true) throw err;
      const msg = (err as Error).message.split('\n')[0];
      rep = { ...base, outcome: 'model-error', actual: 'error', message: `expected ${c.expect}, but the model failed: ${msg}`, errorCode: errorCode(err) };
    }
    reports.push(rep);
    runner.onCheck?.(rep);
  }
  return makeReport(reports, (performance.now() - t0) / 1000, shard && { ...shard, checks: checks.length });
}
