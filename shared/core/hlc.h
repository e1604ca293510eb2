// Replica ids and the hybrid logical clock (HLC): 48-bit milliseconds + 16-bit counter, with the
// replica id as the last tie-break. Pure: the physical time always comes in as an argument.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace linli {

// 128 random bits naming one replica (a browser profile, a server). Written as 32 hex digits.
struct ReplicaId {
  uint64_t hi = 0;
  uint64_t lo = 0;

  bool is_zero() const { return hi == 0 && lo == 0; }
  friend bool operator==(const ReplicaId&, const ReplicaId&) = default;
  friend auto operator<=>(const ReplicaId&, const ReplicaId&) = default;
};

std::string to_hex(const ReplicaId& id);
std::optional<ReplicaId> parse_replica_id(std::string_view hex);
ReplicaId replica_id_from_bytes(const uint8_t (&random_bytes)[16]);

// An HLC stamp. Ordered by (ms, counter); ties between replicas are broken by the caller with the
// replica id (see ChangeId in change.h), so two stamps of one change never compare equal to another's.
struct Hlc {
  int64_t ms = 0;        // 48 bits used: milliseconds since the Unix epoch.
  uint32_t counter = 0;  // 16 bits used.

  friend bool operator==(const Hlc&, const Hlc&) = default;
  friend auto operator<=>(const Hlc&, const Hlc&) = default;
};

inline constexpr int64_t kHlcMaxMs = (int64_t{1} << 48) - 1;
inline constexpr uint32_t kHlcMaxCounter = 0xFFFF;
// A received stamp further ahead of the receiver's physical clock than this is clamped.
inline constexpr int64_t kMaxClockAheadMs = 60'000;

bool is_valid(const Hlc& h);
// One 64-bit number with the same order: ms << 16 | counter.
uint64_t pack(const Hlc& h);
Hlc unpack_hlc(uint64_t packed);

struct ReceiveOutcome {
  Hlc stamp;             // The remote stamp as the receiver keeps it: clamped if it was too far ahead.
  bool clamped = false;
  int64_t skew_ms = 0;   // How far the remote stamp was ahead of the receiver's physical clock (> 0 when clamped).
};

// The clock of one replica. Monotonic: every stamp it gives is greater than every stamp it gave or
// received (after clamping) before.
class HlcClock {
 public:
  HlcClock() = default;
  explicit HlcClock(Hlc last) : m_last(last) {}

  // A stamp for a local event at physical time physical_ms (send rule).
  Hlc now(int64_t physical_ms);
  // Merges a remote stamp (receive rule). A stamp more than kMaxClockAheadMs ahead of physical_ms
  // is replaced by (physical_ms + kMaxClockAheadMs, 0), or by the successor of the last stamp when
  // that is later, so one device with a wrong clock cannot drag every other clock forward and its
  // changes, clamped in turn, keep their order; the skew is reported.
  ReceiveOutcome receive(const Hlc& remote, int64_t physical_ms);

  Hlc last() const { return m_last; }

 private:
  Hlc m_last{};
};

}  // namespace linli
