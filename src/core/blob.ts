/** The git blob id of some bytes, as git computes it (sha1 of "blob <size>\0" + bytes). Pure. */
import { createHash } from 'node:crypto';

export function blobIdOf(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}
