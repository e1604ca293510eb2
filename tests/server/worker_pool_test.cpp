// The request threads (sync-server/worker_pool.h): started only when a job finds none idle, the
// one idle last serves next, never more than the limit (the rest wait), a thread idle for the idle
// limit ends, queued jobs run at shutdown.
#include "worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace linli::server {
namespace {

using namespace std::chrono_literals;

// Jobs that block until released, one by one, and say which thread ran them.
struct Gate {
  std::mutex m;
  std::condition_variable cv;
  int running = 0, released = 0, done = 0;
  std::vector<std::thread::id> ran_on;

  std::function<void()> job(int index) {
    return [this, index] {
      std::unique_lock lock(m);
      ++running;
      cv.notify_all();
      cv.wait(lock, [&] { return released > index; });
      ran_on.push_back(std::this_thread::get_id());
      ++done;
      cv.notify_all();
    };
  }
  void release_up_to(int n) {
    std::lock_guard lock(m);
    released = n;
    cv.notify_all();
  }
  bool wait(int& counter, int n) {
    std::unique_lock lock(m);
    return cv.wait_for(lock, 10s, [&] { return counter >= n; });
  }
};

// Waits until the pool's threads have all gone back to waiting (none is running a job).
bool all_idle(WorkerPool& pool) {
  const auto until = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < until) {
    if (pool.idle_threads() == pool.threads()) return true;
    std::this_thread::sleep_for(1ms);
  }
  return false;
}

// Runs one job and waits for it; returns the thread it ran on.
std::thread::id run_one(WorkerPool& pool) {
  std::atomic<bool> ran{false};
  std::thread::id on;
  pool.enqueue([&] {
    on = std::this_thread::get_id();
    ran = true;
  });
  while (!ran) std::this_thread::sleep_for(1ms);
  return on;
}

TEST(WorkerPool, JobsOneAfterAnotherRunOnOneThread) {
  std::atomic<size_t> told{0};
  WorkerPool pool(1024, [&](size_t n) { told = n; });
  EXPECT_EQ(pool.threads_started(), 0u);  // Nothing is started before a job comes.
  std::set<std::thread::id> threads;
  for (int i = 0; i < 50; ++i) {
    threads.insert(run_one(pool));
    ASSERT_TRUE(all_idle(pool));
  }
  EXPECT_EQ(threads.size(), 1u);
  EXPECT_EQ(pool.threads_started(), 1u);
  EXPECT_EQ(told.load(), 1u);
  pool.shutdown();
}

TEST(WorkerPool, TheThreadIdleLastServesNext) {
  WorkerPool pool(1024);
  Gate gate;
  for (int i = 0; i < 4; ++i) pool.enqueue(gate.job(i));
  ASSERT_TRUE(gate.wait(gate.running, 4));  // Four at once: four threads.
  EXPECT_EQ(pool.threads_started(), 4u);
  // Released in order 0, 1, 2, 3, each back to waiting before the next: job 3's thread is idle last.
  for (int i = 1; i <= 4; ++i) {
    gate.release_up_to(i);
    ASSERT_TRUE(gate.wait(gate.done, i));
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (pool.idle_threads() < static_cast<size_t>(i) && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(1ms);
    ASSERT_EQ(pool.idle_threads(), static_cast<size_t>(i));
  }
  std::thread::id last;
  {
    std::lock_guard lock(gate.m);
    last = gate.ran_on.back();
  }
  EXPECT_EQ(run_one(pool), last);
  EXPECT_EQ(pool.threads_started(), 4u);
  pool.shutdown();
}

TEST(WorkerPool, NeverMoreThreadsThanTheLimitAndTheRestWait) {
  WorkerPool pool(2);
  Gate gate;
  for (int i = 0; i < 5; ++i) pool.enqueue(gate.job(i));
  ASSERT_TRUE(gate.wait(gate.running, 2));
  std::this_thread::sleep_for(20ms);
  {
    std::lock_guard lock(gate.m);
    EXPECT_EQ(gate.running, 2);  // The other three wait for a thread.
  }
  EXPECT_EQ(pool.threads_started(), 2u);
  gate.release_up_to(5);
  ASSERT_TRUE(gate.wait(gate.done, 5));
  EXPECT_EQ(pool.threads_started(), 2u);
  pool.shutdown();
}

TEST(WorkerPool, ShutdownRunsWhatIsQueuedThenJoins) {
  std::atomic<int> ran{0};
  {
    WorkerPool pool(1);
    Gate gate;
    pool.enqueue(gate.job(0));
    ASSERT_TRUE(gate.wait(gate.running, 1));
    for (int i = 0; i < 10; ++i) pool.enqueue([&] { ++ran; });
    std::thread closer([&] { pool.shutdown(); });
    std::this_thread::sleep_for(10ms);
    EXPECT_EQ(ran.load(), 0);  // Still behind the first job.
    gate.release_up_to(1);
    closer.join();
    EXPECT_EQ(ran.load(), 10);
  }  // The destructor after shutdown joins nothing twice.
  EXPECT_EQ(ran.load(), 10);
}

TEST(WorkerPool, AThreadIdleForTheLimitEndsAndANewOneStartsWhenNeeded) {
  std::atomic<size_t> told{99};
  WorkerPool pool(1024, [&](size_t n) { told = n; }, 50ms);
  Gate gate;
  for (int i = 0; i < 4; ++i) pool.enqueue(gate.job(i));
  ASSERT_TRUE(gate.wait(gate.running, 4));
  EXPECT_EQ(pool.threads(), 4u);
  EXPECT_EQ(told.load(), 4u);
  gate.release_up_to(4);
  ASSERT_TRUE(gate.wait(gate.done, 4));
  const auto until = std::chrono::steady_clock::now() + 10s;
  while (pool.threads() > 0 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(pool.threads(), 0u);  // All four waited longer than 50 ms.
  EXPECT_EQ(pool.idle_threads(), 0u);
  EXPECT_EQ(told.load(), 0u);
  EXPECT_EQ(pool.threads_started(), 4u);
  run_one(pool);  // A job after they ended starts a thread (and joins those that ended).
  EXPECT_EQ(pool.threads_started(), 5u);
  EXPECT_EQ(pool.threads(), 1u);
  pool.shutdown();
  EXPECT_EQ(pool.threads(), 0u);
}

TEST(WorkerPool, AThreadKeptBusyWithinTheLimitKeepsServing) {
  WorkerPool pool(1024, {}, 2000ms);
  std::set<std::thread::id> threads;
  for (int i = 0; i < 20; ++i) {
    threads.insert(run_one(pool));
    ASSERT_TRUE(all_idle(pool));
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(threads.size(), 1u);
  EXPECT_EQ(pool.threads_started(), 1u);
  pool.shutdown();
}

TEST(WorkerPool, NoJobIsLostWhileThreadsEndAndStart) {
  // Threads end after 1 ms idle, so jobs keep arriving as threads leave: every job still runs once.
  std::atomic<int> ran{0};
  {
    WorkerPool pool(8, {}, 1ms);
    for (int burst = 0; burst < 200; ++burst) {
      for (int i = 0; i < 10; ++i) pool.enqueue([&] { ++ran; });
      std::this_thread::sleep_for(std::chrono::microseconds(burst % 7 * 300));
    }
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (ran.load() < 2000 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(1ms);
    EXPECT_EQ(ran.load(), 2000);
    EXPECT_GT(pool.threads_started(), 1u);  // Some ended and others started.
    pool.shutdown();
  }
  EXPECT_EQ(ran.load(), 2000);
}

}  // namespace
}  // namespace linli::server
