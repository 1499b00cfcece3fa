// `bootheap build`'s core (host/build/app-build.ts) on an app in a temporary folder, importing
// "bootheap" and a file of its own: the firmware carries only the allocators the plan uses, a
// second build with no change is answered from the cache, and any change to an input, the
// board or the mode builds again.
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildApp } from "../../host/build/app-build.js";
import { loadBoard } from "../../host/boards.js";
import { tempDir } from "../emulator/helpers.js";

const HELPER = "export var SLOTS = 16;\n";
const APP = `import { MemoryPool } from "bootheap";
import { SLOTS } from "./slots.js";
export default {
  name: "tiny",
  plan: function (target) {
    return { regions: [{ name: "things", kind: "pool", slotSizeBytes: 16, slotCount: SLOTS }] };
  },
  start: function (memory) {
    var pool = memory.raw.things;
    global.TINY = pool instanceof MemoryPool ? pool.create() : -1;
  },
};
`;

describe("building one app for one board", { timeout: 120_000 }, () => {
  const tmp = tempDir("bootheap-build-");
  const appFile = join(tmp.dir, "app.js");
  const outFile = join(tmp.dir, "dist", "PUCKJS", "app.js");
  const options = (debug = false) => ({ appFile, board: loadBoard("PUCKJS"), debug, codeIn: "flash" as const, outFile: debug ? outFile.replace(/\.js$/, ".debug.js") : outFile });

  beforeAll(() => {
    writeFileSync(join(tmp.dir, "slots.js"), HELPER);
    writeFileSync(appFile, APP);
  });
  afterAll(() => tmp.remove());

  it("writes a firmware with the pool and without the allocators the plan does not use", async () => {
    const steps: string[] = [];
    const r = await buildApp({ ...options(), onStep: (s) => steps.push(s) });
    expect(r.fits, r.report).toBe(true);
    expect(r.cached).toBe(false);
    expect(steps.length).toBeGreaterThan(2);
    expect(r.report).toMatch(/tiny for PUCKJS: fits/);
    expect(r.report).toMatch(/heap\s+\d[\d,]* bytes in 1 region: \d+ JsVars \(things \(pool\) 256\)/);
    const code = readFileSync(outFile, "utf8");
    expect(code.startsWith('var BOOTHEAP_TARGET={"board":"PUCKJS"')).toBe(true);
    // The same app with a general heap added carries TLSF: several kilobytes more.
    const withTlsf = join(tmp.dir, "with-tlsf.js");
    writeFileSync(withTlsf, APP.replace('slotCount: SLOTS }]', 'slotCount: SLOTS }, { name: "general", kind: "tlsf", sizeBytes: 1024 }]'));
    const bigger = await buildApp({ ...options(), appFile: withTlsf, outFile: join(tmp.dir, "dist", "PUCKJS", "with-tlsf.js") });
    expect(bigger.fits, bigger.report).toBe(true);
    expect(readFileSync(join(tmp.dir, "dist", "PUCKJS", "with-tlsf.js"), "utf8").length - code.length).toBeGreaterThan(4000);
  });

  it("answers a second build with no change from the cache", async () => {
    const r = await buildApp(options());
    expect(r.cached).toBe(true);
    expect(r.fits).toBe(true);
  });

  it("builds again when a file the app imports changes, and the new plan shows", async () => {
    writeFileSync(join(tmp.dir, "slots.js"), "export var SLOTS = 32;\n");
    const r = await buildApp(options());
    expect(r.cached).toBe(false);
    expect(r.report).toMatch(/things \(pool\) 512/);
  });

  it("builds again when the firmware written was changed or removed", async () => {
    writeFileSync(outFile, "tampered");
    expect((await buildApp(options())).cached).toBe(false);
    expect(readFileSync(outFile, "utf8")).not.toBe("tampered");
  });

  it("a build that fails removes the firmware of the last good one", async () => {
    expect(existsSync(outFile)).toBe(true);
    writeFileSync(join(tmp.dir, "slots.js"), "export var SLOTS = ;\n");
    await expect(buildApp(options())).rejects.toThrow(/slots\.js:1:\d+: syntax error/);
    expect(existsSync(outFile)).toBe(false);
    writeFileSync(join(tmp.dir, "slots.js"), "export var SLOTS = 32;\n");
  });

  it("a debug build is its own file, with the debug heap counted", async () => {
    const release = await buildApp(options());
    const debug = await buildApp(options(true));
    expect(debug.cached).toBe(false);
    expect(existsSync(options(true).outFile)).toBe(true);
    expect(debug.report).toMatch(/tiny \(debug\) for PUCKJS/);
    const heapBytes = (report: string): number => Number(/heap\s+([\d,]+) bytes/.exec(report)![1].replace(/,/g, ""));
    expect(heapBytes(debug.report)).toBeGreaterThan(heapBytes(release.report));
  });
});
