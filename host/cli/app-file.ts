// Which code a command loads: `--app NAME` is a firmware bundle built by `npm run build`
// into dist/firmware/<BOARD>/<NAME>.js; a positional FILE is used as it is.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError, type ParsedArgs } from "./args.js";

/** The app `npm start` boots when none is named. */
export const DEFAULT_APP = "demo";

export interface AppFile {
  path: string;
  label: string;
  code: string;
}

export function firmwarePath(board: string, app: string): string {
  return resolve("dist", "firmware", board, `${app}.js`);
}

/**
 * The app to load, or null for a bare board (--bare, or the default app not built). `defaultApp` is tried when neither --app nor a
 * FILE is given, and skipped with a note (not an error) if it has not been built.
 */
export function resolveApp(args: ParsedArgs, board: string, note: (s: string) => void, defaultApp: string | null): AppFile | null {
  const app = args.options.get("app");
  const file = args.positionals[0];
  if (args.options.has("bare")) {
    if (app !== undefined || file !== undefined) throw new UsageError("--bare boots without an app; do not give --app or FILE with it");
    return null;
  }
  if (app !== undefined && file !== undefined) throw new UsageError("give either --app NAME or FILE, not both");
  if (file !== undefined) {
    const path = resolve(file);
    if (!existsSync(path)) throw new UsageError(`file not found: ${path}`);
    return { path, label: file, code: readFileSync(path, "utf8") };
  }
  const name = app ?? defaultApp;
  if (name === null) return null;
  const path = firmwarePath(board, name);
  if (!existsSync(path)) {
    const how = `app "${name}" for ${board} is not built (${path} is missing). Build it with: npm run build -- --board ${board} --app ${name}   (or plain "npm run build" for every board and app)`;
    if (app !== undefined) throw new UsageError(how);
    note(`note: ${how}; booting a bare board`);
    return null;
  }
  return { path, label: `${name} (${path})`, code: readFileSync(path, "utf8") };
}
