// Change codes, validation and the on-disk record codec. Pure.
#include "core/change.h"

#include "core/codes.h"

#include <array>
#include <cstring>

namespace linli {
namespace {

constexpr std::array<std::string_view, kChangeKindCount> kKindCodes = {
    "create_ticket", "set_field", "transition", "add_entry", "attach_photo", "link_tickets",
    "set_facility", "set_campaign", "set_round", "set_round_item"};
constexpr std::array<std::string_view, kEditableFieldCount> kFieldCodes = {
    "title", "description", "address", "community", "category", "urgency", "citizen_name",
    "citizen_phone", "lead_department", "deleted", "official_number"};
constexpr std::array<std::string_view, kEntryKindCount> kEntryCodes = {
    "contact", "handling_note", "progress_report", "return_visit", "return_request",
    "extension_request", "decision", "comment", "co_handler_added", "co_handler_removed", "co_reply",
    "urge"};
constexpr std::array<std::string_view, kSatisfactionCount> kSatisfactionCodes = {
    "none", "satisfied", "basically_satisfied", "dissatisfied", "leaning_dissatisfied"};
constexpr std::array<std::string_view, kLinkKindCount> kLinkCodes = {"rebound", "finding"};
constexpr std::array<std::string_view, kPhotoPhaseCount> kPhaseCodes = {"none", "before", "after"};

using codes::code_of;
using codes::parse_code;

constexpr size_t kMaxEntryChars = 4000;
constexpr size_t kMaxUserChars = 64;
constexpr size_t kMaxDepartmentChars = 40;
constexpr int64_t kMaxPhotoBytes = 32 << 20;

bool text_ok(std::string_view s, size_t max_chars, bool required) {
  const auto n = utf8_length(s);
  return n && *n <= max_chars && (!required || *n > 0);
}

bool is_lower_hex(std::string_view s, size_t len) {
  if (s.size() != len) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// An id is either the zero id (no replica, counter 0) or a real one (a replica, counter > 0):
// never half of each, so that every id has one form on the wire and on disk.
bool is_canonical(const ChangeId& id) { return id.is_zero() == id.replica.is_zero(); }

// --- Record writer and reader: little-endian varints and length-prefixed strings. ---

constexpr uint8_t kRecordVersion = 1;

void put_u64(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
void put_i64(std::string& out, int64_t v) {  // Zig-zag, so small negatives stay small.
  put_u64(out, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}
void put_str(std::string& out, std::string_view s) {
  put_u64(out, s.size());
  out.append(s.data(), s.size());
}
void put_id(std::string& out, const ChangeId& id) {
  put_u64(out, id.replica.hi);
  put_u64(out, id.replica.lo);
  put_u64(out, id.counter);
}

class Reader {
 public:
  explicit Reader(std::string_view b) : m_b(b) {}
  bool failed() const { return m_failed; }
  bool at_end() const { return m_at == m_b.size(); }

  uint64_t u64() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (m_at >= m_b.size()) return fail();
      const auto byte = static_cast<uint8_t>(m_b[m_at++]);
      v |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if (!(byte & 0x80)) return v;
    }
    return fail();
  }
  int64_t i64() {
    const uint64_t z = u64();
    return static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
  }
  std::string str() {
    const uint64_t n = u64();
    if (m_failed || n > m_b.size() - m_at) return fail(), std::string();
    std::string s(m_b.substr(m_at, static_cast<size_t>(n)));
    m_at += static_cast<size_t>(n);
    return s;
  }
  ChangeId id() {
    ChangeId id;
    id.replica.hi = u64();
    id.replica.lo = u64();
    id.counter = u64();
    return id;
  }
  // An enum stored by its index; fails when out of range.
  template <class E>
  E code(int count) {
    const uint64_t v = u64();
    if (v >= static_cast<uint64_t>(count)) return fail(), E{};
    return static_cast<E>(v);
  }

 private:
  uint64_t fail() {
    m_failed = true;
    return 0;
  }
  std::string_view m_b;
  size_t m_at = 0;
  bool m_failed = false;
};

void put_ticket(std::string& out, const Ticket& t) {
  put_str(out, t.id);
  put_str(out, t.provisional_number);
  put_str(out, t.official_number);
  put_u64(out, static_cast<uint64_t>(t.source));
  put_i64(out, t.received_at_ms);
  put_str(out, t.citizen_name);
  put_str(out, t.citizen_phone);
  put_str(out, t.community);
  put_str(out, t.address);
  put_u64(out, static_cast<uint64_t>(t.category));
  put_u64(out, static_cast<uint64_t>(t.urgency));
  put_str(out, t.title);
  put_str(out, t.description);
  put_u64(out, static_cast<uint64_t>(t.status));
  put_i64(out, t.created_at_ms);
  put_i64(out, t.updated_at_ms);
}

Ticket read_ticket(Reader& r) {
  Ticket t;
  t.id = r.str();
  t.provisional_number = r.str();
  t.official_number = r.str();
  t.source = r.code<Source>(kSourceCount);
  t.received_at_ms = r.i64();
  t.citizen_name = r.str();
  t.citizen_phone = r.str();
  t.community = r.str();
  t.address = r.str();
  t.category = r.code<Category>(kCategoryCount);
  t.urgency = r.code<Urgency>(kUrgencyCount);
  t.title = r.str();
  t.description = r.str();
  t.status = r.code<TicketStatus>(kTicketStatusCount);
  t.created_at_ms = r.i64();
  t.updated_at_ms = r.i64();
  return t;
}

Error invalid(const Change& c, std::string_view what) {
  return Error{ErrorCode::InvalidArgument, "[change] " + to_string(c.id) + ": " + std::string(what)};
}

// A field change (core/field.h): the ids its kind needs and only those, members of its kind with
// valid values, each once, sorted; its subject is the one its ids give.
Result<void> validate_field_record(const Change& c) {
  const FieldRecord& r = c.field_record;
  const bool facility = c.kind == ChangeKind::SetFacility || c.kind == ChangeKind::SetRoundItem;
  const bool campaign = c.kind != ChangeKind::SetFacility;
  const bool community = c.kind != ChangeKind::SetCampaign;
  const bool week = c.kind == ChangeKind::SetRound || c.kind == ChangeKind::SetRoundItem;
  if (facility ? !is_valid_ticket_id(r.facility) : !r.facility.empty()) return invalid(c, "bad or stray facility id");
  if (campaign ? !is_valid_ticket_id(r.campaign) : !r.campaign.empty()) return invalid(c, "bad or stray campaign id");
  if (community ? !text_ok(r.community, kMaxCommunityChars, true) : !r.community.empty())
    return invalid(c, "bad or stray community");
  if (week ? (r.week.empty() || week_of(r.week) != r.week) : !r.week.empty())
    return invalid(c, "week is not a Monday (YYYY-MM-DD)");
  if (r.values.empty()) return invalid(c, "a field change sets at least one member");
  for (size_t i = 0; i < r.values.size(); ++i) {
    const auto& [m, v] = r.values[i];
    if (!kind_takes(static_cast<int>(c.kind), m)) return invalid(c, std::string(to_string(m)) + " is not a member of " + std::string(to_string(c.kind)));
    if (i > 0 && r.values[i - 1].first >= m) return invalid(c, "members twice or out of order");
    if (!is_valid_field_member_value(m, v)) return invalid(c, "bad value for " + std::string(to_string(m)));
  }
  // A campaign's days as one change gives them: it ends on or after the day it starts. (Sent in two
  // changes, each a register of its own, they are not compared: a campaign with no week has no rounds.)
  if (const std::string *from = r.get(FieldMember::From), *to = r.get(FieldMember::To);
      from && to && parse_day(*to) < parse_day(*from))
    return invalid(c, "the campaign ends (to) before it starts (from)");
  if (c.ticket_id != field_subject(c)) return invalid(c, "subject differs from the record's ids");
  if (!c.base.is_zero()) return invalid(c, "a field change has no base");
  return Ok{};
}

Result<void> validate_payload(const Change& c) {
  switch (c.kind) {
    case ChangeKind::CreateTicket:
      if (c.ticket.id != c.ticket_id) return invalid(c, "ticket id differs from the change's");
      if (c.ticket.status != TicketStatus::Received) return invalid(c, "a new ticket starts received");
      if (!validate_new_ticket(c.ticket).empty()) return invalid(c, "the new ticket breaks a rule");
      return Ok{};
    case ChangeKind::SetField:
      if (!is_valid_field_value(c.field, c.value)) return invalid(c, "bad value for " + std::string(to_string(c.field)));
      return Ok{};
    case ChangeKind::Transition:
      if (c.seen_work < 0) return invalid(c, "negative seen_work");
      return Ok{};  // Whether the workflow allows it is merge rule R7's question.
    case ChangeKind::AddEntry:
      if (!text_ok(c.entry.text, kMaxEntryChars, false)) return invalid(c, "entry text too long or not UTF-8");
      if ((c.entry.kind == EntryKind::ReturnVisit) != (c.entry.satisfaction != Satisfaction::None))
        return invalid(c, c.entry.kind == EntryKind::ReturnVisit ? "a return visit says the citizen's satisfaction"
                                                                  : "satisfaction belongs to a return visit, and only there");
      if (c.entry.kind == EntryKind::ExtensionRequest && (c.entry.days < 1 || c.entry.days > 365))
        return invalid(c, "extension days out of range");
      if (c.entry.kind != EntryKind::ExtensionRequest && c.entry.days != 0)
        return invalid(c, "days belong to an extension request, and only there");
      if (!is_canonical(c.entry.request)) return invalid(c, "bad request id");
      if (names_request(c.entry.kind) == c.entry.request.is_zero())
        return invalid(c, "a decision, co_handler_removed or co_reply names its request, and only those do");
      if (c.entry.kind == EntryKind::CoHandlerAdded || c.entry.kind == EntryKind::CoHandlerRemoved)
        if (!text_ok(c.entry.text, kMaxDepartmentChars, true)) return invalid(c, "a co-handler's department is missing or too long");
      if (c.entry.kind == EntryKind::CoReply && c.entry.text.empty()) return invalid(c, "a co_reply says something");
      if (c.entry.approved && c.entry.kind != EntryKind::Decision) return invalid(c, "only a decision approves");
      return Ok{};
    case ChangeKind::AttachPhoto:
      if (!is_lower_hex(c.photo.sha256, 64)) return invalid(c, "photo sha256 is not 64 hex digits");
      if (c.photo.size <= 0 || c.photo.size > kMaxPhotoBytes) return invalid(c, "photo size out of range");
      if (c.photo.type != "image/jpeg" && c.photo.type != "image/png" && c.photo.type != "image/webp")
        return invalid(c, "photo type not allowed");
      return Ok{};
    case ChangeKind::LinkTickets:
      if (c.link.kind == LinkKind::Finding) {
        const FieldRecord& f = c.link.finding;
        if (!c.link.other_ticket.empty() || !is_valid_ticket_id(f.campaign) || !is_valid_ticket_id(f.facility) ||
            !text_ok(f.community, kMaxCommunityChars, true) || f.week.empty() || week_of(f.week) != f.week ||
            !f.values.empty())
          return invalid(c, "a finding link names a round's campaign, week (its Monday), community and facility");
        return Ok{};
      }
      // Each its own words: an id in uppercase is a mistake its sender can see and mend.
      if (c.link.other_ticket.empty()) return invalid(c, "a rebound link names the other ticket (\"other\")");
      if (!is_valid_ticket_id(c.link.other_ticket))
        return invalid(c, "the other ticket's id is not 32 lowercase hex digits");
      if (c.link.other_ticket == c.ticket_id) return invalid(c, "a ticket cannot be a rebound of itself");
      if (!(c.link.finding == FieldRecord{})) return invalid(c, "a rebound link names no round");
      return Ok{};
    case ChangeKind::SetFacility:
    case ChangeKind::SetCampaign:
    case ChangeKind::SetRound:
    case ChangeKind::SetRoundItem: return validate_field_record(c);
  }
  return invalid(c, "unknown kind");
}

}  // namespace

std::string to_string(const ChangeId& id) { return to_hex(id.replica) + ":" + std::to_string(id.counter); }

std::string_view to_string(ChangeKind v) { return code_of(kKindCodes, static_cast<int>(v)); }
std::string_view to_string(EditableField v) { return code_of(kFieldCodes, static_cast<int>(v)); }
std::string_view to_string(EntryKind v) { return code_of(kEntryCodes, static_cast<int>(v)); }
std::string_view to_string(Satisfaction v) { return code_of(kSatisfactionCodes, static_cast<int>(v)); }
std::string_view to_string(LinkKind v) { return code_of(kLinkCodes, static_cast<int>(v)); }
std::optional<ChangeKind> parse_change_kind(std::string_view c) { return parse_code<ChangeKind>(kKindCodes, c); }
std::optional<EditableField> parse_editable_field(std::string_view c) {
  return parse_code<EditableField>(kFieldCodes, c);
}
std::optional<EntryKind> parse_entry_kind(std::string_view c) { return parse_code<EntryKind>(kEntryCodes, c); }
std::optional<Satisfaction> parse_satisfaction(std::string_view c) {
  return parse_code<Satisfaction>(kSatisfactionCodes, c);
}
std::optional<LinkKind> parse_link_kind(std::string_view c) { return parse_code<LinkKind>(kLinkCodes, c); }
std::string_view to_string(PhotoPhase v) { return code_of(kPhaseCodes, static_cast<int>(v)); }
std::optional<PhotoPhase> parse_photo_phase(std::string_view c) { return parse_code<PhotoPhase>(kPhaseCodes, c); }

bool names_request(EntryKind k) {
  return k == EntryKind::Decision || k == EntryKind::CoHandlerRemoved || k == EntryKind::CoReply;
}

bool stamp_before(const Hlc& as, const ChangeId& ai, const Hlc& bs, const ChangeId& bi) {
  if (as != bs) return as < bs;
  return ai < bi;
}

bool is_valid_field_value(EditableField f, std::string_view v) {
  switch (f) {
    case EditableField::Title: return text_ok(v, kMaxTitleChars, true);
    case EditableField::Description: return text_ok(v, kMaxDescriptionChars, false);
    case EditableField::Address: return text_ok(v, kMaxAddressChars, true);
    case EditableField::Community: return text_ok(v, kMaxCommunityChars, true);
    case EditableField::Category: return parse_category(v).has_value();
    case EditableField::Urgency: return parse_urgency(v).has_value();
    case EditableField::CitizenName: return text_ok(v, kMaxNameChars, false);
    case EditableField::CitizenPhone: return v.empty() || is_valid_phone(v);
    case EditableField::LeadDepartment: return text_ok(v, kMaxDepartmentChars, false);
    case EditableField::Deleted: return v == "0" || v == "1";
    case EditableField::OfficialNumber: return is_valid_official_number(v);
  }
  return false;
}

Result<void> validate_change(const Change& c) {
  if (c.id.replica.is_zero() || c.id.counter == 0) return invalid(c, "zero id");
  if (!is_valid(c.stamp)) return invalid(c, "stamp out of range");
  if (!is_field_kind(c.kind) && !is_valid_ticket_id(c.ticket_id)) return invalid(c, "bad ticket id");
  if (!is_canonical(c.base)) return invalid(c, "bad base");
  if (!c.base.is_zero() && c.kind != ChangeKind::SetField && c.kind != ChangeKind::Transition)
    return invalid(c, "only set_field and transition name a base");
  if (!text_ok(c.author.user, kMaxUserChars, true)) return invalid(c, "bad author");
  return validate_payload(c);
}

std::string encode_change_record(const Change& c) {
  std::string out;
  out.reserve(96 + c.value.size() + c.entry.text.size());
  out.push_back(static_cast<char>(kRecordVersion));
  put_id(out, c.id);
  put_u64(out, pack(c.stamp));
  put_str(out, c.ticket_id);
  put_id(out, c.base);
  put_str(out, c.author.user);
  put_u64(out, static_cast<uint64_t>(c.author.role));
  put_u64(out, static_cast<uint64_t>(c.kind));
  switch (c.kind) {
    case ChangeKind::CreateTicket: put_ticket(out, c.ticket); break;
    case ChangeKind::SetField:
      put_u64(out, static_cast<uint64_t>(c.field));
      put_str(out, c.value);
      break;
    case ChangeKind::Transition:
      put_u64(out, static_cast<uint64_t>(c.action));
      put_u64(out, static_cast<uint64_t>(c.from));
      put_u64(out, static_cast<uint64_t>(c.to));
      put_i64(out, c.seen_work);
      break;
    case ChangeKind::AddEntry:
      put_u64(out, static_cast<uint64_t>(c.entry.kind));
      put_str(out, c.entry.text);
      put_u64(out, static_cast<uint64_t>(c.entry.satisfaction));
      put_i64(out, c.entry.days);
      put_id(out, c.entry.request);
      put_u64(out, c.entry.approved ? 1 : 0);
      break;
    case ChangeKind::AttachPhoto:
      put_str(out, c.photo.sha256);
      put_i64(out, c.photo.size);
      put_str(out, c.photo.type);
      if (c.photo.phase != PhotoPhase::None)  // Only then: records without a phase stay as before.
        put_u64(out, static_cast<uint64_t>(c.photo.phase));
      break;
    case ChangeKind::LinkTickets:
      put_str(out, c.link.other_ticket);
      put_u64(out, static_cast<uint64_t>(c.link.kind));
      if (c.link.kind == LinkKind::Finding)  // Only then: rebound records stay as before.
        for (const std::string* s : {&c.link.finding.campaign, &c.link.finding.week, &c.link.finding.community,
                                     &c.link.finding.facility})
          put_str(out, *s);
      break;
    case ChangeKind::SetFacility:
    case ChangeKind::SetCampaign:
    case ChangeKind::SetRound:
    case ChangeKind::SetRoundItem:
      put_str(out, c.field_record.facility);
      put_str(out, c.field_record.campaign);
      put_str(out, c.field_record.community);
      put_str(out, c.field_record.week);
      put_u64(out, c.field_record.values.size());
      for (const auto& [m, v] : c.field_record.values) {
        put_u64(out, static_cast<uint64_t>(m));
        put_str(out, v);
      }
      break;
  }
  return out;
}

Result<Change> decode_change_record(std::string_view bytes) {
  if (bytes.empty() || static_cast<uint8_t>(bytes[0]) != kRecordVersion)
    return Error{ErrorCode::Corrupt, "[change.record] unknown record version"};
  Reader r(bytes.substr(1));
  Change c;
  c.id = r.id();
  c.stamp = unpack_hlc(r.u64());
  c.ticket_id = r.str();
  c.base = r.id();
  c.author.user = r.str();
  c.author.role = r.code<Role>(kRoleCount);
  c.kind = r.code<ChangeKind>(kChangeKindCount);
  if (!r.failed()) {
    switch (c.kind) {
      case ChangeKind::CreateTicket: c.ticket = read_ticket(r); break;
      case ChangeKind::SetField:
        c.field = r.code<EditableField>(kEditableFieldCount);
        c.value = r.str();
        break;
      case ChangeKind::Transition:
        c.action = r.code<WorkflowAction>(kWorkflowActionCount);
        c.from = r.code<TicketStatus>(kTicketStatusCount);
        c.to = r.code<TicketStatus>(kTicketStatusCount);
        c.seen_work = r.i64();
        break;
      case ChangeKind::AddEntry:
        c.entry.kind = r.code<EntryKind>(kEntryKindCount);
        c.entry.text = r.str();
        c.entry.satisfaction = r.code<Satisfaction>(kSatisfactionCount);
        c.entry.days = static_cast<int32_t>(r.i64());
        c.entry.request = r.id();
        c.entry.approved = r.u64() != 0;
        break;
      case ChangeKind::AttachPhoto:
        c.photo.sha256 = r.str();
        c.photo.size = r.i64();
        c.photo.type = r.str();
        if (!r.failed() && !r.at_end()) c.photo.phase = r.code<PhotoPhase>(kPhotoPhaseCount);
        break;
      case ChangeKind::LinkTickets:
        c.link.other_ticket = r.str();
        c.link.kind = r.code<LinkKind>(kLinkKindCount);
        if (c.link.kind == LinkKind::Finding)
          for (std::string* s : {&c.link.finding.campaign, &c.link.finding.week, &c.link.finding.community,
                                 &c.link.finding.facility})
            *s = r.str();
        break;
      case ChangeKind::SetFacility:
      case ChangeKind::SetCampaign:
      case ChangeKind::SetRound:
      case ChangeKind::SetRoundItem: {
        FieldRecord& f = c.field_record;
        f.facility = r.str();
        f.campaign = r.str();
        f.community = r.str();
        f.week = r.str();
        const uint64_t n = r.u64();
        for (uint64_t i = 0; i < n && !r.failed() && i < kFieldMemberCount; ++i) {
          const auto m = r.code<FieldMember>(kFieldMemberCount);
          f.values.emplace_back(m, r.str());
        }
        if (n > kFieldMemberCount) r.u64(), r.u64(), r.u64();  // Past any record: fails below.
        break;
      }
    }
  }
  if (r.failed() || !r.at_end()) return Error{ErrorCode::Corrupt, "[change.record] truncated or malformed record"};
  return c;
}

}  // namespace linli
