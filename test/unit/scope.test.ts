import { describe, expect, it } from 'vitest';
import { expandBraces, normalizePattern, parseScope, scopeMatcher, scopeOverlap } from '../../src/parallel/scope.js';

const overlap = (a: string[], b: string[]) => scopeOverlap(parseScope(a), parseScope(b));
const inScope = (s: string[], p: string) => scopeMatcher(parseScope(s))(p);

describe('scope patterns', () => {
  it('a path without a glob means the path and everything under it', () => {
    expect(normalizePattern('src/runner')).toBe('src/runner/**');
    expect(normalizePattern('./src/api/')).toBe('src/api/**');
    expect(normalizePattern('**/*.test.ts')).toBe('**/*.test.ts');
    expect(inScope(['src/runner'], 'src/runner/retry.ts')).toBe(true);
    expect(inScope(['src/runner'], 'src/runners/x.ts')).toBe(false);
  });

  it('negations exclude', () => {
    const s = ['src/**', '!src/legacy/**'];
    expect(inScope(s, 'src/auth/login.ts')).toBe(true);
    expect(inScope(s, 'src/legacy/old.ts')).toBe(false);
    expect(inScope(s, 'docs/x.md')).toBe(false);
    expect(inScope(['**/*.test.ts'], 'test/a/b.test.ts')).toBe(true);
    expect(inScope(['**/*.test.ts'], '.github/x.test.ts')).toBe(true);
  });

  it('expands brace lists', () => {
    expect(expandBraces('src/{a,b}/**')).toEqual(['src/a/**', 'src/b/**']);
    expect(expandBraces('src/{a,{b,c}}.ts')).toEqual(['src/a.ts', 'src/b.ts', 'src/c.ts']);
    expect(expandBraces('x/{1..3}')).toEqual(['x/{1..3}']);
  });
});

describe('scope overlap', () => {
  it('src/** and src/auth/** overlap in src/auth/**', () => {
    const o = overlap(['src/**'], ['src/auth/**'])!;
    expect(o.pattern).toBe('src/auth/**');
    expect(inScope(['src/**'], o.example) && inScope(['src/auth/**'], o.example)).toBe(true);
  });

  it('src/** and **/*.test.ts overlap in src/**/*.test.ts', () => {
    const o = overlap(['src/**'], ['**/*.test.ts'])!;
    expect(o.pattern).toBe('src/**/*.test.ts');
    expect(o.example).toMatch(/^src\/.*\.test\.ts$/);
  });

  it('disjoint directories do not overlap', () => {
    expect(overlap(['src/auth/**'], ['src/billing/**'])).toBeUndefined();
    expect(overlap(['src/auth'], ['docs'])).toBeUndefined();
    expect(overlap(['**/*.ts'], ['**/*.md'])).toBeUndefined();
  });

  it('a negation can remove the overlap, or leave part of it', () => {
    expect(overlap(['src/**', '!src/legacy/**'], ['src/legacy/**'])).toBeUndefined();
    const o = overlap(['src/**', '!src/legacy/**'], ['src/**'])!;
    expect(o).toBeDefined();
    expect(o.example.startsWith('src/legacy')).toBe(false);
    expect(overlap(['src/**', '!**/*.test.ts'], ['**/*.test.ts'])).toBeUndefined();
  });

  it('globs inside a segment meet where picomatch agrees', () => {
    expect(overlap(['src/*.ts'], ['src/foo*'])!.example).toMatch(/^src\/foo.*\.ts$/);
    expect(overlap(['src/*.ts'], ['src/*.md'])).toBeUndefined();
    expect(overlap(['src/{auth,billing}/**'], ['src/billing/api/**'])!.pattern).toBe('src/billing/api/**');
    expect(overlap(['lib/?.js'], ['lib/a.js'])!.example).toBe('lib/a.js');
  });

  it('an empty scope overlaps nothing', () => {
    expect(overlap([], ['src/**'])).toBeUndefined();
    expect(overlap(['!src/**'], ['src/**'])).toBeUndefined();
  });
});
