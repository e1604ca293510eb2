// PUT, HEAD and GET /api/v1/blobs/{sha256}: photos, content-addressed (docs/protocol.md, "Blobs").
// Decode and answer only; the folder is blob_store.cpp's. Signed-in users of any role.
#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>

#include "blob_store.h"
#include "context.h"
#include "http_util.h"

namespace linli::server {
namespace {

constexpr const char* kBlobPattern = R"(/api/v1/blobs/([^/]*))";

// The {sha256} of the path, or empty after answering 400.
std::string blob_name(const httplib::Request& req, httplib::Response& res) {
  const std::string name = req.matches.size() > 1 ? req.matches[1].str() : std::string();
  if (!is_blob_name(name)) {
    send_error(res, 400, "bad_name", "a blob is named by the SHA-256 of its bytes: 64 lowercase hex digits");
    return {};
  }
  return name;
}

nlohmann::json blob_json(const std::string& sha256, int64_t size, const std::string& type) {
  return {{"sha256", sha256}, {"size", size}, {"type", type}};
}

void put_blob(ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
  if (!authenticate(ctx, req, res)) return;
  const std::string name = blob_name(req, res);
  if (name.empty()) return;
  const std::string type = media_type(req.get_header_value("Content-Type"));
  if (!blob_extension(type))
    return send_error(res, 415, "unsupported_media_type", "a photo is image/jpeg, image/png or image/webp");
  // cpp-httplib refuses bodies over kMaxBlobBytes before this runs; kept for a raised global limit.
  if (req.body.size() > kMaxBlobBytes) return send_error(res, 413, "too_large", "a photo is limited to 10 MiB");
  if (req.body.empty()) return send_error(res, 400, "empty_body", "the body is empty: send the photo's bytes");
  if (sha256_hex(req.body) != name)
    return send_error(res, 422, "hash_mismatch", "the body's SHA-256 is not the name " + name);
  auto put = BlobStore(ctx.options.blobs).put(name, req.body, type);
  if (!put) return send_error(res, 500, "storage", put.error().detail);
  if (*put == PutOutcome::Created)
    return send_json(res, 201, blob_json(name, static_cast<int64_t>(req.body.size()), type));
  // Already here: the stored type is the one answered and served, whatever this upload said.
  auto found = BlobStore(ctx.options.blobs).find(name);
  if (!found || !*found) return send_error(res, 500, "storage", "a blob vanished while being stored: " + name);
  send_json(res, 200, blob_json(name, (*found)->size, (*found)->type));
}

// GET sends the bytes; HEAD (routed here by cpp-httplib) the same headers without them.
void get_blob(ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
  if (!authenticate(ctx, req, res)) return;
  const std::string name = blob_name(req, res);
  if (name.empty()) return;
  auto found = BlobStore(ctx.options.blobs).find(name);
  if (!found) return send_error(res, 500, "storage", found.error().detail);
  if (!*found) return send_error(res, 404, "not_found", "no blob " + name);
  const BlobInfo info = **found;
  const std::string etag = "\"" + name + "\"";
  res.set_header("ETag", etag);
  // The name is the content: it can never change, so it is cached for good (but not by shared caches).
  res.set_header("Cache-Control", "private, max-age=31536000, immutable");
  // X-Content-Type-Options: nosniff comes with every answer (server.cpp's default headers), once.
  if (etag_matches(req.get_header_value("If-None-Match"), etag)) {
    res.status = 304;
    return;
  }
  std::shared_ptr<std::FILE> file(std::fopen(info.path.c_str(), "rb"), [](std::FILE* f) {
    if (f) std::fclose(f);
  });
  if (!file) return send_error(res, 404, "not_found", "no blob " + name);
  res.status = 200;
  // Streamed from the file in pieces: a 10 MiB photo never sits whole in memory.
  res.set_content_provider(static_cast<size_t>(info.size), info.type,
                           [file](size_t offset, size_t length, httplib::DataSink& sink) {
                             char buf[64 * 1024];
                             if (std::fseek(file.get(), static_cast<long>(offset), SEEK_SET) != 0) return false;
                             const size_t got = std::fread(buf, 1, std::min(length, sizeof buf), file.get());
                             return got > 0 && sink.write(buf, got);
                           });
}

}  // namespace

void install_blob_routes(httplib::Server& http, ServerContext& ctx) {
  // Leftover temp files of a crash go before the first request; an error shows at the first PUT.
  BlobStore(ctx.options.blobs).prepare().ok();
  http.Put(kBlobPattern, [&ctx](const httplib::Request& req, httplib::Response& res) { put_blob(ctx, req, res); });
  http.Get(kBlobPattern, [&ctx](const httplib::Request& req, httplib::Response& res) { get_blob(ctx, req, res); });
}

}  // namespace linli::server
