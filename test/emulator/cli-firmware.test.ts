// `bootheap emulate` boots exactly the firmware asked for: an app or FILE replaces the program
// stored in the flash file (it does not boot first), --bare boots what is stored, --fresh starts
// from an empty flash. In a user's project, the project's board and built firmware are the defaults.
import { describe, it, expect, afterAll } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBootheap } from "./cli-process.js";
import { tempDir } from "./helpers.js";

describe("bootheap emulate: which firmware boots", { timeout: 120_000 }, () => {
  const tmp = tempDir("bootheap-firmware-");
  afterAll(() => tmp.remove());
  const flash = join(tmp.dir, "flash");
  const appA = join(tmp.dir, "a.js");
  const appB = join(tmp.dir, "b.js");
  writeFileSync(appA, "print('A booted'); require('Storage').write('a-data', 'kept');");
  writeFileSync(appB, "print('B booted');");
  /** The piped console: `input` typed, then the emulator exits once the board answered it. */
  const emulate = (args: string[], input: string): Promise<{ code: number; output: string }> =>
    runBootheap(["emulate", "--board", "PUCKJS", "--flash-dir", flash, ...args], 60_000, { input });

  it("an app replaces the stored program and its saved state; --bare boots what is stored; --fresh empties the flash", async () => {
    const first = await emulate([appA], "var typedInA = 1\rsave()\r");
    expect(first.code).toBe(0);
    expect(first.output).toContain("A booted");
    expect(first.output).toContain("Done!");

    // No app: the stored program and the state save() kept come back.
    const bare = await emulate(["--bare"], "typedInA\r");
    expect(bare.output).toContain("A booted");
    expect(bare.output).toContain("=1");

    // Another app: only it boots; A's code and saved state are gone, A's data file stays.
    const second = await emulate([appB], "typeof typedInA\rrequire('Storage').list()\r");
    expect(second.code).toBe(0);
    expect(second.output).toContain("B booted");
    expect(second.output).not.toContain("A booted");
    expect(second.output).toContain('="undefined"');
    expect(second.output).toMatch(/=\[[^\]]*"a-data"/);

    const fresh = await emulate(["--fresh", "--bare"], "require('Storage').list().length\r");
    expect(fresh.code).toBe(0);
    expect(fresh.output).not.toContain("booted");
    expect(fresh.output).toContain("=0");
  });

  describe("in a user's project", () => {
    const project = join(tmp.dir, "project");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "my-board-app", bootheap: { board: "MDBT42Q", app: "app.js" } }));
    writeFileSync(join(project, "app.js"), "// the source; emulate boots the built firmware in dist/\n");
    const inProject = (args: string[], input?: string): Promise<{ code: number; output: string }> =>
      runBootheap(args, 60_000, { cwd: project, input });

    it("says how to build the project's firmware when it is not built", async () => {
      const r = await inProject(["emulate", "--port", "0", "--flash-dir", flash]);
      expect(r.code).toBe(2);
      expect(r.output).toContain("the project's firmware for MDBT42Q is not built (dist/MDBT42Q/app.js is missing). Build it with: npx bootheap build --board MDBT42Q");
      // flash has the same defaults: the project's board and firmware.
      const f = await inProject(["flash", "--port", "tcp://127.0.0.1:9"]);
      expect(f.code).toBe(2);
      expect(f.output).toContain("npx bootheap build --board MDBT42Q");
    });

    it("boots the project's built firmware on the project's board, or on --board", async () => {
      mkdirSync(join(project, "dist", "MDBT42Q"), { recursive: true });
      writeFileSync(join(project, "dist", "MDBT42Q", "app.js"), "print('project firmware on ' + process.env.BOARD);");
      const r = await inProject(["emulate", "--flash-dir", flash], "");
      expect(r.code).toBe(0);
      expect(r.output).toContain("project firmware on MDBT42Q");

      const other = await inProject(["emulate", "--board", "PIXLJS", "--flash-dir", flash], "");
      expect(other.code).toBe(2);
      expect(other.output).toContain("npx bootheap build --board PIXLJS");
    });
  });
});
