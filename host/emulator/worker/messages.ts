// Messages between the main thread (console transports) and the board's thread.

export type ToBoard =
  | { type: "input"; bytes: Uint8Array }
  | { type: "load-app"; code: string }
  | { type: "ping" }
  | { type: "stop" };

export type FromBoard =
  | { type: "ready" }
  | { type: "output"; text: string }
  | { type: "app-loaded"; ok: boolean }
  | { type: "pong" }
  | { type: "fatal"; message: string };
