// require("Storage") of one board, kept in a file on the host so it survives a restart.
// Semantics as on the device: names of at most 28 characters; a file is created with its full
// size up front (write(name, data, offset, size)); bytes not written yet read as 0xFF; bytes
// already written cannot be written again (flash can only be erased as a whole); erasing a
// file does not give its space back until compact() (the flash is a log).
import { readFileSync, writeFileSync, renameSync, mkdirSync, existsSync } from "node:fs";
import { dirname } from "node:path";

export const STORAGE_NAME_MAX_CHARS = 28;
/** Per-file header on the device (size, replacement, 28-byte name). */
const FILE_HEADER_BYTES = 32;
const FILE_FORMAT = "bootheap-flash-1";

interface StoredFile {
  data: Uint8Array;
  /** 1 where data has been written since the file was created. */
  written: Uint8Array;
}

interface FlashImage {
  format: string;
  board: string;
  /** Bytes of erased files not reclaimed yet (compact() reclaims them). */
  garbageBytes: number;
  garbageCount: number;
  files: Array<{ name: string; data: string; written: string }>;
}

export class StorageError extends Error {}

function footprintBytes(size: number): number {
  return FILE_HEADER_BYTES + ((size + 3) & ~3);
}

export class FlashStore {
  private files = new Map<string, StoredFile>();
  private garbageBytes = 0;
  private garbageCount = 0;

  /** `path` null keeps the flash in memory only (tests that need no persistence). */
  constructor(readonly boardName: string, readonly capacityBytes: number, readonly path: string | null) {
    if (path && existsSync(path)) this.loadFrom(path);
  }

  list(): string[] {
    return [...this.files.keys()];
  }

  usedBytes(): number {
    let n = this.garbageBytes;
    for (const f of this.files.values()) n += footprintBytes(f.data.length);
    return n;
  }

  freeBytes(): number {
    return this.capacityBytes - this.usedBytes();
  }

  /** Storage.getStats() as the device reports it (trash: erased files not compacted yet). */
  stats(): { fileBytes: number; fileCount: number; trashBytes: number; trashCount: number; totalBytes: number; freeBytes: number } {
    let fileBytes = 0;
    for (const f of this.files.values()) fileBytes += footprintBytes(f.data.length);
    return {
      fileBytes,
      fileCount: this.files.size,
      trashBytes: this.garbageBytes,
      trashCount: this.garbageCount,
      totalBytes: this.capacityBytes,
      freeBytes: this.freeBytes(),
    };
  }

  /** Device semantics of Storage.write; `bytes` holds one byte per char (latin1). */
  write(name: string, bytes: string, offset: number, sizeBytes: number): boolean {
    this.checkName(name);
    if (!Number.isInteger(offset) || offset < 0) throw new StorageError(`Storage.write: bad offset ${offset}`);
    let file = this.files.get(name);
    if (offset === 0 || !file) {
      // offset 0 (re)creates the file; a later offset needs the file to exist already.
      if (offset > 0 && !file) throw new StorageError(`Storage.write: file ${JSON.stringify(name)} does not exist, cannot write at offset ${offset}`);
      const size = Math.max(sizeBytes || 0, bytes.length);
      this.remove(name);
      this.ensureRoom(footprintBytes(size));
      file = { data: new Uint8Array(size).fill(0xff), written: new Uint8Array(size) };
      this.files.set(name, file);
    }
    if (offset + bytes.length > file.data.length) {
      throw new StorageError(`Storage.write: too much data (${offset + bytes.length} bytes) for file ${JSON.stringify(name)} of ${file.data.length} bytes`);
    }
    for (let i = 0; i < bytes.length; i++) {
      if (file.written[offset + i]) {
        throw new StorageError(`Storage.write: byte ${offset + i} of ${JSON.stringify(name)} is already written; flash cannot be rewritten in place (erase the file first)`);
      }
    }
    for (let i = 0; i < bytes.length; i++) {
      file.data[offset + i] = bytes.charCodeAt(i) & 0xff;
      file.written[offset + i] = 1;
    }
    this.persist();
    return true;
  }

  /** The file's bytes as a latin1 string, or undefined when it does not exist. */
  read(name: string, offset = 0, length = 0): string | undefined {
    const file = this.files.get(name);
    if (!file) return undefined;
    const end = length > 0 ? Math.min(file.data.length, offset + length) : file.data.length;
    return Buffer.from(file.data.subarray(offset, end)).toString("latin1");
  }

  erase(name: string): void {
    if (this.remove(name)) this.persist();
  }

  eraseAll(): void {
    this.files.clear();
    this.garbageBytes = 0;
    this.garbageCount = 0;
    this.persist();
  }

  compact(): void {
    this.garbageBytes = 0;
    this.garbageCount = 0;
    this.persist();
  }

  private remove(name: string): boolean {
    const file = this.files.get(name);
    if (!file) return false;
    this.garbageBytes += footprintBytes(file.data.length);
    this.garbageCount++;
    this.files.delete(name);
    return true;
  }

  private ensureRoom(bytes: number): void {
    // The device compacts automatically when a write would not fit otherwise.
    if (this.freeBytes() < bytes && this.garbageBytes > 0) {
      this.garbageBytes = 0;
      this.garbageCount = 0;
    }
    if (this.freeBytes() < bytes) {
      throw new StorageError(`Storage: not enough free space (${this.freeBytes()} bytes free, ${bytes} needed)`);
    }
  }

  private checkName(name: string): void {
    if (name.length === 0) throw new StorageError("Storage: file name must not be empty");
    if (name.length > STORAGE_NAME_MAX_CHARS) {
      throw new StorageError(`Storage: file name too long (max ${STORAGE_NAME_MAX_CHARS} chars): ${JSON.stringify(name)}`);
    }
  }

  private persist(): void {
    if (!this.path) return;
    const image: FlashImage = {
      format: FILE_FORMAT,
      board: this.boardName,
      garbageBytes: this.garbageBytes,
      garbageCount: this.garbageCount,
      files: [...this.files].map(([name, f]) => ({
        name,
        data: Buffer.from(f.data).toString("base64"),
        written: Buffer.from(f.written).toString("base64"),
      })),
    };
    mkdirSync(dirname(this.path), { recursive: true });
    // Write then rename, so a crash mid-write never leaves half a flash image.
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(image));
    renameSync(tmp, this.path);
  }

  private loadFrom(path: string): void {
    let image: FlashImage;
    try {
      image = JSON.parse(readFileSync(path, "utf8")) as FlashImage;
    } catch (e) {
      throw new StorageError(`flash file ${path} is unreadable (${(e as Error).message}); delete it to start with an empty flash`);
    }
    if (image.format !== FILE_FORMAT || !Array.isArray(image.files)) {
      throw new StorageError(`flash file ${path} is not a ${FILE_FORMAT} image; delete it to start with an empty flash`);
    }
    this.garbageBytes = image.garbageBytes | 0;
    this.garbageCount = image.garbageCount | 0;
    for (const f of image.files) {
      this.files.set(f.name, {
        data: new Uint8Array(Buffer.from(f.data, "base64")),
        written: new Uint8Array(Buffer.from(f.written, "base64")),
      });
    }
  }
}
