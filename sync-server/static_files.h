// Serving the built web app from a folder: MIME types, precompressed .gz siblings, ETags, and the
// security headers of the app's pages (its Content-Security-Policy).
// Read-only; it never serves anything outside its folder.
#pragma once

#include <string>
#include <string_view>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace linli::server {

std::string_view mime_type_for(std::string_view path);

// The Content-Security-Policy of the app's files (static_files.cpp says why each part is there).
extern const char* const kContentSecurityPolicy;

class StaticFiles {
 public:
  explicit StaticFiles(std::string root) : m_root(std::move(root)) {}
  // Answers GET/HEAD for `url_path`; "/" is index.html. False when there is no such file.
  bool serve(const httplib::Request& req, httplib::Response& res) const;
  const std::string& root() const { return m_root; }

 private:
  std::string m_root;
};

}  // namespace linli::server
