// POST /api/v1/intake/tickets: the 12345 hotline platform hands over a ticket (docs/protocol.md,
// "Intake"). An API key instead of a sign-in; idempotent by the hotline's own ticket number. The
// ticket is created as a change the server authors, so it syncs like any other.
#include <httplib.h>
#include <sodium.h>

#include <array>
#include <fstream>
#include <mutex>
#include <vector>

#include "context.h"
#include "http_util.h"

namespace linli::server {
namespace {

using KeyHash = std::array<unsigned char, crypto_hash_sha256_BYTES>;
constexpr size_t kMaxHotlineNumberBytes = 64;

// One intake at a time, from lookup to the recorded number, so two deliveries of one hotline
// ticket never make two tickets. Taken before any ServerContext mutex, and only here.
std::mutex g_intake_mutex;

KeyHash hash_of(std::string_view key) {
  KeyHash h{};
  crypto_hash_sha256(h.data(), reinterpret_cast<const unsigned char*>(key.data()), key.size());
  return h;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The hashes of the keys in the file: one a line, blank lines and "#" comments skipped. Read at
// each request, so a key is added or withdrawn by editing the file.
std::optional<std::vector<KeyHash>> read_key_hashes(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::vector<KeyHash> out;
  for (std::string line; std::getline(in, line);) {
    const std::string_view key = trim(line);
    if (!key.empty() && key.front() != '#') out.push_back(hash_of(key));
  }
  return out;
}

// True when the request's X-Api-Key is one of the keys; answers 401 or 503 itself otherwise.
// Hashes are compared in constant time, and every key is compared, so timing tells nothing.
bool check_api_key(const ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
  if (ctx.options.intake_key_file.empty()) {
    send_error(res, 503, "intake_disabled", "hotline intake is not enabled on this server");
    return false;
  }
  const auto keys = read_key_hashes(ctx.options.intake_key_file);
  if (!keys) {
    send_error(res, 503, "intake_disabled", "the intake keys cannot be read on this server");
    return false;
  }
  const std::string key = req.get_header_value("X-Api-Key");
  if (key.empty()) {
    send_error(res, 401, "unauthenticated", "send the intake API key in the X-Api-Key header");
    return false;
  }
  const KeyHash presented = hash_of(key);
  bool match = false;
  for (const KeyHash& k : *keys) match |= sodium_memcmp(k.data(), presented.data(), k.size()) == 0;
  if (!match) send_error(res, 401, "invalid_api_key", "the API key is not one of this server's intake keys");
  return match;
}

Error field_error(std::string_view field, std::string_view what) {
  return Error{ErrorCode::InvalidArgument, "[intake] field \"" + std::string(field) + "\": " + std::string(what)};
}

Result<std::string> string_field(const nlohmann::json& body, const char* field) {
  const auto it = body.find(field);
  if (it == body.end()) return field_error(field, "missing");
  if (!it->is_string()) return field_error(field, "must be a string");
  return it->get<std::string>();
}

std::string category_codes() {
  std::string s;
  for (int i = 0; i < kCategoryCount; ++i) s += (i ? ", " : "") + std::string(to_string(static_cast<Category>(i)));
  return s;
}

struct IntakeRequest {
  std::string hotline_number;
  Ticket ticket;  // Without its id: that is given when it is created.
};

// Checks every field for presence and type; whether the ticket is acceptable is validate_new_ticket's.
Result<IntakeRequest> decode_intake(const nlohmann::json& body) {
  if (!body.is_object()) return Error{ErrorCode::InvalidArgument, "[intake] the body must be a JSON object"};
  IntakeRequest out;
  auto number = string_field(body, "hotline_number");
  if (!number) return number.error();
  if (number->empty() || number->size() > kMaxHotlineNumberBytes)
    return field_error("hotline_number", "must be 1 to 64 bytes");
  for (unsigned char c : *number)
    if (c < 0x20 || c == 0x7f) return field_error("hotline_number", "must not hold control characters");
  out.hotline_number = *number;
  const auto at = body.find("received_at");
  if (at == body.end()) return field_error("received_at", "missing");
  if (!at->is_number_integer() || at->get<int64_t>() <= 0)
    return field_error("received_at", "must be a positive whole number of milliseconds since 1970 (UTC)");
  Ticket& t = out.ticket;
  t.received_at_ms = at->get<int64_t>();
  struct Text {
    const char* field;
    std::string* into;
  };
  for (const Text& f :
       {Text{"citizen_name", &t.citizen_name}, Text{"citizen_phone", &t.citizen_phone}, Text{"community", &t.community},
        Text{"address", &t.address}, Text{"title", &t.title}, Text{"description", &t.description}}) {
    auto v = string_field(body, f.field);
    if (!v) return v.error();
    *f.into = std::move(v).value();
  }
  auto category = string_field(body, "category");
  if (!category) return category.error();
  const auto c = parse_category(*category);
  if (!c) return field_error("category", "unknown code \"" + *category + "\"; one of " + category_codes());
  t.category = *c;
  auto urgency = string_field(body, "urgency");
  if (!urgency) return urgency.error();
  const auto u = parse_urgency(*urgency);
  if (!u) return field_error("urgency", "must be \"urgent\" or \"normal\"");
  t.urgency = *u;
  t.source = Source::Hotline;
  t.status = TicketStatus::Received;
  return out;
}

// 422 naming every field validate_new_ticket refused, as "field: problem".
void send_invalid_ticket(httplib::Response& res, const std::vector<FieldProblem>& problems) {
  std::string message;
  nlohmann::json fields = nlohmann::json::array();
  for (const FieldProblem& p : problems) {
    message += (message.empty() ? "" : "; ") + std::string(to_string(p.field)) + ": " + std::string(to_string(p.code));
    fields.push_back({{"field", to_string(p.field)}, {"problem", to_string(p.code)}});
  }
  send_json(res, 422, {{"error", {{"code", "invalid_ticket"}, {"message", message}, {"fields", fields}}}});
}

void send_ticket(httplib::Response& res, int status, const std::string& hotline_number, const Ticket& t) {
  nlohmann::json body = {{"ticket", t.id}, {"hotline_number", hotline_number}};
  if (!t.official_number.empty()) body["official_number"] = t.official_number;
  if (!t.provisional_number.empty()) body["provisional_number"] = t.provisional_number;
  send_json(res, status, body);
}

Result<std::optional<Ticket>> stored_ticket(ServerContext& ctx, const std::string& id) {
  std::lock_guard lock(ctx.store_mutex);
  return ctx.store.get_ticket(id);
}

void intake(ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
  if (!check_api_key(ctx, req, res)) return;
  auto body = read_json_body(req, res);
  if (!body) return;
  auto request = decode_intake(*body);
  if (!request) return send_error(res, 400, "bad_request", request.error().detail);
  const int64_t now = now_ms();
  std::lock_guard intake_lock(g_intake_mutex);
  Result<std::optional<std::string>> known = std::optional<std::string>{};
  {
    std::lock_guard lock(ctx.state_mutex);
    known = ctx.state.intake_ticket(request->hotline_number);
  }
  if (!known) return send_error(res, 500, "storage", known.error().detail);
  if (*known) {
    auto stored = stored_ticket(ctx, **known);
    if (!stored) return send_error(res, 500, "storage", stored.error().detail);
    // A repeat: the same ticket, whatever the body says now.
    if (*stored) return send_ticket(res, 200, request->hotline_number, **stored);
    // The number was claimed but the ticket not made (a crash between the two): make it now.
  }
  Ticket& t = request->ticket;
  if (*known) {
    t.id = **known;
  } else {
    uint8_t fresh[16];
    randombytes_buf(fresh, sizeof fresh);
    t.id = format_ticket_id(fresh);
  }
  t.created_at_ms = now;
  t.updated_at_ms = now;
  if (const auto problems = validate_new_ticket(t); !problems.empty()) return send_invalid_ticket(res, problems);
  // The number is claimed before the ticket is made: a crash in between leaves a claim that the
  // platform's retry completes, never a ticket that a retry would make twice.
  if (!*known) {
    std::lock_guard lock(ctx.state_mutex);
    if (auto r = ctx.state.record_intake(request->hotline_number, t.id, now); !r)
      return send_error(res, 500, "storage", r.error().detail);
  }
  Change draft;
  draft.ticket_id = t.id;
  draft.kind = ChangeKind::CreateTicket;
  draft.ticket = t;
  // The ticket and its official number in one transaction (apply_server_changes).
  auto applied = apply_server_change(ctx, std::move(draft), now);
  if (!applied) return send_error(res, 500, "storage", applied.error().detail);
  if (applied->status == ApplyStatus::Invalid) return send_error(res, 422, "invalid_ticket", applied->detail);
  auto stored = stored_ticket(ctx, t.id);
  if (!stored) return send_error(res, 500, "storage", stored.error().detail);
  send_ticket(res, 201, request->hotline_number, *stored ? **stored : t);
}

}  // namespace

void install_intake_routes(httplib::Server& http, ServerContext& ctx) {
  http.Post("/api/v1/intake/tickets",
            [&ctx](const httplib::Request& req, httplib::Response& res) { intake(ctx, req, res); });
}

}  // namespace linli::server
