// require("net") on boards that have it, on real sockets bound to 127.0.0.1.
import { describe, it, expect, afterAll } from "vitest";
import net from "node:net";
import { bootBoard, resultOf } from "./helpers.js";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function until(check: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("net", () => {
  const t = bootBoard("ESPRUINOWIFI");
  afterAll(() => t.board.dispose());

  it("serves TCP from the board: createServer, on('data'), write, end, on('close')", async () => {
    const port = await freePort();
    t.type(`var closed = 0; require("net").createServer(function (sock) { sock.on('data', function (d) { sock.write(d.toUpperCase()); sock.end(); }); sock.on('close', function () { closed++; }); }).listen(${port});`);
    await new Promise((r) => setTimeout(r, 50));
    const reply = await new Promise<string>((resolve, reject) => {
      const c = net.connect(port, "127.0.0.1", () => c.write("ping"));
      let got = "";
      c.on("data", (d) => (got += d.toString()));
      c.on("end", () => resolve(got));
      c.on("error", reject);
    });
    expect(reply).toBe("PING");
    await until(() => resultOf(t, "closed") === "=1", "close event");
  });

  it("connects from the board to a host server", async () => {
    let got = "";
    const server = net.createServer((s) => {
      s.on("data", (d) => {
        got += d.toString();
        s.end("pong");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as net.AddressInfo).port;
    t.type(`var answer = ''; var c = require("net").connect({ host: '127.0.0.1', port: ${port} }, function (s) { s.write('ping'); }); c.on('data', function (d) { answer += d; });`);
    await until(() => got === "ping", "host got ping");
    await until(() => resultOf(t, "answer") === '="pong"', "board got pong");
    await new Promise((r) => server.close(r));
  });

  it("refuses hosts other than 127.0.0.1", () => {
    expect(resultOf(t, "require('net').connect({ host: 'example.com', port: 80 })")).toMatch(/^Uncaught Error: net: the emulator only connects to 127.0.0.1/);
  });

  it("is missing on boards without networking", () => {
    const puck = bootBoard("PUCKJS");
    expect(resultOf(puck, "require('net')")).toMatch(/^Uncaught Error: Module net not found/);
    puck.board.dispose();
  });
});
