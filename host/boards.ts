// Board profiles (boards/*.json): one schema, validated on load so that a typo in a board
// file fails loudly with the file and field named, instead of giving a wrong memory budget.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join, basename } from "node:path";
import { packagePath } from "./package-root.js";

import { BOARD_FEATURES, type Board, type BoardFeature } from "../plan/board.js";

export { BOARD_FEATURES, type Board, type BoardFeature };

export const BOARDS_DIR = packagePath("boards");

export class BoardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BoardError";
  }
}

function fail(file: string, field: string, why: string): never {
  throw new BoardError(`${file}: field "${field}" ${why}`);
}

function positiveInt(file: string, raw: Record<string, unknown>, field: string, allowZero = false): number {
  const v = raw[field];
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || (!allowZero && v === 0)) {
    fail(file, field, `must be a ${allowZero ? "non-negative" : "positive"} integer, got ${JSON.stringify(v)}`);
  }
  return v;
}

function nonEmptyString(file: string, raw: Record<string, unknown>, field: string): string {
  const v = raw[field];
  if (typeof v !== "string" || v.length === 0) fail(file, field, `must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

/** Checks one parsed board file; `file` is only used to name the culprit in errors. */
export function validateBoard(file: string, raw: unknown): Board {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new BoardError(`${file}: must hold a JSON object`);
  }
  const r = raw as Record<string, unknown>;
  const name = nonEmptyString(file, r, "name");
  if (!/^[A-Z0-9_]+$/.test(name)) fail(file, "name", `must be upper-case letters, digits and _, got ${JSON.stringify(name)}`);
  const chip = nonEmptyString(file, r, "chip");
  const ramKB = positiveInt(file, r, "ramKB", true);
  const jsVars = positiveInt(file, r, "jsVars");
  const blockBytes = positiveInt(file, r, "blockBytes");
  if (blockBytes < 8 || blockBytes > 32) fail(file, "blockBytes", `must be between 8 and 32, got ${blockBytes}`);
  const storageBytes = positiveInt(file, r, "storageBytes");
  const heapBudgetBytes = positiveInt(file, r, "heapBudgetBytes");
  if (heapBudgetBytes >= jsVars * blockBytes) {
    fail(file, "heapBudgetBytes", `(${heapBudgetBytes}) must be below the JsVar bytes (${jsVars * blockBytes})`);
  }
  const features = r.features;
  if (!Array.isArray(features)) fail(file, "features", "must be an array of strings");
  for (const f of features) {
    if (!(BOARD_FEATURES as readonly unknown[]).includes(f)) {
      fail(file, "features", `has unknown feature ${JSON.stringify(f)} (known: ${BOARD_FEATURES.join(", ")})`);
    }
  }
  const known = ["name", "chip", "ramKB", "jsVars", "blockBytes", "storageBytes", "features", "heapBudgetBytes"];
  for (const k of Object.keys(r)) if (!known.includes(k)) fail(file, k, "is not part of the board schema");
  return { name, chip, ramKB, jsVars, blockBytes, storageBytes, features: features as BoardFeature[], heapBudgetBytes };
}

export function loadBoardFile(path: string): Board {
  const file = basename(path);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new BoardError(`${file}: cannot read board file: ${(e as Error).message}`);
  }
  const board = validateBoard(file, raw);
  if (board.name !== basename(path, ".json")) fail(file, "name", `(${board.name}) must match the file name`);
  return board;
}

export function listBoardNames(dir = BOARDS_DIR): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => basename(f, ".json")).sort();
}

export function loadBoard(name: string, dir = BOARDS_DIR): Board {
  const path = join(dir, `${name}.json`);
  if (!/^[A-Za-z0-9_]+$/.test(name) || !existsSync(path)) {
    throw new BoardError(`unknown board ${JSON.stringify(name)}; known boards: ${listBoardNames(dir).join(", ")}`);
  }
  return loadBoardFile(path);
}

export function loadAllBoards(dir = BOARDS_DIR): Board[] {
  return listBoardNames(dir).map((n) => loadBoardFile(join(dir, `${n}.json`)));
}
