/** One line of text from a file or from git, safe to print: the one sanitiser (src/render/sanitize.ts). Pure. */
export { sanitize as sanitizeLine, toJson } from '../render/sanitize.js';
