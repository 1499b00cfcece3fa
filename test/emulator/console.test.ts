// The console protocol the espruino tool relies on, and bad input that must not stop the board.
import { describe, it, expect, afterAll } from "vitest";
import net from "node:net";
import { bootBoard, resultOf } from "./helpers.js";
import { BoardHost } from "../../host/emulator/board-host.js";
import { serveTcpConsole } from "../../host/emulator/tcp-console.js";
import { loadBoard } from "../../host/boards.js";

describe("console protocol", () => {
  const t = bootBoard("PICO_R1_3");
  afterAll(() => t.board.dispose());

  it("shows a prompt, echoes, prints =result and a new prompt", () => {
    expect(t.output().endsWith(">")).toBe(true);
    expect(t.type("6*7")).toBe("6*7\r\n=42\r\n>");
  });

  it("prints numbers as the device does", () => {
    expect(resultOf(t, "0.1 + 0.2")).toBe("=0.3");
    expect(resultOf(t, "1 / 3")).toBe("=0.33333333333");
    expect(resultOf(t, "1e21")).toBe("=10e+20");
    expect(resultOf(t, "[1.5, -2]")).toBe("=[ 1.5, -2 ]");
  });

  it("runs 0x10 lines without echo and without the result line", () => {
    expect(t.send("\x1040+2\n")).toBe("");
    expect(t.send('\x10print("<","<<",JSON.stringify(process.env.BOARD),">>",">")\n')).toBe('< << "PICO_R1_3" >> >\r\n>');
  });

  it("continues a statement while brackets are open, and with ESC LF", () => {
    expect(t.send("function two() {\r")).toBe("function two() {\r\n:");
    t.send("  return 2;\r");
    expect(t.send("}\r")).toContain("=function");
    expect(resultOf(t, "two()")).toBe("=2");
    expect(t.send("\x10var three = (\x1b\n3);\n")).toBe("");
    expect(resultOf(t, "three")).toBe("=3");
  });

  it("lists a function with its own source", () => {
    expect(resultOf(t, "function put(u, i) { for (var k = 0; k < 2; k++) u[i + k] = k; try { u[0] = 1 } catch (e) {} }")).toBe(
      "=function (u, i) { for (var k = 0; k < 2; k++) u[i + k] = k; try { u[0] = 1 } catch (e) {} }",
    );
  });

  it("ignores the tool's line-number escapes (ESC [ n d)", () => {
    expect(t.send("\x10\x1b[12dvar marked = 1;\n")).toBe("");
    expect(resultOf(t, "marked")).toBe("=1");
  });

  it("clears the line on Ctrl-C and answers 0x05 with version and board", () => {
    t.send("garbage in progress");
    t.send("\x03");
    expect(resultOf(t, "1")).toBe("=1");
    expect(t.send("\x05")).toContain("2v29 PICO_R1_3");
  });

  it("prints Uncaught errors and keeps serving", () => {
    expect(resultOf(t, "throw new Error('boom')")).toBe("Uncaught Error: boom at line 1 col 7");
    expect(resultOf(t, "nope()")).toMatch(/^Uncaught ReferenceError: nope is not defined/);
    expect(resultOf(t, "2+2")).toBe("=4");
  });

  it("survives garbage bytes", () => {
    const reply = t.send("\x00\x01\x02\xff\xfe}{)(\x7f\r");
    expect(reply).toMatch(/Uncaught SyntaxError/);
    expect(resultOf(t, "3+3")).toBe("=6");
  });

  it("survives a half line followed by more input", () => {
    t.send("var half = 'unfinished");
    expect(t.send("\r")).toMatch(/Uncaught SyntaxError/);
    expect(resultOf(t, "4+4")).toBe("=8");
  });

  it("drops a line too long for the free JsVars with a clear error", () => {
    const reply = t.send("'" + "x".repeat(80_000) + "'\r");
    expect(reply).toContain("ERROR: input line too long");
    expect(resultOf(t, "5+5")).toBe("=10");
  });
});

describe("console over TCP, board in its own thread", () => {
  it("interrupts a spinning program with Ctrl-C and serves several clients", async () => {
    const host = new BoardHost({ board: loadBoard("ESPRUINOWIFI"), flashPath: null });
    await host.ready;
    const tcp = await serveTcpConsole(host, 0);
    try {
      const client = net.connect(tcp.port, "127.0.0.1");
      let received = "";
      client.on("data", (d) => (received += d.toString("latin1")));
      await new Promise((r) => client.once("connect", r));
      const waitFor = async (text: string, ms = 5000): Promise<void> => {
        const until = Date.now() + ms;
        while (!received.includes(text)) {
          if (Date.now() > until) throw new Error(`timed out waiting for ${JSON.stringify(text)}; got ${JSON.stringify(received)}`);
          await new Promise((r) => setTimeout(r, 10));
        }
      };
      client.write("while (true) {}\r");
      await new Promise((r) => setTimeout(r, 200));
      client.write("\x03");
      await waitFor("Execution Interrupted");
      client.write("1+1\r");
      await waitFor("=2");
      // A second client sees the same console.
      const second = net.connect(tcp.port, "127.0.0.1");
      let seen = "";
      second.on("data", (d) => (seen += d.toString("latin1")));
      await new Promise((r) => second.once("connect", r));
      second.write("Promise.reject(new Error('nobody handled'))\r");
      await waitFor("Uncaught Error: Unhandled promise rejection: Error: nobody handled");
      client.write("'still'+'here'\r");
      await waitFor('="stillhere"');
      expect(seen).toContain('="stillhere"');
      second.destroy();
      client.destroy();
    } finally {
      await tcp.close();
      await host.stop();
    }
  });
});
