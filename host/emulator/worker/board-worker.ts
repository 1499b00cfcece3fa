// The board's thread: an EmulatedBoard fed by messages from the main thread (console bytes)
// and sending its console output back. Ctrl-C reaches a busy program through the shared flags.
import { parentPort, workerData } from "node:worker_threads";
import { EmulatedBoard } from "../board.js";
import type { Board } from "../../boards.js";
import type { ToBoard, FromBoard } from "./messages.js";

interface Init {
  board: Board;
  flashPath: string | null;
  flags: Int32Array;
}

const port = parentPort!;
const init = workerData.init as Init;
const send = (m: FromBoard): void => port.postMessage(m);

const board = new EmulatedBoard({
  board: init.board,
  flashPath: init.flashPath,
  flags: init.flags,
  output: (text) => send({ type: "output", text }),
});

// In this thread every promise belongs to the board: an unhandled rejection is the program's.
process.on("unhandledRejection", (reason) => board.reportUnhandledRejection(reason));

port.on("message", (m: ToBoard) => {
  if (m.type === "input") {
    try {
      board.input(m.bytes);
    } catch (e) {
      // A bug of the emulator, not of the program: say so and keep serving.
      send({ type: "output", text: `\r\nINTERNAL ERROR (bootheap emulator): ${(e as Error).stack ?? String(e)}\r\n>` });
    }
  }
  else if (m.type === "load-app") {
    // As if flashed: the app goes to .bootcde and runs from flash.
    let ok = true;
    try {
      board.loadFromStorage(m.code, ".bootcde");
    } catch (e) {
      ok = false;
      send({ type: "output", text: `\r\nERROR: cannot store the app in flash: ${(e as Error).message}\r\n>` });
    }
    send({ type: "app-loaded", ok });
  } else if (m.type === "ping") {
    send({ type: "pong" });
  } else if (m.type === "stop") {
    board.dispose();
    port.close();
  }
});

try {
  board.powerOn();
  send({ type: "ready" });
} catch (e) {
  send({ type: "fatal", message: (e as Error).message });
}
