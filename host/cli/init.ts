// `bootheap init [--board B] [--ts] [--test-runner node|vitest] [DIR]`: scaffolds a project
// (host/project/scaffold.ts) in DIR, creating it if needed, and adds the build/test/emulate/flash
// scripts and the "bootheap" settings to its package.json (made if missing). It overwrites
// nothing: if any file it would write exists, or package.json already has one of its scripts,
// it names them and writes nothing. A write that fails part-way is undone.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { loadBoard } from "../boards.js";
import { PACKAGE_VERSION } from "../package-root.js";
import { ProjectError } from "../project/project.js";
import { scaffoldFiles, scaffoldScripts, type TestRunner } from "../project/scaffold.js";
import { checkKnown, UsageError, type ParsedArgs } from "./args.js";

/** The board a project is made for when none is named. */
export const INIT_DEFAULT_BOARD = "PUCKJS";

/** What `npm init -y` puts in "test": a placeholder init may replace. */
const NPM_PLACEHOLDER_TEST = /^echo "Error: no test specified" && exit 1$/;

type PackageJson = { name?: string; scripts?: { [name: string]: string }; bootheap?: unknown; devDependencies?: { [name: string]: string }; [key: string]: unknown };

function packageName(dir: string): string {
  const name = basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[._-]+/, "");
  return name === "" ? "bootheap-app" : name;
}

export async function init(args: ParsedArgs): Promise<number> {
  checkKnown(args, ["board", "ts", "test-runner", "help"]);
  if (args.positionals.length > 1) throw new UsageError(`init takes one folder, got ${args.positionals.join(" ")}`);
  const dir = resolve(args.positionals[0] ?? ".");
  const board = loadBoard(args.options.get("board") ?? INIT_DEFAULT_BOARD);
  const runner = (args.options.get("test-runner") ?? "node") as TestRunner;
  if (runner !== "node" && runner !== "vitest") throw new UsageError(`--test-runner must be node or vitest, got ${JSON.stringify(runner)}`);
  const options = { board: board.name, ts: args.options.has("ts"), runner };

  const files = scaffoldFiles(options);
  if (options.ts) {
    files["tsconfig.json"] = JSON.stringify({
      compilerOptions: { target: "ES2020", module: "ESNext", moduleResolution: "Bundler", strict: true, noEmit: true, types: [], lib: ["ES2020"] },
      include: ["app.ts"],
    }, null, 2) + "\n";
  }
  const conflicts = Object.keys(files).filter((path) => existsSync(join(dir, path)));

  const packagePath = join(dir, "package.json");
  let pkg: PackageJson = { name: packageName(dir), version: "0.1.0", private: true, type: "module" };
  if (existsSync(packagePath)) {
    try {
      pkg = JSON.parse(readFileSync(packagePath, "utf8")) as PackageJson;
    } catch (e) {
      throw new ProjectError(`${packagePath} is not valid JSON (${(e as Error).message}); nothing was written`);
    }
    if (pkg.bootheap !== undefined) conflicts.push(`package.json "bootheap" (already a bootheap project)`);
  }
  const scripts = scaffoldScripts(options);
  for (const name of Object.keys(scripts)) {
    const existing = pkg.scripts?.[name];
    if (existing !== undefined && existing !== scripts[name] && !(name === "test" && NPM_PLACEHOLDER_TEST.test(existing))) {
      conflicts.push(`package.json script "${name}" (${JSON.stringify(existing)})`);
    }
  }
  if (conflicts.length > 0) {
    throw new ProjectError(`init would overwrite, in ${dir}:\n  ${conflicts.join("\n  ")}\nnothing was written; move them away or init into another folder`);
  }

  pkg.scripts = Object.assign({}, pkg.scripts, scripts);
  pkg.bootheap = { board: board.name, app: options.ts ? "app.ts" : "app.js" };
  if (!(pkg.devDependencies && pkg.devDependencies.bootheap) && !(pkg.dependencies && (pkg.dependencies as { [n: string]: string }).bootheap)) {
    pkg.devDependencies = Object.assign({}, pkg.devDependencies, { bootheap: "^" + PACKAGE_VERSION });
  }
  const written: string[] = [];
  const createdDir = !existsSync(dir);
  const packageBefore = existsSync(packagePath) ? readFileSync(packagePath, "utf8") : null;
  try {
    for (const path of Object.keys(files)) {
      const target = join(dir, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, files[path], { flag: "wx" });
      written.push(target);
    }
    writeFileSync(packagePath, JSON.stringify(pkg, null, 2) + "\n");
  } catch (e) {
    for (const path of written) rmSync(path, { force: true });
    if (packageBefore !== null) writeFileSync(packagePath, packageBefore);
    if (createdDir) rmSync(dir, { recursive: true, force: true });
    throw new ProjectError(`init failed writing in ${dir}: ${(e as Error).message}; what it had written was removed`);
  }
  const app = options.ts ? "app.ts" : "app.js";
  process.stdout.write(
    `bootheap: a ${board.name} project in ${dir}\n` +
      `  ${app}, test/app.test.mjs, README.md, modules/ (require("bootheap") for the espruino tool and the Web IDE)\n` +
      `  package.json scripts: ${Object.keys(scripts).join(", ")}\n` +
      `next: ${packageBefore === null ? "npm install --save-dev bootheap, then " : ""}npm test (builds ${app} for ${board.name}, checks it fits, boots it on the emulated board)\n`,
  );
  return 0;
}
