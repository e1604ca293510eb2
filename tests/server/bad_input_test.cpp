// Bad input for push and pull against the real server, one table row per case: each gets its
// status and error code (docs/protocol.md, Errors), and the database is unchanged afterwards
// (the ticket count of /healthz and a centre's full pull are the same as before).
#include <gtest/gtest.h>

#include <functional>

#include "support/changes.h"
#include "support/sync_http.h"
#include "support/temp_dir.h"

namespace linli {
namespace {

using nlohmann::json;

enum class Caller { Centre, Committee, NoToken, BadToken };

struct BadInput {
  const char* name;
  const char* method;  // "POST" (a push) or "GET" (a pull; `body` is then the query).
  std::function<std::string(const ReplicaId&)> body;
  int status;
  const char* code;
  Caller caller = Caller::Centre;
  const char* content_type = "application/json";
};

// The replica hebin.li claims before the table runs: any other user's use of it is forged.
const ReplicaId kCommitteeReplica{0xC0FFEE, 0xC0FFEE};

std::string ticket(int n) { return test::ticket_id(9000 + n); }

// A well-formed push from `r` as zhang.bin: a new ticket, then `more` changes by the same maker.
PushRequest good_push(const ReplicaId& r, int n, const std::function<void(test::Maker&, PushRequest&)>& more = {}) {
  test::Maker m(r, Role::Centre, "zhang.bin");
  PushRequest p;
  p.replica = r;
  p.client_time_ms = 1'795'960'000'000;
  p.changes.push_back(m.create(ticket(n), 1'795'960'000'000));
  if (more) more(m, p);
  return p;
}

// The encoded good push with one edit to its JSON.
std::string edited(const ReplicaId& r, int n, const std::function<void(json&)>& edit) {
  json j = json::parse(encode(good_push(r, n)));
  edit(j);
  return j.dump();
}

std::string nested(int depth) { return std::string(static_cast<size_t>(depth), '[') + std::string(static_cast<size_t>(depth), ']'); }

std::string pull_query(const ReplicaId& r, const std::string& rest) { return "replica=" + to_hex(r) + "&" + rest; }

const std::vector<BadInput>& table() {
  static const std::vector<BadInput> rows = {
      // Not JSON, or not the push's shape.
      {"malformed_json", "POST", [](const ReplicaId&) { return std::string(R"({"type": "push", "replica": )"); }, 400, "bad_json"},
      {"invalid_utf8_outside_any_string", "POST",
       [](const ReplicaId& r) {
         std::string s = encode(good_push(r, 1));
         s.insert(s.find("\"changes\""), "\xff");
         return s;
       },
       400, "bad_json"},
      {"not_an_object", "POST", [](const ReplicaId&) { return std::string("[1, 2, 3]"); }, 400, "bad_request"},
      {"missing_replica", "POST", [](const ReplicaId& r) { return edited(r, 2, [](json& j) { j.erase("replica"); }); }, 400, "bad_request"},
      {"replica_not_hex", "POST", [](const ReplicaId& r) { return edited(r, 3, [](json& j) { j["replica"] = "not-hex"; }); }, 400, "bad_request"},
      {"changes_not_an_array", "POST", [](const ReplicaId& r) { return edited(r, 4, [](json& j) { j["changes"] = json::object(); }); }, 400, "bad_request"},
      {"counter_is_a_string", "POST",
       [](const ReplicaId& r) { return edited(r, 5, [](json& j) { j["changes"][0]["id"]["counter"] = "1"; }); }, 400, "bad_request"},
      {"schema_is_a_string", "POST", [](const ReplicaId& r) { return edited(r, 6, [](json& j) { j["schema"] = "1"; }); }, 400, "bad_request"},
      {"a_change_without_its_id", "POST",
       [](const ReplicaId& r) { return edited(r, 7, [](json& j) { j["changes"][0].erase("id"); }); }, 400, "bad_request"},
      {"nested_too_deep", "POST", [](const ReplicaId&) { return nested(33); }, 400, "too_deep"},
      {"nested_too_deep_inside_a_change", "POST",
       [](const ReplicaId& r) { return edited(r, 8, [](json& j) { j["changes"][0]["extra"] = json::parse(nested(40)); }); }, 400, "too_deep"},
      {"over_the_json_limit", "POST",
       [](const ReplicaId& r) { return edited(r, 9, [](json& j) { j["padding"] = std::string(8 * 1024 * 1024, 'x'); }); }, 413, "too_large"},
      {"over_the_body_limit", "POST", [](const ReplicaId&) { return std::string(10 * 1024 * 1024 + 1, ' '); }, 413, "too_large"},
      {"more_changes_than_a_message_holds", "POST",
       [](const ReplicaId& r) {
         return encode(good_push(r, 10, [](test::Maker& m, PushRequest& p) {
           while (p.changes.size() <= kMaxChangesPerMessage) p.changes.push_back(m.note(ticket(10), 1'795'960'000'000));
         }));
       },
       400, "bad_request"},
      {"wrong_content_type", "POST", [](const ReplicaId& r) { return encode(good_push(r, 11)); }, 415, "unsupported_media_type",
       Caller::Centre, "text/plain"},
      // Who is asking.
      {"no_token", "POST", [](const ReplicaId& r) { return encode(good_push(r, 12)); }, 401, "unauthenticated", Caller::NoToken},
      {"unknown_token", "POST", [](const ReplicaId& r) { return encode(good_push(r, 13)); }, 401, "invalid_token", Caller::BadToken},
      {"another_users_replica", "POST",
       [](const ReplicaId&) { return encode(good_push(kCommitteeReplica, 14)); }, 403, "forged_replica"},
      {"a_change_of_another_replica", "POST",
       [](const ReplicaId& r) {
         PushRequest p = good_push(ReplicaId{r.hi, r.lo + 1}, 15);
         p.replica = r;
         return encode(p);
       },
       403, "forged_replica"},
      {"another_author", "POST",
       [](const ReplicaId& r) { return edited(r, 16, [](json& j) { j["changes"][0]["user"] = "hebin.li"; }); }, 403, "forged_author"},
      // Schema versions.
      {"stale_schema_0", "POST", [](const ReplicaId& r) { return edited(r, 17, [](json& j) { j["schema"] = 0; }); }, 426, "upgrade_required"},
      {"newer_schema", "POST", [](const ReplicaId& r) { return edited(r, 18, [](json& j) { j["schema"] = kWireSchema + 1; }); }, 422, "unsupported_schema"},
      // Well-formed pushes the server must refuse whole.
      {"a_gap_in_counters", "POST",
       [](const ReplicaId& r) { return edited(r, 19, [](json& j) { j["changes"][0]["id"]["counter"] = 5; }); }, 409, "gap"},
      // A push whose only change is refused on its own (it is read, judged, refused, its counter
      // consumed): the answer names it and the tickets are as they were. A good change beside a
      // refused one is applied: tests/server/push_policy_test.cpp checks that.
      {"a_change_that_breaks_its_rules", "POST",
       [](const ReplicaId& r) {
         return edited(r, 20, [](json& j) { j["changes"][0]["new_ticket"]["title"] = std::string(200, 'x'); });
       },
       422, "invalid"},
      {"an_unknown_change_kind", "POST",
       [](const ReplicaId& r) { return edited(r, 21, [](json& j) { j["changes"][0]["kind"] = "teleport_ticket"; }); }, 422, "invalid"},
      {"invalid_utf8_inside_a_change", "POST",
       [](const ReplicaId& r) {
         std::string s = encode(good_push(r, 23));
         s[s.find("楼道")] = '\xff';
         return s;
       },
       422, "invalid"},
      {"a_change_to_a_ticket_never_seen", "POST",
       [](const ReplicaId& r) { return edited(r, 24, [](json& j) {
         j["changes"][0]["kind"] = "add_entry";
         j["changes"][0]["entry"] = {{"kind", "comment"}, {"text", "无此工单"}};
       }); },
       404, "not_found"},
      {"a_committee_creating_in_another_community", "POST",
       [](const ReplicaId& r) {
         test::Maker m(r, Role::Committee, "hebin.li");
         PushRequest p;
         p.replica = r;
         p.changes.push_back(m.create(ticket(22), 1'795'960'000'000));
         p.changes.back().ticket.community = "长安小区";
         return encode(p);
       },
       403, "out_of_scope", Caller::Committee},
      // Pull parameters.
      {"pull_cursor_negative", "GET", [](const ReplicaId& r) { return pull_query(r, "cursor=-1"); }, 400, "bad_request"},
      {"pull_cursor_not_a_number", "GET", [](const ReplicaId& r) { return pull_query(r, "cursor=abc"); }, 400, "bad_request"},
      {"pull_cursor_overflows", "GET", [](const ReplicaId& r) { return pull_query(r, "cursor=99999999999999999999"); }, 400, "bad_request"},
      {"pull_limit_zero", "GET", [](const ReplicaId& r) { return pull_query(r, "limit=0"); }, 400, "bad_request"},
      {"pull_limit_too_large", "GET", [](const ReplicaId& r) { return pull_query(r, "limit=10001"); }, 400, "bad_request"},
      {"pull_wait_too_long", "GET", [](const ReplicaId& r) { return pull_query(r, "wait=61"); }, 400, "bad_request"},
      {"pull_without_replica", "GET", [](const ReplicaId&) { return std::string("cursor=0"); }, 400, "bad_request"},
      {"pull_replica_not_hex", "GET", [](const ReplicaId&) { return std::string("replica=zz&cursor=0"); }, 400, "bad_request"},
      {"pull_another_users_replica", "GET", [](const ReplicaId&) { return pull_query(kCommitteeReplica, "cursor=0"); }, 403, "forged_replica"},
      {"pull_without_token", "GET", [](const ReplicaId& r) { return pull_query(r, "cursor=0"); }, 401, "unauthenticated", Caller::NoToken},
  };
  return rows;
}

class BadInputTest : public ::testing::TestWithParam<size_t> {
 protected:
  static void SetUpTestSuite() {
    s_dir = new test::TempDir;
    auto args = test::server_args(s_dir->path(), s_dir->file("linli.db"));
    args.push_back("--seed-demo");
    s_server = new test::ServerProcess(args);
    ASSERT_GT(s_server->port(), 0);
    test::SyncHttp http(s_server->port());
    s_centre = http.sign_in("zhang.bin");
    s_committee = http.sign_in("hebin.li");
    ASSERT_FALSE(s_centre.empty());
    ASSERT_FALSE(s_committee.empty());
    auto claimed = http.pull(s_committee, kCommitteeReplica, 0, 1);
    ASSERT_TRUE(claimed && claimed->status == 200);
  }
  static void TearDownTestSuite() {
    delete s_server;
    delete s_dir;
  }

  // What a centre sees of the database: the ticket count and every change in the log.
  std::string snapshot(test::SyncHttp& http) {
    const ReplicaId watcher{0xAB, 0xCD};
    std::string out = std::to_string(http.ticket_count());
    for (int64_t cursor = 0;;) {
      auto r = http.pull(s_centre, watcher, cursor, 1000);
      if (!r || r->status != 200) return "pull failed";
      auto p = decode_pull_response(r->body);
      if (!p) return "pull undecodable";
      for (const SequencedChange& c : p->changes) out += " " + std::to_string(c.seq) + ":" + to_string(c.change.id);
      if (!p->more || p->changes.empty()) return out;
      cursor = p->changes.back().seq;
    }
  }

  static test::TempDir* s_dir;
  static test::ServerProcess* s_server;
  static std::string s_centre, s_committee;
};

test::TempDir* BadInputTest::s_dir = nullptr;
test::ServerProcess* BadInputTest::s_server = nullptr;
std::string BadInputTest::s_centre, BadInputTest::s_committee;

TEST_P(BadInputTest, GetsItsStatusAndCodeAndLeavesTheDatabaseUnchanged) {
  const BadInput& row = table()[GetParam()];
  test::SyncHttp http(s_server->port());
  const std::string before = snapshot(http);
  const ReplicaId replica{0x5EED, 100 + GetParam()};  // Each row its own replica: rows cannot interfere.
  const std::string token = row.caller == Caller::Centre      ? s_centre
                            : row.caller == Caller::Committee ? s_committee
                            : row.caller == Caller::BadToken  ? std::string(43, 'A')
                                                              : std::string();
  const std::string body = row.body(replica);
  auto res = std::string(row.method) == "POST" ? http.post("/api/v1/sync/push", token, body, row.content_type)
                                               : http.get("/api/v1/sync/pull?" + body, token);
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, row.status) << res->body.substr(0, 300);
  const json answer = json::parse(res->body, nullptr, false);
  ASSERT_TRUE(answer.is_object() && answer.contains("error")) << res->body.substr(0, 300);
  EXPECT_EQ(answer["error"].value("code", ""), row.code) << answer["error"].value("message", "");
  EXPECT_EQ(snapshot(http), before) << "the database changed";
}

// `text` as a gzip member (RFC 1952) of one stored deflate block: what any inflater reads back.
std::string gzip_stored(const std::string& text) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : text) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  crc = ~crc;
  std::string out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
  const size_t n = text.size();
  out += '\x01';  // The last block, stored.
  out += static_cast<char>(n & 0xFF);
  out += static_cast<char>((n >> 8) & 0xFF);
  out += static_cast<char>(~n & 0xFF);
  out += static_cast<char>((~n >> 8) & 0xFF);
  out += text;
  for (int i = 0; i < 4; ++i) out += static_cast<char>((crc >> (8 * i)) & 0xFF);
  for (int i = 0; i < 4; ++i) out += static_cast<char>((n >> (8 * i)) & 0xFF);
  return out;
}

// What the HTTP layer refuses before any route reads the request gets a code of docs/protocol.md
// too: a compressed request body (requests are not compressed: not even a well-formed gzip one,
// which httplib would otherwise inflate without bound before the token is checked), and a method
// a path does not take.
TEST_F(BadInputTest, WhatTheHttpLayerRefusesHasADocumentedCode) {
  httplib::Client c("127.0.0.1", s_server->port());
  const std::string push = encode(good_push(ReplicaId{0x5EED, 999}, 30));
  ASSERT_LT(push.size(), 65535u);
  test::SyncHttp http(s_server->port());
  const std::string before = snapshot(http);
  for (const char* coding : {"gzip", "x-gzip", "deflate", "GZIP", "br", "compress", "identity, gzip"}) {
    SCOPED_TRACE(coding);
    const httplib::Headers headers = {{"Authorization", "Bearer " + s_centre}, {"Content-Encoding", coding}};
    auto compressed = c.Post("/api/v1/sync/push", headers, gzip_stored(push), "application/json");
    ASSERT_TRUE(compressed);
    EXPECT_EQ(compressed->status, 400);
    EXPECT_EQ(json::parse(compressed->body, nullptr, false)["error"].value("code", ""), "bad_request") << compressed->body;
  }
  EXPECT_EQ(snapshot(http), before) << "a compressed push was applied";
  // `identity` is no compression: the request is read as sent.
  const httplib::Headers identity = {{"Authorization", "Bearer " + s_centre}, {"Content-Encoding", "Identity"}};
  auto me = c.Get("/api/v1/me", identity);
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200) << me->body;
  const httplib::Headers bearer = {{"Authorization", "Bearer " + s_centre}};
  auto wrong_method = c.Get("/api/v1/sync/push", bearer);
  ASSERT_TRUE(wrong_method);
  EXPECT_EQ(wrong_method->status, 404);
  EXPECT_EQ(json::parse(wrong_method->body, nullptr, false)["error"].value("code", ""), "not_found") << wrong_method->body;
}

INSTANTIATE_TEST_SUITE_P(PushAndPull, BadInputTest, ::testing::Range<size_t>(0, table().size()),
                         [](const ::testing::TestParamInfo<size_t>& p) { return std::string(table()[p.param].name); });

}  // namespace
}  // namespace linli
