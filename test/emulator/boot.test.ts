// Boot order, reset(), load(), E.reboot() and save(), with the flash kept in a file.
import { describe, it, expect, afterAll } from "vitest";
import { join } from "node:path";
import { bootBoard, resultOf, tempDir } from "./helpers.js";

describe("boot sequence", () => {
  const tmp = tempDir("bootheap-boot-");
  afterAll(() => tmp.remove());
  const flashPath = join(tmp.dir, "MDBT42Q.flash");

  it("runs .boot0-.boot3, .bootcde, E.on('init') handlers, then onInit, in that order", () => {
    const t = bootBoard("MDBT42Q", { flashPath });
    t.type("var S = require('Storage');");
    t.type("S.write('.boot1', 'var order = (typeof order === \"undefined\" ? \"\" : order) + \"b1 \";')");
    t.type("S.write('.boot0', 'var order = \"b0 \";')");
    t.type("S.write('.bootcde', 'order += \"code \"; E.on(\"init\", function () { order += \"init \"; }); function onInit() { order += \"onInit\"; }')");
    t.board.dispose();

    const again = bootBoard("MDBT42Q", { flashPath });
    expect(resultOf(again, "order")).toBe('="b0 b1 code init onInit"');
    again.board.dispose();
  });

  it("reset() clears RAM and skips .bootcde; load() and E.reboot() run it again", () => {
    const t = bootBoard("MDBT42Q", { flashPath });
    t.type("var mine = 5;");
    t.type("reset()");
    expect(resultOf(t, "typeof mine")).toBe('="undefined"');
    expect(resultOf(t, "order")).toBe('="b0 b1 "');
    t.type("load()");
    expect(resultOf(t, "order")).toBe('="b0 b1 code init onInit"');
    t.type("E.reboot()");
    expect(resultOf(t, "order")).toBe('="b0 b1 code init onInit"');
    t.board.dispose();
  });

  it("save() keeps the program in flash, restored with init handlers after a restart", () => {
    const t = bootBoard("MDBT42Q", { flashPath });
    t.type("require('Storage').erase('.bootcde')");
    t.type("var total = 40;");
    t.type("function add(n) { total += n; return total }");
    t.type("E.on('init', function () { total += 1; })");
    expect(t.type("save()")).toContain("Done!");
    t.board.dispose();

    const again = bootBoard("MDBT42Q", { flashPath });
    expect(resultOf(again, "add(1)")).toBe("=42");
    again.board.dispose();
  });

  it("reset(true) also erases the flash", () => {
    const t = bootBoard("MDBT42Q", { flashPath });
    t.type("reset(true)");
    expect(resultOf(t, "require('Storage').list().length")).toBe("=0");
    t.board.dispose();
  });

  it("load(file) runs a Storage file as the program", () => {
    const t = bootBoard("MDBT42Q", { flashPath });
    t.type("require('Storage').write('app.js', 'var app = \"running\";')");
    t.type("load('app.js')");
    expect(resultOf(t, "app")).toBe('="running"');
    t.board.dispose();
  });
});

describe("environment", () => {
  const t = bootBoard("ESP32");
  afterAll(() => t.board.dispose());

  it("reports the board in process.env", () => {
    expect(resultOf(t, "process.env.BOARD + ' ' + process.env.VERSION")).toBe('="ESP32 2v29"');
    expect(resultOf(t, "process.env.MODULES")).toBe('="Storage,heatshrink,net"');
  });

  it("runs timers and getTime", async () => {
    t.type("var ticks = 0; var iv = setInterval(function () { ticks++; if (ticks === 3) clearInterval(iv); }, 5);");
    t.type("var later = 0; setTimeout(function (v) { later = v; }, 10, 9);");
    await new Promise((r) => setTimeout(r, 100));
    expect(resultOf(t, "ticks + later")).toBe("=12");
    expect(resultOf(t, "typeof getTime() === 'number' && getTime() > 1e9")).toBe("=true");
  });

  it("prints uncaught errors in timers and keeps going", async () => {
    t.type("setTimeout(function () { throw new Error('from timer') }, 1)");
    await new Promise((r) => setTimeout(r, 30));
    expect(t.output()).toContain("Uncaught Error: from timer");
    expect(resultOf(t, "1")).toBe("=1");
  });

  it("has atob/btoa for the espruino tool's file uploads", () => {
    expect(resultOf(t, "atob(btoa('hi\\xff'))")).toBe('="hi\xff"');
  });
});
