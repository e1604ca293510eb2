// The network of the convergence harnesses: messages in flight between client replicas and a
// server, taken in random order, some lost, some delivered twice (but those sent `once`). Seeded
// by the caller's generator.
#pragma once

#include <deque>
#include <optional>
#include <random>
#include <string>

namespace linli::test {

// A request on its way to the server, or an answer on its way back to a client.
struct Message {
  enum Kind { Push, PushReply, Pull, PullReply } kind;
  int client;
  std::string text;  // The encoded wire message (or the server's answer body).
};

class FlakyNetwork {
 public:
  explicit FlakyNetwork(std::mt19937_64& rng) : m_rng(rng) {}

  void send(Message m) { m_in_flight.push_back(std::move(m)); }
  bool empty() const { return m_in_flight.empty(); }
  // The message sent last, taken without loss: for a drain that needs an answer at once.
  Message take_last() {
    Message m = std::move(m_in_flight.back());
    m_in_flight.pop_back();
    return m;
  }
  // One message from anywhere in flight: random order. One in ten stays in flight to be delivered
  // again; of the others one in ten is lost (nullopt, as when nothing is in flight).
  std::optional<Message> take() {
    if (m_in_flight.empty()) return std::nullopt;
    const size_t i = std::uniform_int_distribution<size_t>(0, m_in_flight.size() - 1)(m_rng);
    Message m = m_in_flight[i];
    if (std::bernoulli_distribution(0.1)(m_rng)) {
      ++m_duplicates;
      return m;
    }
    m_in_flight.erase(m_in_flight.begin() + static_cast<std::ptrdiff_t>(i));
    if (std::bernoulli_distribution(0.1)(m_rng)) {
      ++m_drops;
      return std::nullopt;
    }
    return m;
  }

  int64_t drops() const { return m_drops; }
  int64_t duplicates() const { return m_duplicates; }

 private:
  std::mt19937_64& m_rng;
  std::deque<Message> m_in_flight;
  int64_t m_drops = 0, m_duplicates = 0;
};

}  // namespace linli::test
