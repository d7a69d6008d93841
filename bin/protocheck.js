#!/usr/bin/env node
// The protocheck command. Models are TypeScript modules, so the tsx loader is registered first,
// then a hook that loads .ts model files as ESM wherever they live; the CLI (cli/main.ts)
// then imports built-in and user models alike.
import { register } from 'tsx/esm/api';
import { register as registerHooks } from 'node:module';

register();
registerHooks('./esm-models.mjs', import.meta.url);
const { main } = await import('../cli/main.ts');
const { exitOnStreamErrors } = await import('../cli/stdio.ts');
exitOnStreamErrors(process.stdout, process.stderr);
// `--max-seconds` loads a model file first in a worker, which needs the same hooks.
(await import('../cli/load-watchdog.ts')).setModelHooks(new URL('./esm-models.mjs', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
