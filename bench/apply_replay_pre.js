// apply_replay under Node: MEMFS files grow in place in a resizable ArrayBuffer, as the app's
// (web/linli.js), not by an eighth at a time, copying the whole file each time.
Module.preRun = (Module.preRun || []).concat([() => {
  const memfs = FS.root && FS.root.mount && FS.root.mount.type;
  if (!memfs || typeof memfs.expandFileStorage !== 'function') return;
  const expand = memfs.expandFileStorage;
  const ROOM = 2 ** 31;
  memfs.expandFileStorage = function (node, capacity) {
    const had = node.contents ? node.contents.length : 0;
    if (capacity <= had) return undefined;
    const buffer = node.contents && node.contents.buffer;
    const wanted = Math.max(capacity, Math.floor(had * 1.25));
    if (buffer && buffer.resizable && wanted <= buffer.maxByteLength) {
      buffer.resize(wanted);
      return undefined;
    }
    if (capacity >= (1 << 20) && typeof ArrayBuffer.prototype.resize === 'function') {
      const contents = new Uint8Array(new ArrayBuffer(Math.max(wanted, 1 << 22), { maxByteLength: ROOM }));
      if (node.usedBytes > 0) contents.set(node.contents.subarray(0, node.usedBytes));
      node.contents = contents;
      return undefined;
    }
    return expand.call(this, node, Math.max(capacity, Math.floor(had * 1.5)));
  };
}]);
