// The app's state and the commands panels emit. Panels read state and call commands; only this
// class touches the store. No drawing here.
#pragma once

#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <set>
#include <optional>
#include <string>
#include <variant>
#include <utility>
#include <vector>

#include "client/http.h"
#include "client/session.h"
#include "client/sync_loop.h"
#include "core/deadline.h"
#include "core/ticket.h"
#include "dashboard_data.h"
#include "field_data.h"
#include "i18n.h"
#include "photos.h"
#include "policy/write_policy.h"
#include "store/store.h"
#include "sync/calendar_json.h"
#include "sync/client_sync.h"

namespace linli::ui {

enum class View { Tickets, Intake, Outbox, HotSpots, Dashboard, Field };
// A view as kept in the settings ("tickets", "field", …), and back (nullopt: not one).
std::string_view view_code(View view);
std::optional<View> parse_view(std::string_view code);

// The sign-in form and what its last try said.
struct SignInForm {
  std::string user;
  std::string password;
  bool busy = false;               // A login request is out.
  std::optional<Str> message;      // Why the last try failed.
  int64_t retry_at_ms = 0;         // Rate limited: no try before this.
  std::string other_owner;         // The device holds another user's data (their name).
  int64_t other_owner_unsent = 0;  // ... and this many of their changes are unsent.
};

// What the intake form (受理登记) holds while it is being filled in.
struct IntakeDraft {
  Source source = Source::Hotline;
  std::string received_at;  // "2026-11-29 14:30", Shanghai time; prefilled with now.
  std::string citizen_name;
  std::string citizen_phone;
  std::string community;
  std::string address;
  Category category = Category::Other;
  Urgency urgency = Urgency::Normal;
  bool urgency_chosen = false;  // The user picked it: a category chosen after does not override it.
  std::string title;
  std::string description;
  std::vector<std::string> rebound_of;  // Closed tickets the user linked as repeated here (反弹).
};

// Per-field problems of the last save attempt, for the form to show beside each field.
struct DraftProblems {
  std::vector<FieldProblem> fields;
  bool bad_received_at = false;
  bool future_received_at = false;  // A call is taken, not booked: later than now is a typo.
  bool out_of_scope = false;  // The write policy would refuse it (P4): not this user's to register here.
  bool any() const { return bad_received_at || future_received_at || out_of_scope || !fields.empty(); }
  std::optional<ValidationCode> of(TicketField f) const;
};

class App {
 public:
  // `transport` carries requests to the sync server and must outlive the app.
  App(Store store, app::Transport& transport, app::SyncOptions sync_options = {});
  ~App();

  // ---- State, read by panels.
  Lang lang() const { return m_lang; }
  View view() const { return m_view; }
  // Whether this user registers tickets at all (write policy may_register): a department does not,
  // and is offered no intake form. True before anyone signs in (nothing is known yet).
  bool may_register() const;
  // Whether this user's role takes the workflow step at all (core/workflow.h role_may), whatever
  // the ticket: for the key hints. True before anyone signs in.
  bool role_may(WorkflowAction action) const;
  const std::string& selected_id() const { return m_selected; }
  const Ticket* selected_ticket() const;
  IntakeDraft& draft() { return m_draft; }
  const DraftProblems& problems() const { return m_problems; }
  // The last success message, in the language shown now (it may change while the message shows).
  std::string notice() const;
  const std::string& error() const { return m_error; }      // Last failure, shown until the next action.
  // The last failure is the device's storage failing (fail()), not what the user asked refused.
  bool error_is_storage() const { return !m_error.empty() && m_error == m_storage_error; }
  int64_t notice_at_ms() const { return m_notice_at; }

  // Every ticket held here (at most 2,000), newest received first, read again after each change:
  // for tests and the test hook. Panels read the inbox, a page at a time.
  const std::vector<Ticket>& tickets();

  // ---- The inbox: rows read from the store a page at a time, never every ticket (store/inbox.h).
  // Panels change the filter or sort through inbox_query() and then call inbox_changed().
  InboxQuery& inbox_query() { return m_inbox.query; }
  void inbox_changed();
  // How many tickets the filter gives, and the row at `index` in the sort (nullptr past the end).
  int64_t inbox_total();
  const InboxRow* inbox_row(int64_t index);
  // The row at `index` if its page is already read (nullptr otherwise): reads nothing (benchmarks).
  const InboxRow* inbox_row_read(int64_t index) const;
  // The position of a ticket in the current sort, or -1 (for next/previous ticket).
  int64_t inbox_index_of(const std::string& ticket_id);
  // Overdue, due today and unknown deadlines over every ticket this replica holds.
  const Store::DeadlineCounts& deadline_counts();
  // Whose deadlines the inbox and its counts show: a department's (or the field team's) own, the
  // stages of the tickets it works as lead (a field team's: also those of the community it walks and
  // every patrol ticket) and the co-handler replies it owes; empty for the centre and the committees,
  // who see each ticket's stage deadline (InboxFilter::deadlines_of).
  std::string deadlines_owner() const;
  // The communities and departments the tickets name, for the filter menus.
  const std::vector<std::string>& communities();
  // Where a ticket can be dispatched (派单): `fixed` first (the street's departments), then the
  // departments the tickets name and each community's committee (居委会), without repeats.
  std::vector<std::string> dispatch_targets(const std::vector<std::string>& fixed);
  // The working-day calendar deadlines are computed with: built in, and the years the server's
  // calendar adds (fetched at each start of the sync, kept in the store for offline starts).
  const WorkdayCalendar& calendar() const;
  // Takes the server's calendar (GET /api/v1/calendar); deadlines are recomputed when it adds a year.
  bool take_calendar(const std::string& json);

  // ---- Who is signed in, and the sync with the server.
  // The sign-in screen is shown when nobody is signed in on this device (or they signed out).
  bool needs_sign_in() const { return !m_session || (m_session->token.empty() && !m_reauth); }
  // Signed in, but the server refused the token (401): work goes on, the password is asked again.
  bool needs_password_again() const { return m_reauth; }
  const app::Session* session() const { return m_session ? &*m_session : nullptr; }
  // How a change's author is shown: the display name the server's list of people gives
  // ("张斌（城运中心）", fetched at each start of the sync and kept for offline starts), 系统 for
  // the server's own changes, else the login name.
  std::string person(std::string_view user) const;
  // Which device a change was made on, from its replica id (hex): 本机 for this one, else the
  // id's first six digits (what the conflict view and the outbox show too).
  std::string device_label(std::string_view replica_hex) const;
  bool is_this_device(std::string_view replica_hex) const;
  // Takes the server's list of people (GET /api/v1/users).
  bool take_people(const std::string& json);
  SignInForm& sign_in_form() { return m_sign_in; }
  // The sync loop's status; a default one (nothing known) while nobody is signed in.
  const app::SyncStatus& sync_status() const;
  // The outbox as the user sees it: unsent own changes (oldest first) and refused ones.
  const std::vector<Change>& unsent() const { return m_unsent; }
  const std::vector<RefusedChange>& refused() const { return m_refused; }
  // Tickets a pull took off this device because they left the user's scope (退单 approved,
  // dispatched elsewhere), newest first (at most 20), and how many in all: the list's notice.
  const std::vector<LeftTicket>& left_tickets() const { return m_left; }
  int64_t left_count() const { return m_left_count; }
  // The user has read that notice.
  void dismiss_left();
  // The selected ticket as the fold keeps it (versions, lead department, work count), and its timeline.
  const TicketState* selected_state() const { return m_state ? &*m_state : nullptr; }
  const std::vector<TimelineEntry>& timeline() const { return m_timeline; }
  // The selected ticket's other changes (intake, field edits, steps, photos, links), in fold order:
  // the system events the timeline shows beside the entries.
  const std::vector<Change>& history() const { return m_history; }
  // Why the signed-in user may not do this to the selected ticket now (nullopt: they may), by the
  // shared write policy the server judges pushes with, so the app offers only what will be taken.
  std::optional<Refusal> why_not(WorkflowAction action) const;
  // 派单 to the department a ticket is already with, while it is assigned or in progress, would move
  // it back to 已派单 and count as a 重派 for nothing: the app refuses it (重派 names another one).
  static bool already_with(const TicketState& st, const std::string& department);
  std::optional<Refusal> why_not_edit(EditableField field) const;
  // Whether the field may be set to `value` (only the centre makes an urgent ticket normal).
  std::optional<Refusal> why_not_edit(EditableField field, const std::string& value) const;
  std::optional<Refusal> why_not_entry(EntryKind kind) const;
  // Edits of the selected ticket, each recorded as change records and pushed soon. False (and
  // error() says why) when refused here.
  bool edit_field(EditableField field, const std::string& value);
  bool add_entry(EntryKind kind, const std::string& text, Satisfaction satisfaction = Satisfaction::None);
  // A workflow step; Assign names the lead department (set in the same record), ReturnVisit the
  // citizen's satisfaction and what they said (its timeline entry goes with it), Handle what was
  // done (处置结果, a 处置记录 entry in the same record: asked for unless one was written since
  // the handling began, handling_result_written). A dissatisfied
  // visit (不满意) raises the warning (预警) and sends the ticket back for re-handling (再次处置):
  // the entry and a reopen step, in one record.
  bool take_action(WorkflowAction action, const std::string& department = {},
                   Satisfaction satisfaction = Satisfaction::None, const std::string& note = {});
  // A 处置记录 was written on the selected ticket since it was last dispatched, taken up or reopened:
  // 办结 then needs no result of its own (the return visit reads it to the citizen).
  bool handling_result_written() const;
  // The last 处置记录 written since then (what the return visit reads to the citizen); null if none.
  const TimelineEntry* handling_result() const;
  // What the dispatcher told the department with the last 派单 (a comment recorded with the step),
  // for the handler to read beside the department, not at the foot of the timeline.
  const TimelineEntry* dispatch_note() const;
  // Whether an entry was recorded with a step, in the same record (App::take_action): the same
  // device and author, within a second (another client's record may be stamped a little apart).
  static bool recorded_with(const Change& step, const std::string& step_device, const TimelineEntry& e) {
    return e.device == step_device && e.author.user == step.author.user && std::abs(e.at_ms - step.stamp.ms) <= 1000;
  }
  // 退单 and 延期: a handler asks, with a reason (and the working days wanted); the centre decides.
  // A request stays pending until a decision names it. Approving a return also moves the ticket
  // back to be dispatched again (ApproveReturn), in the same record.
  bool request_return(const std::string& reason);
  bool request_extension(const std::string& reason, int days);
  bool decide(const TimelineEntry& request, bool approve, const std::string& text);
  // 催办: the centre presses the selected ticket's lead department to act, saying what it asks
  // for (may be empty). Offered while the ticket is assigned or in progress (judge_entry).
  bool urge(const std::string& text);
  // The centre's newest 催办 on the selected ticket that its handlers have not answered: nothing
  // written to the timeline by anyone but the centre since, and the ticket still assigned or in
  // progress (LINLI_URGED in store/inbox.h, the inbox's 催办 tag); null if none. With the count of
  // urges not answered.
  const TimelineEntry* unanswered_urge(int* count = nullptr) const;
  // The selected ticket's requests no decision has answered yet, oldest first.
  std::vector<TimelineEntry> pending_requests() const;
  // The centre's latest decision on a 退单/延期 request of the selected ticket, and that request
  // (decided as pending_requests() judges it: by the centre); nullopt when none was decided.
  struct Decided {
    TimelineEntry request, decision;
  };
  std::optional<Decided> last_decision() const;
  // The selected ticket's deadlines (core/deadline.h).
  std::optional<Deadlines> selected_deadlines() const;
  // When the selected ticket's handling stage would end with `days` more working days (a 延期
  // request's, for the centre to read before it decides); nullopt when it is not known.
  std::optional<int64_t> extended_due(int days) const;

  // ---- 联合处置 (joint handling, merge rule R12; app_joint.cpp): co-handlers of the selected
  // ticket, each with its sub-status, replies and deadline.
  struct CoHandlerView {
    CoHandler co_handler;
    std::optional<int64_t> due_ms;       // kCoHandlingWorkdays after it was added; none: calendar.
    std::vector<TimelineEntry> replies;  // Its co_reply entries, oldest first.
  };
  std::vector<CoHandlerView> co_handlers() const;
  // Handled by the lead while a co-handler has not replied: shown 已办结·待协办回复.
  bool awaiting_co_handlers() const;
  // Why the signed-in user may not add `department`, remove the co-handler `added`, or reply as it.
  std::optional<Refusal> why_not_add_co_handler(const std::string& department) const;
  std::optional<Refusal> why_not_remove_co_handler(const ChangeId& added) const;
  std::optional<Refusal> why_not_co_reply(const ChangeId& added) const;
  // The centre adds or removes a co-handler; a co-handling department (or the centre) replies.
  bool add_co_handler(const std::string& department);
  bool remove_co_handler(const ChangeId& added);
  bool co_reply(const ChangeId& added, const std::string& text);
  // The field conflicts of the selected ticket (open ones first).
  const std::vector<FieldConflict>& conflicts() const { return m_conflicts; }
  // Why the selected ticket is in review (merge rule R5); null when it is not.
  const ReviewCause* review_cause() const { return m_review ? &*m_review : nullptr; }
  // Decides an open conflict with a new change of the field: the value it holds now (`take_kept`
  // false), or the value that was kept aside.
  void resolve_conflict(const FieldConflict& conflict, bool take_kept);
  // The number a change's ticket is known by here (official, else provisional), and its title.
  std::pair<std::string, std::string> ticket_label(const std::string& ticket_id);

  // ---- 反弹 (rebound) and hot spots.
  // Closed tickets of the draft's category at its address within kReboundDays: the intake form
  // suggests linking them. Read again when the address or category changes.
  static constexpr int kReboundDays = 90;
  const std::vector<InboxRow>& draft_rebound_suggestions();
  // Open tickets at the draft's address, any category (Store::open_at_address): a second call about
  // the same thing is likely not a new problem (可能重复). Read again when the address changes.
  const std::vector<InboxRow>& draft_open_at_address();
  // The selected ticket's chain of rebound links (oldest first, itself included; empty without
  // links), and closed tickets it may repeat that are not linked yet.
  const std::vector<InboxRow>& link_chain() const { return m_chain; }
  const std::vector<InboxRow>& rebound_suggestions() const { return m_rebound; }
  // Links the selected ticket to an earlier one as its rebound (a link_tickets change).
  bool link_rebound(const std::string& other_id);
  // The same, the earlier ticket named by its number (official or provisional), as a dispatcher
  // who remembers the case from months ago types it (beyond the 90 days suggestions look back).
  // False, error() saying why, when no ticket held here has it, it is not earlier, or is linked.
  bool link_rebound_by_number(const std::string& number);
  std::optional<Refusal> why_not_link() const;
  // The addresses with the most tickets received in the last `days` days (read once a revision).
  const std::vector<Store::HotSpot>& hot_spots(int days);

  // ---- 统计 (the monthly report, issue 12; app_report.cpp): over the tickets this replica holds,
  // computed when the month or the data changes (DashboardCache), never per frame.
  const Dashboard* dashboard(int year, int month);
  const std::string& dashboard_error() const { return m_dashboard.error(); }
  const DashboardCache& dashboard_cache() const { return m_dashboard; }
  void forget_dashboard() { m_dashboard = DashboardCache{}; }  // Benchmarks: compute afresh.
  // The month's CSV (report/csv.h, the server's columns) handed to the page as a download.
  void download_report_csv(int year, int month);
  // The server's print version of the month (format=html), opened by the page in a new window.
  void open_print_report(int year, int month);

  // ---- 巡查 (field work, issue 11; app_field.cpp, field_data.h, panels/field.cpp): facilities,
  // campaigns, weekly rounds and their items, each edit a change record pushed like a ticket's.
  // What this replica holds, read again when the data changes (a record, a pull), not per frame.
  const FieldSnapshot& field() { return *field_shared(); }
  // The same, held: a panel keeps it for a frame while an edit makes the app read the data again.
  std::shared_ptr<const FieldSnapshot> field_shared();
  void forget_error() { m_error.clear(); }
  // Why the signed-in user may not write a field change of `kind` in `community` ("" for a
  // campaign), by the field policy (F2-F4) the server judges pushes with; nullopt: they may.
  std::optional<Refusal> why_not_field(ChangeKind kind, const std::string& community) const;
  // A new facility (draft.id empty: every member) or the members of one that changed.
  bool save_facility(const FacilityDraft& draft);
  bool set_facility_retired(const std::string& facility_id, bool retired);
  bool save_campaign(const CampaignDraft& draft);  // The centre's: a new campaign.
  // One member of a round's item, saved at once (so a round half done is kept). A count is this
  // worker's own part (R14): the item shows the sum over workers.
  bool set_round_item(const std::string& campaign, const std::string& week, const std::string& community,
                      const std::string& facility, FieldMember member, const std::string& value);
  bool set_round_finished(const std::string& campaign, const std::string& week, const std::string& community,
                          bool finished);
  // 开工单: the ticket a round item's finding opens, every field filled in (the confirm shows it).
  FindingDraft finding_draft(const std::string& campaign, const std::string& week, const std::string& community,
                             const std::string& facility);
  // Why the signed-in user may not open a ticket of source 巡查发现 in `community` (policy P4).
  std::optional<Refusal> why_not_finding(const std::string& community) const;
  // Records the ticket, its photos and the finding link in one transaction and selects the ticket;
  // the kept draft goes then.
  bool open_finding(const FindingDraft& draft);
  // The finding form as it stands, photos and all, kept in the local store, so a tab closed before
  // 开工单 loses nothing: the next start opens the form again (kept_finding_draft). Call it when a
  // photo comes or goes and when a field is left. drop_finding_draft: the form was cancelled.
  void keep_finding_draft(const FindingDraft& draft);
  std::optional<FindingDraft> kept_finding_draft();
  void drop_finding_draft();
  // A campaign's totals over this replica (report/campaign.h), cached with the snapshot.
  const CampaignTotals& campaign_totals(const std::string& campaign_id);
  // The field part of state_json (for end-to-end tests).
  std::string field_state_json();

  // ---- Bulk moves on the tickets marked in the inbox (Ctrl+click, Shift+click for a range).
  const std::set<std::string>& marked() const { return m_marked; }
  void mark(const std::string& id, bool on);
  void clear_marks() { m_marked.clear(); }
  struct BulkResult {
    int done = 0;
    int skipped = 0;           // The policy or the ticket's status refused it: left as it was.
    std::string first_reason;  // Why the first one was skipped.
    int64_t at_ms = 0;         // When it was done.
  };
  // 派单 of every marked ticket to `department` (each whose status and the user's role allow it), or
  // a new urgency for each; every change in one record (one durable write). The marks are cleared.
  BulkResult bulk_assign(const std::string& department);
  BulkResult bulk_urgency(Urgency urgency);
  // 催办 on every marked ticket with a lead department at work on it (assigned or in progress);
  // the others are skipped with the reason (judge_entry, as the detail offers it).
  BulkResult bulk_urge(const std::string& text);
  const std::optional<BulkResult>& last_bulk() const { return m_last_bulk; }

  // ---- Saved views (常用视图): named filters and sorts of the inbox, per user, on this device.
  struct SavedView {
    std::string name;
    InboxQuery query;  // Filter and sort; paging is not kept.
  };
  const std::vector<SavedView>& saved_views();
  // Saves the inbox's current filter and sort under `name` (replacing one of that name).
  bool save_view(const std::string& name);
  void apply_view(const std::string& name);
  void delete_view(const std::string& name);

  // ---- Photos of the selected ticket (app_photos.cpp; app/photos.h).
  // Opens the page's file chooser for a photo of the selected ticket in `phase`; call it in the
  // frame of the user's click. The chosen picture is stored with its attach_photo change at a
  // later frame (tick), and the notice says it is saved once it is.
  void take_photo(PhotoPhase phase);
  // Opens the chooser for a photo of the finding being written (the field view's finding form);
  // the picture comes back through take_finding_photos(), for the form to hold until it is saved.
  void take_finding_photo();
  std::vector<app::CapturedPhoto> take_finding_photos() { return std::exchange(m_finding_photos, {}); }
  std::optional<Refusal> why_not_photo() const;
  bool photo_processing() const;
  // The selected ticket's photos in fold order (read with the ticket).
  const std::vector<app::TicketPhoto>& photos() const { return m_photos; }
  // A photo to draw: its texture once decoded. Bytes held here are decoded at once; others are
  // fetched from the server (GET with the token) and kept in the local store for later.
  enum class PhotoShow { Ready, Loading, NotHere, Failed };
  struct PhotoImage {
    PhotoShow show = PhotoShow::Loading;
    unsigned texture = 0;
    int width = 0, height = 0;
  };
  // max_side: the longest side it is drawn at, in pixels (0: full size, the large view).
  PhotoImage photo_image(const std::string& sha256, const std::string& type, int max_side);
  // Photos taken here waiting for their upload, oldest first (the outbox).
  const std::vector<LocalPhoto>& waiting_photos() const { return m_waiting_photos; }
  // Photos the server's upload refused for good (LocalPhotoState::Failed), with the reason: they
  // hold back the changes after them until the user gives them up.
  const std::vector<LocalPhoto>& failed_photos() const { return m_failed_photos; }
  // Gives up a failed photo: each unsent attach_photo naming it becomes a comment saying the photo
  // was not uploaded and why (the counter still reaches the server: no gap), and the bytes go.
  void discard_failed_photo(const std::string& sha256);
  // The selected ticket's photos and the photos held here, as JSON text (state_json, for tests):
  // each held photo with the SHA-256 of the bytes as stored.
  std::string photos_state_json();

  // ---- Commands, emitted by panels.
  void set_lang(Lang lang);
  // The intake view is not shown to a user who may not register tickets (the view stays).
  void set_view(View view);
  void select(const std::string& ticket_id);
  // Validates the draft and, if it passes, stores a new ticket and shows the list. False otherwise.
  bool submit_draft();
  // After a refused save, checks the draft again so each problem goes away once it is fixed.
  void revalidate_draft();
  void clear_draft();
  // The intake form is kept on the device while it is filled in (a caller's half-typed ticket
  // survives a reload, a crash, a closed tab): written at most twice a second from tick(), given
  // back when the app opens, forgotten once saved or emptied.
  void keep_intake_draft();
  std::string recorded_words(const std::vector<Change>& drafts);
  void restore_intake_draft();
  void reload();
  // Called every frame: recomputes a few deadlines if a new calendar asks it, runs the sync loop
  // and takes what it brought.
  void tick();
  // Deadlines being recomputed with a new calendar: how many are done, of how many (0 of 0: none).
  std::pair<int64_t, int64_t> refold_progress() const {
    return {m_store.refold_total() - m_store.refold_left(), m_store.refold_total()};
  }
  // Changes whenever what the screen shows may have changed (data, sync status, session): an idle
  // app draws again only then, or on input.
  uint64_t revision() const { return m_revision; }
  // The revision the last drawn frame was drawn at (app/main.cpp): the end-to-end tests' items are
  // that frame's, current only while it equals revision() (state_json's "frame_current").
  void note_drawn(uint64_t revision) { m_drawn_revision = revision; }
  // Bumped only when the tickets this device holds may have changed (reload), not by sync status.
  uint64_t data_revision() const { return m_data_revision; }

  // Sends the sign-in form. The answer is taken in a later frame.
  void sign_in();
  // Signs out: the token is revoked and forgotten; the data stays on the device unless `clear`,
  // which deletes every local change (unsent ones too) and reloads the page.
  void sign_out(bool clear);
  // Deletes this device's data and reloads (the sign-in screen offers it when the device holds
  // another user's data).
  void clear_device_data();
  // Forgets a refused change the user has read.
  void discard_refused(const ChangeId& id);
  // Why the refused change refused()[index] cannot be redone now (nullopt: it can), for the
  // outbox to disable its button with the reason. Judged when the outbox was loaded (reload).
  const std::optional<std::string>& why_not_redo(size_t index) const;
  // Re-issues a refused change as a new change against its ticket's current version (a field
  // edit with the field's version as base, a workflow step from the current status, an entry
  // again) if the signed-in user's role and the shared write policy allow it now, and forgets
  // the refusal, in one transaction. False (and error() says why) when it cannot.
  bool redo_refused(const ChangeId& id);
  // Asks the sync loop to try now instead of waiting for its back-off.
  void sync_now();

  // JSON of the app's state for end-to-end tests.
  std::string state_json();

  // Text read from the store to be shown (inbox rows, the selected ticket, its timeline and
  // conflicts, communities, ticket labels) is handed to `seen` as it is read, so the UI can add
  // the characters its first font lacks before they are drawn (fonts.h). Optional.
  void set_text_seen(std::function<void(std::string_view)> seen) {
    m_text_seen = std::move(seen);
    for (const auto& [name, shown] : m_people) saw({shown});  // Kept from an earlier start.
  }

 private:
  void fail(const Error& e);
  std::string m_storage_error;  // What fail() last set error() to.
  // A session is in place: opens the replica's sync and adopts tickets of an earlier build.
  void start_sync();
  void start_again(uint64_t lost_from);
  bool m_lost_tried = false;  // start_again was tried for the current loop's Halt::LostChanges.
  void on_login(const app::HttpResponse& r, const std::string& user);
  // Tickets an earlier build stored outside the change log become create_ticket changes.
  void adopt_tickets_outside_log();
  // The ticket the draft describes (id, numbers and times aside) and its problems.
  Ticket ticket_from_draft(DraftProblems& problems) const;

  // Built in (shared/data); set on the store before anything reads a deadline.
  WorkdayCalendar m_calendar = builtin_calendar();
  Store m_store;
  app::Transport& m_transport;
  app::SyncOptions m_sync_options;
  std::optional<app::Session> m_session;
  app::People m_people;
  bool m_reauth = false;
  SignInForm m_sign_in;
  std::unique_ptr<ClientSync> m_client;
  std::unique_ptr<app::SyncLoop> m_sync;
  std::vector<Change> m_unsent;
  std::vector<RefusedChange> m_refused;
  std::vector<LeftTicket> m_left;
  int64_t m_left_count = 0;
  std::vector<FieldConflict> m_conflicts;
  std::optional<ReviewCause> m_review;
  std::optional<TicketState> m_state;
  std::vector<TimelineEntry> m_timeline;
  std::vector<InboxRow> m_chain, m_rebound;
  std::vector<Change> m_history;
  std::set<std::string> m_marked;
  std::optional<BulkResult> m_last_bulk;
  // A ticket's drafts for a bulk move, or why it is left out.
  using BulkDrafts = std::variant<std::vector<Change>, std::string>;
  BulkResult bulk(const std::function<BulkDrafts(const TicketState&)>& drafts_for);
  std::optional<std::vector<SavedView>> m_views;  // Read from the store on first use.
  std::string views_key() const;
  bool write_views();
  struct {
    std::string key;  // What the rows were read for (the address; the rebound also its category and time).
    std::vector<InboxRow> rows;
  } m_draft_rebound, m_draft_open;
  DashboardCache m_dashboard;
  // 巡查: the snapshot and the totals of the campaign asked last, and the data revision they were read at.
  std::shared_ptr<const FieldSnapshot> m_field;
  uint64_t m_field_revision = 0;
  std::optional<CampaignTotals> m_field_totals;
  bool record_field(Change draft);
  struct {
    std::string key;  // Days and revision they were read at.
    std::vector<Store::HotSpot> rows;
  } m_hot;
  // Loads the selected ticket's state, timeline and conflicts.
  void load_selected();
  // Photos (app_photos.cpp): the selected ticket's, the waiting uploads, a chosen photo to store.
  void load_photos();
  void take_chosen_photo();
  void fetch_photo(const std::string& sha256);
  std::vector<app::TicketPhoto> m_photos;
  std::vector<LocalPhoto> m_waiting_photos;
  std::vector<LocalPhoto> m_failed_photos;
  std::vector<app::CapturedPhoto> m_finding_photos;  // Chosen for the finding form, not taken by it yet.
  struct {
    std::string ticket_id;  // The ticket the chooser was opened for ("" none).
    PhotoPhase phase = PhotoPhase::None;
    bool finding = false;   // Opened for the finding form instead (no ticket yet).
  } m_photo_for;
  std::map<std::string, int64_t> m_photo_fetches;  // sha256 -> 0 in flight, else when it failed.
  std::string m_photos_of;  // The ticket whose photo textures the page holds.
  // The new change that would redo `refused` now, or why there is none (app_redo.cpp).
  std::variant<Change, std::string> redo_draft(const RefusedChange& refused);
  void judge_redos();
  std::vector<std::optional<std::string>> m_redo_blocked;  // Per refused(): why not redo.
  Actor actor() const;
  std::optional<Refusal> judge(const Change& draft) const;
  bool take_visit_and_reopen(const std::string& note);
  void load_rebound();
  // Records drafts for the selected ticket (ids, stamps and author given by ClientSync).
  bool record(std::vector<Change> drafts);
  // Keeps drafts already judged (record, record_field): the outbox, the sync loop told, the notice.
  bool keep_judged(std::vector<Change> drafts);
  std::shared_ptr<App*> m_self;  // Held weakly by request callbacks.
  std::function<void(std::string_view)> m_text_seen;
  void saw(std::initializer_list<std::string_view> texts) const {
    if (m_text_seen)
      for (const std::string_view t : texts) m_text_seen(t);
  }
  uint64_t m_revision = 0;
  uint64_t m_drawn_revision = ~uint64_t{0};
  uint64_t m_data_revision = 0;
  std::string m_sync_seen;  // The sync status as last drawn, to notice a change.
  Lang m_lang = Lang::Zh;
  View m_view = View::Tickets;
  int64_t m_last_sync_kept = 0;  // The last sync as saved in the settings ("last_sync.<user>").
  // The inbox's pages (kInboxPage rows each) for the current query, and what they were read at.
  struct InboxCache {
    InboxQuery query;  // The deadline due first on top (App::App).
    std::map<int64_t, std::vector<InboxRow>> pages;
    int64_t total = -1;  // -1: to count.
    Store::DeadlineCounts counts;
    bool counts_known = false;
    std::vector<std::string> communities;
    bool stale = false;         // The data changed since the pages were read.
    int64_t read_at_ms = 0;
  } m_inbox;
  // Drops what the data changed, at most every so often while changes pour in (a first sync).
  void refresh_inbox_if_stale();
  // Deadlines recomputed with a new calendar, a few tickets a frame (Store::refold_step).
  static constexpr int64_t kRefoldSlice = 25;
  static constexpr int64_t kRefoldBudgetMs = 12;
  int64_t m_refold_shown_ms = 0;
  void step_refold();
  std::vector<Ticket> m_tickets;
  std::string m_tickets_key = "-";  // What tickets() was read at (App::tickets).
  std::string m_selected;
  IntakeDraft m_draft;
  std::string m_draft_kept;        // The intake draft as last kept on the device ("" none).
  int64_t m_draft_checked_at = 0;
  DraftProblems m_problems;
  // The last success message: what, a detail such as a ticket's number, and when.
  void set_notice(Str what, std::string detail = {});
  std::optional<Str> m_notice;
  std::string m_notice_detail;
  std::string m_notice_ticket;  // The ticket a 已登记工单 notice names, until its official number is in it.
  std::string m_error;
  int64_t m_notice_at = 0;
};

}  // namespace linli::ui
