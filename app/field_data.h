// 巡查 (field work, issue 11) as the app reads it: the facilities, campaigns and rounds this replica
// holds (core/field.h assembled from the store's registers), the tickets opened from round items,
// and what the panel needs ordered (communities, campaigns, a round's checklist). Read again when
// the data changes (the app's data revision), never per frame. No drawing here; the panel is
// panels/field.cpp, the commands app_field.cpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/change.h"
#include "photos.h"
#include "core/field.h"
#include "core/ticket.h"
#include "report/campaign.h"
#include "store/store.h"

namespace linli::ui {

// One line of a round's checklist: a facility and what its item says (an empty item when nobody
// recorded it yet), with the ticket opened from it if any.
struct ChecklistLine {
  const Facility* facility = nullptr;
  RoundItem item;          // Counts summed over workers (R14); by_worker has each worker's.
  bool recorded = false;   // The item has at least one member set.
  std::string ticket_id;   // The ticket a finding opened from this item ("" none).
  int64_t own(FieldMember count, const std::string& user) const;  // This worker's own part.
};

struct FieldSnapshot {
  // `campaigns` points into `data`: moved (the maps keep their nodes), never copied.
  FieldSnapshot() = default;
  FieldSnapshot(FieldSnapshot&&) = default;
  FieldSnapshot& operator=(FieldSnapshot&&) = default;
  FieldSnapshot(const FieldSnapshot&) = delete;
  FieldSnapshot& operator=(const FieldSnapshot&) = delete;

  FieldData data;
  std::map<std::string, std::string> finding_tickets;  // finding_entity → ticket id (first link).
  std::vector<std::string> communities;                // Every community named, sorted.
  std::vector<const Campaign*> campaigns;              // Latest first (by `from`, then name).

  const Campaign* campaign(const std::string& id) const;
  // The facilities of a community, by kind then code; retired ones too when `with_retired`.
  std::vector<const Facility*> facilities(const std::string& community, bool with_retired) const;
  // The round of (campaign, week, community), or nullptr when nothing of it is recorded here.
  const Round* round(const std::string& campaign, const std::string& week, const std::string& community) const;
  // The checklist: the community's active facilities of the campaign's kinds (and retired ones an
  // item of this round names: the work was done), ordered by the campaign's kinds, then code.
  std::vector<ChecklistLine> checklist(const Campaign& c, const std::string& week, const std::string& community) const;
  // The round item a ticket was opened from (its finding link), if this replica knows one.
  struct Origin {
    std::string campaign, week, community, facility;
  };
  std::optional<Origin> origin_of(const std::string& ticket_id) const;
};

// What the facility form holds: a new facility (empty id) or an edit of one.
struct FacilityDraft {
  std::string id;  // "" for a new one.
  std::string community, code, location;
  FacilityKind kind = FacilityKind::BaitBox;
};

// What the new-campaign form holds (the centre's).
struct CampaignDraft {
  std::string name, from, to;  // Dates "YYYY-MM-DD".
  std::vector<FacilityKind> kinds;
  int weekday = 1;
};

// A finding (巡查发现) about to become a ticket: the round item, and the ticket's fields as the
// confirm shows them, filled in from the facility and the item (fill_finding_ticket).
struct FindingDraft {
  std::string campaign, week, community, facility;
  std::string address, title, description;
  Category category = Category::PestControl;
  Urgency urgency = Urgency::Normal;
  // The finding's photos as the page handed them over (scaled JPEG), held with the form until the
  // ticket is opened: each is then stored waiting for its upload and named by an attach_photo of
  // phase before, in the ticket's transaction (client/field_records.h). App::take_finding_photo.
  std::vector<app::CapturedPhoto> photos;
};

// Assembles the snapshot from the store (registers and finding links). `extra_community`: the
// signed-in committee's own, listed even before it has a facility.
Result<FieldSnapshot> read_field_snapshot(Store& store, const std::string& extra_community = {});

// The week of a campaign to open first: the one holding `today` ("YYYY-MM-DD") when the campaign
// runs, else its last week before today (a past campaign), else its first.
std::string default_week(const Campaign& c, const std::string& today);

// The round subject's parts, parsed back ("round:<campaign>:<week>:<community>").
bool parse_round_subject(const std::string& subject, std::string& campaign, std::string& week, std::string& community);

}  // namespace linli::ui
