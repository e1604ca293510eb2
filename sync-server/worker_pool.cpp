#include "worker_pool.h"

#include <cstdio>
#include <cstring>
#include <utility>

namespace linli::server {

WorkerPool::WorkerPool(size_t max_threads, std::function<void(size_t)> started)
    : m_max_threads(max_threads < 1 ? 1 : max_threads), m_started(std::move(started)) {}

WorkerPool::~WorkerPool() { shutdown(); }

void WorkerPool::enqueue(std::function<void()> fn) {
  std::lock_guard lock(m_mutex);
  m_jobs.push_back(std::move(fn));
  if (!m_idle.empty()) {
    Worker* w = m_idle.back();
    m_idle.pop_back();
    w->woken = true;
    w->wake.notify_one();
    return;
  }
  // The next thread to come free takes it (after shutdown, none: httplib enqueues nothing then).
  if (m_shutdown || m_threads.size() >= m_max_threads) return;
  Worker& w = m_workers.emplace_back();
  w.pool = this;
  // pthread_create, not std::thread, whose failure would end the process (no exceptions here): a
  // system out of threads leaves the job queued for a running thread to take when it comes free.
  pthread_t thread;
  const int err = pthread_create(&thread, nullptr, &WorkerPool::start, &w);
  if (err != 0) {
    m_workers.pop_back();
    if (!m_start_failure_said) std::fprintf(stderr, "linli-server: could not start a request thread (%s); "
                                            "%zu serve, the rest wait\n", std::strerror(err), m_threads.size());
    m_start_failure_said = true;
    return;
  }
  m_threads.push_back(thread);
  if (m_started) m_started(m_workers.size());
}

void* WorkerPool::start(void* worker) {
  auto* w = static_cast<Worker*>(worker);
  w->pool->run(*w);
  return nullptr;
}

void WorkerPool::run(Worker& self) {
  std::unique_lock lock(m_mutex);
  for (;;) {
    if (!m_jobs.empty()) {
      std::function<void()> fn = std::move(m_jobs.front());
      m_jobs.pop_front();
      lock.unlock();
      fn();
      fn = nullptr;  // What the job holds is released before the lock is taken again.
      lock.lock();
      continue;
    }
    if (m_shutdown) return;
    self.woken = false;
    m_idle.push_back(&self);
    self.wake.wait(lock, [&] { return self.woken; });
  }
}

void WorkerPool::shutdown() {
  std::vector<pthread_t> threads;
  {
    std::lock_guard lock(m_mutex);
    m_shutdown = true;
    for (Worker* w : m_idle) {
      w->woken = true;
      w->wake.notify_one();
    }
    m_idle.clear();
    threads.swap(m_threads);
  }
  for (pthread_t t : threads) pthread_join(t, nullptr);
}

size_t WorkerPool::threads_started() const {
  std::lock_guard lock(m_mutex);
  return m_workers.size();
}

size_t WorkerPool::idle_threads() const {
  std::lock_guard lock(m_mutex);
  return m_idle.size();
}

}  // namespace linli::server
