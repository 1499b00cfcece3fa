// Where bootheap's own files are (boards/, src/, firmware/, dist/espruino/): the folder of the
// package.json named "bootheap" above this module. The same answer whether the code runs from
// the repository's sources (tsx) or from the compiled copy an installed package carries
// (dist/tool/host/...), so no module counts "../" to find them.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Folders between a module and the package root, at most (dist/tool/host/emulator/worker). */
const DEPTH_MAX = 8;

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < DEPTH_MAX; i++) {
    const path = join(dir, "package.json");
    if (existsSync(path) && (JSON.parse(readFileSync(path, "utf8")) as { name?: string }).name === "bootheap") return dir;
    dir = dirname(dir);
  }
  throw new Error("bootheap: cannot find its own package.json above " + fileURLToPath(import.meta.url));
}

export const PACKAGE_ROOT = findRoot();

export const PACKAGE_VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;

/** A path inside the package. */
export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}
