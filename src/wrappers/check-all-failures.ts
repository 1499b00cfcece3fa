import type { Allocator } from "../allocator.js";
import { fail } from "../heap/errors.js";
import { checkChild } from "./common.js";
import { FailingAllocator } from "./failing.js";

export interface CheckAllAllocationFailuresOptions {
  /** Called after every run, e.g. `() => arena.reset("free_all")`, so each run starts from the same memory. */
  reset?: () => void;
  /** The allocator that gives each run's FailingAllocator its 48 bytes of counters (default: `backing`). */
  state?: Allocator;
}

/**
 * Zig's std.testing.checkAllAllocationFailures. Runs `fn(allocator)` once with nothing failing
 * to count its N allocations, then N more times with allocation i (0 to N-1) failing, and
 * throws when `fn`:
 * - reports success although an allocation failed (code SwallowedOutOfMemory),
 * - does not reach allocation i, or reports out of memory with nothing failed
 *   (NondeterministicMemoryUsage),
 * - returns without freeing every byte it allocated (Leak) — on the full run and on every
 *   failure path.
 * `fn` reports out of memory by returning false, 0 or null, or by throwing an error whose
 * `code` is "OutOfMemory"; any other return value means success; any other error is rethrown
 * with the failing index added to its message. Returns N.
 */
export function checkAllAllocationFailures(backing: Allocator, fn: (allocator: Allocator) => unknown, options?: CheckAllAllocationFailuresOptions): number {
  checkChild(backing, "backing");
  if (typeof fn !== "function") fail("InvalidArgument", "fn must be a function taking an allocator");
  const reset = options === undefined ? undefined : options.reset;
  const state = options === undefined ? undefined : options.state;
  const first = new FailingAllocator(backing, { state: state });
  const firstOutcome = runOnce(first, fn, -1);
  const needed = first.allocIndex();
  const firstLeak = leakText(first);
  // After a leak the counters' block may not be freeable (a stack frees only its top): leave it.
  if (firstLeak === "") first.deinit();
  if (reset !== undefined) reset();
  if (firstOutcome === OOM) {
    fail("OutOfMemory", "fn reported out of memory on the run where nothing was made to fail (after " + needed + " allocations): give the backing allocator more memory");
  }
  if (firstLeak !== "") fail("Leak", "fn leaked on the run where nothing failed: " + firstLeak);
  for (let i = 0; i < needed; i++) {
    const failing = new FailingAllocator(backing, { failIndex: i, state: state });
    const outcome = runOnce(failing, fn, i);
    const induced = failing.hasInducedFailure();
    const reached = failing.allocIndex();
    const leak = leakText(failing);
    if (leak === "") failing.deinit();
    if (reset !== undefined) reset();
    if (outcome === SUCCESS) {
      if (induced) fail("SwallowedOutOfMemory", "with allocation " + i + " of " + needed + " failing, fn reported success: it ignored a 0 from alloc (or a failed resize/remap) instead of reporting out of memory");
      fail("NondeterministicMemoryUsage", "with allocation " + i + " of " + needed + " set to fail, fn made only " + reached + " allocations and succeeded: it does not allocate the same way on every run");
    }
    if (!induced) fail("NondeterministicMemoryUsage", "with allocation " + i + " of " + needed + " set to fail, fn reported out of memory after only " + reached + " allocations, before the failure was induced");
    if (leak !== "") fail("Leak", "with allocation " + i + " of " + needed + " failing, fn leaked on its failure path: " + leak);
  }
  return needed;
}

const SUCCESS = 1;
const OOM = 2;

function runOnce(allocator: FailingAllocator, fn: (allocator: Allocator) => unknown, index: number): number {
  let result: unknown;
  try {
    result = fn(allocator);
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (err !== null && typeof err === "object" && err.code === "OutOfMemory") return OOM;
    if (err !== null && typeof err === "object" && typeof err.message === "string") {
      err.message = (index < 0 ? "on the run with no failure: " : "with allocation " + index + " failing: ") + err.message;
    }
    throw e;
  }
  return result === false || result === 0 || result === null ? OOM : SUCCESS;
}

function leakText(f: FailingAllocator): string {
  if (f.allocatedBytes() === f.freedBytes() && f.allocations() === f.deallocations()) return "";
  return f.allocatedBytes() + " bytes allocated in " + f.allocations() + " allocations, " + f.freedBytes() + " bytes freed in " + f.deallocations() + " frees";
}
