// A transport for the app's native tests: each request goes over real HTTP to a linli-server on
// 127.0.0.1 at once, and its answer is handed back on the next deliver(), as the browser hands
// answers back between frames. point_at(0) makes the server unreachable (status 0).
#pragma once

#include <httplib.h>

#include <deque>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "client/http.h"

namespace linli::test {

using app::HttpRequest;
using app::HttpResponse;

class TestTransport : public app::Transport {
 public:
  explicit TestTransport(int port) : m_port(port) {}
  // 0: nothing answers (the server is unreachable).
  void point_at(int port) { m_port = port; }

  void send(HttpRequest req, app::HttpDone done) override {
    ++m_sent;
    m_requests.push_back(req.method + " " + req.path.substr(0, req.path.find('?')) +
                         (req.path.find("sync/push") != std::string::npos ? " " + req.body : std::string()));
    HttpResponse r;
    if (m_port != 0) {
      httplib::Client c("127.0.0.1", m_port);
      c.set_read_timeout(req.timeout_ms / 1000 + 1, 0);
      httplib::Headers h;
      if (!req.token.empty()) h.emplace("Authorization", "Bearer " + req.token);
      const std::string path = "/" + req.path;
      const std::string type = req.content_type.empty() ? "application/json" : req.content_type;
      auto res = req.method == "POST"   ? c.Post(path, h, req.body, type.c_str())
                 : req.method == "PUT"  ? c.Put(path, h, req.body, type.c_str())
                 : req.method == "HEAD" ? c.Head(path, h)
                                        : c.Get(path, h);
      if (res) {
        r.status = res->status;
        r.body = res->body;
        if (res->has_header("Retry-After")) r.retry_after_s = std::stoi(res->get_header_value("Retry-After"));
        if (res->has_header("Date")) r.server_time_ms = 1;  // Seen; the value is checked in its own test.
        m_last_date = res->get_header_value("Date");
        if (!req.save_to.empty() && r.status == 200) {  // As the browser's: the body into the file.
          std::ofstream(req.save_to, std::ios::binary | std::ios::trunc) << r.body;
          r.body.clear();
        }
      }
    }
    ++m_answers;
    // A lost answer: the server did the work, the client never hears of it.
    if (m_lose_every > 0 && m_answers % m_lose_every == 0) r = HttpResponse{};
    if (m_after_answer && m_after_answer(req, r)) r = HttpResponse{};
    for (int i = 0; i < m_repeat; ++i) m_queue.push_back([done, r] { done(r); });
  }
  int64_t now_ms() override { return m_clock ? m_clock() : m_now; }
  // Upload progress as a test sets it (set_sent_bytes), for a request the test holds back.
  int64_t sent_bytes(const std::string& path) override {
    const auto it = m_sent_bytes.find(path);
    return it == m_sent_bytes.end() ? -1 : it->second;
  }
  void set_sent_bytes(const std::string& path, int64_t n) { m_sent_bytes[path] = n; }
  // Download progress as a test sets it (set_received_bytes), for a request whose answer waits.
  Received received_bytes(const std::string& path) override {
    const auto it = m_received.find(path);
    return it == m_received.end() ? Received{} : it->second;
  }
  void set_received_bytes(const std::string& path, int64_t got, int64_t total) { m_received[path] = {got, total}; }
  double random01() override { return m_random; }

  void deliver() {
    while (!m_queue.empty()) {
      auto f = std::move(m_queue.front());
      m_queue.pop_front();
      f();
    }
  }
  // Hands back the oldest answer only (what it starts comes later): one answer a frame.
  bool deliver_one() {
    if (m_queue.empty()) return false;
    auto f = std::move(m_queue.front());
    m_queue.pop_front();
    f();
    return true;
  }
  void advance(int64_t ms) { m_now += ms; }
  // Reads time from `clock` instead of its own (the App's tests share the fake platform's).
  void use_clock(std::function<int64_t()> clock) { m_clock = std::move(clock); }
  int sent() const { return m_sent; }
  // Every request sent, as "METHOD path" (a push with its body), in order.
  const std::vector<std::string>& requests() const { return m_requests; }
  const std::string& last_date() const { return m_last_date; }
  double m_random = 0.5;
  int m_lose_every = 0;  // Every n-th answer is lost (0: none).
  int m_repeat = 1;      // Each answer is handed back this many times.
  // Called once the server has answered (before the client hears): true loses the answer. A test
  // kills the server here, after it did the work and before its answer reached the client.
  std::function<bool(const HttpRequest&, const HttpResponse&)> m_after_answer;

 private:
  int m_port;
  int64_t m_now = 1'795'960'000'000;
  int m_sent = 0;
  std::vector<std::string> m_requests;
  int m_answers = 0;
  std::string m_last_date;
  std::map<std::string, int64_t> m_sent_bytes;
  std::map<std::string, Received> m_received;
  std::deque<std::function<void()>> m_queue;
  std::function<int64_t()> m_clock;
};

}  // namespace linli::test
