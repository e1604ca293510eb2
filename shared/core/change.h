// Change records: what a user meant (create a ticket, set a field, move the status, add a timeline
// entry, attach a photo, link tickets), with a unique id, an HLC stamp, a base version and an author.
// Pure: no I/O, no json. The compact record form here is how the store keeps a change on disk.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/field.h"
#include "core/hlc.h"
#include "core/result.h"
#include "core/ticket.h"
#include "core/workflow.h"

namespace linli {

// A change's id: the replica that made it and that replica's gap-free counter (1, 2, 3, ...).
// The zero id (counter 0) means "none", as the base of a first write.
struct ChangeId {
  ReplicaId replica;
  uint64_t counter = 0;

  bool is_zero() const { return counter == 0; }
  friend bool operator==(const ChangeId&, const ChangeId&) = default;
  friend auto operator<=>(const ChangeId&, const ChangeId&) = default;
};

// "<32 hex>:<counter>", as written in logs and error messages.
std::string to_string(const ChangeId& id);

// The first six are about a ticket (`ticket_id`); the last four are field work (巡查, core/field.h):
// they carry a FieldRecord, and `ticket_id` holds their log subject (field_subject), never a ticket.
enum class ChangeKind { CreateTicket, SetField, Transition, AddEntry, AttachPhoto, LinkTickets,
                        SetFacility, SetCampaign, SetRound, SetRoundItem };
inline constexpr int kChangeKindCount = 10;
inline bool is_field_kind(ChangeKind k) { return k >= ChangeKind::SetFacility; }

// The fields a SetField change may write. Values travel as text: codes for enums ("urgent"),
// "0"/"1" for Deleted (the soft delete flag, merge rule R8). OfficialNumber ("2026-03-0157") is
// written only by the server, when a ticket first reaches it.
enum class EditableField { Title, Description, Address, Community, Category, Urgency, CitizenName,
                           CitizenPhone, LeadDepartment, Deleted, OfficialNumber };
inline constexpr int kEditableFieldCount = 11;

// Timeline entries (insert-only, merge rule R4).
enum class EntryKind {
  Contact,           // 先行联系: a call with the citizen.
  HandlingNote,      // 处置记录.
  ProgressReport,    // 中途汇报.
  ReturnVisit,       // 回访, with the citizen's satisfaction.
  ReturnRequest,     // 退单 request, with a reason.
  ExtensionRequest,  // 延期 request, with the days asked for.
  Decision,          // The centre's decision on a return or extension request.
  Comment,           // 备注.
  // 联合处置 (joint handling): co-handling departments beside the lead, merged insert-only (R4)
  // and folded into TicketState::co_handlers (R12).
  CoHandlerAdded,    // The centre adds a co-handler: text is the department.
  CoHandlerRemoved,  // The centre removes one: request is its co_handler_added, text the department.
  CoReply,           // 协办回复: the co-handler's reply; request is its co_handler_added.
  // 催办: the centre presses the handler (the lead department) to act, with what it asks for
  // (the text may be empty). A timeline entry only: no deadline moves. The ticket shows as urged
  // until its handler writes to it again or finishes (LINLI_URGED in store/inbox.h). No work (R4).
  Urge,
};
inline constexpr int kEntryKindCount = 12;

// A return visit's finding (回访结果). Dissatisfied (不满意) raises a warning (预警) and starts a
// re-handling stage; Leaning (不满倾向: not dissatisfied outright, but not content) raises the
// warning only, for the centre to decide.
enum class Satisfaction { None, Satisfied, BasicallySatisfied, Dissatisfied, Leaning };
inline constexpr int kSatisfactionCount = 5;

// Rebound (反弹): the same problem again at the same place, linking an earlier ticket. Finding
// (巡查发现): the ticket was opened from a round's item; the link names the round and facility.
enum class LinkKind { Rebound, Finding };
inline constexpr int kLinkKindCount = 2;

// A photo's place in a before/after pair (整改前 / 整改后); None: a photo of neither. Optional on the
// wire (an older client sends none), kept in the record only when set.
enum class PhotoPhase { None, Before, After };
inline constexpr int kPhotoPhaseCount = 3;

std::string_view to_string(ChangeKind v);
std::string_view to_string(EditableField v);
std::string_view to_string(EntryKind v);
std::string_view to_string(Satisfaction v);
std::string_view to_string(LinkKind v);
std::optional<ChangeKind> parse_change_kind(std::string_view code);
std::optional<EditableField> parse_editable_field(std::string_view code);
std::optional<EntryKind> parse_entry_kind(std::string_view code);
std::optional<Satisfaction> parse_satisfaction(std::string_view code);
std::optional<LinkKind> parse_link_kind(std::string_view code);
// "before" / "after" ("none" for None, which never travels).
std::string_view to_string(PhotoPhase v);
std::optional<PhotoPhase> parse_photo_phase(std::string_view code);
// Entries that name another entry in `request`: a decision, a co-handler's removal or reply.
bool names_request(EntryKind kind);

struct Author {
  std::string user;  // The login name.
  Role role = Role::Centre;
  friend bool operator==(const Author&, const Author&) = default;
};

struct Entry {
  EntryKind kind = EntryKind::Comment;
  std::string text;
  Satisfaction satisfaction = Satisfaction::None;  // ReturnVisit only.
  int32_t days = 0;                                // ExtensionRequest only: days asked for.
  ChangeId request;                                // Decision: the request decided; CoHandlerRemoved,
                                                   // CoReply: the co_handler_added entry meant.
  bool approved = false;                           // Decision only.
  friend bool operator==(const Entry&, const Entry&) = default;
};

struct Photo {
  std::string sha256;  // 64 lowercase hex digits of the image's bytes.
  int64_t size = 0;    // Bytes.
  std::string type;    // "image/jpeg", "image/png" or "image/webp".
  PhotoPhase phase = PhotoPhase::None;  // Before or after the work; None: neither.
  friend bool operator==(const Photo&, const Photo&) = default;
};

struct Link {
  std::string other_ticket;  // Rebound: the earlier ticket this one repeats; Finding: "".
  LinkKind kind = LinkKind::Rebound;
  FieldRecord finding{};     // Finding: the round item's campaign, week, community and facility.
  friend bool operator==(const Link&, const Link&) = default;
};

// One change. The members after `kind` are its payload: only those of its kind are meaningful.
struct Change {
  ChangeId id;
  Hlc stamp;
  std::string ticket_id;
  ChangeId base;  // SetField: the version of the field it saw; Transition: of the status.
  Author author;
  ChangeKind kind = ChangeKind::SetField;

  Ticket ticket;                                // CreateTicket: the new ticket (status Received).
  EditableField field = EditableField::Title;   // SetField.
  std::string value;                            // SetField.
  WorkflowAction action = WorkflowAction::Assign;  // Transition.
  TicketStatus from = TicketStatus::Received;   // Transition: the status the author saw.
  TicketStatus to = TicketStatus::Received;     // Transition: the table's target from `from`.
  int64_t seen_work = 0;                        // Transition: the ticket's work count the author saw.
  Entry entry;                                  // AddEntry.
  Photo photo;                                  // AttachPhoto.
  Link link;                                    // LinkTickets.
  FieldRecord field_record;                     // SetFacility, SetCampaign, SetRound, SetRoundItem.
};

// True when a replica's later change must sort after an earlier one: (stamp, replica, counter).
bool stamp_before(const Hlc& a_stamp, const ChangeId& a_id, const Hlc& b_stamp, const ChangeId& b_id);

// Checks what a change says on its own (ids, codes, lengths), not whether it fits a ticket's state:
// that is the merge rules' job. Errors read "[change] <id>: <what>".
Result<void> validate_change(const Change& c);
// Checks a SetField value for its field: codes for enums, "0"/"1" for Deleted, lengths for text.
bool is_valid_field_value(EditableField f, std::string_view value);

// The compact binary record the store keeps for each change: a version byte, then the members in
// order. decode_change_record(encode_change_record(c)) == c; anything else decodes to Corrupt.
std::string encode_change_record(const Change& c);
Result<Change> decode_change_record(std::string_view bytes);

}  // namespace linli
