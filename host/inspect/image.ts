// Reading a heap image on the host: the text MEM.dump() prints, checked line by line, and a
// BootHeap rebuilt from its bytes so the same readers as on the board (src/inspect) apply.
import { BootHeap } from "../../src/heap/boot-heap.js";
import { H_REGION_COUNT_MAX, H_SIZE } from "../../src/heap/layout.js";
import { adler32, decodeBase64, DUMP_BEGIN, DUMP_END, hex32, imageProblem } from "../../src/inspect/index.js";

export interface DumpedImage {
  bytes: Uint8Array;
  adler32: number;
}

/** Finds the dump in `text` (anything else around it is ignored) and decodes it; throws why not. */
export function parseDump(text: string): DumpedImage {
  // Consoles add carriage returns and the prompt's ">" around printed lines.
  const lines = text.split("\n").map((line) => line.replace(/^[\s>]+|\s+$/g, ""));
  const begin = lines.findIndex((l) => l.startsWith(DUMP_BEGIN));
  if (begin < 0) throw new Error("no heap image in the output (expected a line starting with \"" + DUMP_BEGIN + "\")");
  const header = /sizeBytes=(\d+) adler32=([0-9a-f]{8})/.exec(lines[begin]);
  if (!header) throw new Error("malformed image header: " + lines[begin]);
  const sizeBytes = Number(header[1]);
  const checksum = parseInt(header[2], 16);
  const bytes = new Uint8Array(sizeBytes);
  let at = 0;
  let end = begin + 1;
  for (; end < lines.length && lines[end].trim() !== DUMP_END; end++) {
    const line = lines[end].trim();
    const n = decodeBase64(line, bytes, at);
    if (n < 0) throw new Error("image line " + (end - begin) + " is not base64: " + JSON.stringify(line.slice(0, 40)));
    at += n;
  }
  if (end === lines.length) throw new Error("the image ends early: no \"" + DUMP_END + "\" line (got " + at + " of " + sizeBytes + " bytes)");
  if (at !== sizeBytes) throw new Error("the image has " + at + " bytes, its header says " + sizeBytes);
  const actual = adler32(bytes, 0, bytes.length);
  if (actual !== checksum) throw new Error("image checksum mismatch: header " + hex32(checksum) + ", bytes " + hex32(actual));
  return { bytes, adler32: checksum };
}

/** A heap holding a copy of the image, after checking the image describes itself consistently. */
export function heapFromImage(image: DumpedImage): BootHeap {
  const view = new DataView(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength);
  const sizeBytes = view.getUint32(H_SIZE, true);
  const heap = new BootHeap(sizeBytes, view.getUint16(H_REGION_COUNT_MAX, true));
  heap.u8.set(image.bytes);
  const problem = imageProblem(heap, image.bytes, image.adler32);
  if (problem) throw new Error("not a usable heap image: " + problem);
  return heap;
}
