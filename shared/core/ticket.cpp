// Ticket codes, parsing and validation. Pure.
#include "core/ticket.h"

#include "core/civil_time.h"
#include "core/codes.h"

#include <array>
#include <cstdio>

namespace linli {
namespace {

constexpr std::array<std::string_view, kSourceCount> kSourceCodes = {"hotline", "phone", "walk_in", "patrol"};
constexpr std::array<std::string_view, kUrgencyCount> kUrgencyCodes = {"normal", "urgent"};
constexpr std::array<std::string_view, kTicketStatusCount> kStatusCodes = {
    "received", "contacted", "assigned", "in_progress", "handled", "visited", "closed", "review"};
constexpr std::array<std::string_view, kCategoryCount> kCategoryCodes = {
    "sanitation", "pest_control", "epidemic_control", "property_management", "municipal", "noise",
    "illegal_structure", "hoarding_refuse", "living_services", "business_support", "other"};

using codes::code_of;
using codes::parse_code;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string_view to_string(Source v) { return code_of(kSourceCodes, static_cast<int>(v)); }
std::string_view to_string(Urgency v) { return code_of(kUrgencyCodes, static_cast<int>(v)); }
std::string_view to_string(TicketStatus v) { return code_of(kStatusCodes, static_cast<int>(v)); }
std::string_view to_string(Category v) { return code_of(kCategoryCodes, static_cast<int>(v)); }
std::optional<Source> parse_source(std::string_view c) { return parse_code<Source>(kSourceCodes, c); }
std::optional<Urgency> parse_urgency(std::string_view c) { return parse_code<Urgency>(kUrgencyCodes, c); }
std::optional<TicketStatus> parse_ticket_status(std::string_view c) {
  return parse_code<TicketStatus>(kStatusCodes, c);
}
std::optional<Category> parse_category(std::string_view c) { return parse_code<Category>(kCategoryCodes, c); }

std::string_view to_string(TicketField f) {
  constexpr std::array<std::string_view, 11> names = {
      "id", "source", "received_at", "citizen_name", "citizen_phone", "community",
      "address", "category", "urgency", "title", "description"};
  return names[static_cast<size_t>(f)];
}

std::string_view to_string(ValidationCode c) {
  switch (c) {
    case ValidationCode::Missing: return "missing";
    case ValidationCode::TooLong: return "too_long";
    case ValidationCode::BadFormat: return "bad_format";
  }
  return "?";
}

std::optional<size_t> utf8_length(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = 0;
    uint32_t cp = 0;
    if (c < 0x80) { len = 1; cp = c; }
    else if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1Fu; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0Fu; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07u; }
    else return std::nullopt;
    if (i + len > s.size()) return std::nullopt;
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      return std::nullopt;
    i += len;
    ++n;
  }
  return n;
}

bool is_valid_phone(std::string_view phone) {
  std::string digits;
  for (char c : phone) {
    if (is_digit(c)) digits += c;
    else if (c != ' ' && c != '-') return false;
  }
  if (phone.empty() || phone.front() == '-' || phone.back() == '-') return false;
  if (digits.size() == 11 && digits[0] == '1' && digits[1] >= '3') return true;  // Mobile.
  if (digits.size() == 7 || digits.size() == 8) return digits[0] != '0';         // Local landline.
  // Landline with area code: 0 + 2–3 digit code + 7–8 digits (Shanghai: 021-xxxxxxxx).
  return digits[0] == '0' && digits.size() >= 10 && digits.size() <= 12;
}

std::vector<FieldProblem> validate_new_ticket(const Ticket& t) {
  std::vector<FieldProblem> out;
  auto text = [&](TicketField f, const std::string& s, size_t max, bool required) {
    const auto len = utf8_length(s);
    if (!len) out.push_back({f, ValidationCode::BadFormat});
    else if (*len == 0 && required) out.push_back({f, ValidationCode::Missing});
    else if (*len > max) out.push_back({f, ValidationCode::TooLong});
  };
  if (!is_valid_ticket_id(t.id)) out.push_back({TicketField::Id, ValidationCode::BadFormat});
  if (t.received_at_ms <= 0) out.push_back({TicketField::ReceivedAt, ValidationCode::Missing});
  // A patrol finding has no citizen; every other source names who called or came.
  const bool citizen_required = t.source != Source::Patrol;
  text(TicketField::CitizenName, t.citizen_name, kMaxNameChars, citizen_required);
  if (t.citizen_phone.empty()) {
    if (citizen_required) out.push_back({TicketField::CitizenPhone, ValidationCode::Missing});
  } else if (!is_valid_phone(t.citizen_phone)) {
    out.push_back({TicketField::CitizenPhone, ValidationCode::BadFormat});
  }
  text(TicketField::Community, t.community, kMaxCommunityChars, true);
  text(TicketField::Address, t.address, kMaxAddressChars, true);
  text(TicketField::Title, t.title, kMaxTitleChars, true);
  text(TicketField::Description, t.description, kMaxDescriptionChars, false);
  return out;
}

std::string format_ticket_id(const uint8_t (&random_bytes)[16]) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string s(32, '0');
  for (size_t i = 0; i < 16; ++i) {
    s[2 * i] = hex[random_bytes[i] >> 4];
    s[2 * i + 1] = hex[random_bytes[i] & 15];
  }
  return s;
}

bool is_valid_ticket_id(std::string_view id) {
  if (id.size() != 32) return false;
  for (char c : id)
    if (!is_digit(c) && !(c >= 'a' && c <= 'f')) return false;
  return true;
}

bool is_valid_official_number(std::string_view n) {
  if (n.size() < 12 || n.size() > 16 || n[4] != '-' || n[7] != '-') return false;
  for (size_t i = 0; i < n.size(); ++i)
    if (i != 4 && i != 7 && !is_digit(n[i])) return false;
  const int month = (n[5] - '0') * 10 + (n[6] - '0');
  return month >= 1 && month <= 12;
}

std::string format_provisional_number(int day_yyyymmdd, int sequence) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "临-%08d-%04d", day_yyyymmdd, sequence);
  return buf;
}

std::string format_provisional_number(int day_yyyymmdd, uint64_t device, int sequence) {
  static constexpr char kLetters[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";  // 32: five bits each.
  const char tag[4] = {kLetters[(device >> 59) & 31], kLetters[(device >> 54) & 31], kLetters[(device >> 49) & 31], 0};
  char buf[48];
  std::snprintf(buf, sizeof buf, "临-%04d-%s-%03d", day_yyyymmdd % 10000, tag, sequence);
  return buf;
}

int shanghai_yyyymmdd(int64_t utc_ms) {
  const CivilDay c = civil_from_days(shanghai_days(utc_ms));
  return c.year * 10000 + c.month * 100 + c.day;
}

}  // namespace linli
