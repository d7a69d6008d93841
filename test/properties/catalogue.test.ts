/**
 * The kernel property catalogue (properties/catalogue/) against the primitives and the built-in
 * models that use it:
 * - every id any variant of any built-in model generates is a catalogue entry, of the same kind,
 *   and the built IR carries the entry's class (unless the model calls `m.classify` for it);
 * - no source file under model/ (primitives, protocol models, lemmas; not model/lang/, whose doc
 *   examples show the string forms) spells a catalogue id as a string literal: ids are named
 *   through `KERNEL.<group>.<entry>`, so an id, its message and its class are written once;
 * - the catalogue itself: unique ids, one-line messages, a `kernel` note naming a kernel function
 *   or commit, and nothing imported from outside properties/.
 */
import { describe, it, expect } from 'vitest';
import ts from 'typescript';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinModels } from '../../model/registry.ts';
import type { Model } from '../../model/lang/ir.ts';
import { KERNEL, CATALOGUE, catalogueEntry } from '../../properties/catalogue/index.ts';
import { CLASSES } from '../../properties/classes.ts';
import { KINDS } from '../../properties/kinds.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CATALOGUE_IDS = new Set(CATALOGUE.map((e) => e.id));

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

function parse(source: string, fileName = 'sample.ts'): ts.SourceFile {
  return ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/**
 * The string literals of `source` ('…', "…" or `…` without substitutions) whose text is a
 * catalogue id (or one of `ids`), with their 1-based lines. Comments do not count: a doc
 * comment may name an id, code may not.
 */
function inlineIds(source: string, ids: ReadonlySet<string> = CATALOGUE_IDS): { id: string; line: number }[] {
  const sf = parse(source);
  const found: { id: string; line: number }[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && ids.has(node.text)) {
      found.push({ id: node.text, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/**
 * Ids given another class by `m.classify(id, cls)` anywhere under model/: the first argument is
 * a catalogue entry's id (`KERNEL.<group>.<entry>.id`) or a string literal.
 */
function classifiedIds(): Set<string> {
  const out = new Set<string>();
  for (const file of tsFiles(join(ROOT, 'model'))) {
    const sf = parse(readFileSync(file, 'utf8'), file);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'classify') {
        const arg = node.arguments[0];
        if (arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))) out.add(arg.text);
        const m = arg && /^KERNEL\.(\w+)\.(\w+)(?:\.id)?$/.exec(arg.getText(sf));
        if (m) {
          const entry = (KERNEL as unknown as Record<string, Record<string, { id: string }>>)[m[1]]?.[m[2]];
          if (entry) out.add(entry.id);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

interface Built {
  where: string;
  model: Model;
}

/** Every variant of every built-in model, at its default bounds. */
function buildAll(): Built[] {
  return builtinModels.flatMap((def) => {
    const bounds = Object.fromEntries(def.bounds.map((b) => [b.name, b.default]));
    return def.variants.map((v) => ({ where: `${def.name}/${v.name}`, model: def.build(v.name, bounds) }));
  });
}

/** Each generated property and requirement: id, kind, class, where. */
function generated(all: Built[]) {
  return all.flatMap(({ where, model }) => [
    ...model.properties.map((p) => ({ where, id: p.id, kind: p.kind as string, class: p.class })),
    ...model.actions.flatMap((a) => a.requires.map((r) => ({ where: `${where} ${a.name}`, id: r.id, kind: 'requires', class: r.class }))),
  ]);
}

describe('the catalogue', () => {
  it('keeps generic first and has camelCase keys', () => {
    expect(Object.keys(KERNEL)[0]).toBe('generic');
    for (const [g, entries] of Object.entries(KERNEL)) {
      expect(g).toMatch(/^[a-z][A-Za-z0-9]*$/);
      for (const key of Object.keys(entries)) expect(`${g}.${key}`).toMatch(/^[a-z][A-Za-z0-9]*\.[a-z][A-Za-z0-9]*$/);
    }
  });

  it('has unique ids', () => {
    const seen = new Map<string, number>();
    for (const e of CATALOGUE) seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
    expect([...seen].filter(([, n]) => n > 1).map(([id]) => id)).toEqual([]);
    expect(catalogueEntry('refcount.add-on-zero')).toBe(KERNEL.refcount.addOnZero);
  });

  it('gives every entry a kind, a class, a one-line message and a kernel note naming a function or commit', () => {
    const bad: string[] = [];
    for (const e of CATALOGUE) {
      if (!KINDS.includes(e.kind)) bad.push(`${e.id}: kind ${e.kind}`);
      if (!CLASSES.includes(e.class)) bad.push(`${e.id}: class ${e.class}`);
      if (!e.message.trim() || /[\r\n]/.test(e.message)) bad.push(`${e.id}: message must be one non-empty line`);
      if (!e.kernel.trim() || /[\r\n]/.test(e.kernel)) bad.push(`${e.id}: kernel must be one non-empty line`);
      if (!e.kernel.includes('(') && !/\b[0-9a-f]{12,40}\b/.test(e.kernel)) bad.push(`${e.id}: kernel names no function or commit`);
    }
    expect(bad).toEqual([]);
  });

  it('keeps the kernel refcount_t messages word for word', () => {
    expect(KERNEL.refcount.addOnZero.message).toBe('refcount_t: addition on 0; use-after-free.');
    expect(KERNEL.refcount.saturated.message).toBe('refcount_t: saturated; leaking memory.');
    expect(KERNEL.refcount.underflow.message).toBe('refcount_t: underflow; use-after-free.');
    expect(KERNEL.refcount.decLeak.message).toBe('refcount_t: decrement hit 0; leaking memory.');
  });

  it('imports nothing outside properties/', () => {
    const dir = join(ROOT, 'properties', 'catalogue');
    const outside: string[] = [];
    for (const file of tsFiles(dir)) {
      const sf = parse(readFileSync(file, 'utf8'), file);
      sf.forEachChild((node) => {
        const spec = (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier
          && ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : undefined;
        if (spec === undefined) return;
        const target = relative(join(ROOT, 'properties'), resolve(dirname(file), spec));
        if (!spec.startsWith('.') || target.startsWith('..')) outside.push(`${relative(ROOT, file)} → ${spec}`);
      });
    }
    expect(outside).toEqual([]);
  });
});

describe('built-in models and the catalogue', () => {
  const all = buildAll();
  const props = generated(all);

  it('builds every variant', () => {
    expect(all.length).toBeGreaterThan(0);
    expect(props.length).toBeGreaterThan(0);
  });

  it('generates only catalogue ids, each of the entry\'s kind', () => {
    const missing = [...new Set(props.filter((p) => !catalogueEntry(p.id)).map((p) => `${p.id} (${p.where})`))];
    expect(missing).toEqual([]);
    const wrongKind = [...new Set(props.filter((p) => catalogueEntry(p.id) && catalogueEntry(p.id)!.kind !== p.kind)
      .map((p) => `${p.id}: built as ${p.kind}, catalogue ${catalogueEntry(p.id)!.kind}`))];
    expect(wrongKind).toEqual([]);
  });

  it('gives every property and requirement a class, the catalogue\'s unless the model classifies it', () => {
    const classified = classifiedIds();
    const unclassed = [...new Set(props.filter((p) => !p.class || !CLASSES.includes(p.class)).map((p) => `${p.id} (${p.where})`))];
    expect(unclassed).toEqual([]);
    const differs = [...new Set(props
      .filter((p) => !classified.has(p.id) && catalogueEntry(p.id) && p.class !== catalogueEntry(p.id)!.class)
      .map((p) => `${p.id}: ${p.class} in ${p.where}, catalogue ${catalogueEntry(p.id)!.class}`))];
    expect(differs).toEqual([]);
  });
});

describe('no catalogue id spelled inline under model/', () => {
  it('inlineIds finds a planted id in any quote style, and not in comments or longer strings', () => {
    const sample = [
      "// requires('lock.held-at-exit', …) in a comment is documentation",
      '/** `mutex.recursive` in a doc comment too */',
      "const a = requires('refcount.add-on-zero', 'refcount_t: addition on 0; use-after-free.', ne(c, 0));",
      'const b = m.invariant("lockdep.cycle", "cycle", not(cyclic(order)));',
      'const c = `sleep-in-atomic`;',
      "const d = { expect: 'violation:deadlock', label: 'refcount.add-on-zero-ish', t: `${x}mm.leak` };",
      'const e = requires(KERNEL.refcount.addOnZero, ne(c, 0));',
    ].join('\n');
    expect(inlineIds(sample)).toEqual([
      { id: 'refcount.add-on-zero', line: 3 },
      { id: 'lockdep.cycle', line: 4 },
      { id: 'sleep-in-atomic', line: 5 },
    ]);
  });

  it('holds for the primitives and the protocol models', () => {
    const files = tsFiles(join(ROOT, 'model')).filter((f) => !relative(ROOT, f).startsWith(`model${sep}lang${sep}`));
    expect(files.some((f) => f.endsWith(join('primitives', 'refcount.ts')))).toBe(true);
    const found = files.flatMap((f) => inlineIds(readFileSync(f, 'utf8')).map((x) => `${relative(ROOT, f)}:${x.line} '${x.id}'`));
    expect(found).toEqual([]);
  });
});
