// Group commit, leader and followers: a request that finds the writer free becomes the writer for
// every request waiting at that moment and runs them as one group (for the sync server: one
// transaction, one fsync); the others wait until their group is done. Nothing waits on a timer,
// so a lone request is written at once, and under load groups grow by themselves.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <vector>

namespace linli::server {

template <class Job>
class GroupCommit {
 public:
  explicit GroupCommit(size_t max_group = 64) : m_max_group(max_group) {}

  // Returns once `write` has run on a group holding `job` (on this thread or another).
  template <class Write>
  void submit(Job* job, Write&& write) {
    bool done = false;
    std::unique_lock lock(m_mutex);
    m_waiting.push_back(Waiting{job, &done});
    while (!done) {
      if (m_writing) {
        m_turn.wait(lock);
        continue;
      }
      m_writing = true;
      std::vector<Waiting> group;
      while (!m_waiting.empty() && group.size() < m_max_group) {
        group.push_back(m_waiting.front());
        m_waiting.pop_front();
      }
      lock.unlock();
      std::vector<Job*> jobs;
      jobs.reserve(group.size());
      for (const Waiting& w : group) jobs.push_back(w.job);
      write(jobs);
      lock.lock();
      for (const Waiting& w : group) *w.done = true;
      m_writing = false;
      m_turn.notify_all();
    }
  }

 private:
  struct Waiting {
    Job* job;
    bool* done;
  };
  const size_t m_max_group;
  std::mutex m_mutex;
  std::condition_variable m_turn;
  std::deque<Waiting> m_waiting;
  bool m_writing = false;
};

}  // namespace linli::server
