import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_FILE_PATTERNS,
  documentSelectorGlobs,
  globToRegExp,
  matchesFilePatterns,
  normalizePatterns,
} from '../src/patterns.ts';

describe('matchesFilePatterns with the default patterns', () => {
  const match = (p: string, rel?: string) => matchesFilePatterns(DEFAULT_FILE_PATTERNS, p, rel);

  it('matches issue files anywhere', () => {
    assert.ok(match('/home/me/twir/draft/2024-11-06-this-week-in-rust.md'));
    assert.ok(match('/twir/content/2015-01-05-this-week-in-rust.markdown'));
    assert.ok(match('C:\\twir\\draft\\2024-11-06-this-week-in-rust.md'));
    assert.ok(match('/x/2020-11-4-this-week-in-rust.md'), 'not zero-padded names exist');
  });

  it('leaves other Markdown alone', () => {
    assert.ok(!match('/twir/README.md'));
    assert.ok(!match('/twir/draft/DRAFT_TEMPLATE'));
    assert.ok(!match('/twir/2024-11-06-this-week-in-rust.md.bak'));
    assert.ok(!match('/twir/2024-11-06-this-week-in-rust.txt'));
    assert.ok(!match('/twir/2024-11-06-this-week-in-rust.md/notes.md'));
  });
});

describe('patterns with folders', () => {
  it('matches the workspace-relative path', () => {
    const patterns = ['draft/*.md'];
    assert.ok(matchesFilePatterns(patterns, '/r/draft/a.md', 'draft/a.md'));
    assert.ok(!matchesFilePatterns(patterns, '/r/content/a.md', 'content/a.md'));
    assert.ok(!matchesFilePatterns(patterns, '/r/draft/sub/a.md', 'draft/sub/a.md'));
  });

  it('lets ** span folders, also outside a workspace', () => {
    const patterns = ['**/draft/**/*.md'];
    assert.ok(matchesFilePatterns(patterns, '/r/draft/a.md', 'draft/a.md'));
    assert.ok(matchesFilePatterns(patterns, '/r/draft/x/y/a.md', 'draft/x/y/a.md'));
    assert.ok(matchesFilePatterns(patterns, '/elsewhere/draft/a.md'));
  });
});

describe('globToRegExp', () => {
  it('supports ?, classes and braces', () => {
    assert.ok(globToRegExp('202?-*.md').test('2024-x.md'));
    assert.ok(!globToRegExp('202?-*.md').test('20245-x.md'));
    assert.ok(globToRegExp('[0-9]*.md').test('7.md'));
    assert.ok(!globToRegExp('[!0-9]*.md').test('7.md'));
    assert.ok(globToRegExp('*.{md,markdown}').test('a.markdown'));
    assert.ok(!globToRegExp('*.{md,markdown}').test('a.mdx'));
  });

  it('escapes regex characters', () => {
    assert.ok(globToRegExp('a+b(1).md').test('a+b(1).md'));
    assert.ok(!globToRegExp('a.md').test('aXmd'));
  });

  it('keeps * inside one path segment', () => {
    assert.ok(!globToRegExp('*.md').test('a/b.md'));
    assert.ok(globToRegExp('**/*.md').test('a/b.md'));
    assert.ok(globToRegExp('**/*.md').test('b.md'));
  });
});

describe('normalizePatterns', () => {
  it('falls back to the defaults when the setting is not a list', () => {
    assert.deepEqual(normalizePatterns(undefined), [...DEFAULT_FILE_PATTERNS]);
    assert.deepEqual(normalizePatterns('x'), [...DEFAULT_FILE_PATTERNS]);
  });
  it('drops blanks and non-strings', () => {
    assert.deepEqual(normalizePatterns([' a.md ', '', 3, null, 'b.md']), ['a.md', 'b.md']);
  });
});

describe('documentSelectorGlobs', () => {
  it('anchors file-name patterns anywhere in the path', () => {
    assert.deepEqual(documentSelectorGlobs(DEFAULT_FILE_PATTERNS), [
      '**/*-this-week-in-rust.md',
      '**/*-this-week-in-rust.markdown',
    ]);
    assert.deepEqual(documentSelectorGlobs(['draft/*.md', '**/x.md', './y/*.md']), [
      '**/draft/*.md',
      '**/x.md',
      '**/y/*.md',
    ]);
  });
});
