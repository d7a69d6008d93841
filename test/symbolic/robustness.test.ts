/**
 * Z3 robustness: a per-query timeout makes BMC and induction `unknown` (never `pass` or
 * `proved`), and a process that ran a BMC check exits by itself with code 0.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runBmc, runInduction } from '../../checker/symbolic/index.ts';
import { findBuiltin } from '../../model/registry.ts';

describe('timeouts', () => {
  const model = () => findBuiltin('mm')!.build('fixed', { senders: 2 });

  it('BMC with a 1 ms query timeout: unknown, with the lengths fully checked', async () => {
    const r = await runBmc(model(), { depth: 13, smtTimeoutMs: 1 });
    expect(r.verdict).toBe('unknown');
    expect(r.reason).toMatch(/^Z3 returned unknown at length \d+ \(timeout\)$/);
    expect(r.bounds.smtTimeoutMs).toBe(1);
    expect(r.note).not.toMatch(/no violation within 13/);
  });

  it('induction with a 1 ms query timeout: unknown, not proved', async () => {
    const r = await runInduction(model(), { maxK: 20, smtTimeoutMs: 1 });
    expect(r.verdict).toBe('unknown');
    expect(r.reason).toMatch(/timeout/);
    expect(r.k).toBeUndefined();
  });
});

describe('process exit', () => {
  it('a child process that ran BMC and a lemma exits by itself with code 0', () => {
    const child = fileURLToPath(new URL('./fixtures/bmc-child.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', child], { encoding: 'utf8', timeout: 50_000 });
    expect(r.error).toBeUndefined();
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('violation 7 refuted\n');
    expect(r.status).toBe(0);
  });
});
