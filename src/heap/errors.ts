// Errors are plain Error objects with a `code`: Espruino has no RangeError and cannot
// `extends Error`, and `e.name` is undefined there, so callers switch on `code`.

export type ErrorCode =
  | "InvalidArgument"
  | "InvalidFree"
  | "Sealed"
  | "OutOfMemory"
  | "Corrupt"
  | "Static"
  | "ViewLimit"
  | "DebugReport"
  | "Leak"
  | "SwallowedOutOfMemory"
  | "NondeterministicMemoryUsage";

export interface BootHeapError extends Error {
  code: ErrorCode;
}

export function fail(code: ErrorCode, message: string): never {
  const error = new Error(code + ": " + message) as BootHeapError;
  error.code = code;
  throw error;
}

/** Renders a bad argument so the message names it: strings quoted, NaN and Infinity spelled out. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return String(value);
  if (value === null) return "null";
  if (typeof value === "undefined") return "undefined";
  if (typeof value === "object") return "an object";
  return typeof value;
}
