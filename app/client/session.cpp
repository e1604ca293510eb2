#include "client/session.h"

#include <nlohmann/json.hpp>

namespace linli::app {
namespace {

constexpr const char* kSessionKey = "app.session";
constexpr const char* kReplicaKey = "app.replica";
constexpr const char* kOwnerKey = "app.owner";
constexpr const char* kPeopleKey = "app.people";

Error bad(std::string what) { return Error{ErrorCode::InvalidArgument, "[app.session] " + std::move(what)}; }

const nlohmann::json* member(const nlohmann::json& j, const char* name, nlohmann::json::value_t type) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(name);
  if (it == j.end() || it->type() != type) return nullptr;
  return &*it;
}

Result<Session> session_from_json(const nlohmann::json& j, bool need_token) {
  using V = nlohmann::json::value_t;
  const auto* user = member(j, "user", V::object);
  const auto* token = member(j, "token", V::string);
  if (!user || (need_token && !token)) return bad("not a login answer");
  const auto* name = member(*user, "name", V::string);
  const auto* display = member(*user, "display_name", V::string);
  const auto* role = member(*user, "role", V::string);
  const auto* scope = member(*user, "scope", V::string);
  if (!name || !display || !role || !scope) return bad("the user is incomplete");
  const auto r = parse_role(role->get<std::string>());
  if (!r) return bad("unknown role " + role->get<std::string>());
  Session s;
  s.user = name->get<std::string>();
  s.display_name = display->get<std::string>();
  s.role = *r;
  s.scope = scope->get<std::string>();
  if (token) s.token = token->get<std::string>();
  if (auto it = j.find("expires_at"); it != j.end() && it->is_number_integer()) s.expires_at_ms = it->get<int64_t>();
  if (s.user.empty()) return bad("the user has no name");
  return s;
}

}  // namespace

Result<Session> parse_login_answer(std::string_view body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) return bad("the login answer is not JSON");
  return session_from_json(j, true);
}

Result<std::optional<Session>> load_session(Store& store) {
  auto text = store.read_value(kSessionKey);
  if (!text) return text.error();
  if (!*text) return std::optional<Session>{};
  auto j = nlohmann::json::parse(**text, nullptr, false);
  if (j.is_discarded()) return bad("the kept session is not JSON");
  auto s = session_from_json(j, false);
  if (!s) return s.error();
  return std::optional<Session>{std::move(s).value()};
}

Result<void> save_session(Store& store, const Session& s) {
  const nlohmann::json j = {{"token", s.token},
                            {"expires_at", s.expires_at_ms},
                            {"user", {{"name", s.user}, {"display_name", s.display_name},
                                      {"role", std::string(to_string(s.role))}, {"scope", s.scope}}}};
  return store.write_value(kSessionKey, j.dump());
}

Result<People> parse_people_answer(std::string_view body) {
  using V = nlohmann::json::value_t;
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) return bad("the users answer is not JSON");
  const auto* users = member(j, "users", V::array);
  if (!users) return bad("the users answer has no users");
  People out;
  for (const nlohmann::json& u : *users) {
    const auto* name = member(u, "name", V::string);
    const auto* display = member(u, "display_name", V::string);
    if (!name || !display) return bad("a user without name or display_name");
    const std::string& shown = display->get_ref<const std::string&>();
    out[name->get<std::string>()] = shown.empty() ? name->get<std::string>() : shown;
  }
  return out;
}

People load_people(Store& store) {
  auto kept = store.read_value(kPeopleKey);
  if (!kept || !*kept) return {};
  auto people = parse_people_answer(**kept);
  return people ? std::move(people).value() : People{};
}

Result<People> keep_people(Store& store, std::string_view body) {
  auto people = parse_people_answer(body);
  if (!people) return people.error();
  if (auto w = store.write_value(kPeopleKey, std::string(body)); !w) return w.error();
  return people;
}

Result<ReplicaId> device_replica(Store& store, const uint8_t (&random)[16]) {
  auto kept = store.read_value(kReplicaKey);
  if (!kept) return kept.error();
  if (*kept) {
    if (auto id = parse_replica_id(**kept)) return *id;
    return bad("the kept replica id is malformed");
  }
  const ReplicaId id = replica_id_from_bytes(random);
  if (auto w = store.write_value(kReplicaKey, to_hex(id)); !w) return w.error();
  return id;
}

Result<void> set_device_replica(Store& store, const ReplicaId& id) { return store.write_value(kReplicaKey, to_hex(id)); }

Result<std::string> data_owner(Store& store) {
  auto kept = store.read_value(kOwnerKey);
  if (!kept) return kept.error();
  return kept->value_or(std::string());
}

Result<void> set_data_owner(Store& store, const std::string& user) { return store.write_value(kOwnerKey, user); }

}  // namespace linli::app
