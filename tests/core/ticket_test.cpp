// Ticket codes, validation, ids and dates.
#include "core/ticket.h"

#include <gtest/gtest.h>

namespace linli {
namespace {

Ticket valid_ticket() {
  Ticket t;
  t.id = "0123456789abcdef0123456789abcdef";
  t.source = Source::Hotline;
  t.received_at_ms = 1'764'000'000'000;
  t.citizen_name = "王女士";
  t.citizen_phone = "13917261234";
  t.community = "河滨花园";
  t.address = "河滨花园3号楼";
  t.category = Category::LivingServices;
  t.title = "大门不代收快递";
  return t;
}

bool has_problem(const std::vector<FieldProblem>& ps, TicketField f, ValidationCode c) {
  for (const auto& p : ps)
    if (p.field == f && p.code == c) return true;
  return false;
}

TEST(TicketCodes, EveryEnumeratorRoundTripsThroughItsCode) {
  for (int i = 0; i < kSourceCount; ++i)
    EXPECT_EQ(parse_source(to_string(static_cast<Source>(i))), static_cast<Source>(i));
  for (int i = 0; i < kUrgencyCount; ++i)
    EXPECT_EQ(parse_urgency(to_string(static_cast<Urgency>(i))), static_cast<Urgency>(i));
  for (int i = 0; i < kTicketStatusCount; ++i)
    EXPECT_EQ(parse_ticket_status(to_string(static_cast<TicketStatus>(i))), static_cast<TicketStatus>(i));
  for (int i = 0; i < kCategoryCount; ++i)
    EXPECT_EQ(parse_category(to_string(static_cast<Category>(i))), static_cast<Category>(i));
}

// The seed: 对于这些工单，中心全部定为紧急件 — an epidemic ticket starts urgent, every other normal.
TEST(TicketCodes, AnEpidemicTicketStartsUrgentAndEveryOtherNormal) {
  for (int i = 0; i < kCategoryCount; ++i) {
    const auto c = static_cast<Category>(i);
    EXPECT_EQ(default_urgency(c), c == Category::EpidemicControl ? Urgency::Urgent : Urgency::Normal) << to_string(c);
  }
}

TEST(TicketCodes, UnknownCodesAreRejected) {
  EXPECT_FALSE(parse_source("fax"));
  EXPECT_FALSE(parse_category(""));
  EXPECT_FALSE(parse_ticket_status("Closed"));  // Codes are lower case, exactly.
}

TEST(TicketValidation, ACompleteHotlineTicketIsValid) {
  EXPECT_TRUE(validate_new_ticket(valid_ticket()).empty());
}

TEST(TicketValidation, MissingRequiredFieldsAreNamed) {
  Ticket t = valid_ticket();
  t.title.clear();
  t.address.clear();
  t.citizen_phone.clear();
  const auto ps = validate_new_ticket(t);
  EXPECT_EQ(ps.size(), 3u);
  EXPECT_TRUE(has_problem(ps, TicketField::Title, ValidationCode::Missing));
  EXPECT_TRUE(has_problem(ps, TicketField::Address, ValidationCode::Missing));
  EXPECT_TRUE(has_problem(ps, TicketField::CitizenPhone, ValidationCode::Missing));
}

TEST(TicketValidation, APatrolFindingNeedsNoCitizen) {
  Ticket t = valid_ticket();
  t.source = Source::Patrol;
  t.citizen_name.clear();
  t.citizen_phone.clear();
  EXPECT_TRUE(validate_new_ticket(t).empty());
}

TEST(TicketValidation, LengthsCountCharactersNotBytes) {
  Ticket t = valid_ticket();
  t.title.clear();
  for (size_t i = 0; i < kMaxTitleChars; ++i) t.title += "噪";  // 3 bytes each.
  EXPECT_TRUE(validate_new_ticket(t).empty());
  t.title += "音";
  EXPECT_TRUE(has_problem(validate_new_ticket(t), TicketField::Title, ValidationCode::TooLong));
}

TEST(TicketValidation, InvalidUtf8IsABadFormat) {
  Ticket t = valid_ticket();
  t.address = "河滨\xE8\xA2";  // Truncated sequence.
  EXPECT_TRUE(has_problem(validate_new_ticket(t), TicketField::Address, ValidationCode::BadFormat));
  t.address = "\xC0\xAF";  // Overlong '/'.
  EXPECT_TRUE(has_problem(validate_new_ticket(t), TicketField::Address, ValidationCode::BadFormat));
}

TEST(TicketValidation, PhonesOfShanghai) {
  EXPECT_TRUE(is_valid_phone("13917261234"));
  EXPECT_TRUE(is_valid_phone("139 1726 1234"));
  EXPECT_TRUE(is_valid_phone("021-63541122"));
  EXPECT_TRUE(is_valid_phone("63541122"));
  EXPECT_FALSE(is_valid_phone("12345"));
  EXPECT_FALSE(is_valid_phone("1391726123"));    // 10 digits.
  EXPECT_FALSE(is_valid_phone("12917261234"));   // No mobile starts 12.
  EXPECT_FALSE(is_valid_phone("139-1726-123a"));
  EXPECT_FALSE(is_valid_phone("-63541122"));
}

TEST(TicketIds, AreThirtyTwoLowercaseHexDigits) {
  const uint8_t bytes[16] = {0x00, 0x01, 0xab, 0xff, 0x10, 0x20, 0x30, 0x40,
                             0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0, 0xc0};
  const std::string id = format_ticket_id(bytes);
  EXPECT_EQ(id, "0001abff102030405060708090a0b0c0");
  EXPECT_TRUE(is_valid_ticket_id(id));
  EXPECT_FALSE(is_valid_ticket_id("0001ABFF102030405060708090A0B0C0"));
  EXPECT_FALSE(is_valid_ticket_id("abc"));
}

TEST(TicketNumbers, ProvisionalNumbersCarryTheDayAndSequence) {
  EXPECT_EQ(format_provisional_number(20261129, 3), "临-20261129-0003");
  // With the device's letters: A = 0 ... Z, then 2 ... 9 (no 0/O, 1/I).
  EXPECT_EQ(format_provisional_number(20261129, uint64_t{0}, 3), "临-1129-AAA-003");
  EXPECT_EQ(format_provisional_number(20261129, ~uint64_t{0}, 12), "临-1129-999-012");
  EXPECT_EQ(format_provisional_number(20261129, uint64_t{9} << 59 | uint64_t{23} << 54 | uint64_t{24} << 49, 1),
            "临-1129-KZ2-001");
  EXPECT_NE(format_provisional_number(20261129, uint64_t{1} << 63, 1), format_provisional_number(20261129, uint64_t{1} << 62, 1))
      << "two devices, the same day and sequence: two numbers";
  EXPECT_EQ(format_provisional_number(20260105, uint64_t{0}, 1234), "临-0105-AAA-1234");
}

TEST(TicketNumbers, OfficialNumbersAreYearMonthSequence) {
  EXPECT_TRUE(is_valid_official_number("2026-03-0157"));
  EXPECT_TRUE(is_valid_official_number("2026-12-10157"));
  EXPECT_FALSE(is_valid_official_number("2026-13-0157"));
  EXPECT_FALSE(is_valid_official_number("2026-3-0157"));
  EXPECT_FALSE(is_valid_official_number("临-20261129-0003"));
  EXPECT_FALSE(is_valid_official_number(""));
}

TEST(ShanghaiDate, FollowsUtcPlusEight) {
  // 2026-11-29 15:59:59 UTC is 23:59:59 in Shanghai; one second later it is the 30th.
  EXPECT_EQ(shanghai_yyyymmdd(1'795'967'999'000), 20261129);
  EXPECT_EQ(shanghai_yyyymmdd(1'795'968'000'000), 20261130);
  EXPECT_EQ(shanghai_yyyymmdd(0), 19700101);
  EXPECT_EQ(shanghai_yyyymmdd(951'782'400'000), 20000229);  // 2000-02-29 00:00 UTC, a leap day.
}

}  // namespace
}  // namespace linli
