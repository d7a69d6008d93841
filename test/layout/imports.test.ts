/**
 * The layering of the top-level folders, enforced. Lowest first:
 *
 *   properties/ < model/ < checker/ < counterexamples/ < cli/
 *
 * A folder may import only from itself and from the folders its README.md names on its
 * `May import:` line, and that line may name only folders below it. Every import specifier of
 * every .ts/.mjs/.js file in the five folders counts: static and type-only imports, re-exports,
 * side-effect imports, dynamic `import('…')`, `import('…')` types, `require('…')` and
 * `new URL('…', import.meta.url)`. Specifiers are read from the TypeScript syntax tree, so an
 * import in a comment or a string is not one.
 *
 * On failure the test lists each offending file → import; the folder graph must be acyclic.
 */
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The layers, lowest first. */
const LAYERS = ['properties', 'model', 'checker', 'counterexamples', 'cli'] as const;
type Layer = (typeof LAYERS)[number];

/** Files in the repository root a layer may reference (data, not code: the package manifest). */
const ROOT_FILES_ALLOWED = new Set(['package.json']);

const CODE_FILE = /\.(?:[cm]?ts|tsx|[cm]?js)$/;

// ---------------------------------------------------------------------------------------------
// Extraction

type ImportKind =
  | 'import' | 'import type' | 'side-effect' | 'export from' | 'dynamic import' | 'import() type'
  | 'require' | 'import = require' | 'new URL';

interface ImportRef { specifier: string; kind: ImportKind; line: number }
interface Extracted {
  imports: ImportRef[];
  /** Dynamic imports whose argument is not a string literal (user model files, worker entries). */
  nonLiteral: { text: string; line: number }[];
}

function scriptKind(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  return /\.[cm]?ts$/.test(file) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
}

function literalText(node: ts.Node | undefined): string | undefined {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
}

function isImportMetaUrl(node: ts.Node): boolean {
  return ts.isPropertyAccessExpression(node) && node.name.text === 'url'
    && ts.isMetaProperty(node.expression) && node.expression.keywordToken === ts.SyntaxKind.ImportKeyword;
}

/** Every import specifier of one source file, with its kind and 1-based line. */
function extractImports(fileName: string, source: string): Extracted {
  const kind = scriptKind(fileName);
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, kind);
  const imports: ImportRef[] = [];
  const nonLiteral: Extracted['nonLiteral'] = [];
  const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const add = (spec: string | undefined, k: ImportKind, n: ts.Node) => { if (spec !== undefined) imports.push({ specifier: spec, kind: k, line: lineOf(n) }); };

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const c = node.importClause;
      const typeOnly = !!c && (c.isTypeOnly || (!c.name && !!c.namedBindings && ts.isNamedImports(c.namedBindings)
        && c.namedBindings.elements.length > 0 && c.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(literalText(node.moduleSpecifier), !c ? 'side-effect' : typeOnly ? 'import type' : 'import', node);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      add(literalText(node.moduleSpecifier), 'export from', node);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(literalText(node.moduleReference.expression), 'import = require', node);
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      add(ts.isLiteralTypeNode(arg) ? literalText(arg.literal) : undefined, 'import() type', node);
    } else if (ts.isCallExpression(node)) {
      const [arg] = node.arguments;
      const dynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const req = ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1;
      if (dynamic || req) {
        const spec = literalText(arg);
        if (spec !== undefined) add(spec, dynamic ? 'dynamic import' : 'require', node);
        else if (dynamic) nonLiteral.push({ text: node.getText(sf), line: lineOf(node) });
      }
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL'
      && node.arguments?.length === 2 && isImportMetaUrl(node.arguments[1]!)) {
      add(literalText(node.arguments[0]), 'new URL', node);
    }
    // JSDoc types (`@type {import('./x.js').T}`) are type imports in JavaScript files.
    if (kind === ts.ScriptKind.JS) for (const doc of (node as { jsDoc?: ts.Node[] }).jsDoc ?? []) ts.forEachChild(doc, visit);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { imports, nonLiteral };
}

// ---------------------------------------------------------------------------------------------
// Resolution

/** Where a specifier points: an outside package, a top-level folder, or a file in the repository root. */
type Target =
  | { type: 'package' }
  | { type: 'folder'; folder: string; path: string }
  | { type: 'root-file'; path: string }
  | { type: 'outside-repo'; path: string };

const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; exports?: Record<string, string> };

function targetOfPath(repoPath: string): Target {
  const p = posix.normalize(repoPath);
  if (p === '..' || p.startsWith('../')) return { type: 'outside-repo', path: p };
  const slash = p.indexOf('/');
  return slash < 0 ? { type: 'root-file', path: p } : { type: 'folder', folder: p.slice(0, slash), path: p };
}

/** Resolve `spec`, written in repository file `from` (posix, relative to the root). */
function resolveSpecifier(from: string, spec: string, pkg: { name: string; exports?: Record<string, string> } = PACKAGE): Target {
  const bare = spec.replace(/[?#].*$/, '');
  if (bare === '.' || bare === '..' || bare.startsWith('./') || bare.startsWith('../')) {
    return targetOfPath(posix.join(posix.dirname(from), bare));
  }
  if (bare === pkg.name || bare.startsWith(`${pkg.name}/`)) {
    // A self-reference through the package's own exports map is an import of that file.
    const key = `.${bare.slice(pkg.name.length)}`;
    const mapped = pkg.exports?.[key];
    return mapped ? targetOfPath(mapped) : { type: 'folder', folder: `(unmapped ${bare})`, path: bare };
  }
  if (bare.startsWith('file:') || bare.startsWith('/')) {
    const abs = bare.startsWith('file:') ? fileURLToPath(bare) : bare;
    const rel = posix.relative(ROOT.split('\\').join('/'), abs);
    return targetOfPath(rel);
  }
  return { type: 'package' };
}

function describeTarget(t: Target): string {
  switch (t.type) {
    case 'package': return 'a package';
    case 'folder': return `${t.folder}/`;
    case 'root-file': return `the repository root (${t.path})`;
    case 'outside-repo': return `outside the repository (${t.path})`;
  }
}

// ---------------------------------------------------------------------------------------------
// Checking

/** The `May import:` line of a folder's README: the folders (without slash) it names. */
function parseMayImport(readme: string, where: string): string[] {
  const lines = readme.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('May import:'));
  if (lines.length !== 1) throw new Error(`${where}: expected exactly one line 'May import: …', found ${lines.length}`);
  const rest = lines[0]!.slice('May import:'.length).trim();
  if (rest === 'nothing outside this folder') return [];
  return rest.split(',').map((s) => s.trim()).map((s) => {
    if (!/^[a-z][a-z0-9-]*\/$/.test(s)) throw new Error(`${where}: 'May import:' entry '${s}' is not a folder like 'model/'`);
    return s.slice(0, -1);
  });
}

interface Edge { file: string; line: number; specifier: string; kind: ImportKind; from: string; target: Target }
interface Analysis {
  edges: Edge[];
  violations: string[];
  /** Folder graph: from folder → to folder → the imports that make the edge. */
  graph: Map<string, Map<string, Edge[]>>;
  nonLiteral: string[];
}

/**
 * Check a set of sources (repository-relative posix path → text) against each folder's allowed
 * imports. Pure, so the self-test can run it on in-memory samples.
 */
function analyse(files: Map<string, string>, allowed: Map<string, string[]>, pkg = PACKAGE): Analysis {
  const edges: Edge[] = [];
  const violations: string[] = [];
  const nonLiteral: string[] = [];
  const graph = new Map<string, Map<string, Edge[]>>();
  for (const [file, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const from = file.split('/')[0]!;
    const ok = allowed.get(from) ?? [];
    const { imports, nonLiteral: dyn } = extractImports(file, text);
    dyn.forEach((d) => nonLiteral.push(`${file}:${d.line} ${d.text}`));
    for (const imp of imports) {
      const target = resolveSpecifier(file, imp.specifier, pkg);
      const edge: Edge = { file, line: imp.line, specifier: imp.specifier, kind: imp.kind, from, target };
      edges.push(edge);
      if (target.type === 'package') continue;
      if (target.type === 'folder' && target.folder !== from) {
        const out = graph.get(from) ?? new Map<string, Edge[]>();
        graph.set(from, out);
        out.set(target.folder, [...(out.get(target.folder) ?? []), edge]);
      }
      const fine = target.type === 'folder' ? target.folder === from || ok.includes(target.folder)
        : target.type === 'root-file' ? ROOT_FILES_ALLOWED.has(target.path)
        : false;
      if (!fine) {
        violations.push(`${file}:${imp.line} → '${imp.specifier}' (${imp.kind}): ${describeTarget(target)}; `
          + `${from}/ may import ${ok.length ? ok.map((f) => `${f}/`).join(', ') : 'nothing outside itself'}`);
      }
    }
  }
  return { edges, violations, graph, nonLiteral };
}

interface Cycle {
  /** One shortest cycle through the component's first folder, that folder repeated at the end. */
  cycle: string[];
  /** Every folder of the strongly connected component (sorted). */
  component: string[];
}

/** Every strongly connected component with more than one node (or a self-loop), each with one concrete cycle. */
function findCycles(graph: Map<string, Iterable<string>>): Cycle[] {
  // Copy once: the successor lists may be one-shot iterators (Map.keys()).
  const adj = new Map<string, string[]>();
  for (const [a, bs] of graph) adj.set(a, [...new Set([...(adj.get(a) ?? []), ...bs])].sort());
  const nodes = new Set<string>();
  for (const [a, bs] of adj) { nodes.add(a); bs.forEach((b) => nodes.add(b)); }
  const succ = (n: string) => adj.get(n) ?? [];
  // Tarjan's strongly connected components.
  let index = 0;
  const idx = new Map<string, number>(), low = new Map<string, number>(), onStack = new Set<string>(), stack: string[] = [];
  const sccs: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); onStack.add(v);
    for (const w of succ(v)) {
      if (!idx.has(w)) { strong(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1 || succ(v).includes(v)) sccs.push(scc);
    }
  };
  [...nodes].sort().forEach((n) => { if (!idx.has(n)) strong(n); });
  // One shortest cycle through the first node of each component (breadth first, inside it).
  const cycleIn = (scc: string[]): string[] => {
    const members = new Set(scc);
    const start = [...scc].sort()[0]!;
    const prev = new Map<string, string>();
    const queue = [start];
    while (queue.length) {
      const v = queue.shift()!;
      for (const w of succ(v)) {
        if (!members.has(w)) continue;
        if (w === start) {
          const path = [start];
          for (let u = v; u !== start; u = prev.get(u)!) path.splice(1, 0, u);
          return [...path, start];
        }
        if (!prev.has(w)) { prev.set(w, v); queue.push(w); }
      }
    }
    return [start, start];
  };
  return sccs.map((scc) => ({ cycle: cycleIn(scc), component: [...scc].sort() }))
    .sort((a, b) => a.cycle.join().localeCompare(b.cycle.join()));
}

function cycleMessage({ cycle, component }: Cycle, graph: Analysis['graph']): string {
  const hops = cycle.slice(0, -1).map((a, i) => {
    const b = cycle[i + 1]!;
    const e = graph.get(a)?.get(b) ?? [];
    const shown = e.slice(0, 3).map((x) => `${x.file}:${x.line} '${x.specifier}'`).join(', ');
    return `  ${a}/ → ${b}/ via ${shown}${e.length > 3 ? `, and ${e.length - 3} more` : ''}`;
  });
  const rest = component.length > cycle.length - 1 ? ` (all of ${component.map((f) => `${f}/`).join(', ')} reach each other)` : '';
  return `cycle ${cycle.map((f) => `${f}/`).join(' → ')}${rest}\n${hops.join('\n')}`;
}

// ---------------------------------------------------------------------------------------------
// The repository

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (CODE_FILE.test(name)) out.push(full);
  }
  return out;
}

function repoSources(): Map<string, string> {
  const files = new Map<string, string>();
  for (const layer of LAYERS) {
    for (const full of walk(join(ROOT, layer))) {
      files.set(full.slice(ROOT.length + 1).split('\\').join('/'), readFileSync(full, 'utf8'));
    }
  }
  return files;
}

function readmeAllowed(): Map<string, string[]> {
  return new Map(LAYERS.map((l) => [l, parseMayImport(readFileSync(join(ROOT, l, 'README.md'), 'utf8'), `${l}/README.md`)]));
}

let cached: { files: Map<string, string>; allowed: Map<string, string[]>; analysis: Analysis } | undefined;
function repo() {
  if (!cached) {
    const files = repoSources();
    const allowed = readmeAllowed();
    cached = { files, allowed, analysis: analyse(files, allowed) };
  }
  return cached;
}

// ---------------------------------------------------------------------------------------------

describe('layout: the checker itself (in-memory samples)', () => {
  const sample = [
    `import { a } from './a.ts';`,
    `import type { T } from '../model/lang/ir.ts';`,
    `import { type U, type V } from '../properties/ref.ts';`,
    `import '../checker/side.ts';`,
    `export * from './b.ts';`,
    `export { c } from "./c.ts";`,
    `import fs from 'node:fs';`,
    `// import { fake } from '../cli/commented.ts';`,
    `/* import('../cli/block-comment.ts') */`,
    `const s = "import x from '../cli/in-a-string.ts'";`,
    `const m = await import('../counterexamples/dyn.ts');`,
    `const n = await import(\`../cli/template.ts\`);`,
    `const user = await import(userFile);`,
    `let t: import('../model/typeref.ts').Sort;`,
    `const w = new URL('./worker.mjs', import.meta.url);`,
    `const notRelative = new URL('./ignored.json', 'file:///elsewhere/');`,
    `import self from 'protocheck/primitives';`,
  ].join('\n');

  it('sees every kind of import, and none in comments or strings', () => {
    const { imports, nonLiteral } = extractImports('checker/x.ts', sample);
    expect(imports.map((i) => [i.specifier, i.kind, i.line])).toEqual([
      ['./a.ts', 'import', 1],
      ['../model/lang/ir.ts', 'import type', 2],
      ['../properties/ref.ts', 'import type', 3],
      ['../checker/side.ts', 'side-effect', 4],
      ['./b.ts', 'export from', 5],
      ['./c.ts', 'export from', 6],
      ['node:fs', 'import', 7],
      ['../counterexamples/dyn.ts', 'dynamic import', 11],
      ['../cli/template.ts', 'dynamic import', 12],
      ['../model/typeref.ts', 'import() type', 14],
      ['./worker.mjs', 'new URL', 15],
      ['protocheck/primitives', 'import', 17],
    ]);
    expect(nonLiteral).toEqual([{ text: 'import(userFile)', line: 13 }]);
  });

  it('sees JSDoc type imports and require in JavaScript files', () => {
    const js = `/** @type {import('../cli/t.js').T} */\nexport const x = require('../model/r.js');`;
    expect(extractImports('bin/x.mjs', js).imports.map((i) => [i.specifier, i.kind])).toEqual([
      ['../cli/t.js', 'import() type'],
      ['../model/r.js', 'require'],
    ]);
  });

  it('resolves specifiers to top-level folders', () => {
    const pkg = { name: 'protocheck', exports: { '.': './model/lang/index.ts', './primitives': './model/primitives/index.ts' } };
    expect(resolveSpecifier('checker/symbolic/bmc.ts', '../../model/lang/ir.ts', pkg)).toMatchObject({ type: 'folder', folder: 'model' });
    expect(resolveSpecifier('checker/symbolic/z3.ts', './z3-boot.mjs', pkg)).toMatchObject({ type: 'folder', folder: 'checker' });
    expect(resolveSpecifier('cli/ci/sarif.ts', '../../package.json', pkg)).toEqual({ type: 'root-file', path: 'package.json' });
    expect(resolveSpecifier('cli/main.ts', '../../elsewhere.ts', pkg)).toMatchObject({ type: 'outside-repo' });
    expect(resolveSpecifier('checker/x.ts', 'protocheck/primitives', pkg)).toMatchObject({ type: 'folder', folder: 'model' });
    expect(resolveSpecifier('checker/x.ts', 'protocheck', pkg)).toMatchObject({ type: 'folder', folder: 'model' });
    expect(resolveSpecifier('checker/x.ts', 'node:fs', pkg)).toEqual({ type: 'package' });
    expect(resolveSpecifier('checker/x.ts', 'z3-solver', pkg)).toEqual({ type: 'package' });
  });

  it('reports a disallowed import, type-only ones included, and a folder cycle', () => {
    const files = new Map([
      ['properties/p.ts', `import type { Model } from '../model/m.ts';`],
      ['model/m.ts', `import { K } from '../properties/p.ts';\nexport const q = () => import('../checker/c.ts');`],
      ['checker/c.ts', `import { M } from '../model/m.ts';\nimport { P } from '../properties/p.ts';`],
      ['cli/ci.ts', `const pkg = new URL('../package.json', import.meta.url);\nconst t = new URL('../test/x.ts', import.meta.url);`],
    ]);
    const allowed = new Map([['properties', []], ['model', ['properties']], ['checker', ['properties', 'model']], ['cli', ['properties', 'model', 'checker']]]);
    const a = analyse(files, allowed);
    expect(a.violations).toHaveLength(3);
    expect(a.violations[0]).toMatch(/^cli\/ci\.ts:2 → '\.\.\/test\/x\.ts' \(new URL\): test\//);
    expect(a.violations[1]).toMatch(/^model\/m\.ts:2 → '\.\.\/checker\/c\.ts' \(dynamic import\): checker\//);
    expect(a.violations[2]).toMatch(/^properties\/p\.ts:1 → '\.\.\/model\/m\.ts' \(import type\): model\/; properties\/ may import nothing outside itself/);
    const cycles = findCycles(new Map([...a.graph].map(([k, v]) => [k, v.keys()])));
    // model↔properties and model↔checker form one component; one shortest cycle names it.
    expect(cycles).toEqual([{ cycle: ['checker', 'model', 'checker'], component: ['checker', 'model', 'properties'] }]);
    const msg = cycleMessage(cycles[0]!, a.graph);
    expect(msg).toMatch(/^cycle checker\/ → model\/ → checker\/ \(all of checker\/, model\/, properties\/ reach each other\)/);
    expect(msg).toContain(`model/ → checker/ via model/m.ts:2 '../checker/c.ts'`);
  });

  it('finds cycles in a fake folder graph, and none in an acyclic one', () => {
    const cyclic = new Map<string, string[]>([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']], ['e', ['f']], ['f', ['e']]]);
    expect(findCycles(cyclic).map((c) => c.cycle)).toEqual([['a', 'b', 'c', 'a'], ['e', 'f', 'e']]);
    const layered = new Map<string, string[]>([['cli', ['checker', 'model']], ['checker', ['model', 'properties']], ['model', ['properties']]]);
    expect(findCycles(layered)).toEqual([]);
  });

  it('reads May import lines', () => {
    expect(parseMayImport('# x\n\nMay import: properties/, model/\n', 'x')).toEqual(['properties', 'model']);
    expect(parseMayImport('May import: nothing outside this folder\n', 'x')).toEqual([]);
    expect(() => parseMayImport('no line here', 'x')).toThrow(/exactly one/);
    expect(() => parseMayImport('May import: model\n', 'x')).toThrow(/not a folder/);
  });
});

describe('layout: the repository', () => {
  it('has the five layer folders alongside test/', () => {
    const dirs = readdirSync(ROOT).filter((n) => statSync(join(ROOT, n)).isDirectory());
    for (const d of [...LAYERS, 'test']) expect(dirs, `top-level folder ${d}/`).toContain(d);
    for (const l of LAYERS) expect(existsSync(join(ROOT, l, 'README.md')), `${l}/README.md`).toBe(true);
  });

  it('walks real sources (not vacuous)', () => {
    const { files, analysis } = repo();
    for (const l of LAYERS) expect([...files.keys()].filter((f) => f.startsWith(`${l}/`)).length, `files in ${l}/`).toBeGreaterThan(0);
    expect(files.size).toBeGreaterThan(50);
    const local = analysis.edges.filter((e) => e.target.type !== 'package');
    expect(local.length).toBeGreaterThan(200);
    // The forms the tree is known to use are all seen.
    expect(analysis.edges.some((e) => e.kind === 'import type')).toBe(true);
    expect(analysis.edges.some((e) => e.kind === 'new URL')).toBe(true);
  });

  it('each README allows only folders below it', () => {
    const { allowed } = repo();
    const bad: string[] = [];
    LAYERS.forEach((l, i) => {
      const below = LAYERS.slice(0, i) as readonly string[];
      for (const a of allowed.get(l) ?? []) if (!below.includes(a)) bad.push(`${l}/README.md allows ${a}/, which is not a layer below ${l}/ (${below.map((b) => `${b}/`).join(', ') || 'none'})`);
    });
    expect(bad, bad.join('\n')).toEqual([]);
  });

  it('every import is allowed by its folder README', () => {
    const { violations } = repo().analysis;
    expect(violations, `imports not allowed by the folder's README (file → import):\n${violations.join('\n')}`).toEqual([]);
  });

  it('the top-level folder graph has no cycle', () => {
    const { graph } = repo().analysis;
    const cycles = findCycles(new Map([...graph].map(([k, v]) => [k, v.keys()])));
    const msg = cycles.map((c) => cycleMessage(c, graph)).join('\n');
    expect(cycles, `the folder graph has cycles; break each by moving the code or the import:\n${msg}`).toEqual([]);
  });

  it('checker/ imports nothing from cli/ or counterexamples/', () => {
    const bad = repo().analysis.edges
      .filter((e) => e.from === 'checker' && e.target.type === 'folder' && (e.target.folder === 'cli' || e.target.folder === 'counterexamples'))
      .map((e) => `${e.file}:${e.line} → '${e.specifier}'`);
    expect(bad, bad.join('\n')).toEqual([]);
  });
});
