// The wrappers, engine-neutral: each bug a wrapper exists to catch is committed here and its
// report asserted, on every allocator in subjectFactories (fixed buffer, arena, pool, stack,
// TLSF, and whatever is added there later). Runs in vitest and in the self-test bundle.
import type { Allocator } from "../../src/allocator.js";
import { BootHeap } from "../../src/heap/boot-heap.js";
import { ArenaAllocator } from "../../src/allocators/arena.js";
import { FixedBufferAllocator } from "../../src/allocators/fixed-buffer.js";
import { MemoryPool } from "../../src/allocators/pool.js";
import { TlsfAllocator } from "../../src/allocators/tlsf.js";
import { struct } from "../../src/layout/struct.js";
import { DEBUG } from "../../src/build-mode.js";
import { CANARY_BYTE, DebugAllocator, DebugAllocatorOptions, DebugReport, POISON_BYTE } from "../../src/wrappers/debug.js";
import { CountingAllocator } from "../../src/wrappers/counting.js";
import { FailingAllocator } from "../../src/wrappers/failing.js";
import { checkAllAllocationFailures } from "../../src/wrappers/check-all-failures.js";
import { StaticAllocator } from "../../src/wrappers/static.js";
import { FallbackAllocator } from "../../src/wrappers/fallback.js";
import { PressureAllocator } from "../../src/wrappers/pressure.js";
import { debugAllocatorOf, instrument } from "../../src/wrappers/instrument.js";
import { assertNoLeaks } from "../../src/wrappers/leaks.js";
import { H_REPORTS } from "../../src/wrappers/debug-layout.js";
import { Case, check, checkEqual, checkPattern, checkThrows, checkUnchanged, fillPattern, fingerprint } from "./harness.js";
import { Subject, SubjectFactory, subjectFactories } from "./subjects.js";

interface Debugged {
  subject: Subject;
  debug: DebugAllocator;
  reports: DebugReport[];
}

/** A DebugAllocator over the subject, collecting its reports. LIFO-only children get no quarantine (see DebugAllocatorOptions). */
function debugged(subject: Subject, records: number, extra?: { quarantineBytes?: number; memoryLimitBytes?: number; captureStack?: boolean; onReport?: "throw" }): Debugged {
  const reports: DebugReport[] = [];
  const options: DebugAllocatorOptions = {
    region: subject.heap.carve(DebugAllocator.regionBytes(records), 8, "debug"),
    onReport: function (r: DebugReport) { reports.push(r); },
  };
  if (extra !== undefined) {
    if (extra.quarantineBytes !== undefined) options.quarantineBytes = extra.quarantineBytes;
    if (extra.memoryLimitBytes !== undefined) options.memoryLimitBytes = extra.memoryLimitBytes;
    if (extra.captureStack !== undefined) options.captureStack = extra.captureStack;
    if (extra.onReport !== undefined) options.onReport = extra.onReport;
  }
  return { subject: subject, debug: new DebugAllocator(subject.allocator, options), reports: reports };
}

function codes(reports: DebugReport[]): string {
  const out: string[] = [];
  for (let i = 0; i < reports.length; i++) out.push(reports[i].code);
  return out.join(",");
}

function checkReport(reports: DebugReport[], code: string, what: string): DebugReport {
  checkEqual(codes(reports), code, what + ": the reports");
  const r = reports[0];
  check(typeof r.message === "string" && r.message.indexOf(code) >= 0, what + ": the message names " + code + ": " + r.message);
  return r;
}

function childCount(subject: Subject): number {
  return subject.allocator.stats().allocationCount;
}

function debugCases(factory: SubjectFactory): Case[] {
  const cases: Case[] = [];
  const prefix = "DebugAllocator(" + factory.name + "): ";
  function add(title: string, run: (d: Debugged) => void, records?: number, extra?: { quarantineBytes?: number; memoryLimitBytes?: number; captureStack?: boolean; onReport?: "throw" }): void {
    cases.push({
      name: prefix + title,
      run: function () {
        const d = debugged(factory.make(), records === undefined ? 16 : records, extra);
        run(d);
        d.subject.check();
      },
    });
  }
  const anyOrder = factory.make().traits.frees !== "lifo";

  add("a clean run ends \"ok\" and gives the child back every block", function (d) {
    const before = childCount(d.subject);
    const a = d.debug.alloc(16);
    const b = d.debug.alloc(24, 4, 3);
    const c = d.debug.alloc(8, 1);
    check(a !== 0 && b !== 0 && c !== 0, "three allocations");
    checkEqual(a % 8, 0, "default alignment");
    checkEqual(b % 4, 0, "alignment 4");
    checkEqual(d.debug.liveCount(), 3, "live count");
    checkEqual(d.debug.liveBytes(), 48, "live bytes");
    d.debug.free(c, 8);
    d.debug.free(b, 24);
    d.debug.free(a, 16);
    checkEqual(d.debug.check(), 0, "check() finds nothing");
    checkEqual(d.debug.deinit(), "ok", "deinit");
    checkEqual(d.reports.length, 0, "no reports");
    // A bump child ("last" frees) reclaims only what is newest in its current chunk.
    if (d.subject.traits.frees !== "last") checkEqual(childCount(d.subject), before, "the child's allocation count after deinit");
    checkEqual(assertNoLeaks(d.debug), "ok", "assertNoLeaks");
  });

  add("double free: reported with the allocation's and the first free's record; the child is not freed twice", function (d) {
    const keep = d.debug.alloc(8);
    const a = d.debug.alloc(16, 8, 7);
    d.debug.free(a, 16);
    const image = fingerprint(d.subject.heap);
    const childBefore = d.subject.allocator.stats().usedBytes;
    d.debug.free(a, 16);
    const r = checkReport(d.reports, "DoubleFree", "second free");
    check(r.allocation !== undefined, "the allocation's record");
    const rec = r.allocation as { ptr: number; len: number; tag: number; seq: number; align: number };
    checkEqual(rec.ptr, a, "allocation ptr");
    checkEqual(rec.len, 16, "allocation len");
    checkEqual(rec.tag, 7, "allocation tag");
    checkEqual(rec.align, 8, "allocation align");
    check(r.firstFree !== undefined && r.firstFree.seq > rec.seq, "the first free's record comes after the allocation");
    checkEqual(r.call.op, "free", "the call");
    checkEqual(r.call.ptr, a, "the call's ptr");
    check(r.call.seq > (r.firstFree as { seq: number }).seq, "the second free comes after the first");
    checkEqual(d.subject.allocator.stats().usedBytes, childBefore, "the child's used bytes");
    // Only the report counter in the debug header may have changed: put it back and compare.
    const reports = (d.debug.region.offset >> 2) + H_REPORTS;
    d.subject.heap.u32[reports]--;
    checkUnchanged(d.subject.heap, image, "the double free (but for the report counter)");
    d.subject.heap.u32[reports]++;
    d.debug.free(keep, 8);
    checkEqual(d.debug.deinit(), "ok", "deinit");
  });

  add("free of a pointer it never returned: InvalidFree, nothing freed", function (d) {
    const a = d.debug.alloc(24);
    d.debug.free(a + 8, 8);
    const r = checkReport(d.reports, "InvalidFree", "free(a + 8)");
    checkEqual(r.allocation, undefined, "no allocation record");
    checkEqual(r.call.ptr, a + 8, "the call's ptr");
    checkEqual(d.debug.liveCount(), 1, "a is still live");
    d.debug.free(a, 24);
    checkEqual(d.debug.deinit(), "ok", "deinit");
  });

  add("free with the wrong length: WrongLength with both lengths, the allocation stays live", function (d) {
    const a = d.debug.alloc(24);
    d.debug.free(a, 16);
    const r = checkReport(d.reports, "WrongLength", "free(a, 16)");
    checkEqual((r.allocation as { len: number }).len, 24, "the allocation's length");
    checkEqual(r.call.len, 16, "the free's length");
    checkEqual(d.debug.liveCount(), 1, "still live");
    check(!d.debug.resize(a, 20, 8), "resize with the wrong length fails");
    checkEqual(codes(d.reports), "WrongLength,WrongLength", "resize reports it too");
    d.debug.free(a, 24);
    checkEqual(d.debug.deinit(), "ok", "deinit");
  });

  add("a write one byte past the end is caught by free and by check()", function (d) {
    const a = d.debug.alloc(13, 1);
    const b = d.debug.alloc(16);
    d.subject.heap.u8[b + 16] = 0;
    checkEqual(d.debug.check(), 1, "check() reports one bug");
    let r = checkReport(d.reports, "BufferOverflow", "check()");
    checkEqual(r.offset, 16, "the damaged byte");
    checkEqual((r.allocation as { ptr: number }).ptr, b, "the allocation");
    d.subject.heap.u8[b + 16] = CANARY_BYTE;
    d.debug.free(b, 16);
    d.reports.splice(0, d.reports.length);
    d.subject.heap.u8[a + 13] = 42;
    d.debug.free(a, 13);
    r = checkReport(d.reports, "BufferOverflow", "free(a)");
    checkEqual(r.offset, 13, "one past the end");
    checkEqual(r.call.op, "free", "found by free");
    checkEqual(d.debug.deinit(), "ok", "deinit (the block was still freed)");
  });

  add("a write one byte before the start: BufferUnderflow", function (d) {
    const a = d.debug.alloc(16);
    d.subject.heap.u8[a - 1] = 1;
    d.debug.free(a, 16);
    const r = checkReport(d.reports, "BufferUnderflow", "free(a)");
    checkEqual(r.offset, -1, "the byte before");
    checkEqual(d.debug.deinit(), "ok", "deinit");
  });

  add("fresh memory reads 0xAA, grown memory too, and resize moves the back canary", function (d) {
    const a = d.debug.alloc(16);
    for (let i = 0; i < 16; i++) checkEqual(d.subject.heap.u8[a + i], POISON_BYTE, "fresh byte " + i);
    if (d.debug.resize(a, 16, 24)) {
      for (let i = 16; i < 24; i++) checkEqual(d.subject.heap.u8[a + i], POISON_BYTE, "grown byte " + i);
      d.subject.heap.u8[a + 23] = 5;
      checkEqual(d.debug.check(), 0, "writing the last byte is fine");
      d.subject.heap.u8[a + 24] = 5;
      checkEqual(d.debug.check(), 1, "one past the new end is caught");
      checkEqual(d.reports[0].offset, 24, "offset");
      d.subject.heap.u8[a + 24] = CANARY_BYTE;
      d.debug.free(a, 24);
    } else {
      d.debug.free(a, 16);
    }
    checkEqual(d.debug.deinit(), "ok", "deinit");
  });

  add("remap keeps the data and the records straight", function (d) {
    const a = d.debug.alloc(16);
    fillPattern(d.subject.heap, a, 16, 3);
    const b = d.debug.remap(a, 16, 40);
    check(b !== 0, "remap(a, 16, 40)");
    checkPattern(d.subject.heap, b, 16, 3, "remapped");
    checkEqual(d.debug.liveCount(), 1, "one live allocation");
    checkEqual(d.debug.liveBytes(), 40, "its new length");
    d.debug.free(b, 40);
    checkEqual(d.debug.deinit(), "ok", "deinit");
    checkEqual(d.reports.length, 0, "no reports");
  });

  if (anyOrder) {
    add("use after free: a write to a quarantined block is caught by check()", function (d) {
      const a = d.debug.alloc(16, 8, 2);
      d.debug.free(a, 16);
      for (let i = 0; i < 16; i++) checkEqual(d.subject.heap.u8[a + i], POISON_BYTE, "poisoned byte " + i);
      check(d.debug.quarantinedBytes() > 0, "the block is in quarantine");
      d.subject.heap.u8[a + 3] = 1;
      checkEqual(d.debug.check(), 1, "check() reports it");
      const r = checkReport(d.reports, "UseAfterFree", "check()");
      checkEqual(r.offset, 3, "the written byte");
      checkEqual((r.allocation as { tag: number }).tag, 2, "the allocation's tag");
      check(r.firstFree !== undefined, "the free's record");
    });

    add("use after free: caught when the block leaves quarantine", function (d) {
      const a = d.debug.alloc(16);
      d.debug.free(a, 16);
      d.subject.heap.u8[a + 15] = 0;
      const b = d.debug.alloc(40);
      d.debug.free(b, 40);
      const r = checkReport(d.reports, "UseAfterFree", "the release of a");
      checkEqual(r.offset, 15, "the written byte");
      checkEqual((r.allocation as { ptr: number }).ptr, a, "the allocation");
      checkEqual(d.debug.deinit(), "ok", "deinit");
    }, 16, { quarantineBytes: 64 });

    add("freed memory is not handed out again while it is in quarantine", function (d) {
      const a = d.debug.alloc(16);
      d.debug.free(a, 16);
      const b = d.debug.alloc(16);
      check(b !== a, "the quarantined block was not reused");
      d.debug.free(b, 16);
      checkEqual(d.debug.deinit(), "ok", "deinit");
    });

    add("resize or remap of freed memory: UseAfterFree", function (d) {
      const a = d.debug.alloc(16);
      d.debug.free(a, 16);
      check(!d.debug.resize(a, 16, 8), "resize fails");
      checkEqual(d.debug.remap(a, 16, 32), 0, "remap fails");
      checkEqual(codes(d.reports), "UseAfterFree,UseAfterFree", "reports");
    });
  }

  add("leaks: deinit() returns \"leak\" and reports each tag's allocations", function (d) {
    const a = d.debug.alloc(8, 8, 1);
    const b = d.debug.alloc(24, 8, 2);
    const c = d.debug.alloc(16, 8, 1);
    check(a !== 0 && b !== 0 && c !== 0, "three allocations");
    checkEqual(d.debug.deinit(), "leak", "deinit");
    checkEqual(codes(d.reports), "Leak,Leak", "one report per tag");
    const one = d.reports[0];
    checkEqual(one.tag, 1, "first group's tag");
    checkEqual(one.count, 2, "tag 1 count");
    checkEqual(one.bytes, 24, "tag 1 bytes");
    const list = one.allocations as { ptr: number }[];
    checkEqual(list[0].ptr, a, "oldest first");
    checkEqual(list[1].ptr, c, "then the next");
    checkEqual(d.reports[1].tag, 2, "second group's tag");
    checkEqual(d.reports[1].bytes, 24, "tag 2 bytes");
    check(one.message.indexOf("tag 1") >= 0 && one.message.indexOf("ptr " + a) >= 0, "the message lists them: " + one.message);
    checkThrows(function () { assertNoLeaks(d.debug); }, "Leak", "assertNoLeaks");
  });

  add("the default tag applies to allocations made through other wrappers", function (d) {
    const counting = new CountingAllocator(d.debug, { state: d.subject.allocator });
    check(d.debug.setTag(9) === 0, "the default tag starts at 0");
    const a = counting.alloc(8);
    checkEqual(d.debug.setTag(0), 9, "setTag returns the previous tag");
    checkEqual(d.debug.deinit(), "leak", "deinit");
    checkEqual(d.reports[0].tag, 9, "the tag");
    checkEqual((d.reports[0].allocations as { ptr: number }[])[0].ptr, a, "the allocation");
    checkThrows(function () { d.debug.setTag(70000); }, "InvalidArgument", "tag out of range");
  });

  add("memoryLimitBytes: alloc returns 0 past the limit", function (d) {
    const a = d.debug.alloc(24);
    check(a !== 0, "24 bytes fit under 32");
    checkEqual(d.debug.alloc(16), 0, "40 would not");
    const b = d.debug.alloc(8);
    check(b !== 0, "32 does");
    d.debug.free(b, 8);
    d.debug.free(a, 24);
    checkEqual(d.reports.length, 0, "a limit is not a bug");
  }, 16, { memoryLimitBytes: 32 });

  add("a full table: alloc returns 0 and TableFull is reported once", function (d) {
    const a = d.debug.alloc(8);
    const b = d.debug.alloc(8);
    checkEqual(d.debug.alloc(8), 0, "third allocation");
    checkEqual(d.debug.alloc(8), 0, "fourth allocation");
    checkReport(d.reports, "TableFull", "a full table");
    d.debug.free(b, 8);
    d.debug.free(a, 8);
    const c = d.debug.alloc(8);
    check(c !== 0, "freed records are reused");
    d.debug.free(c, 8);
  }, 2, { quarantineBytes: 0 });

  if (!anyOrder) {
    cases.push({
      name: prefix + "over a LIFO child the quarantine defaults to 0",
      run: function () {
        const s = factory.make();
        const d = new DebugAllocator(s.allocator, { region: s.heap.carve(DebugAllocator.regionBytes(4), 8, "debug"), onReport: function () {} });
        const a = d.alloc(8);
        const b = d.alloc(8);
        d.free(b, 8);
        checkEqual(d.quarantinedBytes(), 0, "nothing held");
        const c = d.alloc(8);
        checkThrows(function () { d.free(a, 8); }, "InvalidFree", "the stack refuses an out-of-order free");
        checkEqual(d.liveCount(), 2, "the refused free left the record live");
        d.free(c, 8);
        d.free(a, 8);
        checkEqual(d.deinit(), "ok", "deinit");
      },
    });
    // A case of its own: two subject heaps at once do not fit the smallest boards.
    cases.push({
      name: prefix + "a quarantine over a LIFO child under another wrapper is refused",
      run: function () {
        const s = factory.make();
        const wrapped = new CountingAllocator(s.allocator);
        checkThrows(function () { new DebugAllocator(wrapped, { region: s.heap.carve(DebugAllocator.regionBytes(4), 8, "debug"), quarantineBytes: 64 }); }, "InvalidArgument", "quarantine over a stack under a wrapper");
      },
    });
  }

  add("bad arguments throw InvalidArgument and change nothing", function (d) {
    const a = d.debug.alloc(8);
    const image = fingerprint(d.subject.heap);
    checkThrows(function () { d.debug.alloc(NaN); }, "InvalidArgument", "alloc(NaN)");
    checkThrows(function () { d.debug.alloc(8, 3); }, "InvalidArgument", "alloc(8, 3)");
    checkThrows(function () { d.debug.alloc(8, 8, -1); }, "InvalidArgument", "tag -1");
    checkThrows(function () { d.debug.free(a, 1.5); }, "InvalidArgument", "free(a, 1.5)");
    checkThrows(function () { d.debug.resize(a, 8, -1); }, "InvalidArgument", "resize to -1");
    checkThrows(function () { d.debug.free(NaN, 8); }, "InvalidArgument", "free(NaN)");
    checkThrows(function () { d.debug.free(a + 0.5, 8); }, "InvalidArgument", "a fractional pointer");
    checkThrows(function () { d.debug.remap(-8, 8, 16); }, "InvalidArgument", "a negative pointer");
    checkUnchanged(d.subject.heap, image, "after bad arguments");
    d.debug.free(a, 8);
  });

  add("onReport \"throw\": the bug throws code DebugReport carrying the report", function (d) {
    const a = d.debug.alloc(8);
    d.debug.free(a, 8);
    checkThrows(function () { d.debug.free(a, 8); }, "DebugReport", "double free");
    let report: DebugReport | null = null;
    try {
      d.debug.free(a, 8);
    } catch (e) {
      report = (e as { report: DebugReport }).report;
    }
    check(report !== null && report.code === "DoubleFree", "the error carries the report");
  }, 16, { onReport: "throw" });

  add("captureStack: records carry the engine's stack text where it has one", function (d) {
    const a = d.debug.alloc(8);
    d.debug.free(a, 8);
    d.debug.free(a, 8);
    const r = checkReport(d.reports, "DoubleFree", "double free");
    if (typeof new Error().stack === "string") {
      check(typeof (r.allocation as { stack?: string }).stack === "string", "the allocation's stack");
      check(typeof (r.firstFree as { stack?: string }).stack === "string", "the first free's stack");
      check(typeof r.call.stack === "string", "the second free's stack");
    }
  }, 16, { captureStack: true });

  return cases;
}

function lifoFree(a: Allocator, ptrs: number[], lens: number[]): void {
  for (let i = ptrs.length - 1; i >= 0; i--) a.free(ptrs[i], lens[i]);
}

function otherCases(factory: SubjectFactory): Case[] {
  const cases: Case[] = [];
  function add(title: string, run: (subject: Subject) => void): void {
    cases.push({ name: title + " over " + factory.name, run: function () { const s = factory.make(); run(s); s.check(); } });
  }

  add("CountingAllocator: live, peak, totals and failures", function (s) {
    const c = new CountingAllocator(s.allocator);
    const a = c.alloc(16);
    const b = c.alloc(24);
    check(a !== 0 && b !== 0, "two allocations");
    checkEqual(c.liveAllocations(), 2, "live allocations");
    checkEqual(c.liveBytes(), 40, "live bytes");
    c.free(b, 24);
    checkEqual(c.alloc(1000000), 0, "too large");
    const n = c.counts();
    checkEqual(n.liveAllocations, 1, "live after free");
    checkEqual(n.liveBytes, 16, "live bytes after free");
    checkEqual(n.peakBytes, 40, "peak");
    checkEqual(n.allocations, 2, "allocations");
    checkEqual(n.frees, 1, "frees");
    checkEqual(n.failed, 1, "failed");
    checkEqual(n.totalAllocatedBytes, 40, "total allocated");
    checkEqual(n.totalFreedBytes, 24, "total freed");
    if (c.resize(a, 16, 8)) {
      checkEqual(c.liveBytes(), 8, "after shrinking");
      checkEqual(c.counts().totalFreedBytes, 32, "a shrink counts as freed");
      c.free(a, 8);
    } else {
      c.free(a, 16);
    }
    let printed = "";
    const line = c.printStats(function (l) { printed = l; });
    checkEqual(printed, line, "printStats prints its line");
    check(line.indexOf("peak 40 bytes") >= 0, "the line names the peak: " + line);
    checkEqual(c.liveAllocations(), 0, "nothing live");
    c.deinit();
  });

  add("FailingAllocator: allocation failIndex and every later one fail", function (s) {
    const f = new FailingAllocator(s.allocator, { failIndex: 1 });
    const a = f.alloc(16);
    check(a !== 0, "allocation 0 succeeds");
    check(!f.hasInducedFailure(), "no failure yet");
    checkEqual(f.alloc(16), 0, "allocation 1 fails");
    checkEqual(f.alloc(8), 0, "and so does the next");
    check(f.hasInducedFailure(), "a failure was induced");
    checkEqual(f.allocIndex(), 1, "allocIndex stops at the failing index");
    f.free(a, 16);
    checkEqual(f.allocatedBytes(), 16, "allocated bytes");
    checkEqual(f.freedBytes(), 16, "freed bytes");
    f.deinit();
  });

  add("FailingAllocator: resizeFailIndex fails resize and remap", function (s) {
    const f = new FailingAllocator(s.allocator, { resizeFailIndex: 0 });
    const a = f.alloc(16);
    check(!f.resize(a, 16, 8), "resize fails");
    checkEqual(f.remap(a, 16, 24), 0, "remap fails");
    check(f.hasInducedFailure(), "induced");
    f.free(a, 16);
    f.deinit();
    checkThrows(function () { new FailingAllocator(s.allocator, { failIndex: -1 }); }, "InvalidArgument", "failIndex -1");
  });

  add("StaticAllocator: init → static → deinit, each violation throws Static naming the state", function (s) {
    const st = new StaticAllocator(s.allocator);
    checkEqual(st.state(), "init", "starts in init");
    const a = st.alloc(16);
    const b = st.alloc(8);
    check(a !== 0 && b !== 0, "allocations in init");
    st.free(b, 8);
    st.lock();
    checkEqual(st.state(), "static", "locked");
    const image = fingerprint(s.heap);
    check(checkThrows(function () { st.alloc(8); }, "Static", "alloc in static").indexOf("state static") >= 0, "the message names the state");
    checkThrows(function () { st.free(a, 16); }, "Static", "free in static");
    checkThrows(function () { st.resize(a, 16, 8); }, "Static", "resize in static");
    checkThrows(function () { st.remap(a, 16, 32); }, "Static", "remap in static");
    checkThrows(function () { st.lock(); }, "Static", "lock twice");
    checkUnchanged(s.heap, image, "after the violations");
    st.deinit();
    checkEqual(st.state(), "deinit", "deinit");
    check(checkThrows(function () { st.alloc(8); }, "Static", "alloc in deinit").indexOf("state deinit") >= 0, "names deinit");
    st.free(a, 16);
    checkThrows(function () { st.deinit(); }, "Static", "deinit twice");
  });

  add("FallbackAllocator: the primary first, then the fallback; frees go to the owner", function (s) {
    const pool = new MemoryPool(s.heap, s.heap.carve(MemoryPool.regionBytes(16, 2), 8, "fbpool"), 16);
    const fb = new FallbackAllocator(pool, s.allocator);
    const a = fb.alloc(16);
    const b = fb.alloc(16);
    const c = fb.alloc(16);
    check(a !== 0 && b !== 0 && c !== 0, "three allocations");
    checkEqual(pool.liveCount, 2, "two from the pool");
    check(c < pool.region.offset || c >= pool.region.offset + pool.region.sizeBytes, "the third from the fallback");
    const st = fb.stats();
    checkEqual(st.allocationCount, 2 + s.allocator.stats().allocationCount, "stats add up");
    fb.free(c, 16);
    fb.free(a, 16);
    checkEqual(pool.liveCount, 1, "a went back to the pool");
    const moved = fb.remap(b, 16, 40);
    check(moved !== 0, "a remap that outgrows the pool slot moves to the fallback");
    checkEqual(pool.liveCount, 0, "and leaves the pool");
    fb.free(moved, 40);
    check(fb.ownsPtr(moved), "ownsPtr covers both");
  });

  add("PressureAllocator: handlers run before alloc fails and the retry uses what they freed", function (s) {
    const p = new PressureAllocator(s.allocator);
    const ptrs: number[] = [];
    const lens: number[] = [];
    const len = s.traits.lenMax < 64 ? s.traits.lenMax : 64;
    for (let i = 0; i < 1000; i++) {
      const ptr = p.alloc(len);
      if (ptr === 0) break;
      ptrs.push(ptr);
      lens.push(len);
    }
    check(ptrs.length > 4 && ptrs.length < 1000, "the child filled up after " + ptrs.length);
    checkEqual(p.pressureEvents(), 1, "filling up was one pressure event");
    let asked = -1;
    p.onPressure(function (need) {
      asked = need;
      p.free(ptrs[ptrs.length - 1], lens[lens.length - 1]);
      ptrs.pop();
      lens.pop();
    });
    const again = p.alloc(len);
    check(again !== 0, "the retry after the handler succeeded");
    checkEqual(asked, len, "the handler was told the size");
    checkEqual(p.pressureEvents(), 2, "events");
    ptrs.push(again);
    lens.push(len);
    lifoFree(p, ptrs, lens);
    p.deinit();
  });

  add("PressureAllocator.allocOrShrink halves the request down to the floor", function (s) {
    const p = new PressureAllocator(s.allocator);
    const ptr = p.allocOrShrink(100000, 16);
    check(ptr !== 0, "something was granted");
    const got = p.grantedBytes();
    check(got >= 16 && got < 100000, "granted " + got);
    let n = 100000;
    while (n > got) n = n >>> 1;
    checkEqual(n, got, "the grant is the request halved");
    p.free(ptr, got);
    checkThrows(function () { p.allocOrShrink(8, 16); }, "InvalidArgument", "minLen above len");
    p.deinit();
  });

  if (factory.make().traits.frees === "any") {
    add("PressureAllocator: the emergency reserve is released once, after the handlers", function (s) {
      let released = 0;
      const p = new PressureAllocator(s.allocator, { reserveBytes: 64, onReserveReleased: function () { released++; } });
      check(p.reserveHeld(), "the reserve is held");
      const ptrs: number[] = [];
      const lens: number[] = [];
      let handlerCalls = 0;
      p.onPressure(function () { handlerCalls++; });
      for (let i = 0; i < 1000; i++) {
        const ptr = p.alloc(64);
        if (ptr === 0) break;
        ptrs.push(ptr);
        lens.push(64);
      }
      checkEqual(released, 1, "the reserve was released once");
      check(!p.reserveHeld(), "and is gone");
      checkEqual(handlerCalls, 2, "the handler ran before the reserve and again at the final failure");
      lifoFree(p, ptrs, lens);
      check(p.restoreReserve(), "the reserve comes back once memory is free");
      p.deinit();
    });
  }

  add("checkAllAllocationFailures: a failure path that leaks is reported as Leak", function (s) {
    const message = checkThrows(function () {
      checkAllAllocationFailures(s.allocator, function (a) {
        const p = a.alloc(8);
        if (p === 0) return false;
        const q = a.alloc(8);
        if (q === 0) return false; // p leaks here
        a.free(q, 8);
        a.free(p, 8);
        return true;
      });
    }, "Leak", "leak on the failure path");
    check(message.indexOf("allocation 1 of 2") >= 0, "names the failing allocation: " + message);
    s.reset();
  });

  add("PressureAllocator: a handler that throws leaves pressure handling working", function (s) {
    const p = new PressureAllocator(s.allocator);
    let calls = 0;
    p.onPressure(function () {
      calls++;
      if (calls === 1) throw new Error("handler failed");
    });
    let thrown = "";
    try {
      p.alloc(1000000);
    } catch (e) {
      thrown = (e as Error).message;
    }
    checkEqual(thrown, "handler failed", "the handler's error comes through");
    checkEqual(p.alloc(1000000), 0, "the next failure runs the handlers again");
    checkEqual(calls, 2, "handler calls");
    p.deinit();
  });

  add("checkAllAllocationFailures: struct create/createArray clean up on every failure path", function (s) {
    const Point = struct({ x: "f32", y: "f32", id: "u32" });
    const n = checkAllAllocationFailures(s.allocator, function (a) {
      const p = Point.create(a);
      if (p === 0) return null;
      const list = Point.createArray(a, 3);
      if (list === 0) {
        Point.destroy(a, p);
        return null;
      }
      Point.destroyArray(a, list, 3);
      Point.destroy(a, p);
      return true;
    });
    checkEqual(n, 2, "two allocations walked");
  });

  return cases;
}

function checkAllCases(): Case[] {
  function backing(): { heap: BootHeap; a: Allocator } {
    const heap = new BootHeap(8192);
    return { heap: heap, a: new FixedBufferAllocator(heap, heap.carve(4096, 8, "mem")) };
  }
  return [
    {
      name: "checkAllAllocationFailures: an ArenaAllocator whose user cleans up passes, on every failure path",
      run: function () {
        const b = backing();
        const n = checkAllAllocationFailures(b.a, function (a) {
          const arena = new ArenaAllocator(a);
          for (let i = 0; i < 4; i++) {
            if (arena.alloc(100) === 0) {
              arena.deinit();
              return false;
            }
          }
          arena.deinit();
          return true;
        });
        check(n >= 3, "the arena's state and its chunks were walked: " + n);
        checkEqual(b.a.stats().allocationCount, 0, "the backing allocator is empty again");
      },
    },
    {
      name: "checkAllAllocationFailures: an arena user that forgets deinit on a failure path is a Leak",
      run: function () {
        const b = backing();
        const message = checkThrows(function () {
          checkAllAllocationFailures(b.a, function (a) {
            const arena = new ArenaAllocator(a);
            for (let i = 0; i < 4; i++) if (arena.alloc(100) === 0) return false;
            arena.deinit();
            return true;
          }, { reset: function () { (b.a as FixedBufferAllocator).reset(); } });
        }, "Leak", "leak on a failure path");
        check(message.indexOf("failure path") >= 0, message);
      },
    },
    {
      name: "checkAllAllocationFailures: swallowing a 0 from alloc is SwallowedOutOfMemory",
      run: function () {
        const b = backing();
        checkThrows(function () {
          checkAllAllocationFailures(b.a, function (a) {
            const p = a.alloc(8);
            const q = a.alloc(8);
            if (q !== 0) a.free(q, 8);
            if (p !== 0) a.free(p, 8);
            return true;
          });
        }, "SwallowedOutOfMemory", "swallowed");
      },
    },
    {
      name: "checkAllAllocationFailures: allocating differently from run to run is NondeterministicMemoryUsage",
      run: function () {
        const b = backing();
        let runs = 0;
        checkThrows(function () {
          checkAllAllocationFailures(b.a, function (a) {
            runs++;
            const count = runs === 1 ? 2 : 0;
            const ptrs: number[] = [];
            for (let i = 0; i < count; i++) {
              const p = a.alloc(8);
              if (p === 0) {
                lifoFree(a, ptrs, [8, 8]);
                return false;
              }
              ptrs.push(p);
            }
            lifoFree(a, ptrs, [8, 8]);
            return true;
          });
        }, "NondeterministicMemoryUsage", "nondeterministic");
      },
    },
    {
      name: "checkAllAllocationFailures: a leak on the full run is a Leak; OutOfMemory errors count as reporting it; other errors pass through",
      run: function () {
        const b = backing();
        checkThrows(function () {
          checkAllAllocationFailures(b.a, function (a) { return a.alloc(8) !== 0; });
        }, "Leak", "leak");
        (b.a as FixedBufferAllocator).reset();
        const n = checkAllAllocationFailures(b.a, function (a) {
          const p = a.alloc(8);
          if (p === 0) { const e = new Error("OutOfMemory: no") as Error & { code: string }; e.code = "OutOfMemory"; throw e; }
          a.free(p, 8);
          return undefined;
        });
        checkEqual(n, 1, "one allocation");
        const message = checkThrows(function () {
          checkAllAllocationFailures(b.a, function (a) {
            const p = a.alloc(8);
            if (p === 0) { const e = new Error("Static: nope") as Error & { code: string }; e.code = "Static"; throw e; }
            a.free(p, 8);
            return true;
          });
        }, "Static", "another error");
        check(message.indexOf("allocation 0 failing") >= 0, "the message names the run: " + message);
      },
    },
    {
      name: "checkAllAllocationFailures: code built on the wrappers (Counting, Pressure, Static) cleans up on every failure path",
      run: function () {
        const b = backing();
        const n = checkAllAllocationFailures(b.a, function (a) {
          const counting = new CountingAllocator(a);
          let pressure: PressureAllocator;
          try {
            pressure = new PressureAllocator(counting); // throws code OutOfMemory when its state does not fit
          } catch (e) {
            counting.deinit(); // without this, checkAllAllocationFailures reports the counters' 48 bytes as a Leak
            throw e;
          }
          const p = pressure.allocOrShrink(256, 32);
          if (p === 0) {
            pressure.deinit();
            counting.deinit();
            return false;
          }
          const got = pressure.grantedBytes();
          const st = new StaticAllocator(pressure);
          const q = st.alloc(16);
          if (q === 0) {
            pressure.free(p, got);
            pressure.deinit();
            counting.deinit();
            return false;
          }
          st.lock();
          st.deinit();
          st.free(q, 16);
          pressure.free(p, got);
          pressure.deinit();
          counting.deinit();
          return true;
        });
        checkEqual(n, 4, "counters, pressure state, the buffer, the record");
        checkEqual(b.a.stats().allocationCount, 0, "the backing allocator is empty again");
      },
    },
    {
      name: "instrument: DebugAllocator + CountingAllocator in debug builds, the allocator itself in release",
      run: function () {
        const heap = new BootHeap(16384);
        const pool = new TlsfAllocator(heap, heap.carve(4096, 8, "p"));
        const reports: DebugReport[] = [];
        const a = instrument(heap, pool, "pdebug", { records: 8, onReport: function (r) { reports.push(r); } });
        const p = a.alloc(16);
        a.free(p, 16);
        if (DEBUG) {
          a.free(p, 16);
          check(a !== pool, "wrapped");
          check(a instanceof CountingAllocator, "counting outside");
          const d = debugAllocatorOf(a);
          check(d !== null, "a debug allocator inside");
          checkEqual(codes(reports), "DoubleFree", "the double free is reported");
          checkEqual((d as DebugAllocator).deinit(), "ok", "deinit");
        } else {
          check(a === pool, "unchanged in release");
          checkThrows(function () { a.free(p, 16); }, "InvalidFree", "the allocator's own check still works");
          checkEqual(debugAllocatorOf(a), null, "no debug allocator");
        }
      },
    },
    {
      name: "DebugAllocator: bad options throw InvalidArgument",
      run: function () {
        const heap = new BootHeap(8192);
        const fixed = new FixedBufferAllocator(heap, heap.carve(1024, 8, "f"));
        const region = heap.carve(DebugAllocator.regionBytes(4), 8, "d");
        checkThrows(function () { new DebugAllocator(fixed, { region: region, canaryBytes: 300 }); }, "InvalidArgument", "canaryBytes 300");
        checkThrows(function () { new DebugAllocator(fixed, { region: region, quarantineBytes: -1 }); }, "InvalidArgument", "quarantineBytes -1");
        checkThrows(function () { new DebugAllocator({} as Allocator, { region: region }); }, "InvalidArgument", "not an allocator");
        checkThrows(function () { new DebugAllocator(fixed, null as unknown as DebugAllocatorOptions); }, "InvalidArgument", "no options");
        checkThrows(function () { DebugAllocator.regionBytes(0); }, "InvalidArgument", "0 records");
        const d = new DebugAllocator(fixed, { region: region, canaryBytes: 0, onReport: function () {} });
        const p = d.alloc(8);
        checkEqual(d.deinit(), "leak", "a leak with no canaries");
        checkEqual(p, fixed.region.offset, "no canary: the pointer is the child's");
        checkThrows(function () { new DebugAllocator(fixed, { region: region }); }, "InvalidArgument", "the region is already claimed");
      },
    },
  ];
}

/** Every wrapper case, on every subject in subjectFactories. */
export function wrapperCases(): Case[] {
  let cases: Case[] = [];
  for (let i = 0; i < subjectFactories.length; i++) {
    cases = cases.concat(debugCases(subjectFactories[i]), otherCases(subjectFactories[i]));
  }
  return cases.concat(checkAllCases());
}
