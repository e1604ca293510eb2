// Field work (巡查): facilities, campaigns, weekly rounds and their checklist items, as change
// records under the same log as tickets (change kinds set_facility, set_campaign, set_round,
// set_round_item) and the registers they fold into (merge rules R13-R15 in core/merge.h).
// Pure: no I/O, no json, no clock.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/hlc.h"
#include "core/result.h"

namespace linli {

struct Change;
struct ChangeId;

// 设施 kinds. Codes: bait_box, fly_cage, rain_well, sewer, rat_hole, site, restaurant.
enum class FacilityKind { BaitBox, FlyCage, RainWell, Sewer, RatHole, Site, Restaurant };
inline constexpr int kFacilityKindCount = 7;
std::string_view to_string(FacilityKind k);
std::optional<FacilityKind> parse_facility_kind(std::string_view code);

// The members a field change may set, across its four kinds (which kind takes which: kind_takes).
enum class FieldMember {
  Code, Kind, Location, Retired,                 // set_facility
  Name, From, To, Kinds, Weekday,                // set_campaign
  Finished,                                      // set_round
  Checked, Treated, Note, RatsFound, HolesFilled, WellsDosed,  // set_round_item
  Community,  // Not sent as a member: every set_facility writes its `community` here (R15).
};
inline constexpr int kFieldMemberCount = 17;
std::string_view to_string(FieldMember m);  // The wire name: "code", "rats_found", ...
std::optional<FieldMember> parse_field_member(std::string_view code);
// Counts are kept per worker and summed (R14); every other member is one register (R13).
bool is_count(FieldMember m);
// How a member's value travels in JSON; its text form is what the change and the store keep.
enum class FieldValueType { Text, Bool, Int, Date, KindList };
FieldValueType value_type(FieldMember m);

inline constexpr size_t kMaxFacilityCodeChars = 40;
inline constexpr size_t kMaxLocationChars = 120;
inline constexpr size_t kMaxCampaignNameChars = 80;
inline constexpr size_t kMaxFieldNoteChars = 1000;
inline constexpr int64_t kMaxFieldCount = 100'000;

// A field change's payload: the ids that say what it is about, and the members it sets (text
// form: "0"/"1" for booleans, decimal for integers, "YYYY-MM-DD" for dates, comma-joined kind
// codes for Kinds). Values are sorted by member, each member at most once.
struct FieldRecord {
  std::string facility;   // set_facility, set_round_item: the facility's id (32 lowercase hex).
  std::string campaign;   // set_campaign, set_round, set_round_item: the campaign's id.
  std::string community;  // set_facility, set_round, set_round_item: the 小区 (fixed per facility, R15).
  std::string week;       // set_round, set_round_item: the round's Monday, "YYYY-MM-DD".
  std::vector<std::pair<FieldMember, std::string>> values;
  friend bool operator==(const FieldRecord&, const FieldRecord&) = default;
  const std::string* get(FieldMember m) const;
  void set(FieldMember m, std::string value);  // Keeps `values` sorted.
};

// The names a field change's payload object holds on the wire, by kind (ChangeKind::SetFacility
// ... SetRoundItem; docs/protocol.md, "Field work"): the ids that say what it is about, then the
// members it may set. Empty for any other kind. A name of one kind's payload in another's is
// refused, not ignored: the change would not do what its author meant (a week in a facility).
std::vector<std::string_view> payload_members(int change_kind);
bool payload_takes(int change_kind, std::string_view name);
// Whether a member is one a change kind sets (its payload's members that are no id).
bool kind_takes(int change_kind, FieldMember m);
// A member's text value checked for its type and limits.
bool is_valid_field_member_value(FieldMember m, std::string_view value);
// "YYYY-MM-DD" of a real day; "2020-03-02" → days since 1970-01-01 (nullopt: not a date).
std::optional<int64_t> parse_day(std::string_view date);
std::string format_day(int64_t days);
// 1 = Monday ... 7 = Sunday.
int weekday_of(int64_t days);
// The Monday of the week holding `date` ("YYYY-MM-DD"), or "" when not a date.
std::string week_of(std::string_view date);

// The log subject of a field change, in Change::ticket_id (never a ticket id: those are 32 hex):
// "facility:<id>", "campaign:<id>", "round:<campaign>:<week>:<community>". One round's changes
// and its items' share the round's subject, so the store chains and refolds them together.
std::string field_subject(const Change& c);
bool is_field_subject(std::string_view subject);
// The register entity a field change writes: the subject, or for an item the round's subject +
// "/" + the facility.
std::string field_entity(const Change& c);

// One register (R13, R14): the value of the latest write by (stamp, replica, counter).
struct FieldRegister {
  std::string entity;
  FieldMember member = FieldMember::Code;
  std::string author;  // The worker, for counts (R14); "" otherwise.
  std::string value;
  Hlc stamp;
  ReplicaId replica;  // The id of the change that wrote it.
  uint64_t counter = 0;
};
// Whether `incoming` replaces `have` (R13): a later (stamp, replica, counter).
bool register_wins(const FieldRegister& incoming, const FieldRegister& have);
// The registers a field change writes, one per member it sets.
std::vector<FieldRegister> field_writes(const Change& c);

// Every register, folded in memory (the app's tests, the convergence tests): key (entity, member, author).
using FieldRegisterKey = std::tuple<std::string, int, std::string>;
using FieldRegisters = std::map<FieldRegisterKey, FieldRegister>;
void fold_field_change(FieldRegisters& regs, const Change& c);

// ---- What the registers say, assembled (pure): facilities, campaigns, rounds and items. ----

struct Facility {
  std::string id, community, code, location;
  FacilityKind kind = FacilityKind::BaitBox;
  bool retired = false;
  bool has_kind = false;  // A facility whose kind has not arrived yet counts nowhere.
};
struct Campaign {
  std::string id, name, from, to;  // Dates "YYYY-MM-DD", inclusive.
  std::vector<FacilityKind> kinds;
  int weekday = 1;  // The day of the week rounds are due (1 = Monday).
};
struct RoundItem {
  std::string facility;
  bool checked = false, treated = false;
  std::string note;
  int64_t rats_found = 0, holes_filled = 0, wells_dosed = 0;  // Summed over workers (R14).
  std::map<std::string, std::array<int64_t, 3>> by_worker;    // Each worker's own counts.
};
struct Round {
  std::string campaign, week, community;
  bool finished = false;
  std::map<std::string, RoundItem> items;  // By facility id.
};
struct FieldData {
  std::map<std::string, Facility> facilities;  // By id.
  std::map<std::string, Campaign> campaigns;   // By id.
  std::map<std::string, Round> rounds;         // By subject.
};
FieldData assemble_field(const std::vector<FieldRegister>& regs);

// ---- A finding becomes a ticket (巡查发现 → 工单). ----

// The register entity of the round item a finding link names (as field_entity gives for its items).
std::string finding_entity(const FieldRecord& round_item);
// The round item a finding link names: its round's campaign, week and community, and the facility.
FieldRecord finding_of(const Round& round, const std::string& facility_id);
// The new ticket a finding opens, every field filled in from the round and the facility: source
// patrol (no citizen), the facility's community, its location as the address ("" location: the
// community), `category`, the title "巡查发现：<facility code>" and the item's note as the
// description. Ids, numbers and times are the caller's (ticket.id, provisional number, received_at).
struct Ticket;
void fill_finding_ticket(Ticket& t, const Facility& facility, const RoundItem& item);
// The Mondays of a campaign's weekly rounds, from `from` to `to`.
std::vector<std::string> campaign_weeks(const Campaign& c);

}  // namespace linli
