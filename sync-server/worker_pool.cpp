#include "worker_pool.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <utility>

namespace linli::server {

WorkerPool::WorkerPool(size_t max_threads, std::function<void(size_t)> running, std::chrono::milliseconds idle_limit)
    : m_max_threads(max_threads < 1 ? 1 : max_threads), m_running_told(std::move(running)), m_idle_limit(idle_limit) {}

WorkerPool::~WorkerPool() { shutdown(); }

void WorkerPool::enqueue(std::function<void()> fn) {
  std::unique_lock lock(m_mutex);
  join_ended(lock);
  m_jobs.push_back(std::move(fn));
  if (!m_idle.empty()) {
    Worker* w = m_idle.back();
    m_idle.pop_back();
    w->woken = true;
    w->wake.notify_one();
    return;
  }
  // The next thread to come free takes it (after shutdown, none: httplib enqueues nothing then).
  if (m_shutdown || m_running >= m_max_threads) return;
  Worker* w;
  if (!m_free.empty()) {
    w = m_free.back();
    m_free.pop_back();
  } else {
    w = &m_workers.emplace_back();
    w->pool = this;
  }
  w->woken = false;
  // pthread_create, not std::thread, whose failure would end the process (no exceptions here): a
  // system out of threads leaves the job queued for a running thread to take when it comes free.
  const int err = pthread_create(&w->thread, nullptr, &WorkerPool::start, w);
  if (err != 0) {
    m_free.push_back(w);
    if (!m_start_failure_said) std::fprintf(stderr, "linli-server: could not start a request thread (%s); "
                                            "%zu serve, the rest wait\n", std::strerror(err), m_running);
    m_start_failure_said = true;
    return;
  }
  w->running = true;
  ++m_running;
  ++m_started_count;
  if (m_running_told) m_running_told(m_running);
}

void* WorkerPool::start(void* worker) {
  auto* w = static_cast<Worker*>(worker);
  w->pool->run(*w);
  return nullptr;
}

void WorkerPool::run(Worker& self) {
  std::unique_lock lock(m_mutex);
  const auto woken = [&] { return self.woken; };
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
    if (m_idle_limit.count() <= 0) {
      self.wake.wait(lock, woken);
      continue;
    }
    if (self.wake.wait_for(lock, m_idle_limit, woken)) continue;
    // Idle for the limit, and no job came meanwhile (one would have woken it): the thread ends.
    // Another joins it (enqueue, shutdown); its slot serves the next thread started.
    m_idle.erase(std::find(m_idle.begin(), m_idle.end(), &self));
    self.running = false;
    m_free.push_back(&self);
    m_ended.push_back(self.thread);
    --m_running;
    if (m_running_told) m_running_told(m_running);
    return;
  }
}

void WorkerPool::join_ended(std::unique_lock<std::mutex>& lock) {
  if (m_ended.empty()) return;
  std::vector<pthread_t> ended;
  ended.swap(m_ended);
  lock.unlock();
  for (pthread_t t : ended) pthread_join(t, nullptr);
  lock.lock();
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
    // Each thread is joined once: a second call (the destructor's) finds none.
    for (Worker& w : m_workers)
      if (w.running) {
        threads.push_back(w.thread);
        w.running = false;
      }
    threads.insert(threads.end(), m_ended.begin(), m_ended.end());
    m_ended.clear();
  }
  for (pthread_t t : threads) pthread_join(t, nullptr);
  std::lock_guard lock(m_mutex);
  m_running = 0;
}

size_t WorkerPool::threads_started() const {
  std::lock_guard lock(m_mutex);
  return m_started_count;
}

size_t WorkerPool::threads() const {
  std::lock_guard lock(m_mutex);
  return m_running;
}

size_t WorkerPool::idle_threads() const {
  std::lock_guard lock(m_mutex);
  return m_idle.size();
}

}  // namespace linli::server
