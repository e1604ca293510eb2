// Option parsing for linli-server.
#include "options.h"

#include <charconv>
#include <cstdlib>
#include <filesystem>

namespace linli::server {
namespace {

Result<int> parse_port(const std::string& s) {
  int port = -1;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), port);
  if (ec != std::errc() || end != s.data() + s.size() || port < 0 || port > 65535)
    return Error{ErrorCode::InvalidArgument, "[server.options] --port: not a port number: \"" + s + "\""};
  return port;
}

}  // namespace

const char* usage() {
  return "Usage: linli-server [options]\n"
         "\n"
         "Serves the Linli web app and its sync API over HTTP.\n"
         "\n"
         "Options (environment variable in brackets):\n"
         "  --host ADDR     address to listen on [LINLI_HOST] (default 127.0.0.1)\n"
         "  --port N        port; 0 picks a free one [LINLI_PORT] (default 8080)\n"
         "  --db PATH       SQLite database file, created if missing [LINLI_DB] (default var/linli.db)\n"
         "  --web DIR       folder of the built web app [LINLI_WEB] (default web)\n"
         "  --blobs DIR     folder of uploaded photos, created if missing [LINLI_BLOBS]\n"
         "                  (default: the database's folder + /blobs)\n"
         "  --intake-key-file FILE\n"
         "                  API keys of the 12345 hotline platform, one a line; read at each\n"
         "                  request, so a key can be added or removed without a restart\n"
         "                  [LINLI_INTAKE_KEY_FILE] (default none: intake is off)\n"
         "  --workers N     request threads; each syncing device holds one while connected\n"
         "                  [LINLI_WORKERS] (default 1024)\n"
         "  --seed-demo     add the demo street (as the server's own changes) and the demo users,\n"
         "                  once: what is there already is not added again\n"
         "  --demo-users    add only the demo users (tests that want an empty street)\n"
         "  --help          print this and exit\n"
         "\n"
         "Commands:\n"
         "  linli-server user add NAME --role ROLE [--scope SCOPE] [--display NAME] [--db PATH]\n"
         "      ROLE is centre, department, committee or field; SCOPE the community or department.\n"
         "      The password is read from standard input (one line).\n"
         "  linli-server user list|disable NAME|enable NAME|passwd NAME [--db PATH]\n"
         "  linli-server backup --to FILE [--db PATH]   an online copy of the database\n"
         "  linli-server calendar list [--db PATH]      the working-day calendar's years\n"
         "  linli-server calendar add YEAR FILE [--db PATH]\n"
         "      adds the State Council's holiday notice of YEAR: {\"source\": \"...\", \"holidays\":\n"
         "      [[\"YYYY-MM-DD\", \"YYYY-MM-DD\"], ...], \"workdays\": [\"YYYY-MM-DD\", ...]}\n"
         "\n"
         "Environment: LINLI_TOKEN_HOURS (default 168) is how long a sign-in lasts; LINLI_KEPT_ANSWERS\n"
         "(default 16) how many pull answers are kept per scoped replica until it names the one it took;\n"
         "LINLI_FEED_KIB (default 4096) how much of the newest changes pulls are answered from memory.\n"
         "\n"
         "It prints \"listening on http://HOST:PORT\" once it accepts connections, and stops\n"
         "cleanly on SIGINT or SIGTERM.\n";
}

Result<Options> parse_options(const std::vector<std::string>& args) {
  Options o;
  if (const char* v = std::getenv("LINLI_HOST")) o.host = v;
  if (const char* v = std::getenv("LINLI_DB")) o.db = v;
  if (const char* v = std::getenv("LINLI_WEB")) o.web = v;
  if (const char* v = std::getenv("LINLI_BLOBS")) o.blobs = v;
  if (const char* v = std::getenv("LINLI_INTAKE_KEY_FILE")) o.intake_key_file = v;
  if (const char* v = std::getenv("LINLI_TOKEN_HOURS")) {
    auto h = parse_port(v);  // Same range rules: a small whole number.
    if (!h || *h < 1) return Error{ErrorCode::InvalidArgument, std::string("[server.options] LINLI_TOKEN_HOURS: not a number of hours: \"") + v + "\""};
    o.token_hours = *h;
  }
  if (const char* v = std::getenv("LINLI_KEPT_ANSWERS")) {
    auto k = parse_port(v);
    if (!k || *k < 1)
      return Error{ErrorCode::InvalidArgument,
                   std::string("[server.options] LINLI_KEPT_ANSWERS: not a number of answers: \"") + v + "\""};
    o.kept_answers = *k;
  }
  if (const char* v = std::getenv("LINLI_IMAGE_FROM")) {
    int64_t n = -1;
    const std::string_view text(v);
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || end != text.data() + text.size() || n < 0)
      return Error{ErrorCode::InvalidArgument,
                   std::string("[server.options] LINLI_IMAGE_FROM: not a number of changes: \"") + v + "\""};
    o.image_from = n;
  }
  if (const char* v = std::getenv("LINLI_FEED_KIB")) {
    auto k = parse_port(v);
    if (!k || *k < 1)
      return Error{ErrorCode::InvalidArgument, std::string("[server.options] LINLI_FEED_KIB: not a size in KiB: \"") + v + "\""};
    o.feed_kib = *k;
  }
  if (const char* v = std::getenv("LINLI_WORKERS")) {
    auto w = parse_port(v);
    if (!w || *w < 1) return Error{ErrorCode::InvalidArgument, std::string("[server.options] LINLI_WORKERS: not a number of threads: \"") + v + "\""};
    o.workers = *w;
  }
  if (const char* v = std::getenv("LINLI_PORT")) {
    auto p = parse_port(v);
    if (!p) return p.error();
    o.port = *p;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& out) -> Result<void> {
      if (i + 1 >= args.size())
        return Error{ErrorCode::InvalidArgument, "[server.options] " + a + ": needs a value"};
      out = args[++i];
      return Ok{};
    };
    std::string port_text;
    Result<void> r = Ok{};
    if (a == "--help" || a == "-h") o.help = true;
    else if (a == "--seed-demo") o.seed_demo = true;
    else if (a == "--demo-users") o.demo_users = true;
    else if (a == "--host") r = value(o.host);
    else if (a == "--db") r = value(o.db);
    else if (a == "--web") r = value(o.web);
    else if (a == "--blobs") r = value(o.blobs);
    else if (a == "--intake-key-file") r = value(o.intake_key_file);
    else if (a == "--workers") {
      std::string text;
      r = value(text);
      if (r) {
        auto w = parse_port(text);
        if (!w || *w < 1) return Error{ErrorCode::InvalidArgument, "[server.options] --workers: not a number of threads: \"" + text + "\""};
        o.workers = *w;
      }
    } else if (a == "--port") {
      r = value(port_text);
      if (r) {
        auto p = parse_port(port_text);
        if (!p) return p.error();
        o.port = *p;
      }
    } else {
      return Error{ErrorCode::InvalidArgument, "[server.options] unknown option \"" + a + "\" (see --help)"};
    }
    if (!r) return r.error();
  }
  if (o.blobs.empty()) {
    const std::filesystem::path parent = std::filesystem::path(o.db).parent_path();
    o.blobs = ((parent.empty() ? std::filesystem::path(".") : parent) / "blobs").string();
  }
  return o;
}

}  // namespace linli::server
