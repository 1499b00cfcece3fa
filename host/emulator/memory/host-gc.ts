// Deterministic release of modelled blocks when JS values die. Node gives no reference
// counts, so: a FinalizationRegistry created inside the board's context (created after the
// flags below, so it has the synchronous `cleanupSome`), plus V8's `gc()` exposed at run time.
// `collect()` = full GC + run the finalizers now, on the same stack: after it returns, every
// value unreachable from the program has given its blocks back. Nothing waits for a later tick.
import v8 from "node:v8";
import vm from "node:vm";

v8.setFlagsFromString("--expose-gc");
v8.setFlagsFromString("--harmony-weak-refs-with-cleanup-some");
const fullGc = vm.runInNewContext("gc") as () => void;

export interface ContextRegistry {
  register(target: object, heldId: number): void;
  cleanupSome(): void;
}

/** A registry whose finalizers call `release(id)`; built in `context` so the flag applies. */
export function createRegistry(context: vm.Context, release: (id: number) => void): ContextRegistry {
  const make = vm.runInContext(
    "(function (F, cb) { return new F(cb); })",
    context,
  ) as (F: unknown, cb: (id: number) => void) => ContextRegistry;
  const F = vm.runInContext("FinalizationRegistry", context) as unknown;
  const registry = make(F, release);
  if (typeof registry.cleanupSome !== "function") {
    throw new Error("FinalizationRegistry.cleanupSome is missing: the V8 flag was set too late");
  }
  return registry;
}

export function collectNow(registry: ContextRegistry): void {
  fullGc();
  registry.cleanupSome();
}
