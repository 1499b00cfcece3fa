// Builds one board's JavaScript world: a fresh node:vm context made to look like Espruino
// (prelude/builtins.js), with the device's globals (prelude/environment.js) wired to host hooks.
// Host errors thrown by hooks are turned into the board's own Error objects, so the program
// sees plain device-like errors; the emulator's interrupts pass through untouched.
import vm from "node:vm";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MISSING_GLOBALS, MISSING_STATICS, MISSING_METHODS, VIEW_BYTE_OFFSET_MAX, ARRAY_BUFFER_BYTES_MAX } from "../rules/espruino-rules.js";
import { BoardInterrupt } from "./interrupt.js";
import { PRESENT_ON_DEVICE } from "./device-present.js";
import type { Hooks } from "./system-hooks.js";

const preludeSource = (file: string): string => readFileSync(fileURLToPath(new URL(`./prelude/${file}`, import.meta.url)), "utf8");
const BUILTINS_JS = preludeSource("builtins.js");
const ENVIRONMENT_JS = preludeSource("environment.js");
/** Native modules, each added to environment.js's `natives`. */
const MODULE_PRELUDES = ["storage.js", "net.js", "heatshrink.js"].map((file) => ({ file, source: preludeSource(file) }));
/** The device's Date (its time zone, its formats), then its own built-ins that V8 lacks; these run last. */
const DATE_JS = preludeSource("date.js");
const EXTRAS_JS = preludeSource("espruino-extras.js");

export interface BuiltinHooks {
  flags: Int32Array;
  /** Loop iterations until the memory model's next look; tick() runs when it reaches 0. */
  loopCounter: Int32Array;
  tick(): void;
  chargeBuffer(buffer: ArrayBuffer, byteLength: number): void;
  chargeView(view: object): void;
  /** Runs `fn` as a task of its own soon (an event emit() queued). */
  queueEvent(fn: () => void): void;
}


export interface BoardContext {
  context: vm.Context;
  /** The device's way of showing a value (for `=result` lines). */
  format(value: unknown): string;
  /** An Error object of the board's realm. */
  makeError(message: string): Error;
  /** Runs `event`'s handlers on `target` now, for the host (boot's `init`, `uncaughtException`); false when it has none. */
  emitNow(target: object, event: string, ...args: unknown[]): boolean;
  /** The handlers `on()` registered on `obj`, per event (the device keeps them as `#on<event>` properties). */
  listenersOf(obj: object): Array<[string, unknown[]]> | undefined;
}

function guardHooks(hooks: Hooks, BoardError: ErrorConstructor): Hooks {
  const out: Hooks = {};
  for (const [name, fn] of Object.entries(hooks)) {
    out[name] = (...args: never[]) => {
      try {
        return fn(...args);
      } catch (e) {
        if (e instanceof BoardInterrupt || e instanceof BoardError) throw e;
        throw new BoardError(e instanceof Error ? e.message : String(e));
      }
    };
  }
  return out;
}

/**
 * `beforePrelude` runs while the context still has every V8 built-in (the memory model needs
 * FinalizationRegistry from the board's realm before the prelude removes it).
 */
export function createBoardContext(builtins: BuiltinHooks, sys: Hooks, beforePrelude: (context: vm.Context) => void): BoardContext {
  const context = vm.createContext({}, { name: "espruino-board" });
  beforePrelude(context);
  const RealError = vm.runInContext("Error", context) as ErrorConstructor;
  const makeError = (message: string): Error => new RealError(message);
  const global = vm.runInContext("this", context);
  const install = vm.runInContext(BUILTINS_JS, context, { filename: "builtins.js" }) as (hooks: unknown) => unknown;
  const events = install.call(global, {
    ...builtins,
    isInterrupt: (e: unknown) => e instanceof BoardInterrupt,
    missingGlobals: MISSING_GLOBALS.filter((n) => !PRESENT_ON_DEVICE.has(n)),
    missingStatics: MISSING_STATICS.filter((n) => !PRESENT_ON_DEVICE.has(n)),
    missingMethods: [...MISSING_METHODS],
    viewByteOffsetMax: VIEW_BYTE_OFFSET_MAX,
    arrayBufferBytesMax: ARRAY_BUFFER_BYTES_MAX,
  }) as { stopPropagation(): void; emitNow(target: object, event: string, args: unknown[]): boolean; listenersOf(obj: object): Array<[string, unknown[]]> | undefined };
  const hooks = { ...guardHooks(sys, RealError), isView: ArrayBuffer.isView };
  const env = vm.runInContext(ENVIRONMENT_JS, context, { filename: "environment.js" }) as (sys: unknown) => { format(v: unknown, depth: number): string };
  const api = env.call(global, hooks);
  for (const m of MODULE_PRELUDES) {
    const addModule = vm.runInContext(m.source, context, { filename: m.file }) as (sys: unknown, env: unknown) => void;
    addModule.call(global, hooks, api);
  }
  const addDate = vm.runInContext(DATE_JS, context, { filename: "date.js" }) as (sys: unknown, env: unknown) => void;
  addDate.call(global, hooks, api);
  const addExtras = vm.runInContext(EXTRAS_JS, context, { filename: "espruino-extras.js" }) as (sys: unknown, env: unknown, events: unknown) => void;
  addExtras.call(global, hooks, api, events);
  return { context, format: (v) => api.format(v, 0), makeError, emitNow: (target, event, ...args) => events.emitNow(target, event, args), listenersOf: (obj) => events.listenersOf(obj) };
}
