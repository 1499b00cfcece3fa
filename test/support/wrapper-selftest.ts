// The wrapper cases as one script for any engine (Duktape here; the emulator and boards once
// test/conformance/index.ts includes wrapperCases and they ride in dist/selftest/selftest.js).
// Ends with "N passed, N failed".
import { wrapperCases } from "../conformance/wrapper-cases.js";
import { runCases } from "../conformance/harness.js";
import { BUILD_MODE } from "../../src/build-mode.js";

declare const print: ((line: string) => void) | undefined;
declare const console: { log(line: string): void };

const log: (line: string) => void = typeof print === "function" ? print : function (line: string) { console.log(line); };
const result = runCases(wrapperCases(), log);
log(BUILD_MODE);
log(result.passed + " passed, " + result.failed + " failed");
