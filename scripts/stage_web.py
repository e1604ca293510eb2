#!/usr/bin/python3
"""Stages the web app: copies web/ into the output folder next to app.js/app.wasm and the font,
stamps sw.js with a cache name made from the hash of everything it pre-caches, and writes
precompressed .gz siblings of the binary assets (the server sends those to gzip clients).
Idempotent: unchanged files are not rewritten, so a rebuild with no change touches nothing.

Usage: stage_web.py --src WEB_SOURCE_DIR --out OUTPUT_DIR
"""
import argparse
import gzip
import hashlib
import os
import sys

COPIED = ["index.html", "linli.css", "linli.js", "manifest.webmanifest", "icon.svg", "report-print.css", "report-print.js"]
# What the service worker pre-caches (the app shell), in the order of the hash.
# The rest of the font is not needed to start, but is kept for offline starts (web/linli.js
# registers the worker after fetching it).
SHELL = ["index.html", "linli.css", "linli.js", "app.js", "app.wasm", "fonts/linli-cjk.ttf", "fonts/linli-cjk-rest.ttf",
         "manifest.webmanifest", "icon.svg"]
PRECOMPRESSED = ["app.wasm", "fonts/linli-cjk.ttf", "fonts/linli-cjk-rest.ttf"]


def write_if_changed(path, data):
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return False
    except FileNotFoundError:
        pass
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    for name in COPIED:
        with open(os.path.join(a.src, name), "rb") as f:
            write_if_changed(os.path.join(a.out, name), f.read())

    digest = hashlib.sha256()
    for name in SHELL:
        path = os.path.join(a.out, name)
        if not os.path.exists(path):
            sys.exit("stage_web: missing %s (build the app first)" % path)
        with open(path, "rb") as f:
            digest.update(name.encode() + b"\0" + f.read())
    cache = "linli-shell-" + digest.hexdigest()[:16]

    with open(os.path.join(a.src, "sw.js"), encoding="utf-8") as f:
        sw = f.read()
    assets = ", ".join('"./%s"' % n for n in SHELL if n != "index.html")
    sw = sw.replace("__LINLI_CACHE__", cache).replace('"__LINLI_ASSETS__"', assets)
    write_if_changed(os.path.join(a.out, "sw.js"), sw.encode("utf-8"))

    for name in PRECOMPRESSED:
        path = os.path.join(a.out, name)
        with open(path, "rb") as f:
            raw = f.read()
        write_if_changed(path + ".gz", gzip.compress(raw, compresslevel=9, mtime=0))
    print("stage_web: %s (%s)" % (a.out, cache))


if __name__ == "__main__":
    main()
