// bootheap/emulator as a user's test sees it: emulate() boots a board in its own thread, and the
// handle evaluates on it, reads its console, memory and Storage, power cycles and closes it.
import { describe, it, expect, afterEach, afterAll } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { emulate, BoardRequestError, type EmulatorBoard } from "../../host/emulator/library.js";
import { boardWorkerEntry } from "../../host/emulator/board-host.js";
import { tempDir } from "./helpers.js";

/** Boot code that counts its runs on the console and leaves a mark in RAM. */
const BOOT_CODE = "var bootMark = 'booted'; print('boot code ran');";

describe("bootheap/emulator", { timeout: 60_000 }, () => {
  const tmp = tempDir("bootheap-library-");
  let open: EmulatorBoard[] = [];
  const boot = async (options: Parameters<typeof emulate>[0]): Promise<EmulatorBoard> => {
    const b = await emulate(options);
    open.push(b);
    return b;
  };
  afterEach(async () => {
    await Promise.all(open.map((b) => b.close()));
    open = [];
  });
  afterAll(() => tmp.remove());

  it("boots the code as the board's program and evaluates expressions to plain data, silently", async () => {
    const board = await boot({ board: "PUCKJS", code: BOOT_CODE });
    expect(board.name).toBe("PUCKJS");
    expect(board.output).toContain("bootheap emulator: PUCKJS");
    expect(board.output).toContain("boot code ran");
    const printed = board.output;
    expect(await board.eval("bootMark")).toBe("booted");
    expect(await board.eval("[6 * 7, 'x', {a: null, b: [true]}]")).toEqual([42, "x", { a: null, b: [true] }]);
    expect(await board.eval("undefined")).toBeUndefined();
    expect(await board.eval("var n = 1; n + 1")).toBe(2);
    expect(await board.eval("process.env.BOARD")).toBe("PUCKJS");
    // No echo, no `=value`, nothing on the console.
    expect(board.output).toBe(printed);
  });

  it("rejects with the board's error message when the expression throws", async () => {
    const board = await boot({ board: "PUCKJS" });
    const printed = board.output;
    await expect(board.eval("throw new Error('boom')")).rejects.toThrow(/^boom$/);
    const err = await board.eval("null.field").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BoardRequestError);
    expect((err as BoardRequestError).errorType).toBe("TypeError");
    expect((err as BoardRequestError).message).toMatch(/null/);
    // The board's own rules: Map does not exist on Espruino, default parameters do not parse.
    await expect(board.eval("new Map()")).rejects.toThrow(/Map is not defined/);
    await expect(board.eval("function f(a, b = 2) {}")).rejects.toThrow(/default parameters/i);
    await expect(board.eval("throw 'plain text'")).rejects.toThrow(/^plain text$/);
    expect(board.output).toBe(printed);
    // The board serves on after errors.
    expect(await board.eval("1 + 1")).toBe(2);
  });

  it("gives the console output and each complete line to listeners, and takes raw input", async () => {
    const board = await boot({ board: "ESPRUINOWIFI" });
    const lines: string[] = [];
    const listener = (line: string): void => {
      lines.push(line);
    };
    board.on("line", listener);
    await board.send("print('hello ' + (20 + 22))\r");
    expect(lines).toContain("hello 42");
    expect(board.output).toContain("hello 42\r\n");
    await board.send("x = 5\r");
    expect(lines).toContain("=5");
    expect(await board.eval("x")).toBe(5);
    // UTF-8 in and out, as a terminal sends and shows it.
    await board.send("print('grüße')\r");
    expect(lines).toContain("grüße");
    board.off("line", listener);
    const seen = lines.length;
    await board.send("print('after off')\r");
    expect(board.output).toContain("after off");
    expect(lines.length).toBe(seen);
  });

  it("reports process.memory() as the board does, and sees a buffer's JsVars", async () => {
    const board = await boot({ board: "PUCKJS" });
    const before = await board.memory();
    expect(before.total).toBe(2630);
    expect(before.blocksize).toBe(13);
    expect(before.free + before.usage).toBe(before.total);
    await board.eval("var keep = new Uint8Array(1300); 0");
    const after = await board.memory();
    // A flat string: one header block plus 1300 / 13 blocks, one block for the view, and one
    // for the name `keep`.
    expect(after.usage - before.usage).toBe(1 + 100 + 1 + 1);
    // A function used and dropped within an eval costs nothing once it is gone, as on the device.
    for (let i = 0; i < 3; i++) expect(await board.eval("[1, 2].map(function (x) { return x * 2; })")).toEqual([2, 4]);
    expect((await board.memory()).usage).toBe(after.usage);
  });

  it("power cycles: RAM cleared, Storage kept, the boot code runs again", async () => {
    const board = await boot({ board: "MDBT42Q", code: BOOT_CODE });
    await board.eval("var fromBefore = 1; bootMark = 'changed'; require('Storage').write('kept', 'still here')");
    await board.send("half a line, never run");
    await board.powerCycle();
    const lines: string[] = [];
    board.on("line", (l) => lines.push(l));
    await board.send("6 * 7\r");
    expect(lines).toEqual([">6 * 7", "=42"]);
    expect(await board.eval("typeof fromBefore")).toBe("undefined");
    expect(await board.eval("bootMark")).toBe("booted");
    expect(board.output.split("boot code ran").length - 1).toBe(2);
    expect(await board.storage.read("kept")).toBe("still here");
    expect(await board.eval("require('Storage').read('kept')")).toBe("still here");
  });

  it("reads Storage from the host: files as the board stores them, undefined for none", async () => {
    const board = await boot({ board: "PUCKJS", code: BOOT_CODE });
    await board.eval("require('Storage').write('data.json', JSON.stringify({n: 3}))");
    expect(await board.storage.read("data.json")).toBe('{"n":3}');
    // The program as `bootheap flash` stores it for 2v29: pretokenised (`var` is byte 0xAC, a
    // string is 0xD1 and its length), whitespace gone.
    expect(await board.storage.read(".bootcde")).toBe("\xacbootMark=\xd1\x06booted;print(\xd1\x0dboot code ran);");
    expect(await board.storage.read("nothing")).toBeUndefined();
    expect((await board.storage.list()).sort()).toEqual([".bootcde", "data.json"]);
  });

  it("boots a firmware file relative to cwd, and keeps a flash file when given one", async () => {
    writeFileSync(join(tmp.dir, "fw.js"), "var fw = 'from file'; require('Storage').write('log', 'written by fw');");
    const first = await boot({ board: "PICO_R1_3", firmware: "fw.js", cwd: tmp.dir, flashPath: "kept.flash" });
    expect(await first.eval("fw")).toBe("from file");
    await first.eval("require('Storage').write('note', 'from the first run')");
    await first.close();
    // No firmware this time: what the flash file holds boots.
    const second = await boot({ board: "PICO_R1_3", cwd: tmp.dir, flashPath: "kept.flash" });
    expect(await second.eval("fw")).toBe("from file");
    expect(await second.storage.read("note")).toBe("from the first run");
  });

  it("runs boards in parallel, each with its own RAM", async () => {
    const [a, b] = await Promise.all([boot({ board: "PUCKJS", code: "var who = 'a';" }), boot({ board: "ESPRUINOWIFI", code: "var who = 'b';" })]);
    const [wa, wb, ma, mb] = await Promise.all([a.eval("who"), b.eval("who"), a.memory(), b.memory()]);
    expect([wa, wb]).toEqual(["a", "b"]);
    expect([ma.total, mb.total]).toEqual([2630, 8190]);
  });

  it("rejects an unknown board, naming it and listing the known ones", async () => {
    await expect(emulate({ board: "NOPE" })).rejects.toThrow(/unknown board "NOPE"; known boards: .*ESPRUINOWIFI.*PUCKJS/);
  });

  it("rejects a missing firmware file, naming it and where it looked", async () => {
    await expect(emulate({ board: "PUCKJS", firmware: "dist/PUCKJS/none.js", cwd: tmp.dir })).rejects.toThrow(
      new RegExp(`firmware file "dist/PUCKJS/none.js" not found \\(looked for ${tmp.dir}/dist/PUCKJS/none.js\\); build it first, e.g. npx bootheap build --board PUCKJS`),
    );
  });

  it("rejects a program larger than the board's Storage", async () => {
    // ESPRUINOBOARD has 20 KB of Storage.
    await expect(emulate({ board: "ESPRUINOBOARD", code: `var big = '${"x".repeat(30_000)}';` })).rejects.toThrow(/cannot flash the code to ESPRUINOBOARD/);
  });

  it("starts the board's thread through tsx from the sources, and from compiled JavaScript without it", () => {
    const fromSource = boardWorkerEntry("file:///repo/host/emulator/board-host.ts");
    expect(fromSource.script.href).toBe("file:///repo/host/emulator/worker/boot.mjs");
    expect(fromSource.entry).toBe("file:///repo/host/emulator/worker/board-worker.ts");
    const compiled = boardWorkerEntry("file:///app/node_modules/bootheap/dist/tool/host/emulator/board-host.js");
    expect(compiled.script.href).toBe("file:///app/node_modules/bootheap/dist/tool/host/emulator/worker/board-worker.js");
    expect(compiled.entry).toBeUndefined();
  });

  it("rejects eval and the others once closed", async () => {
    const board = await emulate({ board: "PUCKJS" });
    await board.close();
    await expect(board.eval("1")).rejects.toThrow(/closed/);
    await expect(board.storage.list()).rejects.toThrow(/closed/);
    expect(board.output).toContain("bootheap emulator: PUCKJS");
  });
});
