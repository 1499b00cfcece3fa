// require("net") of a board, backed by Node sockets that only ever touch 127.0.0.1: servers
// bind to the loopback address, clients may only connect to it. Socket events reach the
// program through `dispatch`, which the board runs as a task.
import net from "node:net";

export type NetDispatch = (kind: string, id: number, a?: unknown, b?: unknown) => void;

const LOOPBACK_NAMES = new Set(["127.0.0.1", "localhost"]);

export class NetBridge {
  private readonly sockets = new Map<number, net.Socket>();
  private readonly servers = new Map<number, net.Server>();
  private nextId = 1;
  private dispatch: NetDispatch | null = null;

  constructor(private readonly runTask: (fn: () => void) => void) {}

  setDispatcher(fn: NetDispatch): void {
    this.dispatch = fn;
  }

  createServer(): number {
    const id = this.nextId++;
    const server = net.createServer((socket) => {
      const socketId = this.adopt(socket);
      this.emit("accept", id, socketId);
    });
    server.on("error", (e: NodeJS.ErrnoException) => this.emit("error", id, e.code ?? "ERROR", e.message));
    this.servers.set(id, server);
    return id;
  }

  listen(id: number, port: number): void {
    const server = this.servers.get(id);
    if (!server) throw new Error(`net: no server ${id}`);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`net: bad port ${port}`);
    server.listen(port, "127.0.0.1");
  }

  connect(host: string, port: number): number {
    if (!LOOPBACK_NAMES.has(host)) throw new Error(`net: the emulator only connects to 127.0.0.1, not ${host}`);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`net: bad port ${port}`);
    const socket = net.connect(port, "127.0.0.1");
    const id = this.adopt(socket);
    socket.on("connect", () => this.emit("connect", id));
    return id;
  }

  write(id: number, data: string): void {
    this.sockets.get(id)?.write(Buffer.from(data, "latin1"));
  }

  end(id: number): void {
    this.sockets.get(id)?.end();
  }

  closeServer(id: number): void {
    this.servers.get(id)?.close();
    this.servers.delete(id);
  }

  closeAll(): void {
    for (const s of this.sockets.values()) s.destroy();
    for (const s of this.servers.values()) s.close();
    this.sockets.clear();
    this.servers.clear();
    this.dispatch = null;
  }

  private adopt(socket: net.Socket): number {
    const id = this.nextId++;
    this.sockets.set(id, socket);
    socket.on("data", (d) => this.emit("data", id, d.toString("latin1")));
    socket.on("error", (e: NodeJS.ErrnoException) => this.emit("error", id, e.code ?? "ERROR", e.message));
    socket.on("close", (hadError) => {
      if (this.sockets.delete(id)) this.emit("close", id, hadError);
    });
    return id;
  }

  private emit(kind: string, id: number, a?: unknown, b?: unknown): void {
    const dispatch = this.dispatch;
    if (dispatch) this.runTask(() => dispatch(kind, id, a, b));
  }
}
