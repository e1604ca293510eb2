// Hotline intake over HTTP against the real server: the API key, every field checked, idempotent
// by the hotline's number, and the ticket then in the store for everyone to pull.
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <thread>

#include "support/server_process.h"
#include "support/temp_dir.h"

namespace linli {
namespace {

using nlohmann::json;

constexpr const char* kKey = "12345-platform-key-7f3a9c";

json hotline_ticket(const std::string& number) {
  return {{"hotline_number", number},      {"received_at", int64_t{1764380000000}},
          {"citizen_name", "王先生"},      {"citizen_phone", "13812345678"},
          {"community", "河滨花园"},       {"address", "中华新路927弄12号"},
          {"category", "hoarding_refuse"}, {"urgency", "urgent"},
          {"title", "楼道堆物又反弹"},     {"description", "居民反映楼道内堆物堵塞消防通道。"}};
}

class IntakeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_dir = new test::TempDir;
    std::filesystem::create_directories(s_dir->path() / "web");
    std::ofstream(s_dir->file("web/index.html")) << "<!doctype html>";
    std::ofstream(s_dir->file("intake-keys"))
        << "# 12345 platform, issued 2026-11\n\n  " << kKey << "  \r\nold-key-withdrawn-later\n";
    s_server = new test::ServerProcess({"--db", s_dir->file("linli.db"), "--web", s_dir->file("web"), "--seed-demo",
                                        "--intake-key-file", s_dir->file("intake-keys")});
  }
  static void TearDownTestSuite() {
    delete s_server;
    delete s_dir;
  }
  void SetUp() override {
    ASSERT_GT(s_server->port(), 0);
    m_client = std::make_unique<httplib::Client>("127.0.0.1", s_server->port());
  }
  httplib::Result post(const json& body, const std::string& key = kKey) {
    httplib::Headers h;
    if (!key.empty()) h.emplace("X-Api-Key", key);
    return m_client->Post("/api/v1/intake/tickets", h, body.dump(), "application/json");
  }
  int64_t ticket_count() {
    auto r = m_client->Get("/healthz");
    return r ? json::parse(r->body)["tickets"].get<int64_t>() : -1;
  }
  static json body(const httplib::Result& r) { return json::parse(r->body); }

  static test::TempDir* s_dir;
  static test::ServerProcess* s_server;
  std::unique_ptr<httplib::Client> m_client;
};
test::TempDir* IntakeTest::s_dir = nullptr;
test::ServerProcess* IntakeTest::s_server = nullptr;

TEST_F(IntakeTest, ANewHotlineTicketIs201AndTheSameNumberAgainIs200WithTheSameTicket) {
  const int64_t before = ticket_count();
  auto first = post(hotline_ticket("SH12345-20261129-000101"));
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 201) << first->body;
  const std::string id = body(first)["ticket"];
  EXPECT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{32}"))) << id;
  EXPECT_EQ(body(first)["hotline_number"], "SH12345-20261129-000101");
  EXPECT_EQ(ticket_count(), before + 1);

  json changed = hotline_ticket("SH12345-20261129-000101");
  changed["title"] = "平台重发";  // A retry is the same ticket, whatever it says now.
  auto again = post(changed);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200) << again->body;
  EXPECT_EQ(body(again)["ticket"], id);
  EXPECT_EQ(ticket_count(), before + 1);

  auto other = post(hotline_ticket("SH12345-20261129-000102"));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 201);
  EXPECT_NE(body(other)["ticket"], id);
}

TEST_F(IntakeTest, ANewTicketGetsItsOfficialNumber) {
  auto r = post(hotline_ticket("SH12345-20261129-000201"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  ASSERT_TRUE(body(r).contains("official_number")) << r->body;
  EXPECT_TRUE(std::regex_match(body(r)["official_number"].get<std::string>(), std::regex(R"(\d{4}-\d{2}-\d{4,})")));
}

TEST_F(IntakeTest, ConcurrentDeliveriesOfOneNumberMakeOneTicket) {
  const int64_t before = ticket_count();
  std::vector<std::thread> threads;
  std::vector<std::string> ids(8);
  std::vector<int> statuses(8);
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      httplib::Client c("127.0.0.1", s_server->port());
      auto r = c.Post("/api/v1/intake/tickets", {{"X-Api-Key", kKey}}, hotline_ticket("SH12345-20261129-000301").dump(),
                      "application/json");
      if (r && (r->status == 200 || r->status == 201)) ids[i] = json::parse(r->body)["ticket"];
      statuses[i] = r ? r->status : -1;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 1);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), 7);
  for (const std::string& id : ids) EXPECT_EQ(id, ids[0]);
  EXPECT_EQ(ticket_count(), before + 1);
}

TEST_F(IntakeTest, AMissingOrWrongKeyIs401) {
  const int64_t before = ticket_count();
  auto none = post(hotline_ticket("SH12345-20261129-000401"), "");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(body(none)["error"]["code"], "unauthenticated");
  for (const std::string& wrong : {std::string("12345-platform-key-7f3a9"), std::string(kKey) + "x",
                                   std::string("# 12345 platform, issued 2026-11")}) {
    auto r = post(hotline_ticket("SH12345-20261129-000401"), wrong);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401) << wrong;
    EXPECT_EQ(body(r)["error"]["code"], "invalid_api_key");
  }
  auto second_key = post(hotline_ticket("SH12345-20261129-000402"), "old-key-withdrawn-later");
  ASSERT_TRUE(second_key);
  EXPECT_EQ(second_key->status, 201) << second_key->body;
  EXPECT_EQ(ticket_count(), before + 1);
}

TEST(IntakeKeys, AKeyRemovedFromTheFileStopsWorkingWithoutARestart) {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "web");
  std::ofstream(dir.file("web/index.html")) << "<!doctype html>";
  std::ofstream(dir.file("keys")) << "temporary-key-abcdef\n";
  test::ServerProcess server(
      {"--db", dir.file("linli.db"), "--web", dir.file("web"), "--intake-key-file", dir.file("keys")});
  ASSERT_GT(server.port(), 0);
  httplib::Client c("127.0.0.1", server.port());
  auto send = [&] {
    return c.Post("/api/v1/intake/tickets", {{"X-Api-Key", "temporary-key-abcdef"}},
                  hotline_ticket("SH12345-20261129-000501").dump(), "application/json");
  };
  auto ok = send();
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 201) << ok->body;
  std::ofstream(dir.file("keys"), std::ios::trunc) << "another-key-123456\n";
  auto withdrawn = send();
  ASSERT_TRUE(withdrawn);
  EXPECT_EQ(withdrawn->status, 401);
}

TEST_F(IntakeTest, EachMissingOrMistypedFieldIs400NamingIt) {
  const int64_t before = ticket_count();
  for (const char* field : {"hotline_number", "received_at", "citizen_name", "citizen_phone", "community", "address",
                            "category", "urgency", "title", "description"}) {
    json missing = hotline_ticket("SH12345-20261129-000601");
    missing.erase(field);
    auto r = post(missing);
    ASSERT_TRUE(r) << field;
    EXPECT_EQ(r->status, 400) << field;
    EXPECT_EQ(body(r)["error"]["code"], "bad_request");
    EXPECT_EQ(body(r)["error"]["message"], std::string("[intake] field \"") + field + "\": missing");

    json mistyped = hotline_ticket("SH12345-20261129-000601");
    mistyped[field] = json::array();
    auto t = post(mistyped);
    ASSERT_TRUE(t) << field;
    EXPECT_EQ(t->status, 400) << field;
    EXPECT_NE(body(t)["error"]["message"].get<std::string>().find(std::string("\"") + field + "\""), std::string::npos);
  }
  struct Case {
    const char* field;
    json value;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"received_at", -5,
       "[intake] field \"received_at\": must be a positive whole number of milliseconds since 1970 (UTC)"},
      {"received_at", 1.5e12,
       "[intake] field \"received_at\": must be a positive whole number of milliseconds since 1970 (UTC)"},
      {"urgency", "asap", "[intake] field \"urgency\": must be \"urgent\" or \"normal\""},
      {"hotline_number", "", "[intake] field \"hotline_number\": must be 1 to 64 bytes"},
      {"hotline_number", std::string(65, '7'), "[intake] field \"hotline_number\": must be 1 to 64 bytes"},
      {"hotline_number", "SH\n1", "[intake] field \"hotline_number\": must not hold control characters"},
  };
  for (const Case& c : cases) {
    json b = hotline_ticket("SH12345-20261129-000602");
    b[c.field] = c.value;
    auto r = post(b);
    ASSERT_TRUE(r) << c.message;
    EXPECT_EQ(r->status, 400) << c.message;
    EXPECT_EQ(body(r)["error"]["message"], c.message);
  }
  json bad_category = hotline_ticket("SH12345-20261129-000603");
  bad_category["category"] = "rats";
  auto r = post(bad_category);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(
      body(r)["error"]["message"].get<std::string>().find("unknown code \"rats\"; one of sanitation, pest_control"),
      std::string::npos)
      << r->body;
  auto not_object = m_client->Post("/api/v1/intake/tickets", {{"X-Api-Key", kKey}}, "[1,2]", "application/json");
  ASSERT_TRUE(not_object);
  EXPECT_EQ(not_object->status, 400);
  auto not_json = m_client->Post("/api/v1/intake/tickets", {{"X-Api-Key", kKey}}, "{", "application/json");
  ASSERT_TRUE(not_json);
  EXPECT_EQ(body(not_json)["error"]["code"], "bad_json");
  EXPECT_EQ(ticket_count(), before);
}

TEST_F(IntakeTest, ATicketTheRulesRefuseIs422NamingEveryField) {
  const int64_t before = ticket_count();
  json b = hotline_ticket("SH12345-20261129-000701");
  b["citizen_phone"] = "12";
  b["title"] = "";
  b["address"] = std::string(121 * 3, 'x');
  auto r = post(b);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 422) << r->body;
  EXPECT_EQ(body(r)["error"]["code"], "invalid_ticket");
  EXPECT_EQ(body(r)["error"]["message"], "citizen_phone: bad_format; address: too_long; title: missing");
  EXPECT_EQ(body(r)["error"]["fields"][0], (json{{"field", "citizen_phone"}, {"problem", "bad_format"}}));
  EXPECT_EQ(ticket_count(), before);
  // Refused, the number is not taken: the corrected ticket is new.
  auto fixed = post(hotline_ticket("SH12345-20261129-000701"));
  ASSERT_TRUE(fixed);
  EXPECT_EQ(fixed->status, 201) << fixed->body;
}

TEST(IntakeOff, WithoutAKeyFileIntakeIs503) {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "web");
  std::ofstream(dir.file("web/index.html")) << "<!doctype html>";
  test::ServerProcess server({"--db", dir.file("linli.db"), "--web", dir.file("web")});
  ASSERT_GT(server.port(), 0);
  httplib::Client c("127.0.0.1", server.port());
  auto r = c.Post("/api/v1/intake/tickets", {{"X-Api-Key", kKey}}, hotline_ticket("X-1").dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(json::parse(r->body)["error"]["code"], "intake_disabled");
}

}  // namespace
}  // namespace linli
