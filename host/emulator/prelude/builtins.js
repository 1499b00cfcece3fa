// Runs inside the board's vm context, before any program code: makes V8's built-ins look like
// Espruino 2v29's (ESPRUINO.md). It is plain JavaScript evaluated in the context so that every
// object and error it creates belongs to the board's realm (instanceof and prototypes work).
// The value of this file is one function expression, called once with the host's hooks.
(function (hooks) {
  "use strict";
  var G = this;
  var RealArrayBuffer = G.ArrayBuffer;
  var RealUint8Array = G.Uint8Array;
  var RealDataView = G.DataView;
  var RealError = G.Error;
  var SymbolSpecies = G.Symbol.species;
  var WeakMapCtor = G.WeakMap;
  var reflectConstruct = G.Reflect.construct;
  var reflectApply = G.Reflect.apply;
  var ProxyCtor = G.Proxy;
  var defineProperty = Object.defineProperty;
  var getPrototypeOf = Object.getPrototypeOf;
  var VIEW_OFFSET_MAX = hooks.viewByteOffsetMax;
  var BUFFER_BYTES_MAX = hooks.arrayBufferBytesMax;

  function hide(owner, name, value) {
    defineProperty(owner, name, { value: value, writable: true, configurable: true, enumerable: false });
  }

  function fail(message) {
    throw new RealError(message);
  }

  // --- the interrupt plumbing the rewritten code calls (see syntax.ts) ---
  hide(G, "__bhF", hooks.flags);
  hide(G, "__bhT", hooks.tick);
  hide(G, "__bhN", hooks.loopCounter);
  hide(G, "__bhC", function (e) {
    if (hooks.isInterrupt(e)) throw e;
  });

  // --- typed arrays: Espruino's limits, and every buffer charged to the JsVar model ---
  var TypedArrayProto = getPrototypeOf(G.Uint8Array.prototype);
  var isView = RealArrayBuffer.isView;

  function checkOffset(byteOffset) {
    var n = byteOffset === undefined ? 0 : +byteOffset;
    if (n > VIEW_OFFSET_MAX || n < 0) fail("byteOffset too large (or negative)");
  }

  function wrapArrayBuffer() {
    function ArrayBuffer(byteLength) {
      if (new.target === undefined) fail("Constructor should be called with 'new'");
      var n = +byteLength || 0;
      if (n > BUFFER_BYTES_MAX || n < 0) fail("Invalid length for ArrayBuffer");
      var b = new RealArrayBuffer(n);
      hooks.chargeBuffer(b, n);
      return b;
    }
    ArrayBuffer.prototype = RealArrayBuffer.prototype;
    hide(RealArrayBuffer.prototype, "constructor", ArrayBuffer);
    delete RealArrayBuffer.prototype.slice;
    return ArrayBuffer;
  }

  function wrapTypedArray(Real) {
    // Instances get this prototype, which hides what the device lacks (BYTES_PER_ELEMENT is
    // non-configurable on V8's own prototype, so it is shadowed, not deleted).
    var proto = Object.create(Real.prototype);
    function TypedArray(a, byteOffset, length) {
      if (new.target === undefined) fail("Constructor should be called with 'new'");
      var t;
      if (a instanceof RealArrayBuffer) {
        checkOffset(byteOffset);
        t = reflectConstruct(Real, arguments, TypedArray);
      } else {
        t = reflectConstruct(Real, arguments, TypedArray);
        // Materialise the buffer now so its life (not the view's) frees the blocks.
        hooks.chargeBuffer(t.buffer, t.byteLength);
      }
      hooks.chargeView(t);
      return t;
    }
    TypedArray.prototype = proto;
    defineProperty(TypedArray, "name", { value: Real.name, configurable: true });
    hide(proto, "constructor", TypedArray);
    hide(proto, "BYTES_PER_ELEMENT", undefined);
    // Methods that make new arrays (slice, map, filter, subarray) go through this constructor.
    defineProperty(TypedArray, SymbolSpecies, { get: function () { return TypedArray; }, configurable: true });
    return TypedArray;
  }

  // A file's bytes as the device's Storage.readArrayBuffer gives them: mapped from flash, so
  // they cost no JsVars (only the views made on them do).
  hide(G, "__bhFlashBuffer", function (bytes) {
    var b = new RealArrayBuffer(bytes.length);
    var u = new RealUint8Array(b);
    for (var i = 0; i < bytes.length; i++) u[i] = bytes.charCodeAt(i) & 255;
    return b;
  });

  G.ArrayBuffer = wrapArrayBuffer();
  ["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "Float32Array", "Float64Array"].forEach(function (name) {
    G[name] = wrapTypedArray(G[name]);
  });

  function DataView(buffer, byteOffset, byteLength) {
    if (new.target === undefined) fail("Constructor should be called with 'new'");
    checkOffset(byteOffset);
    var v = reflectConstruct(RealDataView, arguments, DataView);
    hooks.chargeView(v);
    return v;
  }
  DataView.prototype = RealDataView.prototype;
  hide(RealDataView.prototype, "constructor", DataView);
  G.DataView = DataView;

  // set() with too much data truncates silently on the device instead of throwing.
  var realSet = TypedArrayProto.set;
  hide(TypedArrayProto, "set", function set(source, offset) {
    var at = offset === undefined ? 0 : +offset;
    if (at < 0) fail("Offset must be positive");
    var room = this.length - at;
    if (room <= 0) return;
    var n = source.length;
    if (n > room) {
      source = isView(source) ? source.subarray(0, room) : Array.prototype.slice.call(source, 0, room);
    }
    realSet.call(this, source, at);
  });
  ["entries"].forEach(function (m) { delete TypedArrayProto[m]; });

  // Computed stores `o[k] = v` are routed here (syntax.ts): a negative index on a typed
  // array throws on the device, V8 ignores it.
  // Uint8ClampedArray truncates fractions on the device where V8 rounds them. Built with
  // Function so the store runs in sloppy mode like the program's own `o[k] = v` (a store to a
  // read-only property is ignored, not an error).
  var makeStore = G.Function("isView", "Clamped", "fail",
    "return function (o, k, v) {" +
    "  if (k < 0 && isView(o)) fail(\"Can't write to negative index \" + k + \" of a typed array\");" +
    "  if (typeof v === 'number' && v % 1 !== 0 && o instanceof Clamped) o[k] = v < 0 ? 0 : Math.floor(v);" +
    "  else o[k] = v;" +
    "  return v;" +
    "};");
  hide(G, "__bhW", makeStore(isView, G.Uint8ClampedArray, fail));
  // `delete o.p` / `delete o[k]` are routed here (syntax.ts): false for a property the object
  // does not have, as on the device. Sloppy, like the program's own delete (false, not a throw,
  // for a property that cannot be deleted).
  var hasOwn = Object.prototype.hasOwnProperty;
  var makeDelete = G.Function("hasOwn",
    "return function (o, k) {" +
    "  if ((typeof o === 'object' && o !== null) || typeof o === 'function') { if (!hasOwn.call(o, k)) return false; }" +
    "  return delete o[k];" +
    "};");
  hide(G, "__bhD", makeDelete(hasOwn));
  // Writes to an array's length (syntax.ts routes `a.length = n` and `a.length--` here).
  var isArray = Array.isArray;
  hide(G, "__bhL", function (o) {
    if (isArray(o)) throw new G.TypeError("Assignment to a constant");
    return o;
  });

  // --- a function declared again at top level keeps its identity and takes the new code, as on
  // the device (syntax.ts routes top-level declarations through __bhR): each such function is a
  // proxy whose calls go to the latest code; its own properties (prototype) stay ---
  var redeclared = new WeakMapCtor();
  hide(G, "__bhR", function (old, fresh) {
    var state = typeof old === "function" ? redeclared.get(old) : undefined;
    if (state) {
      state.current = fresh;
      return old;
    }
    state = { current: fresh };
    var p = new ProxyCtor(fresh, {
      apply: function (target, self, args) { return reflectApply(state.current, self, args); },
      construct: function (target, args, newTarget) { return reflectConstruct(state.current, args, newTarget); },
    });
    redeclared.set(p, state);
    return p;
  });
  function latestCode(fn) {
    var state = redeclared.get(fn);
    return state ? state.current : fn;
  }
  hide(G, "__bhU", latestCode);
  // Function.prototype.replaceWith(fn): the same in-place swap, for functions declared at top
  // level (other functions are plain V8 functions, whose code cannot be swapped).
  hide(Function.prototype, "replaceWith", function replaceWith(fn) {
    var state = redeclared.get(this);
    if (!state) fail("replaceWith: the emulator can only replace functions declared at top level");
    if (typeof fn !== "function") fail("First argument of replaceWith should be a function");
    state.current = latestCode(fn);
  });
  var realFunctionToString = Function.prototype.toString;
  hide(Function.prototype, "toString", function toString() {
    return realFunctionToString.call(latestCode(this));
  });

  // --- errors: `class X extends Error` fails; e.name is undefined ---
  ["Error", "TypeError", "SyntaxError", "ReferenceError", "RangeError", "EvalError", "URIError", "AggregateError"].forEach(function (name) {
    var Real = G[name];
    if (!Real) return;
    function E(message) {
      if (new.target !== undefined && new.target !== E) fail("Calling 'super' outside of class");
      return new Real(message);
    }
    E.prototype = Real.prototype;
    defineProperty(E, "name", { value: name, configurable: true });
    hide(Real.prototype, "constructor", E);
    delete Real.prototype.name;
    G[name] = E;
  });

  // --- every object inherits on/emit (Espruino's events live on Object.prototype) ---
  var listeners = new WeakMapCtor();
  function listenersOf(obj, event, create) {
    var byEvent = listeners.get(obj);
    if (!byEvent) {
      if (!create) return undefined;
      byEvent = Object.create(null);
      listeners.set(obj, byEvent);
    }
    if (!byEvent[event] && create) byEvent[event] = [];
    return byEvent[event];
  }
  var OP = Object.prototype;
  hide(OP, "on", function on(event, fn) {
    listenersOf(this, String(event), true).push(fn);
    return this;
  });
  hide(OP, "addListener", OP.on);
  hide(OP, "prependListener", function prependListener(event, fn) {
    listenersOf(this, String(event), true).unshift(fn);
    return this;
  });
  // emit() queues the handlers (as they are now) and returns at once; they run later, each event
  // as its own task, as the device's jsiQueueEvents does. E.stopEventPropagation() while one runs
  // skips the rest.
  var processing = false;
  var propagationStopped = false;
  function runHandlers(target, list, args) {
    var outer = { processing: processing, stopped: propagationStopped };
    processing = true;
    propagationStopped = false;
    try {
      for (var i = 0; i < list.length && !propagationStopped; i++) list[i].apply(target, args);
    } finally {
      processing = outer.processing;
      propagationStopped = outer.stopped;
    }
  }
  hide(OP, "emit", function emit(event) {
    if (this === null || this === undefined || (typeof this !== "object" && typeof this !== "function")) throw new G.TypeError("Parent must be an object - not a String, Integer, etc");
    if (typeof event !== "string") throw new G.TypeError("First argument must be String");
    if (arguments.length > 5) throw new G.TypeError("Too many arguments (>4)");
    var list = listenersOf(this, event, false);
    if (!list || !list.length) return;
    var target = this;
    var args = Array.prototype.slice.call(arguments, 1);
    var copy = list.slice();
    hooks.queueEvent(function () { runHandlers(target, copy, args); });
  });
  hide(OP, "removeListener", function removeListener(event, fn) {
    var list = listenersOf(this, String(event), false);
    if (!list) return this;
    var i = list.indexOf(fn);
    if (i >= 0) list.splice(i, 1);
    return this;
  });
  hide(OP, "removeAllListeners", function removeAllListeners(event) {
    var byEvent = listeners.get(this);
    if (!byEvent) return this;
    if (event === undefined) listeners.delete(this);
    else delete byEvent[String(event)];
    return this;
  });

  // --- remove what the device lacks (lists in host/rules/espruino-rules.ts) ---
  hooks.missingStatics.forEach(function (path) {
    var dot = path.indexOf(".");
    var owner = G[path.slice(0, dot)];
    var member = path.slice(dot + 1);
    if (owner && member in owner) {
      var d = Object.getOwnPropertyDescriptor(owner, member);
      if (d && !d.configurable) return; // Number's constants: handled below by a wrapper
      delete owner[member];
    }
  });
  // Number.EPSILON and the SAFE_INTEGER constants are non-configurable: give the program a
  // Number without them, sharing V8's prototype so (5).constructor === Number still holds.
  var RealNumber = G.Number;
  function NumberWrapper(v) {
    var n = arguments.length ? RealNumber(v) : 0;
    return new.target === undefined ? n : new RealNumber(n);
  }
  Object.getOwnPropertyNames(RealNumber).forEach(function (k) {
    if (k === "prototype" || k === "length" || k === "name") return;
    if (hooks.missingStatics.indexOf("Number." + k) >= 0) return;
    defineProperty(NumberWrapper, k, Object.getOwnPropertyDescriptor(RealNumber, k));
  });
  NumberWrapper.prototype = RealNumber.prototype;
  hide(RealNumber.prototype, "constructor", NumberWrapper);
  G.Number = NumberWrapper;

  hooks.missingMethods.forEach(function (m) {
    delete Array.prototype[m];
    delete TypedArrayProto[m];
  });
  ["Intl", "WebAssembly", "AggregateError"].concat(hooks.missingGlobals).forEach(function (name) {
    delete G[name];
  });

  return {
    // For the host's memory model: each event's handler list on `obj`, as [event, list] pairs.
    listenersOf: function (obj) {
      var byEvent = listeners.get(obj);
      if (!byEvent) return undefined;
      var out = [];
      for (var event in byEvent) if (byEvent[event].length) out.push([event, byEvent[event]]);
      return out;
    },
    stopPropagation: function () {
      if (!processing) fail("E.stopEventPropagation() called when not handling events");
      propagationStopped = true;
    },
    // For the host: runs `event`'s handlers on `target` now; false when it has none.
    emitNow: function (target, event, args) {
      var list = listenersOf(target, event, false);
      if (!list || !list.length) return false;
      runHandlers(target, list.slice(), args);
      return true;
    },
  };
});
