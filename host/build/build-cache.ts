// The record that makes a second build with no change return at once: a key for everything
// that is not a file (bootheap's version, the board, the options) and a hash of every file the
// last build read, plus the firmware it wrote. Any difference, and the build runs again.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

interface CacheRecord {
  key: string;
  /** Path -> sha1 of its content, for every input file and the output. */
  files: Record<string, string>;
  fits: boolean;
  report: string;
}

function hashOf(path: string): string | null {
  return existsSync(path) ? createHash("sha1").update(readFileSync(path)).digest("hex") : null;
}

export function cacheKey(inputs: unknown): string {
  return createHash("sha1").update(JSON.stringify(inputs)).digest("hex");
}

/** The last result, if the key and every file (inputs and the firmware written) are unchanged. */
export function readCache(cacheFile: string, key: string, outFile: string): CacheRecord | null {
  if (!existsSync(cacheFile)) return null;
  let record: CacheRecord;
  try {
    record = JSON.parse(readFileSync(cacheFile, "utf8")) as CacheRecord;
  } catch {
    return null;
  }
  if (record.key !== key) return null;
  if (record.fits && record.files[outFile] === undefined) return null;
  for (const path of Object.keys(record.files)) if (hashOf(path) !== record.files[path]) return null;
  return record;
}

export function writeCache(cacheFile: string, key: string, inputs: string[], outFile: string | null, fits: boolean, report: string): void {
  const files: Record<string, string> = {};
  for (const path of outFile === null ? inputs : inputs.concat(outFile)) {
    const hash = hashOf(path);
    if (hash !== null) files[path] = hash;
  }
  const record: CacheRecord = { key, files, fits, report };
  writeFileSync(cacheFile, JSON.stringify(record, null, 1) + "\n");
}
