// What a new user does, offline, in a folder outside the repository, with the package as npm
// installs it from a tarball: init, build (fit report, cache), the scaffold's own tests, a plan
// that cannot fit, every kind of bad input, and a plain file that require()s bootheap uploaded
// by the real espruino tool to `bootheap emulate`. One install serves every case.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "../emulator/helpers.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;
const INSTALL_TIMEOUT_MS = 300_000;

interface Run {
  code: number;
  output: string;
}

function run(command: string, args: string[], cwd: string, timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

describe("a user's project from the packed tarball", { timeout: INSTALL_TIMEOUT_MS }, () => {
  const tmp = tempDir("bootheap-user-");
  const project = join(tmp.dir, "my-puck");
  const bin = (): string => join(project, "node_modules", "bootheap", "bin", "bootheap.js");
  const bootheap = (args: string[], cwd = project): Promise<Run> => run(process.execPath, [bin(), ...args], cwd);
  /** An app file like the scaffold's with one edit, to build with --app. */
  const variant = (name: string, from: string | RegExp, to: string): string => {
    const source = readFileSync(join(project, "app.js"), "utf8");
    const edited = source.replace(from, to);
    expect(edited, "the edit applies").not.toBe(source);
    writeFileSync(join(project, name), edited);
    return name;
  };

  beforeAll(async () => {
    // dist/tool and dist/espruino are what prepack builds; npm test's build made them already.
    expect(existsSync(join(REPO, "dist", "tool", "host", "cli", "main.js")), "run npm run build first").toBe(true);
    const pack = await run("npm", ["pack", "--ignore-scripts", "--pack-destination", tmp.dir], REPO);
    expect(pack.code, pack.output).toBe(0);
    const tarball = join(tmp.dir, `bootheap-${VERSION}.tgz`);
    expect(existsSync(tarball)).toBe(true);
    mkdirSync(project);
    expect((await run("npm", ["init", "-y"], project)).code).toBe(0);
    const install = await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], project, INSTALL_TIMEOUT_MS);
    expect(install.code, install.output).toBe(0);
  }, INSTALL_TIMEOUT_MS);
  afterAll(() => tmp.remove());

  it("the installed command answers --version from the package alone", async () => {
    const r = await bootheap(["--version"]);
    expect(r.code, r.output).toBe(0);
    expect(r.output.trim()).toBe(VERSION);
    expect(existsSync(join(project, "node_modules", "bootheap", "host")), "the package runs compiled code, not the sources of host/").toBe(false);
  });

  it("init scaffolds an app, a test, scripts and modules/, and refuses to overwrite them", async () => {
    const r = await bootheap(["init", "--board", "PUCKJS"]);
    expect(r.code, r.output).toBe(0);
    for (const file of ["app.js", "test/app.test.mjs", "README.md", "modules/bootheap.js", "modules/bootheap-pool.js", "modules/bootheap-tlsf.js"]) {
      expect(existsSync(join(project, file)), file).toBe(true);
    }
    const pkg = JSON.parse(readFileSync(join(project, "package.json"), "utf8")) as { scripts: Record<string, string>; bootheap: unknown };
    expect(Object.keys(pkg.scripts).sort()).toEqual(["build", "emulate", "flash", "test"]);
    expect(pkg.bootheap).toEqual({ board: "PUCKJS", app: "app.js" });

    const again = await bootheap(["init"]);
    expect(again.code).not.toBe(0);
    expect(again.output).toContain("app.js");
    expect(again.output).toContain("nothing was written");
  });

  it("init into a folder that holds one of its files names it and writes nothing", async () => {
    const dir = join(tmp.dir, "taken");
    mkdirSync(dir);
    writeFileSync(join(dir, "README.md"), "mine\n");
    const r = await bootheap(["init", dir]);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain("README.md");
    expect(readdirSync(dir)).toEqual(["README.md"]);
    expect(readFileSync(join(dir, "README.md"), "utf8")).toBe("mine\n");
  });

  it("build bundles the app, prints the fit report, and a second build reuses it", async () => {
    const first = await bootheap(["build"]);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(/app for PUCKJS: fits/);
    expect(first.output).toMatch(/code\s+[\d,]+ bytes in flash/);
    expect(first.output).toMatch(/JsVars\s+\d+ at boot/);
    expect(first.output).toMatch(/\d+ left/);
    const firmware = join(project, "dist", "PUCKJS", "app.js");
    expect(readFileSync(firmware, "utf8")).toMatch(/^var BOOTHEAP_TARGET=\{"board":"PUCKJS"/);
    const second = await bootheap(["build"]);
    expect(second.code).toBe(0);
    expect(second.output).toContain("unchanged since the last build");
  });

  it("the scaffold's own tests pass with node --test (npm test)", async () => {
    const r = await run("npm", ["test"], project);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/# pass 2/);
    expect(r.output).toMatch(/# fail 0/);
  });

  it("a plan that cannot fit is refused with the JsVars and bytes missing and the largest regions", async () => {
    const r = await bootheap(["build", "--app", variant("big.js", "slotCount: SAMPLE_SLOTS,", "slotCount: 5000,")]);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/DOES NOT FIT/);
    expect(r.output).toMatch(/\d+ bytes \(\d+ JsVars of 13 B\) too many/);
    expect(r.output).toMatch(/Largest regions: samples \(pool\) 40000 B/);
    expect(existsSync(join(project, "dist", "PUCKJS", "big.js"))).toBe(false);
  });

  it("bad input gets one error naming the file, line and what was expected", async () => {
    const cases: Array<[string, string, RegExp]> = [
      [variant("syntax.js", "var SAMPLE_MS = 1000;", "var SAMPLE_MS = ;"), "", /syntax\.js:9:\d+: syntax error/],
      [variant("spread.js", "count++;", "count++; Math.max(...[1, 2]);"), "", /spread\.js:\d+:\d+: spread/],
      [variant("map.js", "var head = 0;", "var head = new Map();"), "", /map\.js:\d+:\d+: `Map` does not exist on Espruino/],
      [variant("defaults.js", "function step() {", "function step(n = 1) {"), "", /defaults\.js:\d+:\d+: default parameters/],
      [variant("negative.js", "sizeBytes: 4 * SAMPLE_SLOTS", "sizeBytes: -4"), "", /negative\.js:\d+:\d+: .*"ring".*sizeBytes must be a whole number of at least 16, got -4/],
      [variant("kind.js", 'kind: "fixed"', 'kind: "heap"'), "", /kind\.js:\d+:\d+: .*kind must be one of fixed, stack, tlsf, pool, got "heap"/],
      ["missing.js", "", /app file not found: .*missing\.js/],
      ["app.js", "NOPE", /unknown board "NOPE"; known boards: .*PUCKJS/],
    ];
    const results = await Promise.all(cases.map(([app, board]) => bootheap(["build", "--app", app, ...(board ? ["--board", board] : [])])));
    results.forEach((r, i) => {
      expect(r.code, cases[i][0]).not.toBe(0);
      expect(r.output, cases[i][0]).toMatch(cases[i][2]);
    });
    for (const name of ["syntax", "spread", "map", "defaults", "negative", "kind"]) {
      expect(existsSync(join(project, "dist", "PUCKJS", name + ".js")), name).toBe(false);
    }
  });

  it("a TypeScript app (init --ts) builds and type-checks", async () => {
    const dir = join(project, "ts-app");
    const init = await bootheap(["init", "--ts", "--board", "ESPRUINOWIFI", dir]);
    expect(init.code, init.output).toBe(0);
    const r = await bootheap(["build"], dir);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/app for ESPRUINOWIFI: fits/);
    expect(existsSync(join(dir, "dist", "ESPRUINOWIFI", "app.js"))).toBe(true);
    // The app type-checks against the package's declarations (bootheap's App, Memory, MemoryPool ...).
    const tsc = await run(process.execPath, [join(project, "node_modules", "typescript", "bin", "tsc"), "-p", dir], dir);
    expect(tsc.code, tsc.output).toBe(0);
  });

  it("the vitest flavour of the scaffold (init --test-runner vitest) passes under vitest", async () => {
    const dir = join(project, "with-vitest");
    expect((await bootheap(["init", "--test-runner", "vitest", dir])).code).toBe(0);
    expect(readFileSync(join(dir, "test", "app.test.mjs"), "utf8")).toContain('from "vitest"');
    expect((await bootheap(["build"], dir)).code).toBe(0);
    const vitest = join(REPO, "node_modules", "vitest", "vitest.mjs");
    const r = await run(process.execPath, [vitest, "run", "--root", dir], dir);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/Tests\s+.*2 passed/);
  });

  it("bootheap/emulator works from jest (its ES module mode)", async () => {
    writeFileSync(
      join(project, "test", "board.jest.mjs"),
      'import { emulate } from "bootheap/emulator";\ntest("boots", async () => {\n  const board = await emulate({ board: "PUCKJS", firmware: "dist/PUCKJS/app.js" });\n  try {\n    expect(await board.eval("MEM.check()")).toBe(true);\n    expect(await board.eval("APP.step() > 0")).toBe(true);\n  } finally {\n    await board.close();\n  }\n});\n',
    );
    const jest = join(REPO, "node_modules", "jest", "bin", "jest.js");
    const r = await run(process.execPath, ["--experimental-vm-modules", jest, "--rootDir", project, "--testMatch", "**/test/board.jest.mjs"], project);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/Tests:\s+1 passed, 1 total/);
  });

  // The modules it needs, not the whole library: uploaded to RAM, the library's 60 KB of text and
  // its functions do not fit even the WiFi's 8190 JsVars (nor would they on the device).
  it('a plain file with require("bootheap-pool") is uploaded by the espruino tool from modules/ and runs on the emulator', async () => {
    writeFileSync(
      join(project, "plain.js"),
      'var BootHeap = require("bootheap-boot-heap").BootHeap;\nvar MemoryPool = require("bootheap-pool").MemoryPool;\nvar heap = new BootHeap(4096);\nvar pool = new MemoryPool(heap, heap.carve(64 * 16, 8, "packets"), 64);\nheap.seal();\nvar p = pool.create();\n',
    );
    // The tool may exit as soon as the upload is done; -e waits for what the board prints.
    const show = ["-e", "print('PLAIN', p > 0, pool.stats().usedBytes)"];
    const emulator = spawn(process.execPath, [bin(), "emulate", "--board", "ESPRUINOWIFI", "--bare", "--fresh", "--port", "0"], { cwd: project, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    emulator.stdout.on("data", (d: Buffer) => (out += d.toString()));
    emulator.stderr.on("data", (d: Buffer) => (out += d.toString()));
    try {
      const port = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("emulator did not start: " + out)), 30_000);
        emulator.stdout.on("data", () => {
          const m = /console on tcp:\/\/127\.0\.0\.1:(\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
      });
      // Board descriptions from a local folder instead of espruino.com: the test stays offline.
      const offline = join(tmp.dir, "offline");
      mkdirSync(offline, { recursive: true });
      writeFileSync(join(offline, "ESPRUINOWIFI.json"), "{}\n");
      const common = ["-p", `tcp://127.0.0.1:${port}`, "--no-ble", "--config", `BOARD_JSON_URL=${offline}`];
      // The tool as installed with bootheap, told where modules/ is (README: its local-modules rule fails from the command line).
      const tool = join(project, "node_modules", "espruino", "bin", "espruino-cli.js");
      const direct = await run(process.execPath, [tool, ...common, "--config", "MODULE_URL=modules", "--config", "MODULE_EXTENSIONS=.js", "plain.js", ...show], project, 90_000);
      expect(direct.output).toMatch(/PLAIN true 64/);
      // The same tool through bootheap, which points it at modules/ by itself.
      const wrapped = await bootheap(["espruino", ...common, "plain.js", ...show]);
      expect(wrapped.output).toMatch(/PLAIN true 64/);
      expect(wrapped.output).not.toMatch(/Module bootheap-[a-z-]+ not found/);
    } finally {
      emulator.kill("SIGTERM");
    }
  });
});
