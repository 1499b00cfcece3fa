// Date as on the device: local time is UTC plus E.setTimeZone's zone or E.setDST's rules (never the
// host's zone), strings without a zone are local, and toString/toUTCString/toLocalISOString
// print the device's formats. Expected values are the interpreter's own (2v29).
import { describe, it, expect, afterAll } from "vitest";
import { bootBoard, resultOf } from "./helpers.js";

describe("Date", () => {
  const t = bootBoard("LINUX");
  afterAll(() => t.board.dispose());

  it("prints the device's formats, in GMT at power-on", () => {
    expect(resultOf(t, "new Date(807926400000).toString()")).toBe('="Wed Aug 9 1995 00:00:00 GMT+0000"');
    expect(resultOf(t, "new Date(807926400000).toUTCString()")).toBe('="Wed, 9 Aug 1995 00:00:00 GMT"');
    expect(resultOf(t, "new Date(1500, 0, 1).getTime()")).toBe("=-14831769600000");
    expect(resultOf(t, "var r = 0; try { new Date(4.1e16) } catch (e) { r = 1 }; r")).toBe("=1");
  });

  it("E.setTimeZone moves local time; strings without a zone are local", () => {
    t.type("E.setTimeZone(2)");
    expect(resultOf(t, "Date.parse('2011-10-20')")).toBe("=1319061600000");
    expect(resultOf(t, "Date.parse('2011-10-20T14:48:12.345')")).toBe("=1319114892345");
    expect(resultOf(t, "Date.parse('Mon, 25 Dec 1995 13:30:00 +0430')")).toBe("=819882000000");
    expect(resultOf(t, "new Date('Fri, 20 Jun 2014 15:27:22 GMT').toString()")).toBe('="Fri Jun 20 2014 17:27:22 GMT+0200"');
    expect(resultOf(t, "var d = new Date(2014, 6, 27, 17, 18, 51); [d.getHours(), d.getTimezoneOffset(), d.getTime()]")).toBe("=[ 17, -120, 1406474331000 ]");
    expect(resultOf(t, "d.setHours(1), d.toISOString()")).toBe('="2014-07-26T23:18:51.000Z"');
  });

  it("E.setDST switches between winter and summer time by its rules", () => {
    t.type("E.setDST(60,120,4,0,2,0,180,4,0,9,0,240)");
    expect(resultOf(t, "new Date('2011-02-10T14:12:00').toLocalISOString()")).toBe('="2011-02-10T14:12:00.000+0200"');
    expect(resultOf(t, "new Date('2011-06-11T11:12:00').toLocalISOString()")).toBe('="2011-06-11T11:12:00.000+0300"');
    expect(resultOf(t, "new Date('2011-03-27T01:00:00.0Z').toLocalISOString()")).toBe('="2011-03-27T04:00:00.000+0300"');
    expect(resultOf(t, "new Date('2011-10-30T01:00:00.0Z').toLocalISOString()")).toBe('="2011-10-30T03:00:00.000+0200"');
    t.type("E.setTimeZone(0)");
    expect(resultOf(t, "new Date(0).toString()")).toBe('="Thu Jan 1 1970 00:00:00 GMT+0000"');
  });
});
