// Connections: records, receive and send buffers come from pools; bytes that arrive are copied
// into the receive buffer and parsed in place; replies gather in the send buffer and go out in
// one write per data event. Takes any `net` with Espruino's API, so the same code runs on a
// board, in the emulator and (through a small adapter) on Node.
//
// Engine allocations the socket API forces, and only those: the strings `data` delivers and the
// string handed to write(); per connection (at accept) the two handler closures.
import { C_FLAGS, C_RX, C_RXN, C_SLOT, C_TX, C_TXN, CONN_BYTES, FLAG_CLOSING, K_CONNS, K_REJECTED } from "./config.js";
import type { Kv } from "./kv.js";
import { A_ERROR, BAD, INCOMPLETE, parseRequest } from "./resp.js";
import { REPLIES, T_MAXCLIENTS, T_TOOLONG } from "./text.js";
import type { Allocator } from "../../../src/allocator.js";

export interface KvSocket {
  on(event: string, handler: (data?: unknown) => void): unknown;
  write(data: string): unknown;
  end(): unknown;
}

export interface KvNetServer {
  listen(port: number): unknown;
  close?: () => unknown;
}

export interface NetModule {
  createServer(onConnection: (socket: KvSocket) => void): KvNetServer;
}

/** A received chunk: a String of bytes 0-255 on the device, or a Uint8Array-like. */
type Chunk = string | { length: number; [index: number]: number };

export class KvServer {
  readonly kv: Kv;
  /** The pools of connection records, receive buffers and send buffers (regions conns, rx, tx). */
  readonly records: Allocator;
  readonly receiveBuffers: Allocator;
  readonly sendBuffers: Allocator;
  readonly rxBytes: number;
  readonly txBytes: number;
  /** Socket of each connection, by its record's C_SLOT; null when free. Made once at boot. */
  readonly sockets: (KvSocket | null)[];
  readonly u8: Uint8Array;
  readonly u32: Uint32Array;
  live: number;
  server: KvNetServer | null;
  /** parseRequest, held here so that it stays one function in the bundle (see receive). */
  readonly parse: typeof parseRequest;

  constructor(kv: Kv) {
    this.kv = kv;
    const a = kv.memory.allocators;
    this.records = a.conns;
    this.receiveBuffers = a.rx;
    this.sendBuffers = a.tx;
    this.rxBytes = kv.layout.rxBytes;
    this.txBytes = kv.layout.txBytes;
    this.u8 = kv.u8;
    this.u32 = kv.u32;
    this.sockets = [];
    for (let i = 0; i < kv.config.connectionsMax; i++) this.sockets.push(null);
    this.live = 0;
    this.server = null;
    // Called from one place only, a plain call would let the minifier paste the parser there as a
    // function expression, which a change of its heuristics could make anew on every request.
    this.parse = parseRequest;
    const self = this;
    kv.reply.send = function (c: number, p: number, n: number) {
      const socket = self.sockets[self.u32[(c + C_SLOT) >> 2]];
      if (socket !== null) socket.write(self.bytesToString(p, n));
    };
    kv.clients = function () {
      return self.live;
    };
  }

  /**
   * The heap bytes u8[p..p+n) as a String of chars 0-255, eight per fromCharCode call: the one
   * string a write needs. (A method: the minifier would make a function called from one place
   * anew at every call.)
   */
  bytesToString(p: number, n: number): string {
    const u8 = this.u8;
    let s = "";
    let i = 0;
    for (; i + 8 <= n; i += 8) {
      const q = p + i;
      s += String.fromCharCode(u8[q], u8[q + 1], u8[q + 2], u8[q + 3], u8[q + 4], u8[q + 5], u8[q + 6], u8[q + 7]);
    }
    for (; i < n; i++) s += String.fromCharCode(u8[p + i]);
    return s;
  }

  /** Listens on `port` with `net`; returns the server. */
  listen(net: NetModule, port: number): KvNetServer {
    const self = this;
    const server = net.createServer(function (socket: KvSocket) {
      self.accept(socket);
    });
    server.listen(port);
    this.server = server;
    this.kv.port = port;
    return server;
  }

  /** Takes a record and both buffers for a new client, or refuses it. Returns the record or 0. */
  accept(socket: KvSocket): number {
    let slot = -1;
    for (let i = 0; i < this.sockets.length; i++) {
      if (this.sockets[i] === null) {
        slot = i;
        break;
      }
    }
    const c = slot < 0 ? 0 : this.records.alloc(CONN_BYTES, 4);
    const rx = c === 0 ? 0 : this.receiveBuffers.alloc(this.rxBytes, 8);
    const tx = rx === 0 ? 0 : this.sendBuffers.alloc(this.txBytes, 8);
    if (tx === 0) {
      if (rx !== 0) this.receiveBuffers.free(rx, this.rxBytes);
      if (c !== 0) this.records.free(c, CONN_BYTES);
      // Counted in the state block (INFO stats).
      this.u32[(this.kv.state + K_REJECTED) >> 2]++;
      socket.on("data", function () {});
      socket.write(REPLIES[T_MAXCLIENTS]);
      socket.end();
      return 0;
    }
    const u32 = this.u32;
    u32[(c + C_RX) >> 2] = rx;
    u32[(c + C_RXN) >> 2] = 0;
    u32[(c + C_TX) >> 2] = tx;
    u32[(c + C_TXN) >> 2] = 0;
    u32[(c + C_SLOT) >> 2] = slot;
    u32[(c + C_FLAGS) >> 2] = 0;
    this.sockets[slot] = socket;
    this.live++;
    this.u32[(this.kv.state + K_CONNS) >> 2]++;
    const self = this;
    socket.on("data", function (data?: unknown) {
      self.receive(c, socket, data as Chunk);
    });
    socket.on("close", function () {
      self.release(c, socket);
    });
    return c;
  }

  /** Gives a closed connection's record and buffers back (once). */
  release(c: number, socket: KvSocket): void {
    const slot = this.u32[(c + C_SLOT) >> 2];
    if (this.sockets[slot] !== socket) return;
    this.sockets[slot] = null;
    this.live--;
    this.receiveBuffers.free(this.u32[(c + C_RX) >> 2], this.rxBytes);
    this.sendBuffers.free(this.u32[(c + C_TX) >> 2], this.txBytes);
    this.records.free(c, CONN_BYTES);
  }

  /** Sends what is pending and closes; the record is released on 'close'. */
  private close(c: number, socket: KvSocket): void {
    this.kv.reply.flush(c);
    this.u32[(c + C_FLAGS) >> 2] |= FLAG_CLOSING;
    socket.end();
  }

  /** A chunk arrived: copy it into the receive buffer piece by piece and run every complete request. */
  receive(c: number, socket: KvSocket, data: Chunk): void {
    const u8 = this.u8;
    const u32 = this.u32;
    const kv = this.kv;
    const args = kv.args;
    if (this.sockets[u32[(c + C_SLOT) >> 2]] !== socket || (u32[(c + C_FLAGS) >> 2] & FLAG_CLOSING) !== 0) return;
    const rx = u32[(c + C_RX) >> 2];
    const cap = this.rxBytes;
    const n = data.length;
    const isString = typeof data === "string";
    let i = 0;
    while (i < n) {
      let have = u32[(c + C_RXN) >> 2];
      let k = cap - have;
      if (k > n - i) k = n - i;
      const q = rx + have;
      if (isString) {
        const s = data as string;
        for (let j = 0; j < k; j++) u8[q + j] = s.charCodeAt(i + j) & 255;
      } else {
        const b = data as { [index: number]: number };
        for (let j = 0; j < k; j++) u8[q + j] = b[i + j] & 255;
      }
      i += k;
      have += k;
      const end = rx + have;
      let p = rx;
      for (;;) {
        const r = this.parse(u8, u32, args.table, args.max, p, end, cap);
        if (r === INCOMPLETE) break;
        if (r === BAD) {
          kv.reply.fixedError(c, u32[args.table + A_ERROR]);
          this.close(c, socket);
          return;
        }
        p += r;
        if (args.count() > 0) kv.exec(c);
        if ((u32[(c + C_FLAGS) >> 2] & FLAG_CLOSING) !== 0) {
          this.close(c, socket);
          return;
        }
      }
      // Keep the incomplete request's bytes at the front of the buffer.
      if (p > rx) {
        const left = end - p;
        for (let j = 0; j < left; j++) u8[rx + j] = u8[p + j];
        have = left;
      }
      if (have >= cap) {
        kv.reply.fixedError(c, T_TOOLONG);
        this.close(c, socket);
        return;
      }
      u32[(c + C_RXN) >> 2] = have;
    }
    kv.reply.flush(c);
  }

  /** Closes the listening socket (tests). */
  stop(): void {
    if (this.server !== null && typeof this.server.close === "function") this.server.close();
    this.server = null;
  }
}
