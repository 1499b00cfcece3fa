// What the build knows of a board (boards/*.json, validated by host/boards.ts): the numbers the
// fit check needs. Portable, so the plan model and the fit check stay free of Node.

/**
 * The Espruino release the board profiles model (the emulator reports it; the fit check counts
 * flashed code in the pretokenised form the espruino tool sends it).
 */
export const FIRMWARE_VERSION = "2v29";

export const BOARD_FEATURES = ["net", "storage", "graphics", "ble", "wifi", "usb"] as const;
export type BoardFeature = (typeof BOARD_FEATURES)[number];

export interface Board {
  name: string;
  chip: string;
  /** RAM of the chip; 0 for the LINUX build, whose RAM is the host's. */
  ramKB: number;
  jsVars: number;
  blockBytes: number;
  storageBytes: number;
  features: BoardFeature[];
  /** Default size of the one ArrayBuffer a firmware reserves at boot. */
  heapBudgetBytes: number;
}
