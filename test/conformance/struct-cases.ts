import { BootHeap } from "../../src/heap/boot-heap.js";
import { MemoryPool } from "../../src/allocators/pool.js";
import { FixedBufferAllocator } from "../../src/allocators/fixed-buffer.js";
import { struct } from "../../src/layout/struct.js";
import { Case, check, checkEqual, checkThrows } from "./harness.js";

export function structCases(): Case[] {
  return [
    {
      name: "struct: extern-struct offsets, size and alignment",
      run: function () {
        const Entity = struct({ id: "u32", x: "f32", y: "f32", health: "i32", active: "bool" });
        checkEqual(Entity.offsets.id, 0, "id");
        checkEqual(Entity.offsets.health, 12, "health");
        checkEqual(Entity.offsets.active, 16, "active");
        checkEqual(Entity.sizeBytes, 20, "size rounded to the alignment");
        checkEqual(Entity.alignBytes, 4, "alignment");
        const Mixed = struct({ a: "u8", b: "f64", c: "u16", d: "i8" });
        checkEqual(Mixed.offsets.b, 8, "f64 after u8 is padded to 8");
        checkEqual(Mixed.offsets.c, 16, "u16");
        checkEqual(Mixed.offsets.d, 18, "i8");
        checkEqual(Mixed.sizeBytes, 24, "size");
        checkEqual(Mixed.alignBytes, 8, "alignment");
      },
    },
    {
      name: "struct: accessors read and write every type through the heap views",
      run: function () {
        const heap = new BootHeap(4096);
        const fixed = new FixedBufferAllocator(heap, heap.carve(1024, 8, "rec"));
        const All = struct({ a: "u8", b: "i8", c: "u16", d: "i16", e: "u32", f: "i32", g: "f32", h: "f64", i: "bool" });
        const view = All.bind(heap);
        const p = All.create(fixed);
        check(p !== 0 && p % All.alignBytes === 0, "an aligned record");
        const values: { [k: string]: number | boolean } = { a: 250, b: -5, c: 60000, d: -3000, e: 4000000000, f: -2000000000, g: 1.5, h: Math.PI, i: true };
        const names = Object.keys(values);
        for (let k = 0; k < names.length; k++) (view.set as { [k: string]: (p: number, v: number | boolean) => void })[names[k]](p, values[names[k]]);
        for (let k = 0; k < names.length; k++) checkEqual((view.get as { [k: string]: (p: number) => number | boolean })[names[k]](p), values[names[k]], "field " + names[k]);
        view.set.i(p, false);
        checkEqual(view.get.i(p), false, "bool false");
        checkEqual(heap.u8[p + All.offsets.a], 250, "u8 at its offset");
      },
    },
    {
      name: "struct: a pool of entity records, zeroed on create",
      run: function () {
        const Entity = struct({ id: "u32", x: "f32", y: "f32", health: "i32", active: "bool" });
        const heap = new BootHeap(8192);
        const entities = new MemoryPool(heap, heap.carve(MemoryPool.regionBytes(Entity.sizeBytes, 32, Entity.alignBytes), 8, "entities"), Entity.sizeBytes, Entity.alignBytes);
        checkEqual(entities.slotCount, 32, "slots");
        const e = Entity.bind(heap);
        const ptrs: number[] = [];
        for (let i = 0; i < 32; i++) {
          const p = Entity.create(entities);
          check(p !== 0, "entity " + i);
          checkEqual(e.get.health(p), 0, "zeroed");
          e.set.id(p, i);
          e.set.x(p, i * 0.5);
          e.set.health(p, 100 - i);
          e.set.active(p, true);
          ptrs.push(p);
        }
        checkEqual(Entity.create(entities), 0, "the pool is full");
        for (let i = 0; i < 32; i++) {
          checkEqual(e.get.id(ptrs[i]), i, "id");
          checkEqual(e.get.x(ptrs[i]), i * 0.5, "x");
        }
        Entity.destroy(entities, ptrs[3]);
        checkEqual(entities.liveCount, 31, "destroy");
        const arr = Entity.createArray(new FixedBufferAllocator(heap, heap.carve(512, 8, "arr")), 4);
        check(arr !== 0, "createArray");
      },
    },
    {
      name: "struct: bad specs throw InvalidArgument naming the field",
      run: function () {
        const message = checkThrows(function () { struct({ x: "f16" as "f32" }); }, "InvalidArgument", "unknown type");
        check(message.indexOf("x") >= 0 && message.indexOf("f16") >= 0, "names field and type: " + message);
        checkThrows(function () { struct({}); }, "InvalidArgument", "no fields");
        checkThrows(function () { struct(null as unknown as { a: "u8" }); }, "InvalidArgument", "null spec");
        checkThrows(function () { struct({ a: "toString" as "u8" }); }, "InvalidArgument", "an inherited name is not a type");
        const T = struct({ a: "u32" });
        const heap = new BootHeap(4096);
        const fixed = new FixedBufferAllocator(heap, heap.carve(64, 8, "r"));
        checkThrows(function () { T.createArray(fixed, 0); }, "InvalidArgument", "createArray(0)");
        checkThrows(function () { T.createArray(fixed, -1); }, "InvalidArgument", "createArray(-1)");
      },
    },
  ];
}
