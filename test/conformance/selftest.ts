// The self-test bundle's entry: runs every conformance case on whatever engine loads it and
// ends with "N passed, N failed". Uses print (Espruino, Duktape) or console.log.
import { allCases } from "./index.js";
import { runCases } from "./harness.js";

declare const print: ((line: string) => void) | undefined;
declare const console: { log(line: string): void };

const log: (line: string) => void = typeof print === "function" ? print : function (line: string) { console.log(line); };
const result = runCases(allCases(), log);
log(result.passed + " passed, " + result.failed + " failed");
