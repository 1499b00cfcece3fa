#!/usr/bin/env node
// The `bootheap` command. The tool is written in TypeScript and run through tsx, so there is
// no build step between editing host/ and running it.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../host/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
