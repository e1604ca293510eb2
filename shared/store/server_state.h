// What only the sync server keeps about its replicas, beside the replicated store in one file:
// which user owns each replica id, which tickets each replica holds (partial replication),
// rejected changes, hotline intake numbers, official ticket numbers and the server's own replica
// id. The only owner of its sqlite3*.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/hlc.h"
#include "core/result.h"

struct sqlite3;

namespace linli {

struct Rejection {
  std::string replica;   // Hex replica id.
  uint64_t counter = 0;
  std::string user;
  std::string code;      // "forbidden", "invalid", "out_of_scope", ...
  std::string reason;
  int64_t at_ms = 0;
};

class ServerState {
 public:
  // `fsync_commits` false: a commit survives the server's process dying but not the machine's
  // power failing (WAL, synchronous=NORMAL). For what costs little if lost and is written often:
  // which tickets a replica holds (lost rows only resend a ticket's history or miss a drop).
  static Result<ServerState> open(const std::string& path, bool fsync_commits = true);
  ServerState(ServerState&& other) noexcept;
  ServerState& operator=(ServerState&& other) noexcept;
  ServerState(const ServerState&) = delete;
  ServerState& operator=(const ServerState&) = delete;
  ~ServerState();

  // The server's own replica id (made once from `fresh` and kept), for changes it authors.
  Result<ReplicaId> server_replica(const ReplicaId& fresh);

  // Binds a replica id to the user who first pushed or pulled with it. Returns the owner's name:
  // a different user than `user` means the replica id is forged.
  Result<std::string> claim_replica(const std::string& replica_hex, const std::string& user, int64_t now_ms);

  // Tickets a replica holds: sent to it whole, or announced dropped when they left its scope.
  // Whether it holds `ticket_id` when it asks from `cursor`: an answer counts from the moment the
  // replica's cursor shows it took it (a lost answer is as if never sent).
  Result<bool> holds(const std::string& replica_hex, const std::string& ticket_id, int64_t cursor);
  // Records what one answer sent whole and dropped, in one transaction; `answer_cursor` is where
  // the replica's cursor stands once it takes that answer (0: it holds them already, e.g. it made
  // them).
  // `request_cursor` is the cursor the replica asked from, kept (the highest) for pulled_from.
  Result<void> update_held(const std::string& replica_hex, const std::vector<std::string>& sent,
                           const std::vector<std::string>& dropped, int64_t answer_cursor, int64_t request_cursor);
  // The highest cursor the replica asked from when update_held last wrote for it (0: never).
  Result<int64_t> pulled_from(const std::string& replica_hex);

  // Recorded before the refused change's counter is consumed, so a consumed counter always has its
  // refusal. Should that commit then fail, the change is judged again when sent again and recorded
  // again: the latest record of a (replica, counter) is the one rejection() returns.
  Result<void> record_rejection(const Rejection& r);
  Result<std::vector<Rejection>> rejections(int limit);
  // The refusal of a replica's change, if it was refused: what a push that sends it again hears.
  Result<std::optional<Rejection>> rejection(const std::string& replica_hex, uint64_t counter);

  // The ticket made from a hotline number, if any; and the claim of a number for a ticket.
  Result<std::optional<std::string>> intake_ticket(const std::string& hotline_number);
  Result<void> record_intake(const std::string& hotline_number, const std::string& ticket_id, int64_t now_ms);

  // The official number of a ticket, given once: "2026-03-0157" (year-month-sequence, Shanghai
  // month of now_ms, sequence per month). The same ticket always gets the same number.
  Result<std::string> official_number(const std::string& ticket_id, int64_t now_ms);
  // The same for many tickets in one transaction (one fsync), in order.
  Result<std::vector<std::string>> official_numbers(const std::vector<std::string>& ticket_ids, int64_t now_ms);

 private:
  explicit ServerState(sqlite3* db) : m_db(db) {}
  Result<void> exec(const char* sql, const char* where);
  Result<void> migrate();
  sqlite3* m_db = nullptr;
};

}  // namespace linli
