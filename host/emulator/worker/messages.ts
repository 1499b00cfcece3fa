// Messages between the main thread (console transports, the library) and the board's thread.

/** What the main thread asks of the board, answered by one "reply" with the same id. */
export type BoardRequest =
  | { op: "eval"; code: string }
  | { op: "power-cycle" }
  | { op: "storage-read"; name: string }
  | { op: "storage-list" };

export type ToBoard =
  | { type: "input"; bytes: Uint8Array }
  | { type: "request"; id: number; request: BoardRequest }
  | { type: "ping" }
  | { type: "stop" };

export type FromBoard =
  /** Booted; `appError` says why the app given at start could not be flashed (the board then boots without it). */
  | { type: "ready"; appError: string | null }
  | { type: "output"; text: string }
  | { type: "reply"; id: number; ok: true; value: unknown }
  | { type: "reply"; id: number; ok: false; message: string; errorType: string }
  | { type: "pong" }
  | { type: "fatal"; message: string };
