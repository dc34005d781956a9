/**
 * The order in which track branches come back to the base: branches whose
 * work is done first, a branch after the branches whose work orders its own
 * depend on, branches that merge cleanly before branches that conflict, and
 * the pairs that conflict with each other named, to be resolved together.
 * Pure: the branch facts (ahead/behind, predicted conflicts, progress) are
 * gathered by src/workspace/merge-plan.ts.
 */
import { sanitizeLine, toJson } from './text.js';

export interface TrackOnBranch {
  slug: string;
  status: string | null;
  done: number;
  total: number;
}

export interface BranchFacts {
  branch: string;
  commit: string;
  tracks: TrackOnBranch[];
  ahead: number;
  behind: number;
  /** Paths that would conflict merging into the base. */
  baseConflicts: string[];
  /** Branches holding work orders this branch's work orders depend on. */
  dependsOn: string[];
}

export interface PairConflict {
  a: string;
  b: string;
  paths: string[];
}

export interface MergePlanInput {
  base: { name: string; commit: string };
  branches: BranchFacts[];
  pairs: PairConflict[];
  /** Branches named by tracks that do not exist here. */
  missing: { branch: string; tracks: string[] }[];
}

export interface PlannedBranch extends BranchFacts {
  position: number;
  done: boolean;
  conflictsWith: { branch: string; paths: string[] }[];
  /** Why it is where it is, in words. */
  reasons: string[];
}

export interface MergePlan {
  version: 1;
  base: { name: string; commit: string };
  order: string[];
  branches: PlannedBranch[];
  resolveTogether: { branches: [string, string]; paths: string[] }[];
  missing: { branch: string; tracks: string[] }[];
  /** Dependencies that loop between branches (merged in the order above regardless). */
  cycles: string[][];
}

const FINISHED = new Set(['completed']);

/** Work on the branch is done: every track on it is completed, or all its work orders are done. */
export function workDone(b: BranchFacts): boolean {
  return b.tracks.length > 0 && b.tracks.every((t) => (t.status !== null && FINISHED.has(t.status)) || (t.total > 0 && t.done === t.total));
}

export function planMerges(input: MergePlanInput): MergePlan {
  const names = new Set(input.branches.map((b) => b.branch));
  const conflictsOf = new Map<string, { branch: string; paths: string[] }[]>();
  for (const p of input.pairs) {
    conflictsOf.set(p.a, [...(conflictsOf.get(p.a) ?? []), { branch: p.b, paths: p.paths }]);
    conflictsOf.set(p.b, [...(conflictsOf.get(p.b) ?? []), { branch: p.a, paths: p.paths }]);
  }
  const facts = new Map(input.branches.map((b) => [b.branch, b]));
  const deps = new Map(input.branches.map((b) => [b.branch, new Set(b.dependsOn.filter((d) => d !== b.branch && names.has(d)))]));
  // Lower sorts first: done work, then a clean merge with the base, then fewer conflicts with other branches, then less work behind it.
  const key = (name: string): (number | string)[] => {
    const b = facts.get(name)!;
    return [workDone(b) ? 0 : 1, b.baseConflicts.length ? 1 : 0, (conflictsOf.get(name) ?? []).length, b.ahead === 0 ? 1 : 0, name];
  };
  const cmp = (x: string, y: string) => {
    const a = key(x);
    const b = key(y);
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
    return 0;
  };
  const order: string[] = [];
  const placed = new Set<string>();
  const cycles: string[][] = [];
  while (order.length < names.size) {
    const ready = [...names].filter((n) => !placed.has(n) && [...deps.get(n)!].every((d) => placed.has(d))).sort(cmp);
    let pick = ready[0];
    if (!pick) {
      // Dependencies loop: take the best of what is left and say so.
      const left = [...names].filter((n) => !placed.has(n)).sort(cmp);
      cycles.push(left.filter((n) => [...deps.get(n)!].some((d) => !placed.has(d))));
      pick = left[0]!;
    }
    order.push(pick);
    placed.add(pick);
  }
  const branches: PlannedBranch[] = order.map((name, i) => {
    const b = facts.get(name)!;
    const done = workDone(b);
    const withOthers = (conflictsOf.get(name) ?? []).sort((x, y) => order.indexOf(x.branch) - order.indexOf(y.branch));
    const reasons: string[] = [];
    reasons.push(done ? 'its work is done' : `work in progress (${b.tracks.map((t) => `${t.slug} ${t.done}/${t.total}`).join(', ') || 'no tracks'})`);
    const after = [...deps.get(name)!];
    if (after.length) reasons.push(`after ${after.join(', ')}: its work orders depend on theirs`);
    reasons.push(b.baseConflicts.length ? `conflicts with ${input.base.name} in ${b.baseConflicts.join(', ')}` : `merges cleanly into ${input.base.name}`);
    for (const o of withOthers) {
      const first = order.indexOf(o.branch) < i;
      reasons.push(`conflicts with ${o.branch} in ${o.paths.join(', ')}${first ? ` (merged before it: resolve against it)` : ''}`);
    }
    if (b.ahead === 0) reasons.push('no commits beyond the base yet');
    return { ...b, position: i + 1, done, conflictsWith: withOthers, reasons };
  });
  const resolveTogether = input.pairs
    .map((p) => ({ branches: (order.indexOf(p.a) <= order.indexOf(p.b) ? [p.a, p.b] : [p.b, p.a]) as [string, string], paths: p.paths }))
    .sort((x, y) => order.indexOf(x.branches[0]) - order.indexOf(y.branches[0]) || order.indexOf(x.branches[1]) - order.indexOf(y.branches[1]));
  return { version: 1, base: input.base, order, branches, resolveTogether, missing: input.missing, cycles };
}

const esc = (s: string) => sanitizeLine(s).replace(/\|/g, '\\|').replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
const code = (s: string) => `\`${sanitizeLine(s).replace(/`/g, "'")}\``;

export function mergePlanMarkdown(p: MergePlan): string {
  const out = [`# Merge plan into ${code(p.base.name)}`, ''];
  if (!p.branches.length) {
    out.push('No track branches: claim a track (`tracks claim`) or name its branch with `branch:` in the track file.', '');
  } else {
    out.push('| # | branch | tracks | progress | ahead | behind | conflicts |', '|---|---|---|---|---|---|---|');
    for (const b of p.branches) {
      const conflicts = [...(b.baseConflicts.length ? [`${esc(p.base.name)}: ${b.baseConflicts.map(code).join(', ')}`] : []), ...b.conflictsWith.map((c) => `${code(c.branch)}: ${c.paths.map(code).join(', ')}`)];
      out.push(
        `| ${b.position} | ${code(b.branch)} | ${b.tracks.map((t) => `${esc(t.slug)} (${esc(t.status ?? '?')})`).join(', ') || '–'} | ${b.tracks.map((t) => `${t.done}/${t.total}`).join(', ') || '–'} | ${b.ahead} | ${b.behind} | ${conflicts.join('; ') || 'none'} |`,
      );
    }
    out.push('', '## Order', '');
    for (const b of p.branches) out.push(`${b.position}. ${code(b.branch)}: ${esc(b.reasons.join('; '))}.`);
    if (p.resolveTogether.length) {
      out.push('', '## Resolve together', '');
      for (const r of p.resolveTogether) {
        out.push(`- ${code(r.branches[0])} and ${code(r.branches[1])} change the same lines of ${r.paths.map(code).join(', ')}: merge ${code(r.branches[0])} first, then merge ${code(p.base.name)} into ${code(r.branches[1])} and resolve there before it comes back.`);
      }
    }
    const behindConflicts = p.branches.filter((b) => b.baseConflicts.length);
    if (behindConflicts.length) {
      out.push('', `## Conflicts with ${code(p.base.name)}`, '');
      for (const b of behindConflicts) out.push(`- ${code(b.branch)}: ${b.baseConflicts.map(code).join(', ')}. Merge ${code(p.base.name)} into it and resolve there first.`);
    }
    if (p.cycles.length) {
      out.push('', '## Dependency loops', '');
      for (const c of p.cycles) out.push(`- ${c.map(code).join(', ')} depend on each other's work orders; they are ordered by the other rules.`);
    }
  }
  if (p.missing.length) {
    out.push('', '## Branches not found here', '');
    for (const m of p.missing) out.push(`- ${code(m.branch)} (${m.tracks.map(esc).join(', ')}): fetch it to plan its merge.`);
  }
  return out.join('\n') + '\n';
}

export function mergePlanJson(p: MergePlan): string {
  return (
    toJson(
      {
        version: 1,
        base: p.base,
        order: p.order,
        branches: p.branches.map((b) => ({
          position: b.position,
          branch: b.branch,
          commit: b.commit,
          tracks: b.tracks,
          done: b.done,
          ahead: b.ahead,
          behind: b.behind,
          conflicts_with_base: b.baseConflicts,
          conflicts_with: b.conflictsWith,
          depends_on: b.dependsOn,
          reasons: b.reasons,
        })),
        resolve_together: p.resolveTogether,
        missing: p.missing,
        dependency_loops: p.cycles,
      },
    ) + '\n'
  );
}
