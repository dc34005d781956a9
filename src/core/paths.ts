/** Repository paths: always relative to the repository root, with forward slashes. Pure. */
import { sep } from 'node:path';

export const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));
