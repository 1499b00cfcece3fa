// The heap drawn for a person on the host: the stats table, a coloured map for the terminal,
// and an SVG picture (regions, used and free blocks, fragmentation).
import type { BootHeap } from "../../src/heap/boot-heap.js";
import { heapReports, MAP_LEGEND, regionCells, statsTable } from "../../src/inspect/index.js";

const ANSI: Record<string, string> = { "#": "\x1b[41m", "+": "\x1b[43m", ".": "\x1b[42m", m: "\x1b[44m" };
const RESET = "\x1b[0m";

export const SVG_COLOURS: Record<string, string> = { "#": "#d64541", "+": "#f0a202", ".": "#7bc67b", m: "#4a6fa5" };
const SVG_LABELS: Record<string, string> = { "#": "used", "+": "partly used", ".": "free", m: "metadata" };

export function statsText(heap: BootHeap): string {
  return statsTable(heapReports(heap));
}

/** One line per region: the name, coloured cells (a space each), percent used. */
export function colourMap(heap: BootHeap, cellCount = 64): string {
  const lines = heap.regions().map((region) => {
    const map = regionCells(heap, region, cellCount);
    const cells = [...map.cells].map((c) => ANSI[c] + c + RESET).join("");
    const percent = map.report.capacityBytes === 0 ? 0 : Math.round((map.report.usedBytes * 100) / map.report.capacityBytes);
    return region.name.padEnd(10).slice(0, 10) + " " + cells + (percent + "%").padStart(5);
  });
  return lines.concat(MAP_LEGEND).join("\n");
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** An SVG picture of the heap: a row of cells per region, its numbers beside it, and a legend. */
export function heapSvg(heap: BootHeap, title: string, cellCount = 128): string {
  const cellPx = 6;
  const rowPx = 34;
  const labelPx = 110;
  const barPx = cellCount * cellPx;
  const width = labelPx + barPx + 330;
  const regions = heap.regions();
  const height = 70 + regions.length * rowPx + 40;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="13">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="24" font-size="16" font-weight="bold">${escape(title)}</text>`,
    `<text x="10" y="44" fill="#555">heap ${heap.sizeBytes} bytes, ${regions.length} regions${heap.sealed ? ", sealed" : ""}; one cell = a share of its region</text>`,
  ];
  regions.forEach((region, i) => {
    const map = regionCells(heap, region, cellCount);
    const y = 60 + i * rowPx;
    const r = map.report;
    parts.push(`<g class="region" data-name="${escape(region.name)}" data-kind="${r.kind}" data-used="${r.usedBytes}" data-capacity="${r.capacityBytes}">`);
    parts.push(`<text x="10" y="${y + 17}">${escape(region.name)}</text>`);
    parts.push(`<text x="10" y="${y + 30}" fill="#777" font-size="11">${r.kind}</text>`);
    [...map.cells].forEach((c, j) => {
      parts.push(`<rect x="${labelPx + j * cellPx}" y="${y + 4}" width="${cellPx - 1}" height="22" fill="${SVG_COLOURS[c]}"><title>${SVG_LABELS[c]}</title></rect>`);
    });
    const percent = r.capacityBytes === 0 ? 0 : Math.round((r.usedBytes * 100) / r.capacityBytes);
    parts.push(`<text x="${labelPx + barPx + 10}" y="${y + 17}">${r.usedBytes}/${r.capacityBytes} B (${percent}%)</text>`);
    parts.push(`<text x="${labelPx + barPx + 10}" y="${y + 30}" fill="#777" font-size="11">${r.allocationCount} allocs, largest free ${r.largestFreeBytes} B, frag ${Math.round(r.fragmentation * 100)}%</text>`);
    parts.push(`</g>`);
  });
  const legendY = 70 + regions.length * rowPx;
  Object.keys(SVG_LABELS).forEach((c, i) => {
    const x = 10 + i * 130;
    parts.push(`<rect x="${x}" y="${legendY}" width="14" height="14" fill="${SVG_COLOURS[c]}"/><text x="${x + 20}" y="${legendY + 12}">${SVG_LABELS[c]}</text>`);
  });
  parts.push(`</svg>`);
  return parts.join("\n") + "\n";
}
