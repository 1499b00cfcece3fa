// What a user waits for: `npm start` to the board's first prompt (its firmware built from
// nothing), the compiled `bootheap` command starting (`--version`), and `bootheap build` of a
// freshly scaffolded app, first and again with nothing changed. Writes its section of
// docs/BENCHMARKS.md (`npx tsx bench/toolkit.ts`, also run by `npm run bench`; needs
// `npm run build` first for dist/tool and dist/espruino).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { writeDocSection } from "./doc-section.js";

const RUNS = 3;
const COMPILED_CLI = resolve("dist/tool/host/cli/main.js");

/** Seconds from `npm start` to the board's first `>` prompt, with the demo firmware built from nothing. */
function npmStartToPrompt(): Promise<number> {
  rmSync("dist/firmware/ESPRUINOWIFI/demo.js", { force: true });
  const started = process.hrtime.bigint();
  const child = spawn("npm", ["start"], { stdio: ["pipe", "pipe", "pipe"], detached: true });
  let out = "";
  return new Promise((resolvePrompt, reject) => {
    const timer = setTimeout(() => reject(new Error("no prompt within 120 s: " + out)), 120_000);
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString("latin1");
      // The console is up once the board has printed its prompt after the banner.
      if (/console here[\s\S]*\n>/.test(out)) {
        clearTimeout(timer);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        process.kill(-child.pid!, "SIGTERM");
        resolvePrompt(seconds);
      }
    });
    child.stderr.on("data", (d: Buffer) => (out += d.toString("latin1")));
  });
}

/** Seconds one run of the compiled CLI takes, in `cwd`; throws with its output if it fails. */
function compiledCli(args: string[], cwd: string): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", `const { main } = await import(${JSON.stringify("file://" + COMPILED_CLI)}); process.exitCode = await main(${JSON.stringify(args)});`], { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`bootheap ${args.join(" ")} failed: ${r.stdout}${r.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (xs: number[]): string => `${median(xs).toFixed(2)} (${xs.map((x) => x.toFixed(2)).join(", ")})`;

async function main(): Promise<void> {
  if (!existsSync(COMPILED_CLI)) throw new Error("run npm run build first (dist/tool is missing)");
  const load = loadavg()[0].toFixed(2);
  const start: number[] = [];
  for (let i = 0; i < RUNS; i++) start.push(await npmStartToPrompt());
  const version: number[] = [];
  for (let i = 0; i < RUNS; i++) version.push(compiledCli(["--version"], process.cwd()));
  const firstBuild: number[] = [];
  const againBuild: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const project = mkdtempSync(join(tmpdir(), "bootheap-bench-"));
    try {
      compiledCli(["init", "--board", "PUCKJS"], project);
      firstBuild.push(compiledCli(["build"], project));
      againBuild.push(compiledCli(["build"], project));
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  }
  const lines = [
    "## The toolkit: start, build, rebuild",
    "",
    `Written by \`npx tsx bench/toolkit.ts\` (part of \`npm run bench\`) on ${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model ?? "unknown cpu"}, Node ${process.version}, load average ${load} at the start.`,
    `Seconds, median of ${RUNS} runs (each run in brackets). Before issue 10, \`npm start\` ran the whole \`npm run build\` (13 boards × 3 apps × 2 modes) first: 9 minutes on a loaded machine, 73 s on a quiet one.`,
    "",
    "| what | seconds |",
    "|---|---:|",
    `| \`npm start\` to the board's first prompt (after \`npm ci\`: the demo firmware built from nothing, then the emulator) | ${seconds(start)} |`,
    `| \`bootheap --version\` (the compiled tool an installed package runs, Node's own start included) | ${seconds(version)} |`,
    `| \`bootheap build\` of a fresh \`bootheap init --board PUCKJS\` app | ${seconds(firstBuild)} |`,
    `| \`bootheap build\` again, nothing changed (answered from its cache) | ${seconds(againBuild)} |`,
  ];
  writeDocSection("toolkit", lines.join("\n"));
  console.log(lines.join("\n"));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
