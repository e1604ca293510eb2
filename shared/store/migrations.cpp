// The schema, as an ordered list of migrations. PRAGMA user_version counts those applied.
// Never edit a migration that has shipped: add a new one.
#include "store/inbox.h"
#include "store/store.h"

namespace linli {

// Pieces of migration 8 that Store::open also drops and makes again (store/store.cpp
// shape_for): the inbox's indexes and the triggers that keep the search index.
const char* const kInboxIndexesSql = R"sql(-- The inbox's sorts (store/inbox.cpp sort_column; the expressions must stay the same text there):
-- one index per sort key, then the receipt time, then the rowid every index ends with, so a page
-- and the page after a row are ranges of one index in either direction (keyset paging). Deleted
-- tickets are left out, as the inbox leaves them out. The status and urgency keys also serve their
-- filters (written as the same expressions). The due key is in its own index only: deadlines move
-- with most edits, and every index holding it would be rewritten by each (store/page_vfs.h: an
-- edit costs a few pages however large the file).
CREATE INDEX inbox_by_number ON tickets ((CASE WHEN official_number <> '' THEN official_number ELSE provisional_number
  END), received_at) WHERE deleted = 0;
CREATE INDEX inbox_by_received ON tickets (received_at) WHERE deleted = 0;
CREATE INDEX inbox_by_source ON tickets (source, received_at) WHERE deleted = 0;
CREATE INDEX inbox_by_category ON tickets (category, received_at) WHERE deleted = 0;
CREATE INDEX inbox_by_urgency ON tickets ((urgency = 'urgent'), received_at) WHERE deleted = 0;
CREATE INDEX inbox_by_community ON tickets ((community || char(31) || address), received_at) WHERE deleted = 0;
CREATE INDEX inbox_by_status ON tickets ((CASE status WHEN 'received' THEN 0 WHEN 'contacted' THEN 1 WHEN 'assigned'
  THEN 2 WHEN 'in_progress' THEN 3 WHEN 'review' THEN 4 WHEN 'handled' THEN 5 WHEN 'visited' THEN 6 ELSE 7 END),
  received_at) WHERE deleted = 0;
CREATE INDEX inbox_by_department ON tickets (lead_department, received_at) WHERE deleted = 0;
CREATE INDEX inbox_by_due ON tickets ()sql" LINLI_DUE_KEY R"sql(, received_at) WHERE deleted = 0;
-- The filters and counts without a sort of their own.
CREATE INDEX inbox_warned ON tickets (warning, received_at) WHERE deleted = 0 AND warning = 1;
CREATE INDEX inbox_due_unknown ON tickets (due_stage) WHERE deleted = 0 AND due_stage = 'unknown';
CREATE INDEX conflicts_by_kind ON conflicts (kind, ticket_id);

)sql";
// Migration 8's triggers, which wrote the search index row by row (replaced by migration 12's).
static const char* const kSearchTriggersSqlV8 = R"sql(CREATE TRIGGER ticket_search_insert AFTER INSERT ON tickets BEGIN
  INSERT INTO ticket_search (rowid, text) VALUES (new.rowid,
    new.official_number || char(31, 31) || new.provisional_number || char(31, 31) || new.citizen_name ||
    char(31, 31) || new.citizen_phone || char(31, 31) || new.title || char(31, 31) || new.description ||
    char(31, 31) || new.address || char(31, 31));
END;
CREATE TRIGGER ticket_search_delete AFTER DELETE ON tickets BEGIN
  DELETE FROM ticket_search WHERE rowid = old.rowid;
END;
CREATE TRIGGER ticket_search_update
AFTER UPDATE OF official_number, provisional_number, citizen_name, citizen_phone, title, description, address ON tickets
BEGIN
  DELETE FROM ticket_search WHERE rowid = old.rowid;
  INSERT INTO ticket_search (rowid, text) VALUES (new.rowid,
    new.official_number || char(31, 31) || new.provisional_number || char(31, 31) || new.citizen_name ||
    char(31, 31) || new.citizen_phone || char(31, 31) || new.title || char(31, 31) || new.description ||
    char(31, 31) || new.address || char(31, 31));
END;
)sql";
// The search index is written once per transaction, not per ticket row: FTS5 flushes what it holds
// to a new segment at every statement savepoint, so a pull answer of 500 new tickets written one
// by one left 500 one-ticket segments and the merges after them (a quarter of a first sync's time).
// The triggers note which tickets' text to write again in search_pending; the store writes them
// all at the end of each transaction that changed tickets (store/apply.cpp write_search).
const char* const kSearchTriggersSql = R"sql(CREATE TRIGGER ticket_search_insert AFTER INSERT ON tickets BEGIN
  INSERT INTO search_pending (ticket, indexed) SELECT new.rowid, 0
    WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE ticket = new.rowid);
END;
CREATE TRIGGER ticket_search_delete AFTER DELETE ON tickets BEGIN
  INSERT INTO search_pending (ticket, indexed) SELECT old.rowid, 1
    WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE ticket = old.rowid);
END;
CREATE TRIGGER ticket_search_update
AFTER UPDATE OF official_number, provisional_number, citizen_name, citizen_phone, title, description, address ON tickets
BEGIN
  INSERT INTO search_pending (ticket, indexed) SELECT old.rowid, 1
    WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE ticket = old.rowid);
END;
)sql";
// A ticket's text in the search index: the fields joined, each followed by two U+001F.
#define LINLI_SEARCH_TEXT \
  "official_number || char(31, 31) || provisional_number || char(31, 31) || citizen_name || char(31, 31) || " \
  "citizen_phone || char(31, 31) || title || char(31, 31) || description || char(31, 31) || address || char(31, 31)"
const char* const kSearchFillSql = "INSERT INTO ticket_search (rowid, text) SELECT rowid, " LINLI_SEARCH_TEXT " FROM tickets;\n";
const char* const kSearchWriteSql = "INSERT INTO ticket_search (rowid, text) SELECT t.rowid, " LINLI_SEARCH_TEXT
                                    " FROM search_pending p JOIN tickets t ON t.rowid = p.ticket";
#undef LINLI_SEARCH_TEXT

const std::vector<Migration>& schema_migrations() {
  // Made of the pieces above, with the index inbox_by_due replaces dropped after them.
  static const std::string migration_8 =
      std::string(kInboxIndexesSql) +
      "DROP INDEX tickets_by_due;  -- inbox_by_due serves every deadline range now (store/deadlines.cpp, inbox.cpp).\n" +
      R"sql(-- Search over every field a dispatcher types a part of: the numbers, the citizen's name and phone,
-- title, description and address, in one trigram index (contentless: the text is the fields
-- joined, each followed by two U+001F). The two marks make every one- or two-character substring
-- the start of some indexed trigram, so a short term (井盖, 噪音) is found exactly through the
-- index's term list (ticket_search_terms, a range of terms) instead of scanning the table.
DROP TRIGGER tickets_fts_insert;
DROP TRIGGER tickets_fts_delete;
DROP TRIGGER tickets_fts_update;
DROP TABLE tickets_fts;
CREATE VIRTUAL TABLE ticket_search USING fts5(text, content = '', contentless_delete = 1, tokenize = 'trigram');
CREATE VIRTUAL TABLE ticket_search_terms USING fts5vocab(ticket_search, 'instance');
)sql" + kSearchTriggersSqlV8 + kSearchFillSql;
  // Triggers that note the tickets to index instead of indexing each row (store/apply.cpp
  // write_search). A server's store had dropped the old ones (store.cpp shape_for): it drops these
  // too when it is next opened as the server's.
  static const std::string migration_12 = std::string(R"sql(
-- The tickets whose search text is to be written at the end of the transaction (the triggers
-- below); indexed = 1 when ticket_search holds an entry for the rowid that must be deleted first.
-- Empty outside a write transaction.
CREATE TABLE search_pending (
  ticket  INTEGER PRIMARY KEY,
  indexed INTEGER NOT NULL
) STRICT;
DROP TRIGGER IF EXISTS ticket_search_insert;
DROP TRIGGER IF EXISTS ticket_search_delete;
DROP TRIGGER IF EXISTS ticket_search_update;
)sql") + kSearchTriggersSql;
  static const std::vector<Migration> migrations = {
      {"1: tickets and replica metadata", R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE tickets (
  id                 TEXT PRIMARY KEY CHECK (length(id) = 32),
  provisional_number TEXT NOT NULL,
  official_number    TEXT NOT NULL DEFAULT '',
  source             TEXT NOT NULL,
  received_at        INTEGER NOT NULL,
  citizen_name       TEXT NOT NULL,
  citizen_phone      TEXT NOT NULL,
  community          TEXT NOT NULL,
  address            TEXT NOT NULL,
  category           TEXT NOT NULL,
  urgency            TEXT NOT NULL,
  title              TEXT NOT NULL,
  description        TEXT NOT NULL,
  status             TEXT NOT NULL,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
) STRICT;

CREATE INDEX tickets_by_received ON tickets (received_at DESC, id);
)sql"},
      {"2: change log, versions, timeline, conflicts, search", R"sql(
-- Every change this replica holds, unique by id (replica, counter). local_order is the arrival
-- order here (the rowid: the log only ever appends). seq is the server's sequence number: NULL
-- while an own change is unacknowledged. record is core/change.h's encode_change_record, with the
-- stamp everyone compares. A ticket's log is a chain: prev is the local_order of the change to the
-- same ticket that arrived before this one (0: none), and the ticket's newest is tickets.log_head
-- (or log_heads while the ticket does not exist). A chain instead of an index by ticket: random
-- inserts into an index over the whole history dirtied a page per change, half the cost of a batch.
CREATE TABLE changes (
  local_order INTEGER PRIMARY KEY,
  replica     BLOB NOT NULL CHECK (length(replica) = 16),
  counter     INTEGER NOT NULL CHECK (counter > 0),
  seq         INTEGER UNIQUE,
  prev        INTEGER NOT NULL,
  hlc         INTEGER NOT NULL,
  skew_ms     INTEGER NOT NULL DEFAULT 0,
  record      BLOB NOT NULL,
  UNIQUE (replica, counter)
) STRICT;
CREATE INDEX changes_unsent ON changes (replica, counter) WHERE seq IS NULL;

-- The version vector: the highest counter applied per replica (counters arrive without gaps).
CREATE TABLE replicas (
  replica BLOB PRIMARY KEY CHECK (length(replica) = 16),
  applied INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- The materialized ticket gets what the merge rules keep beside the intake fields.
ALTER TABLE tickets ADD COLUMN lead_department TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN work_count INTEGER NOT NULL DEFAULT 0;
-- Position of the last change folded in (R10): seq, or 2^62 + local_order for an unsent one.
ALTER TABLE tickets ADD COLUMN fold_key INTEGER NOT NULL DEFAULT 0;
-- Which change set each field (and the status) last: the version a new change's base is checked
-- against. Kept in the ticket's own row (store/apply.cpp encode_versions), which a batch writes anyway.
ALTER TABLE tickets ADD COLUMN versions BLOB NOT NULL DEFAULT x'';
-- The newest change of this ticket's log (changes.local_order; 0: none).
ALTER TABLE tickets ADD COLUMN log_head INTEGER NOT NULL DEFAULT 0;

-- The log's head for a ticket that does not exist here (yet): its changes were rejected (R1).
CREATE TABLE log_heads (
  ticket_id TEXT PRIMARY KEY,
  head      INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Insert-only rows (R4), one per change.
CREATE TABLE timeline (
  change_id    TEXT PRIMARY KEY,
  ticket_id    TEXT NOT NULL,
  hlc          INTEGER NOT NULL,
  author       TEXT NOT NULL,
  role         TEXT NOT NULL,
  kind         TEXT NOT NULL,
  text         TEXT NOT NULL,
  satisfaction TEXT NOT NULL,
  days         INTEGER NOT NULL,
  request      TEXT NOT NULL,
  approved     INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX timeline_by_ticket ON timeline (ticket_id, hlc);

CREATE TABLE photos (
  change_id TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL,
  sha256    TEXT NOT NULL,
  size      INTEGER NOT NULL,
  type      TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX photos_by_ticket ON photos (ticket_id);

CREATE TABLE links (
  change_id    TEXT PRIMARY KEY,
  ticket_id    TEXT NOT NULL,
  other_ticket TEXT NOT NULL,
  kind         TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX links_by_ticket ON links (ticket_id);

-- Decisions kept for a dispatcher (R1, R3, R5, R6, R7): at most one per change, its cause.
CREATE TABLE conflicts (
  cause     TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL,
  kind      TEXT NOT NULL,
  loser     TEXT NOT NULL,
  winner    TEXT NOT NULL,
  subject   TEXT NOT NULL,
  value     TEXT NOT NULL,
  reason    TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX conflicts_by_ticket ON conflicts (ticket_id);

-- Chinese search: trigram FTS5 over the ticket's own rows (external content, keyed by the implicit
-- rowid of tickets: after a VACUUM, run INSERT INTO tickets_fts (tickets_fts) VALUES ('rebuild')).
CREATE VIRTUAL TABLE tickets_fts USING fts5(
  title, description, address, content = 'tickets', content_rowid = 'rowid', tokenize = 'trigram');
CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
  INSERT INTO tickets_fts (rowid, title, description, address)
  VALUES (new.rowid, new.title, new.description, new.address);
END;
CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
  INSERT INTO tickets_fts (tickets_fts, rowid, title, description, address)
  VALUES ('delete', old.rowid, old.title, old.description, old.address);
END;
CREATE TRIGGER tickets_fts_update AFTER UPDATE OF title, description, address ON tickets
WHEN old.title IS NOT new.title OR old.description IS NOT new.description OR old.address IS NOT new.address
BEGIN
  INSERT INTO tickets_fts (tickets_fts, rowid, title, description, address)
  VALUES ('delete', old.rowid, old.title, old.description, old.address);
  INSERT INTO tickets_fts (rowid, title, description, address)
  VALUES (new.rowid, new.title, new.description, new.address);
END;
INSERT INTO tickets_fts (tickets_fts) VALUES ('rebuild');
)sql"},
      {"3: refused changes, tickets leaving the scope", R"sql(
-- Own changes the server refused: taken out of the outbox and the fold, kept here so the user can
-- be told (store/forget.cpp). record is the change as it was recorded (encode_change_record);
-- ticket_number and ticket_title are the ticket's as it was then, as it may be gone since.
CREATE TABLE refused_changes (
  change_id     TEXT PRIMARY KEY,
  ticket_id     TEXT NOT NULL,
  kind          TEXT NOT NULL,
  code          TEXT NOT NULL,
  detail        TEXT NOT NULL,
  refused_at    INTEGER NOT NULL,
  ticket_number TEXT NOT NULL,
  ticket_title  TEXT NOT NULL,
  record        BLOB NOT NULL
) STRICT, WITHOUT ROWID;

-- Tickets that left this replica's scope while own changes to them were unsent: kept until the
-- server has answered those changes, then forgotten.
CREATE TABLE leaving_tickets (
  ticket_id TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;
)sql"},
      {"4: deadlines", R"sql(
-- The deadline due first (core/deadline.h): when (UTC ms; 0 when nothing is due or its date is
-- unknown) and which stage ('', none, contact, first_handling, rehandling, unknown). Written by
-- the fold (store/apply.cpp write_due) with the store's calendar.
ALTER TABLE tickets ADD COLUMN due_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN due_stage TEXT NOT NULL DEFAULT '';
CREATE INDEX tickets_by_due ON tickets (due_at) WHERE due_at > 0;
-- The events deadlines are computed from are kept by the fold beside the versions: a ticket folded
-- by an earlier build has none, so every ticket with a log is folded again (store/deadlines.cpp).
INSERT INTO meta (key, value) VALUES ('deadlines.refold', '1')
  ON CONFLICT (key) DO UPDATE SET value = excluded.value;
)sql"},
      {"5: return-visit warnings", R"sql(
-- 预警 (core/deadline.h Deadlines::warning): the citizen's last return visit was dissatisfied and
-- the ticket is not closed. Written with the deadline (store/apply.cpp write_due). Satisfied
-- visits are a clock event an earlier build did not keep, so every ticket is folded again.
ALTER TABLE tickets ADD COLUMN warning INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tickets_warned ON tickets (due_at) WHERE warning = 1;
-- Rebound chains are followed both ways (store/rebound.cpp).
CREATE INDEX links_by_other ON links (other_ticket);
INSERT INTO meta (key, value) VALUES ('deadlines.refold', '1')
  ON CONFLICT (key) DO UPDATE SET value = excluded.value;
)sql"},
      {"6: co-handlers", R"sql(
-- Co-handlers of joint actions (联合处置, merge rule R12), as the fold keeps them in the ticket's
-- versions, written in the same batch (store/apply.cpp write_co_handlers) so that scope checks and
-- the inbox ("mine": led or co-handled) find a department's tickets by index. added is the
-- co_handler_added entry's change id; state is pending, replied or removed; replied_at 0: none.
-- No ticket of an earlier build has co-handlers: nothing to fold again.
CREATE TABLE ticket_co_handlers (
  ticket_id  TEXT NOT NULL,
  added      TEXT NOT NULL,
  department TEXT NOT NULL,
  state      TEXT NOT NULL,
  added_at   INTEGER NOT NULL,
  replied_at INTEGER NOT NULL,
  PRIMARY KEY (ticket_id, added)
) STRICT, WITHOUT ROWID;
CREATE INDEX co_handlers_by_department ON ticket_co_handlers (department, ticket_id) WHERE state <> 'removed';
)sql"},
      {"7: field work registers", R"sql(
-- Field work (巡查, core/field.h): facilities, campaigns, rounds and round items as registers
-- (merge rules R13-R15), one per (entity, member, author); author is the worker for counts (R14),
-- '' otherwise. subject is the log subject the entity's changes are chained under (changes,
-- log_heads), so a refused change's subject is folded again from its log (store/field.cpp).
-- hlc, replica and counter are the winning write's (register_wins compares them).
CREATE TABLE field_registers (
  entity  TEXT NOT NULL,
  member  TEXT NOT NULL,
  author  TEXT NOT NULL,
  subject TEXT NOT NULL,
  value   TEXT NOT NULL,
  hlc     INTEGER NOT NULL,
  replica BLOB NOT NULL,
  counter INTEGER NOT NULL,
  PRIMARY KEY (entity, member, author)
) STRICT, WITHOUT ROWID;
CREATE INDEX field_registers_by_subject ON field_registers (subject);
)sql"},
      {"8: inbox indexes, search over every field", migration_8.c_str()},
      {"9: the monthly report's tally", R"sql(
-- The monthly report's tally of the ticket's log (core/report_tally.h: assignments, returns,
-- approved extensions, rebound, first and last return visit, packed in one integer), kept by the
-- fold beside the state (store/apply.cpp), so the report reads the month's rows with one range
-- query instead of folding each ticket's log again (report/store_reader.h). No index: it is read
-- through tickets_by_received. NULL: not counted yet. A ticket of an earlier build has none, so
-- every ticket with a log is folded again (store/deadlines.cpp), and until then the report folds
-- it from its log as before.
ALTER TABLE tickets ADD COLUMN report_tally INTEGER;
INSERT INTO meta (key, value) VALUES ('deadlines.refold', '1')
  ON CONFLICT (key) DO UPDATE SET value = excluded.value;
)sql"},
      {"10: photos kept on this device, photo phases", R"sql(
-- A photo's place in a before/after pair (attach_photo's photo.phase): none, before or after.
ALTER TABLE photos ADD COLUMN phase TEXT NOT NULL DEFAULT 'none';

-- Photos this device holds (app-local, never synced; store/local_photos.cpp): taken here and
-- waiting for their upload (state 'waiting'), uploaded ('uploaded'), or fetched from the server
-- for display ('cached'), or refused for good by the upload ('failed', with the server's answer in
-- failure: the outbox shows it and the user may give it up). A photo taken here is written in the same transaction as the
-- attach_photo change naming it, so the UI says "saved" only once both are durable; the sync
-- loop pushes that change only after the blob is uploaded. ticket_id and phase are those of
-- the first change naming it (the same bytes attached twice are one photo). The bytes live in
-- their own table, so a state change does not rewrite them.
CREATE TABLE local_photos (
  sha256     TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  ticket_id  TEXT NOT NULL,
  phase      TEXT NOT NULL,
  type       TEXT NOT NULL,
  size       INTEGER NOT NULL,
  width      INTEGER NOT NULL,
  height     INTEGER NOT NULL,
  state      TEXT NOT NULL CHECK (state IN ('waiting', 'uploaded', 'cached', 'failed')),
  created_at INTEGER NOT NULL,
  failure    TEXT NOT NULL DEFAULT ''
) STRICT, WITHOUT ROWID;
CREATE INDEX local_photos_waiting ON local_photos (created_at) WHERE state = 'waiting';
CREATE TABLE local_photo_bytes (
  sha256 TEXT PRIMARY KEY,
  bytes  BLOB NOT NULL
) STRICT;
)sql"},
      {"11: a co-handler's reply deadline", R"sql(
-- When a co-handler's reply is due (kCoHandlingWorkdays after it was added, core/deadline.h
-- co_handler_due) while it is pending; 0 once it replied or was removed, or when the calendar
-- lacks the year. A department's overdue and due-today counts and filters take the replies it owes
-- as well as the stages of the tickets it leads (store/inbox.cpp, InboxFilter::deadlines_of).
-- Rows of an earlier build have none: the next set_calendar computes every deadline again.
ALTER TABLE ticket_co_handlers ADD COLUMN due_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX co_handlers_due ON ticket_co_handlers (department, due_at) WHERE state = 'pending';
DELETE FROM meta WHERE key = 'deadlines.calendar';
)sql"},
      {"12: the search index written once per transaction", migration_12.c_str()},
      {"13: the deleted tickets", R"sql(
-- The few deleted tickets, for a search's count (store/inbox.cpp inbox_count): the tickets the
-- search found less those deleted, without reading the row of every ticket found.
CREATE INDEX tickets_deleted ON tickets (deleted) WHERE deleted = 1;
)sql"},
      {"14: requests and their decisions", R"sql(
-- 待审批 (LINLI_PENDING_REQUEST in store/inbox.h: the inbox's filter and deadline_counts): the few 退单/延期 requests and the
-- decisions that name them, without reading the whole timeline.
CREATE INDEX timeline_requests ON timeline (ticket_id, change_id) WHERE kind IN ('return_request', 'extension_request');
CREATE INDEX timeline_decisions ON timeline (request) WHERE kind = 'decision';
)sql"},
      {"15: work that came in after a finishing step it preceded", R"sql(
-- Merge rule R5 now also sends a ticket to review when work stamped before the step that finished
-- it is folded after that step (core/merge.h), and a reopen begins a re-handling deadline (a
-- clock event an earlier build did not keep, core/deadline.h): every ticket with a log is folded
-- again, so a store written by an earlier build holds what a new replica folding the same log computes.
INSERT INTO meta (key, value) VALUES ('deadlines.refold', '1')
  ON CONFLICT (key) DO UPDATE SET value = excluded.value;
)sql"},
      {"16: an urgent ticket's progress reports", R"sql(
-- 中途汇报: an urgent ticket not yet handled owes a progress report every day (core/deadline.h),
-- counted from a clock event an earlier build did not keep: fold every ticket again.
INSERT INTO meta (key, value) VALUES ('deadlines.refold', '1')
  ON CONFLICT (key) DO UPDATE SET value = excluded.value;
)sql"},
      {"17: the centre's urges", R"sql(
-- 催办 (LINLI_URGED_TICKETS in store/inbox.h: the inbox's filter and deadline_counts): the few
-- tickets the centre urged, without reading the whole timeline.
CREATE INDEX timeline_urges ON timeline (ticket_id, hlc) WHERE kind = 'urge';
)sql"},
      {"18: tickets that left the scope", R"sql(
-- Tickets a pull's `dropped` took off this replica (退单 approved, dispatched to another
-- department: store/forget.cpp), as they were when they left, until the user has read the notice
-- (Store::left_tickets). App-local: never synced.
CREATE TABLE left_tickets (
  ticket_id TEXT PRIMARY KEY,
  number    TEXT NOT NULL,
  title     TEXT NOT NULL,
  left_at   INTEGER NOT NULL
) STRICT;
)sql"},
      {"19: open tickets with no deadline before closed ones", R"sql(
-- The time-left sort's key changed (LINLI_DUE_KEY in store/inbox.h): a replica's store makes the
-- inbox's indexes again when it opens (Store::shape_for finds inbox_by_due missing); a server's
-- store has none.
DROP INDEX IF EXISTS inbox_by_due;
)sql"},
  };
  return migrations;
}

}  // namespace linli
