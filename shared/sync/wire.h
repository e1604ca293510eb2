// The sync protocol's messages and their JSON form. Decoding takes untrusted text: it never throws,
// checks every field before use, and fails with stable messages such as
// `[sync.decode] change 17: missing "field"` (17 is the change's index in its message).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/change.h"
#include "core/result.h"
#include "store/store.h"

namespace linli {

// The version of this wire format. A server answers 426 to a client older than it understands.
inline constexpr int kWireSchema = 1;

// Client → server: "here are my unsent changes", oldest first.
struct PushRequest {
  ReplicaId replica;
  std::vector<Change> changes;
  // Decoding only: per change, why it could not be taken as sent (empty when it could). Such a
  // change has its id, and is refused on its own ("invalid"); the others are judged as usual. A
  // change whose id cannot be read makes the whole message unreadable. Not encoded.
  std::vector<std::string> unreadable;
  int schema = kWireSchema;     // The client's wire schema.
  int64_t client_time_ms = 0;   // The client's wall clock when it sent this: the server reports skew.
};

struct PushResult {
  ChangeId id;
  ApplyStatus status = ApplyStatus::Applied;
  int64_t seq = 0;      // Applied (and a duplicate, when the server sends it): the number given.
  Hlc stamp;            // The same: the stamp kept (clamped when it was too far ahead, R11).
  int64_t skew_ms = 0;
  std::string detail;   // Invalid: why.
  std::string code;     // Invalid: a stable reason code ("invalid", "forbidden", "out_of_scope", ...).
};

// Server → client: one result per pushed change, in the same order.
struct PushResponse {
  std::vector<PushResult> results;
};

// Client → server: "what came after my cursor?"
struct PullRequest {
  ReplicaId replica;
  int64_t cursor = 0;
  int limit = 1000;
  // The `answer` of the scoped pull answer this client took last, whose `next` is `cursor` (0:
  // none yet, or the client started over): the server counts what that answer sent and dropped
  // as held from then on (docs/protocol.md, Pull).
  int64_t took = 0;
};

// Server → client: sequenced changes after `from` (the request's cursor), in order.
struct PullResponse {
  int64_t from = 0;
  bool more = false;  // More changes wait after these.
  std::vector<SequencedChange> changes;
  // The cursor to ask from next time: the last sequence number the answer covers, which may be
  // past the last change sent when changes outside the caller's scope were skipped; `from` when it
  // covers nothing. Always sent; 0 from an older server that left it out (then the last change's
  // seq is the cursor).
  int64_t next = 0;
  // Tickets that left the caller's scope: it should drop them. Always sent, [] when none.
  std::vector<std::string> dropped;
  // A scoped answer that sent a ticket whole or dropped one: its id, for the client's next pull
  // to name (`took`) once it has taken it. 0: none (the centre's, and answers with nothing to record).
  int64_t answer = 0;
  // The request's `took`, echoed: the answer was computed for a client that took that answer last,
  // and a client takes it only if that is still so (and `from` is its cursor).
  int64_t took = 0;
  // The server no longer knows what the caller holds (the answer it named is unknown): it should
  // pull again from cursor 0, naming no answer, keeping what it has (ClientSync does).
  bool start_over = false;
  // The last sequence number of the server's log when it made the answer (>= next): how far a
  // cursor can go, for a progress bar (next / head). Always sent; 0 from an older server.
  int64_t head = 0;
  // In a start_over answer to a cursor the server gave before it was put back from a copy: the
  // numbers it skipped then (skipped_after < n < skipped_until). Changes of other replicas held
  // with such a number are gone from the server (ClientSync drops them). 0: none.
  int64_t skipped_after = 0;
  int64_t skipped_until = 0;
};

inline constexpr size_t kMaxChangesPerMessage = 10'000;

std::string encode(const PushRequest& m);
std::string encode(const PushResponse& m);
std::string encode(const PullRequest& m);
std::string encode(const PullResponse& m);

// A pull result in two steps, for a server that sends the same change to many callers: each
// sequenced change encoded once, then answers put together from the encoded changes (the
// answer's own `changes` are ignored). encode(PullResponse) is exactly these two.
std::string encode_sequenced(const SequencedChange& s);
std::string encode_pull_response(const PullResponse& m, const std::vector<std::string_view>& encoded);

// A push is refused whole only when it is not a push: not JSON, not a "push" object, no valid
// "replica", "changes" not an array of at most kMaxChangesPerMessage, or a change without a readable
// "id". Any other problem of a change (a missing or unknown code, a bad value, invalid UTF-8 in one
// of its strings) goes in `unreadable` for that change alone.
Result<PushRequest> decode_push_request(std::string_view json_text);
Result<PushResponse> decode_push_response(std::string_view json_text);
Result<PullRequest> decode_pull_request(std::string_view json_text);
// Reads an answer as the server writes it in one pass of the parser; anything else (and every
// error) through decode_pull_response_tree, which builds the JSON tree: the results are the same.
Result<PullResponse> decode_pull_response(std::string_view json_text);
Result<PullResponse> decode_pull_response_tree(std::string_view json_text);

}  // namespace linli
