// Who is signed in on this device, kept in the local store so that a user who closes the browser
// and opens the app with no network is still signed in. The replica id and the user whose data
// the device holds outlive a sign-out: the id is the device's for good (docs/protocol.md,
// Conventions), and the data belongs to that one user until the device's data is cleared.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/hlc.h"
#include "core/result.h"
#include "core/workflow.h"
#include "store/store.h"

namespace linli::app {

struct Session {
  std::string user;          // Login name: the author of every change.
  std::string display_name;  // "李主任（河滨花园居委）".
  Role role = Role::Centre;
  std::string scope;         // Community, department or empty (the centre).
  std::string token;         // Empty once the server refused it (401) or the user signed out.
  int64_t expires_at_ms = 0;
  friend bool operator==(const Session&, const Session&) = default;
};

// The login answer's body (docs/protocol.md, Sign-in) as a session.
Result<Session> parse_login_answer(std::string_view body);

// The session kept on this device: nullopt when nobody ever signed in (or the data was cleared).
Result<std::optional<Session>> load_session(Store& store);
Result<void> save_session(Store& store, const Session& session);

// The street's people (GET /api/v1/users, docs/protocol.md "Sign-in"): each login name's display
// name ("张斌（城运中心）"), for the names in timelines. Kept on the device, so they show offline.
using People = std::map<std::string, std::string, std::less<>>;
Result<People> parse_people_answer(std::string_view body);
// The people last kept (empty when never fetched or the kept copy is unreadable).
People load_people(Store& store);
// Keeps a /users answer and returns what it says; an answer that is not one is refused, the kept
// copy untouched.
Result<People> keep_people(Store& store, std::string_view body);

// This device's replica id: made once from `random` and kept. `random` is read only the first time.
Result<ReplicaId> device_replica(Store& store, const uint8_t (&random)[16]);
// Keeps `id` as this device's replica id from now on (ClientSync::start_again).
Result<void> set_device_replica(Store& store, const ReplicaId& id);

// The login name whose data this device holds (empty: nobody's yet).
Result<std::string> data_owner(Store& store);
Result<void> set_data_owner(Store& store, const std::string& user);

}  // namespace linli::app
