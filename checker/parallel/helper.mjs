// A helper thread of the parallel explicit search (checker/parallel/pool.ts): registers the
// TypeScript loader, as cli/engine-worker.mjs does, then runs helper-main.ts.
import { register } from 'tsx/esm/api';

register();
await import('./helper-main.ts');
