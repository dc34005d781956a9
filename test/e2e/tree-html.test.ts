/**
 * The HTML tech tree opened in a real browser (Debian's headless Chromium) on a
 * copy of the real corpus with tracks assigned by tag. Locally the test skips
 * with a message when Chromium is missing; in CI it fails instead.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOP } from '../../src/tree/layout.js';
import { cli, corpusRepo, removeRepo, write, assignByTags } from '../helpers/repo.js';

const CHROMIUM = process.env.TRACKS_CHROMIUM ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const inCI = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
if (!available && !inCI) console.warn(`skipping the tree HTML browser test: no Chromium at ${CHROMIUM} (apt-get install chromium, or set TRACKS_CHROMIUM)`);

/** Tracks by tag: [slug, name, color, parent, tags]. */
const TRACKS: [string, string, string, string | null, string[]][] = [
  ['runner', 'Runner reliability', '#4e79a7', null, ['runner', 'builder']],
  ['canvas', 'Canvas & visualisation', '#f28e2b', null, ['canvas', 'visualization', 'tech-tree']],
  ['voice', 'Voice and meetings', '#e15759', null, ['voice', 'meeting-integration', 'pipecat']],
  ['infra', 'Infrastructure', '#59a14f', null, ['infrastructure', 'testing']],
  ['security', 'Security hardening', '#edc948', 'infra', ['security']],
];
const LANES = ['runner', 'canvas', 'voice', 'infra', '~unassigned'];

describe.skipIf(!available && !inCI)('tree HTML in Chromium', () => {
  let dir = '';
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  let expectedNodes = 0;

  beforeAll(async () => {
    if (!available) throw new Error(`Chromium is required in CI for the tree HTML test and is missing at ${CHROMIUM}; .ci/run installs Debian's chromium package.`);
    dir = corpusRepo('head');
    TRACKS.forEach(([slug, name, color, parent], i) => {
      write(dir, `tracks/000${i + 1}_FEAT_${slug}.md`, `---\nname: ${JSON.stringify(name)}\ntype: FEAT\nstatus: active\nparent: ${parent ?? 'null'}\ncolor: "${color}"\n---\n`);
    });
    assignByTags(dir, TRACKS.map((t) => [t[0], t[4]] as const));
    // Untrusted text: none of this may run or break the page.
    write(dir, 'work_orders/WO-2099-001-hostile.md', `---\nid: WO-2099-001\ntitle: "<script>window.__pwned = 1</script><img src=x onerror=\\"window.__pwned = 2\\"> </svg> & ]]>"\nstatus: "ready\\"><script>window.__pwned=3</script>"\ntrack: runner\ndepends_on: [WO-2025-001]\n---\n`);
    const all = readdirSync(join(dir, 'work_orders')).length;
    const r = await cli(dir, ['tree', '--out', 'tree.html']);
    expect(r.code, r.stderr).toBe(0);
    const m = /\((?:html), (\d+) work orders in (\d+) lanes/.exec(r.stderr);
    expectedNodes = Number(m?.[1]);
    // one corpus file has front matter no YAML reader accepts; every other work order is drawn
    expect(expectedNodes).toBe(all - 1);
    expect(Number(m?.[2])).toBe(LANES.length);

    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (req) => {
      if (!req.url().startsWith('file:') && !req.url().startsWith('data:')) problems.push(`network: ${req.url()}`);
    });
    await page.goto(pathToFileURL(join(dir, 'tree.html')).href);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) removeRepo(dir);
  });

  const visible = (selector: string) =>
    page.$$eval(selector, (els) => els.filter((e) => getComputedStyle(e).display !== 'none' && !e.closest('.hidden')).map((e) => (e as SVGElement).dataset.lane ?? ''));

  it('loads without console errors, network requests or running untrusted text', async () => {
    expect(problems).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    const hostile = await page.$eval('g.node[data-key="WO-2099-001"] title', (t) => t.textContent ?? '');
    expect(hostile).toContain('<script>window.__pwned = 1</script>');
    expect(await page.$$eval('script', (s) => s.length)).toBe(1);
  });

  it('draws one lane per top-level track plus the unassigned lane, and every work order once', async () => {
    expect(await visible('g.lane')).toEqual(LANES);
    expect((await visible('g.node')).length).toBe(expectedNodes);
    expect(await page.$$eval('g.node', (els) => new Set(els.map((e) => (e as SVGElement).dataset.key)).size)).toBe(expectedNodes);
    // the sub-track is drawn inside its parent's lane
    // …marked as a sub-track, not with the caret of a folded lane (it does not fold)
    expect(await page.$$eval('g.lane[data-lane="infra"] .sub-title', (els) => els.map((e) => e.textContent))).toEqual([expect.stringMatching(/^↳ Security hardening/)]);
    // lanes do not overlap on the page
    const boxes = await page.$$eval('g.lane', (els) => els.map((e) => (e as SVGGraphicsElement).getBoundingClientRect()).map((r) => [r.top, r.bottom]));
    for (let i = 1; i < boxes.length; i++) expect(boxes[i]![0]).toBeGreaterThanOrEqual(boxes[i - 1]![1]);
  });

  it('the track filter hides the other lanes, their nodes and edges, and brings them back', async () => {
    const fullHeight = Number(await page.getAttribute('#tree', 'height'));
    const edgesBefore = (await visible('path.edge')).length;
    await page.click('#show-none');
    await page.check('.filter input[data-lane="canvas"]');
    expect(await visible('g.lane')).toEqual(['canvas']);
    const nodes = await page.$$eval('g.node', (els) => els.filter((e) => !e.closest('.hidden')).map((e) => (e as SVGElement).dataset.lane));
    expect(nodes.length).toBeGreaterThan(10);
    expect(new Set(nodes)).toEqual(new Set(['canvas']));
    const edges = await page.$$eval('path.edge', (els) => els.filter((e) => !e.closest('.hidden')).length);
    expect(edges).toBeGreaterThan(0);
    expect(edges).toBeLessThan(edgesBefore);
    expect(Number(await page.getAttribute('#tree', 'height'))).toBeLessThan(fullHeight / 3);
    // edges were redrawn for the new lane position: each starts at its dependency's right edge
    const gaps = await page.$$eval('path.edge', (els) =>
      els.filter((e) => !e.closest('.hidden')).map((e) => {
        const p = e.getBoundingClientRect();
        const n = document.querySelector(`g.node[data-key="${(e as SVGElement).dataset.from}"] rect.box`)!.getBoundingClientRect();
        const mid = n.top + n.height / 2;
        return Math.abs(p.left - n.right) + (mid < p.top - 1 || mid > p.bottom + 1 ? 1000 : 0);
      }),
    );
    expect(Math.max(...gaps)).toBeLessThan(2);
    // restacked: the only lane moves to the top
    expect(await page.getAttribute('g.lane[data-lane="canvas"]', 'transform')).toBe(`translate(0,${TOP})`);
    await page.click('#show-all');
    expect(await visible('g.lane')).toEqual(LANES);
    expect(Number(await page.getAttribute('#tree', 'height'))).toBe(fullHeight);
    expect(problems).toEqual([]);
  });

  it('shows details on hover and highlights the dependencies', async () => {
    await page.hover('g.node[data-key="WO-2025-004"]');
    const lit = await page.$$eval('.hl', (els) => els.map((e) => (e as SVGElement).dataset.key ?? `${(e as SVGElement).dataset.from}>${(e as SVGElement).dataset.to}`));
    expect(lit).toContain('WO-2025-003');
    expect(lit).toContain('WO-2025-003>WO-2025-004');
    const title = await page.$eval('g.node[data-key="WO-2025-004"] > title', (t) => t.textContent ?? '');
    expect(title).toMatch(/^WO-2025-004 · done\n.+\ntrack: .+\ndepends on: WO-2025-003/);
  });
});

/**
 * 10,000 work orders in 8 tracks (plus the unassigned lane): the page draws
 * what is in view, so opening, filtering and folding lanes cost about as much
 * as at 200. The times are printed; the bound asserted is generous, so a
 * loaded machine does not fail the test (the target is 200 ms).
 */
describe.skipIf(!available && !inCI)('tree HTML in Chromium at 10,000 work orders', () => {
  let browser: Browser;
  let page: Page;
  let file = '';
  const problems: string[] = [];

  beforeAll(async () => {
    const { default: dagre } = await import('@dagrejs/dagre');
    const { buildTree } = await import('../../src/tree/model.js');
    const { layoutTree } = await import('../../src/tree/layout.js');
    const { renderHtml } = await import('../../src/tree/html.js');
    const { readSource } = await import('../../src/parse/document.js');
    const { toTrack, toWorkOrder } = await import('../../src/parse/entities.js');
    const { DEFAULT_CONFIG } = await import('../../src/config/config.js');
    const slugs = ['runner', 'economy', 'canvas', 'voice', 'infra', 'onboarding', 'observability', 'security'];
    const statuses = ['done', 'done', 'ready', 'backlog', 'you_review', 'active'];
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const id = (i: number) => `WO-${2000 + Math.floor(i / 1000)}-${String(i % 1000).padStart(3, '0')}`;
    const workOrders = Array.from({ length: 10_000 }, (_, i) => {
      const deps = i === 0 ? [] : [...new Set(Array.from({ length: Math.floor(rand() * 4) }, () => id(Math.floor(rand() * i))))];
      const track = rand() < 0.9 ? `track: ${slugs[Math.floor(rand() * slugs.length)]}\n` : '';
      const text = `---\nid: ${id(i)}\ntitle: Work order number ${i} with a title long enough to wrap\nstatus: ${statuses[i % statuses.length]}\n${track}depends_on: [${deps.join(', ')}]\n---\n`;
      return toWorkOrder(readSource(`work_orders/${id(i)}.md`, text, 'h').doc);
    });
    const tracks = slugs.map((s, i) => {
      const name = `000${i + 1}_FEAT_${s}.md`;
      const { doc, body } = readSource(`tracks/${name}`, `---\nname: ${s}\ntype: FEAT\nstatus: active\n---\n`, 'h', true);
      return toTrack(doc, name, body);
    });
    const model = buildTree({ root: '/r', config: DEFAULT_CONFIG, configPath: undefined, configProblems: [], workOrders, tracks });
    const t0 = performance.now();
    const html = renderHtml(model, layoutTree(model, dagre), { title: '10,000 work orders' });
    console.log(`tree HTML at 10,000 work orders: layout and page in ${(performance.now() - t0).toFixed(0)} ms, ${(html.length / 2 ** 20).toFixed(1)} MiB`);
    const dir = mkdtempSync(join(tmpdir(), 'tracks-tree-10k-'));
    file = join(dir, 'tree.html');
    writeFileSync(file, html);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${msg.type()}: ${msg.text()}`);
    });
    const t1 = Date.now();
    await page.goto(pathToFileURL(file).href);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    console.log(`tree HTML at 10,000 work orders: opened and drawn in ${Date.now() - t1} ms`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (file) rmSync(dirname(file), { recursive: true, force: true });
  });

  /** Runs `act` in the page and waits for the next painted frame: the redraw time. */
  const timed = (act: string) =>
    page.evaluate(async (src) => {
      const t0 = performance.now();
      (0, eval)(src);
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      return performance.now() - t0;
    }, act);
  const drawn = () => page.$$eval('g.node', (els) => els.filter((e) => !e.closest('.hidden')).length);

  it('draws only what is in view, and the filter and folding redraw in time proportional to it', async () => {
    expect(problems).toEqual([]);
    const atStart = await drawn();
    expect(atStart).toBeGreaterThan(20);
    expect(atStart).toBeLessThan(2_000);
    const none = await timed(`document.getElementById('show-none').click()`);
    const one = await timed(`const b = document.querySelector('.filter input[data-lane="canvas"]'); b.checked = true; b.dispatchEvent(new Event('change'))`);
    expect(await page.$$eval('g.lane', (els) => els.filter((e) => !e.classList.contains('hidden')).map((e) => (e as SVGElement).dataset.lane))).toEqual(['canvas']);
    expect(await drawn()).toBeGreaterThan(20);
    const all = await timed(`document.getElementById('show-all').click()`);
    const fold = await timed(`document.querySelector('g.lane[data-lane="runner"] .fold').dispatchEvent(new MouseEvent('click', { bubbles: true }))`);
    expect(await page.getAttribute('g.lane[data-lane="economy"]', 'transform')).toMatch(/translate\(0,\d+(\.\d+)?\)/);
    const unfold = await timed(`document.getElementById('unfold-all').click()`);
    const scroll = await timed(`window.scrollTo(300, 3000)`);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    const afterScroll = await drawn();
    console.log(
      `tree HTML at 10,000 work orders, redraw times: filter to none ${none.toFixed(0)} ms, to one lane ${one.toFixed(0)} ms, all ${all.toFixed(0)} ms; fold a lane ${fold.toFixed(0)} ms, unfold all ${unfold.toFixed(0)} ms; scroll ${scroll.toFixed(0)} ms; ${atStart} then ${afterScroll} of 10,000 work orders drawn`,
    );
    for (const t of [none, one, all, fold, unfold]) expect(t).toBeLessThan(3_000);
    expect(afterScroll).toBeGreaterThan(20);
    expect(afterScroll).toBeLessThan(2_000);
    expect(problems).toEqual([]);
  }, 60_000);
});
