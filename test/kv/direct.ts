// Drives a kv server with fake sockets, no TCP: fast enough for fuzzing and failure sweeps.
import { Kv } from "../../firmware/apps/kv/kv.js";
import { KvConfig, kvPlan } from "../../firmware/apps/kv/config.js";
import { KvServer, KvSocket } from "../../firmware/apps/kv/server.js";
import { HostMemory, makeMemory } from "./helpers.js";

export class FakeSocket implements KvSocket {
  out = "";
  ended = false;
  /** The connection record the server gave this socket (0: refused). */
  record = 0;
  handlers: { [event: string]: ((data?: unknown) => void)[] } = {};
  on(event: string, fn: (data?: unknown) => void): unknown {
    (this.handlers[event] = this.handlers[event] || []).push(fn);
    return this;
  }
  write(data: string): unknown {
    this.out += data;
    return true;
  }
  end(): unknown {
    if (!this.ended) {
      this.ended = true;
      for (const fn of this.handlers.close || []) fn();
    }
    return undefined;
  }
  feed(data: string | Uint8Array): void {
    for (const fn of this.handlers.data || []) fn(data);
  }
  /** Takes what was written since the last call. */
  take(): string {
    const s = this.out;
    this.out = "";
    return s;
  }
}

export interface Direct {
  memory: HostMemory;
  kv: Kv;
  server: KvServer;
  connect(): FakeSocket;
}

export function direct(config: KvConfig, image?: Uint8Array | null, memory?: HostMemory): Direct {
  const m = memory || makeMemory(kvPlan(config), image);
  const kv = new Kv(m, config, !!image);
  kv.onInternalError = (e) => {
    throw e;
  };
  const server = new KvServer(kv);
  return {
    memory: m,
    kv,
    server,
    connect() {
      const s = new FakeSocket();
      s.record = server.accept(s);
      return s;
    },
  };
}

export function cmd(...args: string[]): string {
  let s = "*" + args.length + "\r\n";
  for (const a of args) s += "$" + a.length + "\r\n" + a + "\r\n";
  return s;
}
