// A closed board leaves nothing behind: a plain Node script that emulates, evaluates and closes
// exits by itself (no process.exit), as a test runner must after the user's tests. And the check
// can fail: a board left open keeps the script alive.
import { describe, it, expect, afterAll } from "vitest";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "./helpers.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const LIBRARY = fileURLToPath(new URL("../../host/emulator/library.ts", import.meta.url));
/** Time the script gets to exit after its last line; the board threads stop in well under that. */
const EXIT_WITHIN_MS = 3000;

interface Run {
  stdout: string;
  /** Milliseconds from "done" on stdout to the exit, or null when it had not exited within EXIT_WITHIN_MS. */
  exitAfterDoneMs: number | null;
  code: number | null;
}

/** Runs `body` as an ES module under tsx; kills it EXIT_WITHIN_MS after it printed "done". */
function runScript(dir: string, name: string, body: string): Promise<Run> {
  const path = join(dir, name);
  writeFileSync(path, `import { emulate } from ${JSON.stringify(LIBRARY)};\n${body}\nconsole.log("done");\n`);
  const child = spawn(process.execPath, ["--import", "tsx", path], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let doneAt = 0;
  let killer: NodeJS.Timeout | undefined;
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
    if (!doneAt && stdout.includes("done")) {
      doneAt = Date.now();
      killer = setTimeout(() => child.kill("SIGKILL"), EXIT_WITHIN_MS);
    }
  });
  child.stderr.on("data", (d: Buffer) => (stdout += d.toString()));
  // Without "done" (the script failed or hung), stop it anyway.
  const guard = setTimeout(() => child.kill("SIGKILL"), 40_000);
  return new Promise((resolve) => {
    child.on("exit", (code, signal) => {
      clearTimeout(killer);
      clearTimeout(guard);
      resolve({ stdout, code, exitAfterDoneMs: signal === "SIGKILL" || !doneAt ? null : Date.now() - doneAt });
    });
  });
}

describe("closing boards", { timeout: 60_000 }, () => {
  const tmp = tempDir("bootheap-exit-");
  afterAll(() => tmp.remove());

  it("a script that closes its boards, one of them spinning, exits by itself", async () => {
    const run = await runScript(
      tmp.dir,
      "closes.mts",
      `const [a, b] = await Promise.all([emulate({ board: "PUCKJS", code: "var v = 41;" }), emulate({ board: "ESPRUINOWIFI" })]);
console.log("value", await a.eval("v + 1"));
// A program that never yields: close must still stop its thread, and the pending eval rejects.
const spinning = b.eval("while (true) {}").catch((e) => "rejected: " + e.message);
await Promise.all([a.close(), b.close()]);
console.log(await spinning);`,
    );
    expect(run.stdout).toContain("value 42");
    // Stopping raises the interrupt flag first, so the board may answer before its thread ends.
    expect(run.stdout).toMatch(/rejected: (Execution Interrupted|ESPRUINOWIFI: the board's thread exited)/);
    expect(run.code).toBe(0);
    expect(run.exitAfterDoneMs).not.toBeNull();
  });

  it("a script that leaves a board open does not exit (so the check above can fail)", async () => {
    const run = await runScript(tmp.dir, "leaves-open.mts", `const a = await emulate({ board: "PUCKJS" });\nconsole.log("value", await a.eval("1 + 1"));`);
    expect(run.stdout).toContain("value 2");
    expect(run.exitAfterDoneMs).toBeNull();
  });
});
