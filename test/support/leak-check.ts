// Leak detection for vitest suites: a test fails when a DebugAllocator it used ends with "leak".
//
//   const track = useLeakCheck();            // in a describe block (or at file top level)
//   test("parses", () => {
//     const debug = track(new DebugAllocator(child, { region }));
//     ...                                      // afterEach calls debug.deinit() and fails on "leak"
//   });
//
// or, inline: expectNoLeaks(debug). Outside vitest use assertNoLeaks from src (throws code Leak).
import { afterEach, expect } from "vitest";
import type { DebugAllocator } from "../../src/wrappers/debug.js";

/** Ends `debug` with deinit() and fails the test, listing every leak by tag, if it returns "leak". */
export function expectNoLeaks(debug: DebugAllocator): void {
  const result = debug.deinit();
  if (result === "leak") {
    const text = debug.leaks().map((r) => r.message).join("\n");
    expect.fail("DebugAllocator " + JSON.stringify(debug.region.name) + " ended with \"leak\":\n" + text);
  }
  expect(result).toBe("ok");
}

/**
 * Registers an afterEach hook in the current suite that ends every DebugAllocator passed to
 * the returned `track` during the test, failing the test on a leak. Returns `track`.
 */
export function useLeakCheck(): <T extends DebugAllocator>(debug: T) => T {
  let tracked: DebugAllocator[] = [];
  afterEach(() => {
    const list = tracked;
    tracked = [];
    for (const debug of list) expectNoLeaks(debug);
  });
  return function <T extends DebugAllocator>(debug: T): T {
    tracked.push(debug);
    return debug;
  };
}
