/**
 * Write every counterexample format into a directory (`check --out DIR`, `export --out DIR`),
 * and convert a result to one format (`export --format F`). Existing files are never
 * overwritten unless `force` is set: the whole set is checked before anything is written.
 *
 * @example
 * const written = writeAllFormats(result, model, 'out');   // ['out/result.json', …]
 * process.stdout.write(formatResult(result, 'mermaid'));
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Model } from '../model/lang/ir.ts';
import type { Result } from '../checker/result.ts';
import { EXIT } from '../checker/result.ts';
import { toItf } from './itf.ts';
import { renderText } from './render-text.ts';
import { toMermaid } from './sequence.ts';
import { stateGraphToDot, traceToDot, GraphTooLargeError, STATE_GRAPH_LIMIT } from './dot.ts';
import { toHtml } from './html.ts';
import { toChromeTrace } from './chrome.ts';
import { OutputError, checkOutputDir, makeDirs, writeOutput } from './output-path.ts';

export const FORMATS = ['json', 'itf', 'text', 'mermaid', 'dot', 'states-dot', 'html', 'chrome'] as const;
export type Format = (typeof FORMATS)[number];

/** File name of each format inside an output directory. */
export const FILE_OF: Record<Format, string> = {
  json: 'result.json',
  itf: 'trace.itf.json',
  text: 'trace.txt',
  mermaid: 'trace.mmd',
  dot: 'trace.dot',
  'states-dot': 'states.dot',
  html: 'report.html',
  chrome: 'trace.chrome.json',
};

export { OutputError };

export interface OutputOptions {
  force?: boolean;
  /** Most states the whole-graph DOT draws (default 200). */
  graphLimit?: number;
}

/** The text of one format. `states-dot` needs the model; trace formats need a trace. */
export function formatResult(result: Result, format: Format, model?: Model, opts: OutputOptions = {}): string {
  const needsTrace = format === 'itf' || format === 'mermaid' || format === 'dot' || format === 'chrome';
  if (needsTrace && !result.trace) throw new OutputError(`format ${format} needs a counterexample trace, and this result (${result.verdict}) has none`, EXIT.badOption);
  switch (format) {
    case 'json': return JSON.stringify(result, null, 2) + '\n';
    case 'itf': return JSON.stringify(toItf(result), null, 2) + '\n';
    case 'text': return renderText(result, model, { full: true }) + '\n';
    case 'mermaid': return toMermaid(result);
    case 'dot': return traceToDot(result);
    case 'states-dot':
      if (!model) throw new OutputError('format states-dot draws the model\'s whole state graph: it needs the model (use `check --out`)', EXIT.badOption);
      return stateGraphToDot(model, result, { limit: opts.graphLimit ?? STATE_GRAPH_LIMIT });
    case 'html': return toHtml(result);
    case 'chrome': return JSON.stringify(toChromeTrace(result), null, 1) + '\n';
  }
}

export interface Written {
  format: Format;
  file: string;
  /** Why the file was not written (no trace, graph too large, no model). */
  skipped?: string;
}

/**
 * Refuse early (before a long check) when `dir` cannot be the output directory: a file, a
 * dangling link, not writable, or (without `force`) holding any file `writeAllFormats` would write.
 */
export function checkOutDir(dir: string, force = false): void {
  checkOutputDir(dir, { flag: '--out', force, files: FORMATS.map((f) => FILE_OF[f]) });
}

/**
 * Write every format that applies into `dir` (created if missing). Throws OutputError, before
 * writing anything, when a target exists and `force` is not set.
 */
export function writeAllFormats(result: Result, model: Model | undefined, dir: string, opts: OutputOptions = {}): Written[] {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new OutputError(`--out ${dir}: exists and is not a directory; give a directory`);
  const plan: Written[] = FORMATS.map((format) => ({ format, file: join(dir, FILE_OF[format]) }));
  const texts = new Map<Format, string>();
  for (const w of plan) {
    try {
      texts.set(w.format, formatResult(result, w.format, model, opts));
    } catch (err) {
      if (err instanceof OutputError || err instanceof GraphTooLargeError) w.skipped = err.message;
      else throw err;
    }
  }
  if (!opts.force) {
    const clash = plan.filter((w) => !w.skipped && existsSync(w.file)).map((w) => w.file);
    if (clash.length) throw new OutputError(`--out ${dir}: refusing to overwrite ${clash.join(', ')} (add --force to replace them)`, EXIT.badOption);
  }
  makeDirs(dir, '--out');
  for (const w of plan) if (!w.skipped) writeOutput(w.file, texts.get(w.format)!, '--out');
  return plan;
}
