// Host-side helpers for the kv tests: a heap carved from kv's plan exactly as firmware/boot.ts
// does, a Node adapter with Espruino's `net` API (data as Strings of bytes 0-255), and a small
// RESP client.
import net from "node:net";
import { BootHeap } from "../../src/heap/boot-heap.js";
import { FixedBufferAllocator } from "../../src/allocators/fixed-buffer.js";
import { MemoryPool } from "../../src/allocators/pool.js";
import { StackAllocator } from "../../src/allocators/stack.js";
import { TlsfAllocator } from "../../src/allocators/tlsf.js";
import type { Allocator } from "../../src/allocator.js";
import type { Memory } from "../../src/app.js";
import { MemoryPlan, planHeapBytes, regionAlign, RegionPlan } from "../../plan/plan.js";
import type { KvNetServer, KvSocket, NetModule } from "../../firmware/apps/kv/server.js";

function makeAllocator(heap: BootHeap, plan: RegionPlan): Allocator {
  if (plan.kind === "pool") return new MemoryPool(heap, heap.carve(MemoryPool.regionBytes(plan.slotSizeBytes, plan.slotCount, plan.align), regionAlign(plan), plan.name), plan.slotSizeBytes, plan.align);
  const region = heap.carve(plan.sizeBytes, regionAlign(plan), plan.name);
  if (plan.kind === "fixed") return new FixedBufferAllocator(heap, region);
  if (plan.kind === "stack") return new StackAllocator(heap, region);
  return new TlsfAllocator(heap, region);
}

export interface HostMemory extends Memory {
  /** The last image save() wrote. */
  image: Uint8Array | null;
}

/** Carves `plan` like boot.ts; with `image`, restores it over the new heap (as a boot from Storage). */
export function makeMemory(plan: MemoryPlan, image?: Uint8Array | null): HostMemory {
  const heap = new BootHeap(planHeapBytes(plan), plan.regions.length);
  const raw: { [name: string]: Allocator } = {};
  for (const r of plan.regions) raw[r.name] = makeAllocator(heap, r);
  heap.seal();
  if (image) heap.u8.set(image);
  const memory: HostMemory = {
    heap,
    allocators: raw,
    raw,
    image: null,
    save() {
      memory.image = heap.u8.slice();
      return true;
    },
  };
  return memory;
}

/** Used bytes per region. */
export function usedBytes(memory: Memory): { [name: string]: number } {
  const out: { [name: string]: number } = {};
  for (const name of Object.keys(memory.allocators)) out[name] = memory.allocators[name].stats().usedBytes;
  return out;
}

/** Runs check() of every allocator that has one. */
export function checkAll(memory: Memory): void {
  for (const name of Object.keys(memory.raw)) {
    const a = memory.raw[name] as Allocator & { check?: () => void };
    if (typeof a.check === "function") a.check();
  }
}

/** Espruino's net API over node:net on 127.0.0.1; `port` is the real port after listen(0). */
export function nodeNet(): NetModule & { port: number; servers: net.Server[]; sockets: Set<net.Socket> } {
  const sockets = new Set<net.Socket>();
  const module = {
    port: 0,
    servers: [] as net.Server[],
    sockets,
    createServer(onConnection: (socket: KvSocket) => void): KvNetServer {
      const server = net.createServer((s) => {
        sockets.add(s);
        const handlers: { [event: string]: ((data?: unknown) => void)[] } = {};
        const socket: KvSocket = {
          on(event, fn) {
            (handlers[event] = handlers[event] || []).push(fn);
            return socket;
          },
          write(data) {
            if (!s.destroyed) s.write(Buffer.from(data, "latin1"));
            return true;
          },
          end() {
            s.end();
            return undefined;
          },
        };
        s.on("data", (b) => {
          for (const fn of handlers.data || []) fn(b.toString("latin1"));
        });
        s.on("error", () => {});
        s.on("close", () => {
          sockets.delete(s);
          for (const fn of handlers.close || []) fn();
        });
        onConnection(socket);
      });
      module.servers.push(server);
      return {
        listen(port: number) {
          server.listen(port, "127.0.0.1", () => {
            module.port = (server.address() as net.AddressInfo).port;
          });
          return server;
        },
        close() {
          server.close();
          for (const s of sockets) s.destroy();
        },
      };
    },
  };
  return module;
}

export async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Encodes a command as RESP. */
export function resp(...args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from("*" + args.length + "\r\n")];
  for (const a of args) {
    const b = typeof a === "string" ? Buffer.from(a, "latin1") : a;
    parts.push(Buffer.from("$" + b.length + "\r\n"), b, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}

export type Reply = string | number | null | Buffer | Reply[] | { error: string };

/** Parses one RESP reply from buf at pos; returns [reply, next] or null if incomplete. */
export function parseReply(buf: Buffer, pos: number): [Reply, number] | null {
  const nl = buf.indexOf("\r\n", pos);
  if (nl < 0) return null;
  const type = String.fromCharCode(buf[pos]);
  const line = buf.toString("latin1", pos + 1, nl);
  const next = nl + 2;
  if (type === "+") return [line, next];
  if (type === "-") return [{ error: line }, next];
  if (type === ":") return [Number(line), next];
  if (type === "$") {
    const n = Number(line);
    if (n < 0) return [null, next];
    if (buf.length < next + n + 2) return null;
    return [buf.subarray(next, next + n).toString("latin1"), next + n + 2];
  }
  if (type === "*") {
    const n = Number(line);
    if (n < 0) return [null, next];
    const out: Reply[] = [];
    let p = next;
    for (let i = 0; i < n; i++) {
      const r = parseReply(buf, p);
      if (r === null) return null;
      out.push(r[0]);
      p = r[1];
    }
    return [out, p];
  }
  throw new Error("bad reply type " + JSON.stringify(type) + " in " + JSON.stringify(buf.toString("latin1", pos, pos + 40)));
}

/** A RESP client over TCP: send raw bytes, read whole replies, see the close. */
export class Client {
  socket: net.Socket;
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  closed = false;
  constructor(port: number) {
    this.socket = net.connect(port, "127.0.0.1");
    this.socket.on("data", (b: Buffer) => {
      this.buf = Buffer.concat([this.buf, b]);
    });
    this.socket.on("error", () => {});
    this.socket.on("close", () => {
      this.closed = true;
    });
  }
  async ready(): Promise<void> {
    if (this.socket.readyState === "open") return;
    await new Promise<void>((r, j) => {
      this.socket.once("connect", () => r());
      this.socket.once("error", j);
    });
  }
  send(data: string | Buffer): void {
    this.socket.write(typeof data === "string" ? Buffer.from(data, "latin1") : data);
  }
  async reply(ms = 5000): Promise<Reply> {
    const end = Date.now() + ms;
    for (;;) {
      const r = parseReply(this.buf, this.pos);
      if (r !== null) {
        this.pos = r[1];
        return r[0];
      }
      if (this.closed) throw new Error("closed before a reply; got " + JSON.stringify(this.buf.toString("latin1", this.pos)));
      if (Date.now() > end) throw new Error("no reply in " + ms + " ms; got " + JSON.stringify(this.buf.toString("latin1", this.pos)));
      await new Promise((r2) => setTimeout(r2, 2));
    }
  }
  async cmd(...args: string[]): Promise<Reply> {
    this.send(resp(...args));
    return this.reply();
  }
  async waitClosed(ms = 5000): Promise<void> {
    await waitFor(() => this.closed, ms);
  }
  close(): void {
    this.socket.destroy();
  }
}
