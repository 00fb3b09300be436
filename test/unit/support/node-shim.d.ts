/**
 * The few Node APIs the plain-Node unit tests use, declared by hand. The project tsconfig does
 * not load @types/node (src must not lean on Node globals), so unit tests declare what they
 * need here instead of pulling all of Node's globals into the type check of src/.
 */
declare module 'node:fs' {
  export function readFileSync(path: string, encoding: 'utf8'): string;
  export function readdirSync(path: string, options: { recursive: true }): string[];
  export function existsSync(path: string): boolean;
  export function statSync(path: string): { isDirectory(): boolean; isFile(): boolean };
}
declare module 'node:path' {
  export function join(...parts: string[]): string;
  export function resolve(...parts: string[]): string;
  export function relative(from: string, to: string): string;
  export function dirname(path: string): string;
  export const sep: string;
  export const posix: { normalize(path: string): string; join(...parts: string[]): string; dirname(path: string): string };
}
declare module 'node:url' {
  export function fileURLToPath(url: string | URL): string;
}
declare module 'node:module' {
  export function createRequire(from: string | URL): { (id: string): unknown; resolve(id: string): string };
}
interface ImportMeta {
  readonly url: string;
}
