// The emulator's console on a terminal (issue 11, defect 15): two Ctrl-C with nothing typed
// between them quit, whatever the time between them, whatever the board printed meanwhile, and
// whether they arrive in one input chunk or in two. The first one still reaches the board.
import { PassThrough } from "node:stream";
import { afterEach, expect, test, vi } from "vitest";
import type { BoardHost } from "../../host/emulator/board-host.js";
import { attachTerminal, QuitKeys } from "../../host/emulator/terminal-console.js";

/** A board host that records what the console sends it and prints what a test says it printed. */
function fakeHost() {
  const sent: string[] = [];
  const listeners: ((text: string) => void)[] = [];
  const host = {
    onOutput(fn: (text: string) => void) {
      listeners.push(fn);
      return () => listeners.splice(listeners.indexOf(fn), 1);
    },
    write(bytes: Uint8Array | string) {
      sent.push(Buffer.from(bytes as Uint8Array).toString("latin1"));
    },
    flush() {
      return Promise.resolve();
    },
  };
  return { host: host as unknown as BoardHost, sent, print: (text: string) => listeners.forEach((fn) => fn(text)) };
}

function terminal() {
  const board = fakeHost();
  const stdin = new PassThrough();
  const printed: string[] = [];
  let exits = 0;
  const detach = attachTerminal(board.host, () => exits++, { stdin, stdout: { write: (d: Uint8Array) => printed.push(Buffer.from(d).toString("latin1")) } });
  const type = async (text: string) => {
    stdin.write(Buffer.from(text, "latin1"));
    await new Promise((r) => setImmediate(r));
  };
  return { board, type, printed, exits: () => exits, detach };
}

afterEach(() => {
  vi.restoreAllMocks();
});

test("two Ctrl-C in separate chunks a minute apart, the board printing between them: quit; the board got the first", async () => {
  const t = terminal();
  let now = 1_000_000;
  vi.spyOn(Date, "now").mockImplementation(() => now);
  await t.type("\x03");
  expect(t.exits()).toBe(0);
  t.board.print("Execution Interrupted\r\n>");
  now += 60_000;
  await t.type("\x03");
  expect(t.exits()).toBe(1);
  expect(t.board.sent).toEqual(["\x03"]);
  expect(t.printed.join("")).toBe("Execution Interrupted\r\n>");
  t.detach();
});

test("two Ctrl-C in one chunk quit; what was typed before them reaches the board", async () => {
  const t = terminal();
  await t.type("ab\x03\x03cd");
  expect(t.exits()).toBe(1);
  expect(t.board.sent).toEqual(["ab\x03"]);
  t.detach();
});

test("a key typed between two Ctrl-C keeps the emulator running; Ctrl-D quits at once", async () => {
  const t = terminal();
  await t.type("\x03");
  await t.type("x");
  await t.type("\x03");
  await t.type("y\x03");
  expect(t.exits()).toBe(0);
  expect(t.board.sent).toEqual(["\x03", "x", "\x03", "y\x03"]);
  await t.type("\x04");
  expect(t.exits()).toBe(1);
  t.detach();
});

test("QuitKeys: the same input gives the same answer however it is cut into chunks", () => {
  const input = "print(1)\r\x03\x1b[A\x03\x03";
  for (let cut = 0; cut <= input.length; cut++) {
    const keys = new QuitKeys();
    const first = keys.feed(Buffer.from(input.slice(0, cut), "latin1"));
    const second = first.quit ? null : keys.feed(Buffer.from(input.slice(cut), "latin1"));
    const forwarded = first.forward.toString("latin1") + (second === null ? "" : second.forward.toString("latin1"));
    expect({ cut, quit: first.quit || (second !== null && second.quit), forwarded }).toEqual({ cut, quit: true, forwarded: "print(1)\r\x03\x1b[A\x03" });
  }
});
