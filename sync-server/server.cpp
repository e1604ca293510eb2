// Routes and request logging of linli-server.
#include "server.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>

namespace linli::server {
namespace {

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void send_error(httplib::Response& res, int status, std::string_view code, std::string_view message) {
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

// One line of JSON per request, on stdout.
void log_request(const httplib::Request& req, const httplib::Response& res) {
  nlohmann::json line = {{"ts", now_ms()},          {"method", req.method},
                         {"path", req.path},        {"status", res.status},
                         {"bytes", res.body.size()}, {"remote", req.remote_addr}};
  std::printf("%s\n", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  std::fflush(stdout);
}

}  // namespace

Result<std::unique_ptr<Server>> Server::create(const Options& options) {
  std::error_code ec;
  const auto parent = std::filesystem::path(options.db).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  auto store = Store::open(options.db);
  if (!store) return store.error();
  if (options.seed_demo) {
    auto added = store->seed_demo_tickets(now_ms());
    if (!added) return added.error();
  }
  if (!std::filesystem::is_regular_file(std::filesystem::path(options.web) / "index.html", ec))
    return Error{ErrorCode::NotFound, "[server.create] " + options.web +
                                          ": no index.html (build the web app first: make build)"};
  return std::unique_ptr<Server>(new Server(options, std::move(store).value()));
}

Server::Server(Options options, Store store)
    : m_options(std::move(options)), m_store(std::move(store)), m_files(m_options.web),
      m_http(std::make_unique<httplib::Server>()) {
  install_routes();
}

Server::~Server() = default;

void Server::install_routes() {
  m_http->set_payload_max_length(8 * 1024 * 1024);
  m_http->set_logger(log_request);

  m_http->Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    int64_t tickets = -1;
    {
      std::lock_guard lock(m_store_mutex);
      if (auto n = m_store.count_tickets()) tickets = *n;
    }
    if (tickets < 0) return send_error(res, 503, "storage", "the database does not answer");
    nlohmann::json body = {{"status", "ok"}, {"schema", Store::schema_version()}, {"tickets", tickets}};
    res.set_content(body.dump(), "application/json");
  });

  // Anything under /api/ that no route took is a JSON 404, never the app's HTML.
  m_http->Get(R"(/api/.*)", [](const httplib::Request& req, httplib::Response& res) {
    send_error(res, 404, "not_found", "no such endpoint: " + req.path);
  });

  m_http->Get(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) {
    if (!m_files.serve(req, res)) send_error(res, 404, "not_found", "no such file: " + req.path);
  });
}

Result<int> Server::bind() {
  const int port = m_options.port == 0 ? m_http->bind_to_any_port(m_options.host)
                                       : (m_http->bind_to_port(m_options.host, m_options.port) ? m_options.port : -1);
  if (port < 0)
    return Error{ErrorCode::Storage, "[server.bind] cannot listen on " + m_options.host + ":" +
                                         std::to_string(m_options.port) + " (in use, or not an address here)"};
  return port;
}

void Server::run() { m_http->listen_after_bind(); }

void Server::stop() { m_http->stop(); }

}  // namespace linli::server
