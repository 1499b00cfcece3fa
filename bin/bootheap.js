#!/usr/bin/env node
// The `bootheap` command. An installed package runs the compiled tool (dist/tool, made by
// `npm run build`, and by `npm pack` through prepack); a repository checkout runs the
// TypeScript sources through tsx, so editing host/ needs no build step.
import { existsSync } from "node:fs";

const source = new URL("../host/cli/main.ts", import.meta.url);
let main;
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  main = (await import(source.href)).main;
} else {
  main = (await import("../dist/tool/host/cli/main.js")).main;
}
process.exitCode = await main(process.argv.slice(2));
