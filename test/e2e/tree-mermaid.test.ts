/**
 * The Mermaid export rendered by Mermaid itself (the library GitHub uses for
 * ```mermaid blocks), in headless Chromium, on a real corpus copy with tracks
 * assigned: it must parse, render without errors, and draw one node per work
 * order and one cluster per track lane.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, corpusRepo, removeRepo, write } from '../helpers/repo.js';

const CHROMIUM = process.env.TRACKS_CHROMIUM ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const inCI = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
const MERMAID = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');

describe.skipIf(!available && !inCI)('tree Mermaid rendered by Mermaid', () => {
  let dir = '';
  let browser: Browser;
  let source = '';

  beforeAll(async () => {
    if (!available) throw new Error(`Chromium is required in CI and is missing at ${CHROMIUM}`);
    dir = corpusRepo('head');
    const tracks: [string, string, string[]][] = [
      ['runner', 'Runner reliability', ['runner', 'builder']],
      ['canvas', 'Canvas & "visualisation"', ['canvas', 'visualization']],
      ['voice', 'Voice <and> meetings', ['voice', 'pipecat']],
    ];
    tracks.forEach(([slug, name], i) => write(dir, `tracks/000${i + 1}_FEAT_${slug}.md`, `---\nname: ${JSON.stringify(name)}\ntype: FEAT\nstatus: active\n---\n`));
    write(dir, 'tracks/0004_FEAT_end.md', '---\nname: end\ntype: FEAT\nstatus: active\nparent: runner\n---\n');
    const woDir = join(dir, 'work_orders');
    for (const f of readdirSync(woDir)) {
      let text = readFileSync(join(woDir, f), 'utf8').replace(/^track(_id)?:.*\n/gm, '');
      const tags = [...text.matchAll(/^ {2}- ([\w-]+)\s*$/gm)].map((m) => m[1]!);
      const hit = tracks.find(([, , t]) => t.some((x) => tags.includes(x)));
      if (hit) text = text.replace(/^(id:.*\n)/m, `$1track: ${hit[0]}\n`);
      writeFileSync(join(woDir, f), text);
    }
    write(dir, 'work_orders/WO-2099-001-odd.md', '---\nid: WO-2099-001\ntitle: "end [x] (y) {z} | a --> b ; %% c"\ntrack: end\nstatus: ready\n---\n');
    const r = await cli(dir, ['tree', '--format', 'mermaid']);
    expect(r.code, r.stderr).toBe(0);
    source = r.stdout;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) removeRepo(dir);
  });

  it('parses and renders: one node per work order, one cluster per track', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
    await page.addScriptTag({ path: MERMAID });
    const result = await page.evaluate(async (text) => {
      const m = (window as unknown as { mermaid: { initialize(o: object): void; parse(t: string): Promise<unknown>; render(id: string, t: string): Promise<{ svg: string }> } }).mermaid;
      m.initialize({ startOnLoad: false, maxTextSize: 1_000_000, maxEdges: 100_000, securityLevel: 'strict' });
      try {
        await m.parse(text);
        const { svg } = await m.render('tree', text);
        document.getElementById('out')!.innerHTML = svg;
        return { ok: true, nodes: document.querySelectorAll('#out g.node').length, clusters: document.querySelectorAll('#out g.cluster').length, error: '' };
      } catch (e) {
        return { ok: false, nodes: 0, clusters: 0, error: String((e as Error).message ?? e) };
      }
    }, source);
    expect(result.error).toBe('');
    expect(errors).toEqual([]);
    const workOrders = (source.match(/^\s+WO_\w+\[/gm) ?? []).length;
    expect(workOrders).toBeGreaterThan(150);
    expect(result.nodes).toBe(workOrders);
    // runner, canvas, voice, the nested "end" sub-track, and the lane of work orders without a track
    expect(result.clusters).toBe(5);
    await page.close();
  }, 120_000);
});
