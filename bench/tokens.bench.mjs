// Request size of the LLM context builder, in estimated tokens:
//  1. tokens per work order on both real corpora, next to the one-line baseline
//     (id, title, status, priority, tags, deps) — same estimator for both;
//  2. incremental mode: request size for N new work orders on top of repos of
//     different sizes (should depend on N, not on the repo);
//  3. 10,000 synthetic work orders: strategy, requests, tokens, estimated cost.
// No tokenizer ships in node_modules (checked: no @anthropic-ai/tokenizer,
// tiktoken or similar), so every figure is the heuristic of
// src/context/tokens.ts; the flat chars/3.5 rule is printed alongside.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthRepo } from './synth.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
if (!existsSync(join(root, 'dist', 'context', 'build.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
const d = (p) => import(join(root, 'dist', p));
const { loadRepo } = await d('repo/load.js');
const { estimateTokens, estimateTokensFlat } = await d('llm-request/tokens.js');
const { baselineLine, goalWords, workOrderLines } = await d('llm-request/format.js');
const { buildContext, singleRequest, targetsFor } = await d('llm-request/build.js');
const { estimateRequest } = await d('llm/estimate.js');
const { toTrack } = await d('parse/entities.js');

const corpora = join(root, '..', 'shared', 'corpora');
const per = (x, n) => (x / n).toFixed(1).padStart(6);

console.log('1. Tokens per work order (estimated; heuristic | flat chars/3.5)\n');
console.log('corpus            WOs  baseline line      compact lines      fixed part*  goal words kept (of goals present)');
for (const name of ['pcc-head', 'pcc-2026-01-15']) {
  const repo = await loadRepo(join(corpora, name));
  const ctx = buildContext(repo, 'initial', { maxOutputTokens: repo.config.llm.maxTokens });
  const wos = ctx.targets;
  const base = wos.map(baselineLine).join('\n');
  const mine = workOrderLines(wos, ctx.codec, ctx.line, ctx.lineOf).join('\n');
  const req = singleRequest(ctx);
  const kept = wos.map((w) => {
    const g = (ctx.lineOf(w).split('|')[2] ?? '').replace(/…$/, '');
    return [goalWords(w.data.goal).length, g ? g.split(' ').length : 0];
  });
  const withGoal = kept.filter(([a]) => a > 0);
  const fixed = req.estInputTokens - estimateTokens(mine);
  console.log(
    `${name.padEnd(16)} ${String(wos.length).padStart(4)}  ${per(estimateTokens(base), wos.length)} | ${per(estimateTokensFlat(base), wos.length)}    ${per(estimateTokens(mine), wos.length)} | ${per(estimateTokensFlat(mine), wos.length)}    ${String(fixed).padStart(8)}     ${(withGoal.reduce((s, [, k]) => s + k, 0) / withGoal.length).toFixed(1)} of ${(withGoal.reduce((s, [a]) => s + a, 0) / withGoal.length).toFixed(1)} words (${withGoal.length} goals; articles not counted)`,
  );
}
console.log('* per request, whatever the repository: instructions, legend, JSON schema, wrappers (cached after the first call).');

console.log('\n2. Incremental request size vs repository size (estimated input tokens of the one request)\n');
const TRACKS = ['runner-reliability', 'economy', 'visualization', 'chat-and-agents', 'infrastructure', 'onboarding', 'observability', 'security'];
const trackObjs = TRACKS.map((slug, i) => {
  const file = `${String(i + 1).padStart(4, '0')}_FEAT_${slug}.md`;
  const data = { name: slug.replace(/-/g, ' '), goal: `Synthetic track ${i + 1}`, type: 'FEAT', status: 'active' };
  return toTrack({ path: `tracks/${file}`, hash: 'h', data, pos: {}, keyPos: {}, start: { line: 1, col: 1 }, problems: [], ok: true }, file, '');
});
/** The repo with every work order in a track except the `fresh` highest ids. */
function withNew(repo, fresh) {
  const ids = targetsFor(repo, 'initial').map((w) => w.id);
  const isNew = new Set(ids.slice(ids.length - fresh));
  let k = 0;
  const workOrders = repo.workOrders.map((w) => ({ ...w, tracks: w.id && isNew.has(w.id) ? [] : [TRACKS[k++ % TRACKS.length]] }));
  return { ...repo, workOrders, tracks: trackObjs };
}
const head = await loadRepo(join(corpora, 'pcc-head', '..', 'pcc-head'));
const synth2k = await loadRepo(synthRepo(2000, { assigned: 1, tag: '-tok' }));
const synth10k = await loadRepo(synthRepo(10000, { assigned: 1, tag: '-tok' }));
console.log('new WOs   on pcc-head (205)   on synthetic 2,000   on synthetic 10,000');
for (const fresh of [10, 50, 100]) {
  const sizes = [head, synth2k, synth10k].map((r) => {
    const repo = withNew(r, fresh);
    const ctx = buildContext(repo, 'incremental', { maxOutputTokens: 16000 });
    return `${String(singleRequest(ctx).estInputTokens).padStart(8)} (${ctx.targets.length} sent)`;
  });
  console.log(`${String(fresh).padStart(7)}   ${sizes.join('   ')}`);
}

console.log('\n3. Whole-repository runs (estimateRequest, as --dry-run shows them)\n');
for (const [label, repo] of [['pcc-head, initial', head], ['synthetic 2,000, reorg', synth2k], ['synthetic 10,000, reorg', synth10k]]) {
  const mode = label.endsWith('initial') ? 'initial' : 'reorg';
  for (const model of ['claude-sonnet-5-5', 'claude-haiku-5-5']) {
    const t0 = performance.now();
    const e = estimateRequest(repo, mode, model);
    const ms = performance.now() - t0;
    console.log(
      `${label.padEnd(26)} ${model.padEnd(18)} ${e.strategy.padEnd(9)} ${String(e.requests).padStart(3)} req  ~${String(e.inputTokens).padStart(7)} in  ~${String(e.outputTokens).padStart(6)} out  ~$${e.costUsd.toFixed(3)}  (${ms.toFixed(0)} ms to build)`,
    );
  }
}
