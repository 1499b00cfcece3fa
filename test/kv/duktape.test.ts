// kv's core on Duktape, a second ES5 engine: bundled the way the firmware is (ES5, minified),
// the same session gives the same transcript as on Node.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { testWithTool } from "../system/tools.js";
import { bundle } from "../support/bundle.js";
import { runSession } from "./engine-session.js";

testWithTool("kv on Duktape: the same transcript as on Node", "duk", "apt-get install -y duktape", async (duk) => {
  const code = await bundle("test/kv/engine-main.ts", { debug: false, minify: true, format: "iife" });
  const file = join(tmpdir(), "kv-duk-" + process.pid + ".js");
  writeFileSync(file, code);
  const out = execFileSync(duk, [file], { encoding: "utf8", timeout: 60_000 }).trim().split("\n");
  const node = runSession();
  expect(out).toEqual(node);
  expect(node.join("\n")).toContain("[closed]");
  expect(node[node.length - 1]).toContain("keys=0 pages=0");
}, 120_000);
