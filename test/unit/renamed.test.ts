import { describe, expect, it } from 'vitest';
import { namesHere } from '../../src/parallel/renamed.js';

const t = (slug: string, createdAt: string, renamedFrom: string[] = []) => ({
  slug,
  data: { created_at: createdAt, history: renamedFrom.map((from) => ({ at: createdAt, from: 'active', to: 'active', event: 'rename', renamed_from: from })) },
});

describe('namesHere: a track under a name it was renamed from', () => {
  it('is the renamed track, through every rename, when it was created at the same time', () => {
    const names = namesHere([t('c', '2026-01-01T00:00:00Z', ['a', 'b']), t('other', '2026-02-01T00:00:00Z')]);
    expect(names.track(t('a', '2026-01-01T00:00:00Z'))).toBe('c');
    expect(names.track(t('b', '2026-01-01T00:00:00Z'))).toBe('c');
    expect(names.track(t('c', '2026-01-01T00:00:00Z'))).toBe('c');
    expect(names.track(t('other', '2026-02-01T00:00:00Z'))).toBe('other');
    expect(names.slug('a')).toBe('c');
    expect(names.slug('unknown')).toBe('unknown');
  });

  it('is another track when it was created at another time, and a work order means the track that has the slug here', () => {
    // "a" was renamed to "c"; then a new track took the slug "a"
    const names = namesHere([t('c', '2026-01-01T00:00:00Z', ['a']), t('a', '2026-03-01T00:00:00Z')]);
    expect(names.track(t('a', '2026-03-01T00:00:00Z'))).toBe('a');
    expect(names.track(t('a', '2026-01-01T00:00:00Z'))).toBe('c');
    expect(names.slug('a')).toBe('a');
  });

  it('renamed back to an old name: the name in between means it', () => {
    const names = namesHere([t('a', '2026-01-01T00:00:00Z', ['a', 'b'])]);
    expect(names.track(t('b', '2026-01-01T00:00:00Z'))).toBe('a');
    expect(names.slug('b')).toBe('a');
  });
});
