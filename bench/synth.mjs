// Seeded synthetic repositories shaped like the real corpora: work orders are
// real corpus files with fresh ids, remapped depends_on, and tracks assigned.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const here = dirname(fileURLToPath(import.meta.url));
export const CORPUS = join(here, '..', '..', 'shared', 'corpora', 'pcc-head', 'work_orders');

/** The seeded PRNG the offline organizer uses (mulberry32), from the build. */
export { prng as rng } from '../dist/organize/cluster.js';
import { prng as rng } from '../dist/organize/cluster.js';

const COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7'];
const TRACKS = ['runner-reliability', 'economy', 'visualization', 'chat-and-agents', 'infrastructure', 'onboarding', 'observability', 'security'];

/**
 * Creates (or reuses) a repo with `n` work orders under bench/.out/.
 * `assigned` is the share of work orders that get a track.
 */
export function synthRepo(n, { seed = 42, assigned = 0.9, git = false, tag = '' } = {}) {
  const dir = join(here, '.out', `repo-${n}-${seed}${tag}`);
  if (existsSync(join(dir, '.done'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'work_orders'), { recursive: true });
  mkdirSync(join(dir, 'tracks'), { recursive: true });
  // marks the repository root even where there is no .git
  writeFileSync(join(dir, 'tracks.config.yaml'), 'top_level_limit: 8\n');
  const rand = rng(seed);
  const sources = readdirSync(CORPUS).sort().map((f) => readFileSync(join(CORPUS, f), 'utf8'))
    // the one file the yaml package rejects would make every copy an error
    .filter((t) => !t.includes('id: WO-2026-252'));
  TRACKS.forEach((slug, i) => {
    writeFileSync(
      join(dir, 'tracks', `${String(i + 1).padStart(4, '0')}_FEAT_${slug}.md`),
      `---\nname: ${slug.replace(/-/g, ' ')}\ntype: FEAT\nstatus: active\ngoal: Synthetic track ${i + 1}\nparent: null\ncolor: "${COLORS[i]}"\ncreated_at: 2026-01-01\nupdated_at: 2026-01-01\n---\n\n## Description\n`,
    );
  });
  for (let i = 0; i < n; i++) {
    const src = sources[Math.floor(rand() * sources.length)];
    const id = `WO-${2000 + Math.floor(i / 1000)}-${String(i % 1000).padStart(3, '0')}`;
    let text = src.replace(/^id: .*$/m, `id: ${id}`);
    // depends_on: 0-3 earlier work orders
    const deps = [];
    const k = i === 0 ? 0 : Math.floor(rand() * 4);
    for (let d = 0; d < k; d++) {
      const j = Math.floor(rand() * i);
      deps.push(`WO-${2000 + Math.floor(j / 1000)}-${String(j % 1000).padStart(3, '0')}`);
    }
    text = text.replace(/^depends_on:.*(?:\n[ \t]*- .*)*$/m, deps.length ? `depends_on:\n${[...new Set(deps)].map((d) => `  - ${d}`).join('\n')}` : 'depends_on: []');
    text = text.replace(/^track(_id)?: .*\n/gm, '');
    if (rand() < assigned) text = text.replace(/\n---\n/, `\ntrack: ${TRACKS[Math.floor(rand() * TRACKS.length)]}\n---\n`);
    writeFileSync(join(dir, 'work_orders', `${id}-synthetic.md`), text);
  }
  if (git) {
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
    execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=b@b', 'add', '-A'], { cwd: dir });
    execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=b@b', 'commit', '-qm', 'synthetic'], { cwd: dir });
  }
  writeFileSync(join(dir, '.done'), '');
  return dir;
}

/** The real Backlog.md tasks, by directory (each folder's readme.md is not a task). */
export const BACKLOG_CORPUS = join(here, '..', '..', 'shared', 'corpora', 'backlog-md-2026-08-20');
export const BACKLOG_DIRS = ['backlog/tasks', 'backlog/completed', 'backlog/drafts', 'backlog/archive/tasks'];

/**
 * A repository in Backlog.md's format with `n` tasks under bench/.out/: real
 * corpus tasks (each directory's own, in the corpus's proportions) with fresh
 * ids, `dependencies` remapped to earlier tasks and written as Backlog.md's
 * people write them (`task-N` or `BACK-N`), `parent_task_id` remapped too, and
 * `preset: backlog-md`. No tracks yet, as in a Backlog.md repository.
 */
export function synthBacklogRepo(n, { seed = 42, git = false } = {}) {
  const dir = join(here, '.out', `backlog-${n}-${seed}`);
  if (existsSync(join(dir, '.done'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  const rand = rng(seed);
  const sources = BACKLOG_DIRS.map((d) => ({
    dir: d,
    texts: readdirSync(join(BACKLOG_CORPUS, d))
      .filter((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md')
      .sort()
      .map((f) => readFileSync(join(BACKLOG_CORPUS, d, f), 'utf8')),
  }));
  const total = sources.reduce((s, x) => s + x.texts.length, 0);
  for (const d of BACKLOG_DIRS) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'tracks.config.yaml'), 'preset: backlog-md\n');
  const ref = (j) => (rand() < 0.8 ? `task-${j}` : `BACK-${j}`);
  for (let i = 1; i <= n; i++) {
    // pick a directory in the corpus's proportions, then one of its tasks
    let r = rand() * total;
    const src = sources.find((s) => (r -= s.texts.length) < 0) ?? sources[0];
    const draft = src.dir === 'backlog/drafts';
    const id = draft ? `DRAFT-${i}` : `BACK-${i}`;
    let text = src.texts[Math.floor(rand() * src.texts.length)].replace(/^id: .*$/m, `id: ${id}`);
    const deps = [];
    const k = i === 1 || rand() < 0.85 ? 0 : 1 + Math.floor(rand() * 2);
    for (let d = 0; d < k; d++) deps.push(ref(1 + Math.floor(rand() * (i - 1))));
    text = text.replace(/^dependencies:.*(?:\n[ \t]*- .*)*$/m, deps.length ? `dependencies:\n${[...new Set(deps)].map((d) => `  - ${d}`).join('\n')}` : 'dependencies: []');
    if (i > 1) text = text.replace(/^parent_task_id: .*$/m, () => `parent_task_id: ${ref(1 + Math.floor(rand() * (i - 1)))}`);
    writeFileSync(join(dir, src.dir, `${id.toLowerCase()} - synthetic.md`), text);
  }
  if (git) {
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
    execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=b@b', 'add', '-A'], { cwd: dir });
    execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=b@b', 'commit', '-qm', 'synthetic'], { cwd: dir });
  }
  writeFileSync(join(dir, '.done'), '');
  return dir;
}
