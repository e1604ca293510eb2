// POST /api/v1/sync/push and GET /api/v1/sync/pull: the server's half of the sync protocol
// (docs/protocol.md). A push is judged before anything is applied — who sends it, in which order,
// then each change against the write policy (shared/sync/push_judge.h) — and what passed is applied
// in one transaction, each refused change answered on its own; a pull hands out what the caller may see.
#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <deque>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <unordered_map>
#include <thread>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "context.h"
#include "group_commit.h"
#include "core/workflow.h"
#include "http_util.h"
#include "store/store.h"
#include "sync/client_sync.h"
#include "sync/push_judge.h"
#include "sync/wire.h"

namespace linli::server {
namespace {

constexpr int kMinClientSchema = 1;
constexpr int kMaxPullLimit = 10000;  // A first sync asks for large answers: fewer round trips and commits.
constexpr int kMaxWaitSeconds = 60;
// What a replica store holds per change of the log at most, about: 650 bytes (a centre's store of
// 100,000 synthetic changes is 64 MB), with room. An image's size is estimated before it is made.
constexpr int64_t kImageBytesPerChange = 1024;
// The centre's image is made when the server starts (warm_centre_image) for a log up to this size
// (estimated), the largest the app asks for (app/client/sync_loop.h): a million changes, made in
// about 20 s on a thread of its own, a 655 MB file in the temporary folder.
constexpr int64_t kWarmImageBytes = 1ll << 30;

// How many changes the log holds, for the image's estimate and threshold: its last sequence number
// less the numbers skipped after restores (Store::skip_numbers_after_copy), at least 2^20 each,
// which would otherwise make every image after a restore too large to ask for.
int64_t changes_in_log(const ServerContext& ctx) {
  const int64_t last = ctx.feed.last_seq();
  int64_t skipped = 0;
  for (const Store::LogGap& g : ctx.log_gaps)
    if (last >= g.until) skipped += g.until - g.after - 1;
  return last - skipped;
}

// How long a woken long poll waits for more commits before it answers: 50 to 150 ms, drawn each
// time, so the polls one commit wakes do not all come back for the CPU at the same moment.
std::chrono::milliseconds linger() {
  thread_local std::minstd_rand random{std::random_device{}()};
  return std::chrono::milliseconds(50 + random() % 101);
}

// Where a user may read (the write policy's may_see; change_feed.h).
bool in_scope(const User& u, const TicketState& t) { return may_see(actor_of(u), t); }

// The HTTP status of a push that holds a refusal of this code: authorization refusals are 403.
int status_of(RefusalCode code) {
  switch (code) {
    case RefusalCode::Forbidden:
    case RefusalCode::OutOfScope: return 403;
    case RefusalCode::NotFound: return 404;
    case RefusalCode::AlreadyExists: return 409;
    case RefusalCode::Invalid: return 422;
  }
  return 422;
}

nlohmann::json error_body(const std::string& code, const std::string& message) {
  return {{"error", {{"code", code}, {"message", message}}}};
}

// One push waiting for the writer. Pushes that arrive while the writer is busy are judged one
// after another and applied together in one transaction (group commit): one fsync for them all,
// and each answered only after that commit.
struct PushJob {
  const User& user;
  const PushRequest& request;
  int64_t now;
  // Filled in by the group's writer.
  PushVerdict verdict;
  std::vector<Change> numbers;      // Official numbers of the accepted creates, by the server:
                                    // numbers[k] goes in after the change verdict.created[k].
  std::vector<ChangeResult> results;
  std::vector<ReceiveOutcome> received;  // Each change's stamp as the server keeps it (receive_stamps).
  std::optional<std::pair<int, nlohmann::json>> failure;  // The push was not applied: status, body.
};

// Judges each push of a group in arrival order against what the pushes before it left
// (shared/sync/push_judge.h). The writer holds store_mutex.
void judge_group(ServerContext& ctx, const std::vector<PushJob*>& group) {
  PushView view([&ctx](const std::string& ticket) -> Result<TicketState> {
    auto st = ctx.store.get_ticket_state(ticket);
    if (!st) return st.error();
    return st->value_or(TicketState{});
  });
  view.facility_community = [&ctx](const std::string& facility) { return ctx.store.facility_community(facility); };
  for (PushJob* job : group) {
    const ReplicaId& replica = job->request.replica;
    auto verdict = judge_push(job->user.name, actor_of(job->user), job->request, ctx.store.applied_counter(replica), view);
    if (!verdict) {
      job->failure.emplace(500, error_body("storage", verdict.error().detail));
      continue;
    }
    job->verdict = std::move(verdict).value();
    const PushVerdict& v = job->verdict;
    if (!v.failure) continue;
    nlohmann::json body = error_body(std::string(to_string(*v.failure)), v.failure_detail);
    if (*v.failure == PushFailure::Gap) body["error"]["expected_counter"] = v.expected_counter;
    job->failure.emplace(*v.failure == PushFailure::Gap ? 409 : 403, std::move(body));
  }
}

// Records the group's refusals before their counters are consumed (ServerState::record_rejection):
// a change the server will answer "duplicate" from now on always has its refusal to repeat.
Result<void> record_refusals(ServerContext& ctx, const std::vector<PushJob*>& group) {
  std::lock_guard lock(ctx.state_mutex);
  for (const PushJob* job : group) {
    if (job->failure) continue;
    const auto& changes = job->request.changes;
    for (size_t i = 0; i < changes.size(); ++i) {
      const auto& refused = job->verdict.refused[i];
      if (!refused) continue;
      Rejection r{to_hex(job->request.replica), changes[i].id.counter, job->user.name,
                  std::string(to_string(refused->code)), refused->reason, job->now};
      if (auto ok = ctx.state.record_rejection(r); !ok) return ok;
    }
  }
  return Ok{};
}

// Gives the new tickets of a judged group their official numbers, in one transaction of the
// server's state, and drafts the changes that carry them: they go in the same transaction as the
// tickets, so a crash cannot part them.
Result<void> number_new_tickets(ServerContext& ctx, const std::vector<PushJob*>& group) {
  std::vector<std::string> tickets;
  for (const PushJob* job : group)
    if (!job->failure)
      for (size_t i : job->verdict.created) tickets.push_back(job->request.changes[i].ticket_id);
  auto numbers = [&] {
    std::lock_guard lock(ctx.state_mutex);
    return ctx.state.official_numbers(tickets, group.front()->now);
  }();
  if (!numbers) return numbers.error();
  size_t k = 0;
  uint64_t drafted = 0;
  for (PushJob* job : group)
    if (!job->failure) {
      job->received = receive_stamps(ctx, job->request.changes, job->now);  // Each number is stamped after what came before it.
      for (size_t i : job->verdict.created)
        job->numbers.push_back(official_number_change(ctx, job->request.changes[i].ticket_id, (*numbers)[k++], drafted++, job->now));
    }
  return Ok{};
}

// Applies a judged push in counter order: runs of accepted changes (with the numbers of the
// tickets they create), and for each refused change its counter consumed (skip_change) so later
// changes do not wait on it. Inside the group's transaction.
Result<void> apply_judged(ServerContext& ctx, PushJob& job) {
  const auto& changes = job.request.changes;
  const auto& refused = job.verdict.refused;
  const auto& created = job.verdict.created;
  size_t next_number = 0;
  size_t i = 0;
  while (i < changes.size()) {
    if (refused[i]) {
      if (auto s = ctx.store.skip_change(changes[i].id); !s) return s.error();
      job.results.push_back(
          ChangeResult{changes[i].id, ApplyStatus::Invalid, 0, changes[i].stamp, 0, Effect::Rejected, refused[i]->reason});
      ++i;
      continue;
    }
    size_t j = i;
    while (j < changes.size() && !refused[j]) ++j;
    std::vector<Change> run(changes.begin() + static_cast<std::ptrdiff_t>(i), changes.begin() + static_cast<std::ptrdiff_t>(j));
    // Clamped once, when the stamps were received: applied with the stamp kept then (within the
    // limit, so the store does not clamp it again) and answered with the skew found then.
    const bool received = job.received.size() == changes.size();
    if (received)
      for (size_t k = i; k < j; ++k)
        if (job.received[k].clamped) run[k - i].stamp = job.received[k].stamp;
    for (; next_number < job.numbers.size() && created[next_number] < j; ++next_number)
      run.push_back(job.numbers[next_number]);
    auto applied = ctx.store.apply_changes(run, ApplyMode::Accept, job.now);
    if (!applied) return applied.error();
    for (size_t k = 0; k < j - i; ++k) {  // The server's own are not the pusher's.
      ChangeResult& r = (*applied)[k];
      if (received && job.received[i + k].clamped && r.status == ApplyStatus::Applied) r.skew_ms = job.received[i + k].skew_ms;
      job.results.push_back(std::move(r));
    }
    i = j;
  }
  return Ok{};
}

// A scoped replica holds a ticket it creates from the moment the server takes it, so that one moved
// out of its scope before the replica's next pull is announced dropped (else the replica would keep
// it for good: a pull sends or drops only what it knows the replica holds). Marked before the group
// is applied, so a pull that sees the new ticket sees it held. The writer holds store_mutex.
Result<void> hold_new_tickets(ServerContext& ctx, const std::vector<PushJob*>& group) {
  std::vector<ServerState::HeldUpdate> updates;
  for (const PushJob* job : group) {
    if (job->failure || job->user.role == Role::Centre) continue;  // The centre's pulls are not scoped.
    ServerState::HeldUpdate u{to_hex(job->request.replica), {}, {}, 0, 0};
    for (size_t i : job->verdict.created) u.sent.push_back(job->request.changes[i].ticket_id);
    updates.push_back(std::move(u));
  }
  std::lock_guard lock(ctx.held_mutex);
  return ctx.held.update_held(updates);  // One transaction for the group.
}

// The writer's turn: judges each push of the group in arrival order, then applies those that
// passed in one transaction, publishes the commit, and answers them all.
void write_group(ServerContext& ctx, const std::vector<PushJob*>& group) {
  std::lock_guard lock(ctx.store_mutex);
  judge_group(ctx, group);
  auto r = record_refusals(ctx, group);
  if (r) r = number_new_tickets(ctx, group);
  if (r) r = hold_new_tickets(ctx, group);
  if (r) r = ctx.store.in_one_transaction([&]() -> Result<void> {
    for (PushJob* job : group)
      if (!job->failure)
        if (auto a = apply_judged(ctx, *job); !a) return a;
    return Ok{};
  });
  if (!r) {
    for (PushJob* job : group)
      if (!job->failure) job->failure.emplace(500, error_body("storage", r.error().detail));
    return;
  }
  ctx.publish_commit();
}

// The refusal recorded for a change the store calls a duplicate, if it was refused when first sent.
Result<std::optional<Rejection>> refused_before(ServerContext& ctx, const std::string& replica, const ChangeResult& r) {
  if (r.status != ApplyStatus::Duplicate) return std::optional<Rejection>{};
  std::lock_guard lock(ctx.state_mutex);
  return ctx.state.rejection(replica, r.id.counter);
}

// A ticket created before its number could be given (a server of an older build, a crash in
// older code) gets it when its creator sends the create again.
void number_if_missing(ServerContext& ctx, const std::vector<Change>& changes, const std::vector<ChangeResult>& results,
                       int64_t now) {
  std::lock_guard lock(ctx.store_mutex);
  std::vector<Change> batch;
  for (size_t i = 0; i < changes.size() && i < results.size(); ++i) {
    if (changes[i].kind != ChangeKind::CreateTicket || results[i].status != ApplyStatus::Duplicate) continue;
    auto st = ctx.store.get_ticket_state(changes[i].ticket_id);
    if (!st || !st->has_value() || !(*st)->ticket.official_number.empty()) continue;
    if (auto number = official_number_change(ctx, changes[i].ticket_id, batch.size(), now))
      batch.push_back(std::move(number).value());
  }
  // Best effort: a failure here leaves the ticket unnumbered, and the next send of its create
  // tries again; the push's own changes are committed and answered either way.
  if (!batch.empty() && ctx.store.apply_changes(batch, ApplyMode::Accept, now)) ctx.publish_commit();
}

// The refusal a push's error names: the first authorization refusal (403), else the first.
struct Named {
  RefusalCode code;
  std::string reason;
  size_t index;
};
void name_refusal(std::optional<Named>& named, RefusalCode code, const std::string& reason, size_t i) {
  if (!named || (status_of(named->code) != 403 && status_of(code) == 403)) named = Named{code, reason, i};
}

// The answer to a push once applied: one result per change, every result in the body whatever
// the status, a refused change sent again answered with its first refusal.
Result<std::string> answer_push(ServerContext& ctx, PushJob& job, int& status) {
  const std::string replica = to_hex(job.request.replica);
  PushResponse out;
  int accepted = 0, duplicate = 0, rejected = 0;
  std::optional<Named> named;
  for (size_t i = 0; i < job.results.size(); ++i) {
    ChangeResult& r = job.results[i];
    PushResult p{r.id, r.status, r.seq, r.stamp, r.skew_ms, std::move(r.detail), {}};
    auto again = refused_before(ctx, replica, r);
    if (!again) return again.error();
    if (const auto& refused = job.verdict.refused[i]) {
      p.code = to_string(refused->code);
      name_refusal(named, refused->code, refused->reason, i);
      ++rejected;
    } else if (*again) {
      // Refused when first sent and sent again (its answer was lost): the same refusal, or the
      // client would keep it unsent for good. Its counter was consumed then; nothing is recorded.
      const RefusalCode code = parse_refusal_code((*again)->code).value_or(RefusalCode::Invalid);
      p.status = ApplyStatus::Invalid;
      p.code = (*again)->code;
      p.detail = (*again)->reason;
      name_refusal(named, code, (*again)->reason, i);
      ++duplicate;
    } else if (r.status == ApplyStatus::Duplicate) {
      // Its first answer was lost: say again which number it was given, or a client that can no
      // longer pull it (its ticket left the scope) would keep it unsent for good.
      auto reader = ctx.readers.acquire();
      auto known = reader.get().store.sequenced_change(r.id);
      if (!known) return known.error();
      if (*known) {
        p.seq = (*known)->seq;
        p.stamp = (*known)->change.stamp;
      }
      ++duplicate;
    } else {
      ++accepted;
    }
    out.results.push_back(std::move(p));
  }
  ctx.metrics.count_changes("accepted", accepted);
  ctx.metrics.count_changes("duplicate", duplicate);
  ctx.metrics.count_changes("rejected", rejected);
  status = named ? status_of(named->code) : 200;
  std::string body = encode(out);
  if (!named) return body;
  auto j = nlohmann::json::parse(body);
  j["error"] = {{"code", to_string(named->code)}, {"message", named->reason}, {"change", named->index}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The routes' half of a push: authenticate, decode, check the schema and the replica's owner,
// hand it to the writer (judge_push, then apply), encode the answer.
void push(ServerContext& ctx, GroupCommit<PushJob>& pushes, const httplib::Request& req, httplib::Response& res) {
  const auto user = authenticate(ctx, req, res);
  if (!user) return;
  if (!check_json_request(req, res)) return;
  auto request = decode_push_request(req.body);
  if (!request) {
    if (request.error().code == ErrorCode::NotJson)
      return send_error(res, 400, "bad_json", "the body is not valid JSON (or not valid UTF-8)");
    return send_error(res, 400, "bad_request", request.error().detail);
  }
  if (request->schema < kMinClientSchema)  // 0: a client from before the schema was sent.
    return send_error(res, 426, "upgrade_required", "this server needs wire schema " + std::to_string(kMinClientSchema) +
                                                        " or newer; reload the app");
  if (request->schema > kWireSchema)
    return send_error(res, 422, "unsupported_schema", "this server speaks wire schema " + std::to_string(kWireSchema));
  const std::string replica = to_hex(request->replica);
  const int64_t now = now_ms();
  {
    std::lock_guard lock(ctx.state_mutex);
    auto owner = ctx.state.claim_replica(replica, user->name, now);
    if (!owner) return send_error(res, 500, "storage", owner.error().detail);
    if (*owner != user->name)
      return send_error(res, 403, "forged_replica", "replica " + replica + " belongs to another user");
  }
  ctx.metrics.saw_replica(replica, now);

  PushJob job{*user, *request, now, {}, {}, {}, {}, {}};
  pushes.submit(&job, [&ctx](const std::vector<PushJob*>& group) { write_group(ctx, group); });
  if (job.failure) return send_json(res, job.failure->first, job.failure->second);
  number_if_missing(ctx, request->changes, job.results, now);
  int status = 200;
  auto body = answer_push(ctx, job, status);
  // The changes are committed: an answer lost here is a lost answer, and the client sends again.
  if (!body) return send_error(res, 500, "storage", body.error().detail);
  res.status = status;
  res.set_content(*body, "application/json");
}

std::optional<int64_t> int_param(const httplib::Request& req, const char* name, int64_t fallback, int64_t lo, int64_t hi,
                                 httplib::Response& res) {
  if (!req.has_param(name)) return fallback;
  const std::string v = req.get_param_value(name);
  int64_t n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || n < lo || n > hi) {
    send_error(res, 400, "bad_request", std::string("\"") + name + "\" must be a whole number from " +
                                            std::to_string(lo) + " to " + std::to_string(hi));
    return std::nullopt;
  }
  return n;
}

// What the replica's pull says it took (ServerState::take_answer), before its answer is computed.
// `answer` is set when the request needs no scan: a stale one (its client will not take the
// answer), or one naming an answer the server does not have, or one from before the replica was
// told to start over (that answer may have been lost): the replica is asked to start over from 0,
// and until that scan has passed the log's end (at the moment the server lost track) every ticket
// it meets out of scope is dropped (the replica may hold it).
Result<AnswerChain> take_answer(ServerContext& ctx, const std::string& replica, int64_t took, int64_t from,
                                std::optional<PullResponse>& answer) {
  std::lock_guard held_lock(ctx.held_mutex);
  auto chain = ctx.held.take_answer(replica, took, from);
  if (!chain) return chain.error();
  if (chain->took == Took::Nothing && took == 0 && from == 0) {
    // Back at the start without being told to: the replica may hold tickets from answers the
    // server never counted, and one of those may have left its scope since. It is already scanning
    // from 0, as a start over would have it: the server forgets what it had counted and drops, in
    // this scan, every out-of-scope ticket up to the log's end now, so it ends holding its scope.
    auto before = ctx.held.answered_since_start(replica);
    if (!before) return before.error();
    if (*before) {
      const int64_t until = ctx.feed.last_seq();
      if (auto r = ctx.held.start_over(replica, until); !r) return r.error();
      chain->taken = 0;
      chain->unsure_until = std::max(chain->unsure_until, until);
    }
    return chain;
  }
  if (chain->took != Took::Stale && chain->took != Took::Restarted && chain->took != Took::Unknown) return chain;
  answer.emplace();
  answer->from = from;
  answer->next = from;
  answer->took = took;
  answer->start_over = chain->took != Took::Stale;
  if (chain->took == Took::Unknown) {
    const int64_t until = std::max(ctx.feed.last_seq(), from);
    if (auto r = ctx.held.start_over(replica, until); !r) return r.error();
    chain->unsure_until = until;
  }
  return chain;
}

// Whether an answer to a request from `from` (a client of an older app, naming no answers) should
// record nothing: one from before a cursor the replica has already asked from is one whose answer it
// will not take (its cursor only grows: a late or repeated request).
Result<bool> stale_without_answers(ServerContext& ctx, const std::string& replica, int64_t from) {
  std::lock_guard held_lock(ctx.held_mutex);
  auto known = ctx.pulled_from.find(replica);
  if (known == ctx.pulled_from.end()) {
    auto persisted = ctx.held.pulled_from(replica);
    if (!persisted) return persisted.error();
    known = ctx.pulled_from.emplace(replica, *persisted).first;
  }
  const bool stale = from < known->second;
  known->second = std::max(known->second, from);
  return stale;
}

// The reads of a scoped pull from the log, in one read transaction of the reader's connection,
// begun at the first read: a pull whose window the feed holds often reads nothing from the log,
// and a read transaction that is never opened holds back no checkpoint.
class Reading {
 public:
  explicit Reading(Reader& r) : m_reader(r) {}
  ~Reading() {
    if (m_open) m_reader.store.end_reading();
  }
  Reading(const Reading&) = delete;
  Reading& operator=(const Reading&) = delete;
  Store& store() {
    if (!m_open) m_open = m_reader.store.begin_reading().ok();
    return m_reader.store;
  }

 private:
  Reader& m_reader;
  bool m_open = false;
};

// A request of a scoped pull: from `from` (its cursor), scanning from `cursor` (>= from: the
// changes between held nothing for it), at most `limit` changes; `took`, the answer it names (none:
// a client of an older app).
struct ScopedRequest {
  int64_t from = 0, cursor = 0;
  int limit = 0;
  std::optional<int64_t> took;
};

// One change of a pull answer: its text from the feed, or the change as read from the log.
struct Sent {
  int64_t seq = 0;
  std::shared_ptr<const FedChange> fed;
  const SequencedChange* read = nullptr;  // In the answer's `read`.
};

// A pull answer: `head` without its changes, and the changes in sequence order. What was read
// from the log stays where it was read (a deque: its vectors never move), and the answer points at
// it: no change is copied or moved (each is large).
struct Answer {
  PullResponse head;
  std::vector<Sent> changes;
  std::deque<std::vector<SequencedChange>> read;
  bool empty() const { return changes.empty() && head.dropped.empty(); }
};

// An answer's text: each change's text from the feed where it holds it, encoded otherwise.
std::string encode_answer(const ChangeFeed& feed, const Answer& a) {
  std::vector<std::shared_ptr<const FedChange>> fed;  // Keeps the feed's texts alive meanwhile.
  std::vector<std::string> own;
  own.reserve(a.changes.size());  // Never reallocated: the views into it stay valid.
  std::vector<std::string_view> texts;
  texts.reserve(a.changes.size());
  for (const Sent& c : a.changes) {
    if (auto f = c.fed ? c.fed : feed.find(c.seq)) {
      texts.push_back(f->json);
      fed.push_back(std::move(f));
    } else {
      texts.push_back(own.emplace_back(encode_sequenced(*c.read)));
    }
  }
  return encode_pull_response(a.head, texts);
}

// One change of a scoped pull's window: from the feed, or read from the log when the feed no
// longer reaches back to the cursor. What routing it needs is read alike from either.
struct WindowChange {
  std::shared_ptr<const FedChange> fed;
  const SequencedChange* read = nullptr;
  int64_t seq() const { return fed ? fed->seq : read->seq; }
  ChangeKind kind() const { return fed ? fed->kind : read->change.kind; }
  const std::string& ticket() const { return fed ? fed->ticket_id : read->change.ticket_id; }
  const ReplicaId& replica() const { return fed ? fed->replica : read->change.id.replica; }
  const std::string& community_of_field_work() const {
    return fed ? fed->field_community : field_community(read->change);
  }
  Sent sent() const { return fed ? Sent{fed->seq, fed, nullptr} : Sent{read->seq, nullptr, read}; }
};

// What a caller may see after `from`, read through `reader`. `settled`: the answer goes back as it
// is, even empty (a stale request, or one asked to start over).
Result<Answer> scoped_pull(ServerContext& ctx, Reader& reader, const User& u, const std::string& replica,
                           const ScopedRequest& req, bool* settled) {
  Reading reading(reader);
  Answer answer;
  PullResponse& out = answer.head;
  out.from = req.from;
  out.took = req.took.value_or(0);
  const int64_t cursor = req.cursor;
  const int limit = req.limit;
  if (u.role == Role::Centre) {  // The feed no longer reaches back to the cursor (pull, below).
    auto changes = reading.store().changes_after(cursor, limit + 1);
    if (!changes) return changes.error();
    out.more = static_cast<int>(changes->size()) > limit;
    if (out.more) changes->pop_back();
    out.next = changes->empty() ? cursor : changes->back().seq;
    answer.changes.reserve(changes->size());
    for (const SequencedChange& sc : answer.read.emplace_back(std::move(changes).value()))
      answer.changes.push_back(Sent{sc.seq, nullptr, &sc});
    return answer;
  }
  // Partial replication: scan forward, keep what is in scope now; a ticket new to this replica
  // comes with its whole history, one that left is announced dropped. What the replica holds is
  // read and written on the held file's one connection (ctx.held): what the answer it names sent
  // and dropped counts first, and what this one sends and drops counts once it is named.
  // (A pull from cursor 0 naming no answer resets nothing for a replica new to the server; one that
  // had answers goes into drop mode, see take_answer.)
  std::lock_guard replica_lock(ctx.replica_pull_lock(replica));
  AnswerChain chain;
  bool stale = false;
  if (req.took) {
    std::optional<PullResponse> early;
    auto c = take_answer(ctx, replica, *req.took, req.from, early);
    if (!c) return c.error();
    if (early) {
      *settled = true;
      answer.head = std::move(*early);
      return answer;
    }
    chain = *c;
  } else {
    auto s = stale_without_answers(ctx, replica, req.from);
    if (!s) return s.error();
    stale = *s;
  }
  // The window: the changes after the cursor, from the feed while it reaches back that far (text
  // encoded once for every pull), else read from the log. Reads of the log below share one read
  // transaction, begun after the window was taken, so they see at least every change in it (the
  // feed publishes a change after its commit).
  const int scan = std::max(limit, 500);
  bool more_to_scan = false;
  std::vector<WindowChange> window;
  if (auto fed = ctx.feed.window(cursor, scan, &more_to_scan)) {
    window.reserve(fed->size());
    for (auto& f : *fed) window.push_back(WindowChange{std::move(f), nullptr});
  } else {
    auto read = reading.store().changes_after(cursor, scan + 1);
    if (!read) return read.error();
    std::vector<SequencedChange>& from_log = answer.read.emplace_back(std::move(read).value());
    more_to_scan = static_cast<int>(from_log.size()) > scan;
    if (more_to_scan) from_log.pop_back();
    window.reserve(from_log.size());
    for (const SequencedChange& sc : from_log) window.push_back(WindowChange{nullptr, &sc});
  }
  const std::optional<ReplicaId> self = parse_replica_id(replica);
  std::unordered_map<std::string_view, bool> in_scope_now;  // Per ticket, for this request.
  std::unordered_map<std::string_view, bool> held_now;      // Per ticket: does this replica hold it (as it goes).
  {
    // Which of the window's tickets the replica holds, as it took our answers so far, asked all at
    // once. A ticket another replica made after the cursor (its first change here is its create)
    // is in no answer this replica took (each holds only changes up to its `next`, the cursor at
    // most): not asked. One this replica made it holds from its push (hold_new_tickets).
    std::vector<std::string_view> ask;
    for (const WindowChange& w : window) {
      if (is_field_kind(w.kind())) continue;
      const bool made_by_another = w.kind() == ChangeKind::CreateTicket && w.replica() != self;
      auto [it, fresh] = held_now.emplace(w.ticket(), false);
      if (fresh && !made_by_another) ask.push_back(it->first);
    }
    // On the held file's writer, under its lock: its page cache stays warm (only it writes the
    // file), where a reader's is emptied by every commit to it, which scoped pulls make all the
    // time. It reads the latest commit, as new as any snapshot this pull could take: this
    // replica's rows change only under its pull lock, which this pull holds, or when a push of its
    // own marks the tickets it made (hold_new_tickets), which happens before they are in the log.
    if (!ask.empty()) {
      std::lock_guard held_lock(ctx.held_mutex);
      if (auto r = ctx.held.begin_reading(); !r) return r.error();
      for (std::string_view t : ask) {
        auto h = ctx.held.holds(replica, std::string(t), req.from);
        if (!h) {
          ctx.held.end_reading();
          return h.error();
        }
        held_now[t] = *h;
      }
      ctx.held.end_reading();
    }
  }
  const int64_t window_end = window.empty() ? cursor : window.back().seq();
  bool whole_histories = false;  // Histories interleave with the window's changes: sort at the end.
  std::set<std::string> announced;           // Tickets dropped in this answer.
  std::vector<std::string> sent_whole;
  int64_t last_seen = cursor;
  answer.changes.reserve(std::min(window.size(), static_cast<size_t>(limit)));
  for (const WindowChange& w : window) {
    if (static_cast<int>(answer.changes.size()) >= limit) break;
    last_seen = w.seq();
    if (is_field_kind(w.kind())) {  // Field work: its community is on the change, never moves (F1, R15).
      if (may_see_field(actor_of(u), w.community_of_field_work())) answer.changes.push_back(w.sent());
      continue;
    }
    const std::string& t = w.ticket();
    auto known = in_scope_now.find(t);
    if (known == in_scope_now.end()) {
      std::optional<bool> now = ctx.feed.in_scope_now(t, u, window_end);
      if (!now) {
        auto st = reading.store().get_ticket_state(t);
        if (!st) return st.error();
        now = st->has_value() && in_scope(u, **st);
      }
      known = in_scope_now.emplace(t, *now).first;
    }
    bool& held = held_now.find(t)->second;
    if (known->second && held) {
      answer.changes.push_back(w.sent());
    } else if (known->second) {
      auto history = reading.store().changes_of_ticket(t, w.seq());
      if (!history) return history.error();
      for (const SequencedChange& h : answer.read.emplace_back(std::move(history).value()))
        answer.changes.push_back(Sent{h.seq, nullptr, &h});
      whole_histories = true;
      sent_whole.push_back(t);
      held = true;
    } else if ((held || w.seq() <= chain.unsure_until) && announced.insert(t).second) {
      // Held, or perhaps held: after a start over, any ticket with a change up to unsure_until.
      out.dropped.push_back(t);
      held = false;
    }
  }
  if (!sent_whole.empty() || !out.dropped.empty()) {
    if (req.took) {
      std::lock_guard held_lock(ctx.held_mutex);
      auto id = ctx.held.record_answer(replica, PendingAnswer{*req.took, req.from, last_seen, sent_whole, out.dropped},
                                       ctx.options.kept_answers);
      if (!id) return id.error();
      out.answer = *id;
    } else if (!stale) {
      // An older app names no answers: counted once the replica's cursor reaches this answer's `next`.
      std::lock_guard held_lock(ctx.held_mutex);
      if (auto r = ctx.held.update_held(replica, sent_whole, out.dropped, last_seen, req.from); !r) return r.error();
    }
  }
  // A ticket's history may repeat a change already in this answer: keep each once, in order.
  if (whole_histories) {
    std::stable_sort(answer.changes.begin(), answer.changes.end(), [](const Sent& a, const Sent& b) { return a.seq < b.seq; });
    answer.changes.erase(std::unique(answer.changes.begin(), answer.changes.end(),
                                     [](const Sent& a, const Sent& b) { return a.seq == b.seq; }),
                         answer.changes.end());
  }
  out.next = last_seen;
  out.more = more_to_scan || last_seen < window_end;
  return answer;
}

struct PullParams {
  int64_t cursor = 0;
  int64_t limit = 500;
  int64_t wait = 0;
  std::optional<int64_t> took;  // Absent from an older app's pulls.
};
std::optional<std::string> claimed_replica(ServerContext& ctx, const User& user, const httplib::Request& req,
                                           httplib::Response& res);
void serve_pull(ServerContext& ctx, const User& u, const std::string& replica, const PullParams& p,
                httplib::Response& res);

void pull(ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
  const auto user = authenticate(ctx, req, res);
  if (!user) return;
  const auto cursor = int_param(req, "cursor", 0, 0, INT64_MAX, res);
  if (!cursor) return;
  const auto limit = int_param(req, "limit", 500, 1, kMaxPullLimit, res);
  if (!limit) return;
  const auto wait = int_param(req, "wait", 0, 0, kMaxWaitSeconds, res);
  if (!wait) return;
  // The scoped answer the caller took last (0: none yet); absent from an older app's pulls.
  std::optional<int64_t> took;
  if (req.has_param("took")) {
    const auto named = int_param(req, "took", 0, 0, INT64_MAX, res);
    if (!named) return;
    took = *named;
  }
  const auto replica = claimed_replica(ctx, *user, req, res);
  if (!replica) return;
  serve_pull(ctx, *user, *replica, PullParams{*cursor, *limit, *wait, took}, res);
}

// The pulling replica named by the request's `replica`, once it is known to be the caller's (a new
// id becomes the caller's); nullopt once `res` holds the refusal.
std::optional<std::string> claimed_replica(ServerContext& ctx, const User& user, const httplib::Request& req,
                                           httplib::Response& res) {
  std::string replica = req.get_param_value("replica");
  const auto parsed = parse_replica_id(replica);
  if (!parsed) return send_error(res, 400, "bad_request", "\"replica\" must be 32 hex digits"), std::nullopt;
  if (parsed->is_zero()) return send_error(res, 400, "bad_request", "\"replica\" is all zeros"), std::nullopt;
  const int64_t now = now_ms();
  {
    std::lock_guard lock(ctx.state_mutex);
    auto owner = ctx.state.claim_replica(replica, user.name, now);
    if (!owner) return send_error(res, 500, "storage", owner.error().detail), std::nullopt;
    if (*owner != user.name)
      return send_error(res, 403, "forged_replica", "replica " + replica + " belongs to another user"), std::nullopt;
  }
  ctx.metrics.saw_replica(replica, now);
  return replica;
}

// A pull once its parameters are read and its replica is the caller's: the answer in `res`.
void serve_pull(ServerContext& ctx, const User& u, const std::string& replica, const PullParams& p,
                httplib::Response& res) {
  const User* user = &u;
  const std::optional<int64_t> cursor = p.cursor;
  const std::optional<int64_t> limit = p.limit;
  const std::optional<int64_t> wait = p.wait;
  const std::optional<int64_t>& took = p.took;
  // `looked`: the changes up to here hold nothing for the caller. A long poll sleeps until a change
  // after it is published; the feed tells a scoped caller which of those may concern it, so only
  // those send it to the database, and a centre's answer is put together from the feed's text.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(*wait);
  const bool scoped = user->role != Role::Centre;
  // A cursor past the end of the log names changes this server never gave: its database was put
  // back from an older copy (changes given since would never reach the caller, whose cursor is past
  // their numbers). The caller is told to start over from 0 (docs: Pull). Every cursor the server
  // answers is at most the last sequence number committed, which the feed may not have published
  // yet: the file says.
  // So does a cursor inside the numbers skipped after such a restore (Store::LogGap), once the
  // log has grown past it: it was given by the server before, for changes this one does not have.
  const auto gap = std::find_if(ctx.log_gaps.begin(), ctx.log_gaps.end(),
                                [&](const Store::LogGap& g) { return *cursor > g.after && *cursor < g.until; });
  const bool in_gap = gap != ctx.log_gaps.end();
  if (*cursor > ctx.feed.last_seq() || in_gap) {
    int64_t end = 0;
    {
      auto reader = ctx.readers.acquire();
      auto committed = reader.get().store.committed_last_seq();
      if (!committed) return send_error(res, 500, "storage", committed.error().detail);
      end = *committed;
    }
    if (*cursor > end || in_gap) {
      if (scoped) {
        std::lock_guard replica_lock(ctx.replica_pull_lock(replica));
        std::lock_guard held_lock(ctx.held_mutex);
        if (auto r = ctx.held.start_over(replica, end); !r) return send_error(res, 500, "storage", r.error().detail);
      }
      PullResponse over;
      over.from = *cursor;
      over.next = *cursor;
      over.head = end;
      over.took = took.value_or(0);
      over.start_over = true;
      if (in_gap) {  // What the caller holds numbered in it is gone from this log.
        over.skipped_after = gap->after;
        over.skipped_until = gap->until;
      }
      res.status = 200;
      res.set_content(encode(over), "application/json");
      return;
    }
  }
  // The answer named is counted first, whatever the feed says of the changes after the cursor: a
  // pull naming an answer the server does not have is told to start over at once (docs: Pull), not
  // only once something in its scope is committed; a late one is answered empty.
  if (scoped && took.value_or(0) > 0) {
    std::lock_guard replica_lock(ctx.replica_pull_lock(replica));
    std::optional<PullResponse> early;
    auto chain = take_answer(ctx, replica, *took, *cursor, early);
    if (!chain) return send_error(res, 500, "storage", chain.error().detail);
    if (early) {
      early->head = std::max(ctx.feed.last_seq(), early->next);
      res.status = 200;
      res.set_content(encode(*early), "application/json");
      return;
    }
  }
  int64_t looked = *cursor;
  bool first = true;
  for (;;) {
    if (first || ctx.feed.last_seq() > looked) {
      // A few pulls work at once: a commit wakes every long poll, and hundreds of threads
      // building answers together would leave the writer a sliver of the CPU (pushes queue).
      std::lock_guard working(ctx.pull_work);
      PullResponse head;
      head.from = *cursor;
      head.took = took.value_or(0);
      std::string text;
      bool reply = false;  // `text` holds something for the caller.
      int64_t checked = looked;
      const std::optional<bool> concerns = scoped ? ctx.feed.concerns(looked, *user, &checked) : std::nullopt;
      if (concerns == false) {
        looked = checked;  // Not last_seq(): a commit published since was not looked at.
      } else if (auto sent = scoped ? std::nullopt : ctx.feed.answer(head, static_cast<int>(*limit), text)) {
        reply = *sent > 0;  // Put together from the feed.
      } else {
        Result<Answer> out = Error{ErrorCode::Storage, ""};
        {
          auto reader = ctx.readers.acquire();
          bool settled = false;
          out = scoped_pull(ctx, reader.get(), *user, replica,
                            ScopedRequest{*cursor, looked, static_cast<int>(*limit), took}, &settled);
          reply = settled;
          const std::string name = "reader" + std::to_string(reader.get().slot);
          ctx.metrics.set_page_cache(name, reader.get().store.cache_bytes());
        }
        if (!out) return send_error(res, 500, "storage", out.error().detail);
        looked = std::max(looked, out->head.next);
        reply = reply || !out->empty() || out->head.more;
        out->head.head = std::max(ctx.feed.last_seq(), out->head.next);  // How far the log goes (docs: Pull).
        if (reply) text = encode_answer(ctx.feed, *out);
      }
      if (reply) {
        res.status = 200;
        res.set_content(text, "application/json");
        return;
      }
    }
    first = false;
    if (*wait == 0 || std::chrono::steady_clock::now() >= deadline || ctx.feed.stopping()) {
      PullResponse empty;
      empty.from = *cursor;
      empty.took = took.value_or(0);
      empty.next = looked;  // The centre's: its cursor (nothing was looked past unsent).
      empty.head = std::max(ctx.feed.last_seq(), looked);
      res.status = 200;
      res.set_content(encode(empty), "application/json");
      return;
    }
    ctx.feed.wait_beyond(looked, deadline);
    // Commits come in bursts: wait a moment for the rest, so one answer carries them all.
    if (!ctx.feed.stopping()) std::this_thread::sleep_for(linger());
  }
}

// A file of the temporary folder, unique in this process, for an image.
std::filesystem::path temporary_image_path() {
  static std::atomic<uint64_t> made{0};
  return std::filesystem::temp_directory_path() /
         ("linli-image-" + std::to_string(::getpid()) + "-" + std::to_string(++made) + ".db");
}

struct RemovedFile {
  std::filesystem::path path;
  ~RemovedFile() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
};

struct MadeImage {
  int64_t cursor = 0;   // The store's cursor: the `next` of the last answer it took.
  int64_t changes = 0;  // Changes the store holds.
};

// Pulls into the replica store at `path` (made when missing, else caught up from its own cursor and
// answer) as `replica` of `user` would, until the log's end; nullopt with the refusal in `failure`.
std::optional<MadeImage> make_image(ServerContext& ctx, const User& user, const std::string& replica,
                                    const std::filesystem::path& path, httplib::Response& failure) {
  auto fail = [&](int status, const char* code, const std::string& message) {
    send_error(failure, status, code, message);
    return std::nullopt;
  };
  auto store = Store::open(path.string(), {.durability = Durability::PageSink});
  if (!store) return fail(500, "storage", store.error().detail);
  if (auto c = store->set_calendar(ctx.calendar); !c) return fail(500, "storage", c.error().detail);
  ClientSync client(*store, *parse_replica_id(replica), Author{user.name, user.role});
  MadeImage made;
  for (;;) {
    if (ctx.feed.stopping()) return fail(503, "try_again", "the server is stopping: pull instead");
    const PullRequest asked = client.build_pull(kMaxPullLimit);
    httplib::Response answer;
    serve_pull(ctx, user, replica, PullParams{asked.cursor, kMaxPullLimit, 0, asked.took}, answer);
    if (answer.status != 200) {
      failure = std::move(answer);
      return std::nullopt;
    }
    auto pulled = decode_pull_response(answer.body);
    if (!pulled) return fail(500, "internal", "[image] " + pulled.error().detail);
    // Told to start over (a restore in the middle of it): the caller pulls instead.
    if (pulled->start_over) return fail(503, "try_again", "the log changed under the image: pull instead");
    auto taken = client.take_pull_response(*pulled, now_ms());
    if (!taken) return fail(500, "storage", taken.error().detail);
    if (!*taken) return fail(500, "internal", "[image] an answer from " + std::to_string(pulled->from) + " was not taken");
    made.cursor = pulled->next;
    if (!pulled->more) {
      auto held = store->count_changes();
      if (!held) return fail(500, "storage", held.error().detail);
      made.changes = *held;
      return made;
    }
  }
}

// The centre's image into `path`: every centre replica's is the same store (the whole log, nothing
// of its own), so the last one made is copied and caught up from its cursor, then kept for the next.
// Its pages are checked when it is made from nothing (ServerContext::KeptImage).
std::optional<MadeImage> make_centre_image(ServerContext& ctx, const User& user, const std::string& replica,
                                           const std::filesystem::path& path, httplib::Response& failure) {
  std::lock_guard lock(ctx.centre_image_mutex);
  auto& kept = ctx.centre_image;
  if (kept.path.empty()) kept.path = temporary_image_path().string();
  auto made = make_image(ctx, user, replica, kept.path, failure);
  if (made && !kept.checked) {
    if (auto checked = Store::check_pages(kept.path); !checked) {
      kept.forget();
      return send_error(failure, 500, "internal", "[image] the store made is damaged: " + checked.error().detail),
             std::nullopt;
    }
    kept.checked = true;
  }
  std::error_code e;
  if (made && std::filesystem::copy_file(kept.path, path, std::filesystem::copy_options::overwrite_existing, e))
    return made;
  kept.forget();  // Made again from nothing next time.
  if (made) return send_error(failure, 500, "storage", "[image] " + e.message()), std::nullopt;
  return made;
}

// GET /api/v1/sync/image: a new replica's first sync done here (docs/protocol.md, "Image"). The
// server pulls for the caller's replica, as the replica would, from cursor 0 to the end of the log,
// and takes each answer with the client's own code (ClientSync) into a fresh replica store in a
// temporary file; the caller gets that file whole and stores its pages instead of applying a
// hundred thousand changes one by one. Its cursor and the answer it took last are in the file: the
// replica's next pull goes on from there, naming that answer, as after any pull. Nothing here is
// recorded that a pull would not record: if the file never arrives, the replica pulls from 0 as a
// fresh one does (the server then treats it as one that went back to 0 of its own accord).
void image(ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
  const auto user = authenticate(ctx, req, res);
  if (!user) return;
  const auto schema = int_param(req, "schema", 0, 0, INT32_MAX, res);
  if (!schema) return;
  const auto replica = claimed_replica(ctx, *user, req, res);
  if (!replica) return;
  if (*schema != Store::schema_version())
    return send_error(res, 409, "schema_mismatch",
                      "this server makes stores of schema " + std::to_string(Store::schema_version()) + ", not " +
                          std::to_string(*schema) + ": pull instead");
  // A small log pulls faster than a file of it downloads (answers are compressed; a store is not);
  // a file larger than the caller can hold (its estimate from the log's length) is not made at all.
  const auto max_bytes = int_param(req, "max_bytes", INT64_MAX, 1, INT64_MAX, res);
  if (!max_bytes) return;
  const int64_t log = changes_in_log(ctx);
  if (log < ctx.options.image_from || log > *max_bytes / kImageBytesPerChange) {
    res.status = 204;
    return;
  }
  auto file = std::make_shared<RemovedFile>(RemovedFile{temporary_image_path()});
  httplib::Response failure;
  std::optional<MadeImage> made;
  if (user->role == Role::Centre) {
    made = make_centre_image(ctx, *user, *replica, file->path, failure);
  } else {
    made = make_image(ctx, *user, *replica, file->path, failure);
  }
  if (!made) {
    res = std::move(failure);
    return;
  }
  const auto& path = file->path;
  // The pages' structure, checked here once, not by each device (docs/protocol.md, "Image"); the
  // centre's when its kept image was made (make_centre_image).
  if (user->role != Role::Centre) {
    if (auto checked = Store::check_pages(path.string()); !checked)
      return send_error(res, 500, "internal", "[image] the store made is damaged: " + checked.error().detail);
  }
  const int64_t cursor = made->cursor;
  const int64_t changes = made->changes;
  std::error_code size_error;
  const auto size = std::filesystem::file_size(path, size_error);
  if (size_error) return send_error(res, 500, "storage", "[image] " + size_error.message());
  auto in = std::make_shared<std::ifstream>(path, std::ios::binary);
  if (!*in) return send_error(res, 500, "storage", "[image] the file cannot be read");
  res.status = 200;
  res.set_header("X-Linli-Cursor", std::to_string(cursor));
  res.set_header("X-Linli-Changes", std::to_string(changes));
  res.set_header("Cache-Control", "no-store");
  res.set_content_provider(
      static_cast<size_t>(size), "application/vnd.sqlite3",
      [in, file](size_t offset, size_t length, httplib::DataSink& sink) {
        std::vector<char> buffer(std::min<size_t>(length, 1 << 20));
        in->seekg(static_cast<std::streamoff>(offset));
        in->read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto got = in->gcount();
        if (got <= 0) return false;
        return sink.write(buffer.data(), static_cast<size_t>(got));
      });
}

}  // namespace

void warm_centre_image(ServerContext& ctx) {
  const int64_t log = changes_in_log(ctx);
  if (log < ctx.options.image_from || log > kWarmImageBytes / kImageBytesPerChange) return;
  User server;
  server.name = "server";
  server.role = Role::Centre;
  uint8_t random[16];
  for (auto& b : random) b = static_cast<uint8_t>(std::random_device{}());
  const std::string replica = to_hex(replica_id_from_bytes(random));
  RemovedFile file{temporary_image_path()};
  httplib::Response failure;
  const auto started = std::chrono::steady_clock::now();
  auto made = make_centre_image(ctx, server, replica, file.path, failure);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  nlohmann::json line = {{"ts", now_ms()}, {"level", made ? "info" : "warn"},
                         {"message", made ? "the centre's image is ready: " + std::to_string(made->changes) + " changes in " +
                                                std::to_string(ms) + " ms"
                                          : "the centre's image was not made: " + failure.body}};
  std::printf("%s\n", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  std::fflush(stdout);
}

void install_sync_routes(httplib::Server& http, ServerContext& ctx) {
  auto pushes = std::make_shared<GroupCommit<PushJob>>();
  http.Post("/api/v1/sync/push", [&ctx, pushes](const httplib::Request& req, httplib::Response& res) {
    push(ctx, *pushes, req, res);
  });
  http.Get("/api/v1/sync/pull", [&ctx](const httplib::Request& req, httplib::Response& res) { pull(ctx, req, res); });
  http.Get("/api/v1/sync/image", [&ctx](const httplib::Request& req, httplib::Response& res) { image(ctx, req, res); });
}

}  // namespace linli::server
