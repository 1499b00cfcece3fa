// A user's project: the folder holding a package.json, whose "bootheap" key names the board and
// the app file (`bootheap init` writes it; options on the command line override it). Its
// firmware is built to dist/<BOARD>/<app>.js (and <app>.debug.js); every command that needs
// "the project's own firmware" asks this module where it is.
import { existsSync, readFileSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";

export interface ProjectConfig {
  /** The board built for when none is named (`--board`). */
  board?: string;
  /** The app's entry file, relative to the project folder. */
  app?: string;
}

export interface Project {
  dir: string;
  /** package.json's "bootheap" key; empty when there is none. */
  config: ProjectConfig;
  /** Whether dir holds a package.json. */
  hasPackageJson: boolean;
}

export const DEFAULT_APP_FILES = ["app.js", "app.ts"];

export class ProjectError extends Error {}

export function readProject(dir: string = process.cwd()): Project {
  const path = join(dir, "package.json");
  if (!existsSync(path)) return { dir: resolve(dir), config: {}, hasPackageJson: false };
  let pkg: { bootheap?: unknown };
  try {
    pkg = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new ProjectError(`${path}: not valid JSON: ${(e as Error).message}`);
  }
  const raw = pkg.bootheap;
  if (raw !== undefined && (raw === null || typeof raw !== "object" || Array.isArray(raw))) {
    throw new ProjectError(`${path}: "bootheap" must be an object like {"board": "PUCKJS", "app": "app.js"}, got ${JSON.stringify(raw)}`);
  }
  const config = (raw ?? {}) as Record<string, unknown>;
  for (const key of ["board", "app"]) {
    if (config[key] !== undefined && typeof config[key] !== "string") throw new ProjectError(`${path}: "bootheap.${key}" must be a string, got ${JSON.stringify(config[key])}`);
  }
  return { dir: resolve(dir), config: config as ProjectConfig, hasPackageJson: true };
}

/** The app file: `--app`, else the config's, else app.js or app.ts if one exists; null if none. */
export function projectAppFile(project: Project, override?: string): string | null {
  if (override !== undefined) return resolve(project.dir, override);
  if (project.config.app !== undefined) return resolve(project.dir, project.config.app);
  for (const name of DEFAULT_APP_FILES) if (existsSync(join(project.dir, name))) return join(project.dir, name);
  return null;
}

/** dist/<BOARD>/<app name>.js (or .debug.js) of the project. */
export function projectFirmwarePath(project: Project, board: string, appFile: string, debug: boolean): string {
  const name = basename(appFile, extname(appFile));
  return join(project.dir, "dist", board, name + (debug ? ".debug.js" : ".js"));
}
