/**
 * SARIF 2.1.0 for code-scanning tools. Each check that is not as expected is a result that
 * points at the violated property's definition in the model file (a built-in model's in the installed
 * package, under node_modules/ when installed there), at the level its class gives; the trace is a code flow
 * with one thread flow per thread, each step located at the action that fired.
 */
import { relative, isAbsolute, join } from 'node:path';
import type { SourceLoc } from '../../model/lang/ir.ts';
import type { CiReport, CheckReport } from './report.ts';
import { sarifLevel, type PropertyClass } from '../../properties/classes.ts';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isPathSpec } from '../load.ts';

const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };
/** The package root (above dist/ in the compiled CLI), where the built-in models' sources are. */
const PKG_ROOT = fileURLToPath(import.meta.url).replace(/(dist\/)?cli\/ci\/sarif\.[jt]s$/, '');

/**
 * Where a result without a source location (the model could not be loaded or built) points:
 * the model file as the config names it, or, for a built-in model, the registry of built-in
 * models. GitHub's code scanning rejects a result with no location.
 */
function fallbackLocation(c: CheckReport, root: string) {
  const uri = isPathSpec(c.model) ? c.model : relative(root, join(PKG_ROOT, 'model/registry.ts'));
  return { artifactLocation: { uri: uri.split('\\').join('/') } };
}

function physical(loc: SourceLoc | undefined, root: string) {
  if (!loc) return undefined;
  const uri = (isAbsolute(loc.file) ? relative(root, loc.file) : loc.file).split('\\').join('/');
  return { artifactLocation: { uri }, region: { startLine: loc.line, startColumn: loc.column } };
}

function ruleOf(c: CheckReport): { id: string; text: string; class?: PropertyClass } {
  const p = c.result?.property;
  if (c.outcome === 'unexpected-violation' && p) return { id: p.id, text: p.message, class: p.class };
  return { id: `protocheck.${c.outcome}`, text: {
    'expected-violation-missing': 'a check expected a violation that is no longer found',
    inconclusive: 'a check did not finish: incomplete or unknown',
    'model-error': 'a model could not be loaded or built',
    'unexpected-violation': 'a property was violated',
    'as-expected': '',
  }[c.outcome] };
}

/**
 * The result level: a violated property's follows its class (unsound and liveness: error; warn
 * and leak: warning; capability: note); an unfinished check is a warning, anything else an error.
 */
function levelOf(c: CheckReport, rule: { class?: PropertyClass }): 'error' | 'warning' | 'note' {
  if (rule.class) return sarifLevel(rule.class);
  return c.outcome === 'inconclusive' ? 'warning' : 'error';
}

/** Build the SARIF log; paths are made relative to `root` (the repository). */
export function toSarif(report: CiReport, root = process.cwd()): object {
  const rules: { id: string; shortDescription: { text: string }; defaultConfiguration?: { level: string }; properties?: { class: PropertyClass } }[] = [];
  const results = report.checks.filter((c) => c.outcome !== 'as-expected').map((c) => {
    const rule = ruleOf(c);
    let ruleIndex = rules.findIndex((r) => r.id === rule.id);
    if (ruleIndex < 0) {
      ruleIndex = rules.push({
        id: rule.id, shortDescription: { text: rule.text || rule.id },
        ...(rule.class ? { defaultConfiguration: { level: sarifLevel(rule.class) }, properties: { class: rule.class } } : {}),
      }) - 1;
    }
    const where = physical(c.result?.property?.loc ?? c.locations?.model, root) ?? fallbackLocation(c, root);
    const steps = c.result?.trace?.steps ?? [];
    const threads = [...new Set(steps.map((s) => s.thread ?? 'main'))];
    const out: Record<string, unknown> = {
      ruleId: rule.id,
      ruleIndex,
      level: levelOf(c, rule),
      ...(rule.class ? { properties: { class: rule.class } } : {}),
      message: { text: `check '${c.name}': ${c.message}` },
      locations: [{ physicalLocation: where }],
    };
    const last = steps[steps.length - 1];
    const lastLoc = last ? physical(c.locations?.actions?.[last.action], root) : undefined;
    if (lastLoc) out.relatedLocations = [{ id: 1, message: { text: `step ${last.index}: ${last.thread ?? ''} ${last.action}`.replace('  ', ' ') }, physicalLocation: lastLoc }];
    if (steps.length) {
      out.codeFlows = [{
        message: { text: `shortest trace: ${steps.length} steps` },
        threadFlows: threads.map((t) => ({
          id: t,
          locations: steps.filter((s) => (s.thread ?? 'main') === t).map((s) => {
            const pl = physical(c.locations?.actions?.[s.action], root);
            return {
              executionOrder: s.index,
              location: { message: { text: `${s.index}. ${t} ${s.action}` }, ...(pl ? { physicalLocation: pl } : {}) },
            };
          }),
        })),
      }];
    }
    return out;
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'protocheck', version: pkg.version, rules } }, results }],
  };
}
