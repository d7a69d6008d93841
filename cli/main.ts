/**
 * The protocheck command line. `main(argv)` returns the exit code instead of exiting, so tests
 * can run it in-process. Every command lives in cli/commands/<name>.ts and registers itself.
 * Errors are one line on stderr (`protocheck: error: …`) with a distinct exit code (see EXIT);
 * an internal error (a bug in protocheck) is the only case that prints more.
 *
 * @example
 * const code = await main(['check', 'mm', '--variant', 'fixed', '--json']);
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { builtinModels, findBuiltin } from '../model/registry.ts';
import { EXIT } from '../checker/result.ts';
import { CliError, exitCodeOfError, firstLine } from './errors.ts';
import { InternalError, TooLargeError } from '../checker/check.ts';
import { ModelError } from '../model/lang/expr.ts';
import { isInterrupted } from './interruptible.ts';
import { colorWanted } from './stdio.ts';
import * as checkCmd from './commands/check.ts';
import * as listCmd from './commands/list.ts';
import * as ciCmd from './commands/ci.ts';
import * as mergeCmd from './commands/merge.ts';
import * as diffCmd from './commands/diff.ts';
import * as replayCmd from './commands/replay.ts';
import * as exportCmd from './commands/export.ts';
import * as lemmasCmd from './commands/lemmas.ts';
import * as propertiesCmd from './commands/properties.ts';

export interface CliContext {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  color: boolean;
  setExit(code: number): void;
}

function commanderMessage(err: CommanderError, argv: string[]): string {
  let msg = err.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
  const cmd = argv.find((a) => !a.startsWith('-'));
  const help = cmd && ['check', 'list', 'properties', 'ci', 'merge', 'diff', 'replay', 'export', 'lemmas'].includes(cmd) ? `protocheck ${cmd} --help` : 'protocheck --help';
  const bound = err.code === 'commander.unknownOption' ? boundHint(msg, argv) : undefined;
  if (bound) msg = `${msg.replace(/ \(Did you mean [^)]*\)/, '')}; ${bound}`;
  return `${msg} (see '${help}')`;
}

/** For `--faults 3` where `faults` is a bound of the model named on the command line: say `--bound faults=3`. */
function boundHint(msg: string, argv: string[]): string | undefined {
  const flag = /unknown option '--([^'=]+)/.exec(msg)?.[1];
  if (!flag) return undefined;
  const i = argv.indexOf(`--${flag}`);
  const value = i >= 0 && argv[i + 1] !== undefined && !argv[i + 1].startsWith('-') ? argv[i + 1] : 'N';
  const named = argv.filter((a) => !a.startsWith('-')).map((a) => findBuiltin(a)).find((d) => d !== undefined);
  if (named) return named.bounds.some((b) => b.name === flag) ? `'${flag}' is a bound of model ${named.name}: write --bound ${flag}=${value}` : undefined;
  return builtinModels.some((d) => d.bounds.some((b) => b.name === flag)) ? `if '${flag}' is a bound of the model, write --bound ${flag}=${value}` : undefined;
}

/** protocheck's version, from its package.json. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

export async function main(argv: string[], io: Partial<CliContext> = {}): Promise<number> {
  let exit = 0;
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const ctx: CliContext = {
    stdout, stderr,
    color: io.color ?? colorWanted(process.env, stdout.isTTY),
    setExit: (c) => { exit = c; },
  };
  const program = new Command('protocheck')
    .description('model checker for kernel refcount and lock protocols')
    .version(packageVersion(), '-V, --version', 'print the version of protocheck')
    .exitOverride()
    .configureOutput({ writeOut: (s) => stdout.write(s), writeErr: () => {}, outputError: () => {} })
    .showSuggestionAfterError(true);
  for (const c of [listCmd, propertiesCmd, checkCmd, ciCmd, mergeCmd, diffCmd, replayCmd, exportCmd, lemmasCmd]) c.register(program, ctx);

  const fail = (message: string, code: number) => {
    stderr.write(`protocheck: error: ${message}\n`);
    return code;
  };
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync(argv, { from: 'user' });
    return exit;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      const badValue = err.code === 'commander.invalidArgument';
      return fail(commanderMessage(err, argv), badValue ? EXIT.badOption : EXIT.usage);
    }
    if (isInterrupted(err)) {
      stderr.write(`protocheck: ${err.message}\n`);
      return EXIT.interrupted;
    }
    if (err instanceof CliError) return fail(err.message, err.exitCode);
    if (err instanceof ModelError) return fail(`model: ${err.message}`, EXIT.modelBuild);
    if (err instanceof TooLargeError) return fail(`${err.message}`, EXIT.tooLarge);
    if (err instanceof InternalError) {
      stderr.write(`protocheck: internal error (a bug in protocheck, please report it): ${err.message}\n`);
      return EXIT.internal;
    }
    const code = exitCodeOfError(err, EXIT.internal);
    if (code !== EXIT.internal) return fail(firstLine(err), code);
    stderr.write(`protocheck: internal error (a bug in protocheck, please report it): ${firstLine(err)}\n${(err as Error)?.stack ?? ''}\n`);
    return EXIT.internal;
  }
}
