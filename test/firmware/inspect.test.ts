// bootheap inspect against the emulator over TCP, through the real espruino tool; and the SVG
// it writes, rendered by a real browser.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { tempDir } from "../emulator/helpers.js";
import { testWithTool } from "../system/tools.js";
import { MAP_LEGEND } from "../../src/inspect/heap-map.js";

const BOARD = "ESPRUINOWIFI";
let emulator: ChildProcess;
let port = "";
const dir = tempDir("bootheap-inspect-");

beforeAll(async () => {
  emulator = spawn(process.execPath, ["bin/bootheap.js", "emulate", "--board", BOARD, "--port", "0", "--app", "demo", "--flash-dir", dir.dir], { stdio: ["pipe", "pipe", "pipe"] });
  port = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("the emulator did not start: " + out)), 30_000);
    emulator.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /console on (tcp:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    emulator.on("exit", (code) => reject(new Error("the emulator exited with " + code + ": " + out)));
  });
}, 60_000);

afterAll(() => {
  emulator?.kill();
  dir.remove();
});

function inspect(...extra: string[]): { status: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, ["bin/bootheap.js", "inspect", "--port", port, "--board", BOARD, ...extra], { encoding: "utf8", stdio: "pipe", env: { ...process.env, NO_COLOR: "1" }, timeout: 60_000 });
    return { status: 0, stdout, stderr: "" };
  } catch (e) {
    const error = e as { status: number; stdout: string; stderr: string };
    return { status: error.status, stdout: error.stdout, stderr: error.stderr };
  }
}

describe("bootheap inspect against the emulator", () => {
  const svgPath = join(dir.dir, "heap.svg");

  test("reads the heap image through the espruino tool and prints the stats table and the map", () => {
    const run = inspect("--svg", svgPath);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/region\s+kind\s+capacity\s+used/);
    for (const name of ["readings", "general", "scratch", "frames"]) expect(run.stdout).toMatch(new RegExp("^" + name + "\\s", "m"));
    expect(run.stdout).toMatch(/^general\s+mm[#+]+/m);
    expect(run.stdout).toContain(MAP_LEGEND);
    const svg = readFileSync(svgPath, "utf8");
    expect(svg.match(/<g class="region"/g)).toHaveLength(4);
    expect(svg).toContain('data-name="general" data-kind="tlsf"');
  }, 90_000);

  test("says clearly when nothing answers at the port", () => {
    const run = (() => {
      try {
        execFileSync(process.execPath, ["bin/bootheap.js", "inspect", "--port", "tcp://127.0.0.1:1"], { encoding: "utf8", stdio: "pipe", timeout: 60_000 });
        return { status: 0, stderr: "" };
      } catch (e) {
        return e as { status: number; stderr: string };
      }
    })();
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/inspect failed/);
  }, 90_000);

  testWithTool("the SVG renders in Chromium with a row per region", "chromium", "apt-get install -y chromium", (chromium) => {
    if (!existsSync(svgPath)) expect(inspect("--svg", svgPath).status).toBe(0);
    const page = join(dir.dir, "render.html");
    writeFileSync(
      page,
      "<!doctype html><html><body>" + readFileSync(svgPath, "utf8") +
        "<script>const rows = [...document.querySelectorAll('g.region')].map((g) => { const b = g.getBBox(); return { name: g.dataset.name, width: Math.round(b.width), height: Math.round(b.height), cells: g.querySelectorAll('rect').length }; });" +
        "document.body.setAttribute('data-rows', JSON.stringify(rows));</script></body></html>",
    );
    const dom = execFileSync(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + join(dir.dir, "profile"), "--dump-dom", "file://" + page], { encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "ignore"] });
    const attr = /data-rows="([^"]*)"/.exec(dom);
    expect(attr, dom.slice(0, 300)).not.toBeNull();
    const rows = JSON.parse(attr![1].replace(/&quot;/g, '"')) as Array<{ name: string; width: number; height: number; cells: number }>;
    expect(rows.map((r) => r.name)).toEqual(["readings", "general", "scratch", "frames"]);
    for (const r of rows) {
      expect(r.cells).toBeGreaterThan(100);
      expect(r.cells).toBeLessThanOrEqual(128);
      expect(r.width).toBeGreaterThan(700);
      expect(r.height).toBeGreaterThan(20);
    }
  }, 90_000);
});
