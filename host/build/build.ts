// `npm run build [-- --board B] [--app A] [--code-in flash|ram]`: the library bundles
// (rollup.config.js), the type declarations, and firmware for every board and app (or those
// named), each checked against its board's JsVars and Storage. A board or app named on the
// command line that does not fit fails the build with the reason; the default all-boards build
// makes every pair that fits and lists the others.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { rollup, type OutputOptions, type RollupOptions } from "rollup";
import libraryConfigs, { firmwareConfig } from "../../rollup.config.js";
import type { App, Target } from "../../src/app.js";
import { loadAllBoards, loadBoard, type Board } from "../boards.js";
import { parse } from "acorn";
import { MAKER_KINDS } from "../../firmware/makers/maker.js";
import { checkFit, type Code, type CodeIn } from "../../plan/fit.js";
import { debugHeapBytes } from "../../firmware/instrument.js";

const APPS_DIR = "firmware/apps";
const OUT_DIR = "dist/firmware";

function option(name: string): string | undefined {
  const at = process.argv.indexOf("--" + name);
  if (at < 0) return undefined;
  const value = process.argv[at + 1];
  if (value === undefined || value.startsWith("--")) throw new Error("--" + name + " needs a value");
  return value;
}

async function build(config: RollupOptions): Promise<string> {
  const bundle = await rollup({ ...config, onwarn: (w) => { throw new Error("rollup: " + w.message); } });
  try {
    const outputs = ([] as OutputOptions[]).concat(config.output ?? []);
    let code = "";
    for (const output of outputs) {
      if (output.file) await bundle.write(output);
      else code = (await bundle.generate(output)).output[0].code;
    }
    return code;
  } finally {
    await bundle.close();
  }
}

async function loadApp(name: string): Promise<App> {
  if (!existsSync(join(APPS_DIR, name, "app.ts"))) {
    throw new Error(`unknown app "${name}": expected ${APPS_DIR}/${name}/app.ts (apps: ${appNames().join(", ")})`);
  }
  return (await import("../../" + APPS_DIR + "/" + name + "/app.ts")).default as App;
}

function appNames(): string[] {
  return readdirSync(APPS_DIR).filter((name) => existsSync(join(APPS_DIR, name, "app.ts"))).sort();
}

function codeOf(source: string): Code {
  let functionCount = 0;
  const visit = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    const n = node as { type?: string; [key: string]: unknown };
    if (n.type === "FunctionDeclaration" || n.type === "FunctionExpression") functionCount++;
    for (const key of Object.keys(n)) {
      const value = n[key];
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === "object") visit(value);
    }
  };
  visit(parse(source, { ecmaVersion: 5 }));
  return { bytes: source.length, functionCount };
}

function targetOf(board: Board): Target {
  return { board: board.name, heapBudgetBytes: board.heapBudgetBytes };
}

async function main(): Promise<void> {
  const boardName = option("board");
  const appName = option("app");
  const boards = boardName ? [loadBoard(boardName)] : loadAllBoards();
  const apps = appName ? [appName] : appNames();
  const codeIn = (option("code-in") ?? "flash") as CodeIn;
  if (codeIn !== "flash" && codeIn !== "ram") throw new Error("--code-in must be flash or ram, got " + codeIn);

  const failures: string[] = [];
  const skipped: string[] = [];
  const explicit = boardName !== undefined || appName !== undefined;
  // A firmware that no longer fits must not linger from an earlier build.
  if (!explicit) rmSync(OUT_DIR, { recursive: true, force: true });
  for (const name of apps) {
    const app = await loadApp(name);
    const targets = boards.filter((b) => (app.requires ?? []).every((f) => (b.features as string[]).includes(f)));
    if (targets.length === 0) {
      failures.push(`${name} needs ${(app.requires ?? []).join(", ")}, which ${boards.map((b) => b.name).join(", ")} lack${boards.length === 1 ? "s" : ""}`);
      continue;
    }
    const kinds = new Set(targets.flatMap((b) => app.plan(targetOf(b)).regions.map((r) => r.kind)));
    const unknown = [...kinds].filter((kind) => !MAKER_KINDS.includes(kind));
    if (unknown.length > 0) throw new Error(name + "'s plan uses region kinds with no maker in firmware/makers/: " + unknown.join(", "));
    const release = await build(firmwareConfig(name, false, [...kinds].sort()));
    const debug = await build(firmwareConfig(name, true, [...kinds].sort()));
    for (const board of targets) {
      const target = targetOf(board);
      const prefix = "var BOOTHEAP_TARGET=" + JSON.stringify(target) + ";\n";
      for (const file of [name + ".js", name + ".debug.js"]) rmSync(join(OUT_DIR, board.name, file), { force: true });
      const plan = app.plan(target);
      const limits = app.describeLimits ? app.describeLimits(target) : "";
      const fit = checkFit(board, name, plan, codeOf(prefix + release), codeIn, limits);
      if (!fit.fits) {
        (explicit ? failures : skipped).push(fit.message);
        continue;
      }
      mkdirSync(join(OUT_DIR, board.name), { recursive: true });
      writeFileSync(join(OUT_DIR, board.name, name + ".js"), prefix + release);
      console.log(fit.message);
      const debugFit = checkFit(board, name + ".debug", plan, codeOf(prefix + debug), codeIn, limits, debugHeapBytes(plan));
      if (debugFit.fits) writeFileSync(join(OUT_DIR, board.name, name + ".debug.js"), prefix + debug);
      else skipped.push(debugFit.message);
    }
  }
  if (skipped.length > 0) console.log("\nnot built (does not fit):\n  " + skipped.join("\n  "));
  if (failures.length > 0) {
    console.error("\nbuild failed:\n  " + failures.join("\n  "));
    process.exit(1);
  }
  for (const config of libraryConfigs as RollupOptions[]) await build(config);
  execFileSync("npx", ["tsc", "-p", "tsconfig.types.json"], { stdio: "inherit" });
}

main().catch((e) => {
  console.error("build failed: " + (e instanceof Error ? e.message : String(e)));
  process.exit(1);
});
