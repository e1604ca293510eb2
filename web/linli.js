// JS glue for the Linli app (window.Linli): durable storage in IndexedDB, the IME bridge,
// the font fetch, page-load metrics, the service worker, and the end-to-end test hook.
// No business rules: the C++ app decides; this file only carries bytes and events.
'use strict';
(function () {
  const DB_PATH = '/data/linli.db';
  const FONT_URL = 'fonts/linli-cjk.ttf';
  const FONT_PATH = '/fonts/linli-cjk.ttf';
  const FONT_REST_URL = 'fonts/linli-cjk-rest.ttf';
  const FONT_REST_PATH = '/fonts/linli-cjk-rest.ttf';
  const loadingEl = document.getElementById('loading');

  function showFailure(text) {
    loadingEl.classList.add('failed');
    loadingEl.textContent = text;
    loadingEl.style.display = 'flex';
  }

  // ---- Metrics: page load (performance.now() = 0) to the first frame drawn with the CJK font.
  const metrics = {
    fontMs: null, storageLoadMs: null, mainMs: null, firstFrameMs: null, fontRestMs: null,
    persistMs: [],  // Time from an edit's commit to IndexedDB's confirmation, the last 200.
    // Files grown in MEMFS: by copying (and how many bytes), and in place (a resizable buffer).
    fileGrowth: { copies: 0, copiedBytes: 0, inPlace: 0 },
    blockPuts: { blocks: 0, batches: 0 },  // Whole blocks put, and the tasks they were put in.
    durableAt: 0,  // Date.now() when IndexedDB last confirmed a commit (benchmarks: a first sync's end).
    // Frames made, the last 600: [end (performance.now()), main-thread ms making it, of which the
    // UI's, 1 if drawn (0: it showed what the canvas already showed, so the canvas kept its picture)].
    frames: [],
    noteFrame(ms, uiMs, drawn) {
      this.frames.push([performance.now(), ms, uiMs, drawn]);
      if (this.frames.length > 600) this.frames.shift();
    },
    markFirstFrame() {
      if (this.firstFrameMs !== null) return;
      this.firstFrameMs = performance.now();
      loadingEl.style.display = 'none';
      fonts.loadRest();
    },
  };

  // ---- The font, fetched at once, in parallel with the wasm.
  const fontPromise = fetch(FONT_URL)
    .then((r) => { if (!r.ok) throw new Error('HTTP ' + r.status); return r.arrayBuffer(); })
    .then((b) => { metrics.fontMs = performance.now(); return new Uint8Array(b); })
    .catch((e) => { console.error('linli: font not loaded:', e); return null; });

  // ---- The rest of the font (characters beyond GB2312 level 1: rare names and addresses), fetched
  // once the first frame is drawn, so it never delays the start. The app merges the characters it
  // shows into its atlas once restReady is set. The service worker is registered after it: its
  // install then finds every file it keeps in the HTTP cache, nothing is downloaded twice, and
  // the rest is kept for offline starts with the app shell.
  const fonts = {
    restReady: false, restError: '',
    loadRest() {
      fetch(FONT_REST_URL)
        .then((r) => { if (!r.ok) throw new Error('HTTP ' + r.status); return r.arrayBuffer(); })
        .then((b) => {
          FS.writeFile(FONT_REST_PATH, new Uint8Array(b));
          metrics.fontRestMs = performance.now();
          this.restReady = true;
        })
        .catch((e) => { this.restError = String(e); console.warn('linli: the rest of the font not loaded:', e); })
        .finally(registerServiceWorker);
    },
  };

  // ---- Durable storage: the database file as pages in IndexedDB.
  // Store "files": path -> {size}. Store "pages": [path, index] -> Uint8Array(pageSize), and
  // [path, -1 - j] -> Uint8Array(BLOCK * pageSize), the whole block j of BLOCK pages (pages j * BLOCK
  // to j * BLOCK + BLOCK - 1), written when a commit wrote every page of the block (a first sync's
  // image, a large answer): one record for 64 pages, where a record each cost a first sync 1.6 s of
  // the main thread. A page's own record, when there is one, is newer than its block's: a block is
  // written only with the page records of its range deleted in the same transaction.
  // One IndexedDB transaction per SQLite commit, so the stored file is always a whole commit.
  const BLOCK = 64;
  const storage = {
    db: null, pending: 0, error: '', sizes: new Map(), fenced: false, lastPages: 0, idleWaiters: [],
    // Resolves once every write handed over so far is durable (benchmarks).
    whenDurable() {
      return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
    },
    putTaskMs: 40,  // Whole blocks are put for this long in one task, then the page may draw (persistPages).
    settle() {
      if (this.pending !== 0) return;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((w) => w());
    },
    open() {
      return new Promise((resolve, reject) => {
        if (!('indexedDB' in self)) return reject(new Error('IndexedDB is not available'));
        const req = indexedDB.open('linli', 1);
        req.onupgradeneeded = () => {
          req.result.createObjectStore('files');
          req.result.createObjectStore('pages');
        };
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
        req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab of an older version'));
      });
    },
    // Reads the stored file into one array the size of the file, a slice of pages at a time, so the
    // peak is the file plus one slice (one getAll of every page held the file three times over and
    // a centre's replica of 100,000 tickets never opened). The caller hands the array to MEMFS as
    // is (canOwn). Only the tab that holds the store's lock gets here, so nothing writes between
    // the slices' transactions. onProgress(bytesRead, size) after each slice.
    load(path, onProgress) {
      const SLICE = 2048;  // Pages a transaction: 8 MiB of 4 KiB pages.
      const request = (r) => new Promise((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const meta = request(this.db.transaction('files', 'readonly').objectStore('files').get(path));
      return meta.then((m) => {
        if (!m) return null;
        const size = m.size;
        const out = new Uint8Array(size);
        const pageSize = m.pageSize || 4096;
        const count = Math.ceil(size / pageSize);
        // Blocks first, SLICE / BLOCK at a time (keys -1 - j: the slice of blocks a..b is the key
        // range -1 - b .. -1 - a), then pages, whose records are newer than their blocks'.
        const blocks = Math.ceil(count / BLOCK);
        const blockSlice = (first) => {
          if (first >= blocks) return slice(0);
          const last = Math.min(blocks, first + SLICE / BLOCK) - 1;
          const store = this.db.transaction('pages', 'readonly').objectStore('pages');
          const range = IDBKeyRange.bound([path, -1 - last], [path, -1 - first]);
          return Promise.all([request(store.getAllKeys(range)), request(store.getAll(range))]).then(([keys, vals]) => {
            keys.forEach((k, i) => {
              const off = (-1 - k[1]) * BLOCK * pageSize;
              if (off < size) out.set(vals[i].subarray(0, Math.min(vals[i].length, size - off)), off);
            });
            return blockSlice(last + 1);
          });
        };
        const slice = (first) => {
          if (first >= count) { this.sizes.set(path, size); return out; }
          const last = Math.min(count, first + SLICE) - 1;
          const store = this.db.transaction('pages', 'readonly').objectStore('pages');
          const range = IDBKeyRange.bound([path, first], [path, last]);
          return Promise.all([request(store.getAllKeys(range)), request(store.getAll(range))]).then(([keys, vals]) => {
            keys.forEach((k, i) => {
              const page = vals[i];
              const off = k[1] * page.length;
              if (off < size) out.set(page.subarray(0, Math.min(page.length, size - off)), off);
            });
            if (onProgress) onProgress(Math.min(size, (last + 1) * pageSize), size);
            return slice(last + 1);
          });
        };
        return blockSlice(0);
      });
    },
    // Called from C++ at each commit (SQLite's xSync, store/page_vfs.cpp), with the numbers of the
    // pages written since the last one (a view into the WebAssembly heap, read here only). Each page
    // is copied here, once, straight out of the file Emscripten's MEMFS holds, before this returns.
    persistPages(path, size, indexes, pageSize) {
      if (this.fenced) return;  // Another tab owns the store now, or its data is being deleted.
      if (!this.db) { this.error = this.error || 'IndexedDB is not available: edits are not saved'; return; }
      const started = performance.now();
      this.pending++;
      this.lastPages = indexes.length;
      let tx;
      try {
        tx = this.db.transaction(['files', 'pages'], 'readwrite', { durability: 'strict' });
      } catch (e) {
        this.pending--; this.error = String(e); return;
      }
      const pages = tx.objectStore('pages');
      const file = FS.lookupPath(path).node.contents;
      // Whole blocks of this commit go as one record each (see BLOCK above); the rest page by page.
      // Each block is copied here (the file changes with the next commit); a commit of many blocks
      // (a first sync's image: 2,500 blocks of a 650 MB store) hands them to IndexedDB a batch per
      // task, each batch put from the success of a put of the batch before, so the transaction
      // stays open and the page draws between batches: cloning them all in one task held the main
      // thread for seconds.
      const blocksOut = [];
      let whole = null;
      if (indexes.length >= BLOCK) {
        const counts = new Map();
        for (let i = 0; i < indexes.length; i++) {
          const j = Math.floor(indexes[i] / BLOCK);
          counts.set(j, (counts.get(j) || 0) + 1);
        }
        whole = new Set();
        for (const [j, n] of counts) {
          if (n !== BLOCK || (j + 1) * BLOCK * pageSize > size) continue;  // Indexes are distinct.
          whole.add(j);
          pages.delete(IDBKeyRange.bound([path, j * BLOCK], [path, j * BLOCK + BLOCK - 1]));
          let block = file.slice(j * BLOCK * pageSize, (j + 1) * BLOCK * pageSize);
          if (block.length < BLOCK * pageSize) { const w = new Uint8Array(BLOCK * pageSize); w.set(block); block = w; }
          blocksOut.push([block, [path, -1 - j]]);
        }
      }
      const putBlocks = (k) => {
        const until = performance.now() + this.putTaskMs;
        let i = k;
        let first = null;
        for (; i < blocksOut.length && (i === k || performance.now() < until); i++) {
          const put = pages.put(blocksOut[i][0], blocksOut[i][1]);
          if (!first) first = put;
          blocksOut[i] = null;  // Cloned by put: the copy goes now, not with the transaction.
        }
        if (i > k) { metrics.blockPuts.batches++; metrics.blockPuts.blocks += i - k; }
        // The next batch once IndexedDB has taken the first of this one: it always has puts to
        // work on, and the page has the time between to draw.
        if (i < blocksOut.length) first.onsuccess = () => putBlocks(i);
      };
      putBlocks(0);
      for (let i = 0; i < indexes.length; i++) {
        if (whole && whole.has(Math.floor(indexes[i] / BLOCK))) continue;
        const off = indexes[i] * pageSize;
        let page = file.slice(off, off + pageSize);
        if (page.length < pageSize) {  // Past the bytes MEMFS holds (pages lie within the size): zeros.
          const padded = new Uint8Array(pageSize);
          padded.set(page);
          page = padded;
        }
        pages.put(page, [path, indexes[i]]);
      }
      const before = this.sizes.get(path) || 0;
      if (size < before) {
        const count = Math.ceil(size / pageSize);
        pages.delete(IDBKeyRange.bound([path, count], [path, Infinity]));
        // Blocks past the end go; one across it keeps the pages below the end as pages of their own.
        const kept = Math.floor(count / BLOCK);
        for (let k = kept * BLOCK; k < count && count % BLOCK !== 0; k++) {
          const off = k * pageSize;
          let page = file.slice(off, off + pageSize);
          if (page.length < pageSize) { const w = new Uint8Array(pageSize); w.set(page); page = w; }
          pages.put(page, [path, k]);
        }
        pages.delete(IDBKeyRange.bound([path, -Infinity], [path, -1 - kept]));
      }
      tx.objectStore('files').put({ size: size, pageSize: pageSize }, path);
      this.sizes.set(path, size);
      tx.oncomplete = () => {
        this.pending--;
        metrics.durableAt = Date.now();
        metrics.persistMs.push(performance.now() - started);
        if (metrics.persistMs.length > 200) metrics.persistMs.shift();
        this.settle();
      };
      const failed = () => { this.pending--; this.error = String(tx.error || 'IndexedDB write failed'); this.settle(); };
      tx.onerror = failed;
      tx.onabort = failed;
    },
  };
  // ---- One tab owns the local store (Web Locks API): a second tab says the app is open elsewhere
  // and offers to take over; the tab that loses the lock stops at once, before it writes again.
  const blockerEl = document.getElementById('elsewhere');
  const owner = {
    lost: false,
    acquire(steal) {
      if (!(navigator.locks && navigator.locks.request)) return Promise.resolve(true);  // Not a secure context.
      return new Promise((resolve) => {
        navigator.locks.request('linli-store', steal ? { steal: true } : { ifAvailable: true }, (lock) => {
          if (!lock) { resolve(false); return undefined; }
          resolve(true);
          return new Promise(() => {});  // Held for the life of the tab.
        }).catch(() => {
          // Another tab took the store over.
          this.lost = true;
          storage.fenced = true;
          showBlocker('邻里已在另一个标签页中打开，此页已停止。\nLinli was opened in another tab; this one has stopped.',
                      '重新加载 / Reload', () => location.reload());
        });
      });
    },
  };
  function showBlocker(text, buttonText, onClick) {
    blockerEl.querySelector('p').textContent = text;
    const button = blockerEl.querySelector('button');
    button.textContent = buttonText;
    button.onclick = onClick;
    blockerEl.style.display = 'flex';
  }
  // A tab closed a moment ago may still hold the store while it shuts down (a reopened app would
  // say it is open elsewhere): keep asking, say so only after a second and a half, and go on by
  // itself as soon as the other tab lets go.
  const ownedPromise = owner.acquire(false).then((owned) => owned || new Promise((resolve) => {
    let done = false;
    const start = () => {
      done = true;
      clearInterval(retry);
      clearTimeout(tell);
      blockerEl.style.display = 'none';
      loadingEl.style.display = 'flex';
      resolve(true);
    };
    const retry = setInterval(() => {
      if (!done) owner.acquire(false).then((got) => { if (got && !done) start(); });
    }, 250);
    const tell = setTimeout(() => {
      if (done) return;
      loadingEl.style.display = 'none';
      showBlocker('邻里已在另一个标签页中打开。\nLinli is open in another tab.', '在此标签页使用 / Use it here', () => {
        if (done) return;
        clearInterval(retry);
        // Free after all: take it plainly; else take it over from the other tab.
        owner.acquire(false).then((got) => (got ? true : owner.acquire(true))).then(() => { if (!done) start(); });
      });
    }, 1500);
  }));

  // Deletes this device's data (the session with it) and starts again from the sign-in screen.
  function wipeAndReload() {
    storage.fenced = true;
    if (storage.db) storage.db.close();
    const req = indexedDB.deleteDatabase('linli');
    const reload = () => location.reload();
    req.onsuccess = reload;
    req.onerror = reload;
    req.onblocked = reload;
  }

  const storagePromise = ownedPromise.then(() => storage.open())
    .then((db) => {
      storage.db = db;
      return storage.load(DB_PATH, (done, size) => {
        if (size < 32 * 1024 * 1024) return;  // A small store opens before anyone could read this.
        const mib = (n) => (n / 1048576).toFixed(0);
        loadingEl.textContent = `邻里 Linli · 正在打开本机数据 Opening this device's data… ${mib(done)} / ${mib(size)} MiB`;
      });
    })
    .then((bytes) => { metrics.storageLoadMs = performance.now(); return bytes; })
    .catch((e) => {
      storage.error = 'IndexedDB: ' + (e && e.message || e);
      console.error('linli:', storage.error);
      // The stored file could not be read whole: the app starts on an empty store, which must
      // never be written over the pages still kept (the error stays on screen; nothing is lost).
      if (storage.db) storage.fenced = true;
      return null;
    });

  // ---- IME bridge: a hidden textarea holds the focus while ImGui wants text.
  const imeEl = document.getElementById('ime');
  const ime = {
    active: false, composing: false, queue: '',
    update(active, x, y, h) {
      if (active) {
        const dpr = window.devicePixelRatio || 1;
        imeEl.style.left = (x / dpr) + 'px';
        imeEl.style.top = (y / dpr) + 'px';
        imeEl.style.height = Math.max(1, h / dpr) + 'px';
        if (document.activeElement !== imeEl) imeEl.focus({ preventScroll: true });
      } else if (this.active && document.activeElement === imeEl) {
        imeEl.blur();
      }
      this.active = active;
    },
    take() { const s = this.queue; this.queue = ''; return s; },
    copy(text) {
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).catch(() => {});
    },
  };
  // A frame at once after a click, a key or committed text (Module._linli_frame_now), made in the
  // event's own listener, once GLFW's listeners (on the canvas, capturing) have queued the input:
  // the answer is drawn without waiting for the next animation frame, which the browser holds
  // back while it composites the last frame (30-80 ms at 1600x900 with a software GPU). A task
  // posted from here would wait as long: the browser runs the frame first.
  let inFrame = false;
  const frameNow = () => {
    if (inFrame || !window.Module || !Module.calledRun || !Module._linli_frame_now) return;
    inFrame = true;
    try { Module._linli_frame_now(); } finally { inFrame = false; }
  };
  window.addEventListener('mouseup', frameNow);
  window.addEventListener('keydown', frameNow);
  imeEl.addEventListener('compositionstart', () => { ime.composing = true; });
  imeEl.addEventListener('compositionend', (e) => {
    ime.composing = false;
    if (e.data) ime.queue += e.data;
    imeEl.value = '';
  });
  imeEl.addEventListener('input', (e) => {
    if (e.isComposing || ime.composing) return;  // compositionend brings the composed text.
    if ((e.inputType === 'insertText' || e.inputType === 'insertReplacementText') && e.data) ime.queue += e.data;
    imeEl.value = '';
  });
  imeEl.addEventListener('paste', (e) => {
    const text = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
    if (text) ime.queue += text;
    e.preventDefault();
  });
  // After the listeners above have queued the text (listeners run in the order they were added).
  for (const name of ['compositionend', 'input', 'paste']) imeEl.addEventListener(name, frameNow);
  // A click on the canvas while typing must not take the focus from the textarea.
  document.getElementById('canvas').addEventListener('mousedown', (e) => { if (ime.active) e.preventDefault(); });

  // ---- The Emscripten module: main() runs once the font and the stored database are in place.
  window.Module = {
    canvas: document.getElementById('canvas'),
    preRun: [function () {
      Module.addRunDependency('linli-start');
      Promise.all([fontPromise, storagePromise]).then(([font, dbBytes]) => {
        // MEMFS grows a file past 1 MiB by an eighth at a time, copying it whole each time: a first
        // sync that writes a 60 MB store copied some 500 MB. Here a file past 1 MiB moves once into a
        // resizable ArrayBuffer (a length-tracking view over it is the file's contents), which then
        // grows in place, copying nothing: at half a growth per step a 65 MB store had still copied
        // 180 MB (550 ms of a 10 s first sync). Where resizable buffers are missing, or the file
        // outgrows the room reserved, a file grows by half at a time, copying.
        const memfs = FS.root && FS.root.mount && FS.root.mount.type;
        if (memfs && typeof memfs.expandFileStorage === 'function') {
          const expand = memfs.expandFileStorage;
          const ROOM = 2 ** 31;  // Address space reserved, not memory: pages are used as the file grows.
          const growth = metrics.fileGrowth;
          memfs.expandFileStorage = function (node, capacity) {
            const had = node.contents ? node.contents.length : 0;
            if (capacity <= had) return undefined;
            const buffer = node.contents && node.contents.buffer;
            const wanted = Math.max(capacity, Math.floor(had * 1.25));
            if (buffer && buffer.resizable && wanted <= buffer.maxByteLength) {
              buffer.resize(wanted);
              growth.inPlace++;
              return undefined;
            }
            if (capacity >= (1 << 20) && capacity <= ROOM && typeof ArrayBuffer.prototype.resize === 'function') {
              try {
                const contents = new Uint8Array(new ArrayBuffer(Math.min(ROOM, Math.max(wanted, 1 << 22)), { maxByteLength: ROOM }));
                if (node.usedBytes > 0) contents.set(node.contents.subarray(0, node.usedBytes));
                node.contents = contents;
                growth.copies++;
                growth.copiedBytes += node.usedBytes;
                return undefined;
              } catch (e) {
                // No room to reserve: grow by copying, below.
              }
            }
            if (had >= (1 << 20)) capacity = Math.max(capacity, Math.floor(had * 1.5));
            growth.copies++;
            growth.copiedBytes += node.usedBytes || 0;
            return expand.call(this, node, capacity);
          };
        }
        FS.mkdir('/fonts');
        FS.mkdir('/data');
        if (font) FS.writeFile(FONT_PATH, font);
        if (dbBytes) FS.writeFile(DB_PATH, dbBytes, { canOwn: true });  // MEMFS keeps this array: no copy.
        metrics.mainMs = performance.now();
        Module.removeRunDependency('linli-start');
      });
    }],
    print: (t) => console.log(t),
    printErr: (t) => console.error(t),
    onAbort: (what) => showFailure('邻里无法启动 / Linli could not start\n' + what),
  };
  window.addEventListener('error', (e) => {
    if (metrics.firstFrameMs === null) showFailure('邻里无法启动 / Linli could not start\n' + (e.message || e));
  });

  // ---- Is the sync server reachable? navigator.onLine only knows about the network interface.
  const net = {
    reachable: navigator.onLine, back: false,
    check() {
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), 4000);
      fetch('healthz', { cache: 'no-store', signal: ctl.signal })
        .then((r) => { this.reachable = r.ok; })
        .catch(() => { this.reachable = false; })
        .finally(() => clearTimeout(timer));
    },
  };
  net.check();
  setInterval(() => net.check(), 10000);
  // A photo's upload progress (platform.h http_sent_bytes): the Fetch API sends with XMLHttpRequest,
  // so each PUT's upload events are counted here by its URL while it is out.
  const sent = new Map();
  const xhrOpen = XMLHttpRequest.prototype.open;
  const xhrSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function open(method, url, ...rest) {
    this.linliPut = String(method).toUpperCase() === 'PUT' ? String(url) : null;
    return xhrOpen.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function send(body) {
    const url = this.linliPut;
    if (url) {
      sent.set(url, 0);
      this.upload.addEventListener('progress', (e) => sent.set(url, e.loaded));
      this.addEventListener('loadend', () => sent.delete(url));
    }
    return xhrSend.call(this, body);
  };
  net.sentBytes = (path) => (sent.has(path) ? sent.get(path) : -1);
  // A download to a file (platform_web.cpp js_fetch_to_file): [bytes come so far, its length].
  net.received = new Map();
  window.addEventListener('online', () => { net.back = true; net.check(); });
  window.addEventListener('offline', () => { net.reachable = false; });

  // ---- Files out: the monthly report's CSV and its print version (app/platform/platform.h).
  const files = {
    // A Blob, an object URL and a click on an <a download>: no navigation, no inline script.
    download(name, mime, bytes) {
      const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.style.display = 'none';
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    },
    // The print version needs the bearer token, which must not go in a URL: the window is opened
    // at once (the click's user activation), the page fetched with the header and written into it.
    // An about:blank window shares this origin and policy, so its stylesheet (report-print.css)
    // resolves against the app's own address.
    // False when no window opened (a pop-up blocker): the app says so. A failure is said in the
    // window, in both languages, rather than leaving it blank.
    openAuthorized(path, token) {
      const w = window.open('', '_blank');
      if (!w) return false;
      w.document.title = '…';
      const say = (text) => {
        w.document.title = '邻里 Linli';
        w.document.body.textContent = text;
      };
      fetch(path, { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' })
        .then((r) => r.text().then((t) => ({ ok: r.ok, status: r.status, text: t })))
        .then(({ ok, status, text }) => {
          if (!ok) {
            say(status === 401 ? '登录已过期：请回到邻里重新登录，再打开打印版。 / Signed out: sign in to Linli again, then open the print version.'
                               : `无法取得报表（HTTP ${status}）。 / The report could not be fetched (HTTP ${status}).`);
            return;
          }
          w.document.open();
          w.document.write(text);
          w.document.close();
        })
        .catch(() => say('打印版需要联网：现在连不上服务器，联网后再试。 / The print version needs the network: the server cannot be reached now; try again once online.'));
      return true;
    },
    // 拨打 beside a citizen's phone: a tel: link clicked, as a tapped <a href="tel:…"> would be (the
    // phone's dialler; a desktop's calling app, if it has one). The last number is kept for tests.
    dial(number) {
      files.dialled = number;
      const a = document.createElement('a');
      a.href = 'tel:' + number.replace(/[^0-9+]/g, '');
      a.style.display = 'none';
      document.body.appendChild(a);
      a.click();
      a.remove();
    },
  };

  // ---- Photos in (app/platform/platform.h choose_photo): a file input opened from the user's click
  // (the rear camera on a phone), the picture scaled in the browser to at most MAX_SIDE px on its
  // longest side and compressed to JPEG, the bytes handed to the app (Module._linli_photo_chosen).
  // The app stores them and says so (saved): the time from the choice to the durable write is kept.
  const PHOTO_MAX_SIDE = 1600;
  const PHOTO_QUALITY = 0.8;
  const photos = {
    busy: false, chosenAt: 0, textures: new Map(),
    saveMs: [], sizes: [],  // Choice to durable in the local store, and the stored size: the last 100.
    scaleMs: [],            // ... of which the decode, scale and encode.
    choose() {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = 'image/*';
      input.setAttribute('capture', 'environment');
      input.style.display = 'none';
      document.body.appendChild(input);
      input.addEventListener('change', () => {
        const file = input.files && input.files[0];
        input.remove();
        if (file) this.take(file);
      });
      input.addEventListener('cancel', () => input.remove());
      input.click();
    },
    // A JPEG's size from its frame header (SOFn), or null: read before decoding, so the decoder can
    // scale as it decodes (a 12-megapixel photo decoded whole costs seconds on a slow phone).
    jpegSize(b) {
      if (b.length < 4 || b[0] !== 0xFF || b[1] !== 0xD8) return null;
      for (let i = 2; i + 9 < b.length;) {
        if (b[i] !== 0xFF) return null;
        const m = b[i + 1];
        if (m === 0xFF) { i++; continue; }
        if (m >= 0xC0 && m <= 0xCF && m !== 0xC4 && m !== 0xC8 && m !== 0xCC)
          return { w: (b[i + 7] << 8) | b[i + 8], h: (b[i + 5] << 8) | b[i + 6] };
        i += 2 + ((b[i + 2] << 8) | b[i + 3]);
      }
      return null;
    },
    // One decode, scaled while decoding where the size is known (createImageBitmap's resize
    // options), one draw (only when the EXIF orientation turned it), one JPEG encode.
    async scale(file) {
      const size = this.jpegSize(new Uint8Array(await file.slice(0, 262144).arrayBuffer()));
      const side = size ? Math.max(size.w, size.h) : 0;
      const bitmap = side > PHOTO_MAX_SIDE
        ? await createImageBitmap(file, size.w >= size.h ? { resizeWidth: PHOTO_MAX_SIDE, resizeQuality: 'high' }
                                                        : { resizeHeight: PHOTO_MAX_SIDE, resizeQuality: 'high' })
        : await createImageBitmap(file);
      const k = Math.min(1, PHOTO_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      const w = Math.max(1, Math.round(bitmap.width * k));
      const h = Math.max(1, Math.round(bitmap.height * k));
      let blob;
      if (typeof OffscreenCanvas !== 'undefined') {
        const canvas = new OffscreenCanvas(w, h);
        const ctx = canvas.getContext('2d');
        ctx.imageSmoothingQuality = 'high';
        ctx.drawImage(bitmap, 0, 0, w, h);
        blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: PHOTO_QUALITY });
      } else {
        const canvas = document.createElement('canvas');
        canvas.width = w;
        canvas.height = h;
        const ctx = canvas.getContext('2d');
        ctx.imageSmoothingQuality = 'high';
        ctx.drawImage(bitmap, 0, 0, w, h);
        blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', PHOTO_QUALITY));
      }
      bitmap.close();
      if (!blob) throw new Error('the picture could not be encoded as JPEG');
      return { bytes: new Uint8Array(await blob.arrayBuffer()), width: w, height: h };
    },
    hand(bytes, width, height) {
      const p = Module._malloc(Math.max(1, bytes.length));
      HEAPU8.set(bytes, p);
      Module._linli_photo_chosen(p, bytes.length, width, height);
      Module._free(p);
    },
    take(file) {
      this.busy = true;
      this.chosenAt = performance.now();
      this.scale(file)
        .then(({ bytes, width, height }) => {
          this.scaleMs.push(performance.now() - this.chosenAt);
          if (this.scaleMs.length > 100) this.scaleMs.shift();
          this.hand(bytes, width, height);
        })
        .catch((e) => this.hand(new TextEncoder().encode(String(e && e.message || e)), 0, 0))
        .finally(() => { this.busy = false; });
    },
    // The app stored the photo handed last (`size` bytes): once IndexedDB confirms, it is durable.
    saved(size) {
      const from = this.chosenAt;
      storage.whenDurable().then(() => {
        this.saveMs.push(performance.now() - from);
        this.sizes.push(size);
        if (this.saveMs.length > 100) { this.saveMs.shift(); this.sizes.shift(); }
      });
    },
  };

  window.Linli = { storage, ime, metrics, net, owner, fonts, files, photos, wipeAndReload };

  // ---- End-to-end tests read the app through these (see tests/e2e).
  window.linliTest = {
    ready: () => metrics.firstFrameMs !== null,
    items: () => JSON.parse(UTF8ToString(Module._linli_test_items())),
    state: () => JSON.parse(UTF8ToString(Module._linli_test_state())),
    fonts: () => Object.assign(JSON.parse(UTF8ToString(Module._linli_test_fonts())),
                               { restReady: fonts.restReady, restError: fonts.restError }),
    metrics: () => ({ fontMs: metrics.fontMs, storageLoadMs: metrics.storageLoadMs, mainMs: metrics.mainMs,
                      firstFrameMs: metrics.firstFrameMs, fontRestMs: metrics.fontRestMs, persistMs: metrics.persistMs.slice(), frames: metrics.frames.slice(),
                      pending: storage.pending, storageError: storage.error, fileGrowth: Object.assign({}, metrics.fileGrowth),
                      blockPuts: Object.assign({}, metrics.blockPuts),
                      durableAt: metrics.durableAt,
                      photoSaveMs: photos.saveMs.slice(), photoSizes: photos.sizes.slice(),
                      photoScaleMs: photos.scaleMs.slice() }),
  };

  // ---- Offline: the service worker keeps the app shell and the rest of the font. Registered once
  // the rest of the font was fetched (or failed), after the first frame (fonts.loadRest).
  function registerServiceWorker() {
    if (!('serviceWorker' in navigator && window.isSecureContext)) return;
    navigator.serviceWorker.register('sw.js').catch((e) => console.warn('linli: no service worker:', e));
  }
})();
