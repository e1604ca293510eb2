// POST /api/v1/sync/push and GET /api/v1/sync/pull: the server's half of the sync protocol
// (docs/protocol.md). A push is checked whole before anything is applied — who may write what,
// where, in which order — then applied in one transaction; a pull hands out what the caller may see.
#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "context.h"
#include "core/workflow.h"
#include "http_util.h"
#include "sync/wire.h"

namespace linli::server {
namespace {

constexpr int kMinClientSchema = 1;
constexpr int kMaxPullLimit = 1000;
constexpr int kMaxWaitSeconds = 60;

// Where a user may read and write: the centre everywhere; a committee its community; a department
// what it leads; a field team what it leads or the community it walks.
bool in_scope(const User& u, const TicketState& t) {
  switch (u.role) {
    case Role::Centre: return true;
    case Role::Committee: return t.ticket.community == u.scope;
    case Role::Department: return t.lead_department == u.scope;
    case Role::Field: return t.lead_department == u.scope || t.ticket.community == u.scope;
  }
  return false;
}

// The state a ticket has the moment its CreateTicket change applies.
TicketState state_of_new(const Change& create) {
  TicketState s;
  s.exists = true;
  s.ticket = create.ticket;
  return s;
}

struct Refusal {
  int status;
  std::string code;
  std::string reason;
  size_t index;
};

// Checks one not-yet-applied change against the signed-in user. The ticket state is the one the
// server holds now (changes earlier in the same push that create the ticket count too).
std::optional<Refusal> check_change(const User& u, const Change& c, const std::optional<TicketState>& state, size_t i) {
  if (c.kind == ChangeKind::SetField && c.field == EditableField::OfficialNumber)
    return Refusal{403, "forbidden", "only the server gives official numbers", i};
  if (c.kind == ChangeKind::CreateTicket) {
    if (!in_scope(u, state_of_new(c)))
      return Refusal{403, "out_of_scope", "a " + std::string(to_string(u.role)) + " of " + u.scope +
                                              " may not create a ticket in " + c.ticket.community, i};
    return std::nullopt;
  }
  if (!state || !state->exists)
    return std::nullopt;  // The store decides what a change to an unknown ticket does (R1).
  if (!in_scope(u, *state))
    return Refusal{403, "out_of_scope", "ticket " + c.ticket_id + " is outside " + u.name + "'s scope (" + u.scope + ")", i};
  if (c.kind == ChangeKind::SetField && u.role != Role::Centre &&
      (c.field == EditableField::Community || c.field == EditableField::LeadDepartment))
    return Refusal{403, "forbidden", "only the centre dispatches: a " + std::string(to_string(u.role)) +
                                         " may not change " + std::string(to_string(c.field)), i};
  if (c.kind == ChangeKind::Transition && !role_may(u.role, c.action))
    return Refusal{403, "forbidden", "a " + std::string(to_string(u.role)) + " may not " +
                                         std::string(to_string(c.action)) + " a ticket", i};
  return std::nullopt;
}

nlohmann::json refusal_json(const Refusal& r) {
  return {{"error", {{"code", r.code}, {"message", r.reason}, {"change", r.index}}}};
}

void record(ServerContext& ctx, const std::string& replica, const Change& c, const User& u, const std::string& code,
            const std::string& reason) {
  std::lock_guard lock(ctx.state_mutex);
  ctx.state.record_rejection({replica, c.id.counter, u.name, code, reason, now_ms()}).ok();
}

// Applies a checked push in counter order: runs of allowed changes in one transaction each, and
// for each refused change its counter consumed (skip_change) so later changes do not wait on it.
Result<std::vector<ChangeResult>> apply_checked(ServerContext& ctx, const std::vector<Change>& changes,
                                               const std::vector<std::optional<Refusal>>& refused,
                                               const std::vector<bool>& fresh, int64_t now) {
  std::vector<ChangeResult> out;
  size_t i = 0;
  while (i < changes.size()) {
    if (refused[i]) {
      ChangeResult r{changes[i].id, ApplyStatus::Invalid, 0, changes[i].stamp, 0, Effect::Rejected, refused[i]->reason};
      if (auto s = ctx.store.skip_change(changes[i].id); !s) return s.error();
      out.push_back(std::move(r));
      ++i;
      continue;
    }
    size_t j = i;
    while (j < changes.size() && !refused[j]) ++j;
    std::vector<Change> run(changes.begin() + static_cast<std::ptrdiff_t>(i), changes.begin() + static_cast<std::ptrdiff_t>(j));
    // Each new ticket gets its official number in the same transaction: a crash cannot part them.
    uint64_t drafted = 0;
    for (size_t k = i; k < j; ++k) {
      if (changes[k].kind != ChangeKind::CreateTicket || !fresh[k]) continue;
      auto number = official_number_change(ctx, changes[k].ticket_id, drafted++, now);
      if (!number) return number.error();
      run.push_back(std::move(number).value());
    }
    auto applied = ctx.store.apply_changes(run, ApplyMode::Accept, now);
    if (!applied) return applied.error();
    for (size_t k = 0; k < j - i; ++k) out.push_back(std::move((*applied)[k]));  // The server's own are not the pusher's.
    i = j;
  }
  return out;
}

// A scoped replica holds a ticket it creates from the moment the server takes it, so that one moved
// out of its scope before the replica's next pull is announced dropped (else the replica would keep
// it for good: a pull sends or drops only what it knows the replica holds). Marked before the push
// is applied, so a pull that sees the new ticket sees it held. The caller holds store_mutex.
Result<void> hold_new_tickets(ServerContext& ctx, const User& u, const std::string& replica,
                              const std::vector<Change>& changes, const std::vector<std::optional<Refusal>>& refused,
                              const std::vector<bool>& fresh) {
  if (u.role == Role::Centre) return Ok{};  // The centre's pulls are not scoped.
  std::lock_guard lock(ctx.state_mutex);
  for (size_t i = 0; i < changes.size(); ++i)
    if (fresh[i] && !refused[i] && changes[i].kind == ChangeKind::CreateTicket)
      if (auto r = ctx.state.set_held(replica, changes[i].ticket_id, true); !r) return r;
  return Ok{};
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
  if (!batch.empty() && ctx.store.apply_changes(batch, ApplyMode::Accept, now)) ctx.note_commit();
}

void push(ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
  const auto user = authenticate(ctx, req, res);
  if (!user) return;
  if (!check_json_request(req, res)) return;
  auto request = decode_push_request(req.body);
  if (!request) {
    const std::string& why = request.error().detail;
    if (why == "[sync.decode] not JSON") return send_error(res, 400, "bad_json", "the body is not valid JSON (or not valid UTF-8)");
    // A change that breaks its own rules (validate_change) is well-formed JSON that cannot be taken.
    if (why.find("[change] ") != std::string::npos) return send_error(res, 422, "invalid", why);
    return send_error(res, 400, "bad_request", why);
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
  // A replica or an author that is not the caller's is a lie about who writes: refuse it all.
  for (const Change& c : request->changes) {
    if (c.id.replica != request->replica)
      return send_error(res, 403, "forged_replica", "change " + to_string(c.id) + " is not the pushing replica's");
    if (c.author.user != user->name || c.author.role != user->role)
      return send_error(res, 403, "forged_author", "change " + to_string(c.id) + " names author " + c.author.user +
                                                       ", not the signed-in " + user->name);
  }
  ctx.metrics.saw_replica(replica, now);

  std::vector<ChangeResult> results;
  std::vector<std::optional<Refusal>> refused(request->changes.size());
  std::vector<bool> fresh(request->changes.size(), false);  // Not a duplicate: new to the server.
  {
    std::unique_lock lock(ctx.store_mutex);
    // Check the whole push first: counters without holes, then each change against the caller's
    // scope and role. A refused change is answered, recorded, and its counter consumed.
    uint64_t expect = ctx.store.applied_counter(request->replica) + 1;
    std::map<std::string, std::optional<TicketState>> states;
    for (size_t i = 0; i < request->changes.size(); ++i) {
      const Change& c = request->changes[i];
      if (c.id.counter < expect) continue;  // A duplicate: the store reports it (R9).
      fresh[i] = true;
      if (c.id.counter > expect) {
        lock.unlock();
        nlohmann::json body = {{"error", {{"code", "gap"},
                                          {"message", "change " + to_string(c.id) + " came before counter " +
                                                          std::to_string(expect) + ": send that one first"},
                                          {"expected_counter", expect}}}};
        return send_json(res, 409, body);
      }
      ++expect;
      if (auto v = validate_change(c); !v) {
        refused[i] = Refusal{422, "invalid", v.error().detail, i};
        continue;
      }
      auto it = states.find(c.ticket_id);
      if (it == states.end()) {
        auto st = ctx.store.get_ticket_state(c.ticket_id);
        if (!st) return send_error(res, 500, "storage", st.error().detail);
        it = states.emplace(c.ticket_id, *st).first;
      }
      if ((refused[i] = check_change(*user, c, it->second, i))) continue;
      if (c.kind == ChangeKind::CreateTicket) it->second = state_of_new(c);  // Later changes see it.
    }
    if (auto h = hold_new_tickets(ctx, *user, replica, request->changes, refused, fresh); !h)
      return send_error(res, 500, "storage", h.error().detail);
    auto applied = apply_checked(ctx, request->changes, refused, fresh, now);
    if (!applied) return send_error(res, 500, "storage", applied.error().detail);
    results = std::move(applied).value();
  }
  ctx.note_commit();
  number_if_missing(ctx, request->changes, results, now);

  PushResponse out;
  int accepted = 0, duplicate = 0, rejected = 0;
  std::optional<Refusal> first;
  for (size_t i = 0; i < results.size(); ++i) {
    ChangeResult& r = results[i];
    PushResult p{r.id, r.status, r.seq, r.stamp, r.skew_ms, std::move(r.detail), {}};
    if (i < refused.size() && refused[i]) {
      p.code = refused[i]->code;
      record(ctx, replica, request->changes[i], *user, refused[i]->code, refused[i]->reason);
      if (!first || (first->status != 403 && refused[i]->status == 403)) first = refused[i];
      ++rejected;
    } else {
      (r.status == ApplyStatus::Applied ? accepted : duplicate) += 1;
    }
    out.results.push_back(std::move(p));
  }
  ctx.metrics.count_changes("accepted", accepted);
  ctx.metrics.count_changes("duplicate", duplicate);
  ctx.metrics.count_changes("rejected", rejected);
  // Every result is in the body whatever the status: a refused change does not hide the others.
  std::string body = encode(out);
  if (first) {
    auto j = nlohmann::json::parse(body);
    j["error"] = refusal_json(*first)["error"];
    body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  res.status = first ? first->status : 200;
  res.set_content(body, "application/json");
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

// What a caller may see after `cursor`, at most `limit` changes. The caller's store_mutex is held.
Result<PullResponse> scoped_pull(ServerContext& ctx, Store& store, const User& u, const std::string& replica,
                                 int64_t cursor, int limit) {
  PullResponse out;
  out.from = cursor;
  if (u.role == Role::Centre) {
    auto changes = store.changes_after(cursor, limit + 1);
    if (!changes) return changes.error();
    out.more = static_cast<int>(changes->size()) > limit;
    if (out.more) changes->pop_back();
    out.changes = std::move(changes).value();
    return out;
  }
  // Partial replication: scan forward, keep what is in scope now; a ticket new to this replica
  // comes with its whole history, one that left is announced dropped.
  std::lock_guard state_lock(ctx.state_mutex);
  if (cursor == 0)
    if (auto r = ctx.state.reset_held(replica); !r) return r.error();
  const int scan = std::max(limit, 500);
  auto window = store.changes_after(cursor, scan + 1);
  if (!window) return window.error();
  const bool more_to_scan = static_cast<int>(window->size()) > scan;
  if (more_to_scan) window->pop_back();
  std::map<std::string, bool> in_scope_now;  // Per ticket, for this request.
  std::map<std::string, bool> held_now;      // Per ticket: does this replica hold it (as it goes).
  int64_t last_seen = cursor;
  for (const SequencedChange& sc : *window) {
    if (static_cast<int>(out.changes.size()) >= limit) break;
    last_seen = sc.seq;
    const std::string& t = sc.change.ticket_id;
    auto known = in_scope_now.find(t);
    if (known == in_scope_now.end()) {
      auto st = store.get_ticket_state(t);
      if (!st) return st.error();
      known = in_scope_now.emplace(t, st->has_value() && in_scope(u, **st)).first;
    }
    auto held_it = held_now.find(t);
    if (held_it == held_now.end()) {
      auto h = ctx.state.holds(replica, t);
      if (!h) return h.error();
      held_it = held_now.emplace(t, *h).first;
    }
    const bool* held = &held_it->second;
    if (known->second && *held) {
      out.changes.push_back(sc);
    } else if (known->second) {
      auto history = store.changes_of_ticket(t, sc.seq);
      if (!history) return history.error();
      for (SequencedChange& h : *history) out.changes.push_back(std::move(h));
      if (auto r = ctx.state.set_held(replica, t, true); !r) return r.error();
      held_it->second = true;
    } else if (*held) {
      out.dropped.push_back(t);
      if (auto r = ctx.state.set_held(replica, t, false); !r) return r.error();
      held_it->second = false;
    }
  }
  // A ticket's history may repeat a change already in this answer: keep each once, in order.
  std::stable_sort(out.changes.begin(), out.changes.end(),
                   [](const SequencedChange& a, const SequencedChange& b) { return a.seq < b.seq; });
  out.changes.erase(std::unique(out.changes.begin(), out.changes.end(),
                                [](const SequencedChange& a, const SequencedChange& b) { return a.seq == b.seq; }),
                    out.changes.end());
  out.next = last_seen;
  out.more = more_to_scan || last_seen < (window->empty() ? cursor : window->back().seq);
  return out;
}

void pull(ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
  const auto user = authenticate(ctx, req, res);
  if (!user) return;
  const auto cursor = int_param(req, "cursor", 0, 0, INT64_MAX, res);
  if (!cursor) return;
  const auto limit = int_param(req, "limit", 500, 1, kMaxPullLimit, res);
  if (!limit) return;
  const auto wait = int_param(req, "wait", 0, 0, kMaxWaitSeconds, res);
  if (!wait) return;
  const std::string replica = req.get_param_value("replica");
  if (!parse_replica_id(replica)) return send_error(res, 400, "bad_request", "\"replica\" must be 32 hex digits");
  const int64_t now = now_ms();
  {
    std::lock_guard lock(ctx.state_mutex);
    auto owner = ctx.state.claim_replica(replica, user->name, now);
    if (!owner) return send_error(res, 500, "storage", owner.error().detail);
    if (*owner != user->name) return send_error(res, 403, "forged_replica", "replica " + replica + " belongs to another user");
  }
  ctx.metrics.saw_replica(replica, now);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(*wait);
  for (;;) {
    uint64_t seen;
    {
      std::lock_guard lock(ctx.change_mutex);
      seen = ctx.change_version;
    }
    Result<PullResponse> out = Error{ErrorCode::Storage, ""};
    {
      auto reader = ctx.readers.acquire();
      out = scoped_pull(ctx, reader.store(), *user, replica, *cursor, static_cast<int>(*limit));
    }
    if (!out) return send_error(res, 500, "storage", out.error().detail);
    // Nothing visible and the cursor cannot move: a long poll sleeps until a commit or the deadline.
    const bool nothing = out->changes.empty() && out->dropped.empty() && !out->more && out->next <= *cursor;
    if (!nothing || *wait == 0 || std::chrono::steady_clock::now() >= deadline) {
      res.status = 200;
      res.set_content(encode(*out), "application/json");
      return;
    }
    std::unique_lock lock(ctx.change_mutex);
    if (ctx.stopping) {
      lock.unlock();
      res.status = 200;
      res.set_content(encode(*out), "application/json");
      return;
    }
    ctx.store_changed.wait_until(lock, deadline, [&] { return ctx.change_version != seen || ctx.stopping; });
  }
}

}  // namespace

void install_sync_routes(httplib::Server& http, ServerContext& ctx) {
  http.Post("/api/v1/sync/push", [&ctx](const httplib::Request& req, httplib::Response& res) { push(ctx, req, res); });
  http.Get("/api/v1/sync/pull", [&ctx](const httplib::Request& req, httplib::Response& res) { pull(ctx, req, res); });
}

}  // namespace linli::server
