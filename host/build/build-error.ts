// A build that cannot go on: one message for the user, naming the file, line and column and
// what was expected. The CLI prints it as it is (no stack) and exits non-zero.
import { relative } from "node:path";

export class BuildError extends Error {}

/** "file:line:col" (1-based) of a character offset, the file relative to the current folder. */
export function locate(file: string, source: string, offset: number): string {
  const before = source.slice(0, Math.max(0, Math.min(offset, source.length)));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  const shown = relative(process.cwd(), file);
  return (shown.startsWith("..") || shown === "" ? file : shown) + ":" + line + ":" + column;
}
