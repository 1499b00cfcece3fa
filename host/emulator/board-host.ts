// The main-thread side of an emulated board: starts the board's worker thread, forwards
// console bytes to it and its output to listeners. A Ctrl-C byte also raises the shared
// interrupt flag at once, which is how it stops a program that never yields.
import { Worker } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import type { Board } from "../boards.js";
import type { ToBoard, FromBoard } from "./worker/messages.js";

export interface BoardHostOptions {
  board: Board;
  flashPath: string | null;
}

export class BoardHost {
  private readonly worker: Worker;
  private readonly flags = new Int32Array(new SharedArrayBuffer(4));
  private readonly listeners = new Set<(text: string) => void>();
  private appLoaded: ((ok: boolean) => void) | null = null;
  private pongs: Array<() => void> = [];
  readonly ready: Promise<void>;
  private exited = false;

  constructor(options: BoardHostOptions) {
    this.worker = new Worker(fileURLToPath(new URL("./worker/boot.mjs", import.meta.url)), {
      workerData: {
        entry: new URL("./worker/board-worker.ts", import.meta.url).href,
        init: { board: options.board, flashPath: options.flashPath, flags: this.flags },
      },
    });
    this.ready = new Promise((resolve, reject) => {
      this.worker.on("message", (m: FromBoard) => {
        if (m.type === "ready") resolve();
        else if (m.type === "fatal") reject(new Error(`${options.board.name}: ${m.message}`));
        else if (m.type === "output") for (const l of this.listeners) l(m.text);
        else if (m.type === "app-loaded") this.appLoaded?.(m.ok);
        else if (m.type === "pong") this.pongs.shift()?.();
      });
      this.worker.on("error", reject);
      this.worker.on("exit", () => {
        this.exited = true;
        reject(new Error(`${options.board.name}: the board's thread exited`));
      });
    });
  }

  onOutput(listener: (text: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  write(bytes: Uint8Array | string): void {
    const data = typeof bytes === "string" ? Buffer.from(bytes, "latin1") : bytes;
    if (data.includes(3)) Atomics.store(this.flags, 0, 1);
    this.post({ type: "input", bytes: new Uint8Array(data) });
  }

  /** Stores an app in the board's .bootcde and loads it, as if flashed; false if that failed. */
  loadApp(code: string): Promise<boolean> {
    return new Promise((resolve) => {
      this.appLoaded = resolve;
      this.post({ type: "load-app", code });
    });
  }

  /** Resolves once the board has handled all input sent so far and its output has arrived. */
  flush(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.pongs.push(resolve);
      this.post({ type: "ping" });
    });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    // A spinning program never reads the stop message: terminate the thread anyway.
    Atomics.store(this.flags, 0, 1);
    this.post({ type: "stop" });
    await this.worker.terminate();
  }

  private post(m: ToBoard): void {
    if (!this.exited) this.worker.postMessage(m);
  }
}
