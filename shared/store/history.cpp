// Sync bookkeeping outside a batch: consuming the counter of a change the server refused (so the
// replica's later changes are not held up by a gap), moving the pull cursor past changes the
// server skipped for this replica, the id of the pull answer taken last, and, on the server, the
// numbers skipped after a restore. Works on the state of store/apply.cpp.
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "store/apply_internal.h"
#include "store/sqlite_util.h"
#include "store/store.h"

namespace linli {
namespace {

using sqlite_util::end_reads;
using Query = sqlite_util::Stmt;

// The gaps as meta keeps them: "after-until" pairs joined by commas, oldest first.
constexpr const char* kGapsKey = "log.gaps";

std::optional<std::vector<Store::LogGap>> parse_gaps(std::string_view text) {
  std::vector<Store::LogGap> out;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view one = text.substr(0, comma);
    const size_t dash = one.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    Store::LogGap g;
    const auto a = std::from_chars(one.data(), one.data() + dash, g.after);
    const auto u = std::from_chars(one.data() + dash + 1, one.data() + one.size(), g.until);
    if (a.ec != std::errc{} || a.ptr != one.data() + dash || u.ec != std::errc{} || u.ptr != one.data() + one.size() ||
        g.after < 0 || g.until <= g.after + 1)
      return std::nullopt;
    out.push_back(g);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
  }
  return out;
}

std::optional<std::string> meta_text(sqlite3* db, const char* key, bool& failed) {
  Query q(db, "SELECT value FROM meta WHERE key = ?");
  failed = !q.ok();
  if (failed) return std::nullopt;
  q.bind(1, std::string_view(key));
  const int rc = q.step();
  failed = rc != SQLITE_ROW && rc != SQLITE_DONE;
  if (rc != SQLITE_ROW) return std::nullopt;
  return std::string(q.text(0));
}

// Writes one value of the sync bookkeeping into meta (autocommit, or the caller's transaction).
Result<void> write_meta(sqlite3* db, const char* key, std::string_view text, const char* where) {
  end_reads(db);
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(
          db, "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
          -1, &s, nullptr) != SQLITE_OK)
    return Error{ErrorCode::Storage, std::string("[store.") + where + "] " + sqlite3_errmsg(db)};
  sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  const int rc = sqlite3_step(s);
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) return Error{ErrorCode::Storage, std::string("[store.") + where + "] " + sqlite3_errmsg(db)};
  return Ok{};
}

Result<void> write_meta(sqlite3* db, const char* key, int64_t value, const char* where) {
  return write_meta(db, key, std::to_string(value), where);
}

}  // namespace

Result<void> Store::skip_change(const ChangeId& id) {
  if (id.counter != applied_counter(id.replica) + 1)
    return Error{ErrorCode::InvalidArgument, "[store.skip_change] " + to_string(id) + " is not its replica's next"};
  end_reads(m_db);
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(m_db,
                         "INSERT INTO replicas (replica, applied) VALUES (?1, ?2) "
                         "ON CONFLICT (replica) DO UPDATE SET applied = excluded.applied",
                         -1, &s, nullptr) != SQLITE_OK)
    return Error{ErrorCode::Storage, std::string("[store.skip_change] ") + sqlite3_errmsg(m_db)};
  const ReplicaBytes bytes(id.replica);
  sqlite3_bind_blob(s, 1, bytes.b, sizeof bytes.b, SQLITE_TRANSIENT);
  sqlite3_bind_int64(s, 2, static_cast<int64_t>(id.counter));
  const int rc = sqlite3_step(s);
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) return Error{ErrorCode::Storage, std::string("[store.skip_change] ") + sqlite3_errmsg(m_db)};
  sync().applied[id.replica] = id.counter;  // Autocommit: durable when the statement returned.
  return Ok{};
}

Result<void> Store::advance_pull_cursor(int64_t cursor) {
  if (cursor <= sync().cursor) return Ok{};
  if (auto r = write_meta(m_db, "sync.cursor", cursor, "advance_pull_cursor"); !r) return r;
  sync().cursor = cursor;
  return Ok{};
}

Result<void> Store::set_pull_answer(int64_t answer) {
  if (answer == sync().answer) return Ok{};
  if (auto r = write_meta(m_db, "sync.answer", answer, "set_pull_answer"); !r) return r;
  sync().answer = answer;
  return Ok{};
}

Result<std::vector<Store::LogGap>> Store::log_gaps() {
  bool failed = false;
  auto text = meta_text(m_db, kGapsKey, failed);
  if (failed) return Error{ErrorCode::Storage, std::string("[store.log_gaps] ") + sqlite3_errmsg(m_db)};
  if (!text) return std::vector<LogGap>{};
  auto gaps = parse_gaps(*text);
  if (!gaps) return Error{ErrorCode::Corrupt, "[store.log_gaps] meta " + std::string(kGapsKey) + " reads \"" + *text + "\""};
  return *gaps;
}

Result<bool> Store::marked_as_copy() {
  bool failed = false;
  auto mark = meta_text(m_db, "log.copy_end", failed);
  if (failed) return Error{ErrorCode::Storage, std::string("[store.marked_as_copy] ") + sqlite3_errmsg(m_db)};
  return mark.has_value();
}

Result<std::optional<Store::LogGap>> Store::skip_numbers_after_copy() {
  std::optional<LogGap> opened;
  auto r = in_one_transaction([&]() -> Result<void> {
    auto marked = marked_as_copy();
    if (!marked) return marked.error();
    if (!*marked) return Ok{};
    auto gaps = log_gaps();
    if (!gaps) return gaps.error();
    // The log's last number given: its last change, or the end of a gap skipped before (a copy of
    // a server that was itself restored, taken before its first new change).
    const int64_t end = std::max<int64_t>(last_seq(), 0);
    const LogGap g{end, end + std::max<int64_t>(end, kMinSkip) + 1};
    std::string text;
    for (const LogGap& old : *gaps) text += std::to_string(old.after) + "-" + std::to_string(old.until) + ",";
    text += std::to_string(g.after) + "-" + std::to_string(g.until);
    if (auto w = write_meta(m_db, kGapsKey, text, "skip_numbers_after_copy"); !w) return w;
    if (auto w = write_meta(m_db, "log.next_seq", g.until, "skip_numbers_after_copy"); !w) return w;
    if (auto d = sqlite_util::exec(m_db, "DELETE FROM meta WHERE key = 'log.copy_end'", "store", "skip_numbers_after_copy"); !d)
      return d;
    sync().next_seq = std::max(sync().next_seq, g.until);
    opened = g;
    return Ok{};
  });
  if (!r) return r.error();
  return opened;
}

Result<void> Store::restart_pull() {
  return in_one_transaction([&]() -> Result<void> {
    if (auto r = write_meta(m_db, "sync.cursor", 0, "restart_pull"); !r) return r;
    if (auto r = write_meta(m_db, "sync.answer", 0, "restart_pull"); !r) return r;
    sync().cursor = 0;
    sync().answer = 0;
    return Ok{};
  });
}

}  // namespace linli
