// Prometheus text exposition of the server's counters.
#include "metrics.h"

#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace linli::server {

void Metrics::observe_request(const std::string& method, const std::string& route, int status, double seconds) {
  std::lock_guard lock(m_mutex);
  ++m_requests[{method, route, status}];
  Histogram& h = m_latency[route];
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::count_changes(const std::string& result, int n) {
  std::lock_guard lock(m_mutex);
  m_changes[result] += static_cast<uint64_t>(n);
}

void Metrics::saw_replica(const std::string& replica, int64_t now_ms) {
  std::lock_guard lock(m_mutex);
  m_replicas_seen[replica] = now_ms;
}

void Metrics::set_page_cache(const std::string& connection, int64_t bytes) {
  std::lock_guard lock(m_mutex);
  m_page_cache[connection] = bytes;
}

void Metrics::set_request_threads(size_t n) {
  std::lock_guard lock(m_mutex);
  m_request_threads = n;
}

namespace {
int64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t size = 0, resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * static_cast<int64_t>(sysconf(_SC_PAGESIZE));
}
}  // namespace

std::string Metrics::render(int64_t now_ms) {
  std::lock_guard lock(m_mutex);
  std::string out;
  char line[512];
  out += "# HELP linli_http_requests_total HTTP requests answered.\n# TYPE linli_http_requests_total counter\n";
  for (const auto& [key, n] : m_requests) {
    const auto& [method, route, status] = key;
    std::snprintf(line, sizeof line, "linli_http_requests_total{method=\"%s\",route=\"%s\",status=\"%d\"} %llu\n",
                  method.c_str(), route.c_str(), status, static_cast<unsigned long long>(n));
    out += line;
  }
  out += "# HELP linli_http_request_duration_seconds Time to answer a request.\n"
         "# TYPE linli_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : m_latency) {
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      std::snprintf(line, sizeof line, "linli_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                    route.c_str(), kBuckets[i], static_cast<unsigned long long>(h.buckets[i]));
      out += line;
    }
    std::snprintf(line, sizeof line,
                  "linli_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
                  "linli_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                  "linli_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                  route.c_str(), static_cast<unsigned long long>(h.count), route.c_str(), h.sum, route.c_str(),
                  static_cast<unsigned long long>(h.count));
    out += line;
  }
  out += "# HELP linli_changes_total Pushed changes by result.\n# TYPE linli_changes_total counter\n";
  for (const char* result : {"accepted", "duplicate", "rejected"}) {
    const auto it = m_changes.find(result);
    std::snprintf(line, sizeof line, "linli_changes_total{result=\"%s\"} %llu\n", result,
                  static_cast<unsigned long long>(it == m_changes.end() ? 0 : it->second));
    out += line;
  }
  int connected = 0;
  for (const auto& [replica, last] : m_replicas_seen)
    if (now_ms - last < 5 * 60 * 1000) ++connected;
  out += "# HELP linli_connected_replicas Replicas that pushed or pulled in the last 5 minutes.\n"
         "# TYPE linli_connected_replicas gauge\n";
  out += "linli_connected_replicas " + std::to_string(connected) + "\n";
  // Memory: what the process holds, what its heap has handed out (glibc's count), and how much of
  // that is SQLite's page caches, a bounded cache that fills as the database grows; growth beyond
  // them would be a leak or work that grows with the log (bench/load prints these every sample).
  out += "# HELP linli_resident_memory_bytes Resident memory of the server process.\n"
         "# TYPE linli_resident_memory_bytes gauge\n";
  out += "linli_resident_memory_bytes " + std::to_string(resident_bytes()) + "\n";
  const struct mallinfo2 heap = mallinfo2();
  out += "# HELP linli_heap_in_use_bytes Heap memory handed out and not freed (malloc arenas and large blocks).\n"
         "# TYPE linli_heap_in_use_bytes gauge\n";
  out += "linli_heap_in_use_bytes " + std::to_string(heap.uordblks + heap.hblkhd) + "\n";
  out += "# HELP linli_heap_free_bytes Heap memory freed but still held by the process.\n"
         "# TYPE linli_heap_free_bytes gauge\n";
  out += "linli_heap_free_bytes " + std::to_string(heap.fordblks) + "\n";
  out += "# HELP linli_request_threads Request threads running: about as many as connections were open at the busiest moment of the last minute.\n"
         "# TYPE linli_request_threads gauge\n";
  out += "linli_request_threads " + std::to_string(m_request_threads) + "\n";
  out += "# HELP linli_sqlite_page_cache_bytes Bytes in a database connection's page cache.\n"
         "# TYPE linli_sqlite_page_cache_bytes gauge\n";
  for (const auto& [connection, bytes] : m_page_cache)
    out += "linli_sqlite_page_cache_bytes{connection=\"" + connection + "\"} " + std::to_string(bytes) + "\n";
  return out;
}

std::string route_label(const std::string& path) {
  if (path.rfind("/api/v1/blobs/", 0) == 0) return "/api/v1/blobs/:sha256";
  if (path.rfind("/api/", 0) == 0 || path == "/healthz" || path == "/metrics") {
    // Known API paths are few and fixed; anything else under /api/ is folded so labels stay bounded.
    static constexpr const char* kKnown[] = {"/api/v1/login",      "/api/v1/logout",    "/api/v1/me",
                                             "/api/v1/sync/push",  "/api/v1/sync/pull", "/api/v1/sync/image",
                                             "/api/v1/intake/tickets", "/healthz",      "/metrics"};
    for (const char* k : kKnown)
      if (path == k) return path;
    return "/api/other";
  }
  return "static";
}

}  // namespace linli::server
