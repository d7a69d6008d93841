/**
 * Failures of the standard streams themselves: stdout closed by its reader
 * (`protocheck ci --json | head -1`: EPIPE) or on a full device (`> /dev/full`: ENOSPC). Without
 * a listener Node throws them as an uncaught exception with a stack; here they end the run at
 * once with one line and exit 73 (EXIT.cannotWrite), whatever the verdict so far.
 *
 * @example
 * exitOnStreamErrors(process.stdout, process.stderr);   // once, in bin/protocheck.js
 */
import { EXIT } from '../checker/result.ts';
import { fsReason } from '../counterexamples/output-path.ts';

/** Install the handlers; `exit` is `process.exit` except in tests. */
export function exitOnStreamErrors(
  stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream,
  exit: (code: number) => void = (c) => process.exit(c),
): void {
  let failed = false;
  stdout.on('error', (err: unknown) => {
    if (failed) return;
    failed = true;
    try {
      stderr.write(`protocheck: error: cannot write to stdout: ${fsReason(err)}; output stopped\n`);
    } catch { /* stderr may be gone too */ }
    exit(EXIT.cannotWrite);
  });
  // stderr closed or full: nothing left to tell the user on; stop with the same code.
  stderr.on('error', () => {
    if (failed) return;
    failed = true;
    exit(EXIT.cannotWrite);
  });
}

/**
 * Whether to colour the output: `FORCE_COLOR` set (and not `0`/`false`) forces it, even into a
 * pipe; else `NO_COLOR` set to anything but the empty string turns it off; else only a terminal
 * gets colour. Example: `colorWanted(process.env, process.stdout.isTTY)`.
 */
export function colorWanted(env: NodeJS.ProcessEnv, isTTY: boolean | undefined): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !/^(0|false)$/i.test(force);
  if (env.NO_COLOR) return false;
  return Boolean(isTTY);
}
