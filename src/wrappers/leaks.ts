import { fail } from "../heap/errors.js";
import type { DebugAllocator } from "./debug.js";

/**
 * For a test suite (any runner): ends `debug` with `deinit()` and throws code Leak, listing
 * every leaked allocation grouped by tag, when it ends with "leak". Returns "ok" otherwise.
 */
export function assertNoLeaks(debug: DebugAllocator): "ok" {
  if (debug === null || typeof debug !== "object" || typeof debug.deinit !== "function" || typeof debug.leaks !== "function") {
    fail("InvalidArgument", "assertNoLeaks expects a DebugAllocator");
  }
  if (debug.deinit() === "ok") return "ok";
  const leaks = debug.leaks();
  let text = "";
  for (let i = 0; i < leaks.length; i++) text += (i === 0 ? "" : "\n") + leaks[i].message;
  return fail("Leak", text);
}
