// The board's console on a TCP port (like the Linux build's --telnet), loopback only, so
// `espruino -p tcp://127.0.0.1:PORT` can talk to it. Every client sees all output; input
// from any client goes to the board, as with several terminals on one serial line.
import net from "node:net";
import type { BoardHost } from "./board-host.js";

export interface TcpConsole {
  port: number;
  close(): Promise<void>;
}

export function serveTcpConsole(host: BoardHost, port: number): Promise<TcpConsole> {
  const clients = new Set<net.Socket>();
  const unsubscribe = host.onOutput((text) => {
    const bytes = Buffer.from(text, "latin1");
    for (const c of clients) c.write(bytes);
  });
  const server = net.createServer((socket) => {
    clients.add(socket);
    socket.on("data", (d) => host.write(d));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => clients.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const address = server.address() as net.AddressInfo;
      resolve({
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            unsubscribe();
            for (const c of clients) c.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
