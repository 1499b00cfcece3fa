// Which code a command loads. In a user's project (package.json with a "bootheap" key), the
// project's own firmware, built by `bootheap build` into dist/<BOARD>/<app>.js; `--app FILE`
// names another of its app files. In this repository, `--app NAME` is a firmware bundle built
// by `npm run build` into dist/firmware/<BOARD>/<NAME>.js. A positional FILE is used as it is.
import { existsSync, readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { UsageError, type ParsedArgs } from "./args.js";
import { readProject, projectAppFile, projectFirmwarePath, ProjectError, type Project } from "../project/project.js";

/** The app `npm start` boots in this repository when none is named. */
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
 * The user's project in `dir`: its package.json has a "bootheap" key naming a board or an app.
 * Null elsewhere, e.g. in this repository, whose package.json has no such key.
 */
export function userProject(dir: string = process.cwd()): Project | null {
  const project = readProject(dir);
  return project.config.board !== undefined || project.config.app !== undefined ? project : null;
}

/** The project's firmware for `board`; a ProjectError saying how to build it when it is not built. */
export function projectFirmware(project: Project, board: string, appOverride: string | undefined): AppFile {
  const appFile = projectAppFile(project, appOverride);
  if (appFile === null) throw new ProjectError(`${project.dir}: no app file: package.json's "bootheap.app" is not set and there is no app.js or app.ts`);
  const path = projectFirmwarePath(project, board, appFile, false);
  if (!existsSync(path)) {
    const app = appOverride === undefined ? "" : ` --app ${appOverride}`;
    throw new ProjectError(`the project's firmware for ${board} is not built (${relative(process.cwd(), path)} is missing). Build it with: npx bootheap build --board ${board}${app}`);
  }
  return { path, label: relative(process.cwd(), path), code: readFileSync(path, "utf8") };
}

/**
 * The app to load, or null for none (--bare; or, in this repository, `defaultApp` null or not
 * built). In a user's project the default is the project's firmware, and a missing build is an
 * error; in this repository `defaultApp` is tried when neither --app nor a FILE is given, and
 * skipped with a note if it has not been built.
 */
export function resolveApp(args: ParsedArgs, board: string, note: (s: string) => void, project: Project | null, defaultApp: string | null): AppFile | null {
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
  if (project !== null) return projectFirmware(project, board, app);
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
