/**
 * GitHub Actions workflow commands: one `::error` (or `::warning`) annotation per check that
 * is not as expected, placed on the violated property's line in the model file.
 */
import { relative, isAbsolute } from 'node:path';
import type { CiReport } from './report.ts';
import { sarifLevel } from '../../properties/classes.ts';

// Workflow command data escaping, as the Actions runner expects.
const escData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escProp = (s: string) => escData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function githubAnnotations(report: CiReport, root = process.cwd()): string[] {
  return report.checks.filter((c) => c.outcome !== 'as-expected').map((c) => {
    // A violated property's class sets the level, as in SARIF (capability: notice).
    const cls = c.outcome === 'unexpected-violation' ? c.result?.property?.class : undefined;
    const level = cls ? { error: 'error', warning: 'warning', note: 'notice' }[sarifLevel(cls)] : c.outcome === 'inconclusive' ? 'warning' : 'error';
    const loc = c.result?.property?.loc ?? c.locations?.model;
    const props = [`title=${escProp(`protocheck: ${c.name}`)}`];
    if (loc) {
      const file = isAbsolute(loc.file) ? relative(root, loc.file) : loc.file;
      props.unshift(`file=${escProp(file)}`, `line=${loc.line}`, `col=${loc.column}`);
    }
    return `::${level} ${props.join(',')}::${escData(cls ? `[${cls}] ${c.message}` : c.message)}`;
  });
}
