// The ticket (工单) as a hotline ticket carries it, and the rules a new one must meet.
// Pure: no I/O, no clock; times are milliseconds since the Unix epoch (UTC), given by the caller.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace linli {

// Where a ticket came from (来源). Stored by code; never renumber.
enum class Source { Hotline, Phone, WalkIn, Patrol };
// 紧急程度. Urgent (紧急件) tickets must get a reply the same day.
enum class Urgency { Normal, Urgent };
// The ticket's life: received → contacted → assigned → in progress → handled → visited → closed.
// Review (待复核): a finishing step crossed work it had not seen; a dispatcher decides (merge rule R5).
enum class TicketStatus { Received, Contacted, Assigned, InProgress, Handled, Visited, Closed, Review };
// 类别: what the complaint is about.
enum class Category {
  Sanitation,          // 环境卫生
  PestControl,         // 病媒防治
  EpidemicControl,     // 疫情防控
  PropertyManagement,  // 物业管理
  Municipal,           // 市政设施
  Noise,               // 噪音扰民
  IllegalStructure,    // 违法搭建
  HoardingRefuse,      // 堆物堆料
  LivingServices,      // 生活服务 (deliveries, masks, help)
  BusinessSupport,     // 企业服务 (复工复产)
  Other,               // 其他
};

inline constexpr int kSourceCount = 4;
inline constexpr int kUrgencyCount = 2;
inline constexpr int kTicketStatusCount = 8;
inline constexpr int kCategoryCount = 11;

// Stable codes, as stored and sent: "hotline", "urgent", "in_progress", "pest_control", ...
std::string_view to_string(Source v);
std::string_view to_string(Urgency v);
std::string_view to_string(TicketStatus v);
std::string_view to_string(Category v);
std::optional<Source> parse_source(std::string_view code);
std::optional<Urgency> parse_urgency(std::string_view code);
std::optional<TicketStatus> parse_ticket_status(std::string_view code);
std::optional<Category> parse_category(std::string_view code);

// The urgency a new ticket of this category starts with: the centre makes every epidemic ticket
// (疫情防控) urgent, a reply the same day (the seed: 中心全部定为紧急件); the rest normal. Intake
// forms start there and the person taking the call may change it.
constexpr Urgency default_urgency(Category c) {
  return c == Category::EpidemicControl ? Urgency::Urgent : Urgency::Normal;
}

struct Ticket {
  std::string id;                  // 32 lowercase hex digits (128 random bits), given at creation.
  std::string provisional_number;  // Shown until the server gives the official one: "临-20261129-0003".
  std::string official_number;     // "2026-03-0157" once synced; empty before.
  Source source = Source::Hotline;
  int64_t received_at_ms = 0;      // When the citizen's call or visit was taken in.
  std::string citizen_name;
  std::string citizen_phone;       // Mobile (11 digits) or landline; may be empty for a patrol finding.
  std::string community;           // 小区 / 居委会 the address belongs to.
  std::string address;
  Category category = Category::Other;
  Urgency urgency = Urgency::Normal;
  std::string title;
  std::string description;
  TicketStatus status = TicketStatus::Received;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

// Which field a validation problem is about; the UI shows the message next to that field.
enum class TicketField { Id, Source, ReceivedAt, CitizenName, CitizenPhone, Community, Address,
                         Category, Urgency, Title, Description };
std::string_view to_string(TicketField f);

enum class ValidationCode { Missing, TooLong, BadFormat };
std::string_view to_string(ValidationCode c);

struct FieldProblem {
  TicketField field;
  ValidationCode code;
};

// Limits, in Unicode code points (a Chinese character counts one).
inline constexpr size_t kMaxTitleChars = 80;
inline constexpr size_t kMaxNameChars = 40;
inline constexpr size_t kMaxAddressChars = 120;
inline constexpr size_t kMaxCommunityChars = 40;
inline constexpr size_t kMaxDescriptionChars = 4000;

// Checks a ticket about to be created. Empty when it may be saved.
std::vector<FieldProblem> validate_new_ticket(const Ticket& t);

// Number of code points in UTF-8 text; nullopt if the bytes are not valid UTF-8.
std::optional<size_t> utf8_length(std::string_view s);

// True for a plausible Chinese phone number: mobile 1[3-9]xxxxxxxxx, or a landline of
// 7–8 digits with an optional area code (021-…), spaces and dashes allowed between groups.
bool is_valid_phone(std::string_view phone);

// Hex form of 16 random bytes: the ticket id. The bytes come from the caller.
std::string format_ticket_id(const uint8_t (&random_bytes)[16]);
bool is_valid_ticket_id(std::string_view id);

// "2026-03-0157": year, month, and a sequence of four or more digits, as the server gives it.
bool is_valid_official_number(std::string_view number);

// "临-20261129-0003": the provisional number a replica gives before the server's official one.
// day_yyyymmdd is the local (Shanghai) date of creation.
std::string format_provisional_number(int day_yyyymmdd, int sequence);
// "临-1129-K7Q-003": what the app gives: the month and day, three letters of the device (the top
// 15 bits of its replica id, in an alphabet without 0/O and 1/I), so that two desks offline on the
// same day do not give two citizens the same number (each counts its own sequence), and the
// sequence (three digits, more past 999). Shorter than the form above: it fits a phone's list.
std::string format_provisional_number(int day_yyyymmdd, uint64_t device, int sequence);

// The civil date in Shanghai (UTC+8, no daylight saving) of a UTC instant, as yyyymmdd.
int shanghai_yyyymmdd(int64_t utc_ms);

}  // namespace linli
