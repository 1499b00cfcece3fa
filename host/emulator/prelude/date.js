// Runs inside the board's vm context after environment.js: the device's Date (jswrap_date.c).
// Local time on the device is UTC plus the zone set with E.setTimeZone (0 at power-on) or the
// rules of E.setDST, never the host's time zone; toString and toUTCString print its formats.
// The value of this file is one function expression, called with the host's hooks and
// environment.js's api.
(function (sys, api) {
  "use strict";
  var G = this;
  var E = api.E;
  var RealDate = G.Date;
  var MS_DAY = 86400000;
  var DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var zoneMinutes = 0;
  /** The 12 numbers given to E.setDST, or null. */
  var dstRules = null;

  function hide(owner, name, value) {
    Object.defineProperty(owner, name, { value: value, writable: true, configurable: true, enumerable: false });
  }

  function utc(y, m, d, h, min, s, ms) {
    var t = new RealDate(0);
    t.setUTCFullYear(y, m, d);
    t.setUTCHours(h, min, s, ms);
    return t.getTime();
  }

  // getDstChangeTime: seconds (GMT, or local when asLocal) of a DST change in year y.
  function changeTime(y, dowNumber, dow, month, dayOffset, timeOfDay, isStart, dstOffset, zone, asLocal) {
    if (dowNumber === 4 && ++month > 11) {
      y++;
      month -= 12;
    }
    var day = Math.floor(utc(y, month, 1, 0, 0, 0, 0) / MS_DAY);
    var shift = (14 - (((day + 4) % 7 + 7) % 7) + dow) % 7;
    day += dowNumber === 4 ? shift - 7 : 7 * dowNumber + shift;
    var minutes = (day + dayOffset) * 1440 + timeOfDay;
    if (!asLocal) {
      minutes -= zone;
      if (!isStart) minutes -= dstOffset;
    }
    return 60 * minutes;
  }

  // jsdGetEffectiveTimeZone: minutes east of GMT in effect at `ms` (GMT, or local when isLocal).
  function zoneAt(ms, isLocal) {
    if (!dstRules || !dstRules[0]) return zoneMinutes;
    var r = dstRules;
    var sec = ms / 1000;
    var y = new RealDate(Math.floor(sec / 86400) * MS_DAY).getUTCFullYear();
    var start = changeTime(y, r[2], r[3], r[4], r[5], r[6], true, r[0], r[1], isLocal);
    var end = changeTime(y, r[7], r[8], r[9], r[10], r[11], false, r[0], r[1], isLocal);
    var active = start < end ? sec >= start && sec < end : sec < end || sec >= start;
    return active ? r[0] + r[1] : r[1];
  }

  function fromLocal(local) {
    return local - zoneAt(local, true) * 60000;
  }

  /** A view of the local time: a RealDate whose UTC fields are the local ones. */
  function localView(d) {
    var t = d.getTime();
    return new RealDate(t + zoneAt(t, false) * 60000);
  }

  // Strings without a zone are local time on the device (ISO dates without a time too).
  var HAS_ZONE = /(Z|GMT|UTC|[+-]\d\d:?\d\d)\s*$|GMT[+-]\d+/i;
  var ISO = /^[+-]?\d{4,6}-\d\d(-\d\d)?(T\d\d:\d\d(:\d\d(\.\d+)?)?)?$/;
  function parse(str) {
    var s = String(str).trim();
    if (HAS_ZONE.test(s)) return RealDate.parse(s);
    var asUtc = ISO.test(s) ? RealDate.parse(s.indexOf("T") < 0 ? s + "T00:00:00Z" : s + "Z") : RealDate.parse(s + " GMT");
    return asUtc === asUtc ? fromLocal(asUtc) : RealDate.parse(s);
  }

  function checked(t) {
    if (t !== t || t > 8.64e15 || t < -8.64e15) throw new Error("Date out of range");
    return t;
  }

  function Date(a, b, c, d, e, f, g) {
    if (new.target === undefined) return new Date().toString();
    var t;
    if (arguments.length === 0) t = RealDate.now();
    else if (arguments.length === 1) t = typeof a === "string" ? parse(a) : a instanceof RealDate ? a.getTime() : checked(+a);
    else t = checked(fromLocal(utc(+a, +b, c === undefined ? 1 : +c, +d || 0, +e || 0, +f || 0, +g || 0)));
    return new RealDate(t);
  }
  Date.prototype = RealDate.prototype;
  hide(RealDate.prototype, "constructor", Date);
  hide(Date, "now", RealDate.now);
  hide(Date, "parse", parse);
  hide(Date, "UTC", RealDate.UTC);

  var P = RealDate.prototype;
  ["FullYear", "Month", "Date", "Day", "Hours", "Minutes", "Seconds", "Milliseconds"].forEach(function (field) {
    var get = P["getUTC" + field];
    hide(P, "get" + field, function () {
      return get.call(localView(this));
    });
    if (field === "Day") return;
    var set = P["setUTC" + field];
    hide(P, "set" + field, function () {
      var v = localView(this);
      set.apply(v, arguments);
      return this.setTime(fromLocal(v.getTime()));
    });
  });
  hide(P, "getTimezoneOffset", function getTimezoneOffset() {
    return -zoneAt(this.getTime(), false);
  });

  function pad(n, width) {
    var s = String(Math.abs(n));
    while (s.length < width) s = "0" + s;
    return (n < 0 ? "-" : "") + s;
  }
  function zoneText(minutes, colon) {
    var a = Math.abs(minutes);
    return (minutes < 0 ? "-" : "+") + pad(Math.floor(a / 60), 2) + (colon ? ":" : "") + pad(a % 60, 2);
  }
  function clock(v) {
    return pad(v.getUTCHours(), 2) + ":" + pad(v.getUTCMinutes(), 2) + ":" + pad(v.getUTCSeconds(), 2);
  }
  hide(P, "toString", function toString() {
    var v = localView(this);
    return DAYS[v.getUTCDay()] + " " + MONTHS[v.getUTCMonth()] + " " + v.getUTCDate() + " " + v.getUTCFullYear() + " " + clock(v) + " GMT" + zoneText(zoneAt(this.getTime(), false), false);
  });
  hide(P, "toUTCString", function toUTCString() {
    return DAYS[this.getUTCDay()] + ", " + this.getUTCDate() + " " + MONTHS[this.getUTCMonth()] + " " + this.getUTCFullYear() + " " + clock(this) + " GMT";
  });
  hide(P, "toLocalISOString", function toLocalISOString() {
    var v = localView(this);
    return v.getUTCFullYear() + "-" + pad(v.getUTCMonth() + 1, 2) + "-" + pad(v.getUTCDate(), 2) + "T" + clock(v) + "." + pad(v.getUTCMilliseconds(), 3) + zoneText(zoneAt(this.getTime(), false), false);
  });
  G.Date = Date;
  hide(G, "Date", Date);

  // E.setTimeZone(hours): a fixed zone, and no DST rules. E.setDST(12 numbers): rules (see jswrap_espruino.c).
  hide(E, "setTimeZone", function setTimeZone(hours) {
    dstRules = null;
    zoneMinutes = Math.round(+hours * 60) | 0;
  });
  hide(E, "setDST", function setDST() {
    var args = Array.isArray(arguments[0]) ? arguments[0] : Array.prototype.slice.call(arguments);
    dstRules = args.length === 12 ? args.map(function (n) { return n | 0; }) : null;
  });
});
