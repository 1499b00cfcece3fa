// The main-thread side of an emulated board: starts the board's worker thread, forwards
// console bytes to it and its output to listeners, and carries requests (eval, power cycle,
// Storage reads) to it. A Ctrl-C byte also raises the shared interrupt flag at once, which is
// how it stops a program that never yields.
import { Worker } from "node:worker_threads";
import type { Board } from "../boards.js";
import type { ToBoard, FromBoard, BoardRequest } from "./worker/messages.js";

export interface BoardHostOptions {
  board: Board;
  flashPath: string | null;
  /** Code flashed as the board's program (.bootcde) before power-on, replacing the stored one. */
  app?: string | null;
}

export interface BootReport {
  /** Why the app could not be flashed (the board booted without it), or null. */
  appError: string | null;
}

/** A request the board answered with an error: its message and type as the board gave them. */
export class BoardRequestError extends Error {
  constructor(message: string, readonly errorType: string) {
    super(message);
  }
}

export interface WorkerEntry {
  /** The script the Worker starts. */
  script: URL;
  /** For the tsx loader (boot.mjs): the module it imports once TypeScript can be loaded. */
  entry?: string;
}

/**
 * Where the board's thread starts. From source (this module is a .ts file, run by tsx or
 * vitest) the worker needs tsx to load TypeScript: worker/boot.mjs registers it and imports
 * worker/board-worker.ts. From the package's compiled copy (dist/tool/host/emulator), the
 * compiled worker is worker/board-worker.js.
 */
export function boardWorkerEntry(moduleUrl: string = import.meta.url): WorkerEntry {
  if (new URL(moduleUrl).pathname.endsWith(".ts")) {
    return { script: new URL("./worker/boot.mjs", moduleUrl), entry: new URL("./worker/board-worker.ts", moduleUrl).href };
  }
  return { script: new URL("./worker/board-worker.js", moduleUrl) };
}

export class BoardHost {
  private readonly worker: Worker;
  private readonly flags = new Int32Array(new SharedArrayBuffer(4));
  private readonly listeners = new Set<(text: string) => void>();
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(e: Error): void }>();
  private nextRequestId = 1;
  private pongs: Array<() => void> = [];
  readonly ready: Promise<BootReport>;
  private exited = false;

  constructor(options: BoardHostOptions) {
    const where = boardWorkerEntry();
    this.worker = new Worker(where.script, {
      workerData: {
        entry: where.entry,
        init: { board: options.board, flashPath: options.flashPath, flags: this.flags, app: options.app ?? null },
      },
    });
    this.ready = new Promise((resolve, reject) => {
      this.worker.on("message", (m: FromBoard) => {
        if (m.type === "ready") resolve({ appError: m.appError });
        else if (m.type === "fatal") reject(new Error(`${options.board.name}: ${m.message}`));
        else if (m.type === "output") for (const l of this.listeners) l(m.text);
        else if (m.type === "reply") this.settle(m);
        else if (m.type === "pong") this.pongs.shift()?.();
      });
      this.worker.on("error", reject);
      this.worker.on("exit", () => {
        this.exited = true;
        const gone = new Error(`${options.board.name}: the board's thread exited`);
        for (const w of this.waiting.values()) w.reject(gone);
        this.waiting.clear();
        for (const p of this.pongs.splice(0)) p();
        reject(gone);
      });
    });
    // Before boot a caller awaits `ready`; a rejection after that (the thread stopped) is no news.
    this.ready.catch(() => {});
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

  /** Asks the board's thread; rejects with a BoardRequestError when the board reports one. */
  request(request: BoardRequest): Promise<unknown> {
    if (this.exited) return Promise.reject(new Error("the board is closed"));
    const id = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.post({ type: "request", id, request });
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

  private settle(m: Extract<FromBoard, { type: "reply" }>): void {
    const w = this.waiting.get(m.id);
    if (!w) return;
    this.waiting.delete(m.id);
    if (m.ok) w.resolve(m.value);
    else w.reject(new BoardRequestError(m.message, m.errorType));
  }

  private post(m: ToBoard): void {
    if (!this.exited) this.worker.postMessage(m);
  }
}
