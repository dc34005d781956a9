/**
 * What an agent needs to know to work in a repository managed with tracks:
 * the section `tracks agent-instructions` prints for AGENTS.md or CLAUDE.md,
 * and the shorter one the MCP server hands every client. Pure.
 */

export interface InstructionOptions {
  /** How the CLI is run in this repository. */
  cli?: string;
  /** The repository has claim commands (`tracks claim`). */
  claims?: boolean;
}

export function agentInstructions(o: InstructionOptions = {}): string {
  const t = o.cli ?? 'npx tracks';
  const claim = o.claims
    ? [
        `- Claim the track before you start, so nobody else takes the same work: \`${t} claim <track>\`; \`${t} claims\` shows who holds what. Release it when you stop: \`${t} release <track>\`.`,
        `- Work on the branch your claim names (or the track's \`branch:\` if it has one).`,
      ]
    : [`- Work on the branch the track names (\`branch\` in \`${t} context <track> --format json\`), or your usual branch when it names none.`];
  return `## Work orders and tracks

This repository's backlog is one markdown file per work order in \`work_orders/\`, grouped into tracks
(\`tracks/NNNN_TYPE_slug.md\`) and managed with \`tracks\`. Ask \`tracks\` rather than reading the files:
every read command has \`--format json\` (documented shapes, each with a \`version\` field), and
\`${t} mcp\` serves the same answers as MCP tools.

### Find the next work
- \`${t} status --format json\`: counts, active tracks, the top-level limit, whether organize is due.
- \`${t} next --format json\`: the next startable work order of each active track, with the reason;
  \`${t} next <track> --format json\` for one track (ready, blocked and held work, best first).
- \`${t} context <track> --format json\`: goal, decisions, history, open work orders with acceptance criteria.

### Take the work
${claim.join('\n')}
- A track nobody has started: \`${t} start <track> --reason "…"\` (it records who and when, and commits).

### Record progress and finish
- Update the work order's own \`status:\` as it moves (to \`done\` when its acceptance criteria hold) and commit it with the change.
- Run \`${t} check\` before you commit (the pre-commit hook runs \`${t} check --staged\`).
- Stopping with work left: \`${t} pause <track> --reason "…"\` (it records a checkpoint). All done: \`${t} complete <track>\`.

### Never
- Never edit the \`track:\` key by hand: \`${t} assign <WO-id> --track <slug>\` changes that one line and commits it.
- Never edit a track file's \`status\` or \`history\`: use the lifecycle commands above.
- Never run \`${t} organize\` or \`${t} apply\` on your own: a person approves every organize change.
  You may propose one (\`${t} organize --plan-out plan.json\`, or the \`organize_propose\` tool) and give them the command.
`;
}

/** The server's instructions: the same rules, in the tools' words. */
export function instructionsForServer(): string {
  return [
    'tracks: a git-backed backlog of work orders grouped into tracks.',
    'Start with tracks_overview; work_next says what can start now and why; track_context gives a track\'s goal, decisions and open work with acceptance criteria before you begin.',
    'Record progress in the work order\'s own status field and commit it with your change. Use work_order_assign to set a work order\'s track (never edit `track:` by hand) and track_transition to start, pause (with a reason), resume or complete a track.',
    'organize_propose only proposes: a person reviews and applies the plan with the command it returns. Never apply it yourself.',
    'Answers are bounded; follow nextCursor to page, and `truncated` says what was left out.',
  ].join('\n');
}
