// Deadlines kept per ticket (tickets.due_at, due_stage), the calendar they are computed with, and
// the counts the app always shows (overdue, due today).
#include <sqlite3.h>

#include <cstdlib>

#include "core/civil_time.h"
#include "store/apply_internal.h"
#include "store/sqlite_util.h"
#include "store/store.h"

namespace linli {
namespace {

using sqlite_util::Stmt;

Error storage_error(sqlite3* db, const char* where) { return sqlite_util::sqlite_error(db, "store", where); }

// A stable fingerprint of a calendar's days (FNV-1a over years, holidays and make-up days).
std::string fingerprint(const WorkdayCalendar& c) {
  uint64_t h = 1469598103934665603ull;
  const auto mix = [&](int64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= static_cast<uint64_t>(v >> (8 * i)) & 0xFF;
      h *= 1099511628211ull;
    }
  };
  for (int y : c.years()) {
    mix(y);
    for (const auto& [first, last] : c.year(y)->holidays) {
      mix(first);
      mix(last);
    }
    mix(-1);
    for (int64_t d : c.year(y)->workdays) mix(d);
    mix(-2);
  }
  return std::to_string(h);
}

std::optional<std::string> meta_text(sqlite3* db, const char* key) {
  Stmt s(db, "SELECT value FROM meta WHERE key = ?");
  s.bind(1, std::string_view(key));
  if (s.step() != SQLITE_ROW) return std::nullopt;
  return s.text(0);
}

}  // namespace

Result<void> Store::set_calendar(const WorkdayCalendar& calendar, Paced paced) {
  m_calendar = &calendar;
  Sync& s = sync();
  s.calendar = &calendar;
  s.committed.clear();  // Cached tickets carry deadlines computed with the old calendar.
  m_refold.reset();
  const std::string print = fingerprint(calendar);
  const bool fold_again = meta_text(m_db, "deadlines.refold").has_value();
  if (!fold_again && meta_text(m_db, "deadlines.calendar") == print) return Ok{};

  auto refold = std::make_unique<Refold>();
  refold->print = print;
  refold->fold_again = fold_again;
  {
    Stmt q(m_db, "SELECT id FROM tickets ORDER BY rowid");
    if (!q.ok()) return storage_error(m_db, "deadlines.ids");
    while (q.step() == SQLITE_ROW) refold->ids.push_back(q.text(0));
  }
  m_refold = std::move(refold);
  if (paced == Paced::InSteps && refold_left() > 0) return Ok{};
  // In slices, so one transaction never holds the whole store.
  for (;;) {
    auto left = refold_step(500);
    if (!left) return left.error();
    if (*left == 0) return Ok{};
  }
}

Result<int64_t> Store::refold_step(int64_t tickets) {
  if (!m_refold) return int64_t{0};
  Refold& f = *m_refold;
  Sync& s = sync();
  const size_t end = std::min(f.ids.size(), f.at + static_cast<size_t>(std::max<int64_t>(tickets, 1)));
  if (f.at < end) {
    auto r = run_batch(m_db, s, [&](Batch& b) -> Result<void> {
      for (size_t i = f.at; i < end; ++i) {
        auto t = b.load(f.ids[i]);
        if (!t) return t.error();
        Cached& c = **t;
        if (f.fold_again) c.refold = true;  // Batch::finish folds it again from its log (none: kept as is).
        c.due_at = -1;
        c.co_written.clear();  // Its co-handlers' reply deadlines too.
        c.dirty = true;
      }
      return Ok{};
    });
    if (!r) return r.error();
    f.at = end;
  }
  if (f.at < f.ids.size()) return static_cast<int64_t>(f.ids.size() - f.at);
  Stmt done(m_db, "INSERT INTO meta (key, value) VALUES ('deadlines.calendar', ?) "
                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  done.bind(1, f.print);
  if (done.step() != SQLITE_DONE) return storage_error(m_db, "deadlines.calendar");
  Stmt flag(m_db, "DELETE FROM meta WHERE key = 'deadlines.refold'");
  if (flag.step() != SQLITE_DONE) return storage_error(m_db, "deadlines.refold");
  s.committed.clear();
  m_refold.reset();
  return int64_t{0};
}

Result<void> Store::put_calendar_notice(int year, const std::string& json) {
  Stmt s(m_db, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  s.bind(1, "calendar.notice." + std::to_string(year));
  s.bind(2, json);
  if (s.step() != SQLITE_DONE) return storage_error(m_db, "calendar_notice");
  return Ok{};
}

Result<std::vector<std::pair<int, std::string>>> Store::calendar_notices() {
  Stmt s(m_db, "SELECT substr(key, 17), value FROM meta WHERE key LIKE 'calendar.notice.%' ORDER BY key");
  if (!s.ok()) return storage_error(m_db, "calendar_notices");
  std::vector<std::pair<int, std::string>> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.emplace_back(static_cast<int>(std::strtol(s.text(0).c_str(), nullptr, 10)), s.text(1));
  if (rc != SQLITE_DONE) return storage_error(m_db, "calendar_notices");
  return out;
}

Result<Store::DeadlineCounts> Store::deadline_counts(int64_t now_ms, const std::string& deadlines_of, bool field_team) {
  const int64_t end_of_today = shanghai_day_start_ms(shanghai_days(now_ms) + 1);
  DeadlineCounts out;
  // The replica's overdue and due today count only when they are the answer (?3 empty).
  Stmt q(m_db,
         // As the inbox's filters count them (store/inbox.cpp), by the indexes of migration 8.
         "SELECT CASE WHEN ?3 = '' THEN (SELECT count(*) FROM tickets WHERE deleted = 0 AND "
         LINLI_DUE_KEY " <= ?1) END, "
         "CASE WHEN ?3 = '' THEN (SELECT count(*) FROM tickets WHERE deleted = 0 AND "
         LINLI_DUE_KEY " > ?1 AND "
         LINLI_DUE_KEY " <= ?2) END, "
         "(SELECT count(*) FROM tickets WHERE deleted = 0 AND due_stage = 'unknown'), "
         "(SELECT count(*) FROM tickets WHERE deleted = 0 AND warning = 1), "
         // 待审批, as the inbox's filter counts it (store/inbox.cpp, migration 14's indexes).
         "(SELECT count(*) FROM tickets WHERE deleted = 0 AND " LINLI_PENDING_REQUEST "), "
         // 催办 not answered, as the inbox's filter finds it (migration 17's index).
         "(SELECT count(*) FROM tickets WHERE deleted = 0 AND " LINLI_URGED_TICKETS ")");
  if (!q.ok()) return storage_error(m_db, "deadlines.counts");
  q.bind(1, now_ms);
  q.bind(2, end_of_today);
  q.bind(3, std::string_view(deadlines_of));
  if (q.step() != SQLITE_ROW) return storage_error(m_db, "deadlines.counts");
  out.overdue = q.int64(0);
  out.due_today = q.int64(1);
  out.unknown = q.int64(2);
  out.warnings = q.int64(3);
  out.pending_requests = q.int64(4);
  out.urged = q.int64(5);
  {  // As the inbox's filter finds them: the chip's count is the list it opens.
    InboxFilter f;
    f.now_ms = now_ms;
    f.needs_review = true;
    auto review = inbox_count(f);
    if (!review) return review.error();
    out.needs_review = *review;
  }
  // The centre's own next steps, by status as the inbox's status filter finds them (inbox_by_status):
  // a handled ticket has no deadline, so the due sort lists it among the closed ones.
  for (const auto& [status, count] : {std::pair{TicketStatus::Handled, &out.to_visit}, std::pair{TicketStatus::Visited, &out.to_close}}) {
    InboxFilter f;
    f.now_ms = now_ms;
    f.status = status;
    f.no_reply_pending = status == TicketStatus::Handled;  // 已办结·待协办回复 waits for replies, not for the visit.
    auto n = inbox_count(f);
    if (!n) return n.error();
    *count = *n;
  }
  if (!deadlines_of.empty()) {  // A department's own, as the inbox's filters count them.
    InboxFilter f;
    f.now_ms = now_ms;
    f.deadlines_of = deadlines_of;
    f.deadlines_of_field_team = field_team;
    f.overdue = true;
    auto overdue = inbox_count(f);
    if (!overdue) return overdue.error();
    f.overdue = false;
    f.due_today = true;
    auto today = inbox_count(f);
    if (!today) return today.error();
    out.overdue = *overdue;
    out.due_today = *today;
  }
  return out;
}

}  // namespace linli
