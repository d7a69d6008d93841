// The globals a model file may use beyond ES2022 when protocheck type-checks it
// (cli/load-typecheck.ts): the check leaves out the DOM library, whose 1.9 MB took 0.3 s to
// parse and check, and so its `console`.
declare var console: {
  log(...data: unknown[]): void;
  error(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  info(...data: unknown[]): void;
  debug(...data: unknown[]): void;
};
