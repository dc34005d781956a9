import { Command, Option } from 'commander';
import { basename, dirname, extname, resolve } from 'node:path';
import type { Ctx } from '../cli/ctx.js';
import { err } from '../cli/ctx.js';
import { openRepo } from '../cli/repo.js';
import { writeOutputFile } from '../fs/output.js';
import { findTrack } from '../core/tracks.js';
import { unknownStatusNote } from '../shapes/list.js';
import { TracksError } from '../errors/index.js';
import { buildTree, type Placement } from '../tree/model.js';
import { sanitize } from '../render/sanitize.js';
import { plural } from '../render/plural.js';

type Format = 'text' | 'mermaid' | 'html' | 'json';

const list = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

/** `--out tree.html` should not also need `--format html`. */
function formatFor(out: string | undefined): { format: Format; fenced: boolean } {
  const ext = out ? extname(out).toLowerCase() : '';
  if (ext === '.html' || ext === '.htm') return { format: 'html', fenced: false };
  if (ext === '.mmd' || ext === '.mermaid') return { format: 'mermaid', fenced: false };
  if (ext === '.md' || ext === '.markdown') return { format: 'mermaid', fenced: true };
  if (ext === '.json') return { format: 'json', fenced: false };
  return { format: 'text', fenced: false };
}

/** Image and document names that text, Mermaid, HTML or JSON would only pretend to be. */
const IMAGE = new Set(['.svg', '.png', '.jpg', '.jpeg', '.gif', '.webp', '.pdf']);

/** `--out tree.svg` is refused before anything is read: tracks never writes text under an image's name. */
function refuseImageOut(out: string | undefined): void {
  const ext = out ? extname(out).toLowerCase() : '';
  if (!IMAGE.has(ext)) return;
  throw new TracksError('BAD_OPTION', `--out ${out}: tracks tree writes text, Mermaid, HTML or JSON, not ${ext.slice(1).toUpperCase()}`, {
    hint:
      ext === '.svg'
        ? 'Write the page with --out tree.html (the tree is an SVG in it, in any browser), or Mermaid with --out tree.mmd and turn that into an SVG with mermaid-cli: npx @mermaid-js/mermaid-cli -i tree.mmd -o tree.svg'
        : `Write the page with --out tree.html and save it as ${ext.slice(1).toUpperCase()} from a browser, or Mermaid with --out tree.mmd for mermaid-cli.`,
  });
}

export default function tree(ctx: Ctx): Command {
  return new Command('tree')
    .description('Show the tech tree: one lane per track, work orders placed by dependency depth, depends_on as edges.')
    .option('-t, --track <slug>', 'only this track and its sub-tracks (repeat or comma-separate for several)', list)
    .option('-s, --status <status>', 'only work orders with these statuses (comma-separated)', list)
    .addOption(new Option('--format <format>', 'output format (default: from --out, else text)').choices(['text', 'mermaid', 'html', 'json']))
    .option('-o, --out <file>', 'write to this file instead of stdout (.html, .mmd, .md or .json picks the format; an image name such as .svg is refused)')
    .addOption(new Option('--by <placement>', 'place work orders by dependency depth or by era').choices(['depth', 'era']).default('depth'))
    .addHelpText(
      'after',
      `
Examples:
  $ tracks tree                                   the whole backlog in the terminal
  $ tracks tree --track runner --status ready,backlog
  $ tracks tree --out tree.html                   a standalone page (open it in a browser)
  $ tracks tree --format mermaid > tree.mmd       for a GitHub \`\`\`mermaid block (or --out tree.md)
  $ tracks tree --by era                          columns are eras instead of depths
  $ tracks tree --format json | jq '.edges | length'   the model every view is drawn from`,
    )
    .action(async (opts: { track?: string[]; status?: string[]; format?: Format; out?: string; by: Placement }) => {
      const statuses = opts.status ?? [];
      refuseImageOut(opts.out);
      const repo = await openRepo(ctx);
      const tracks = (opts.track ?? []).map((s) => findTrack(repo, s).slug);
      const model = buildTree(repo, { tracks, statuses, by: opts.by });
      const inferred = formatFor(opts.out);
      const format = opts.format ?? inferred.format;

      const note = unknownStatusNote(repo, statuses);
      if (note) err(ctx, ctx.color.yellow(sanitize(note)));

      let output: string;
      if (format === 'html') {
        const [{ layoutTree }, { renderHtml }, { createRequire }] = await Promise.all([import('../tree/layout.js'), import('../tree/html.js'), import('node:module')]);
        const title = `Tech tree · ${basename(repo.root)}`;
        // dagre only when a group of work orders is not a tree: most trees never load it
        const dagre = () => createRequire(import.meta.url)('@dagrejs/dagre') as typeof import('@dagrejs/dagre').default;
        output = renderHtml(model, layoutTree(model, dagre), { title });
      } else if (format === 'json') {
        const { treeShape } = await import('../shapes/tree.js');
        output = JSON.stringify(treeShape(model), null, 2) + '\n';
      } else if (format === 'mermaid') {
        const { renderMermaid, GITHUB_MERMAID_LIMIT } = await import('../tree/mermaid.js');
        output = renderMermaid(model, { fenced: inferred.fenced });
        if (output.length > GITHUB_MERMAID_LIMIT) {
          err(ctx, ctx.color.yellow(`The diagram is ${output.length} characters; GitHub renders Mermaid up to ${GITHUB_MERMAID_LIMIT}. Narrow it with --track or --status.`));
        }
      } else {
        const { renderText } = await import('../tree/text.js');
        const { Chalk } = await import('chalk');
        // A file gets no escape codes; the terminal gets its own width.
        output = renderText(model, opts.out ? { width: 100, color: new Chalk({ level: 0 }) } : { width: ctx.io.columns, color: ctx.color });
      }

      if (!opts.out) {
        ctx.io.stdout(output);
        return;
      }
      const dest = resolve(ctx.cwd(), opts.out);
      try {
        writeOutputFile(dest, output);
      } catch (e) {
        throw new TracksError('WRITE_FAILED', `could not write ${opts.out}: ${(e as Error).message}`, { cause: e, hint: 'Check that the directory exists and is writable.' });
      }
      const kb = Buffer.byteLength(output) / 1024;
      err(ctx, `Wrote ${opts.out} (${format}, ${plural(model.nodes.size, 'work order')} in ${plural(model.lanes.length, 'lane')}, ${kb < 1024 ? `${kb.toFixed(0)} KB` : `${(kb / 1024).toFixed(1)} MB`}).`);
    });
}
