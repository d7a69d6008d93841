/**
 * A proved invariant as printed: the most telling conjuncts (accounting equalities first), a line
 * saying how many more there are and where they are, every one with --full, and all of them in
 * `--out DIR/invariant.txt`.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invariantSummary } from '../../counterexamples/symbolic-text.ts';
import { EXIT } from '../../checker/result.ts';
import { cli } from '../cli/run-cli.ts';

describe('invariantSummary', () => {
  const lines = [
    '#[pc=a] = 0',                        // a bound: kind 2
    'x = 1 or y = 2',                     // a clause: kind 1
    'refs - [pc=a] - [pc=b] = 1',         // an equality over several terms: kind 0
    'z >= 0',                             // kind 2, shorter than the first
    'refs - tokens = 0',                  // kind 0, shorter than the other equality
    'every count >= 0, every variable within its sort',
  ];
  it('keeps the equalities, then clauses, then the shortest bounds, in the invariant\'s own order; the domain line last', () => {
    expect(invariantSummary(lines, 3)).toEqual({ shown: ['x = 1 or y = 2', 'refs - [pc=a] - [pc=b] = 1', 'refs - tokens = 0'], more: 2, domain: ['every count >= 0, every variable within its sort'] });
    expect(invariantSummary(lines, 4).shown).toEqual(['x = 1 or y = 2', 'refs - [pc=a] - [pc=b] = 1', 'z >= 0', 'refs - tokens = 0']);
  });
  it('everything when there is room', () => {
    expect(invariantSummary(lines, Infinity)).toEqual({ shown: lines.slice(0, 5), more: 0, domain: [lines[5]] });
  });
});

describe('check --engine pdr: the printed invariant and invariant.txt', () => {
  it('mm/fixed: 12 conjuncts printed, "... and N more", the file holds all 12 + N; --full prints them all', () => {
    const out = mkdtempSync(join(tmpdir(), 'pc-inv-'));
    const r = cli(['check', 'mm', '--engine', 'pdr', '--out', out]);
    expect(r.code).toBe(EXIT.pass);
    expect(r.stdout.split('\n')[0]).toMatch(/^PROVED mm\/fixed: /);
    const block = r.stdout.slice(r.stdout.indexOf('  inductive invariant ('));
    const printed = block.split('\n').slice(1).filter((l) => l.startsWith('    '));
    const more = /^ {4}\.\.\. and (\d+) more conjuncts \(--full prints them all; --out DIR writes them to DIR\/invariant\.txt\)$/.exec(printed.at(-1)!);
    expect(more).not.toBeNull();
    expect(printed).toHaveLength(13);
    const total = Number(/\((\d+) conjuncts, explicit-guided PDR/.exec(block)![1]);
    expect(total).toBe(12 + Number(more![1]));
    const file = readFileSync(join(out, 'invariant.txt'), 'utf8').trimEnd().split('\n');
    expect(file).toHaveLength(total);
    for (const l of printed.slice(0, 12)) expect(file).toContain(l.trim());
    expect(r.stderr).toContain(`wrote ${join(out, 'invariant.txt')}`);
    const full = cli(['check', 'mm', '--engine', 'pdr', '--full']);
    const fullBlock = full.stdout.slice(full.stdout.indexOf('  inductive invariant ('));
    const n = Number(/\((\d+) conjuncts/.exec(fullBlock)![1]);
    expect(fullBlock.split('\n').slice(1).filter((l) => l.startsWith('    '))).toHaveLength(n);
    expect(fullBlock).not.toContain('more conjuncts');
  }, 240_000);
});
