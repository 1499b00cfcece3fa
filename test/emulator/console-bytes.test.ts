// The console's bytes, compared with what the real interpreter (2v29, Linux build) sent for the
// same input (transcripts in docs/EMULATOR.md): output printed while the prompt is shown first
// takes the prompt and typed input off the line (cursor left/up, CR, ESC [J), and the prompt
// comes back after a whole chunk of input or a timer's task; lines sent with 0x10 do neither.
import { describe, it, expect, afterEach } from "vitest";
import { bootBoard, type TestBoard } from "./helpers.js";
import { banner } from "../../host/emulator/console/messages.js";
import { visibleLine } from "../../host/emulator/console/console-lines.js";
import { loadBoard } from "../../host/boards.js";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Up to the prompt after the banner: what the emulator adds to the device's banner. */
const EMULATOR_LINE = " bootheap emulator: LINUX, 4096 JsVars of 27 bytes\r\n";

describe("console bytes, as the device sends them", () => {
  let t: TestBoard;
  afterEach(() => t.board.dispose());

  it("an upload by the espruino tool, then -e print(...): output on lines of their own, one prompt at the end", () => {
    t = bootBoard("LINUX");
    t.send("\r");
    const sent = [
      "\n",
      '\x10print("<","<<",JSON.stringify(process.env.BOARD),">>",">")\n',
      "\n",
      "\x10reset();\n",
      '\x10print()\n\x10var count = 2;\n\x10\x1b[2dfunction bump(n) { return count + n; }\n\x10\x1b[3dprint("app loaded", count);\n\x10\x1b[4dprint("R", bump(3))\n\n',
    ]
      .map((chunk) => t.send(chunk))
      .join("");
    expect(sent).toBe('\r\n>< << "LINUX" >> >\r\n>\r\n>' + banner(loadBoard("LINUX")) + ">\r\napp loaded 2\r\nR 5\r\n>");
  });

  it("the banner is the device's, plus one line naming the emulator; boards turn line wrap off first", () => {
    const device =
      "\r\n ____                 _ \r\n|  __|___ ___ ___ _ _|_|___ ___ \r\n|  __|_ -| . |  _| | | |   | . |\r\n|____|___|  _|_| |___|_|_|_|___|\r\n" +
      "         |_| espruino.com\r\n 2v29 (c) 2025 G.Williams\r\n\r\nEspruino is Open Source. Our work is supported\r\n" +
      "only by sales of official boards and donations:\r\nhttp://espruino.com/Donate\r\n\r\n";
    expect(banner(loadBoard("LINUX")).replace(EMULATOR_LINE, "")).toBe(device);
    const pico = banner(loadBoard("PICO_R1_3"));
    expect(pico.startsWith("\x1b[?7l\r\n ____")).toBe(true);
    expect(pico.endsWith("G.Williams\r\n bootheap emulator: PICO_R1_3, 5100 JsVars of 13 bytes\r\n\r\n")).toBe(true);
  });

  it("an error during an upload: no prompt between the error and the next output", () => {
    t = bootBoard("LINUX");
    t.send("\x10reset();\n");
    const reply = t.send('\x10print()\n\x10var a = 1;\n\x10\x1b[2da.b.c = 2;\n\x10\x1b[3dprint("after");\n\n');
    expect(reply).toMatch(/^\r\nUncaught [^\r]*\r\nafter\r\n>$/);
  });

  it("console.log from a timer while a line is half typed: the line is taken off and put back", async () => {
    t = bootBoard("LINUX");
    expect(t.type("setTimeout(function(){console.log('tick')},50)")).toBe("setTimeout(function(){console.log('tick')},50)\r\n=1\r\n>");
    expect(t.send("1+")).toBe("1+");
    await sleep(120);
    expect(t.output().endsWith(">1+\x1b[D\x1b[D\r\x1b[Jtick\r\n>1+")).toBe(true);
  });

  it("a half typed statement over two lines: left along the last line, then up", async () => {
    t = bootBoard("LINUX");
    t.type("setTimeout(function(){console.log('tick')},50)");
    t.send("function f(){\r1+");
    await sleep(120);
    const mark = t.output().length;
    expect(t.send("\x03")).toBe("\x1b[D\x1b[D\x1b[A\r\x1b[J>");
    expect(t.output().slice(0, mark).endsWith(">function f(){\r\n:1+\x1b[D\x1b[D\x1b[A\r\x1b[Jtick\r\n>function f(){\r\n:1+")).toBe(true);
  });

  it("Ctrl-C clears a half typed line; on an empty line it sends nothing", () => {
    t = bootBoard("LINUX");
    expect(t.send("half typed")).toBe("half typed");
    expect(t.send("\x03")).toBe("\x1b[D".repeat(10) + "\r\x1b[J>");
    expect(t.send("\x03")).toBe("");
  });

  it("Ctrl-C during a loop sent with 0x10: Execution Interrupted after the prompt, then a new prompt", () => {
    t = bootBoard("LINUX");
    t.send("\r");
    // The Ctrl-C byte sets the interrupt flag before the console reads it (the device does this in its IRQ).
    Atomics.store(t.board.flags, 0, 1);
    expect(t.send("\x10while(1){}\n")).toBe("Execution Interrupted\r\n>");
    expect(t.send("\x03")).toBe("");
  });

  it("two lines in one chunk: one prompt after both; 0x05 answers without taking the prompt off", () => {
    t = bootBoard("LINUX");
    t.send("\r");
    expect(t.send("1\r2\r")).toBe("1\r\n=1\r\n=2\r\n>");
    expect(t.send("\x05")).toBe("Espruino 2v29 LINUX\r\n");
  });

  it("CR and LF in separate chunks are two Enters; in one chunk the LF prints nothing", () => {
    t = bootBoard("LINUX");
    expect(t.send("\r")).toBe("\r\n>");
    expect(t.send("\n")).toBe("\r\n>");
    expect(t.send("\r\n")).toBe("\r\n>");
  });

  it("a 0x10 line split across chunks: while it arrives, neither it nor the prompt is drawn", () => {
    t = bootBoard("LINUX");
    t.send("\r");
    expect(t.send("\x10print()\n\x10var count")).toBe("\r\n");
    expect(t.send(" = 2;\n")).toBe("");
    expect(t.type("count")).toBe("count\r\n=2\r\n>");
  });

  it("timer ids start again at 1 once no timer is left, as the device numbers them", async () => {
    t = bootBoard("LINUX");
    expect(t.type("setTimeout(function(){},10)")).toContain("=1\r\n");
    expect(t.type("setTimeout(function(){},10)")).toContain("=2\r\n");
    await sleep(60);
    expect(t.type("setTimeout(function(){},10)")).toContain("=1\r\n");
  });
});

describe("console lines for the library", () => {
  it("are what a terminal shows: no prompt taken off, no control sequences", () => {
    expect(visibleLine(">1+\x1b[D\x1b[D\r\x1b[Jtick\r")).toBe("tick");
    expect(visibleLine("\x1b[?7l")).toBe("");
    expect(visibleLine(">function f(){")).toBe(">function f(){");
  });
});
