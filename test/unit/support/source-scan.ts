/**
 * Reads the repository's own source for architecture checks: lists files, strips comments (so
 * prose such as "crypto lives outside the domain" is not code), and extracts import specifiers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { posix } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const SOURCE_FILE = /\.(?:ts|mts|cts|js|mjs|cjs)$/;

export interface SourceFile {
  /** Repository-relative, forward slashes: `src/domain/ids.ts`. */
  readonly path: string;
  readonly text: string;
}

export function sourceFiles(dir: string): SourceFile[] {
  return readdirSync(REPO_ROOT + dir, { recursive: true, encoding: 'utf8' })
    .map((p) => `${dir}/${p.replaceAll('\\', '/')}`)
    .filter((p) => SOURCE_FILE.test(p))
    .sort()
    .map((path) => ({ path, text: readFileSync(REPO_ROOT + path, 'utf8') }));
}

/** Comments removed, string and template literals kept (a `//` inside a URL string is not a comment). */
export function stripComments(text: string): string {
  const token = /("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g;
  return text.replace(token, (match, literal: string | undefined) => literal ?? match.replace(/[^\n]/g, ' '));
}

const IMPORT_PATTERNS = [
  // import x from 'y'; import { a, type B } from 'y'; import type X from 'y'; export * from 'y'; export { a } from 'y'
  /\b(?:import|export)\s+(?:type\s+)?[\w*{}\s,$]*?\bfrom\s*['"]([^'"]+)['"]/g,
  // import 'y' (side effect only)
  /\bimport\s*['"]([^'"]+)['"]/g,
  // import('y'), require('y')
  /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

export interface ImportRef {
  readonly specifier: string;
  /** Repository-relative target for relative specifiers (`src/domain/result`), else null. */
  readonly resolved: string | null;
  readonly line: number;
}

export function importsOf(file: SourceFile): ImportRef[] {
  const code = stripComments(file.text);
  const refs: ImportRef[] = [];
  for (const pattern of IMPORT_PATTERNS) {
    for (const match of code.matchAll(pattern)) {
      const specifier = match[1]!;
      const line = code.slice(0, match.index).split('\n').length;
      const resolved = specifier.startsWith('.') ? posix.normalize(posix.join(posix.dirname(file.path), specifier)) : null;
      refs.push({ specifier, resolved, line });
    }
  }
  return refs.sort((a, b) => a.line - b.line);
}

/** `file:line` positions of a code pattern (comments ignored). */
export function usagesOf(file: SourceFile, pattern: RegExp): number[] {
  const lines = stripComments(file.text).split('\n');
  return lines.flatMap((text, i) => (pattern.test(text) ? [i + 1] : []));
}

export function lineCount(file: SourceFile): number {
  return file.text.split('\n').length - (file.text.endsWith('\n') ? 1 : 0);
}
