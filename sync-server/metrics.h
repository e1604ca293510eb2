// Counters and histograms for GET /metrics, in Prometheus' text format. Thread-safe.
#pragma once

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace linli::server {

class Metrics {
 public:
  void observe_request(const std::string& method, const std::string& route, int status, double seconds);
  void count_changes(const std::string& result, int n);  // accepted | duplicate | rejected
  void saw_replica(const std::string& replica, int64_t now_ms);
  // What a connection's page cache holds (bytes), as its owner last saw it: set by the thread
  // that holds the connection, read by render() with the process's resident and heap memory.
  void set_page_cache(const std::string& connection, int64_t bytes);
  // Request threads started so far (WorkerPool): they are kept, so this only grows, up to --workers.
  void set_request_threads(size_t n);
  std::string render(int64_t now_ms);

 private:
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  std::mutex m_mutex;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> m_requests;
  std::map<std::string, Histogram> m_latency;
  std::map<std::string, uint64_t> m_changes;
  std::map<std::string, int64_t> m_replicas_seen;  // replica -> last contact.
  std::map<std::string, int64_t> m_page_cache;     // connection -> bytes.
  size_t m_request_threads = 0;
};

// A route label for a path: ids and hashes folded ("/api/v1/blobs/:sha256"), files as "static".
std::string route_label(const std::string& path);

}  // namespace linli::server
