// End to end: the real espruino tool (node_modules) against `bootheap emulate` on 127.0.0.1.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeOfflineDir, offlineArgs, runEspruinoTool, type OfflineDir } from "../../host/cli/espruino-tool.js";
import { startEmulator, runBootheap, type RunningEmulator } from "./cli-process.js";
import { tempDir } from "./helpers.js";

const APP = `var counter = 0;
function bump(n) {
  counter += n;
  return counter;
}
var buf = new Uint8Array(64);
for (var i = 0; i < buf.length; i++) {
  buf[i] = i;
}
require("Storage").write("note", "hello from app");
print("app loaded", bump(2));
`;

describe("the espruino tool against the emulator", { timeout: 120_000 }, () => {
  const tmp = tempDir("bootheap-e2e-");
  const flashDir = join(tmp.dir, "flash");
  const appPath = join(tmp.dir, "app.js");
  let offline: OfflineDir;
  let emu: RunningEmulator | null = null;

  const espruino = async (...args: string[]): Promise<string> => {
    const r = await runEspruinoTool(["-p", `tcp://127.0.0.1:${emu!.port}`, ...offlineArgs(offline.dir), ...args], undefined, 30_000).done;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    return r.stdout;
  };

  beforeAll(() => {
    writeFileSync(appPath, APP);
    offline = makeOfflineDir();
  });
  afterAll(async () => {
    await emu?.stop();
    offline.remove();
    tmp.remove();
  });

  it("detects the board, uploads a file and reads an -e result back", async () => {
    emu = await startEmulator(["--board", "ESPRUINOWIFI", "--flash-dir", flashDir, "--bare"]);
    const out = await espruino(appPath, "-e", "print('RESULT', bump(3), buf[63])");
    expect(out).toContain("app loaded 2");
    expect(out).toContain("RESULT 5 63");
  });

  it("runs -e alone without resetting the board", async () => {
    const out = await espruino("-e", "print('STILL', counter)");
    expect(out).toContain("STILL 5");
  });

  it("keeps saved code and Storage files across an emulator restart", async () => {
    // The tool never finishes an upload shorter than one write block (19 bytes), so not just "save()".
    const saved = await espruino("-e", "save(); print('SAVED')");
    expect(saved).toContain("Done!");
    await emu!.stop();
    emu = await startEmulator(["--board", "ESPRUINOWIFI", "--flash-dir", flashDir, "--bare"]);
    const out = await espruino("-e", "print('AGAIN', bump(0), require('Storage').read('note'))");
    expect(out).toContain("AGAIN 5 hello from app");
  });

  it("bootheap flash uploads pretokenised into .bootcde, which runs again after a restart", async () => {
    const flashed = await runBootheap(["flash", "--board", "ESPRUINOWIFI", "--port", `tcp://127.0.0.1:${emu!.port}`, appPath]);
    expect(flashed.code, flashed.output).toBe(0);
    expect(flashed.output).toContain("flashed");
    await emu!.stop();
    emu = await startEmulator(["--board", "ESPRUINOWIFI", "--flash-dir", flashDir, "--bare"]);
    const out = await espruino("-e", "print('BOOTCDE', require('Storage').list().indexOf('.bootcde') >= 0, counter)");
    expect(out).toMatch(/BOOTCDE true \d+/);
    // `function` is the one byte 0xAA in the stored code, as the tool sends it to a 2v29 board.
    const stored = await espruino("-e", "var c = require('Storage').read('.bootcde'); print('STORED', c.indexOf('function') < 0, c.indexOf(String.fromCharCode(0xaa)) >= 0)");
    expect(stored).toContain("STORED true true");
  });

  it("says which boards exist when given an unknown one", async () => {
    const r = await runBootheap(["emulate", "--board", "NOPE", "--port", "0"]);
    expect(r.code).toBe(2);
    expect(r.output).toContain('unknown board "NOPE"');
    expect(r.output).toContain("ESPRUINOWIFI");
  });

  it("says how to build an app that is missing", async () => {
    const r = await runBootheap(["flash", "--board", "PUCKJS", "--port", "tcp://127.0.0.1:1", "--app", "no-such-app"]);
    expect(r.code).toBe(2);
    expect(r.output).toContain("npm run build -- --board PUCKJS --app no-such-app");
  });
});
