// JSON codec of the sync messages (nlohmann/json, exceptions off). Every field is looked up with
// find() and type-checked before it is read; the first problem found is the error returned.
#include "sync/wire.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <algorithm>
#include <limits>
#include <type_traits>

namespace linli {
namespace {

using json = nlohmann::json;

std::string quote(std::string_view path, const char* key) { return "\"" + std::string(path) + key + "\""; }

// A photo's phase as the wire allows it: "before" or "after" ("none" is the absence of the member).
std::optional<PhotoPhase> parse_wire_phase(std::string_view code) {
  const auto p = parse_photo_phase(code);
  if (!p || *p == PhotoPhase::None) return std::nullopt;
  return p;
}

// Stands for a byte that is not UTF-8 (see mark_bad_utf8): U+FDD0, a noncharacter no text of ours holds.
constexpr std::string_view kBadUtf8 = "\xEF\xB7\x90";

// The length of the well-formed UTF-8 sequence at s[i], or 0 (RFC 3629: no overlong forms, no
// surrogates, nothing past U+10FFFF).
size_t utf8_sequence(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  const auto cont = [&](size_t k) { return (b(k) & 0xC0u) == 0x80u; };
  const unsigned c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    const unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return b(1) >= lo && b(1) <= hi && cont(2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    const unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return b(1) >= lo && b(1) <= hi && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

// The text with each byte that is not part of well-formed UTF-8 replaced by kBadUtf8, or nullopt
// when it was all well-formed. Lets a push whose bad bytes sit inside one change's strings be read,
// so that change alone is refused; bad bytes anywhere else still make the text not JSON.
std::optional<std::string> mark_bad_utf8(std::string_view text) {
  std::string out;
  size_t copied = 0;
  for (size_t i = 0; i < text.size();) {
    const size_t n = utf8_sequence(text, i);
    if (n > 0) {
      i += n;
      continue;
    }
    if (out.empty()) out.reserve(text.size() + 16);
    out.append(text, copied, i - copied);
    out.append(kBadUtf8);
    copied = ++i;
  }
  if (copied == 0) return std::nullopt;
  out.append(text, copied, std::string_view::npos);
  return out;
}

// Reads the fields of one JSON object; remembers the first error. `path` prefixes nested keys.
class In {
 public:
  In(const json& obj, std::string where, std::string* error, std::string path = {})
      : m_obj(obj), m_where(std::move(where)), m_error(error), m_path(std::move(path)) {}

  bool ok() const { return m_error->empty(); }
  void fail(const std::string& what) {
    if (ok()) *m_error = "[sync.decode] " + m_where + what;
  }

  const json* get(const char* key, bool required = true) {
    if (!ok()) return nullptr;
    const auto it = m_obj.find(key);
    if (it == m_obj.end()) {
      if (required) fail("missing " + quote(m_path, key));
      return nullptr;
    }
    return &*it;
  }
  std::string str(const char* key, bool required = true) {
    const json* v = get(key, required);
    if (!v) return {};
    if (!v->is_string()) return fail(quote(m_path, key) + " is not a string"), std::string();
    const std::string& s = v->get_ref<const std::string&>();
    if (s.find(kBadUtf8) != std::string::npos) return fail(quote(m_path, key) + " is not valid UTF-8"), std::string();
    return s;
  }
  uint64_t u64(const char* key, bool required = true) {
    const json* v = get(key, required);
    if (!v) return 0;
    if (!v->is_number_unsigned()) return fail(quote(m_path, key) + " is not an unsigned integer"), 0;
    return v->get<uint64_t>();
  }
  int64_t i64(const char* key, bool required = true) {
    const json* v = get(key, required);
    if (!v) return 0;
    if (!v->is_number_integer() ||
        (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())))
      return fail(quote(m_path, key) + " is not an integer"), 0;
    return v->get<int64_t>();
  }
  bool boolean(const char* key, bool required = true) {
    const json* v = get(key, required);
    if (!v) return false;
    if (!v->is_boolean()) return fail(quote(m_path, key) + " is not a boolean"), false;
    return v->get<bool>();
  }
  template <class E, class Parse>
  E code(const char* key, Parse parse) {
    const std::string s = str(key);
    if (!ok()) return E{};
    const auto v = parse(s);
    if (!v) return fail("unknown " + quote(m_path, key) + " code"), E{};
    return *v;
  }
  ReplicaId replica(const char* key) {
    const std::string s = str(key);
    if (!ok()) return {};
    const auto r = parse_replica_id(s);
    if (!r) return fail(quote(m_path, key) + " is not 32 lowercase hex digits"), ReplicaId{};
    return *r;
  }
  // {"replica": "...", "counter": n}; absent means the zero id when not required.
  ChangeId change_id(const char* key, bool required) {
    const json* v = get(key, required);
    if (!v) return {};
    if (!v->is_object()) return fail(quote(m_path, key) + " is not an object"), ChangeId{};
    In sub(*v, m_where, m_error, m_path + key + ".");
    ChangeId id{sub.replica("replica"), sub.u64("counter")};
    return id;
  }
  std::optional<In> object(const char* key) {
    const json* v = get(key);
    if (!v) return std::nullopt;
    if (!v->is_object()) return fail(quote(m_path, key) + " is not an object"), std::nullopt;
    return In(*v, m_where, m_error, m_path + key + ".");
  }
  Hlc hlc() {
    Hlc h{i64("hlc_ms"), static_cast<uint32_t>(std::min<uint64_t>(u64("hlc_counter"), 0x1'0000'0000ull - 1))};
    if (ok() && !is_valid(h)) fail("\"hlc\" out of range");
    return h;
  }

 private:
  const json& m_obj;
  std::string m_where;
  std::string* m_error;
  std::string m_path;
};

json id_json(const ChangeId& id) { return json{{"replica", to_hex(id.replica)}, {"counter", id.counter}}; }

json ticket_json(const Ticket& t) {
  return json{{"provisional_number", t.provisional_number}, {"official_number", t.official_number},
              {"source", to_string(t.source)}, {"received_at", t.received_at_ms},
              {"citizen_name", t.citizen_name}, {"citizen_phone", t.citizen_phone},
              {"community", t.community}, {"address", t.address}, {"category", to_string(t.category)},
              {"urgency", to_string(t.urgency)}, {"title", t.title}, {"description", t.description},
              {"created_at", t.created_at_ms}, {"updated_at", t.updated_at_ms}};
}

// A field change's payload object (docs/protocol.md, "Field work"): its ids, then each member it
// sets in its JSON type.
const char* field_payload_key(ChangeKind k) {
  switch (k) {
    case ChangeKind::SetFacility: return "facility";
    case ChangeKind::SetCampaign: return "campaign";
    case ChangeKind::SetRound: return "round";
    default: return "item";
  }
}

json field_json(const Change& c) {
  const FieldRecord& r = c.field_record;
  json j = json::object();
  if (c.kind == ChangeKind::SetFacility) j["id"] = r.facility;
  if (c.kind == ChangeKind::SetCampaign) j["id"] = r.campaign;
  if (c.kind == ChangeKind::SetRound || c.kind == ChangeKind::SetRoundItem) {
    j["campaign"] = r.campaign;
    j["week"] = r.week;
  }
  if (c.kind != ChangeKind::SetCampaign) j["community"] = r.community;
  if (c.kind == ChangeKind::SetRoundItem) j["facility"] = r.facility;
  for (const auto& [m, v] : r.values) {
    const std::string key(to_string(m));
    switch (value_type(m)) {
      case FieldValueType::Bool: j[key] = v == "1"; break;
      case FieldValueType::Int: j[key] = std::strtoll(v.c_str(), nullptr, 10); break;
      case FieldValueType::KindList: {
        json a = json::array();
        for (size_t at = 0; at <= v.size();) {
          const size_t comma = std::min(v.find(',', at), v.size());
          a.push_back(v.substr(at, comma - at));
          at = comma + 1;
        }
        j[key] = std::move(a);
        break;
      }
      default: j[key] = v;
    }
  }
  return j;
}

json change_json(const Change& c) {
  json j{{"id", id_json(c.id)}, {"hlc_ms", c.stamp.ms}, {"hlc_counter", c.stamp.counter},
         {"user", c.author.user}, {"role", to_string(c.author.role)}, {"kind", to_string(c.kind)}};
  if (is_field_kind(c.kind)) {
    j[field_payload_key(c.kind)] = field_json(c);
    return j;
  }
  j["ticket"] = c.ticket_id;
  if (!c.base.is_zero()) j["base"] = id_json(c.base);
  switch (c.kind) {
    case ChangeKind::CreateTicket: j["new_ticket"] = ticket_json(c.ticket); break;
    case ChangeKind::SetField:
      j["field"] = to_string(c.field);
      j["value"] = c.value;
      break;
    case ChangeKind::Transition:
      j["action"] = to_string(c.action);
      j["from"] = to_string(c.from);
      j["to"] = to_string(c.to);
      j["seen_work"] = c.seen_work;
      break;
    case ChangeKind::AddEntry: {
      json e{{"kind", to_string(c.entry.kind)}, {"text", c.entry.text}};
      if (c.entry.satisfaction != Satisfaction::None) e["satisfaction"] = to_string(c.entry.satisfaction);
      if (c.entry.days != 0) e["days"] = c.entry.days;
      if (!c.entry.request.is_zero()) e["request"] = id_json(c.entry.request);
      if (c.entry.kind == EntryKind::Decision) e["approved"] = c.entry.approved;
      j["entry"] = std::move(e);
      break;
    }
    case ChangeKind::AttachPhoto:
      j["photo"] = json{{"sha256", c.photo.sha256}, {"size", c.photo.size}, {"type", c.photo.type}};
      if (c.photo.phase != PhotoPhase::None) j["photo"]["phase"] = to_string(c.photo.phase);
      break;
    case ChangeKind::LinkTickets:
      if (c.link.kind == LinkKind::Finding) {
        const FieldRecord& f = c.link.finding;
        j["link"] = json{{"kind", "finding"}, {"campaign", f.campaign}, {"week", f.week},
                         {"community", f.community}, {"facility", f.facility}};
      } else {
        j["link"] = json{{"other", c.link.other_ticket}, {"kind", to_string(c.link.kind)}};
      }
      break;
    default: break;  // Field kinds: written above.
  }
  return j;
}

Ticket read_ticket(In& in, const std::string& id) {
  Ticket t;
  t.id = id;
  t.provisional_number = in.str("provisional_number");
  t.official_number = in.str("official_number");
  t.source = in.code<Source>("source", parse_source);
  t.received_at_ms = in.i64("received_at");
  t.citizen_name = in.str("citizen_name");
  t.citizen_phone = in.str("citizen_phone");
  t.community = in.str("community");
  t.address = in.str("address");
  t.category = in.code<Category>("category", parse_category);
  t.urgency = in.code<Urgency>("urgency", parse_urgency);
  t.title = in.str("title");
  t.description = in.str("description");
  t.created_at_ms = in.i64("created_at");
  t.updated_at_ms = in.i64("updated_at");
  return t;
}

// A field change's payload: the ids its kind needs, then every member of its kind present, in its
// JSON type (validate_change checks the values and that at least one is set).
void read_field_record(In& in, Change& c) {
  FieldRecord& r = c.field_record;
  if (c.kind == ChangeKind::SetFacility) r.facility = in.str("id");
  if (c.kind == ChangeKind::SetCampaign) r.campaign = in.str("id");
  if (c.kind == ChangeKind::SetRound || c.kind == ChangeKind::SetRoundItem) {
    r.campaign = in.str("campaign");
    r.week = in.str("week");
  }
  if (c.kind != ChangeKind::SetCampaign) r.community = in.str("community");
  if (c.kind == ChangeKind::SetRoundItem) r.facility = in.str("facility");
  for (int i = 0; i < kFieldMemberCount && in.ok(); ++i) {
    const auto m = static_cast<FieldMember>(i);
    const std::string key(to_string(m));
    if (!kind_takes(static_cast<int>(c.kind), m)) continue;  // A push refuses it (member_of_another_kind).
    const json* v = in.get(key.c_str(), false);
    if (!v) continue;
    switch (value_type(m)) {
      case FieldValueType::Bool: r.values.emplace_back(m, in.boolean(key.c_str()) ? "1" : "0"); break;
      case FieldValueType::Int: {
        const int64_t n = in.i64(key.c_str());
        if (in.ok() && (n < 0 || n > kMaxFieldCount)) in.fail("\"" + key + "\" out of range");
        r.values.emplace_back(m, std::to_string(n));
        break;
      }
      case FieldValueType::KindList: {
        std::string joined;
        if (!v->is_array()) {
          in.fail("\"" + key + "\" is not an array");
          break;
        }
        for (const json& k : *v) {
          if (!k.is_string()) {
            in.fail("\"" + key + "\" holds a non-string");
            break;
          }
          joined += (joined.empty() ? "" : ",") + k.get<std::string>();
        }
        r.values.emplace_back(m, std::move(joined));
        break;
      }
      default: r.values.emplace_back(m, in.str(key.c_str()));
    }
  }
  c.ticket_id = field_subject(c);
}

void read_payload(In& in, Change& c) {
  switch (c.kind) {
    case ChangeKind::CreateTicket:
      if (auto t = in.object("new_ticket")) c.ticket = read_ticket(*t, c.ticket_id);
      break;
    case ChangeKind::SetField:
      c.field = in.code<EditableField>("field", parse_editable_field);
      c.value = in.str("value");
      break;
    case ChangeKind::Transition:
      c.action = in.code<WorkflowAction>("action", parse_workflow_action);
      c.from = in.code<TicketStatus>("from", parse_ticket_status);
      c.to = in.code<TicketStatus>("to", parse_ticket_status);
      c.seen_work = in.i64("seen_work");
      break;
    case ChangeKind::AddEntry:
      if (auto e = in.object("entry")) {
        c.entry.kind = e->code<EntryKind>("kind", parse_entry_kind);
        c.entry.text = e->str("text");
        if (e->get("satisfaction", false)) c.entry.satisfaction = e->code<Satisfaction>("satisfaction", parse_satisfaction);
        const int64_t days = e->i64("days", false);
        if (days < 0 || days > 365) e->fail("\"entry.days\" out of range");
        c.entry.days = static_cast<int32_t>(days);
        c.entry.request = e->change_id("request", false);
        c.entry.approved = e->boolean("approved", false);  // A push requires it of a decision (unanswered_decision).
      }
      break;
    case ChangeKind::AttachPhoto:
      if (auto p = in.object("photo")) {
        c.photo.sha256 = p->str("sha256");
        c.photo.size = p->i64("size");
        c.photo.type = p->str("type");
        // Optional (an older client sends none): "before" or "after"; "none" is never sent.
        if (p->get("phase", false)) {
          c.photo.phase = p->code<PhotoPhase>("phase", parse_wire_phase);
        }
      }
      break;
    case ChangeKind::LinkTickets:
      if (auto l = in.object("link")) {
        c.link.kind = l->code<LinkKind>("kind", parse_link_kind);
        if (l->ok() && c.link.kind == LinkKind::Finding) {
          c.link.finding.campaign = l->str("campaign");
          c.link.finding.week = l->str("week");
          c.link.finding.community = l->str("community");
          c.link.finding.facility = l->str("facility");
        } else {
          c.link.other_ticket = l->str("other");
        }
      }
      break;
    case ChangeKind::SetFacility:
    case ChangeKind::SetCampaign:
    case ChangeKind::SetRound:
    case ChangeKind::SetRoundItem:
      if (auto f = in.object(field_payload_key(c.kind))) read_field_record(*f, c);
      break;
  }
}

// One change; `where` is "change 17: ". A problem with its id goes in `id_error` (the change
// cannot even be named), any other in `error`.
Change read_change(const json& j, const std::string& where, std::string* error, std::string* id_error) {
  Change c;
  if (!j.is_object()) {
    *id_error = "[sync.decode] " + where + "not an object";
    return c;
  }
  {
    In id(j, where, id_error);
    c.id = id.change_id("id", true);
    if (!id.ok()) return c;
  }
  In in(j, where, error);
  c.stamp = in.hlc();
  c.base = in.change_id("base", false);
  c.author.user = in.str("user");
  c.author.role = in.code<Role>("role", parse_role);
  c.kind = in.code<ChangeKind>("kind", parse_change_kind);
  if (!in.ok()) return c;
  if (!is_field_kind(c.kind)) c.ticket_id = in.str("ticket");  // A field change's subject is its record's.
  else if (in.get("ticket", false)) in.fail("a field-work change carries no \"ticket\"");
  if (!in.ok()) return c;
  read_payload(in, c);
  if (!in.ok()) return c;
  if (auto v = validate_change(c); !v) in.fail(v.error().detail);
  return c;
}

// Parses the envelope: an object whose "type" is `type`.
Result<json> parse_message(std::string_view text, const char* type) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return Error{ErrorCode::NotJson, "[sync.decode] not JSON"};
  if (!j.is_object()) return Error{ErrorCode::InvalidArgument, "[sync.decode] not a JSON object"};
  const auto t = j.find("type");
  if (t == j.end() || !t->is_string() || t->get_ref<const std::string&>() != type)
    return Error{ErrorCode::InvalidArgument, std::string("[sync.decode] not a \"") + type + "\" message"};
  return j;
}

// The array under `key`, at most kMaxChangesPerMessage long.
Result<const json*> array_of(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end()) return Error{ErrorCode::InvalidArgument, std::string("[sync.decode] missing \"") + key + "\""};
  if (!it->is_array()) return Error{ErrorCode::InvalidArgument, std::string("[sync.decode] \"") + key + "\" is not an array"};
  if (it->size() > kMaxChangesPerMessage)
    return Error{ErrorCode::InvalidArgument, std::string("[sync.decode] \"") + key + "\" has too many items"};
  return &*it;
}

Error invalid(std::string detail) { return Error{ErrorCode::InvalidArgument, std::move(detail)}; }

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

std::string encode(const PushRequest& m) {
  json changes = json::array();
  for (const Change& c : m.changes) changes.push_back(change_json(c));
  return dump(json{{"type", "push"},
                   {"replica", to_hex(m.replica)},
                   {"schema", m.schema},
                   {"client_time", m.client_time_ms},
                   {"changes", std::move(changes)}});
}

std::string encode(const PushResponse& m) {
  json results = json::array();
  for (const PushResult& r : m.results) {
    json j{{"id", id_json(r.id)}, {"status", to_string(r.status)}};
    // A duplicate may carry the number and stamp it was given when first taken (its first answer
    // was lost): the client is acknowledged without waiting for a pull to bring it back.
    if (r.status == ApplyStatus::Applied || (r.status == ApplyStatus::Duplicate && r.seq > 0)) {
      j["seq"] = r.seq;
      j["hlc_ms"] = r.stamp.ms;
      j["hlc_counter"] = r.stamp.counter;
      j["skew_ms"] = r.skew_ms;
    }
    if (!r.detail.empty()) j["detail"] = r.detail;
    if (!r.code.empty()) j["code"] = r.code;
    results.push_back(std::move(j));
  }
  return dump(json{{"type", "push_result"}, {"results", std::move(results)}});
}

std::string encode(const PullRequest& m) {
  json j{{"type", "pull"}, {"replica", to_hex(m.replica)}, {"cursor", m.cursor}, {"limit", m.limit}};
  if (m.took > 0) j["took"] = m.took;
  return dump(j);
}

std::string encode_sequenced(const SequencedChange& s) {
  json c = change_json(s.change);
  c["seq"] = s.seq;
  return dump(c);
}

std::string encode_pull_response(const PullResponse& m, const std::vector<std::string_view>& encoded) {
  // The object's keys go out sorted and "changes" sorts first, so the changes lead and the other
  // members follow as a dump of the rest would write them: the same text as encoding it whole.
  // `next`, `head` and `dropped` are always written (docs/protocol.md): a client need not guess.
  json rest{{"type", "pull_result"}, {"from", m.from}, {"more", m.more}, {"next", m.next},
            {"head", m.head}, {"dropped", json::array()}};
  for (const std::string& t : m.dropped) rest["dropped"].push_back(t);
  if (m.answer > 0) rest["answer"] = m.answer;
  if (m.took > 0) rest["took"] = m.took;
  if (m.start_over) rest["start_over"] = true;
  if (m.skipped_until > 0) {
    rest["skipped_after"] = m.skipped_after;
    rest["skipped_until"] = m.skipped_until;
  }
  const std::string tail = dump(rest);
  size_t size = tail.size() + 16;
  for (std::string_view e : encoded) size += e.size() + 1;
  std::string out;
  out.reserve(size);
  out += "{\"changes\":[";
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (i > 0) out += ',';
    out += encoded[i];
  }
  out += "],";
  out.append(tail, 1);  // Without its opening brace.
  return out;
}

std::string encode(const PullResponse& m) {
  std::vector<std::string> changes;
  changes.reserve(m.changes.size());
  for (const SequencedChange& s : m.changes) changes.push_back(encode_sequenced(s));
  return encode_pull_response(m, std::vector<std::string_view>(changes.begin(), changes.end()));
}

namespace {

bool holds_mark(const std::string& s) { return s.find(kBadUtf8) != std::string::npos; }

// Whether the text holds the escape \ufdd0 (any case of its hex digits).
bool holds_escaped_mark(std::string_view text) {
  for (size_t at = text.find("\\u"); at != std::string_view::npos; at = text.find("\\u", at + 1)) {
    const std::string_view hex = text.substr(at + 2, 4);
    if (hex.size() == 4 && (hex[0] == 'f' || hex[0] == 'F') && (hex[1] == 'd' || hex[1] == 'D') &&
        (hex[2] == 'd' || hex[2] == 'D') && hex[3] == '0')
      return true;
  }
  return false;
}

// Whether `j` holds a mark of a byte that is not UTF-8 (kBadUtf8) in a member name, or in a string
// value unless `values_may` (the values of a change: that change alone is refused).
bool marked_in(const json& j, bool values_may) {
  if (j.is_string()) return !values_may && holds_mark(j.get_ref<const std::string&>());
  if (j.is_array()) {
    for (const json& v : j)
      if (marked_in(v, values_may)) return true;
  } else if (j.is_object()) {
    for (const auto& [key, v] : j.items())
      if (holds_mark(key) || marked_in(v, values_may)) return true;
  }
  return false;
}

// What a push refuses in a change that a pull answer (the server's own text) need not be checked
// for. A member of another kind (a field kind's payload, or the other link kind's) is refused, not
// dropped, since the change would not do what its author meant. It is judged on the change's JSON
// alone (its `kind` codes), before anything else: whatever else the change breaks follows from it
// (a set_round_item sending only `finished` sets nothing of its own). "" when none.
std::string member_of_another_kind(const json& j) {
  const auto k = j.find("kind");
  if (k == j.end() || !k->is_string()) return {};
  const auto kind = parse_change_kind(k->get_ref<const std::string&>());
  if (!kind) return {};
  if (is_field_kind(*kind)) {
    const auto p = j.find(field_payload_key(*kind));
    if (p == j.end() || !p->is_object()) return {};
    for (int other = static_cast<int>(ChangeKind::SetFacility); other <= static_cast<int>(ChangeKind::SetRoundItem); ++other)
      for (std::string_view name : payload_members(other))
        if (!payload_takes(static_cast<int>(*kind), name) && p->contains(std::string(name)))
          return "\"" + std::string(name) + "\" is not a member of " + std::string(to_string(*kind));
    return {};
  }
  if (*kind != ChangeKind::LinkTickets) return {};
  const auto l = j.find("link");
  if (l == j.end() || !l->is_object()) return {};
  const auto lk = l->find("kind");
  const auto link = lk != l->end() && lk->is_string() ? parse_link_kind(lk->get_ref<const std::string&>()) : std::nullopt;
  if (!link) return {};
  if (*link == LinkKind::Finding) return l->contains("other") ? "\"other\" is not a member of a finding link" : "";
  for (const char* key : {"campaign", "week", "community", "facility"})
    if (l->contains(key))
      return "\"" + std::string(key) + "\" belongs to a finding link, not a " + std::string(to_string(*link)) + " one";
  return {};
}

// A decision says yes or no: silence is not taken as a refusal. "" when the change is no such decision.
std::string unanswered_decision(const json& j, const Change& c) {
  if (c.kind != ChangeKind::AddEntry || c.entry.kind != EntryKind::Decision) return {};
  const auto e = j.find("entry");
  if (e != j.end() && e->is_object() && !e->contains("approved")) return "missing \"entry.approved\": a decision says yes or no";
  return {};
}

// Whether a push holds such a mark anywhere but in its changes' string values (docs/protocol.md,
// Conventions: then the body is not JSON).
bool marked_outside_changes(const json& push) {
  for (const auto& [key, v] : push.items()) {
    if (holds_mark(key)) return true;
    if (key != "changes" || !v.is_array()) {
      if (marked_in(v, false)) return true;
      continue;
    }
    for (const json& c : v)
      if (marked_in(c, c.is_object())) return true;
  }
  return false;
}

}  // namespace

Result<PushRequest> decode_push_request(std::string_view text) {
  auto j = parse_message(text, "push");
  bool marked = false;
  if (!j && j.error().code == ErrorCode::NotJson)
    if (auto with_marks = mark_bad_utf8(text)) {
      auto again = parse_message(*with_marks, "push");
      if (again && !marked_outside_changes(*again)) {
        j = std::move(again);
        marked = true;
      }
    }
  if (!j) return j.error();
  // U+FDD0 stands for a byte that is not UTF-8, sent as it is (raw or escaped) or marked above: in
  // a member name, or outside the changes, the body is not JSON; in a change's values (those the
  // server reads and those it ignores alike), that change alone is refused.
  const bool may_hold_mark = marked || text.find(kBadUtf8) != std::string_view::npos || holds_escaped_mark(text);
  if (may_hold_mark && marked_outside_changes(*j))
    return Error{ErrorCode::NotJson, "[sync.decode] bytes that are not UTF-8 outside the changes' values"};
  std::string error;
  In top(*j, "", &error);
  PushRequest m;
  m.replica = top.replica("replica");
  if (top.ok() && m.replica.is_zero()) top.fail("\"replica\" is all zeros");
  const int64_t schema = top.i64("schema", false);
  m.schema = static_cast<int>(std::clamp<int64_t>(schema, 0, 1'000'000));  // Absent: 0, older than any schema.
  m.client_time_ms = top.i64("client_time", false);
  if (top.ok() && schema < 0) top.fail("\"schema\" out of range");
  if (!error.empty()) return invalid(error);
  auto changes = array_of(*j, "changes");
  if (!changes) return changes.error();
  for (size_t i = 0; i < (*changes)->size(); ++i) {
    std::string id_error;
    error.clear();
    m.changes.push_back(read_change((**changes)[i], "change " + std::to_string(i) + ": ", &error, &id_error));
    if (!id_error.empty()) return invalid(id_error);
    // Counters start at 1: a 0 would read as "had it already" (R9), be answered duplicate, and be lost.
    if (m.changes.back().id.counter == 0)
      return invalid("[sync.decode] change " + std::to_string(i) + ": \"id.counter\" is 0: a replica's counters start at 1");
    if (std::string stray = member_of_another_kind((**changes)[i]); !stray.empty())
      error = "[sync.decode] change " + std::to_string(i) + ": " + stray;
    if (error.empty() && may_hold_mark && marked_in((**changes)[i], false))
      error = "[sync.decode] change " + std::to_string(i) + ": a member holds bytes that are not UTF-8";
    if (error.empty())
      if (std::string silent = unanswered_decision((**changes)[i], m.changes.back()); !silent.empty())
        error = "[sync.decode] change " + std::to_string(i) + ": " + silent;
    m.unreadable.push_back(std::move(error));
  }
  return m;
}

Result<PushResponse> decode_push_response(std::string_view text) {
  auto j = parse_message(text, "push_result");
  if (!j) return j.error();
  auto results = array_of(*j, "results");
  if (!results) return results.error();
  std::string error;
  PushResponse m;
  for (size_t i = 0; i < (*results)->size(); ++i) {
    const json& rj = (**results)[i];
    const std::string where = "result " + std::to_string(i) + ": ";
    if (!rj.is_object()) return invalid("[sync.decode] " + where + "not an object");
    In in(rj, where, &error);
    PushResult r;
    r.id = in.change_id("id", true);
    r.status = in.code<ApplyStatus>("status", [](std::string_view s) -> std::optional<ApplyStatus> {
      for (ApplyStatus a : {ApplyStatus::Applied, ApplyStatus::Duplicate, ApplyStatus::Gap, ApplyStatus::Invalid})
        if (to_string(a) == s) return a;
      return std::nullopt;
    });
    if (in.ok() && (r.status == ApplyStatus::Applied || (r.status == ApplyStatus::Duplicate && rj.contains("seq")))) {
      r.seq = in.i64("seq");
      r.stamp = in.hlc();
      r.skew_ms = in.i64("skew_ms");
      if (in.ok() && r.seq <= 0) in.fail("\"seq\" must be positive");
    }
    r.detail = in.str("detail", false);
    r.code = in.str("code", false);
    if (!error.empty()) return invalid(error);
    m.results.push_back(std::move(r));
  }
  return m;
}

Result<PullRequest> decode_pull_request(std::string_view text) {
  auto j = parse_message(text, "pull");
  if (!j) return j.error();
  std::string error;
  In in(*j, "", &error);
  PullRequest m;
  m.replica = in.replica("replica");
  if (in.ok() && m.replica.is_zero()) in.fail("\"replica\" is all zeros");
  m.cursor = in.i64("cursor");
  const int64_t limit = in.i64("limit");
  if (in.ok() && (m.cursor < 0 || limit < 1 || limit > static_cast<int64_t>(kMaxChangesPerMessage)))
    in.fail("\"cursor\" or \"limit\" out of range");
  m.limit = static_cast<int>(limit);
  m.took = in.i64("took", false);
  if (in.ok() && m.took < 0) in.fail("\"took\" out of range");
  if (!error.empty()) return invalid(error);
  return m;
}

namespace {

static_assert(std::is_nothrow_move_constructible_v<SequencedChange>, "a growing vector of changes moves them");

// ---- A pull answer read in one pass, without its JSON tree.
//
// A first sync takes answers of thousands of changes, and building the tree (a std::map per
// object, a string per member) and reading it again cost more than applying them. This reader takes
// the parser's events straight into a PullResponse. It vouches only for answers it understands
// completely: anything unexpected (a member twice, a type or code it does not take, a change that
// breaks a rule) makes it give up, and decode_pull_response reads the text again with the tree,
// which says exactly what is wrong. For every answer it does take, the result is the tree's.
class PullReader {
 public:
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  // `expected`: about how many changes the text holds (the vector is reserved once: a change is
  // large, and growing the vector moves every one taken so far).
  PullReader(PullResponse& out, size_t expected) : m_out(out), m_expected(std::min(expected, kMaxChangesPerMessage)) {}

  bool null() { return scalar(Val::Null); }
  bool boolean(bool b) {
    m_val.b = b;
    return scalar(Val::Bool);
  }
  // The parser gives a number without a sign as unsigned, one with a minus (even -0) as signed.
  bool number_integer(json::number_integer_t v) {
    m_val.i = v;
    return scalar(Val::Signed);
  }
  bool number_unsigned(json::number_unsigned_t v) {
    m_val.u = v;
    return scalar(Val::Pos);
  }
  bool number_float(json::number_float_t, const string_t&) { return scalar(Val::Float); }
  bool binary(binary_t&) { return false; }
  bool string(string_t& s) {
    if (m_skip == 0) {
      if (m_where == Where::Top || m_where == Where::Dropped) {
        m_top_str = std::move(s);
      } else if (m_slot >= 0 && m_slot < kSlots) {
        if (s.find(kBadUtf8) != std::string::npos) return false;  // The tree says which member.
        m_str[m_slot] = std::move(s);
      }
    }
    return scalar(Val::Str);
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

  bool start_object(std::size_t) {
    if (m_skip > 0) return ++m_skip, true;
    if (m_slot == kSkip && (m_where == Where::Top || m_where == Where::Change || m_where == Where::Nested))
      return m_slot = -1, m_skip = 1, true;
    if (m_where == Where::Start) return m_where = Where::Top, true;
    if (m_where == Where::Changes) {
      m_where = Where::Change;
      m_have = 0;
      m_seen_change = 0;
      return true;
    }
    // A change's id, base, new_ticket, entry, photo or link; an entry's request.
    const bool opens = (m_where == Where::Change && m_slot >= kObjectBase) ||
                       (m_where == Where::Nested && m_depth == 1 && m_slot == oRequest);
    if (!opens) return false;  // An object where a value was expected.
    m_nest[m_depth++] = m_slot;
    m_where = Where::Nested;
    m_slot = -1;
    return true;
  }
  bool end_object() {
    if (m_skip > 0) return --m_skip, true;
    switch (m_where) {
      case Where::Top: m_where = Where::Done; return true;
      case Where::Nested:
        if (--m_depth == 0) m_where = Where::Change;
        return true;
      case Where::Change: m_where = Where::Changes; return take_change();
      default: return false;
    }
  }
  bool start_array(std::size_t) {
    if (m_skip > 0) return ++m_skip, true;
    if (m_slot == kSkip && (m_where == Where::Top || m_where == Where::Change || m_where == Where::Nested))
      return m_slot = -1, m_skip = 1, true;
    if (m_where != Where::Top) return false;
    const int k = m_slot;
    m_slot = -1;
    if (k == kChanges) {
      m_out.changes.reserve(m_expected);
      return m_where = Where::Changes, true;
    }
    if (k == kDropped) return m_where = Where::Dropped, true;
    return false;
  }
  bool end_array() {
    if (m_skip > 0) return --m_skip, true;
    if (m_where == Where::Changes || m_where == Where::Dropped) return m_where = Where::Top, true;
    return false;
  }
  bool key(string_t& k) {
    if (m_skip > 0) return true;
    switch (m_where) {
      case Where::Top: return top_key(k);
      case Where::Change: return change_key(k, kChangeKeys);
      case Where::Nested: return nested_key(k);
      default: return false;
    }
  }

  // After the parse: the envelope's rules, as the tree decoder checks them.
  bool finish() {
    const uint32_t required = bit(kType) | bit(kFrom) | bit(kMore) | bit(kChanges);
    if (m_where != Where::Done || (m_top & required) != required || !m_type_ok) return false;
    if (m_out.from < 0 || m_out.next < 0 || m_out.answer < 0 || m_out.took < 0 || m_out.head < 0) return false;
    if (m_out.skipped_after < 0 || m_out.skipped_until < 0) return false;
    return m_out.changes.size() <= kMaxChangesPerMessage && m_out.dropped.size() <= kMaxChangesPerMessage;
  }

 private:
  enum class Where { Start, Top, Changes, Change, Nested, Dropped, Done };
  enum class Val { Null, Bool, Signed, Pos, Float, Str };
  struct Scalar {
    bool b = false;
    int64_t i = 0;
    uint64_t u = 0;
  };
  // Top-level members.
  enum : int { kType, kFrom, kMore, kNext, kAnswer, kTook, kStartOver, kHead, kSkippedAfter, kSkippedUntil, kDropped, kChanges };
  static constexpr int kSkip = -2;
  // A change's members and its nested objects' members: one slot each (m_str / m_num / m_have).
  enum Slot : int {
    sSeq, sHlcMs, sHlcCounter, sTicket, sUser, sRole, sKind, sField, sValue, sAction, sFrom, sTo, sSeenWork,
    sIdReplica, sIdCounter, sBaseReplica, sBaseCounter,
    sEntryKind, sEntryText, sEntrySatisfaction, sEntryDays, sEntryApproved, sRequestReplica, sRequestCounter,
    sTProvisional, sTOfficial, sTSource, sTReceivedAt, sTCitizenName, sTCitizenPhone, sTCommunity, sTAddress,
    sTCategory, sTUrgency, sTTitle, sTDescription, sTCreatedAt, sTUpdatedAt,
    sPhotoSha, sPhotoSize, sPhotoType, sLinkOther, sLinkKind, sPhotoPhase,
    kSlots,
    // Nested objects (their members are slots above).
    kObjectBase = 100, oId = kObjectBase, oBase, oNewTicket, oEntry, oRequest, oPhoto, oLink,
  };
  struct Key {
    std::string_view name;
    int slot;
  };
  static constexpr Key kChangeKeys[] = {
      {"seq", sSeq}, {"hlc_ms", sHlcMs}, {"hlc_counter", sHlcCounter}, {"ticket", sTicket}, {"user", sUser},
      {"role", sRole}, {"kind", sKind}, {"field", sField}, {"value", sValue}, {"action", sAction}, {"from", sFrom},
      {"to", sTo}, {"seen_work", sSeenWork}, {"id", oId}, {"base", oBase}, {"new_ticket", oNewTicket},
      {"entry", oEntry}, {"photo", oPhoto}, {"link", oLink}};
  static constexpr Key kIdKeys[] = {{"replica", sIdReplica}, {"counter", sIdCounter}};
  static constexpr Key kBaseKeys[] = {{"replica", sBaseReplica}, {"counter", sBaseCounter}};
  static constexpr Key kRequestKeys[] = {{"replica", sRequestReplica}, {"counter", sRequestCounter}};
  static constexpr Key kEntryKeys[] = {{"kind", sEntryKind}, {"text", sEntryText}, {"satisfaction", sEntrySatisfaction},
                                       {"days", sEntryDays}, {"approved", sEntryApproved}, {"request", oRequest}};
  static constexpr Key kTicketKeys[] = {
      {"provisional_number", sTProvisional}, {"official_number", sTOfficial}, {"source", sTSource},
      {"received_at", sTReceivedAt}, {"citizen_name", sTCitizenName}, {"citizen_phone", sTCitizenPhone},
      {"community", sTCommunity}, {"address", sTAddress}, {"category", sTCategory}, {"urgency", sTUrgency},
      {"title", sTTitle}, {"description", sTDescription}, {"created_at", sTCreatedAt}, {"updated_at", sTUpdatedAt}};
  static constexpr Key kPhotoKeys[] = {
      {"sha256", sPhotoSha}, {"size", sPhotoSize}, {"type", sPhotoType}, {"phase", sPhotoPhase}};
  static constexpr Key kLinkKeys[] = {{"other", sLinkOther}, {"kind", sLinkKind}};

  static constexpr uint32_t bit(int k) { return uint32_t{1} << k; }
  static constexpr uint64_t sbit(int s) { return uint64_t{1} << (s >= kObjectBase ? kSlots + (s - kObjectBase) : s); }

  template <size_t N>
  bool change_key(const string_t& k, const Key (&keys)[N]) {
    for (const Key& e : keys)
      if (e.name == k) {
        if (m_seen_change & sbit(e.slot)) return false;  // A member twice: the tree keeps the last; leave it to the tree.
        m_seen_change |= sbit(e.slot);
        m_slot = e.slot;
        return true;
      }
    m_slot = kSkip;  // A member the decoder does not read.
    return true;
  }
  bool nested_key(const string_t& k) {
    switch (m_nest[m_depth - 1]) {
      case oId: return change_key(k, kIdKeys);
      case oBase: return change_key(k, kBaseKeys);
      case oRequest: return change_key(k, kRequestKeys);
      case oEntry: return change_key(k, kEntryKeys);
      case oNewTicket: return change_key(k, kTicketKeys);
      case oPhoto: return change_key(k, kPhotoKeys);
      case oLink: return change_key(k, kLinkKeys);
      default: return false;
    }
  }
  bool top_key(const string_t& k) {
    static constexpr std::string_view names[] = {"type", "from", "more", "next", "answer", "took", "start_over",
                                                 "head", "skipped_after", "skipped_until", "dropped", "changes"};
    for (int i = 0; i <= kChanges; ++i)
      if (names[i] == k) {
        if (m_top & bit(i)) return false;
        m_top |= bit(i);
        m_slot = i;
        return true;
      }
    m_slot = kSkip;
    return true;
  }

  // A scalar value for the member named last (or an item of "dropped").
  bool scalar(Val t) {
    if (m_skip > 0) return true;
    if (m_where == Where::Dropped) return t == Val::Str && take_dropped();
    if (m_slot == kSkip) return m_slot = -1, true;
    if (m_where == Where::Top) return top_value(t);
    if (m_where != Where::Change && m_where != Where::Nested) return false;
    if (m_slot < 0 || m_slot >= kSlots) return false;  // A value where an object was expected.
    m_type[m_slot] = t;
    m_num[m_slot] = m_val;
    m_have |= sbit(m_slot);
    m_slot = -1;
    return true;
  }
  bool top_value(Val t) {
    const int k = m_slot;
    m_slot = -1;
    switch (k) {
      case kType: return t == Val::Str && (m_type_ok = m_top_str == "pull_result", true);
      case kFrom: return int64(t, m_out.from);
      case kNext: return int64(t, m_out.next);
      case kAnswer: return int64(t, m_out.answer);
      case kTook: return int64(t, m_out.took);
      case kMore: return t == Val::Bool && (m_out.more = m_val.b, true);
      case kStartOver: return t == Val::Bool && (m_out.start_over = m_val.b, true);
      case kHead: return int64(t, m_out.head);
      case kSkippedAfter: return int64(t, m_out.skipped_after);
      case kSkippedUntil: return int64(t, m_out.skipped_until);
      default: return false;  // "changes" or "dropped" that is not an array.
    }
  }
  bool take_dropped() {
    if (!is_valid_ticket_id(m_top_str)) return false;
    m_out.dropped.push_back(std::move(m_top_str));
    return true;
  }
  bool int64(Val t, int64_t& out) const {
    if (t == Val::Signed) return out = m_val.i, true;
    if (t == Val::Pos && m_val.u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return out = static_cast<int64_t>(m_val.u), true;
    return false;
  }

  // In::str, u64, i64, boolean and code on the collected members.
  bool has(int s) const { return (m_have & sbit(s)) != 0; }
  bool str(int s, std::string& out) {
    if (!has(s) || m_type[s] != Val::Str) return false;
    out = std::move(m_str[s]);
    return true;
  }
  bool u64(int s, uint64_t& out) const {
    if (!has(s) || m_type[s] != Val::Pos) return false;
    out = m_num[s].u;
    return true;
  }
  bool i64(int s, int64_t& out) const {
    if (!has(s)) return false;
    if (m_type[s] == Val::Signed) return out = m_num[s].i, true;
    if (m_type[s] == Val::Pos && m_num[s].u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return out = static_cast<int64_t>(m_num[s].u), true;
    return false;
  }
  template <class E, class Parse>
  bool code(int s, Parse parse, E& out) const {
    if (!has(s) || m_type[s] != Val::Str) return false;
    const auto v = parse(m_str[s]);
    if (!v) return false;
    out = *v;
    return true;
  }
  bool object(int o) const { return (m_seen_change & sbit(o)) != 0; }
  bool id(int o, int replica, int counter, ChangeId& out) {
    std::string hex;
    if (!object(o) || !str(replica, hex) || !u64(counter, out.counter)) return false;
    const auto r = parse_replica_id(hex);
    if (!r) return false;
    out.replica = *r;
    return true;
  }

  // A change whole: read_change's rules, then the sequence number's.
  bool take_change() {
    if (m_out.changes.size() >= kMaxChangesPerMessage) return false;
    SequencedChange& s = m_out.changes.emplace_back();  // Filled in place; a change given up on ends the read.
    Change& c = s.change;
    uint64_t hlc_counter = 0;
    if (!id(oId, sIdReplica, sIdCounter, c.id) || !i64(sHlcMs, c.stamp.ms) || !u64(sHlcCounter, hlc_counter)) return false;
    c.stamp.counter = static_cast<uint32_t>(std::min<uint64_t>(hlc_counter, 0x1'0000'0000ull - 1));
    if (!is_valid(c.stamp) || !str(sTicket, c.ticket_id)) return false;
    if (object(oBase) && !id(oBase, sBaseReplica, sBaseCounter, c.base)) return false;
    if (!str(sUser, c.author.user) || !code(sRole, parse_role, c.author.role) || !code(sKind, parse_change_kind, c.kind))
      return false;
    switch (c.kind) {
      case ChangeKind::CreateTicket: {
        Ticket& t = c.ticket;
        t.id = c.ticket_id;
        if (!object(oNewTicket) || !str(sTProvisional, t.provisional_number) || !str(sTOfficial, t.official_number) ||
            !code(sTSource, parse_source, t.source) || !i64(sTReceivedAt, t.received_at_ms) ||
            !str(sTCitizenName, t.citizen_name) || !str(sTCitizenPhone, t.citizen_phone) ||
            !str(sTCommunity, t.community) || !str(sTAddress, t.address) ||
            !code(sTCategory, parse_category, t.category) || !code(sTUrgency, parse_urgency, t.urgency) ||
            !str(sTTitle, t.title) || !str(sTDescription, t.description) || !i64(sTCreatedAt, t.created_at_ms) ||
            !i64(sTUpdatedAt, t.updated_at_ms))
          return false;
        break;
      }
      case ChangeKind::SetField:
        if (!code(sField, parse_editable_field, c.field) || !str(sValue, c.value)) return false;
        break;
      case ChangeKind::Transition:
        if (!code(sAction, parse_workflow_action, c.action) || !code(sFrom, parse_ticket_status, c.from) ||
            !code(sTo, parse_ticket_status, c.to) || !i64(sSeenWork, c.seen_work))
          return false;
        break;
      case ChangeKind::AddEntry: {
        Entry& e = c.entry;
        if (!object(oEntry) || !code(sEntryKind, parse_entry_kind, e.kind) || !str(sEntryText, e.text)) return false;
        if (has(sEntrySatisfaction) && !code(sEntrySatisfaction, parse_satisfaction, e.satisfaction)) return false;
        int64_t days = 0;
        if (has(sEntryDays) && !i64(sEntryDays, days)) return false;
        if (days < 0 || days > 365) return false;
        e.days = static_cast<int32_t>(days);
        if (object(oRequest) && !id(oRequest, sRequestReplica, sRequestCounter, e.request)) return false;
        if (has(sEntryApproved)) {
          if (m_type[sEntryApproved] != Val::Bool) return false;
          e.approved = m_num[sEntryApproved].b;
        }
        break;
      }
      case ChangeKind::AttachPhoto:
        if (!object(oPhoto) || !str(sPhotoSha, c.photo.sha256) || !i64(sPhotoSize, c.photo.size) ||
            !str(sPhotoType, c.photo.type))
          return false;
        if (has(sPhotoPhase) && !code(sPhotoPhase, parse_wire_phase, c.photo.phase)) return false;
        break;
      case ChangeKind::LinkTickets:
        if (!object(oLink) || !str(sLinkOther, c.link.other_ticket) || !code(sLinkKind, parse_link_kind, c.link.kind))
          return false;
        break;
      case ChangeKind::SetFacility:
      case ChangeKind::SetCampaign:
      case ChangeKind::SetRound:
      case ChangeKind::SetRoundItem: return false;  // Field work: the tree reads it (it has no "ticket").
    }
    if (!validate_change(c)) return false;
    const size_t n = m_out.changes.size();
    return i64(sSeq, s.seq) && s.seq > 0 && (n == 1 || s.seq > m_out.changes[n - 2].seq);
  }

  PullResponse& m_out;
  size_t m_expected;
  Where m_where = Where::Start;
  uint32_t m_top = 0;        // Top-level members seen.
  bool m_type_ok = false;
  std::string m_top_str;     // A top-level string value ("type", an item of "dropped").
  int m_slot = -1;           // The member whose value comes next (a Slot, a top-level member, kSkip).
  int m_nest[2] = {};        // The nested objects being read (oId ...; oEntry then oRequest).
  int m_depth = 0;
  int m_skip = 0;            // > 0: inside a value nobody reads, this deep.
  uint64_t m_have = 0;       // The change's scalar members present.
  uint64_t m_seen_change = 0;  // The change's members (and nested objects' members) named.
  Scalar m_val;
  Val m_type[kSlots] = {};
  Scalar m_num[kSlots] = {};
  std::string m_str[kSlots];
};

}  // namespace

Result<PullResponse> decode_pull_response(std::string_view text) {
  {
    PullResponse fast;
    PullReader reader(fast, text.size() / 192 + 1);  // A change takes 200 bytes of JSON at the least.
    if (json::sax_parse(text.begin(), text.end(), &reader) && reader.finish()) return fast;
  }
  return decode_pull_response_tree(text);
}

Result<PullResponse> decode_pull_response_tree(std::string_view text) {
  auto j = parse_message(text, "pull_result");
  if (!j) return j.error();
  std::string error;
  In in(*j, "", &error);
  PullResponse m;
  m.from = in.i64("from");
  m.more = in.boolean("more");
  m.next = in.i64("next", false);  // Older servers left out `next` (and `dropped`).
  m.answer = in.i64("answer", false);  // Absent: an answer of the centre's, or from an older server.
  m.took = in.i64("took", false);
  m.start_over = in.boolean("start_over", false);
  m.head = in.i64("head", false);  // Older servers left it out: 0, how far the log goes is unknown.
  m.skipped_after = in.i64("skipped_after", false);
  m.skipped_until = in.i64("skipped_until", false);
  if (in.ok() && (m.skipped_after < 0 || m.skipped_until < 0)) in.fail("\"skipped_after\" or \"skipped_until\" out of range");
  if (in.ok() && (m.from < 0 || m.next < 0 || m.answer < 0 || m.took < 0 || m.head < 0))
    in.fail("\"from\", \"next\", \"answer\", \"took\" or \"head\" out of range");
  if (!error.empty()) return invalid(error);
  if (auto d = j->find("dropped"); d != j->end()) {
    if (!d->is_array() || d->size() > kMaxChangesPerMessage) return invalid("[sync.decode] \"dropped\" is not a short array");
    for (const json& t : *d) {
      if (!t.is_string() || !is_valid_ticket_id(t.get<std::string>()))
        return invalid("[sync.decode] \"dropped\" holds something that is not a ticket id");
      m.dropped.push_back(t.get<std::string>());
    }
  }
  auto changes = array_of(*j, "changes");
  if (!changes) return changes.error();
  m.changes.reserve((*changes)->size());
  int64_t last = m.from;
  for (size_t i = 0; i < (*changes)->size(); ++i) {
    const json& cj = (**changes)[i];
    const std::string where = "change " + std::to_string(i) + ": ";
    SequencedChange s;
    s.change = read_change(cj, where, &error, &error);  // A server's change must be whole.
    if (error.empty()) {
      In seq(cj, where, &error);
      s.seq = seq.i64("seq");
      // In order, but not all after `from`: a ticket new to the caller's scope brings its history.
      if (seq.ok() && (s.seq <= 0 || (i > 0 && s.seq <= last))) seq.fail("\"seq\" not after the one before");
    }
    if (!error.empty()) return invalid(error);
    last = s.seq;
    m.changes.push_back(std::move(s));
  }
  return m;
}

}  // namespace linli
