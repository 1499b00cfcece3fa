// Host functions behind the device's globals (prelude/*.js), grouped by the part of the board
// they reach. They take and return primitives (or board values passed through untouched);
// the preludes build the program's objects from them.
import type { FlashStore } from "./storage/flash-store.js";
import type { NetBridge } from "./net-bridge.js";
import type { BoardTimers } from "./timers.js";
import type { BoardMemory } from "./memory/board-memory.js";
import { originalFunctionText } from "./function-text.js";

export type Hooks = Record<string, (...args: never[]) => unknown>;

export function storageHooks(s: FlashStore): Hooks {
  return {
    storageWrite: (name: string, bytes: string, offset: number, size: number) => s.write(name, bytes, offset, size),
    storageRead: (name: string, offset: number, length: number) => s.read(name, offset, length),
    storageErase: (name: string) => s.erase(name),
    storageEraseAll: () => s.eraseAll(),
    storageCompact: () => s.compact(),
    storageFree: () => s.freeBytes(),
    storageStats: () => JSON.stringify(s.stats()),
    storageList: () => JSON.stringify(s.list()),
  };
}

export function netHooks(net: NetBridge): Hooks {
  return {
    netSetDispatcher: (fn: (kind: string, id: number, a?: unknown, b?: unknown) => void) => net.setDispatcher(fn),
    netCreateServer: () => net.createServer(),
    netListen: (id: number, port: number) => net.listen(id, port),
    netClose: (id: number) => net.closeServer(id),
    netConnect: (host: string, port: number) => net.connect(host, port),
    netWrite: (id: number, data: string) => net.write(id, data),
    netEnd: (id: number) => net.end(id),
  };
}

export function timerHooks(timers: BoardTimers): Hooks {
  return {
    setTimer: (fn: () => void, ms: number, repeat: boolean) => timers.add(fn, ms, repeat),
    clearTimer: (id: number) => timers.clear(id),
    clearAllTimers: () => timers.clearAll(),
    changeInterval: (id: number, ms: number) => timers.change(id, ms),
    now: () => performance.timeOrigin + performance.now(),
  };
}

export function memoryHooks(memory: BoardMemory): Hooks {
  return {
    memory: (runGc: boolean) => memory.processMemory(runGc),
    defrag: () => memory.heap.defrag(),
    sizeOf: (v: unknown) => memory.sizeOf(v),
    addressOf: (v: unknown) => (typeof v === "object" && v !== null ? memory.addressOf(v) : 0),
  };
}

export const textHooks: Hooks = {
  atob: (b64: string) => Buffer.from(b64, "base64").toString("latin1"),
  btoa: (bytes: string) => Buffer.from(bytes, "latin1").toString("base64"),
  // As the device lists a function: its own source, without its name.
  functionText: (fn: () => void) => originalFunctionText(Function.prototype.toString.call(fn)).replace(/^function\s*[\w$]*\s*\(/, "function ("),
};
