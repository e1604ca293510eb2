// Server life and the routes that are not the API's own files: health, metrics, static files.
#include "server.h"

#include <httplib.h>
#include <sodium.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <thread>

#include "http_util.h"
#include "sync/calendar_json.h"
#include "worker_pool.h"

namespace linli::server {
namespace {

// Each request is handled start to end on one worker thread: its start time can live here.
thread_local std::chrono::steady_clock::time_point t_request_start;

// The largest route's limit (a photo, 10 MiB); JSON routes refuse more than 8 MiB themselves.
constexpr int kReaders = 4;  // Store connections for pulls, beside the one writer.
// A reader's page cache: 8 MiB, not the writer's 64. Pulls read the log's newest pages (the change
// feed answers most), and four full caches would take most of the server's memory budget.
constexpr int kReaderCachePages = 2048;
constexpr size_t kMaxBodyBytes = kMaxBlobBytes;
constexpr int kListenBacklog = 4096;  // Connections waiting to be accepted (see Server::bind).

}  // namespace

Result<int> seed_demo_users(AccountStore& accounts, int64_t now) {
  struct Demo {
    const char* name;
    const char* display;
    Role role;
    const char* scope;
  };
  static constexpr Demo kDemo[] = {
      {"zhang.bin", "张斌（城运中心）", Role::Centre, ""},
      {"hebin.li", "李主任（河滨花园居委）", Role::Committee, "河滨花园"},
      {"guanli.wang", "王科长（管理办）", Role::Department, "管理办"},
      {"chuhai.chen", "陈师傅（除害站）", Role::Field, "除害站"},
      // The other handlers of the demo street (core/demo_data.cpp), so each can sign in.
      {"fuwu.zhao", "赵科长（服务办）", Role::Department, "服务办"},
      {"yingshang.sun", "孙科长（营商办）", Role::Department, "营商办"},
      {"pingan.qian", "钱科长（平安办）", Role::Department, "平安办"},
      {"fangguan.zhou", "周科长（房管办）", Role::Department, "房管办"},
      {"chengguan.xu", "徐队长（城管中队）", Role::Department, "城管中队"},
      {"dangqun.lin", "林科长（党群办）", Role::Department, "党群办"},
      {"shijian.ma", "马所长（市场监管所）", Role::Department, "市场监管所"},
      {"lianhe.tang", "唐主任（1+8联动平台）", Role::Department, "1+8联动平台"},
      {"pushan.wu", "吴主任（普善路居委）", Role::Committee, "普善路小区"},
      {"tianmu.he", "何主任（天目西路居委）", Role::Committee, "天目西路小区"},
      {"zhonghua.gu", "顾主任（中华新路居委）", Role::Committee, "中华新路927弄"},
  };
  // One Argon2id hash for all (the same public password; hashing each would add seconds to a start).
  std::optional<std::string> hash;
  int added = 0;
  for (const Demo& d : kDemo) {
    auto found = accounts.find_user(d.name);
    if (!found) return found.error();
    if (found->has_value()) continue;
    if (!hash) {
      auto h = hash_password("linli-demo");
      if (!h) return h.error();
      hash = std::move(h).value();
    }
    User u;
    u.name = d.name;
    u.display_name = d.display;
    u.role = d.role;
    u.scope = d.scope;
    if (auto r = accounts.add_user(u, *hash, now); !r) return r.error();
    ++added;
  }
  return added;
}

Result<std::unique_ptr<Server>> Server::create(const Options& options) {
  if (auto r = init_crypto(); !r) return r.error();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(std::filesystem::path(options.web) / "index.html", ec))
    return Error{ErrorCode::NotFound, "[server.create] " + options.web +
                                          ": no index.html (build the web app first: make build)"};
  const auto parent = std::filesystem::path(options.db).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  auto store = Store::open(options.db, {.use = StoreUse::Server});
  if (!store) return store.error();
  // A database put back from a copy (backup) numbers its next change far past the copy's last, so
  // that a device that pulled past the copy from the server before is told to start over; and the
  // server's own changes take a new replica id, as the copy's counter for its old one is behind
  // changes devices hold. The id first: a start that stops between the two does both again.
  auto restored = store->marked_as_copy();
  if (!restored) return restored.error();
  auto accounts = AccountStore::open(options.db);
  if (!accounts) return accounts.error();
  auto state = ServerState::open(options.db);
  if (!state) return state.error();
  // What replicas hold: in a file of its own (ServerState::held_path), written without an fsync
  // per commit (a lost row only resends a ticket or asks a replica to pull again from the start).
  const std::string held_path = ServerState::held_path(options.db);
  auto held = ServerState::open(held_path, false);
  if (!held) return held.error();
  if (auto moved = held->adopt_held_from(options.db); !moved) return moved.error();
  uint8_t fresh[16];
  randombytes_buf(fresh, sizeof fresh);
  auto server_replica = state->server_replica(replica_id_from_bytes(fresh), *restored);
  if (!server_replica) return server_replica.error();
  // The server's own replica id is its own: claimed under a name no user can have (user names
  // start with a letter), so a client that pushes or pulls with it gets 403 forged_replica.
  if (auto owner = state->claim_replica(to_hex(*server_replica), "@server", now_ms()); !owner) return owner.error();
  auto skipped = store->skip_numbers_after_copy();
  if (!skipped) return skipped.error();
  if (*skipped)
    std::fprintf(stderr,
                 "linli-server: %s is a copy (put back from a backup): its log ends at %lld; the next change is "
                 "numbered %lld, a device whose cursor is between them is told to pull again from the start, and the "
                 "server's own changes take a new replica id\n",
                 options.db.c_str(), static_cast<long long>((*skipped)->after), static_cast<long long>((*skipped)->until));
  auto gaps = store->log_gaps();
  if (!gaps) return gaps.error();
  auto log_end = store->committed_last_seq();
  if (!log_end) return log_end.error();
  if (options.seed_demo || options.demo_users) {
    if (auto users = seed_demo_users(*accounts, now_ms()); !users) return users.error();
  }
  auto ctx = std::make_unique<ServerContext>(options, std::move(store).value(), std::move(accounts).value(),
                                             std::move(state).value(), std::move(held).value());
  ctx->server_replica = *server_replica;
  ctx->log_gaps = std::move(gaps).value();
  ctx->calendar = builtin_calendar();
  auto notices = ctx->store.calendar_notices();
  if (!notices) return notices.error();
  for (const auto& [year, json] : *notices) {
    auto y = parse_calendar_year_json(year, json);
    if (!y) return y.error();
    if (auto added = ctx->calendar.add_year(std::move(y).value()); !added) return added.error();
  }
  if (auto set = ctx->store.set_calendar(ctx->calendar); !set) return set.error();
  ctx->feed.start_after(*log_end);  // The last change: not the end of numbers skipped after it.
  if (options.seed_demo) {  // The demo street as the server's own changes, so every replica pulls it.
    if (auto added = seed_demo_street(*ctx, now_ms()); !added) return added.error();
    if (auto added = seed_demo_field(*ctx, now_ms()); !added) return added.error();
  }
  for (int i = 0; i < kReaders; ++i) {
    StoreOptions reading{.use = StoreUse::Server};
    reading.cache_pages = kReaderCachePages;
    auto reader = Store::open(options.db, reading);
    if (!reader) return reader.error();
    ctx->readers.add(Reader{std::move(reader).value(), i});
  }
  // From here on no commit checkpoints on the thread that made it (a push would wait for the
  // copy): the checkpointer does, on its own thread (checkpointer.h). The readers only read.
  ctx->store.leave_checkpoints_to_others();
  ctx->accounts.leave_checkpoints_to_others();
  ctx->state.leave_checkpoints_to_others();
  ctx->held.leave_checkpoints_to_others();
  auto checkpointer = Checkpointer::start({{options.db, &ctx->store_mutex}, {held_path, &ctx->held_mutex}});
  if (!checkpointer) return checkpointer.error();
  ctx->checkpointer = std::move(checkpointer).value();
  auto dummy = hash_password("not a password of anyone's");
  if (!dummy) return dummy.error();
  ctx->dummy_hash = *dummy;
  return std::unique_ptr<Server>(new Server(std::move(ctx)));
}

Server::Server(std::unique_ptr<ServerContext> ctx) : m_ctx(std::move(ctx)), m_http(std::make_unique<httplib::Server>()) {
  install_routes();
}

Server::~Server() = default;

void Server::install_routes() {
  ServerContext& ctx = *m_ctx;
  // cpp-httplib serves each connection on one pool thread for as long as it stays open, and a long
  // poll holds its thread: the pool is sized for devices, not cores (threads wait, they do not spin).
  // Threads start as connections need them, the last one idle serves next, and one idle for a
  // minute ends (worker_pool.h).
  const auto workers = static_cast<size_t>(std::max(4, ctx.options.workers));
  m_http->new_task_queue = [workers, &ctx] {
    return new WorkerPool(workers, [&ctx](size_t running) { ctx.metrics.set_request_threads(running); });
  };
  m_http->set_payload_max_length(kMaxBodyBytes);
  // cpp-httplib 0.11 polls an idle keep-alive connection every few milliseconds on its thread, and
  // notices a stop only when the wait ends: keep the wait short. A client whose request meets a
  // connection closed meanwhile sends it again (every sync request is idempotent).
  // httplib's default also sets SO_REUSEPORT, which would let a second server share the port
  // unnoticed; here a port in use is an error. The socket is kept to widen its queue in bind().
  m_http->set_socket_options([this](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    m_listen_socket = sock;
  });
  m_http->set_keep_alive_timeout(5);
  m_http->set_keep_alive_max_count(100000);  // A syncing device keeps its connection.
  m_http->set_read_timeout(30);
  m_http->set_write_timeout(30);

  // Every answer, the API's as the app's files': its Content-Type is what it is, never sniffed.
  m_http->set_default_headers({{"X-Content-Type-Options", "nosniff"}});
  // Every answer says the server's time (RFC 9110 Date), taken when it is sent: a long poll's is not
  // the time it arrived. Clients compare it with their own clock to warn of a device far off.
  // And whether it is gzipped depends on the request's Accept-Encoding (below), so a cache must
  // keep the two apart (the app's files say so themselves).
  m_http->set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("Date", http_date(now_ms()));
    if (!res.has_header("Vary")) res.set_header("Vary", "Accept-Encoding");
  });
  m_http->set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    t_request_start = std::chrono::steady_clock::now();
    // Answers are compressed with gzip, never brotli: Debian's cpp-httplib 0.11 compresses brotli
    // at its top quality (11), which took 700-900 ms for one 360 KB pull answer against 20 ms for
    // gzip, and made a browser's first sync 20 times slower than a native client's. httplib
    // chooses by the request's Accept-Encoding, so "br" is taken out of it here. (The request
    // object is httplib's own, not const: only the handler's view of it is.)
    // The header is also read whole, q-values included (httplib 0.11 only looks for the word
    // "gzip" in it, so "gzip;q=0" got gzip).
    auto& headers = const_cast<httplib::Request&>(req).headers;
    if (auto it = headers.find("Accept-Encoding"); it != headers.end())
      it->second = accepts_gzip(it->second) ? "gzip" : "identity";
    // Requests are not compressed (docs/protocol.md). httplib would inflate a gzip or deflate body
    // before any route sees it, with no bound: 10 MiB sent could become gigabytes in memory before
    // the token is even checked. So a body with any Content-Encoding but identity is refused here,
    // before it is read; the connection is closed, as the body is still on it.
    const std::string encoding = req.get_header_value("Content-Encoding");
    if (!uncompressed_body(encoding)) {
      send_error(res, 400, "bad_request",
                 "requests are not compressed: send the body without a Content-Encoding (this one says \"" +
                     encoding.substr(0, 40) + "\")");
      res.set_header("Connection", "close");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // One line of JSON per request, on stdout; the same figures feed /metrics.
  m_http->set_logger([&ctx](const httplib::Request& req, const httplib::Response& res) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t_request_start).count();
    ctx.metrics.observe_request(req.method, route_label(req.path), res.status, seconds);
    nlohmann::json line = {{"ts", now_ms()},           {"method", req.method},   {"path", req.path},
                           {"status", res.status},     {"bytes", res.body.size()}, {"ms", seconds * 1000.0},
                           {"remote", req.remote_addr}};
    std::printf("%s\n", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    std::fflush(stdout);
  });
  // A body over the limit never reaches a handler; httplib answers 413 and this gives it JSON.
  m_http->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 413) send_error(res, 413, "too_large", "the body is over 10 MiB");
    else if (res.status == 404) send_error(res, 404, "not_found", "no such endpoint: " + req.path);
    // Every other answer of the HTTP layer with a code docs/protocol.md lists: a request it could
    // not read (a Content-Encoding, a header too long) is a bad request; a failure is internal.
    else if (res.status >= 400 && res.status < 500)
      send_error(res, res.status, "bad_request", "the HTTP request could not be read (HTTP " + std::to_string(res.status) + ")");
    else send_error(res, res.status, "internal", "the server failed while answering (HTTP " + std::to_string(res.status) + ")");
  });

  m_http->Get("/healthz", [&ctx](const httplib::Request&, httplib::Response& res) {
    int64_t tickets = -1;
    {
      std::lock_guard lock(ctx.store_mutex);
      if (auto n = ctx.store.count_tickets()) tickets = *n;
    }
    if (tickets < 0) return send_error(res, 503, "storage", "the database does not answer");
    send_json(res, 200, {{"status", "ok"}, {"schema", Store::schema_version()}, {"tickets", tickets}});
  });
  // The working-day calendar deadlines are computed with (docs/protocol.md, "Calendar"): the app
  // takes the years an administrator added beyond those built in.
  m_http->Get("/api/v1/calendar", [&ctx](const httplib::Request&, httplib::Response& res) {
    res.set_content(calendar_to_json(ctx.calendar), "application/json");
  });
  m_http->Get("/metrics", [&ctx](const httplib::Request&, httplib::Response& res) {
    std::string text = ctx.metrics.render(now_ms());
    const Checkpointer::Figures cp = ctx.checkpointer->figures();
    text += "# HELP linli_wal_checkpoints_total Checkpoints of the write-ahead logs, made on a thread of their own\n"
            "# TYPE linli_wal_checkpoints_total counter\n"
            "linli_wal_checkpoints_total{result=\"copied\"} " + std::to_string(cp.copied) + "\n"
            "linli_wal_checkpoints_total{result=\"failed\"} " + std::to_string(cp.failed) + "\n"
            "# HELP linli_wal_pages_copied_total Pages the checkpoints copied into the databases\n"
            "# TYPE linli_wal_pages_copied_total counter\n"
            "linli_wal_pages_copied_total " + std::to_string(cp.pages) + "\n";
    res.set_content(text, "text/plain; version=0.0.4");
  });

  install_auth_routes(*m_http, ctx);
  install_blob_routes(*m_http, ctx);
  install_intake_routes(*m_http, ctx);
  install_report_routes(*m_http, ctx);
  install_field_routes(*m_http, ctx);
  install_sync_routes(*m_http, ctx);

  // Anything under /api/ that no route took is a JSON 404, never the app's HTML.
  m_http->Get(R"(/api/.*)", [](const httplib::Request& req, httplib::Response& res) {
    send_error(res, 404, "not_found", "no such endpoint: " + req.path);
  });
  m_http->Get(R"(/.*)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    if (!ctx.files.serve(req, res)) send_error(res, 404, "not_found", "no such file: " + req.path);
  });
}

void ServerContext::publish_commit() {
  metrics.set_page_cache("writer", store.cache_bytes());
  if (auto r = feed.publish(store); !r) {
    nlohmann::json line = {{"ts", now_ms()}, {"level", "error"}, {"message", "publishing a commit to long polls: " + r.error().detail}};
    std::printf("%s\n", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    std::fflush(stdout);
  }
}

Result<int> Server::bind() {
  const Options& o = m_ctx->options;
  const int port = o.port == 0 ? m_http->bind_to_any_port(o.host) : (m_http->bind_to_port(o.host, o.port) ? o.port : -1);
  if (port < 0)
    return Error{ErrorCode::Storage, "[server.bind] cannot listen on " + o.host + ":" + std::to_string(o.port) +
                                         " (in use, or not an address here)"};
  // httplib listens with a queue of 5 connections: a burst of devices overflows it, the kernel
  // drops their SYNs and each waits a second or three to try again. listen() on a listening
  // socket only resizes its queue (to at most net.core.somaxconn).
  int accepting = 0;
  socklen_t len = sizeof accepting;
  if (m_listen_socket >= 0 && getsockopt(m_listen_socket, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) == 0 && accepting)
    ::listen(m_listen_socket, kListenBacklog);
  return port;
}

void Server::run() {
  // The centre's image is made while the server already answers (a centre asking meanwhile waits
  // for it, then gets it caught up).
  std::thread warm([ctx = m_ctx.get()] { warm_centre_image(*ctx); });
  m_http->listen_after_bind();
  warm.join();
}

void Server::stop() {
  m_ctx->feed.stop();  // Long polls answer now with what they have.
  m_http->stop();
}

}  // namespace linli::server
