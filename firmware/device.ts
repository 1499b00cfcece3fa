// The parts of the device's API the firmware uses, reached through typeof checks so the same
// firmware also runs where they are missing (Node, Duktape).

export interface StorageModule {
  write(name: string, data: string, offset?: number, size?: number): boolean;
  read(name: string, offset?: number, length?: number): string | undefined;
  readArrayBuffer(name: string): ArrayBuffer | undefined;
  erase(name: string): void;
  getFree(): number;
}

interface EspruinoE {
  on(event: string, handler: () => void): void;
  getAddressOf(value: unknown, flatOnly: boolean): number;
}

declare const E: EspruinoE | undefined;
declare const print: ((...text: unknown[]) => void) | undefined;
declare const getTime: (() => number) | undefined;
declare const process: { memory?: (gc?: boolean) => { usage: number; blocksize?: number } } | undefined;
declare const global: { [name: string]: unknown } | undefined;
declare const require: ((name: string) => unknown) | undefined;
declare const console: { log(line: string): void };

export function say(line: string): void {
  if (typeof print === "function") print(line);
  else console.log(line);
}

/** Seconds, from the device clock where there is one. */
export function nowSeconds(): number {
  return typeof getTime === "function" ? getTime() : Date.now() / 1000;
}

/** JsVars in use, or -1 where the engine does not count them. */
export function jsVarsUsed(): number {
  return typeof process !== "undefined" && process && typeof process.memory === "function" ? process.memory(false).usage : -1;
}

/** Whether `buffer` is one flat run of memory; true where the engine cannot tell (it always is). */
export function isFlat(buffer: ArrayBuffer): boolean {
  return typeof E === "undefined" || typeof E.getAddressOf !== "function" || E.getAddressOf(buffer, true) !== 0;
}

export function onInit(handler: () => void): void {
  if (typeof E !== "undefined" && typeof E.on === "function") E.on("init", handler);
}

export function storage(): StorageModule | null {
  if (typeof require !== "function") return null;
  try {
    return require("Storage") as StorageModule;
  } catch (e) {
    return null;
  }
}

/** Makes `value` a global (MEM at the REPL). A sloppy-mode function's `this` is the global object on every ES5 engine. */
export function setGlobal(name: string, value: unknown): void {
  const sloppyThis = function (this: { [name: string]: unknown }) { return this; } as unknown as () => { [name: string]: unknown };
  const root = typeof global !== "undefined" && global ? global : sloppyThis();
  root[name] = value;
}
