/**
 * A user-facing error: one line, an exit code from EXIT, never a stack trace.
 * Library code throws it (or any Error with an `exitCode`); the CLI prints `protocheck: error: …`.
 *
 * @example
 * throw new CliError(`unknown model 'mn'; built-in models: mm`, EXIT.modelNotFound);
 */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
    this.name = 'CliError';
  }
}

/** The exit code an error carries, or `fallback`. */
export function exitCodeOfError(err: unknown, fallback: number): number {
  const code = (err as { exitCode?: unknown } | undefined)?.exitCode;
  return typeof code === 'number' ? code : fallback;
}

/** The first line of an error's message. */
export function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}
