// Child process of corruption.test.ts: prints each scenario's outcome as one JSON line.
import { runCorruptions } from "./corruption.js";

for (const outcome of runCorruptions()) console.log(JSON.stringify(outcome));
