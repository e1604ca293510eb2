// Change records: codes, validation, and the on-disk record codec.
#include "core/change.h"

#include <gtest/gtest.h>

#include "support/changes.h"

namespace linli {
namespace {

using test::Maker;

std::vector<Change> one_of_each_kind() {
  Maker m(test::replica(1));
  const std::string t = test::ticket_id(7);
  std::vector<Change> out;
  out.push_back(m.create(t, 1000));
  out.push_back(m.set(t, 1001, EditableField::Urgency, "urgent", out[0].id));
  out.push_back(m.move(t, 1002, WorkflowAction::Assign, TicketStatus::Received, {}, 3));
  out.push_back(m.note(t, 1003, EntryKind::ProgressReport, "中途汇报：已联系物业"));
  Change visit = m.note(t, 1004, EntryKind::ReturnVisit, "满意");
  visit.entry.satisfaction = Satisfaction::Satisfied;
  out.push_back(visit);
  Change ext = m.note(t, 1005, EntryKind::ExtensionRequest, "需协调");
  ext.entry.days = 3;
  out.push_back(ext);
  Change decision = m.note(t, 1006, EntryKind::Decision, "同意");
  decision.entry.request = ext.id;
  decision.entry.approved = true;
  out.push_back(decision);
  out.push_back(m.photo(t, 1007));
  out.push_back(m.link(t, 1008, test::ticket_id(3)));
  return out;
}

TEST(ChangeRecords, EveryKindRoundTripsThroughTheRecordCodec) {
  for (const Change& c : one_of_each_kind()) {
    ASSERT_TRUE(validate_change(c)) << validate_change(c).error().detail;
    const std::string bytes = encode_change_record(c);
    auto back = decode_change_record(bytes);
    ASSERT_TRUE(back) << to_string(c.kind);
    EXPECT_EQ(encode_change_record(*back), bytes);
    EXPECT_EQ(back->id, c.id);
    EXPECT_EQ(back->stamp, c.stamp);
    EXPECT_EQ(back->kind, c.kind);
    EXPECT_EQ(back->entry, c.entry);
    EXPECT_EQ(back->ticket.title, c.ticket.title);
  }
}

TEST(ChangeRecords, EveryTruncationOfARecordDecodesToCorrupt) {
  for (const Change& c : one_of_each_kind()) {
    const std::string bytes = encode_change_record(c);
    for (size_t n = 0; n < bytes.size(); ++n) {
      auto r = decode_change_record(std::string_view(bytes).substr(0, n));
      ASSERT_FALSE(r) << to_string(c.kind) << " cut at " << n;
      EXPECT_EQ(r.error().code, ErrorCode::Corrupt);
    }
    EXPECT_FALSE(decode_change_record(bytes + "x"));
  }
}

TEST(ChangeValidation, RejectsBadValuesWithTheChangeId) {
  Maker m(test::replica(1));
  Change c = m.set(test::ticket_id(1), 1000, EditableField::Urgency, "very");
  auto r = validate_change(c);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail, "[change] " + to_string(c.id) + ": bad value for urgency");
  c.value = "urgent";
  EXPECT_TRUE(validate_change(c));
  c.ticket_id = "nope";
  EXPECT_FALSE(validate_change(c));
}

TEST(ChangeValidation, AnIdIsEitherWhollyZeroOrWhollyReal) {
  Maker m(test::replica(1));
  Change c = m.set(test::ticket_id(1), 1000, EditableField::Title, "x");
  c.base = ChangeId{test::replica(2), 0};  // Found by the fuzzer: it encoded back as no base at all.
  auto r = validate_change(c);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail, "[change] " + to_string(c.id) + ": bad base");
  c.base = ChangeId{test::replica(2), 7};
  EXPECT_TRUE(validate_change(c));
}

TEST(ChangeValidation, SatisfactionBelongsToReturnVisitsOnly) {
  Maker m(test::replica(1));
  Change c = m.note(test::ticket_id(1), 1000, EntryKind::Comment);
  c.entry.satisfaction = Satisfaction::Dissatisfied;
  EXPECT_FALSE(validate_change(c));
  c.entry.kind = EntryKind::ReturnVisit;
  EXPECT_TRUE(validate_change(c));
}

// Members that belong to one kind are refused on every other (docs/protocol.md): an integrator
// who sends them learns at once, rather than from a value silently kept or dropped.
TEST(ChangeValidation, DaysBelongToExtensionRequestsAndABaseToSetFieldAndTransitionOnly) {
  Maker m(test::replica(1));
  const std::string t = test::ticket_id(1);
  for (EntryKind k : {EntryKind::Comment, EntryKind::Contact, EntryKind::HandlingNote, EntryKind::ProgressReport,
                      EntryKind::ReturnRequest}) {
    Change c = m.note(t, 1000, k);
    EXPECT_TRUE(validate_change(c)) << to_string(k);
    c.entry.days = 4;
    EXPECT_FALSE(validate_change(c)) << to_string(k);
  }
  const Change created = m.create(t, 999);
  for (Change c : one_of_each_kind()) {
    c.base = created.id;
    const bool takes = c.kind == ChangeKind::SetField || c.kind == ChangeKind::Transition;
    EXPECT_EQ(validate_change(c).ok(), takes) << to_string(c.kind);
  }
}

TEST(ChangeValidation, PhotosNeedAHashASizeAndAnImageType) {
  Maker m(test::replica(1));
  Change c = m.photo(test::ticket_id(1), 1000);
  EXPECT_TRUE(validate_change(c));
  c.photo.type = "application/pdf";
  EXPECT_FALSE(validate_change(c));
  c.photo.type = "image/png";
  c.photo.sha256 = std::string(64, 'G');
  EXPECT_FALSE(validate_change(c));
}

TEST(ChangeIds, OrderByStampThenReplicaThenCounter) {
  const ChangeId a{test::replica(1), 5}, b{test::replica(2), 1};
  EXPECT_TRUE(stamp_before(Hlc{10, 0}, b, Hlc{10, 1}, a));
  EXPECT_TRUE(stamp_before(Hlc{10, 0}, a, Hlc{10, 0}, b));
  EXPECT_FALSE(stamp_before(Hlc{10, 0}, b, Hlc{10, 0}, a));
  EXPECT_EQ(to_string(a), to_hex(test::replica(1)) + ":5");
}

}  // namespace
}  // namespace linli
