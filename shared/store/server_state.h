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

// What a scoped replica's pull says about the answer it took last (ServerState::take_answer).
enum class Took {
  Nothing,    // It names none: none taken yet, or it started over.
  Applied,    // The answer it names is now counted: its tickets held or gone.
  Again,      // It names the answer counted last again (the answer to its last pull was lost): harmless.
  Stale,      // It names an older answer: a late or repeated request, whose answer it will not take.
  Restarted,  // It names an answer from before it was told to start over: it has not heard (the
              // answer that told it was lost), or this is a late request. Tell it again.
  Unknown,    // The server does not have that answer (evicted, lost) or it does not follow the one
              // counted last: the server no longer knows what the replica holds.
};
const char* to_string(Took t);

// A replica's chain of taken answers, as take_answer leaves it.
struct AnswerChain {
  Took took = Took::Nothing;
  int64_t taken = 0;         // The answer counted last in this chain (0: none).
  int64_t unsure_until = 0;  // Any ticket with a change up to here may be held (ServerState::start_over).
};

// A scoped pull answer that sent tickets whole or dropped some, kept until the replica names it.
struct PendingAnswer {
  int64_t parent = 0;  // The answer the request named (its took), counted when this one was computed.
  int64_t from = 0;    // The request's cursor.
  int64_t next = 0;    // The answer's next: the replica's cursor once it has taken it.
  std::vector<std::string> sent, dropped;
};

// Pending answers kept per replica by default: a replica that names an older one has to start over.
inline constexpr int kKeptAnswers = 16;

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

  // The server's own replica id (made once from `fresh` and kept), for changes it authors. With
  // `replace`, `fresh` becomes it: a database put back from a copy has the counter of the copy's
  // last own change, and the old id's later counters name changes devices hold already.
  Result<ReplicaId> server_replica(const ReplicaId& fresh, bool replace = false);

  // Binds a replica id to the user who first pushed or pulled with it. Returns the owner's name:
  // a different user than `user` means the replica id is forged.
  Result<std::string> claim_replica(const std::string& replica_hex, const std::string& user, int64_t now_ms);

  // Tickets a replica holds: sent to it whole, or announced dropped when they left its scope.
  // Whether it holds `ticket_id` when it asks from `cursor`: an answer counts from the moment the
  // replica's cursor shows it took it (a lost answer is as if never sent).
  Result<bool> holds(const std::string& replica_hex, const std::string& ticket_id, int64_t cursor);
  // As Store::begin_reading: the holds() that follow share one snapshot and one read lock.
  Result<void> begin_reading();
  void end_reading();
  int64_t cache_bytes() const;  // As Store::cache_bytes.
  void leave_checkpoints_to_others();  // As Store::leave_checkpoints_to_others.
  // Records what one answer sent whole and dropped, in one transaction; `answer_cursor` is where
  // the replica's cursor stands once it takes that answer (0: it holds them already, e.g. it made
  // them).
  // `request_cursor` is the cursor the replica asked from, kept (the highest) for pulled_from.
  Result<void> update_held(const std::string& replica_hex, const std::vector<std::string>& sent,
                           const std::vector<std::string>& dropped, int64_t answer_cursor, int64_t request_cursor);
  // The same for several replicas in one transaction (the tickets a group of pushes created).
  struct HeldUpdate {
    std::string replica_hex;
    std::vector<std::string> sent, dropped;
    int64_t answer_cursor = 0, request_cursor = 0;
  };
  Result<void> update_held(const std::vector<HeldUpdate>& updates);
  // The highest cursor the replica asked from when update_held last wrote for it (0: never).
  Result<int64_t> pulled_from(const std::string& replica_hex);

  // Where the server keeps what replicas hold (replica_tickets, replica_cursors, replica_answers)
  // for its database `db`: a file of its own beside it ("linli.db" -> "linli.held.db"). Scoped
  // pulls write it several times a second; in the log's file each of those commits emptied the
  // page cache of every other connection (SQLite's WAL resets a connection's cache when another
  // commits), the writer's included, and made its checkpoints copy them.
  static std::string held_path(const std::string& db);
  // Moves what replicas hold out of the database `db` into this (empty) file, once: from a
  // server that kept them in the log's file. How many rows moved (0: nothing to move).
  Result<int64_t> adopt_held_from(const std::string& db);

  // What a scoped replica holds follows only what it says it took. Each answer that sends a
  // ticket whole or drops one is kept pending (record_answer) with an id; the replica's next pull
  // names the answer it took (`took`) and its `cursor`: that answer's next, or past it when answers
  // that recorded nothing (an empty long poll) moved it on. take_answer then counts
  // that answer (its tickets held since every cursor, or gone) if it was computed on top of the
  // answer counted last (`parent`), and forgets the replica's pending answers from before its
  // next, which the replica can no longer take; naming it again is harmless. One transaction.
  //
  //   took named            | outcome
  //   0                     | Nothing
  //   <= the restart floor  | Restarted (from before the replica was told to start over)
  //   < taken               | Stale
  //   == taken              | Again
  //   pending, parent ==    | Applied   (taken := it)
  //     taken, next <= cursor
  //   anything else         | Unknown   (the caller asks the replica to start over)
  Result<AnswerChain> take_answer(const std::string& replica_hex, int64_t answer, int64_t cursor);
  // Keeps an answer pending and returns its id (never given twice); keeps only the replica's
  // newest `keep`.
  Result<int64_t> record_answer(const std::string& replica_hex, const PendingAnswer& answer, int keep = kKeptAnswers);
  // The replica is asked to start over from cursor 0, naming no answer: its chain restarts (taken
  // 0; answers named from before are Restarted), its pending answers go, and, as the server no longer
  // knows what it holds, any ticket with a change up to `unsure_until` may be held: a pull drops
  // one that is out of its scope.
  Result<void> start_over(const std::string& replica_hex, int64_t unsure_until);
  // Whether the replica has counted an answer, or been given one it has not named, since it last
  // started over. A pull from cursor 0 naming none is then the replica going back of its own accord
  // (or its first answer lost): it may hold tickets the server never counted.
  Result<bool> answered_since_start(const std::string& replica_hex);

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
  Result<void> write_held(const HeldUpdate& u);  // Inside a transaction.
  // Gives the replica and each ticket its number in `held` if it has none yet (inside a transaction).
  Result<void> number_held(const std::string& replica_hex, const std::vector<std::string>& tickets);
  sqlite3* m_db = nullptr;
};

}  // namespace linli
