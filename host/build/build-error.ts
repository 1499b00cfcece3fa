// A build that cannot go on: one message for the user, naming the file, line and column and
// what was expected. The CLI prints it as it is (no stack) and exits non-zero.
import { relative } from "node:path";

export class BuildError extends Error {}

/** A file as the user would type it: relative to the current folder when inside it. */
export function shownPath(file: string): string {
  const path = relative(process.cwd(), file);
  return path.startsWith("..") || path === "" ? file : path;
}

/** "file:line:col" (1-based) of a character offset. */
export function locate(file: string, source: string, offset: number): string {
  const before = source.slice(0, Math.max(0, Math.min(offset, source.length)));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return shownPath(file) + ":" + line + ":" + column;
}
