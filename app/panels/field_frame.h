// The 巡查 panel's half-made input and choices (panels/field.cpp), kept between frames in FrameInfo.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "field_data.h"

namespace linli::ui {

struct FieldFrame {
  int sub = 0;               // 0 round, 1 facilities, 2 totals, 3 campaigns.
  int sub_shown = -1;        // The sub-tab the bar showed last frame.
  std::string campaign;      // The campaign shown: the one under way (else the latest) unless chosen.
  bool campaign_chosen = false;  // The user picked it (a campaign that has ended stays shown).
  bool restored = false;     // The choices kept on the device were read back (the first draw).
  std::string kept;          // The choices as saved last (platform::save_setting "field").
  std::string community;     // The community chosen ("" : the first, or the committee's own).
  std::string week;          // The round's Monday ("" : default_week).
  int kind_filter = -1;      // The facility list's kind, -1 all.
  bool show_retired = false;
  // Notes and counts being typed, by facility id: saved when the field is left.
  std::map<std::string, std::string> notes;
  std::map<std::string, int64_t> counts;  // By facility id + "/" + rats|holes|wells.
  // The facility form (a popup): new (empty id) or an edit.
  bool facility_open = false;
  FacilityDraft facility;
  // The finding confirm (a popup), kept on the device as it is written (App::keep_finding_draft).
  bool finding_open = false;
  FindingDraft finding;
  bool draft_checked = false;  // The first frame after sign-in looked for a form left open.
  // The new-campaign form.
  CampaignDraft campaign_draft;
  bool campaign_form = false;
};

}  // namespace linli::ui
