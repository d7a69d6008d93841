/**
 * The HTML report in a real browser: Debian's headless chromium driven by playwright-core
 * (.ci/run installs chromium when absent). The test clicks through the steps and checks the
 * text shown. With UPDATE_SCREENSHOT=1 it also saves the README's docs/html-report.png.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { runCheck } from '../../checker/check.ts';
import { toHtml } from '../../counterexamples/html.ts';
import { findBuiltin } from '../../model/registry.ts';
import { bugModels } from './models.ts';

const CHROMIUM = '/usr/bin/chromium';
const dir = mkdtempSync(join(tmpdir(), 'pc-html-'));
let ctx: BrowserContext;
let page: Page;
const external: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install it with 'apt-get install -y chromium' (.ci/run does)`);
  ctx = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // Self-contained: any request other than the file itself is recorded and fails the test.
  ctx.on('request', (r) => { if (!r.url().startsWith('file://')) external.push(r.url()); });
  page = await ctx.newPage();
}, 60_000);

afterAll(async () => {
  await ctx?.close();
});

function reportFile(name: string, html: string): string {
  const f = join(dir, name);
  writeFileSync(f, html);
  return pathToFileURL(f).href;
}

const text = (sel: string) => page.textContent(sel).then((t) => (t ?? '').trim());

describe('HTML report in headless chromium', () => {
  it('step navigation: buttons, rows, keys and diagram messages show the right state', async () => {
    const model = bugModels.build('kref-racy', {});
    await page.goto(reportFile('kref.html', toHtml(runCheck(model, { variant: 'kref-racy' }))));
    expect(await text('#verdict')).toBe('VIOLATIONkref/kref-racy');
    expect(await text('#figures')).toBe('shortest: 3 steps; threads involved: 2 of 2; context switches: 1');
    expect(await text('#pos')).toBe('step 0 of 3');
    expect(await text('#state-title')).toBe('initial state');
    expect(await page.isDisabled('#prev')).toBe(true);

    await page.click('#next');
    expect(await text('#pos')).toBe('step 1 of 3');
    expect(await text('#state-title')).toBe('after step 1: T1 mutex_lock');
    expect(await text('#step-changes')).toBe('changed: pc[T1]: mutex_lock→kref_put, lock_owner: none→T1');
    expect(await page.$$eval('#state-table tr.changed td:first-child', (tds) => tds.map((t) => t.textContent))).toEqual(['pc[T1]', 'lock_owner']);
    expect(await page.$$eval('#steps tr.current', (rs) => rs.map((r) => (r as HTMLElement).dataset.step))).toEqual(['1']);
    expect(await page.$$eval('#sequence .msg.current text', (ts) => ts.map((t) => t.textContent))).toEqual(['1. mutex_lock (none→T1)']);
    expect(await page.$$eval('#sequence .msg.future', (ms) => ms.length)).toBe(4);

    await page.click('#next');
    await page.click('#next');
    expect(await text('#pos')).toBe('step 3 of 3');
    expect(await text('#state-title')).toBe('after step 3: T2 kref_get');
    expect(await page.isDisabled('#next')).toBe(true);
    expect(await page.$$eval('#sequence .msg.current text', (ts) => ts.map((t) => t.textContent))).toEqual(['3. kref_get (0→1)', '✗ kref.uaf: kref_get on a freed object']);
    expect(await page.$eval('#state-table', (t) => (t as HTMLElement).innerText)).toContain('freed\ttrue');

    await page.click('#steps tr[data-step="1"]');
    expect(await text('#pos')).toBe('step 1 of 3');
    await page.keyboard.press('ArrowRight');
    expect(await text('#state-title')).toBe('after step 2: T1 put.kref_put');
    expect(await text('#step-changes')).toBe('changed: pc[T1]: kref_put→mutex_unlock, refcount: 1→0, freed: false→true');
    await page.keyboard.press('Home');
    expect(await text('#pos')).toBe('step 0 of 3');
    await page.keyboard.press('End');
    expect(await text('#pos')).toBe('step 3 of 3');
    await page.click('#sequence .msg.op[data-step="2"]');
    expect(await text('#pos')).toBe('step 2 of 3');
    await page.click('#first');
    expect(await text('#pos')).toBe('step 0 of 3');
    expect(external).toEqual([]);
  }, 60_000);

  it('the K4 mm report (3 threads, 9 steps) renders; screenshot', async () => {
    const def = findBuiltin('mm')!;
    const model = def.build('mmput-in-sender-context', Object.fromEntries(def.bounds.map((b) => [b.name, b.default])));
    const result = runCheck(model, { variant: 'mmput-in-sender-context' });
    await page.goto(reportFile('mm.html', toHtml(result)));
    const n = result.trace!.steps.length;
    expect(await text('#pos')).toBe(`step 0 of ${n}`);
    for (let i = 1; i <= 5; i++) await page.click('#next');
    expect(await text('#pos')).toBe(`step 5 of ${n}`);
    const s = result.trace!.steps[4];
    expect(await text('#state-title')).toBe(`after step 5: ${s.thread} ${s.action}`);
    expect(await page.$$eval('#steps tbody tr', (rs) => rs.length)).toBe(n + 1);
    const target = process.env.UPDATE_SCREENSHOT ? 'docs/html-report.png' : join(dir, 'html-report.png');
    await page.screenshot({ path: target, fullPage: true });
    expect(readFileSync(target).subarray(1, 4).toString()).toBe('PNG');
    expect(external).toEqual([]);
  }, 60_000);
});
