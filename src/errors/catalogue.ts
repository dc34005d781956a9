/**
 * Every error code the tool can print, once. Codes are stable: scripts, docs
 * and agents match on them, so a code is never renamed or reused. The README's
 * table is rendered from this list (test/unit/error-catalogue.test.ts holds them
 * equal).
 *
 * `exit` is the exit code; `changes` says what an error of this kind means for
 * the repository: `none` (raised before anything was written, so the repository
 * is as it was) or `reported` (raised while or after writing: the message
 * itself states the repository's real state, from the apply outcome).
 */
export type ExitCode = 0 | 1 | 2 | 130;

export interface ErrorSpec {
  /** What happened, in the words of the README table. */
  title: string;
  exit: ExitCode;
  changes: 'none' | 'reported';
  /** Default hint when the raising site has nothing more specific. */
  hint?: string;
}

const refusal = (title: string, hint?: string, exit: ExitCode = 2): ErrorSpec => ({ title, exit, changes: 'none', ...(hint ? { hint } : {}) });

export const ERRORS = {
  // Usage: what was typed.
  USAGE: refusal('unknown command or option, missing argument', 'See `tracks --help` or `tracks <command> --help`.'),
  BAD_OPTION: refusal('an option value that is not allowed (not a number, out of range, not one of the choices)'),
  UNKNOWN_TRACK: refusal('a track slug or name that does not exist'),
  AMBIGUOUS_TRACK: refusal('a track name that matches several tracks'),
  UNKNOWN_WORK_ORDER: refusal('a work-order id or path that does not exist'),
  UNKNOWN_PATH: refusal('a path given to `check` that names no work order, track or config file (nor a directory holding one), or is outside the repository'),
  UNKNOWN_EXPERIMENT: refusal('an experiment name that no track has'),
  NOT_IN_EXPERIMENT: refusal('the picked winner does not compete in that experiment'),
  ALREADY_DECIDED: refusal('the experiment already has a recorded decision'),
  REASON_REQUIRED: refusal('the command records a reason and none was given', 'Pass --reason "…".'),
  BAD_TYPE: refusal('a track type that is not configured'),
  BAD_STATUS: refusal('a track status that does not exist'),
  BAD_SLUG: refusal('a name or slug that does not make a valid kebab-case slug'),
  BAD_MODE: refusal('an organize mode that does not fit the repository'),
  BAD_CURSOR: refusal('a paging cursor the MCP server did not make, or made for other filters', 'Pass the nextCursor of the previous answer unchanged, or leave cursor out to start again.'),
  TRACK_RETIRED: refusal('the track is cancelled or archived'),
  TRACK_BAD_STATUS: refusal('the track file has a status the lifecycle does not know'),
  TRANSITION_REFUSED: refusal('the lifecycle does not allow that transition from the current status', undefined, 1),
  SINGLE_ACTIVE: refusal('another track is active and single_active_track is on', undefined, 1),
  MULTIPLE_TRACKS_OFF: refusal('several tracks per work order while the config allows one'),
  NEEDS_TTY: refusal('the command asks before writing, and this is not an interactive terminal', 'Pass --yes to go ahead without asking, or --dry-run to only look.'),
  NEEDS_FORCE: refusal('the change leaves open work behind and needs --force', undefined, 1),

  // Parallel work: claims, branches, work trees.
  CLAIMED: refusal('the track is claimed by someone else (the message says who, since when, on which branch)', 'Pick another track, or take it over with --steal --reason "…".', 1),
  NOT_CLAIMED: refusal('release of a track (or a claimant) that holds no claim here', undefined, 1),
  NO_CLAIMANT: refusal('no --as NAME was given and git has no user.name or user.email to name the claimant', 'Pass --as NAME, or set git config user.name.'),
  BRANCH_EXISTS: refusal("the claim's branch already exists with commits of its own", 'Pass --branch NAME to work on that branch as it is, or another name for a new one.'),
  WORKTREE_UNAVAILABLE: refusal('the work tree cannot be added: its directory is in use, or the branch is checked out elsewhere'),
  UNKNOWN_BRANCH: refusal('a base branch or revision that does not exist'),

  // The repository and its configuration.
  CONFIG_INVALID: refusal('tracks.config.yaml has errors', 'Run `tracks check` to see them all.'),
  CONFIG_EXISTS: refusal('tracks init would overwrite an existing config', 'Pass --force to overwrite it.'),
  NOT_A_GIT_REPO: refusal('not in a git work tree (and no tracks.config.yaml), a bare repository, or inside `.git`; or the command needs git to commit', 'Run `git init` first, or pass --no-commit.'),
  NOTHING_TO_CHECK: refusal('`--require-track` (or `require_track`) and no work orders or tracks where the config says'),
  NO_REPOSITORY: refusal('the MCP server was started outside any repository (no git work tree, no tracks.config.yaml)', 'Start `tracks mcp` in the repository, pass --cwd <dir>, or set TRACKS_ROOT.'),
  FOREIGN_HOOK: refusal('a pre-commit hook that tracks did not write is in the way'),
  HOOK_EDITED: refusal('the tracks hook was edited by hand and is left alone'),

  // The change pipeline: refusals before the first write.
  LOCKED: refusal('another tracks process is writing to this repository', 'Wait for it to finish, then run the command again.'),
  GIT_BUSY: refusal('a merge, rebase, cherry-pick or revert is in progress', 'Finish or abort it first.'),
  DIRTY_FILES: refusal("a file the command would write has uncommitted changes (they would end up in the tool's commit)", 'Commit or stash them first, or pass --no-commit.'),
  PLAN_STALE: refusal('a file changed since the plan was made', 'Make the plan again against the current files.'),
  PLAN_NOT_FOUND: refusal('the plan file cannot be read'),
  PLAN_INVALID: refusal('the plan file is not a plan tracks made, or was edited', 'Make a new one with `--plan-out <file>`.'),
  PLAN_REFUSED: refusal('a change in the plan is not what its kind allows (verified before writing)'),
  RULES_BROKEN: refusal('the change would introduce an error that `tracks check` reports', undefined, 1),
  EDIT_REFUSED: refusal('a file cannot be edited without changing more than the one key or entry'),
  PLAN_EDIT: refusal('a file the plan must edit has front matter that cannot be edited losslessly', 'Fix the file first (`tracks check` shows where).'),
  UNSAFE_PATH: refusal('a path the command would read or write is a link, a special file, or outside the repository'),

  // The change pipeline: failures while or after writing; the message states the real state.
  WRITE_FAILED: { title: 'writing a file failed; the message says what was undone', exit: 2, changes: 'reported' },
  HOOK_REFUSED: { title: "a git hook refused the tool's commit; the message shows its output and the state", exit: 1, changes: 'reported' },
  COMMIT_FAILED: { title: 'git commit failed; the message says what was undone', exit: 2, changes: 'reported' },
  COMMITTED_INCOMPLETE: { title: 'the commit was made but a later step failed; the message names the commit and what to run', exit: 2, changes: 'reported' },
  INTERRUPTED_CHANGE: { title: 'an earlier tracks command was interrupted while writing and could not be finished or undone', exit: 2, changes: 'reported' },

  // git itself.
  GIT_FAILED: refusal('a git command failed'),

  // organize and the LLM providers.
  NO_API_KEY: refusal('the provider needs an API key that is not in the environment'),
  PROPOSAL_INVALID: refusal('the proposal breaks the repository rules after every correction round'),
  LLM_MAX_COST: refusal('the estimated cost is over --max-cost; nothing was sent'),
  LLM_INVALID_PROPOSAL: refusal("the model's proposal is still invalid after the correction rounds"),
  LLM_TRUNCATED: refusal('the answer was cut off at max_tokens'),
  LLM_REFUSED: refusal('the model declined to answer'),
  LLM_CONTEXT_EXCEEDED: refusal("the request did not fit the model's context window"),
  LLM_UNEXPECTED_STOP: refusal('the model stopped before finishing its answer'),
  LLM_RATE_LIMITED: refusal('the API is rate limiting (429) after the retries'),
  LLM_TIMEOUT: refusal('the API did not answer in time (llm.request_timeout_seconds), or the run passed its deadline (llm.timeout_seconds)'),
  LLM_CONNECTION: refusal('the API could not be reached'),
  LLM_AUTH: refusal('the API rejected the key (401)'),
  LLM_FORBIDDEN: refusal('the API refused the request (403)'),
  LLM_NOT_FOUND: refusal('the API does not know the model or endpoint (404)'),
  LLM_UNAVAILABLE: refusal('the API failed (5xx or overloaded) after the retries'),
  LLM_BAD_REQUEST: refusal('the API rejected the request (4xx)'),
  LLM_BAD_ANSWER: refusal('the API answered with something that is not an answer (an empty body, an empty stream, or far more text than max_tokens allows)'),
  LLM_NO_MODEL: refusal('no model was chosen and the OpenAI-compatible server does not name exactly one', 'Choose one with --model or llm.model in tracks.config.yaml.'),
  LLM_ERROR: refusal('another API error'),

  ABORTED: { title: 'aborted by the user (Ctrl-C); the message states what was written', exit: 130, changes: 'reported' },
  INTERNAL: refusal('a bug: run again with --verbose and report it'),
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export function specOf(code: ErrorCode): ErrorSpec {
  return ERRORS[code];
}

/** The README's table of error codes. */
export function errorTableMarkdown(): string {
  const rows = (Object.entries(ERRORS) as [ErrorCode, ErrorSpec][]).map(
    ([code, s]) => `| \`${code}\` | ${s.exit} | ${s.changes === 'none' ? 'no files changed' : 'stated in the message'} | ${s.title} |`,
  );
  return ['| code | exit | repository | what |', '|---|---|---|---|', ...rows].join('\n');
}
