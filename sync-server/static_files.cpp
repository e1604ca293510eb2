// Static files. Text types are compressed on the fly by cpp-httplib; binary ones (wasm, ttf)
// are served from a precompressed NAME.gz made at build time when the client accepts gzip.
#include "static_files.h"

#include "http_util.h"

#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace linli::server {
namespace {

bool safe_relative(std::string_view p) {
  if (p.empty() || p.front() == '/') return false;
  size_t start = 0;
  while (start <= p.size()) {
    const size_t end = std::min(p.find('/', start), p.size());
    const std::string_view seg = p.substr(start, end - start);
    if (seg == ".." || seg == "." || seg.empty() || seg.find('\\') != std::string_view::npos ||
        seg.find('\0') != std::string_view::npos)
      return false;
    start = end + 1;
  }
  return true;
}

bool read_whole(const std::filesystem::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), {});
  return true;
}

bool compressed_by_httplib(std::string_view type) {
  return type.rfind("text/", 0) == 0 || type == "application/javascript" || type == "application/json" ||
         type == "image/svg+xml" || type.rfind("application/manifest+json", 0) == 0;
}

}  // namespace

// Exactly what the app uses, all from its own origin: its scripts (linli.js, the Emscripten glue
// app.js, the service worker sw.js), WebAssembly compiled from app.wasm ('wasm-unsafe-eval' allows
// that and not eval), the stylesheet linli.css (no inline style: index.html has none), fetches to
// the API and of the wasm and the font (the app hands the font's bytes to ImGui: no @font-face),
// the icon and the manifest. Everything else is refused; the page may not be framed (clickjacking),
// and neither <base> nor a form may send it elsewhere.
const char* const kContentSecurityPolicy =
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; manifest-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

std::string_view mime_type_for(std::string_view path) {
  const auto dot = path.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? "" : path.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "application/javascript";
  if (ext == "wasm") return "application/wasm";
  if (ext == "json") return "application/json";
  if (ext == "webmanifest") return "application/manifest+json";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "ttf") return "font/ttf";
  if (ext == "png") return "image/png";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "ico") return "image/x-icon";
  if (ext == "txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

bool StaticFiles::serve(const httplib::Request& req, httplib::Response& res) const {
  std::string rel = req.path == "/" ? "index.html" : req.path.substr(1);
  if (!safe_relative(rel)) return false;
  const std::filesystem::path file = std::filesystem::path(m_root) / rel;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return false;

  const std::string type(mime_type_for(rel));
  std::filesystem::path chosen = file;
  bool precompressed = false;
  const std::filesystem::path gz = file.string() + ".gz";
  if (!compressed_by_httplib(type) && accepts_gzip(req.get_header_value("Accept-Encoding")) &&
      std::filesystem::is_regular_file(gz, ec)) {
    chosen = gz;
    precompressed = true;
  }
  const auto mtime = std::filesystem::last_write_time(chosen, ec).time_since_epoch().count();
  const auto size = std::filesystem::file_size(chosen, ec);
  const std::string etag = "\"" + std::to_string(size) + "-" + std::to_string(mtime) + (precompressed ? "-gz" : "") + "\"";
  res.set_header("ETag", etag);
  // Revalidate every time: the service worker keeps the offline copy, the server the truth.
  res.set_header("Cache-Control", "no-cache");
  res.set_header("Vary", "Accept-Encoding");
  // Also on a 304: a revalidated copy takes the headers it brings. (X-Content-Type-Options is on
  // every response: Server::install_routes.)
  res.set_header("Content-Security-Policy", kContentSecurityPolicy);
  res.set_header("Referrer-Policy", "no-referrer");
  if (etag_matches(req.get_header_value("If-None-Match"), etag)) {
    res.status = 304;
    return true;
  }
  std::string body;
  if (!read_whole(chosen, body)) return false;
  if (precompressed) res.set_header("Content-Encoding", "gzip");
  res.body = std::move(body);
  res.set_header("Content-Type", type);
  return true;
}

}  // namespace linli::server
