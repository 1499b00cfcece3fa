export { adler32 } from "./checksum.js";
export { decodeBase64, encodeBase64 } from "./base64.js";
export { dumpImage, imageProblem, hex32, DUMP_BEGIN, DUMP_END, DUMP_LINE_BYTES } from "./image.js";
export { heapReports, regionReport, SPAN_METADATA, SPAN_USED } from "./regions.js";
export type { RegionReport, SpanSink } from "./regions.js";
export { heapMap, regionCells, statsTable, MAP_CELLS, MAP_LEGEND } from "./heap-map.js";
export type { RegionCells } from "./heap-map.js";
