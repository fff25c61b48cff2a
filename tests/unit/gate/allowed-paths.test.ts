import { describe, expect, it } from 'vitest';
import { filesOutsidePaths } from '../../../src/gate/allowed-paths.js';
import { lastLines } from '../../../src/gate/tail.js';

describe('filesOutsidePaths', () => {
  const files = ['backlog/tasks/A1-x.md', 'docs/guide.md', 'README.md', 'src/app.ts', '.github/workflows/ci.yml', 'src/.env.example'];

  it('allows everything with **', () => {
    expect(filesOutsidePaths(files, ['**'])).toEqual([]);
  });

  it('lists the files no pattern covers, dot files included', () => {
    expect(filesOutsidePaths(files, ['backlog/**', 'docs/**', '*.md'])).toEqual(['src/app.ts', '.github/workflows/ci.yml', 'src/.env.example']);
    expect(filesOutsidePaths(files, ['src/**'])).toEqual(['backlog/tasks/A1-x.md', 'docs/guide.md', 'README.md', '.github/workflows/ci.yml']);
    expect(filesOutsidePaths(files, ['.github/**', '**/*.md'])).toEqual(['src/app.ts', 'src/.env.example']);
  });

  it('takes a plain folder name as that folder', () => {
    expect(filesOutsidePaths(['docs/guide.md', 'docs', 'docsify.md'], ['docs/'])).toEqual(['docsify.md']);
    expect(filesOutsidePaths(['docs/a/b.md'], ['docs'])).toEqual([]);
  });

  it('allows nothing when no pattern is given', () => {
    expect(filesOutsidePaths(['a.txt'], [])).toEqual(['a.txt']);
    expect(filesOutsidePaths([], [])).toEqual([]);
  });
});

describe('lastLines', () => {
  it('keeps the last lines without trailing blank lines', () => {
    expect(lastLines('a\nb\nc\n\n', 2)).toBe('b\nc');
    expect(lastLines('a\r\nb\r\n', 5)).toBe('a\nb');
    expect(lastLines('\n\n', 3)).toBe('');
  });
});
