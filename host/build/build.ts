// `npm run build [-- --board B] [--app A] [--code-in flash|ram] [--firmware-only] [--release-only] [--package]`:
// the library bundles (rollup.config.js), the type declarations, the tool as JavaScript
// (dist/tool, what the npm package runs), and firmware for every board and app (or those named;
// none with --package, what `npm pack` needs), each checked against its board's JsVars and Storage. A board or app
// named on the command line that does not fit fails the build with the reason; the default
// all-boards build makes every pair that fits and lists the others. `npm start` builds only the
// release firmware it boots (--firmware-only --release-only), so the console comes up in seconds.
// Firmware is bundled by host/build/firmware-bundle.ts, the same pipeline `bootheap build` uses
// for a user's app.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { rollup, type OutputOptions, type RollupOptions } from "rollup";
import libraryConfigs from "../../rollup.config.js";
import type { App } from "../../src/app.js";
import { loadAllBoards, loadBoard } from "../boards.js";
import { MAKER_KINDS } from "../../firmware/makers/maker.js";
import { checkFit, type CodeIn } from "../../plan/fit.js";
import { firmwareText, fitTarget, targetOf } from "./app-build.js";
import { codeOf } from "./code-size.js";
import { bundleFirmware } from "./firmware-bundle.js";

const APPS_DIR = "firmware/apps";
const OUT_DIR = "dist/firmware";
const TOOL_DIR = "dist/tool";

function option(name: string): string | undefined {
  const at = process.argv.indexOf("--" + name);
  if (at < 0) return undefined;
  const value = process.argv[at + 1];
  if (value === undefined || value.startsWith("--")) throw new Error("--" + name + " needs a value");
  return value;
}

async function buildLibrary(config: RollupOptions): Promise<void> {
  const bundle = await rollup({ ...config, onwarn: (w) => { throw new Error("rollup: " + w.message); } });
  try {
    for (const output of ([] as OutputOptions[]).concat(config.output ?? [])) await bundle.write(output);
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

async function main(): Promise<void> {
  const boardName = option("board");
  const appName = option("app");
  const boards = boardName ? [loadBoard(boardName)] : loadAllBoards();
  const packageOnly = process.argv.includes("--package");
  const apps = packageOnly ? [] : appName ? [appName] : appNames();
  const codeIn = (option("code-in") ?? "flash") as CodeIn;
  const firmwareOnly = process.argv.includes("--firmware-only");
  const releaseOnly = process.argv.includes("--release-only");
  if (codeIn !== "flash" && codeIn !== "ram") throw new Error("--code-in must be flash or ram, got " + codeIn);

  const failures: string[] = [];
  const skipped: string[] = [];
  const explicit = boardName !== undefined || appName !== undefined;
  // A firmware that no longer fits must not linger from an earlier build.
  if (!explicit && !packageOnly) rmSync(OUT_DIR, { recursive: true, force: true });
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
    const appFile = join(APPS_DIR, name, "app.ts");
    const release = (await bundleFirmware({ appFile: resolve(appFile), debug: false, kinds: [...kinds] })).code;
    const debug = releaseOnly ? null : (await bundleFirmware({ appFile: resolve(appFile), debug: true, kinds: [...kinds] })).code;
    for (const board of targets) {
      // Only the files this build makes again: --release-only leaves the debug build alone.
      for (const file of debug === null ? [name + ".js"] : [name + ".js", name + ".debug.js"]) rmSync(join(OUT_DIR, board.name, file), { force: true });
      const builds: [string, string | null, boolean][] = [[name, release, false], [name + ".debug", debug, true]];
      for (const [label, bundle, isDebug] of builds) {
        if (bundle === null) continue;
        const fitted = fitTarget(board, codeOf(firmwareText(targetOf(board), bundle), codeIn), codeIn, isDebug, (t) => app.plan(t));
        const code = firmwareText(fitted.target, bundle);
        const limits = app.describeLimits ? app.describeLimits(fitted.target) : "";
        const fit = checkFit(board, label, fitted.plan, codeOf(code, codeIn), codeIn, limits, fitted.extraHeapBytes);
        // A release that does not fit fails a build that named its board or app; a debug build is extra.
        if (!fit.fits) {
          (explicit && !isDebug ? failures : skipped).push(fit.message);
          if (!isDebug) break;
          continue;
        }
        mkdirSync(join(OUT_DIR, board.name), { recursive: true });
        writeFileSync(join(OUT_DIR, board.name, label + ".js"), code);
        if (!isDebug) console.log(fit.message);
      }
    }
  }
  if (skipped.length > 0) console.log("\nnot built (does not fit):\n  " + skipped.join("\n  "));
  if (failures.length > 0) {
    console.error("\nbuild failed:\n  " + failures.join("\n  "));
    process.exit(1);
  }
  if (firmwareOnly) return;
  // The package needs the library bundles, not the self-test (which compiles test/ too).
  const configs = (libraryConfigs as RollupOptions[]).filter((c) => !packageOnly || !String((c.output as OutputOptions).file).startsWith("dist/selftest/"));
  for (const config of configs) await buildLibrary(config);
  execFileSync("npx", ["tsc", "-p", "tsconfig.types.json"], { stdio: "inherit" });
  buildTool();
}

/**
 * The command-line tool and the emulator as JavaScript (dist/tool/), what an installed package
 * runs: no TypeScript loader at run time, so `bootheap` starts at once and `bootheap/emulator`
 * imports from any test runner. The emulator's prelude scripts are data it reads, copied as they are.
 */
function buildTool(): void {
  rmSync(TOOL_DIR, { recursive: true, force: true });
  execFileSync("npx", ["tsc", "-p", "tsconfig.tool.json"], { stdio: "inherit" });
  cpSync(join("host", "emulator", "prelude"), join(TOOL_DIR, "host", "emulator", "prelude"), { recursive: true });
}

main().catch((e) => {
  console.error("build failed: " + (e instanceof Error ? e.message : String(e)));
  process.exit(1);
});
