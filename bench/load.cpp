// bench/load: N simulated clients push small batches and long-poll pulls against linli-server on
// loopback for a fixed time, then it prints throughput, p50/p99 latencies, errors and the server's
// peak RSS. A program that prints figures (docs/benchmarks.md), not a test: it asserts nothing.
//   load [--clients 200] [--seconds 30] [--interval-ms 1000] [--wait 25] [--preload N] [--url HOST:PORT]
//        [--decode]
#include <algorithm>
#include <atomic>
#include <cstring>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "support/changes.h"
#include "support/sync_http.h"
#include "support/temp_dir.h"

namespace linli {
namespace {

struct Config {
  int clients = 200;
  int seconds = 30;
  int interval_ms = 1000;  // Between a client's pushes (jittered ±50 %): a person editing.
  int wait = 25;           // Long-poll wait of each pull, seconds.
  int64_t preload = 0;
  bool decode = false;     // Decode each pulled answer whole (as the app does) instead of skimming it.
  std::string host = "127.0.0.1";
  int port = 0;            // 0: start a server here.
};

struct Figures {
  std::mutex mutex;
  std::vector<double> push_ms, pull_ms;
  int64_t changes = 0, pulled = 0, errors = 0;
  std::atomic<int64_t> retried{0};  // Requests sent again after a transport error (a closed keep-alive).
  std::vector<std::string> first_errors;

  void error(const std::string& what) {
    std::lock_guard lock(mutex);
    ++errors;
    if (first_errors.size() < 5) first_errors.push_back(what);
  }
};

double since_ms(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

std::string describe(const httplib::Result& r) {
  return r ? "HTTP " + std::to_string(r->status) + " " + r->body.substr(0, 120) : httplib::to_string(r.error());
}

// Fills a fresh database with `n` changes (tickets of ten changes each) through the store, as
// pushes would, before the server opens it.
bool preload(const std::string& db, int64_t n) {
  auto store = Store::open(db);
  if (!store) return std::fprintf(stderr, "load: %s\n", store.error().detail.c_str()), false;
  test::Maker maker(test::replica(999), Role::Centre, "zhang.bin");
  const auto start = std::chrono::steady_clock::now();
  for (int64_t made = 0; made < n;) {
    std::vector<Change> batch;
    for (; batch.size() < 5000 && made < n; ++made) {
      const std::string t = test::ticket_id(static_cast<int>(made / 10) + 1);
      batch.push_back(made % 10 == 0 ? maker.create(t, 1'795'960'000'000 + made) : maker.note(t, 1'795'960'000'000 + made));
    }
    auto r = store->apply_changes(batch, ApplyMode::Accept, test::wall_ms());
    if (!r) return std::fprintf(stderr, "load: preload: %s\n", r.error().detail.c_str()), false;
  }
  std::printf("preloaded %lld changes in %.1f s\n", static_cast<long long>(n), since_ms(start) / 1000);
  return true;
}

// One client's pushes: a new ticket, then notes on its tickets, a few changes a push.
void push_loop(const Config& cfg, Figures& fig, const std::string& user, const std::string& token, Role role, int index,
               std::chrono::steady_clock::time_point until) {
  test::SyncHttp http(cfg.port, 10);
  std::mt19937_64 rng(static_cast<uint64_t>(index));
  test::Maker maker(ReplicaId{0xB0B0'0000ull + static_cast<uint64_t>(index), 0xFEED + static_cast<uint64_t>(index)}, role, user);
  std::vector<std::string> tickets;
  // Devices are not in step: each starts at its own moment within the first interval (otherwise
  // all 200 push in the same millisecond once, and that burst is what the p99 measures).
  std::this_thread::sleep_for(std::chrono::milliseconds(rng() % static_cast<uint64_t>(cfg.interval_ms + 1)));
  while (std::chrono::steady_clock::now() < until) {
    PushRequest p;
    p.replica = maker.replica_id();
    p.client_time_ms = test::wall_ms();
    const int n = 1 + static_cast<int>(rng() % 5);
    for (int i = 0; i < n; ++i) {
      if (tickets.empty() || rng() % 10 == 0) {
        tickets.push_back(test::ticket_id(index * 1'000'000 + static_cast<int>(maker.counter()) + 1 + 50'000'000));
        p.changes.push_back(maker.create(tickets.back(), test::wall_ms()));
      } else {
        p.changes.push_back(maker.note(tickets[rng() % tickets.size()], test::wall_ms()));
      }
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto r = http.push(token, p);
    if (!r) {  // The server closed the kept-alive connection meanwhile: send again, as a client does.
      ++fig.retried;
      r = http.push(token, p);
    }
    const double ms = since_ms(t0);
    if (!r || r->status != 200) {
      fig.error("push: " + describe(r));
      return;  // Its counters are out of step now; this client stops pushing.
    }
    {
      std::lock_guard lock(fig.mutex);
      fig.push_ms.push_back(ms);
      fig.changes += n;
    }
    const int pause = cfg.interval_ms / 2 + static_cast<int>(rng() % static_cast<uint64_t>(cfg.interval_ms + 1));
    std::this_thread::sleep_for(std::chrono::milliseconds(pause));
  }
}

// What the pull loop needs of an answer: where to ask from next, and how many changes came.
struct Answer {
  int64_t cursor = 0;
  int64_t changes = 0;
};

// The whole answer decoded and checked, as a client does (--decode).
std::optional<Answer> decoded_answer(const std::string& body) {
  auto p = decode_pull_response(body);
  if (!p) return std::nullopt;
  Answer a{p->next, static_cast<int64_t>(p->changes.size())};
  if (!p->changes.empty()) a.cursor = std::max(a.cursor, p->changes.back().seq);
  return a;
}

// The default: the cursor and the count read off the text (each change ends with its "seq", the
// answer's own "next" follows the changes), so that on a machine shared with the server the load
// generator's decoding does not take the server's CPU. The server's work is the same either way.
std::optional<Answer> skimmed_answer(const std::string& body) {
  if (body.rfind("{\"changes\":[", 0) != 0) return std::nullopt;
  Answer a;
  auto number_after = [&](size_t at) { return std::strtoll(body.c_str() + at, nullptr, 10); };
  for (size_t at = body.find("\"seq\":"); at != std::string::npos; at = body.find("\"seq\":", at + 6)) {
    ++a.changes;
    a.cursor = std::max<int64_t>(a.cursor, number_after(at + 6));
  }
  if (const size_t next = body.rfind("\"next\":"); next != std::string::npos)
    a.cursor = std::max<int64_t>(a.cursor, number_after(next + 7));
  return a;
}

// One client's pulls: long polls from its cursor, as the app keeps one open.
void pull_loop(const Config& cfg, Figures& fig, const std::string& token, int index,
               std::chrono::steady_clock::time_point until) {
  test::SyncHttp http(cfg.port, 10);
  const ReplicaId replica{0xB0B0'0000ull + static_cast<uint64_t>(index), 0xFEED + static_cast<uint64_t>(index)};
  int64_t cursor = 0;
  bool first = true;
  while (std::chrono::steady_clock::now() < until) {
    const auto t0 = std::chrono::steady_clock::now();
    // A long poll never outlasts the run.
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(until - std::chrono::steady_clock::now()).count();
    const int wait = first ? 0 : static_cast<int>(std::clamp<int64_t>(left, 0, cfg.wait));
    auto r = http.pull(token, replica, cursor, 500, wait);
    if (!r) {  // As for pushes: a closed keep-alive connection, sent again once.
      ++fig.retried;
      r = http.pull(token, replica, cursor, 500, wait);
    }
    const double ms = since_ms(t0);
    if (!r || r->status != 200) {
      fig.error("pull: " + describe(r));
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    const auto answer = cfg.decode ? decoded_answer(r->body) : skimmed_answer(r->body);
    if (!answer) {
      fig.error("pull: " + r->body.substr(0, 120));
      continue;
    }
    cursor = std::max(cursor, answer->cursor);
    first = false;
    std::lock_guard lock(fig.mutex);
    fig.pull_ms.push_back(ms);
    fig.pulled += answer->changes;
  }
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * static_cast<double>(v.size() - 1))];
}

// "VmHWM" (peak) or "VmRSS" of a process, in MiB; -1 when unknown.
double memory_mib(pid_t pid, const char* key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind(key, 0) == 0) return std::strtod(line.c_str() + std::strlen(key) + 1, nullptr) / 1024.0;
  return -1;
}

int run(Config cfg) {
  test::TempDir dir;
  std::unique_ptr<test::ServerProcess> server;
  if (cfg.port == 0) {
    const std::string db = dir.file("linli.db");
    if (cfg.preload > 0 && !preload(db, cfg.preload)) return 1;
    auto args = test::server_args(dir.path(), db);
    args.push_back("--demo-users");  // The demo accounts; the demo street would add to what is measured.
    server = std::make_unique<test::ServerProcess>(args);
    cfg.port = server->port();
    if (cfg.port <= 0) return std::fprintf(stderr, "load: the server did not start\n"), 1;
  }
  std::printf("load: %d clients (a pusher every %d ms and a long poll of %d s each) for %d s against %s:%d\n",
              cfg.clients, cfg.interval_ms, cfg.wait, cfg.seconds, cfg.host.c_str(), cfg.port);
  // Sign-ins first, one at a time (each is an Argon2id hash on the server), then the clock starts.
  std::vector<std::string> tokens;
  for (int i = 0; i < cfg.clients; ++i) {
    tokens.push_back(test::SyncHttp(cfg.port, 30).sign_in(i % 2 == 0 ? "zhang.bin" : "hebin.li"));
    if (tokens.back().empty()) return std::fprintf(stderr, "load: sign-in %d failed\n", i), 1;
  }
  if (server) {
    std::printf("server peak RSS after %d sign-ins: %.1f MiB\n", cfg.clients, memory_mib(server->pid(), "VmHWM:"));
    std::ofstream("/proc/" + std::to_string(server->pid()) + "/clear_refs") << "5";  // Resets VmHWM.
  }
  Figures fig;
  const auto start = std::chrono::steady_clock::now();
  const auto until = start + std::chrono::seconds(cfg.seconds);
  std::vector<std::thread> threads;
  for (int i = 0; i < cfg.clients; ++i) {
    // Half the centre, half a committee (its pulls are scoped): the demo users.
    const bool centre = i % 2 == 0;
    const std::string user = centre ? "zhang.bin" : "hebin.li";
    threads.emplace_back(push_loop, std::cref(cfg), std::ref(fig), user, tokens[static_cast<size_t>(i)],
                         centre ? Role::Centre : Role::Committee, i, until);
    threads.emplace_back(pull_loop, std::cref(cfg), std::ref(fig), tokens[static_cast<size_t>(i)], i, until);
  }
  for (auto& t : threads) t.join();
  const double seconds = since_ms(start) / 1000;
  const int64_t requests = static_cast<int64_t>(fig.push_ms.size() + fig.pull_ms.size()) + fig.errors;
  std::printf("throughput: %.0f changes/s pushed, %.0f requests/s (%zu pushes, %zu pulls, %lld changes pulled) in %.1f s\n",
              static_cast<double>(fig.changes) / seconds, static_cast<double>(requests) / seconds, fig.push_ms.size(),
              fig.pull_ms.size(), static_cast<long long>(fig.pulled), seconds);
  std::printf("push latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", percentile(fig.push_ms, 0.5),
              percentile(fig.push_ms, 0.99), percentile(fig.push_ms, 1.0));
  std::printf("pull latency (long polls, wait %d s): p50 %.1f ms, p99 %.1f ms\n", cfg.wait, percentile(fig.pull_ms, 0.5),
              percentile(fig.pull_ms, 0.99));
  std::printf("errors: %lld (and %lld requests sent again after a closed keep-alive connection)\n",
              static_cast<long long>(fig.errors), static_cast<long long>(fig.retried.load()));
  for (const std::string& e : fig.first_errors) std::printf("  %s\n", e.c_str());
  if (server) {
    std::printf("server peak RSS under load: %.1f MiB (now %.1f MiB)\n", memory_mib(server->pid(), "VmHWM:"),
                memory_mib(server->pid(), "VmRSS:"));
  }
  return 0;
}

}  // namespace
}  // namespace linli

int main(int argc, char** argv) {
  linli::Config cfg;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    if (a == "--decode") {
      cfg.decode = true;
      continue;
    }
    if (!v) return std::fprintf(stderr, "load: %s needs a value\n", a.c_str()), 2;
    ++i;
    if (a == "--clients") cfg.clients = std::atoi(v);
    else if (a == "--seconds") cfg.seconds = std::atoi(v);
    else if (a == "--interval-ms") cfg.interval_ms = std::atoi(v);
    else if (a == "--wait") cfg.wait = std::atoi(v);
    else if (a == "--preload") cfg.preload = std::atoll(v);
    else if (a == "--url") {
      const std::string url = v;
      const auto colon = url.rfind(':');
      cfg.host = url.substr(0, colon);
      cfg.port = std::atoi(url.c_str() + colon + 1);
    } else {
      return std::fprintf(stderr, "load: unknown option %s\n", a.c_str()), 2;
    }
  }
  if (!std::getenv("LINLI_SERVER_BIN")) setenv("LINLI_SERVER_BIN", LINLI_SERVER_BIN_DEFAULT, 0);
  return linli::run(cfg);
}
