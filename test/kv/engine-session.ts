// A kv session with no Node API, so the same code runs on any engine: carve kv's plan, start
// the server over fake sockets, play requests (pipelined, split, bad), print every reply.
import { BootHeap } from "../../src/heap/boot-heap.js";
import { FixedBufferAllocator } from "../../src/allocators/fixed-buffer.js";
import { MemoryPool } from "../../src/allocators/pool.js";
import type { Allocator } from "../../src/allocator.js";
import type { Memory } from "../../src/app.js";
import { planHeapBytes, regionAlign } from "../../plan/plan.js";
import { Kv } from "../../firmware/apps/kv/kv.js";
import { KvConfig, kvPlan } from "../../firmware/apps/kv/config.js";
import { KvServer, KvSocket } from "../../firmware/apps/kv/server.js";

function memoryFor(config: KvConfig): Memory {
  const plan = kvPlan(config);
  const heap = new BootHeap(planHeapBytes(plan), plan.regions.length);
  const raw: { [name: string]: Allocator } = {};
  for (let i = 0; i < plan.regions.length; i++) {
    const r = plan.regions[i];
    if (r.kind === "pool") raw[r.name] = new MemoryPool(heap, heap.carve(MemoryPool.regionBytes(r.slotSizeBytes, r.slotCount, r.align), regionAlign(r), r.name), r.slotSizeBytes, r.align);
    else raw[r.name] = new FixedBufferAllocator(heap, heap.carve(r.sizeBytes, regionAlign(r), r.name));
  }
  heap.seal();
  return { heap: heap, allocators: raw, raw: raw, save: function () { return false; } };
}

function request(args: string[]): string {
  let s = "*" + args.length + "\r\n";
  for (let i = 0; i < args.length; i++) s += "$" + args[i].length + "\r\n" + args[i] + "\r\n";
  return s;
}

function visible(s: string): string {
  return s.split("\r\n").join("|");
}

/** Runs the session; returns its transcript, one line per step. */
export function runSession(): string[] {
  const config: KvConfig = { connectionsMax: 2, keyCount: 8, keySizeMax: 16, valueSizeMax: 32, listLengthMax: 40 };
  const memory = memoryFor(config);
  const server = new KvServer(new Kv(memory, config, false));
  const lines: string[] = [];
  const sockets: { out: string; ended: boolean; data: ((d: unknown) => void) | null; close: (() => void) | null }[] = [];
  function connect(): number {
    const state = { out: "", ended: false, data: null as ((d: unknown) => void) | null, close: null as (() => void) | null };
    const socket: KvSocket = {
      on: function (event: string, fn: (d?: unknown) => void) {
        if (event === "data") state.data = fn;
        if (event === "close") state.close = fn as () => void;
        return socket;
      },
      write: function (data: string) {
        state.out += data;
        return true;
      },
      end: function () {
        if (!state.ended) {
          state.ended = true;
          if (state.close) state.close();
        }
        return undefined;
      },
    };
    sockets.push(state);
    server.accept(socket);
    return sockets.length - 1;
  }
  function send(i: number, data: string): void {
    const s = sockets[i];
    if (s.data) s.data(data);
    lines.push(i + " " + visible(s.out) + (s.ended ? " [closed]" : ""));
    s.out = "";
  }
  const a = connect();
  send(a, request(["PING"]));
  send(a, request(["SET", "a", "1"]) + request(["INCR", "a"]) + request(["GET", "a"]));
  const values: string[] = [];
  for (let i = 0; i < 36; i++) values.push("element-" + i);
  for (let i = 0; i < 36; i += 6) send(a, request(["RPUSH", "l", values[i], values[i + 1], values[i + 2], values[i + 3], values[i + 4], values[i + 5]]));
  send(a, request(["LPUSH", "l", "front"]));
  send(a, request(["LRANGE", "l", "0", "-1"]));
  send(a, request(["LPOP", "l", "3"]));
  send(a, request(["RPUSH", "l", "x", "y", "z", "w", "v"]));
  send(a, request(["SET", "k".repeat(17), "v"]));
  send(a, request(["LPUSH", "a", "v"]));
  const whole = request(["SET", "split", "across packets"]) + "PING\r\n";
  for (let i = 0; i < whole.length; i += 3) send(a, whole.substring(i, i + 3));
  const b = connect();
  const c = connect();
  send(c, "");
  send(b, "*1\r\n$4\r\nPINGxx\r\n");
  send(a, request(["DBSIZE"]) + request(["INFO", "keyspace"]));
  send(a, request(["FLUSHALL"]) + request(["DBSIZE"]));
  const names = Object.keys(memory.allocators);
  const used: string[] = [];
  for (let i = 0; i < names.length; i++) used.push(names[i] + "=" + memory.allocators[names[i]].stats().usedBytes);
  lines.push(used.join(" "));
  return lines;
}
