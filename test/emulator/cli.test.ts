// `bootheap emulate` as a process: the terminal console on piped stdin, bad input over TCP.
import { describe, it, expect, afterAll } from "vitest";
import { spawn } from "node:child_process";
import net from "node:net";
import { join } from "node:path";
import { BOOTHEAP_BIN, startEmulator, runBootheap } from "./cli-process.js";
import { tempDir } from "./helpers.js";

describe("bootheap emulate", { timeout: 60_000 }, () => {
  const tmp = tempDir("bootheap-cli-");
  afterAll(() => tmp.remove());

  it("serves the console on piped stdin and answers everything before exiting", async () => {
    const child = spawn(process.execPath, [BOOTHEAP_BIN, "emulate", "--board", "PUCKJS", "--bare", "--flash-dir", join(tmp.dir, "a")], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString("latin1")));
    child.stdin.end("6*7\rprocess.env.BOARD\r");
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    expect(out).toContain("bootheap emulator: PUCKJS");
    expect(out).toContain("=42");
    expect(out).toContain('="PUCKJS"');
  });

  it("keeps serving TCP clients after garbage, a dropped half line and a huge line", async () => {
    const emu = await startEmulator(["--board", "MDBT42Q", "--bare", "--flash-dir", join(tmp.dir, "b")]);
    try {
      const talk = async (bytes: Buffer | string, until: string): Promise<string> => {
        const c = net.connect(emu.port, "127.0.0.1");
        let got = "";
        c.on("data", (d) => (got += d.toString("latin1")));
        await new Promise((r) => c.once("connect", r));
        c.write(bytes);
        const end = Date.now() + 10_000;
        while (!got.includes(until) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
        c.destroy();
        return got;
      };
      expect(await talk(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x7b, 0x29, 0x0d]), "Uncaught SyntaxError")).toContain("Uncaught SyntaxError");
      await talk("var half = 'never finish", ""); // the client goes away mid-line
      expect(await talk("\r", "Uncaught SyntaxError")).toContain("Uncaught SyntaxError");
      expect(await talk("'" + "y".repeat(200_000) + "'\r", "input line too long")).toContain("ERROR: input line too long");
      expect(await talk("1+1\r", "=2")).toContain("=2");
    } finally {
      await emu.stop();
    }
  });

  it("refuses --app for an app that is not built, saying how to build it", async () => {
    const r = await runBootheap(["emulate", "--board", "PUCKJS", "--app", "nothing-here", "--port", "0"]);
    expect(r.code).toBe(2);
    expect(r.output).toContain("npm run build -- --board PUCKJS --app nothing-here");
  });
});
