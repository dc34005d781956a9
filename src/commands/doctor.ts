import { Command, Option } from 'commander';
import type { Ctx } from '../cli/ctx.js';
import { TracksError } from '../errors/index.js';

type Opts = { fix?: boolean; format: 'text' | 'json' };

export default function doctor(ctx: Ctx): Command {
  return new Command('doctor')
    .description('Find what parallel branches did to each other: duplicate track numbers, slugs and work-order ids, tracks claimed twice; --fix renumbers.')
    .option('--fix', 'renumber the newer track file of each duplicate number in this work tree, in one commit')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Looks at this work tree and at every local branch and work tree not yet merged into it
(read with git, nothing checked out). What --fix cannot repair safely (a duplicate slug,
a duplicate work-order id, a track claimed twice) is reported with the exact manual step.
Exit code 1 when problems are found (with --fix: when some remain).

JSON: { version: 1, sources: [..], problems: [{ kind, message, files: [{ path, where }],
fix: { from, to } | null, manual: string | null, fixed: boolean }], commit: string | null }

Examples:
  $ tracks doctor
  $ tracks doctor --fix
  $ tracks doctor --format json`,
    )
    .action(async (opts: Opts) => {
      await runDoctor(ctx, opts);
    });
}

async function runDoctor(ctx: Ctx, opts: Opts): Promise<void> {
  const { gitRepo, runChange, outcomeLine } = await import('../cli/change.js');
  const { openRepo } = await import('../cli/repo.js');
  const { readAcross, describeSource } = await import('../workspace/across.js');
  const { branchesMergedInto } = await import('../git/trees.js');
  const { isAncestor } = await import('../git/branch.js');
  const { diagnose, renumberPlan } = await import('../parallel/doctor.js');
  const { readText } = await import('../cli/change.js');
  const { sanitizeLine, toJson } = await import('../parallel/text.js');
  const g = gitRepo(ctx);
  if (!g) throw new TracksError('NOT_A_GIT_REPO', `${ctx.root()} is not in a git repository: doctor compares branches`, { hint: 'Run `git init` first.' });
  let found: ReturnType<typeof diagnose> | undefined;
  let sources: string[] = [];
  const examine = async (repo: import('../model/types.js').Repo) => {
    const across = await readAcross(g, repo, { tracks: 'parsed', workOrders: true });
    // A branch already merged here says nothing new: its tracks are here, perhaps renumbered since.
    const merged = await branchesMergedInto(g.top, 'HEAD').catch(() => new Set<string>());
    const stale = new Set<object>();
    for (const s of across.sources) {
      if (s.kind === 'branch' && merged.has(s.name)) stale.add(s);
      if (s.kind === 'worktree' && s.commit && (await isAncestor(g.top, s.commit, 'HEAD').catch(() => false))) stale.add(s);
    }
    const live = across.sources.filter((s) => !stale.has(s));
    sources = live.map((s) => describeSource(s, ctx.cwd()));
    const seen = <T>(list: { source: (typeof across.sources)[number]; item: T }[]) =>
      list.filter((x) => !stale.has(x.source)).map((x) => ({ item: x.item, where: describeSource(x.source, ctx.cwd()), here: x.source.kind === 'here' }));
    found = diagnose(
      seen(across.tracks.map((t) => ({ source: t.source, item: t.track }))),
      seen(across.workOrders.map((w) => ({ source: w.source, item: w.workOrder }))),
      across.names.map((n) => n.number),
    );
    return found;
  };
  let commit: string | null = null;
  let outcome: string | undefined;
  if (opts.fix) {
    const applied = await runChange(ctx, { commit: true, format: opts.format }, async (repo, s) => renumberPlan((await examine(repo)).renames, readText(ctx), s.now));
    if (applied) {
      if (applied.outcome.kind === 'committed') commit = applied.outcome.commit;
      outcome = outcomeLine(applied.outcome, applied.plan);
    }
  } else await examine(await openRepo(ctx));
  const { problems } = found!;
  const fixed = (p: (typeof problems)[number]) => Boolean(opts.fix && p.fix && commit);
  const remaining = problems.filter((p) => !fixed(p));
  ctx.exitCode = remaining.length ? 1 : 0;
  if (opts.format === 'json') {
    ctx.io.stdout(
      toJson({ version: 1, sources, problems: problems.map((p) => ({ kind: p.kind, message: p.message, files: p.files, fix: p.fix ?? null, manual: p.manual ?? null, fixed: fixed(p) })), commit }) + '\n',
    );
  } else {
    const c = ctx.color;
    const lines = [c.dim(`Looked at ${sources.join(', ')}.`)];
    for (const p of problems) {
      lines.push(`${fixed(p) ? c.green('fixed') : c.red('✖')} ${sanitizeLine(p.message)} ${c.dim(`[${p.kind}]`)}`);
      if (p.fix) lines.push(`    ${fixed(p) ? 'renamed' : 'fix:'} ${p.fix.from} → ${p.fix.to}${fixed(p) ? '' : c.dim('  (tracks doctor --fix)')}`);
      if (p.manual) lines.push(`    ${c.dim('by hand:')} ${sanitizeLine(p.manual)}`);
    }
    const fixable = problems.filter((p) => p.fix && !fixed(p)).length;
    lines.push(
      problems.length === 0
        ? c.green('No problems: numbers, slugs, work-order ids and claims agree across every branch and work tree.')
        : `${problems.length} problem${problems.length === 1 ? '' : 's'}${commit ? `, ${problems.length - remaining.length} fixed` : fixable ? `, ${fixable} fixable with --fix` : ''}${remaining.length ? `, ${remaining.length} left` : ''}.`,
    );
    ctx.io.stdout(lines.join('\n') + '\n');
  }
  if (outcome) ctx.io.stderr(`${outcome}\n`);
}
