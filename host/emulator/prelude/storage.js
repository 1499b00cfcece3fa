// Runs inside the board's vm context after environment.js: require("Storage") and its
// StorageFile, over the host's flash store (storage/flash-store.ts). The value of this file is
// one function expression, called with the host's hooks and what environment.js shares.
(function (sys, env) {
  "use strict";
  var E = env.E;
  var bytesOf = env.bytesOf;
  var flashBuffer = this.__bhFlashBuffer;

  function checkName(name) {
    name = String(name);
    if (name.length > 28) throw new Error("File name too long (max 28 chars): " + JSON.stringify(name));
    if (!name.length) throw new Error("File name must not be empty");
    return name;
  }
  function StorageFile(name, mode) {
    if (["r", "w", "a"].indexOf(mode) < 0) throw new Error("Invalid mode " + JSON.stringify(mode));
    if (String(name).length > 27) throw new Error("File name too long (max 27 chars for StorageFile): " + JSON.stringify(name));
    this.name = String(name);
    this.mode = mode;
    this.offset = 0;
    if (mode === "w") sys.storageErase(this.name + "\x01");
  }
  StorageFile.prototype.content = function () { return sys.storageRead(this.name + "\x01", 0, 0) || ""; };
  StorageFile.prototype.read = function (len) {
    var s = this.content().substr(this.offset, len === undefined ? 0xffffff : len);
    this.offset += s.length;
    return s.length ? s : undefined;
  };
  StorageFile.prototype.readLine = function () {
    var all = this.content();
    if (this.offset >= all.length) return undefined;
    var nl = all.indexOf("\n", this.offset);
    var end = nl < 0 ? all.length : nl + 1;
    var line = all.substring(this.offset, end);
    this.offset = end;
    return line;
  };
  StorageFile.prototype.write = function (data) {
    if (this.mode === "r") throw new Error("Can't write in read mode");
    // Appending to a flash file: the device adds chunks; here the one backing file is
    // rewritten, which costs the same free space as the device's chunks would.
    var all = this.content() + bytesOf(data);
    sys.storageErase(this.name + "\x01");
    sys.storageWrite(this.name + "\x01", all, 0, all.length);
  };
  StorageFile.prototype.getLength = function () { return this.content().length; };
  StorageFile.prototype.erase = function () { sys.storageErase(this.name + "\x01"); };

  var Storage = {
    write: function write(name, data, offset, size) {
      return sys.storageWrite(checkName(name), bytesOf(data), offset === undefined ? 0 : +offset, size === undefined ? 0 : +size);
    },
    read: function read(name, offset, length) {
      return sys.storageRead(checkName(name), offset === undefined ? 0 : +offset, length === undefined ? 0 : +length);
    },
    readJSON: function readJSON(name, noExceptions) {
      var s = Storage.read(name);
      if (s === undefined) return undefined;
      try { return JSON.parse(s); } catch (e) { if (noExceptions) return undefined; throw e; }
    },
    readArrayBuffer: function readArrayBuffer(name) {
      var s = Storage.read(name);
      return s === undefined ? undefined : flashBuffer(s);
    },
    writeJSON: function writeJSON(name, value) { return Storage.write(name, JSON.stringify(value)); },
    list: function list(pattern) {
      var names = JSON.parse(sys.storageList());
      if (pattern !== undefined) names = names.filter(function (n) { return typeof pattern === "string" ? n === pattern : pattern.test(n); });
      return names;
    },
    erase: function erase(name) { sys.storageErase(checkName(name)); },
    eraseAll: function eraseAll() { sys.storageEraseAll(); },
    compact: function compact() { sys.storageCompact(); },
    getFree: function getFree() { return sys.storageFree(); },
    getStats: function getStats() { return JSON.parse(sys.storageStats()); },
    open: function open(name, mode) { return new StorageFile(name, mode); },
  };

  env.natives.Storage = function () { return Storage; };
});
