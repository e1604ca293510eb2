// docs/protocol.md is the contract outsiders write sync clients from, so every ```json block in it is
// checked here with the real code. Each block is marked by the line before it, `<!-- example: KIND
// -->`: wire messages must decode with the real decoder and encode back to the same JSON (so the
// example is exactly what the code writes, and holds no field the decoder would skip); the other
// blocks must hold the fields the server's handlers read. Native only: it reads the source tree.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "sync/calendar_json.h"
#include "sync/wire.h"

namespace linli {
namespace {

using json = nlohmann::json;

struct Example {
  std::string kind;  // From the marker; empty when the block has none.
  std::string text;
  int line = 0;  // Of the opening fence, for messages.
};

std::string read_doc() {
  std::ifstream in(LINLI_PROTOCOL_DOC, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string trimmed(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return {};
  return s.substr(a, s.find_last_not_of(" \t\r") - a + 1);
}

// "<!-- example: push -->" → "push".
std::string marker_of(const std::string& line) {
  const std::string t = trimmed(line);
  const std::string open = "<!-- example:", close = "-->";
  if (t.rfind(open, 0) != 0 || t.size() < open.size() + close.size() || t.substr(t.size() - close.size()) != close)
    return {};
  return trimmed(t.substr(open.size(), t.size() - open.size() - close.size()));
}

std::vector<Example> examples_of(const std::string& doc) {
  std::vector<Example> out;
  std::istringstream in(doc);
  std::string line, before;
  bool inside = false;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    const std::string t = trimmed(line);
    if (!inside && t == "```json") {
      inside = true;
      out.push_back(Example{marker_of(before), {}, n});
    } else if (inside && t == "```") {
      inside = false;
    } else if (inside) {
      out.back().text += line + "\n";
    }
    before = line;
  }
  EXPECT_FALSE(inside) << "docs/protocol.md ends inside a ```json block";
  return out;
}

std::string where(const Example& e) { return "docs/protocol.md:" + std::to_string(e.line) + " (" + e.kind + ")"; }

// An outsider copies examples: no "9f1c…" ids, no elided strings.
void expect_nothing_elided(const json& j, const Example& e) {
  const std::string ellipsis = "\xE2\x80\xA6";
  if (j.is_string()) {
    EXPECT_EQ(j.get<std::string>().find(ellipsis), std::string::npos) << where(e) << ": elided value " << j;
  } else if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      EXPECT_EQ(k.find(ellipsis), std::string::npos) << where(e) << ": elided key " << k;
      expect_nothing_elided(v, e);
    }
  } else if (j.is_array()) {
    for (const json& v : j) expect_nothing_elided(v, e);
  }
}

bool is_string(const json& j, const char* key) { return j.contains(key) && j[key].is_string(); }

// {"error": {"code": "...", "message": "...", ...}}: what every error answer is.
void expect_error_shape(const json& j, const Example& e) {
  ASSERT_TRUE(j.is_object() && j.contains("error") && j["error"].is_object()) << where(e);
  const json& err = j["error"];
  ASSERT_TRUE(is_string(err, "code") && is_string(err, "message")) << where(e);
  const std::string code = err["code"];
  EXPECT_FALSE(code.empty()) << where(e);
  EXPECT_EQ(code.find_first_not_of("abcdefghijklmnopqrstuvwxyz_"), std::string::npos) << where(e) << ": code " << code;
  if (err.contains("expected_counter")) {
    EXPECT_TRUE(err["expected_counter"].is_number_unsigned()) << where(e);
  }
  if (err.contains("change")) {
    EXPECT_TRUE(err["change"].is_number_unsigned()) << where(e);
  }
}

void expect_same(const json& doc, const std::string& encoded, const Example& e) {
  const json again = json::parse(encoded, nullptr, false);
  EXPECT_EQ(doc, again) << where(e) << ": the code writes it otherwise; diff " << json::diff(doc, again).dump();
}

template <class T>
void expect_decodes(const Result<T>& r, const Example& e) {
  EXPECT_TRUE(r) << where(e) << ": the decoder refuses it: " << (r ? std::string() : r.error().detail);
}

void check_wire(const Example& e, json doc) {
  if (e.kind == "push") {
    auto m = decode_push_request(e.text);
    expect_decodes(m, e);
    if (m) expect_same(doc, encode(*m), e);
  } else if (e.kind == "change") {
    // One change, as it sits in a push's `changes`.
    ASSERT_TRUE(doc.is_object() && doc.contains("id") && doc["id"].is_object()) << where(e);
    const json push = {{"type", "push"},
                       {"replica", doc["id"]["replica"]},
                       {"schema", kWireSchema},
                       {"client_time", 0},
                       {"changes", json::array({doc})}};
    auto m = decode_push_request(push.dump());
    expect_decodes(m, e);
    if (m) expect_same(doc, json::parse(encode(*m))["changes"][0].dump(), e);
    if (m && !m->unreadable.empty()) {
      EXPECT_EQ(m->unreadable[0], "") << where(e) << ": the change breaks its own rules";
    }
  } else if (e.kind == "push_result") {
    // The route adds "error" beside the results when it refused a change.
    json results_only = doc;
    results_only.erase("error");
    auto m = decode_push_response(results_only.dump());
    expect_decodes(m, e);
    if (m) expect_same(results_only, encode(*m), e);
    if (doc.contains("error")) {
      expect_error_shape(doc, e);
      ASSERT_TRUE(m && doc["error"].contains("change")) << where(e) << ": a refusal names its change";
      const size_t i = doc["error"]["change"];
      ASSERT_LT(i, m->results.size()) << where(e);
      EXPECT_EQ(m->results[i].status, ApplyStatus::Invalid) << where(e);
      EXPECT_EQ(m->results[i].code, doc["error"]["code"].get<std::string>()) << where(e);
    }
  } else if (e.kind == "pull") {
    auto m = decode_pull_request(e.text);
    expect_decodes(m, e);
    if (m) expect_same(doc, encode(*m), e);
  } else if (e.kind == "pull_result") {
    auto m = decode_pull_response(e.text);
    expect_decodes(m, e);
    if (m) expect_same(doc, encode(*m), e);
  }
}

bool is_wire(const std::string& kind) {
  return kind == "push" || kind == "change" || kind == "push_result" || kind == "pull" || kind == "pull_result";
}

void check_user(const json& u, const Example& e) {
  ASSERT_TRUE(u.is_object()) << where(e);
  for (const char* k : {"name", "display_name", "role", "scope"}) {
    EXPECT_TRUE(is_string(u, k)) << where(e) << ": " << k;
  }
  if (is_string(u, "role")) {
    EXPECT_TRUE(parse_role(u["role"].get<std::string>())) << where(e);
  }
}

// The blocks that are not sync messages: the fields their handlers read or write.
void check_other(const Example& e, const json& doc) {
  ASSERT_TRUE(doc.is_object()) << where(e);
  if (e.kind == "error") {
    expect_error_shape(doc, e);
  } else if (e.kind == "login_request") {  // routes_auth.cpp: login.
    EXPECT_TRUE(is_string(doc, "user") && is_string(doc, "password")) << where(e);
  } else if (e.kind == "login") {
    EXPECT_TRUE(is_string(doc, "token") && doc["token"].get<std::string>().size() == 43) << where(e);
    EXPECT_TRUE(doc.contains("expires_at") && doc["expires_at"].is_number_integer()) << where(e);
    check_user(doc["user"], e);
  } else if (e.kind == "me") {
    check_user(doc["user"], e);
  } else if (e.kind == "users") {  // routes_auth.cpp: GET /api/v1/users.
    ASSERT_TRUE(doc["users"].is_array()) << where(e);
    for (const json& u : doc["users"]) {
      check_user(u, e);
      EXPECT_TRUE(u.contains("disabled") && u["disabled"].is_boolean()) << where(e);
    }
  } else if (e.kind == "intake") {  // routes_intake.cpp: every field, its type and its codes.
    for (const char* k : {"hotline_number", "citizen_name", "citizen_phone", "community", "address", "category",
                          "urgency", "title", "description"})
      EXPECT_TRUE(is_string(doc, k)) << where(e) << ": " << k;
    EXPECT_TRUE(doc.contains("received_at") && doc["received_at"].is_number_integer() && doc["received_at"] > 0)
        << where(e);
    if (is_string(doc, "category")) {
      EXPECT_TRUE(parse_category(doc["category"].get<std::string>())) << where(e);
    }
    if (is_string(doc, "urgency")) {
      EXPECT_TRUE(parse_urgency(doc["urgency"].get<std::string>())) << where(e);
    }
  } else if (e.kind == "intake_result") {
    EXPECT_TRUE(is_string(doc, "ticket") && is_valid_ticket_id(doc["ticket"].get<std::string>())) << where(e);
    EXPECT_TRUE(is_string(doc, "hotline_number")) << where(e);
    if (doc.contains("official_number")) {
      EXPECT_TRUE(is_string(doc, "official_number") &&
                  is_valid_official_number(doc["official_number"].get<std::string>()))
          << where(e);
    }
  } else if (e.kind == "blob") {
    // What an attach_photo change names: the same rules.
    ASSERT_TRUE(is_string(doc, "sha256") && is_string(doc, "type") && doc.contains("size")) << where(e);
    EXPECT_TRUE(is_valid_ticket_id(doc["sha256"].get<std::string>().substr(0, 32)) &&
                is_valid_ticket_id(doc["sha256"].get<std::string>().substr(32)) &&
                doc["sha256"].get<std::string>().size() == 64)
        << where(e) << ": not 64 lowercase hex digits";
    const std::string type = doc["type"];
    EXPECT_TRUE(type == "image/jpeg" || type == "image/png" || type == "image/webp") << where(e);
    EXPECT_TRUE(doc["size"].is_number_unsigned() && doc["size"] > 0) << where(e);
  } else if (e.kind == "campaign_totals") {  // routes_field.cpp: every figure, per community and the street.
    EXPECT_TRUE(is_string(doc, "campaign") && is_valid_ticket_id(doc["campaign"].get<std::string>())) << where(e);
    for (const char* k : {"name", "from", "to"}) EXPECT_TRUE(is_string(doc, k)) << where(e) << ": " << k;
    std::vector<json> figures = {doc["street"]};
    for (const auto& [community, f] : doc["communities"].items()) figures.push_back(f);
    for (const json& f : figures)
      for (const char* k : {"bait_boxes_set", "sewers_dosed", "fly_cages_kept", "rat_holes_filled", "rats_killed",
                            "wells_dosed", "sites_checked", "items_checked", "rounds", "rounds_finished"})
        EXPECT_TRUE(f.contains(k) && f[k].is_number_integer()) << where(e) << ": " << k;
  } else if (e.kind == "calendar") {  // GET /api/v1/calendar: the real reader takes it.
    auto c = parse_calendar_json(doc.dump());
    EXPECT_TRUE(c) << where(e) << ": " << (c ? std::string() : c.error().detail);
  } else if (e.kind == "health") {
    EXPECT_TRUE(is_string(doc, "status") && doc["schema"].is_number_integer() && doc["tickets"].is_number_integer())
        << where(e);
  } else {
    ADD_FAILURE() << where(e)
                  << ": unknown example kind; mark the block <!-- example: KIND --> with a kind this "
                     "test knows";
  }
}

TEST(ProtocolDoc, EveryJsonExampleIsWhatTheRealCodeReadsAndWrites) {
  const std::string doc = read_doc();
  ASSERT_FALSE(doc.empty()) << "cannot read " << LINLI_PROTOCOL_DOC;
  const std::vector<Example> all = examples_of(doc);
  ASSERT_GE(all.size(), 10u);
  for (const Example& e : all) {
    const json j = json::parse(e.text, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << where(e) << ": not JSON";
    expect_nothing_elided(j, e);
    // A wire message must be marked as one, so that the decoder checks it.
    if (j.is_object() && is_string(j, "type")) {
      const std::string type = j["type"];
      if (is_wire(type)) {
        EXPECT_EQ(e.kind, type) << where(e) << ": a \"" << type << "\" message marked otherwise";
      }
    }
    if (is_wire(e.kind))
      check_wire(e, j);
    else
      check_other(e, j);
  }
}

TEST(ProtocolDoc, EveryChangeKindHasAnExample) {
  std::set<std::string> shown;
  for (const Example& e : examples_of(read_doc())) {
    const json j = json::parse(e.text, nullptr, false);
    if (j.is_discarded()) continue;  // The test above says so.
    if (e.kind == "change" && is_string(j, "kind")) shown.insert(j["kind"].get<std::string>());
  }
  for (int i = 0; i < kChangeKindCount; ++i) {
    const std::string code(to_string(static_cast<ChangeKind>(i)));
    EXPECT_TRUE(shown.count(code)) << "no <!-- example: change --> of a " << code << " change";
  }
}

// Every code the decoder accepts is named in the document, as `code`.
TEST(ProtocolDoc, EveryWireCodeIsNamed) {
  const std::string doc = read_doc();
  std::vector<std::string> codes;
  auto add = [&codes](std::string_view c) { codes.emplace_back(c); };
  for (int i = 0; i < kChangeKindCount; ++i) add(to_string(static_cast<ChangeKind>(i)));
  for (int i = 0; i < kEditableFieldCount; ++i) add(to_string(static_cast<EditableField>(i)));
  for (int i = 0; i < kEntryKindCount; ++i) add(to_string(static_cast<EntryKind>(i)));
  for (int i = 1; i < kSatisfactionCount; ++i) add(to_string(static_cast<Satisfaction>(i)));
  for (int i = 0; i < kLinkKindCount; ++i) add(to_string(static_cast<LinkKind>(i)));
  for (int i = 0; i < kRoleCount; ++i) add(to_string(static_cast<Role>(i)));
  for (int i = 0; i < kWorkflowActionCount; ++i) add(to_string(static_cast<WorkflowAction>(i)));
  for (int i = 0; i < kTicketStatusCount; ++i) add(to_string(static_cast<TicketStatus>(i)));
  for (int i = 0; i < kSourceCount; ++i) add(to_string(static_cast<Source>(i)));
  for (int i = 0; i < kCategoryCount; ++i) add(to_string(static_cast<Category>(i)));
  for (int i = 0; i < kUrgencyCount; ++i) add(to_string(static_cast<Urgency>(i)));
  for (ApplyStatus s : {ApplyStatus::Applied, ApplyStatus::Duplicate, ApplyStatus::Invalid}) add(to_string(s));
  for (const std::string& c : codes)
    EXPECT_NE(doc.find("`" + c + "`"), std::string::npos) << "`" << c << "` is not in docs/protocol.md";
}

// The workflow table in the document is the one in the code, row by row. A move only some of the
// action's roles may take names them: "`handled` (centre)".
TEST(ProtocolDoc, TheWorkflowTableIsTheCodes) {
  const std::string doc = read_doc();
  for (int s = 0; s < kTicketStatusCount; ++s) {
    const auto from = static_cast<TicketStatus>(s);
    std::string row = "| `" + std::string(to_string(from)) + "` |";
    for (int a = 0; a < kWorkflowActionCount; ++a) {
      const auto action = static_cast<WorkflowAction>(a);
      const auto to = workflow_target(from, action);
      if (!to) {
        row += " - |";
        continue;
      }
      std::string roles;
      bool narrower = false;
      for (int r = 0; r < kRoleCount; ++r) {
        const auto role = static_cast<Role>(r);
        if (!role_may(role, action)) continue;
        if (workflow_target(from, action, role))
          roles += (roles.empty() ? "" : ", ") + std::string(to_string(role));
        else
          narrower = true;
      }
      row += " `" + std::string(to_string(*to)) + "`" + (narrower ? " (" + roles + ")" : std::string()) + " |";
    }
    EXPECT_NE(doc.find(row), std::string::npos) << "no row\n" << row;
  }
  std::string who = "| who may |";
  for (int a = 0; a < kWorkflowActionCount; ++a) {
    std::string roles;
    for (int r = 0; r < kRoleCount; ++r)
      if (role_may(static_cast<Role>(r), static_cast<WorkflowAction>(a)))
        roles += (roles.empty() ? "" : ", ") + std::string(to_string(static_cast<Role>(r)));
    who += " " + roles + " |";
  }
  EXPECT_NE(doc.find(who), std::string::npos) << "no row\n" << who;
}

}  // namespace
}  // namespace linli
