// The SQLite store of one replica: schema and migrations, tickets in and out.
// The only owner of sqlite3*; callers see Result values, never SQL or exceptions.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/change.h"
#include "core/merge.h"
#include "core/report_tally.h"
#include "core/result.h"
#include "core/ticket.h"
#include "store/inbox.h"

struct sqlite3;

namespace linli {

enum class HitsFrom : int;  // store/inbox.cpp

// How the database file is kept durable.
enum class Durability {
  // Native server: WAL, synchronous=FULL; a commit is on disk when it returns.
  Wal,
  // Browser: one file whose changed pages are handed to a page sink at each commit
  // (see page_vfs.h); the rollback journal stays in memory and the sink's store is the durable copy.
  PageSink,
};

// What a store keeps besides the log and the tickets' state. A replica (the app) lists, sorts and
// searches its tickets: it keeps the inbox's indexes and the trigram search index (migration 8).
// The server never lists an inbox nor searches, and each of those indexes costs every edit that
// touches its columns a page write (the search index: the ticket's every trigram again), so its
// store drops them. Either is made again when the store is next opened for the other use.
enum class StoreUse { Replica, Server };

struct StoreOptions {
  Durability durability = Durability::Wal;
  StoreUse use = StoreUse::Replica;
  const char* vfs = nullptr;  // sqlite3_vfs name; nullptr for the default.
  // Page cache size in pages; 0 keeps SQLite's default. Fault-injection tests make it tiny so a
  // batch spills pages to disk in the middle of its transaction.
  int cache_pages = 0;
};

struct TicketQuery {
  int limit = 200;
  int offset = 0;
};

// How a batch of changes reaches this replica (store/apply.cpp).
enum class ApplyMode {
  Local,   // This replica's own new changes: kept as unsent (no sequence number) until acknowledged.
  Accept,  // The server taking pushed changes: it checks each replica's counter has no gap, clamps
           // stamps too far ahead (R11), and gives each a sequence number.
  Pulled,  // Changes the server ordered, with their sequence numbers and canonical stamps.
};

enum class ApplyStatus {
  Applied,    // New here, now durable and folded into its ticket.
  Duplicate,  // Already here (R9); nothing changed.
  Gap,        // Accept: an earlier change of its replica is missing: not taken, send again after it.
              // (Pulled changes have no gaps: a scoped replica sees only part of a replica's changes.)
  Invalid,    // It breaks validate_change: not taken, never will be.
};
std::string_view to_string(ApplyStatus s);

// A change with the server's sequence number (0: not sequenced yet).
struct SequencedChange {
  Change change;
  int64_t seq = 0;
};

struct ChangeResult {
  ChangeId id;
  ApplyStatus status = ApplyStatus::Applied;
  int64_t seq = 0;       // Accept: the number given; 0 otherwise.
  Hlc stamp;             // The stamp kept (clamped under Accept when too far ahead).
  int64_t skew_ms = 0;   // > 0 when clamped: how far ahead of the receiver's clock it was.
  Effect effect = Effect::Applied;  // What the merge rules did (meaningful when Applied).
  std::string detail;    // Invalid: why.
};

// The server's word that a change is durable: its sequence number and the stamp everyone compares.
struct Ack {
  ChangeId id;
  int64_t seq = 0;
  Hlc stamp;
  int64_t skew_ms = 0;
};

// The server's refusal of an own pushed change (a push result with status Invalid).
struct PushRefusal {
  ChangeId id;
  std::string code;    // "out_of_scope", "forbidden", "invalid".
  std::string detail;  // The server's reason.
};

// An own change the server refused, as this replica keeps it to tell its user (refused_changes).
struct RefusedChange {
  Change change;               // As it was recorded here: its ticket, kind and payload.
  std::string code;            // The server's code (PushRefusal::code).
  std::string detail;          // The server's reason.
  int64_t refused_at_ms = 0;   // When this replica took the refusal.
  std::string ticket_number;   // The ticket's official number (else provisional) when it was refused.
  std::string ticket_title;    // Its title then: the ticket may be gone since.
};

// A ticket this replica forgot because it left its scope (Store::forget_tickets), as it was then.
struct LeftTicket {
  std::string ticket_id;
  std::string number;  // Official, else provisional.
  std::string title;
  int64_t left_at_ms = 0;
};

// A photo this device holds (local_photos; store/local_photos.cpp): taken here and waiting for its
// upload or uploaded, or fetched from the server to be shown (cached), or refused for good by the
// server's blob upload (failed, with the reason). App-local: never synced.
enum class LocalPhotoState { Waiting, Uploaded, Cached, Failed };
struct LocalPhoto {
  std::string sha256;        // 64 lowercase hex digits of the bytes: the blob's name.
  std::string ticket_id;     // The ticket it was taken for (or fetched for).
  PhotoPhase phase = PhotoPhase::None;
  std::string type;          // "image/jpeg", ...
  int64_t size = 0;          // Bytes.
  int width = 0, height = 0; // Pixels (0: not known, a cached photo).
  LocalPhotoState state = LocalPhotoState::Waiting;
  int64_t created_at_ms = 0;
  std::string failure;       // Failed: the server's answer ("413 too_large"), for the outbox.
};

// A concurrent edit of a field whose value did not take effect (merge rule R3), as the user sees
// it: the value kept, who wrote it, when and on which device, and whether it is still open.
struct FieldConflict {
  EditableField field = EditableField::Title;
  std::string kept_value;  // The value that did not take effect.
  ChangeId loser;          // Its change: the replica is the device it was made on.
  Author author;           // Who wrote it (empty when the change is not in this replica's log).
  int64_t at_ms = 0;       // Its stamp.
  ChangeId winner;         // The change whose value the field took instead.
  Author winner_author;    // Who wrote that one, and when (empty, 0: not in this replica's log).
  int64_t winner_at_ms = 0;
  bool open = false;       // The field still holds the winner's value: nobody has decided since.
};

// Why a ticket is in review (merge rule R5): a finishing step that did not see some work, or work
// made before a finishing step that came in after it.
struct ReviewCause {
  TicketStatus meant = TicketStatus::Closed;  // The status the step set, or meant to set.
  ChangeId step;                              // That transition.
  WorkflowAction step_action = WorkflowAction::Close;
  Author step_author;                         // Who took it, and when (empty, 0: not in this log).
  int64_t step_at_ms = 0;
  bool late_work = false;  // Work made before the step came in after it (else the step missed work).
  ChangeId work;           // That work item (late_work only).
  Author work_author;
  int64_t work_at_ms = 0;
  ChangeKind work_kind = ChangeKind::AddEntry;
  EntryKind work_entry = EntryKind::HandlingNote;  // Of an add_entry.
};

// One entry of a ticket's timeline as the store keeps it.
struct TimelineEntry {
  ChangeId id;           // The change that added it (a decision names a request by it).
  Entry entry;
  Author author;
  int64_t at_ms = 0;     // Its stamp's time.
  Hlc stamp;             // Its stamp: orders entries of the same millisecond.
  std::string device;    // The replica it was made on (hex).
};

// One migration step: SQL that takes the schema from version (index) to version (index + 1).
struct Migration {
  const char* name;
  const char* sql;
};
// Parts of migration 8 a server's store drops (StoreUse::Server) and a replica's makes again.
extern const char* const kInboxIndexesSql;
extern const char* const kSearchTriggersSql;
extern const char* const kSearchFillSql;
// The search text of the tickets noted in search_pending (store/apply.cpp write_search).
extern const char* const kSearchWriteSql;

class Store {
 public:
  // The schema version this build writes; a file with a newer one is refused (Unsupported).
  static int schema_version();

  // Opens (creating if needed) and migrates the database at `path`.
  static Result<Store> open(const std::string& path, const StoreOptions& options = {});
  // The same with an explicit list of migrations; for tests of the migration mechanism.
  static Result<Store> open_with(const std::string& path, const StoreOptions& options,
                                 const std::vector<Migration>& migrations);

  Store(Store&& other) noexcept;
  Store& operator=(Store&& other) noexcept;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store();

  // Validates and inserts a new ticket. InvalidArgument when it breaks a rule or its id exists.
  Result<void> create_ticket(const Ticket& ticket);
  // Inserts many tickets in one transaction: all or none. Returns how many.
  Result<int> create_tickets(const std::vector<Ticket>& tickets);
  Result<std::optional<Ticket>> get_ticket(const std::string& id);
  // Newest received first.
  Result<std::vector<Ticket>> list_tickets(const TicketQuery& query = {});
  Result<int64_t> count_tickets();
  // Ids of the tickets received in [from_ms, to_ms), oldest first (the monthly report's month).
  Result<std::vector<std::string>> ticket_ids_received(int64_t from_ms, int64_t to_ms);

  // Takes the next provisional sequence number for a day (1, 2, 3, ...), durably.
  Result<int> next_provisional_sequence(int day_yyyymmdd);

  int user_version();

  // --- The change log (store/apply.cpp). ---

  // Applies a batch in one transaction: every change is logged and folded into its ticket, or, if
  // any write fails, none is (the error is returned and the store is as before). Idempotent: a
  // change already here is reported Duplicate and changes nothing (R9). now_ms is this replica's
  // physical clock, for the HLC receive rule.
  Result<std::vector<ChangeResult>> apply_changes(const std::vector<Change>& changes, ApplyMode mode, int64_t now_ms);
  // Runs `body` — any number of apply_changes and skip_change calls — in one transaction, so they
  // cost one commit (one fsync): the server's group commit of the pushes that wait together.
  // If body or the commit fails, none of them stays (on disk or in memory).
  Result<void> in_one_transaction(const std::function<Result<void>()>& body);
  // Pulled changes, in sequence order. Own unsent changes that come back are taken as acknowledged.
  // A change is a duplicate only if the log has it: a scoped replica's counters have gaps, and a
  // ticket entering its scope brings older changes than it has seen. The applied counter never
  // goes down.
  Result<std::vector<ChangeResult>> apply_pulled(const std::vector<SequencedChange>& changes, int64_t now_ms);
  // Marks own changes as acknowledged by the server; refolds tickets whose order or stamps changed.
  // One acknowledged before with another number (a server put back from a copy numbered it anew
  // when it was sent again) takes the new number, and its ticket is refolded.
  Result<void> acknowledge(const std::vector<Ack>& acks);

  // Own changes not yet acknowledged, oldest first: the outbox.
  Result<std::vector<Change>> unsent_changes(const ReplicaId& self, int limit);
  // Own changes from `counter` on, acknowledged, unsent or refused (and still kept for the user),
  // oldest first: sent again to a server put back from a copy that lacks them (ClientSync::resend_from).
  Result<std::vector<Change>> own_changes_from(const ReplicaId& self, uint64_t counter, int limit);
  // Takes out of the log every change of another replica numbered after < seq < until (numbers a
  // server put back from a copy skipped: those changes are gone from it) and folds their tickets
  // again without them. Their authors send them again if they can; they then come back as new.
  // Returns how many were taken out.
  Result<int64_t> drop_skipped(const ReplicaId& self, int64_t after, int64_t until);
  // Takes every own change from `counter` on, acknowledged or not, out of the log and out of its
  // ticket's fold (the tickets are folded again without them), and returns them oldest first: a
  // server put back from a copy lacks them, and this replica no longer holds the change it expects
  // first, so they can only go again as new changes of a new replica id (ClientSync::start_again).
  // Refused changes kept for the user stay where they are.
  Result<std::vector<Change>> take_out_own_changes(const ReplicaId& self, uint64_t counter);
  // The highest counter of an own change the server acknowledged (0: none).
  Result<uint64_t> last_acknowledged_counter(const ReplicaId& self);
  // Consumes a replica's next counter without applying its change: the server refused it. Later
  // changes of that replica then follow without a gap (store/history.cpp).
  Result<void> skip_change(const ChangeId& id);
  // Own changes the server refused (store/forget.cpp), in one transaction: each leaves the outbox
  // and its ticket's fold (the ticket is folded again without it; one whose create was refused is
  // gone unless the server took other changes to it), and is kept in refused_changes. The applied
  // counter stays: the server consumed the number. A refusal of a change not unsent here (taken
  // before, or acknowledged) changes nothing.
  Result<void> refuse_changes(const std::vector<PushRefusal>& refusals, int64_t now_ms);
  // The refused changes kept, newest first.
  Result<std::vector<RefusedChange>> refused_changes(int limit = 100);
  // Forgets tickets that left this replica's scope (a pull's dropped), in one transaction: the
  // ticket, its timeline, photos, links, conflicts, search entry and log, so that if it comes back
  // its whole history applies anew. A ticket with own unsent changes is not forgotten yet: it is
  // marked leaving and kept until the server has answered them (acknowledged, or refused and kept
  // in refused_changes); call again then. A pulled change of a leaving ticket clears the mark: the
  // server sends it, so it is back in scope. Refused changes of a forgotten ticket stay. A ticket
  // forgotten is kept in left_tickets (its number and title, left at `now_ms`) for the user.
  Result<void> forget_tickets(const std::vector<std::string>& ids, int64_t now_ms);
  // Tickets forgotten because they left the scope, newest first, that the user has not dismissed
  // and that have not come back since; at most `limit`, and how many there are in all.
  Result<std::pair<std::vector<LeftTicket>, int64_t>> left_tickets(int limit = 20);
  // The user has read the notice: forgets what left_tickets lists.
  Result<void> dismiss_left_tickets();
  // Tickets marked leaving, in id order.
  std::vector<std::string> leaving_tickets();
  // Sequenced changes after `cursor`, in order (what the server hands out on a pull).
  Result<std::vector<SequencedChange>> changes_after(int64_t cursor, int limit);
  Result<int64_t> count_changes();
  // A change as the log keeps it, with its sequence number; nullopt when it is not here or has no
  // number yet.
  Result<std::optional<SequencedChange>> sequenced_change(const ChangeId& id);
  // The sequenced changes of ticket `id` numbered up to `up_to_seq`, in order: its history as the
  // server ordered it (what a replica needs when the ticket comes into its scope). One walk of the
  // ticket's log chain, so it costs the ticket's changes, not the log's.
  Result<std::vector<SequencedChange>> changes_of_ticket(const std::string& id, int64_t up_to_seq);
  // Every change of ticket `id` this replica holds, sent or not, in the order the fold takes them
  // (stamp, replica, counter): the ticket's whole history as this device knows it.
  Result<std::vector<Change>> ticket_log(const std::string& id);
  // Every change of ticket `id` this replica holds in the order the fold takes them (R10): the
  // sequenced ones by sequence number, then the replica's unsent ones by counter (the monthly
  // report folds a ticket's facts from it, report/store_reader.h).
  Result<std::vector<Change>> changes_in_fold_order(const std::string& id);
  // The monthly report's rows (store/report_rows.cpp): each ticket received in [from_ms, to_ms)
  // that the change log made (not one an earlier build stored outside it), newest first, with its
  // state as the fold keeps it and its report tally (core/report_tally.h; nullopt while a row of
  // an earlier build waits to be folded again). The state holds what the report reads: the
  // citizen, the address and the description are left empty. One range query, no log read. The
  // state is valid during the call only; an error `visit` returns stops the walk and is returned.
  Result<void> each_ticket_received(
      int64_t from_ms, int64_t to_ms,
      const std::function<Result<void>(const TicketState& state, const std::optional<ReportTally>& tally)>& visit);

  // The highest counter of `replica` applied here (0: none). Its next change is that plus one.
  uint64_t applied_counter(const ReplicaId& replica);
  // The highest sequence number given (0: none): on the server, the last one given, or the end of
  // the numbers skipped after a restore (skip_numbers_after_copy) until the next change is numbered.
  int64_t last_seq();
  // The highest sequence number in the log, read from the file now (last_seq() is this
  // connection's own count): for a reader connection of the server, which must see what the
  // writer committed, and for the server's start.
  Result<int64_t> committed_last_seq();

  // Numbers a server never gave: `after` < n < `until`. A database put back from a copy that
  // backup_database made goes on numbering far past the copy's last change, so that a device
  // whose cursor went past the copy (on the server before the restore) is told to start over
  // instead of missing the changes numbered from now on (docs/protocol.md, Pull; deploy.md, 5).
  struct LogGap {
    int64_t after = 0;
    int64_t until = 0;
  };
  // On the server's first start on a copy backup_database marked: skips the numbers after the
  // log's last change, max(that change's number, kMinSkip) of them, notes the gap for good and
  // removes the mark, in one transaction. Nothing when the file is no such copy.
  static constexpr int64_t kMinSkip = int64_t{1} << 20;
  Result<std::optional<LogGap>> skip_numbers_after_copy();
  // Whether the file is such a copy a server has not started on yet.
  Result<bool> marked_as_copy();
  // Every gap noted, oldest first.
  Result<std::vector<LogGap>> log_gaps();
  // Reads until end_reading() share one snapshot and take the file's read lock once. Without it
  // each statement is a read transaction of its own, and starting and ending one (WAL locks,
  // fcntl calls) cost the server's scoped pulls more than the rows they read. Only for a
  // connection that then only reads (the server's readers); end_reading() before anything else.
  Result<void> begin_reading();
  void end_reading();
  // Bytes this connection's page cache holds now (SQLITE_DBSTATUS_CACHE_USED).
  int64_t cache_bytes() const;
  // Commits on this connection no longer checkpoint the WAL: another thread does (the server's
  // Checkpointer, sync-server/checkpointer.h). When the WAL starts again, its file is cut back to
  // 64 MiB.
  void leave_checkpoints_to_others();
  // A stamp for a new local change (HLC send rule); persisted with the next batch.
  Hlc stamp_now(int64_t now_ms);
  // Takes a stamp seen in a message into the clock (HLC receive rule, clamped as ApplyMode::Accept
  // clamps it, R11) without applying anything, so that every stamp_now after it is later: the
  // server drafts its own changes that follow a push before the push is applied. Persisted with
  // the next batch.
  ReceiveOutcome receive_stamp(const Hlc& stamp, int64_t now_ms);
  // Moves the pull cursor forward (never back) to `cursor`: the server looked that far for this
  // replica and found nothing more it may see (store/history.cpp).
  Result<void> advance_pull_cursor(int64_t cursor);
  // The pull cursor: the highest sequence number pulled so far.
  int64_t pull_cursor();
  // Keeps the id of the scoped pull answer just taken (0: none), beside the cursor it brought:
  // call it in the transaction that takes the answer (in_one_transaction), so they stay together.
  // The next pull names it (`took`) and the server counts that answer's tickets as held.
  Result<void> set_pull_answer(int64_t answer);
  int64_t pull_answer();
  // Sets the cursor back to 0 and the answer to none, in one transaction, keeping every ticket and
  // change: the server asked the replica to start over (it lost track of what the replica holds).
  Result<void> restart_pull();
  // The largest skew seen in stamps received (> 0: some clock was ahead), to show the user.
  int64_t max_clock_skew_ms();

  // --- What the app keeps beside the data (store/app_data.cpp). ---

  // Small named text values of the app (the session, the replica id). Keys start with "app.".
  Result<std::optional<std::string>> read_value(std::string_view key);
  Result<void> write_value(std::string_view key, std::string_view value);
  Result<void> erase_value(std::string_view key);
  // How many own changes wait in the outbox; how many refused changes are kept for the user.
  Result<int64_t> count_unsent(const ReplicaId& self);
  Result<int64_t> count_refused();
  // Forgets a refused change the user has read (refused_changes); nothing else changes.
  Result<void> discard_refused(const ChangeId& id);
  // A ticket's timeline, oldest first.
  Result<std::vector<TimelineEntry>> timeline_of(const std::string& ticket_id);
  // The field conflicts of a ticket, newest first (open ones first).
  Result<std::vector<FieldConflict>> field_conflicts(const std::string& ticket_id);
  // Why a ticket is in review (merge rule R5), or nullopt when it is not.
  Result<std::optional<ReviewCause>> review_cause(const std::string& ticket_id);
  // Tickets an earlier build stored outside the change log (no change names them), oldest first.
  Result<std::vector<Ticket>> tickets_outside_log();
  // Deletes one of them, so that a create_ticket change of the same id can take its place: call
  // both in one transaction (in_one_transaction). InvalidArgument if the ticket has changes.
  Result<void> drop_ticket_outside_log(const std::string& id);

  Result<std::optional<TicketState>> get_ticket_state(const std::string& id);
  // Ticket ids whose number, citizen, title, description or address contain `text` (the inbox's
  // search, deleted tickets included). Newest received first.
  Result<std::vector<std::string>> search_tickets(const std::string& text, int limit = 50);
  // Every ticket, its versions, timeline, photos, links and conflicts, in one canonical text:
  // two replicas that hold the same changes dump the same text.
  Result<std::string> canonical_dump();
  // The same for one ticket: two replicas that hold the same changes of it dump the same text,
  // whatever else each holds (a scoped replica holds only some tickets).
  Result<std::string> canonical_dump(const std::string& ticket_id);

  // Field work (巡查, core/field.h; store/field.cpp): every register the field changes folded into
  // (R13-R15), for assemble_field; and a facility's community ("" when unknown).
  Result<std::vector<FieldRegister>> field_registers();
  Result<std::string> facility_community(const std::string& facility_id);
  // Tickets opened from round items (link kind finding, not deleted): (the item's register entity,
  // core/field.h finding_entity; the ticket's id), oldest link first.
  Result<std::vector<std::pair<std::string, std::string>>> finding_links();

  // Deadlines (store/deadlines.cpp). Each ticket keeps its deadline due first (tickets.due_at,
  // due_stage: core/deadline.h), computed with this calendar whenever the ticket changes. Setting
  // a calendar unlike the one the store's deadlines were computed with recomputes them all (and a
  // store from before deadlines existed folds its tickets again once). The calendar must outlive
  // the store; until one is set every deadline is unknown.
  //
  // Paced::AllNow recomputes them before it returns (the server, at start). Paced::InSteps (the
  // app, whose main thread draws the frames) only lists the tickets to recompute: refold_step()
  // does a few at a time until refold_left() is 0, and the store records the calendar as the one
  // its deadlines were computed with only then (a store closed before that starts again at its
  // next open). Meanwhile a ticket that changes is computed with the new calendar at once.
  enum class Paced { AllNow, InSteps };
  Result<void> set_calendar(const WorkdayCalendar& calendar, Paced paced = Paced::AllNow);
  // Recomputes the deadlines of up to `tickets` more tickets (one transaction); the tickets left.
  Result<int64_t> refold_step(int64_t tickets);
  int64_t refold_left() const { return m_refold ? static_cast<int64_t>(m_refold->ids.size() - m_refold->at) : 0; }
  int64_t refold_total() const { return m_refold ? static_cast<int64_t>(m_refold->ids.size()) : 0; }
  // A page of the inbox (store/inbox.cpp), and how many rows the filter gives in all.
  Result<std::vector<InboxRow>> inbox_page(const InboxQuery& query);
  Result<int64_t> inbox_count(const InboxFilter& filter);
  // Forgets the matches kept for the last search text (benchmarks: each run finds them afresh).
  void forget_search_hits() { m_hits->text.clear(); }
  // The plan SQLite chooses for inbox_page(query) when `rows_expected` rows match (EXPLAIN QUERY
  // PLAN, one line per step), for the benchmark and the tests that keep pages off full scans.
  Result<std::vector<std::string>> inbox_plan(const InboxQuery& query, int64_t rows_expected);
  // The communities and lead departments the tickets name, for filter choices.
  Result<std::vector<std::string>> distinct_communities();
  Result<std::vector<std::string>> distinct_departments();

  // 反弹 (store/rebound.cpp). Closed tickets of `category` at `address` (spaces aside; or at an
  // address one begins with the other's, the shorter naming at least kReboundMinAddressChars
  // characters), last changed (closed) since `since_ms`, newest first; row.key.number holds that
  // time. A new ticket there may repeat them.
  static constexpr int kReboundMinAddressChars = 4;
  Result<std::vector<InboxRow>> rebound_candidates(const std::string& address, Category category, int64_t since_ms,
                                                   const std::string& except_id = {}, int limit = 5);
  // Open tickets (not closed, not deleted) of any category at the same place, as above, newest
  // first: a call about them again is likely the same problem, not a new one (可能重复).
  Result<std::vector<InboxRow>> open_at_address(const std::string& address, int limit = 3);
  // The tickets joined to this one by rebound links, either way and through others, oldest first,
  // the ticket itself included; empty when it has no links. At most kMaxChain tickets.
  static constexpr size_t kMaxChain = 50;
  Result<std::vector<InboxRow>> link_chain(const std::string& ticket_id);
  // Hot spots (热点): the addresses with two or more tickets received since `since_ms`, the most first.
  struct HotSpot {
    std::string community, address;
    int64_t tickets = 0, open = 0, latest_ms = 0, linked = 0;  // linked: tickets with a rebound link.
  };
  Result<std::vector<HotSpot>> hot_spots(int64_t since_ms, int limit = 20);
  // Yearly calendar notices an administrator added beyond those built in (JSON of one year, as
  // sync/calendar_json.h reads it), by year.
  Result<void> put_calendar_notice(int year, const std::string& json);
  Result<std::vector<std::pair<int, std::string>>> calendar_notices();
  struct DeadlineCounts {
    int64_t overdue = 0;    // Due before now, not met.
    int64_t due_today = 0;  // Due later today (Shanghai), not met.
    int64_t unknown = 0;    // The calendar lacks a year the deadline needs.
    int64_t warnings = 0;   // 预警: the last return visit was dissatisfied, not closed.
    int64_t pending_requests = 0;  // 待审批: tickets with a 退单/延期 request not decided, not closed.
    int64_t needs_review = 0;      // 待复核/有冲突: in review, or a field or status conflict kept.
    int64_t urged = 0;             // 催办 the handler has not answered (LINLI_URGED).
    int64_t to_visit = 0;          // 待回访: handled (办结), the centre's return visit next.
    int64_t to_close = 0;          // 待结案: visited (已回访), the centre's close next.
  };
  // The replica's counts; with `deadlines_of` a department's or (field_team) a field team's
  // (InboxFilter::deadlines_of): overdue and due today count the stages of the tickets it works as
  // lead and the co-handler replies it owes.
  Result<DeadlineCounts> deadline_counts(int64_t now_ms, const std::string& deadlines_of = {}, bool field_team = false);

  // --- Photos this device holds (store/local_photos.cpp; app-local, never synced). ---

  // Keeps a photo's bytes with its row. A photo already held is left as it is (same bytes), except
  // that a cached one taken here again becomes uploaded: the server has it. Call it in the
  // transaction that records the attach_photo change naming it (in_one_transaction).
  Result<void> put_local_photo(const LocalPhoto& photo, std::string_view bytes);
  Result<std::optional<LocalPhoto>> local_photo(const std::string& sha256);
  // The bytes (nullopt: not held here).
  Result<std::optional<std::string>> local_photo_bytes(const std::string& sha256);
  // Photos waiting for their upload, oldest first.
  Result<std::vector<LocalPhoto>> waiting_photos();
  Result<void> set_local_photo_state(const std::string& sha256, LocalPhotoState state);
  // A photo the server's upload refused for good (413, 415, 422, 400): it leaves the waiting ones
  // and keeps `reason` for the outbox. Photos failed so, oldest first.
  Result<void> set_local_photo_failed(const std::string& sha256, const std::string& reason);
  Result<std::vector<LocalPhoto>> failed_photos();
  // Forgets a photo held here (its row and bytes); call it in a transaction (in_one_transaction).
  Result<void> delete_local_photo(const std::string& sha256);
  // Replaces an own change the server has not answered yet by `c` (the same id, stamp and ticket)
  // and folds its ticket again: the counter goes to the server as it would have, with what the
  // change now says. Used when the user gives up a photo the server will not take (its
  // attach_photo becomes a comment saying so). NotFound when no unsent change has that id.
  Result<void> rewrite_unsent_change(const Change& c);

  // ---- A replica's image (store/image.cpp; docs/protocol.md, "Image") ----
  // Takes the file at `path`, a whole replica store of this build's schema (the one the server
  // built for this replica with the pulls it would have made), as this store's file: it is moved
  // into place (renamed: nothing is copied), the store opened again on it with the same options,
  // this store's own values under "app." (the session, the device's replica id, the data's owner)
  // written back, and, through a page VFS, every page of the file handed to the sink at that
  // commit. Refused, with this store and the file left as they were, unless this store is a fresh
  // replica (no change in its log, nothing refused, no photo waiting, cursor 0) and the file is a
  // replica store of this schema, as many pages as its header says, that no app has used. The
  // file must be beside this store's (a rename). Returns how many changes it holds.
  Result<int64_t> adopt_image(const std::string& path);
  // SQLite's quick_check of the store file at `path`, read only (the server, of an image it made).
  static Result<void> check_pages(const std::string& path);
  // The database file's path (as it was opened).
  std::string path() const;

  struct Sync;  // The change log's prepared statements and in-memory state (store/apply.cpp).

 private:
  explicit Store(sqlite3* db);
  Result<void> exec(const char* sql, const char* where);
  // Runs `body` (returning a Result) between BEGIN IMMEDIATE and COMMIT; rolls back if it or the
  // commit fails. Defined in store.cpp, used only there.
  template <class Body>
  auto in_write_transaction(const char* where, Body&& body) -> decltype(body());
  Result<void> migrate(const std::vector<Migration>& migrations, const std::string& path);
  // Drops or makes again what only a replica keeps (StoreOptions::use), when the store was last
  // opened for the other use (meta 'store.use').
  Result<void> shape_for(StoreUse use);
  // create_ticket's insert, inside the caller's transaction.
  Result<void> insert_ticket(const Ticket& ticket);
  Sync& sync();
  // The rowids matching a search text, in m_hits (store/inbox.cpp): false when the text searches
  // nothing; true once they are held, found again only after a write.
  Result<bool> search_hits(const std::string& text);
  // Where a statement reads the held matches from (store/inbox.cpp), copying them into
  // temp.inbox_search_hits first when it may be driven by them.
  Result<HitsFrom> hits_from(bool hits_ready, bool along);
  Result<std::vector<InboxRow>> read_page(const InboxQuery& query, bool along, bool hits_ready);

  sqlite3* m_db = nullptr;
  StoreOptions m_options;  // As opened (adopt_image opens the file again with them).
  std::unique_ptr<Sync> m_sync;
  const WorkdayCalendar* m_calendar = nullptr;
  // The deadlines still to recompute with the calendar set (set_calendar, refold_step).
  struct Refold {
    std::vector<std::string> ids;  // Every ticket, in rowid order.
    size_t at = 0;                 // The next to recompute.
    std::string print;             // The calendar's fingerprint, recorded when all are done.
    bool fold_again = false;       // A store from before deadlines: fold each from its log.
  };
  std::unique_ptr<Refold> m_refold;
  // The last search's matches, the counts they were found at, and whether temp.inbox_search_hits
  // holds them too. On the heap: the SQL function inbox_hit(rowid) reads `rowids` through a
  // pointer that a move of the Store must not change.
  struct SearchHits {
    std::string text;
    int64_t changes = -1;
    int64_t data_version = -1;
    std::vector<int64_t> rowids;  // Ascending, each once.
    bool in_table = false;
    bool function_made = false;  // inbox_hit is made on this connection.
  };
  std::unique_ptr<SearchHits> m_hits = std::make_unique<SearchHits>();
};

// The schema's migrations, in order (shared/store/migrations.cpp).
const std::vector<Migration>& schema_migrations();

}  // namespace linli
