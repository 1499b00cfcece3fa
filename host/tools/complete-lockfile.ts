// `npx tsx host/tools/complete-lockfile.ts` after any `npm install` that changes package-lock.json.
// The registry this project's machines use serves only the packages for their own platform, so
// npm leaves the other platforms' optional packages (rollup's native builds) out of the lock;
// npm 11's `npm ci` then refuses the lock as out of sync. This adds an entry for each optional
// dependency the lock names but lacks: optional, so `npm ci` skips what it cannot fetch.
import { readFileSync, writeFileSync } from "node:fs";

interface Entry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  optionalDependencies?: Record<string, string>;
}

const path = "package-lock.json";
const lock = JSON.parse(readFileSync(path, "utf8")) as { packages: Record<string, Entry> };
let added = 0;
for (const [where, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = "node_modules/" + name;
    if (lock.packages[key] !== undefined || lock.packages[where + "/" + key] !== undefined) continue;
    lock.packages[key] = { version, ...(entry.dev ? { dev: true } : {}), optional: true };
    added++;
  }
}
const sorted = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(path, JSON.stringify({ ...lock, packages: sorted }, null, 2) + "\n");
console.log("added " + added + " optional entries to " + path);
