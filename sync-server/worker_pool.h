// The request threads. cpp-httplib serves each connection on one pool thread for as long as it
// stays open, so the pool is sized for devices (up to 1,024 threads), not cores.
//
// httplib's own ThreadPool starts every thread at once and hands each new connection to the thread
// that has waited longest. Under steady load that walks the whole pool: after a few minutes every
// one of the 1,024 threads has served connections, and each keeps what glibc's malloc caches per
// thread (its tcache of freed blocks, up to about 240 KiB) and the stack pages it touched. The
// server's memory then grows for many minutes with nothing leaked (issue 8: heap in use 91 to
// 159 MiB while the live heap stayed under 20 MiB).
//
// This pool starts a thread only when a job finds none idle, and gives each job the thread that
// became idle last. The threads that ever run are as many as the connections open at the busiest
// moment, and the same warm ones keep serving.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include <pthread.h>

#include <httplib.h>

namespace linli::server {

class WorkerPool final : public httplib::TaskQueue {
 public:
  // `started` is told the number of threads each time one starts (for /metrics), under the lock.
  explicit WorkerPool(size_t max_threads, std::function<void(size_t)> started = {});
  ~WorkerPool() override;
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs `fn` on an idle thread (the one idle for the shortest time), on a new thread while fewer
  // than max_threads exist, or else when a thread comes free, in the order jobs came.
  void enqueue(std::function<void()> fn) override;
  // Runs the jobs already queued, then ends and joins every thread. Enqueue nothing after it.
  void shutdown() override;

  // Threads started so far (they never end before shutdown), and those waiting for a job.
  size_t threads_started() const;
  size_t idle_threads() const;

 private:
  struct Worker {
    WorkerPool* pool = nullptr;
    std::condition_variable wake;
    bool woken = false;
  };
  static void* start(void* worker);
  void run(Worker& self);

  const size_t m_max_threads;
  const std::function<void(size_t)> m_started;
  mutable std::mutex m_mutex;
  std::deque<std::function<void()>> m_jobs;
  std::vector<Worker*> m_idle;  // Last to become idle at the back.
  std::deque<Worker> m_workers;  // Stable addresses.
  std::vector<pthread_t> m_threads;
  bool m_shutdown = false;
  bool m_start_failure_said = false;
};

}  // namespace linli::server
