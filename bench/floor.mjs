// The floor: read every markdown file of the directories given and find its front matter fences.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
let n = 0;
for (const dir of process.argv.slice(2)) {
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.md')) continue;
    const t = readFileSync(join(dir, f), 'utf8');
    if (t.startsWith('---') && t.indexOf('\n---', 3) > 0) n++;
  }
}
if (n < 0) console.log(n);
