// One app built for one board: what `bootheap build` does in a user's project.
//   1. the app's module is bundled and evaluated in Node to read its plan for the board
//      (syntax errors stop here, at the file's line and column);
//   2. the user's own files are checked against Espruino's rules (source-rules.ts);
//   3. the plan is checked (sizes, kinds, names) and decides which allocator makers go in;
//   4. the firmware is bundled to ES5 and minified, and must pass the bundle gates;
//   5. the fit check: heap + code + reserve against the board's JsVars, code against Storage;
//   6. dist/<BOARD>/<app>.js is written only if it fits, with a cache record that lets the next
//      build with no change return at once.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, sep } from "node:path";
import vm from "node:vm";
import type { App, MemoryPlan, Target } from "../../src/app.js";
import type { Board } from "../../plan/board.js";
import { checkFit, heapBudgetFor, type Code, type CodeIn, type Fit } from "../../plan/fit.js";
import { checkPlan } from "../../plan/plan.js";
import { debugHeapBytes } from "../../firmware/instrument.js";
import { PACKAGE_ROOT, PACKAGE_VERSION } from "../package-root.js";
import { checkBundle } from "../rules/gates.js";
import type { SourceViolation } from "../rules/source-rules.js";
import { BuildError, locate, shownPath } from "./build-error.js";
import { cacheKey, readCache, writeCache } from "./build-cache.js";
import { codeOf } from "./code-size.js";
import { fitReport } from "./fit-report.js";

/** Violations listed in one error, at most; the rest are counted. */
const VIOLATIONS_SHOWN_MAX = 20;

export interface AppBuildOptions {
  /** Absolute path of the app's entry file. */
  appFile: string;
  board: Board;
  debug: boolean;
  codeIn: CodeIn;
  /** Where the firmware goes (dist/<BOARD>/<app>.js). */
  outFile: string;
  /** Called with each step of a build that is not answered from the cache. */
  onStep?: (step: string) => void;
}

export interface AppBuildResult {
  fits: boolean;
  /** The fit report (or why it does not fit), several lines. */
  report: string;
  /** True when nothing changed since the last build and its result was reused. */
  cached: boolean;
}

export function targetOf(board: Board): Target {
  return { board: board.name, heapBudgetBytes: board.heapBudgetBytes };
}

/** What an app plans for on a board once its code is loaded, the plan, and what a debug build adds. */
export interface FitTarget {
  target: Target;
  plan: MemoryPlan;
  extraHeapBytes: number;
}

/**
 * The app plans for the heap its board leaves once `code` is loaded (plan/fit.ts heapBudgetFor):
 * on a small board the code's JsVars come out of the default budget. A debug build's tables come
 * out of the same room, so its plan is made again for what they leave.
 */
export function fitTarget(board: Board, code: Code, codeIn: CodeIn, debug: boolean, planFor: (target: Target) => MemoryPlan): FitTarget {
  const target = { board: board.name, heapBudgetBytes: heapBudgetFor(board, code, codeIn) };
  const plan = planFor(target);
  if (!debug) return { target, plan, extraHeapBytes: 0 };
  const debugTarget = { board: board.name, heapBudgetBytes: heapBudgetFor(board, code, codeIn, debugHeapBytes(plan)) };
  const debugPlan = planFor(debugTarget);
  return { target: debugTarget, plan: debugPlan, extraHeapBytes: debugHeapBytes(debugPlan) };
}

/** The firmware: the target it was planned for, then the bundle. */
export function firmwareText(target: Target, bundle: string): string {
  return "var BOOTHEAP_TARGET=" + JSON.stringify(target) + ";\n" + bundle;
}

/** The app's default export, evaluated in a sandbox: top-level code runs here, in Node, at build time. */
function evaluateApp(appFile: string, code: string): App {
  const module = { exports: {} as unknown };
  const sandbox = {
    module,
    exports: module.exports,
    console,
    require(name: string): never {
      throw new BuildError(`${shownPath(appFile)}: require("${name}") ran while the build read the plan, in Node, where the board's modules do not exist; call require() inside start()`);
    },
  };
  try {
    vm.runInNewContext(code, sandbox, { filename: appFile });
  } catch (e) {
    if (e instanceof BuildError) throw e;
    throw new BuildError(`${shownPath(appFile)}: the app threw while the build read it (its top-level code runs at build time, in Node): ${(e as Error).message}. Keep calls to the board (pins, Storage, timers) inside start().`);
  }
  const exported = module.exports as { default?: unknown };
  const app = (exported && typeof exported === "object" && "default" in exported ? exported.default : exported) as App;
  const what = "the default export must be an app: { name, plan(target) returning { regions: [...] }, start(memory) }";
  if (!app || typeof app !== "object") throw new BuildError(`${shownPath(appFile)}: ${what}; got ${String(app)}`);
  if (typeof app.plan !== "function") throw new BuildError(`${shownPath(appFile)}: ${what}; plan is ${typeof app.plan}`);
  if (typeof app.start !== "function") throw new BuildError(`${shownPath(appFile)}: ${what}; start is ${typeof app.start}`);
  if (app.name !== undefined && typeof app.name !== "string") throw new BuildError(`${shownPath(appFile)}: ${what}; name must be a string, got ${JSON.stringify(app.name)}`);
  return app;
}

/** The app's plan for `target`, as plain data (the sandbox's arrays are another realm's), checked. */
function planOf(app: App, appFile: string, source: string, target: Target): MemoryPlan {
  let plan: MemoryPlan;
  try {
    plan = JSON.parse(JSON.stringify(app.plan(target) ?? null)) as MemoryPlan;
  } catch (e) {
    throw new BuildError(`${shownPath(appFile)}: plan(${JSON.stringify(target)}) threw: ${(e as Error).message}`);
  }
  try {
    checkPlan(plan);
  } catch (e) {
    const message = (e as Error).message;
    // Point at the region's literal when its name appears in the source.
    const named = /\((".*?")\)/.exec(message);
    const at = named ? source.search(new RegExp("[\"']" + JSON.parse(named[1]).replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "[\"']")) : -1;
    throw new BuildError((at >= 0 ? locate(appFile, source, at) : shownPath(appFile)) + ": " + message);
  }
  return plan;
}

/** bootheap's own portable sources, held to the same rules by the bundle gates and its self-test on every engine. */
const LIBRARY_DIRS = ["src", "plan", "firmware/makers"].map((dir) => join(PACKAGE_ROOT, dir) + sep);

/** The app's own files: everything the bundle took except bootheap's library and boot code. */
function userFiles(files: string[]): string[] {
  return files.filter((f) => !f.startsWith("\0") && !LIBRARY_DIRS.some((dir) => f.startsWith(dir)) && dirname(f) !== join(PACKAGE_ROOT, "firmware"));
}

function checkUserSources(files: string[], checkSource: (file: string, source: string) => SourceViolation[]): void {
  const found: string[] = [];
  for (const file of userFiles(files)) {
    const source = readFileSync(file, "utf8");
    for (const v of checkSource(file, source)) found.push(locate(file, source, v.position) + ": " + v.message);
  }
  if (found.length === 0) return;
  const more = found.length > VIOLATIONS_SHOWN_MAX ? `\n  ... and ${found.length - VIOLATIONS_SHOWN_MAX} more` : "";
  throw new BuildError(`the app uses what Espruino lacks (${found.length}):\n  ` + found.slice(0, VIOLATIONS_SHOWN_MAX).join("\n  ") + more);
}

function checkGates(code: string, appFile: string): void {
  const violations = checkBundle(code);
  if (violations.length === 0) return;
  const lines = violations.slice(0, VIOLATIONS_SHOWN_MAX).map((v) => `${v.rule}: ${v.message} near "${code.slice(Math.max(0, v.position - 30), v.position + 30)}"`);
  throw new BuildError(`the firmware bundle of ${shownPath(appFile)} breaks Espruino's rules (from a file the app imports):\n  ` + lines.join("\n  "));
}

/** A build that fails leaves no firmware behind: a test must not pass on the last good build. */
export async function buildApp(options: AppBuildOptions): Promise<AppBuildResult> {
  try {
    return await build(options);
  } catch (e) {
    rmSync(options.outFile, { force: true });
    rmSync(cacheFileOf(options.outFile), { force: true });
    throw e;
  }
}

function cacheFileOf(outFile: string): string {
  return `${dirname(outFile)}/.${basename(outFile, ".js")}.build.json`;
}

async function build(options: AppBuildOptions): Promise<AppBuildResult> {
  const { appFile, board, debug, codeIn, outFile } = options;
  if (!existsSync(appFile)) throw new BuildError(`app file not found: ${appFile} (name it with --app FILE, or "app" in package.json's "bootheap")`);
  const step = options.onStep ?? ((): void => {});
  const cacheFile = cacheFileOf(outFile);
  const key = cacheKey({ version: PACKAGE_VERSION, board, debug, codeIn, appFile });
  const cached = readCache(cacheFile, key, outFile);
  if (cached) return { fits: cached.fits, report: cached.report, cached: true };

  const source = readFileSync(appFile, "utf8");
  step(`reading ${shownPath(appFile)}`);
  // TypeScript and rollup load only now: a build answered from the cache never pays for them.
  const { bundleAppModule, bundleFirmware } = await import("./firmware-bundle.js");
  const { checkSource } = await import("../rules/source-rules.js");
  const module = await bundleAppModule(appFile);
  step("checking your code against Espruino's rules");
  checkUserSources(module.files, checkSource);
  const app = evaluateApp(appFile, module.code);
  const target = targetOf(board);
  const plan = planOf(app, appFile, source, target);
  const kinds = Array.from(new Set(plan.regions.map((r) => r.kind)));
  step(`bundling the ${debug ? "debug" : "release"} firmware (${kinds.join(", ")})`);
  const firmware = await bundleFirmware({ appFile, debug, kinds });
  step("checking the bundle and the fit");
  checkGates(firmwareText(target, firmware.code), appFile);
  const fitted = fitTarget(board, codeOf(firmwareText(target, firmware.code), codeIn), codeIn, debug, (t) => planOf(app, appFile, source, t));
  const code = firmwareText(fitted.target, firmware.code);
  const name = (app.name ?? basename(appFile, extname(appFile))) + (debug ? " (debug)" : "");
  const limits = app.describeLimits ? app.describeLimits(fitted.target) : "";
  const fit: Fit = checkFit(board, name, fitted.plan, codeOf(code, codeIn), codeIn, limits, fitted.extraHeapBytes);
  const report = fitReport(board, name, fitted.plan, fit, codeIn, shownPath(outFile), fitted.target.heapBudgetBytes);
  mkdirSync(dirname(outFile), { recursive: true });
  if (fit.fits) writeFileSync(outFile, code);
  else rmSync(outFile, { force: true });
  writeCache(cacheFile, key, [appFile, ...firmware.files, ...module.files], fit.fits ? outFile : null, fit.fits, report);
  return { fits: fit.fits, report, cached: false };
}
