/**
 * The dependency rule (STYLE.md), checked by reading the source: the domain is pure, the wire
 * codec depends only on the domain and zod, and only src/auth touches jose. Failures list every
 * offending file:line and import, so a violation names itself.
 */
import { describe, expect, it } from 'vitest';
import { importsOf, lineCount, sourceFiles, stripComments, usagesOf, type SourceFile } from './support/source-scan';

const SOURCE_LINES_MAX = 400;

/**
 * Files exempt from the size rule, each with its reason. Generated files only: hand-written
 * source over the limit should be split, not listed here.
 */
const SIZE_ALLOW_LIST: Readonly<Record<string, string>> = {
};

const src = sourceFiles('src');
const durableObjects = sourceFiles('durable-objects');
const inDir = (dir: string) => src.filter((f) => f.path.startsWith(`${dir}/`));

function importViolations(files: readonly SourceFile[], allowed: (specifier: string, resolved: string | null) => boolean): string[] {
  return files.flatMap((file) =>
    importsOf(file)
      .filter((ref) => !allowed(ref.specifier, ref.resolved))
      .map((ref) => `${file.path}:${ref.line} imports '${ref.specifier}'${ref.resolved ? ` (${ref.resolved})` : ''}`),
  );
}

const within = (...dirs: string[]) => (resolved: string | null) => resolved !== null && dirs.some((d) => resolved.startsWith(`${d}/`));

describe('architecture', () => {
  it('finds the source it is meant to check', () => {
    expect(inDir('src/domain').length).toBeGreaterThan(5);
    expect(inDir('src/stripe').length).toBeGreaterThan(5);
    expect(durableObjects.length).toBeGreaterThan(3);
  });

  it('keeps src/domain importing only src/domain (no hono, jose, zod, cloudflare:*, node:*)', () => {
    const inDomain = within('src/domain');
    expect(importViolations(inDir('src/domain'), (_s, resolved) => inDomain(resolved))).toEqual([]);
  });

  it('keeps src/domain free of clocks, randomness and crypto', () => {
    const forbidden: ReadonlyArray<readonly [string, RegExp]> = [
      ['Date.now', /\bDate\.now\b/],
      ['new Date() (reads the clock)', /\bnew\s+Date\s*\(\s*\)/],
      ['Math.random', /\bMath\.random\b/],
      ['crypto.', /\bcrypto\s*\./],
      ['performance.now', /\bperformance\.now\b/],
    ];
    const violations = inDir('src/domain').flatMap((file) =>
      forbidden.flatMap(([label, pattern]) => usagesOf(file, pattern).map((line) => `${file.path}:${line} uses ${label}`)),
    );
    expect(violations).toEqual([]);
  });

  it('keeps src/stripe importing only src/domain, src/stripe and zod', () => {
    const inside = within('src/domain', 'src/stripe');
    const allowed = (specifier: string, resolved: string | null) => inside(resolved) || /^zod(?:\/|$)/.test(specifier);
    expect(importViolations(inDir('src/stripe'), allowed)).toEqual([]);
  });

  it('lets only src/auth import jose', () => {
    const outsideAuth = [...src.filter((f) => !f.path.startsWith('src/auth/')), ...durableObjects];
    const allowed = (specifier: string) => !/^jose(?:\/|$)/.test(specifier);
    expect(importViolations(outsideAuth, allowed)).toEqual([]);
  });

  it(`keeps every source file under src/ and durable-objects/ at most ${SOURCE_LINES_MAX} lines`, () => {
    const tooLong = [...src, ...durableObjects]
      .filter((file) => !(file.path in SIZE_ALLOW_LIST) && lineCount(file) > SOURCE_LINES_MAX)
      .map((file) => `${file.path} has ${lineCount(file)} lines`);
    expect(tooLong).toEqual([]);
  });

  it('lists only files that exist in the size allow-list', () => {
    const paths = new Set([...src, ...durableObjects].map((f) => f.path));
    expect(Object.keys(SIZE_ALLOW_LIST).filter((p) => !paths.has(p))).toEqual([]);
  });
});

describe('architecture source scanner', () => {
  const sample: SourceFile = {
    path: 'src/domain/x/sample.ts',
    text: [
      "import { a } from '../y';",
      "import type { B } from 'hono';",
      'import {',
      '  c,',
      '  type D,',
      "} from 'jose';",
      "import 'cloudflare:workers';",
      "export * from './z';",
      "export { e } from 'zod/mini';",
      "const f = await import('node:crypto');",
      "// import { g } from 'commented-out';",
      "/* import { h } from 'block-comment'; */",
      "const url = 'https://example.com/not-a-comment'; const n = Date.now();",
      '/** crypto.subtle in prose */',
    ].join('\n'),
  };

  it('extracts every import form with its line and resolves relative ones', () => {
    expect(importsOf(sample).map((r) => [r.line, r.specifier, r.resolved])).toEqual([
      [1, '../y', 'src/domain/y'],
      [2, 'hono', null],
      [3, 'jose', null],
      [7, 'cloudflare:workers', null],
      [8, './z', 'src/domain/x/z'],
      [9, 'zod/mini', null],
      [10, 'node:crypto', null],
    ]);
  });

  it('ignores comments but not code after a URL string', () => {
    expect(usagesOf(sample, /\bcrypto\s*\./)).toEqual([]);
    expect(usagesOf(sample, /\bDate\.now\b/)).toEqual([13]);
    expect(stripComments("a // b\n'//c'")).toBe("a     \n'//c'");
  });
});
