// Sign-in over HTTP against the real server: tokens, logout, the rate limit, request limits,
// metrics; and the user commands.
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <thread>

#include "sync/calendar_json.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace linli {
namespace {

using nlohmann::json;

// One server for the suite: demo users (password "linli-demo") are hashed with Argon2id at start.
class AuthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_dir = new test::TempDir;
    std::filesystem::create_directories(s_dir->path() / "web");
    std::ofstream(s_dir->file("web/index.html")) << "<!doctype html>";
    s_server = new test::ServerProcess({"--db", s_dir->file("linli.db"), "--web", s_dir->file("web"), "--seed-demo"});
  }
  static void TearDownTestSuite() {
    delete s_server;
    delete s_dir;
  }
  void SetUp() override {
    ASSERT_GT(s_server->port(), 0);
    m_client = std::make_unique<httplib::Client>("127.0.0.1", s_server->port());
  }
  httplib::Result login(const std::string& user, const std::string& password) {
    return m_client->Post("/api/v1/login", json{{"user", user}, {"password", password}}.dump(), "application/json");
  }
  static json body(const httplib::Result& r) { return json::parse(r->body); }

  static test::TempDir* s_dir;
  static test::ServerProcess* s_server;
  std::unique_ptr<httplib::Client> m_client;
};
test::TempDir* AuthTest::s_dir = nullptr;
test::ServerProcess* AuthTest::s_server = nullptr;

TEST_F(AuthTest, LoginGivesATokenWithTheUserRoleAndScope) {
  auto r = login("hebin.li", "linli-demo");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json b = body(r);
  EXPECT_EQ(b["token"].get<std::string>().size(), 43u);
  EXPECT_EQ(b["user"]["role"], "committee");
  EXPECT_EQ(b["user"]["scope"], "河滨花园");
  EXPECT_GT(b["expires_at"].get<int64_t>(), 0);
  auto me = m_client->Get("/api/v1/me", {{"Authorization", "Bearer " + b["token"].get<std::string>()}});
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200);
  EXPECT_EQ(body(me)["user"]["name"], "hebin.li");
}

TEST_F(AuthTest, ASignedInUserReadsTheStreetsPeopleByName) {
  EXPECT_EQ(m_client->Get("/api/v1/users")->status, 401);
  auto r = login("chuhai.chen", "linli-demo");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  auto people = m_client->Get("/api/v1/users", {{"Authorization", "Bearer " + body(r)["token"].get<std::string>()}});
  ASSERT_TRUE(people);
  ASSERT_EQ(people->status, 200);
  const json users = body(people)["users"];
  ASSERT_TRUE(users.is_array());
  std::map<std::string, json> by_name;
  for (const json& u : users) {
    for (const char* k : {"name", "display_name", "role", "scope"}) EXPECT_TRUE(u[k].is_string()) << u.dump();
    EXPECT_TRUE(u["disabled"].is_boolean()) << u.dump();
    EXPECT_FALSE(u.contains("password_hash") || u.contains("id")) << "only what a timeline shows";
    by_name[u["name"]] = u;
  }
  EXPECT_GE(by_name.size(), 4u);
  EXPECT_EQ(by_name["zhang.bin"]["display_name"], "张斌（城运中心）");
  EXPECT_EQ(by_name["guanli.wang"]["role"], "department");
  EXPECT_EQ(by_name["guanli.wang"]["scope"], "管理办");
  EXPECT_FALSE(by_name.count("@server")) << "the server's claim on its replica id is no person";
}

TEST_F(AuthTest, NoTokenOrABadOneIs401) {
  auto none = m_client->Get("/api/v1/me");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(body(none)["error"]["code"], "unauthenticated");
  auto bad = m_client->Get("/api/v1/me", {{"Authorization", "Bearer not-a-token"}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 401);
  EXPECT_EQ(body(bad)["error"]["code"], "invalid_token");
}

TEST_F(AuthTest, ALoggedOutTokenIsRefused) {
  auto r = login("zhang.bin", "linli-demo");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  const httplib::Headers auth = {{"Authorization", "Bearer " + body(r)["token"].get<std::string>()}};
  auto out = m_client->Post("/api/v1/logout", auth, "", "application/json");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 200);
  EXPECT_EQ(body(out)["revoked"], true);
  auto me = m_client->Get("/api/v1/me", auth);
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 401);
}

TEST_F(AuthTest, WrongPasswordAndUnknownUserGetTheSameAnswer) {
  auto wrong = login("guanli.wang", "wrong-password");
  auto unknown = login("nobody.here", "wrong-password");
  ASSERT_TRUE(wrong && unknown);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(unknown->status, 401);
  EXPECT_EQ(wrong->body, unknown->body);
}

TEST_F(AuthTest, TheLoginRateLimitHoldsPerUser) {
  for (int i = 0; i < 5; ++i) {
    auto r = login("chuhai.chen", "guess-" + std::to_string(i));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
  }
  auto limited = login("chuhai.chen", "linli-demo");  // Even the right password waits now.
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(body(limited)["error"]["code"], "rate_limited");
  EXPECT_GT(std::stoi(limited->get_header_value("Retry-After")), 0);
  auto other = login("hebin.li", "linli-demo");  // Another user is not locked out.
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 200);
}

TEST_F(AuthTest, BadBodiesGetTheirOwnErrors) {
  struct Case {
    std::string body, type;
    int status;
    std::string code;
  };
  const std::vector<Case> cases = {
      {"{\"user\": \"x\"", "application/json", 400, "bad_json"},
      {"{\"user\": \"x\", \"password\": 7}", "application/json", 400, "bad_request"},
      {"user=x&password=y", "application/x-www-form-urlencoded", 415, "unsupported_media_type"},
      {std::string(100, '[') + std::string(100, ']'), "application/json", 400, "too_deep"},
      {"{\"user\": \"\xff\xfe\", \"password\": \"x\"}", "application/json", 400, "bad_json"},
      {std::string(9 * 1024 * 1024, ' '), "application/json", 413, "too_large"},
  };
  for (const Case& c : cases) {
    auto r = m_client->Post("/api/v1/login", c.body, c.type);
    ASSERT_TRUE(r) << c.code;
    EXPECT_EQ(r->status, c.status) << c.code;
    EXPECT_EQ(body(r)["error"]["code"], c.code) << r->body;
  }
}

TEST_F(AuthTest, MetricsCountRequestsInPrometheusFormat) {
  ASSERT_TRUE(m_client->Get("/healthz"));
  // A request is counted by the log hook, which runs once its answer is written: a /metrics
  // served meanwhile on another connection may not show it yet. Ask again for up to 2 s.
  httplib::Result m = m_client->Get("/metrics");
  for (int i = 0; i < 40 && m && m->body.find("route=\"/healthz\"") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    m = m_client->Get("/metrics");
  }
  ASSERT_TRUE(m);
  EXPECT_EQ(m->status, 200);
  EXPECT_NE(m->body.find("# TYPE linli_http_requests_total counter"), std::string::npos);
  EXPECT_NE(m->body.find("linli_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"),
            std::string::npos) << m->body;
  EXPECT_NE(m->body.find("linli_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"}"),
            std::string::npos);
  EXPECT_NE(m->body.find("linli_changes_total{result=\"accepted\"}"), std::string::npos);
}

TEST(UserCommands, AddListDisableAndChangeThePassword) {
  test::TempDir dir;
  const std::string db = dir.file("u.db");
  auto [added, out] = test::ServerProcess::run(
      {"user", "add", "hebin.li", "--role", "committee", "--scope", "河滨花园", "--display", "李主任", "--db", db},
      "good-password\n");
  EXPECT_EQ(added, 0) << out;
  auto [listed, list] = test::ServerProcess::run({"user", "list", "--db", db});
  EXPECT_EQ(listed, 0);
  EXPECT_NE(list.find("hebin.li"), std::string::npos);
  EXPECT_NE(list.find("河滨花园"), std::string::npos);
  auto [weak, weak_out] = test::ServerProcess::run({"user", "passwd", "hebin.li", "--db", db}, "short\n");
  EXPECT_EQ(weak, 1);
  EXPECT_NE(weak_out.find("at least 8 characters"), std::string::npos);
  auto [disabled, d_out] = test::ServerProcess::run({"user", "disable", "hebin.li", "--db", db});
  EXPECT_EQ(disabled, 0) << d_out;
  auto [after, list2] = test::ServerProcess::run({"user", "list", "--db", db});
  EXPECT_NE(list2.find("(disabled)"), std::string::npos);
  auto [no_scope, ns_out] = test::ServerProcess::run({"user", "add", "li.si", "--role", "field", "--db", db}, "good-password\n");
  EXPECT_EQ(no_scope, 1);
  EXPECT_NE(ns_out.find("needs a scope"), std::string::npos);
}

TEST(BackupCommand, CopiesTheDatabaseOnline) {
  test::TempDir dir;
  const std::string db = dir.file("src.db");
  auto [added, out] = test::ServerProcess::run({"user", "add", "zhang.bin", "--role", "centre", "--db", db}, "good-password\n");
  ASSERT_EQ(added, 0) << out;
  auto [copied, c_out] = test::ServerProcess::run({"backup", "--to", dir.file("copy.db"), "--db", db});
  EXPECT_EQ(copied, 0) << c_out;
  auto [listed, list] = test::ServerProcess::run({"user", "list", "--db", dir.file("copy.db")});
  EXPECT_NE(list.find("zhang.bin"), std::string::npos);
  auto [missing, m_out] = test::ServerProcess::run({"backup", "--db", db});
  EXPECT_EQ(missing, 2);
}

}  // namespace
}  // namespace linli

namespace linli {
namespace {

TEST(CalendarCommand, AddsANoticeTheServerThenComputesWithAndServes) {
  test::TempDir dir;
  const std::string db = dir.file("c.db");
  {
    std::ofstream bad(dir.file("bad.json"));
    bad << R"({"holidays": [["2027-02-10", "2027-02-06"]], "workdays": []})";
    std::ofstream good(dir.file("2027.json"));
    good << R"({"source": "国务院办公厅关于2027年部分节假日安排的通知", "holidays": [["2027-01-01", "2027-01-03"]],
                "workdays": ["2027-02-20"]})";
  }
  auto [refused, r_out] = test::ServerProcess::run({"calendar", "add", "2027", dir.file("bad.json"), "--db", db});
  EXPECT_EQ(refused, 1);
  EXPECT_NE(r_out.find("ends before it begins"), std::string::npos) << r_out;
  auto [wrong, w_out] = test::ServerProcess::run({"calendar", "add", "27", dir.file("2027.json"), "--db", db});
  EXPECT_EQ(wrong, 2) << w_out;
  auto [added, a_out] = test::ServerProcess::run({"calendar", "add", "2027", dir.file("2027.json"), "--db", db});
  EXPECT_EQ(added, 0) << a_out;
  auto [listed, list] = test::ServerProcess::run({"calendar", "list", "--db", db});
  EXPECT_EQ(listed, 0);
  EXPECT_NE(list.find("2026"), std::string::npos);
  EXPECT_NE(list.find("2027\t1 holidays\t1 make-up"), std::string::npos) << list;

  std::filesystem::create_directories(dir.path() / "web");
  std::ofstream(dir.file("web/index.html")) << "<!doctype html>";
  test::ServerProcess server({"--db", db, "--web", dir.file("web")});
  ASSERT_GT(server.port(), 0);
  httplib::Client http("127.0.0.1", server.port());
  auto res = http.Get("/api/v1/calendar");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  auto served = parse_calendar_json(res->body);
  ASSERT_TRUE(served) << res->body;
  EXPECT_EQ(served->years(), (std::vector<int>{2020, 2025, 2026, 2027}));
  EXPECT_EQ(served->is_workday(*parse_iso_day("2027-02-20")), true);  // A Saturday worked.
}

}  // namespace
}  // namespace linli
