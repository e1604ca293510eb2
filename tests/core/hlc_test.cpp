// The hybrid logical clock: send rule, receive rule, the clamp, and replica ids.
#include "core/hlc.h"

#include <gtest/gtest.h>

namespace linli {
namespace {

TEST(Hlc, ALocalEventTakesThePhysicalTimeWhenItIsAhead) {
  HlcClock clock;
  EXPECT_EQ(clock.now(1000), (Hlc{1000, 0}));
  EXPECT_EQ(clock.now(2000), (Hlc{2000, 0}));
}

TEST(Hlc, TheCounterOrdersEventsWithinOneMillisecondAndWhenTheWallClockGoesBack) {
  HlcClock clock;
  EXPECT_EQ(clock.now(1000), (Hlc{1000, 0}));
  EXPECT_EQ(clock.now(1000), (Hlc{1000, 1}));
  EXPECT_EQ(clock.now(500), (Hlc{1000, 2}));  // The wall clock stepped back: the stamp does not.
}

TEST(Hlc, AnExhaustedCounterBorrowsAMillisecond) {
  HlcClock clock(Hlc{1000, kHlcMaxCounter});
  EXPECT_EQ(clock.now(1000), (Hlc{1001, 0}));
}

TEST(Hlc, ReceivingAStampMovesTheClockPastIt) {
  HlcClock clock;
  clock.now(1000);
  const auto r = clock.receive(Hlc{5000, 7}, 1000);
  EXPECT_FALSE(r.clamped);
  EXPECT_EQ(r.stamp, (Hlc{5000, 7}));
  EXPECT_EQ(clock.last(), (Hlc{5000, 8}));
  EXPECT_EQ(clock.now(1000), (Hlc{5000, 9}));
}

TEST(Hlc, ReceivingAnOlderStampStillTicks) {
  HlcClock clock;
  clock.now(9000);
  clock.receive(Hlc{100, 3}, 9000);
  EXPECT_EQ(clock.last(), (Hlc{9000, 1}));
}

TEST(Hlc, AStampMoreThanSixtySecondsAheadIsClampedAndItsSkewRecorded) {
  HlcClock clock;
  const int64_t now = 1'700'000'000'000;
  const int64_t day = 86'400'000;
  const auto r = clock.receive(Hlc{now + day, 4}, now);
  EXPECT_TRUE(r.clamped);
  EXPECT_EQ(r.skew_ms, day);
  EXPECT_EQ(r.stamp, (Hlc{now + kMaxClockAheadMs, 0}));
  EXPECT_EQ(clock.last(), r.stamp);  // Not dragged a day ahead.
}

// A device two hours fast sends three edits in order; each is clamped, and they keep their order
// (with the remote counters kept, the third, (X + 1, 0), would have sorted before the second).
TEST(Hlc, ChangesClampedOneAfterAnotherKeepTheirOrder) {
  HlcClock clock;
  const int64_t now = 1'700'000'000'000, fast = now + 7'200'000;
  const Hlc sent[] = {{fast, 0}, {fast, 1}, {fast + 1, 0}, {fast + 1, 1}};
  Hlc previous{};
  for (const Hlc& h : sent) {
    const auto r = clock.receive(h, now);
    EXPECT_TRUE(r.clamped);
    EXPECT_GT(r.stamp, previous);
    EXPECT_EQ(r.stamp.ms, now + kMaxClockAheadMs);
    previous = r.stamp;
  }
  // A later local event comes after them all.
  EXPECT_GT(clock.now(now + 1), previous);
}

TEST(Hlc, AStampExactlySixtySecondsAheadIsKept) {
  HlcClock clock;
  const auto r = clock.receive(Hlc{1000 + kMaxClockAheadMs, 0}, 1000);
  EXPECT_FALSE(r.clamped);
  EXPECT_EQ(r.skew_ms, 0);
}

TEST(Hlc, PackingKeepsTheOrder) {
  const Hlc a{1000, 65535}, b{1001, 0};
  EXPECT_LT(pack(a), pack(b));
  EXPECT_EQ(unpack_hlc(pack(a)), a);
  EXPECT_EQ(unpack_hlc(pack(Hlc{kHlcMaxMs, 3})), (Hlc{kHlcMaxMs, 3}));
}

TEST(ReplicaIds, RoundTripThroughHexAndRejectOtherText) {
  const uint8_t bytes[16] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
                             0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10};
  const ReplicaId id = replica_id_from_bytes(bytes);
  EXPECT_EQ(to_hex(id), "0123456789abcdeffedcba9876543210");
  EXPECT_EQ(parse_replica_id(to_hex(id)), id);
  EXPECT_FALSE(parse_replica_id("0123456789ABCDEFfedcba9876543210"));
  EXPECT_FALSE(parse_replica_id("0123"));
}

}  // namespace
}  // namespace linli
