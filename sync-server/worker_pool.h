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
// became idle last. The threads that run are as many as the connections open at the busiest
// moment, and the same warm ones keep serving. A thread idle for a minute ends (its stack pages
// and its malloc cache go back), so the busiest moment counted is the last minute's, not the
// busiest since the start: a load whose peaks creep up no longer leaves its memory in threads
// that wait for a peak that may never come again.
#pragma once

#include <chrono>
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
  static constexpr std::chrono::milliseconds kIdleLimit{60'000};

  // `running` is told the number of threads each time one starts or ends (for /metrics), under the
  // lock. A thread idle for `idle_limit` ends (0: never).
  explicit WorkerPool(size_t max_threads, std::function<void(size_t)> running = {},
                      std::chrono::milliseconds idle_limit = kIdleLimit);
  ~WorkerPool() override;
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs `fn` on an idle thread (the one idle for the shortest time), on a new thread while fewer
  // than max_threads exist, or else when a thread comes free, in the order jobs came.
  void enqueue(std::function<void()> fn) override;
  // Runs the jobs already queued, then ends and joins every thread. Enqueue nothing after it.
  void shutdown() override;

  // Threads started so far, those running now (started and not ended), and those waiting for a job.
  size_t threads_started() const;
  size_t threads() const;
  size_t idle_threads() const;

 private:
  struct Worker {
    WorkerPool* pool = nullptr;
    std::condition_variable wake;
    bool woken = false;
    bool running = false;  // Its thread runs (else the slot is free for the next thread).
    pthread_t thread{};
  };
  static void* start(void* worker);
  void run(Worker& self);
  // Joins the threads that ended idle since the last call (each has left run(), or is leaving it).
  void join_ended(std::unique_lock<std::mutex>& lock);

  const size_t m_max_threads;
  const std::function<void(size_t)> m_running_told;
  const std::chrono::milliseconds m_idle_limit;
  mutable std::mutex m_mutex;
  std::deque<std::function<void()>> m_jobs;
  std::vector<Worker*> m_idle;  // Last to become idle at the back.
  std::deque<Worker> m_workers;  // Stable addresses; a slot whose thread ended is used again.
  std::vector<Worker*> m_free;   // Slots whose thread ended.
  std::vector<pthread_t> m_ended;  // Threads that ended idle, not joined yet.
  size_t m_running = 0;
  size_t m_started_count = 0;
  bool m_shutdown = false;
  bool m_start_failure_said = false;
};

}  // namespace linli::server
