// What the server tests of push and pull share: a signed-in replica that builds changes as the app
// would, and a fixture running the real linli-server with the demo accounts on a free loopback port.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/change.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "sync/wire.h"

namespace linli::test {

using json = nlohmann::json;


// A signed-in replica: its own id and counter, building changes as the app would.
struct Replica {
  std::string user;
  Role role;
  std::string token;
  ReplicaId id;
  uint64_t counter = 0;
  int64_t clock = 1'795'960'000'000;

  Change next(const std::string& ticket, ChangeKind kind) {
    Change c;
    c.id = ChangeId{id, ++counter};
    c.stamp = Hlc{++clock, 0};
    c.ticket_id = ticket;
    c.author = Author{user, role};
    c.kind = kind;
    return c;
  }
  Change create(const std::string& ticket, const std::string& community) {
    Change c = next(ticket, ChangeKind::CreateTicket);
    Ticket& t = c.ticket;
    t.id = ticket;
    t.source = Source::Hotline;
    t.received_at_ms = clock;
    t.citizen_name = "王女士";
    t.citizen_phone = "13917261234";
    t.community = community;
    t.address = community + "3号楼";
    t.title = "楼道堆物影响通行";
    t.created_at_ms = t.updated_at_ms = clock;
    return c;
  }
  Change note(const std::string& ticket, const std::string& text) {
    Change c = next(ticket, ChangeKind::AddEntry);
    c.entry.kind = EntryKind::HandlingNote;
    c.entry.text = text;
    return c;
  }
};

inline std::string ticket_id(int n) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%032x", n);
  return buf;
}

class SyncFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(m_dir.path() / "web");
    std::ofstream(m_dir.file("web/index.html")) << "<!doctype html>";
    m_server = std::make_unique<test::ServerProcess>(
        std::vector<std::string>{"--db", m_dir.file("linli.db"), "--web", m_dir.file("web"), seed_flag()});
    ASSERT_GT(m_server->port(), 0);
    m_http = std::make_unique<httplib::Client>("127.0.0.1", m_server->port());
  }

  // The demo accounts on an empty street; a fixture that wants the demo street says --seed-demo.
  virtual std::string seed_flag() const { return "--demo-users"; }

  Replica sign_in(const std::string& user, Role role, uint8_t seed) {
    auto r = m_http->Post("/api/v1/login", json{{"user", user}, {"password", "linli-demo"}}.dump(), "application/json");
    EXPECT_TRUE(r && r->status == 200);
    uint8_t bytes[16] = {seed, 7, 7, 7};
    return Replica{user, role, json::parse(r->body)["token"], replica_id_from_bytes(bytes)};
  }
  httplib::Result push(const Replica& r, const std::vector<Change>& changes, int schema = kWireSchema) {
    PushRequest p;
    p.replica = r.id;
    p.changes = changes;
    p.schema = schema;
    p.client_time_ms = r.clock;
    return m_http->Post("/api/v1/sync/push", {{"Authorization", "Bearer " + r.token}}, encode(p), "application/json");
  }
  // `took`: the answer named as taken last (-1: none named, as an app from before answers had ids).
  PullResponse pull(const Replica& r, int64_t cursor, int wait = 0, int64_t took = -1) {
    auto res = m_http->Get("/api/v1/sync/pull?replica=" + to_hex(r.id) + "&cursor=" + std::to_string(cursor) +
                               "&limit=500&wait=" + std::to_string(wait) +
                               (took >= 0 ? "&took=" + std::to_string(took) : std::string()),
                           {{"Authorization", "Bearer " + r.token}});
    EXPECT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
    auto decoded = decode_pull_response(res->body);
    EXPECT_TRUE(decoded) << (decoded ? std::string() : decoded.error().detail) << " in " << res->body.substr(0, 400);
    return decoded ? *decoded : PullResponse{};
  }
  static std::set<std::string> tickets_in(const PullResponse& p) {
    std::set<std::string> out;
    for (const auto& c : p.changes) out.insert(c.change.ticket_id);
    return out;
  }
  static json body(const httplib::Result& r) { return json::parse(r->body); }

  test::TempDir m_dir;
  std::unique_ptr<test::ServerProcess> m_server;
  std::unique_ptr<httplib::Client> m_http;
};

}  // namespace linli::test
