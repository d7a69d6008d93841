import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { EXAMPLES, exampleChecks } from '../../cli/ci/examples.ts';
import { builtinChecks } from '../../cli/commands/ci.ts';
import type { ModelDef } from '../../model/lang/define.ts';

// examples/ is what a user copies: it imports protocheck as the README shows, and npm start
// checks every variant it declares (cli/ci/examples.ts repeats them; this keeps the two equal).
const ROOT = new URL('../../', import.meta.url);
const files = readdirSync(new URL('examples/', ROOT)).filter((f) => f.endsWith('.ts')).map((f) => `examples/${f}`).sort();

describe('examples/', () => {
  it('every example file is checked by npm start, and only those', () => {
    expect(EXAMPLES.map((e) => e.file).sort()).toEqual(files);
  });

  for (const file of files) {
    it(`${file} imports only 'protocheck' and 'protocheck/…', never a path into the repository`, () => {
      const specs = [...readFileSync(new URL(file, ROOT), 'utf8').matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
      expect(specs.length).toBeGreaterThan(0);
      for (const s of specs) expect(s).toMatch(/^protocheck(\/(primitives|properties|api))?$/);
    });

    it(`${file}: the npm start entries are the variants and expectations the file declares`, async () => {
      const def = (await import(new URL(file, ROOT).href)).default as ModelDef;
      const listed = EXAMPLES.find((e) => e.file === file)!.variants;
      expect(listed).toEqual(def.variants.map((v) => [v.name, v.expect]));
    });
  }

  it('npm start (ci --builtin) ends with the example checks, named by file and variant', () => {
    const names = builtinChecks().map((c) => `${c.name} → ${c.expect}`);
    expect(names.slice(-9)).toEqual([
      'examples/kref-lookup.ts/get-unless-zero → pass',
      'examples/kref-lookup.ts/kref-get → violation:refcount.add-on-zero',
      'examples/rcu-reclaim.ts/grace-period → pass',
      'examples/rcu-reclaim.ts/call-rcu → pass',
      'examples/rcu-reclaim.ts/no-grace-period → violation:obj.use-after-free',
      'examples/task-lock-pointer.ts/fixed → pass',
      'examples/task-lock-pointer.ts/no-get-task-struct → violation:refcount.use-after-free',
      'examples/task-lock-pointer.ts/no-tasklist-lock → violation:spinlock.unlock-not-owner',
      'examples/task-lock-pointer.ts/no-null-check → violation:pointer.null-deref',
    ]);
    // Paths are the repository's, so npm start finds them from any directory.
    expect(new Set(exampleChecks().map((c) => `${c.engine} ${c.baseDir}`))).toEqual(new Set([`explicit ${resolve(fileURLToPath(ROOT))}`]));
  });
});
