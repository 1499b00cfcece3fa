import type { BootHeap, RegionInfo } from "../heap/boot-heap.js";
import { regionReport, SPAN_METADATA } from "./regions.js";
import type { RegionReport } from "./regions.js";

/** Cells per region line: with a 10-column name and a 5-column percentage it fits 80 columns. */
export const MAP_CELLS = 64;

export const CELL_USED = "#";
export const CELL_PARTLY_USED = "+";
export const CELL_FREE = ".";
export const CELL_METADATA = "m";
export const MAP_LEGEND = "# used  + partly used  . free  m metadata";

export interface RegionCells {
  report: RegionReport;
  /** Bytes each cell stands for. */
  cellBytes: number;
  /** One character per cell, from the CELL_ set. */
  cells: string;
}

/** Classifies a region's bytes into at most `cellCount` cells. */
export function regionCells(heap: BootHeap, region: RegionInfo, cellCount: number): RegionCells {
  const cellBytes = Math.ceil(region.sizeBytes / cellCount);
  const count = Math.ceil(region.sizeBytes / cellBytes);
  const used: number[] = [];
  const meta: number[] = [];
  for (let i = 0; i < count; i++) {
    used.push(0);
    meta.push(0);
  }
  const report = regionReport(heap, region, function (start: number, len: number, spanClass: number, weight: number) {
    const into = spanClass === SPAN_METADATA ? meta : used;
    let at = start - region.offset;
    const end = at + len;
    while (at < end) {
      const cell = Math.floor(at / cellBytes);
      const cellEnd = (cell + 1) * cellBytes < end ? (cell + 1) * cellBytes : end;
      if (cell >= 0 && cell < count) into[cell] += (cellEnd - at) * weight;
      at = cellEnd;
    }
  });
  let cells = "";
  for (let i = 0; i < count; i++) {
    const bytes = i === count - 1 ? region.sizeBytes - i * cellBytes : cellBytes;
    if (meta[i] * 2 >= bytes) cells += CELL_METADATA;
    else if (used[i] + meta[i] >= bytes) cells += CELL_USED;
    else if (used[i] > 0) cells += CELL_PARTLY_USED;
    else cells += CELL_FREE;
  }
  return { report: report, cellBytes: cellBytes, cells: cells };
}

function pad(text: string, width: number): string {
  while (text.length < width) text += " ";
  return text.length > width ? text.substring(0, width) : text;
}

function padLeft(text: string, width: number): string {
  while (text.length < width) text = " " + text;
  return text;
}

/** The heap drawn in text: a line per region (name, cells, percent used), then a legend. */
export function heapMap(heap: BootHeap): string {
  const regions = heap.regions();
  const lines: string[] = ["heap " + heap.sizeBytes + " bytes, " + regions.length + " regions" + (heap.sealed ? ", sealed" : "")];
  for (let i = 0; i < regions.length; i++) {
    const map = regionCells(heap, regions[i], MAP_CELLS);
    const percent = map.report.capacityBytes === 0 ? 0 : Math.round((map.report.usedBytes * 100) / map.report.capacityBytes);
    lines.push(pad(regions[i].name, 10) + " " + map.cells + padLeft(percent + "%", 5));
  }
  lines.push(MAP_LEGEND);
  return lines.join("\n");
}

/** A table per region: kind, capacity, used, peak, allocations, largest free, fragmentation. */
export function statsTable(reports: RegionReport[]): string {
  const widths = [11, 6, 9, 9, 9, 7, 9, 6];
  const rows = [["region", "kind", "capacity", "used", "peak", "allocs", "largest", "frag"]];
  for (let i = 0; i < reports.length; i++) {
    const r = reports[i];
    rows.push([r.name, r.kind, String(r.capacityBytes), String(r.usedBytes), String(r.peakBytes), String(r.allocationCount), String(r.largestFreeBytes), Math.round(r.fragmentation * 100) + "%"]);
  }
  const lines: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    let line = pad(rows[i][0], widths[0]) + pad(rows[i][1], widths[1]);
    for (let c = 2; c < widths.length; c++) line += padLeft(rows[i][c], widths[c]);
    lines.push(line);
  }
  return lines.join("\n");
}
