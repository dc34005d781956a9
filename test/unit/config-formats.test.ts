/**
 * The config's format keys (fields, several directories, priorities, id
 * matching, presets) and the one resolver for dependency references, on
 * inline data.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig, presetConfigText } from '../../src/config/config.js';
import { formatOf, readPriority } from '../../src/config/fields.js';
import { backlogMdSettings } from '../../src/config/presets.js';
import { dependencyResolver, idKey } from '../../src/core/deps.js';
import { readSource } from '../../src/parse/document.js';
import { toWorkOrder } from '../../src/parse/entities.js';
import type { Config } from '../../src/model/types.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT } from '../helpers/repo.js';

const parse = (text: string) => parseConfig(text, 'tracks.config.yaml');
const brief = (p: { line: number; col: number; severity: string; code: string; message: string }) => `${p.line}:${p.col} ${p.severity} ${p.code} ${p.message}`;

describe('config: formats', () => {
  it('without the new keys, reads exactly as before', () => {
    const { config, problems } = parse('top_level_limit: 5\n');
    expect(problems).toEqual([]);
    expect(config).toEqual({ ...DEFAULT_CONFIG, topLevelLimit: 5 });
    expect(config.fields.track).toBe('track');
    expect(config.workOrderDirs).toEqual([{ path: 'work_orders' }]);
    expect(formatOf(config).identity).toBe(true);
  });

  it('the default config text init writes validates and is the defaults', () => {
    expect(parse(presetConfigText('default'))).toEqual({ config: DEFAULT_CONFIG, problems: [] });
  });

  it('work_orders_dir takes a list of paths and { path, status, archive } entries, normalised', () => {
    const { config, problems } = parse('work_orders_dir:\n  - ./open/\n  - { path: done, status: Done }\n  - { path: old\\\\tasks, status: Archived, archive: true }\n');
    expect(problems).toEqual([]);
    expect(config.workOrderDirs).toEqual([{ path: 'open' }, { path: 'done', status: 'Done' }, { path: 'old/tasks', status: 'Archived', archive: true }]);
    expect(config.workOrdersDir).toBe('open');
  });

  it('every directory must be inside the repository and outside .git, and listed once', () => {
    const { problems } = parse('work_orders_dir:\n  - open\n  - { path: ../elsewhere }\n  - .git/x\n  - open\n');
    expect(problems.map(brief)).toEqual([
      '3:13 error config/schema work_orders_dir must be a path inside the repository',
      '4:5 error config/schema work_orders_dir must not be inside .git',
      '5:5 error config/schema work_orders_dir lists open twice',
    ]);
  });

  it('a work_orders_dir of the wrong shape is one clear error', () => {
    const { problems } = parse('work_orders_dir:\n  - { dir: open }\n');
    expect(problems.map(brief)).toEqual(['2:5 error config/schema work_orders_dir[0] has the wrong shape']);
  });

  it('fields map keys; an unknown field is a warning with a did-you-mean; track may not take another field\'s key', () => {
    const ok = parse('fields: { tags: labels, depends_on: dependencies, tag: x }\n');
    expect(ok.config.fields).toMatchObject({ tags: 'labels', depends_on: 'dependencies', id: 'id', track: 'track' });
    expect(ok.problems.map(brief)).toEqual(['1:51 warning config/unknown-key unknown key "fields.tag" is ignored']);
    expect(ok.problems[0]!.hint).toBe('Did you mean "tags"?');
    const clash = parse('fields:\n  tags: labels\n  track: labels\n');
    expect(clash.problems.map(brief)).toEqual(['3:10 error config/schema fields.track is "labels", the key that tags is read from']);
  });

  it('priorities: words by level, synonyms, any case; a word listed twice is an error', () => {
    const { config } = parse('priorities: [[critical, P0], [high, P1], medium, low]\n');
    const f = formatOf(config);
    expect(readPriority('Critical', f)).toEqual({ rank: 1, word: 'Critical' });
    expect(readPriority('p1', f)).toEqual({ rank: 2, word: 'p1' });
    expect(readPriority('LOW', f)).toEqual({ rank: 4, word: 'LOW' });
    expect(readPriority(3, f)).toEqual({ rank: 3, word: undefined });
    expect(readPriority('urgent', f)).toEqual({ invalid: true });
    expect(readPriority(undefined, f)).toBeUndefined();
    expect(f.priorityWords).toBe('critical (P0), high (P1), medium, low');
    expect(parse('priorities: [high, High]\n').problems.map(brief)).toEqual(['1:20 error config/schema priority "High" is listed twice']);
    // without priorities, a word is not a priority (check says so, as it always has)
    expect(readPriority('high', formatOf(DEFAULT_CONFIG))).toEqual({ invalid: true });
  });

  it('the backlog-md preset sets the format; keys in the file override it, fields and id_matching key by key', () => {
    const { config, problems } = parse('preset: backlog-md\n');
    expect(problems).toEqual([]);
    expect(config.workOrderDirs.map((d) => d.path)).toEqual(['backlog/tasks', 'backlog/completed', 'backlog/drafts', 'backlog/archive/tasks']);
    expect(config.fields).toMatchObject({ tags: 'labels', depends_on: 'dependencies', parent: 'parent_task_id', created: 'created_date', era: 'milestone', track: 'track' });
    expect(config.priorities).toEqual([['high'], ['medium'], ['low']]);
    expect(config.doneStatuses).toEqual(['Done', 'Archived']);
    expect(config.idMatching).toEqual({ ignoreCase: true, prefixes: ['back', 'task'] });

    const over = parse('preset: backlog-md\nwork_orders_dir: backlog/tasks\nfields: { track: stream }\nid_matching: { prefixes: [proj] }\ndone_statuses: [Shipped]\n').config;
    expect(over.workOrderDirs).toEqual([{ path: 'backlog/tasks' }]);
    expect(over.fields).toMatchObject({ tags: 'labels', track: 'stream' });
    expect(over.idMatching).toEqual({ ignoreCase: true, prefixes: ['proj'] });
    expect(over.doneStatuses).toEqual(['Shipped']);
    expect(parse('preset: jira\n').problems.map(brief)).toEqual(['1:9 error config/schema preset must be one of: default, backlog-md']);
  });

  it('init reads what a Backlog.md config.yml says differently from the preset', () => {
    expect(backlogMdSettings('statuses: ["To Do", "In Progress", "Done"]\ntask_prefix: "back"\n').overrides).toEqual({});
    const own = backlogMdSettings('statuses: [Todo, Doing, Shipped]\ntask_prefix: proj\n');
    expect(own.overrides).toMatchObject({ done_statuses: ['Shipped', 'Archived'], id_matching: { prefixes: ['proj', 'task'] } });
    expect(own.overrides.work_orders_dir).toContainEqual({ path: 'backlog/completed', status: 'Shipped' });
    const text = presetConfigText('backlog-md', own.overrides, 'why');
    const back = parse(text);
    expect(back.problems).toEqual([]);
    expect(back.config.doneStatuses).toEqual(['Shipped', 'Archived']);
    expect(back.config.idMatching.prefixes).toEqual(['proj', 'task']);
  });
});

const backlog = parse('preset: backlog-md\n').config;

describe('the README\'s format examples', () => {
  const readme = readFileSync(join(PROJECT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Using tracks with other formats'), readme.indexOf('## Commands'));
  const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it('are valid configs, and the backlog-md one written out is the preset', () => {
    expect(blocks).toHaveLength(3);
    for (const b of blocks) expect(parse(b).problems).toEqual([]);
    expect(parse(blocks[0]!).config).toEqual(DEFAULT_CONFIG);
    expect({ ...parse(blocks[1]!).config, preset: 'backlog-md' }).toEqual(backlog);
    expect(parse(blocks[2]!).config).toMatchObject({ workOrdersDir: 'work/open', fields: { tags: 'labels', track: 'stream' } });
  });
});

function wo(path: string, fm: string, config: Config = backlog) {
  return toWorkOrder(readSource(path, `---\n${fm}\n---\n`, 'h').doc, config);
}

describe('work orders read through the mapping', () => {
  it('carries labels as tags, dependencies, parent, word priority, milestone as era, and the directory\'s status', () => {
    const w = wo('backlog/completed/back-3 - x.md', "id: BACK-3\ntitle: T\nstatus: To Do\nlabels: [cli, web]\ndependencies: [task-1]\nparent_task_id: task-2\npriority: High\nmilestone: m-1\ncreated_date: '2025-06-01'");
    expect(w).toMatchObject({ id: 'BACK-3', status: 'Done', tags: ['cli', 'web'], dependsOn: ['task-1'], parent: 'task-2', priority: 1, priorityWord: 'High', era: 'm-1', created: '2025-06-01' });
    expect(wo('backlog/tasks/a.md', 'id: A\ntitle: T\nstatus: To Do').status).toBe('To Do');
  });

  it('the default format is untouched: tags, depends_on, integer priority', () => {
    const w = wo('work_orders/a.md', 'id: WO-1\ntitle: T\ntags: [x]\nlabels: [y]\ndepends_on: [WO-0]\npriority: 2', DEFAULT_CONFIG);
    expect(w).toMatchObject({ tags: ['x'], dependsOn: ['WO-0'], priority: 2, priorityWord: undefined, parent: undefined });
  });
});

describe('dependency references: one resolver', () => {
  const m = { ignoreCase: true, prefixes: ['back', 'task'] };
  it('idKey drops the case and one of the listed prefixes', () => {
    expect(idKey('BACK-208', m)).toBe('208');
    expect(idKey('task-208', m)).toBe('208');
    expect(idKey('208', m)).toBe('208');
    expect(idKey('BACK-355.01', m)).toBe('355.01');
    expect(idKey('DRAFT-8', m)).toBe('draft-8');
    expect(idKey('back-', m)).toBe('back-');
  });

  const list = [
    wo('backlog/tasks/a.md', 'id: BACK-208\ntitle: live'),
    wo('backlog/archive/tasks/b.md', 'id: BACK-90\ntitle: archived copy'),
    wo('backlog/completed/c.md', 'id: BACK-90\ntitle: live 90'),
    wo('backlog/drafts/d.md', 'id: DRAFT-8\ntitle: draft'),
    wo('backlog/tasks/e.md', 'id: task-5\ntitle: old prefix'),
    wo('backlog/tasks/f.md', 'id: BACK-5\ntitle: new prefix'),
  ];
  const resolve = dependencyResolver(list, backlog);
  const title = (ref: string) => resolve(ref)?.title;

  it('matches across case and prefixes, and a bare number', () => {
    expect(title('task-208')).toBe('live');
    expect(title('back-208')).toBe('live');
    expect(title('208')).toBe('live');
    expect(title('task-8')).toBeUndefined();
    expect(title('draft-8')).toBe('draft');
  });

  it('an exact id wins; the copy outside the archive is the one meant', () => {
    expect(title('task-5')).toBe('old prefix');
    expect(title('BACK-5')).toBe('new prefix');
    expect(title('BACK-90')).toBe('live 90');
    expect(title('task-90')).toBe('live 90');
  });

  it('without id_matching only the exact id matches', () => {
    const exact = dependencyResolver(list, DEFAULT_CONFIG);
    expect(exact('BACK-208')?.title).toBe('live');
    expect(exact('task-208')).toBeUndefined();
    expect(exact('back-208')).toBeUndefined();
  });
});

describe('reading a config without the yaml package', () => {
  // A leading "---" line is outside the fast reader's subset: the same text then goes through yaml.
  const exact = (text: string) => parse(`---\n${text}`);
  const texts = [
    'top_level_limit: 8\nsingle_active_track: false\norganize_threshold: 10\ndone_statuses: [done, completed]\n',
    presetConfigText('backlog-md'),
    'work_orders_dir:\n  - work_orders\n  - path: work_orders/done\n    status: done\n    archive: true\ntracks_dir: ./tracks/\npriorities: [[critical, p0], high, medium, low]\nllm:\n  provider: openai\n  base_url: http://127.0.0.1:11434/v1\n  model: "qwen3:8b"\nfields:\n  track: lane\nid_matching:\n  ignore_case: true\nclaims:\n  branch: "work/{slug}"\n  parallel: true\n',
    '# only a comment\n',
    '',
  ];
  it('gives the same config as yaml for a config with nothing wrong', () => {
    for (const text of texts) {
      const fast = parse(text);
      expect(fast.problems).toEqual([]);
      expect(fast.config).toEqual(exact(text).config);
    }
  });

  it('says what is wrong, where, exactly as before', () => {
    for (const text of ['top_level_limit: 5\norganize_top_level_target: 9\n', 'single_active: true\n', 'tracks_dir: ../elsewhere\n', 'fields:\n  track: status\n']) {
      const got = parse(text);
      expect(got.problems.length).toBeGreaterThan(0);
      // one line lower through the leading "---", and otherwise the same
      expect(got.problems.map(brief)).toEqual(exact(text).problems.map((p) => brief({ ...p, line: p.line - 1 })));
    }
  });
});
