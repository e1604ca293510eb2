// The server's clock against the real server: every stamp it accepts in a push (clamped or not,
// R11) moves its clock, so the changes it authors afterwards (official numbers, hotline tickets)
// are stamped after what they follow, whatever the pushing device's clock says; and a restart
// does not take the clock back.
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/change.h"
#include "support/changes.h"
#include "support/server_process.h"
#include "support/sync_http.h"
#include "support/temp_dir.h"
#include "sync/wire.h"

namespace linli {
namespace {

using nlohmann::json;

constexpr const char* kKey = "12345-platform-key-clock";
constexpr int64_t kSecond = 1000;
constexpr int64_t kHour = 3600 * kSecond;

std::string hex_ticket(int n) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%032x", 0xc10c0000 + n);
  return buf;
}

// What the server kept of one pushed change.
struct Kept {
  Hlc stamp;
  int64_t skew_ms = 0;
};

class ServerClock {
 public:
  explicit ServerClock(const test::TempDir& dir) : m_dir(dir) {
    std::filesystem::create_directories(dir.path() / "web");
    std::ofstream(dir.file("web/index.html")) << "<!doctype html>";
    std::ofstream(dir.file("keys")) << kKey << "\n";
    start();
  }
  void start() {
    m_server = std::make_unique<test::ServerProcess>(std::vector<std::string>{
        "--db", m_dir.file("linli.db"), "--web", m_dir.file("web"), "--seed-demo", "--intake-key-file", m_dir.file("keys")});
    m_http = std::make_unique<test::SyncHttp>(m_server->port());
    m_token = m_http->sign_in("zhang.bin");
  }
  void restart() {
    m_http.reset();
    EXPECT_EQ(m_server->stop(), 0);
    start();
  }
  bool up() const { return m_server->port() > 0 && !m_token.empty(); }

  // A device whose clock is `skew_ms` off pushes the creation of ticket `ticket`.
  std::optional<Kept> push_create(uint64_t device, int64_t skew_ms, const std::string& ticket) {
    test::Maker maker(test::replica(device), Role::Centre, "zhang.bin");
    PushRequest p;
    p.replica = maker.replica_id();
    p.changes = {maker.create(ticket, test::wall_ms() + skew_ms)};
    p.client_time_ms = test::wall_ms() + skew_ms;
    auto r = m_http->push(m_token, p);
    if (!r || r->status != 200) {
      ADD_FAILURE() << "push: " << (r ? r->body : "no answer");
      return std::nullopt;
    }
    auto out = decode_push_response(r->body);
    if (!out || out->results.size() != 1 || out->results[0].status != ApplyStatus::Applied) {
      ADD_FAILURE() << "push answer: " << r->body;
      return std::nullopt;
    }
    return Kept{out->results[0].stamp, out->results[0].skew_ms};
  }

  // A device `skew_ms` fast creates `ticket` and edits its title three times in one push, its HLC
  // as a device's runs: (X, 0), (X, 1), (X + 1, 0), (X + 1, 1). The stamps kept, in counter order.
  std::vector<Kept> push_edits(uint64_t device, int64_t skew_ms, const std::string& ticket) {
    test::Maker maker(test::replica(device), Role::Centre, "zhang.bin");
    const int64_t x = test::wall_ms() + skew_ms;
    PushRequest p;
    p.replica = maker.replica_id();
    p.changes = {maker.create(ticket, x)};
    p.changes[0].stamp = Hlc{x, 0};
    const Hlc stamps[] = {{x, 1}, {x + 1, 0}, {x + 1, 1}};
    for (const Hlc& h : stamps) {
      p.changes.push_back(maker.set(ticket, h.ms, EditableField::Title, "标题" + std::to_string(p.changes.size()),
                                    p.changes.back().id));
      p.changes.back().stamp = h;
    }
    p.client_time_ms = x;
    std::vector<Kept> kept;
    auto r = m_http->push(m_token, p);
    if (!r || r->status != 200) {
      ADD_FAILURE() << "push: " << (r ? r->body : "no answer");
      return kept;
    }
    auto out = decode_push_response(r->body);
    if (!out) {
      ADD_FAILURE() << out.error().detail;
      return kept;
    }
    for (const auto& res : out->results) kept.push_back(Kept{res.stamp, res.skew_ms});
    return kept;
  }

  // A hotline ticket through the intake; its id.
  std::string intake(const std::string& number) {
    const json body = {{"hotline_number", number},      {"received_at", int64_t{1764380000000}},
                       {"citizen_name", "王先生"},      {"citizen_phone", "13812345678"},
                       {"community", "河滨花园"},       {"address", "中华新路927弄12号"},
                       {"category", "hoarding_refuse"}, {"urgency", "normal"},
                       {"title", "楼道堆物"},           {"description", "居民反映楼道内堆物。"}};
    auto r = m_http->raw().Post("/api/v1/intake/tickets", {{"X-Api-Key", kKey}}, body.dump(), "application/json");
    if (!r || r->status != 201) {
      ADD_FAILURE() << "intake: " << (r ? r->body : "no answer");
      return {};
    }
    return json::parse(r->body)["ticket"].get<std::string>();
  }

  // Every change the centre may pull (the whole log).
  std::vector<SequencedChange> log() {
    std::vector<SequencedChange> all;
    int64_t cursor = 0;
    for (;;) {
      auto r = m_http->pull(m_token, test::replica(999), cursor, 1000);
      if (!r || r->status != 200) {
        ADD_FAILURE() << "pull: " << (r ? r->body : "no answer");
        return all;
      }
      auto page = decode_pull_response(r->body);
      if (!page) {
        ADD_FAILURE() << page.error().detail;
        return all;
      }
      for (SequencedChange& c : page->changes) {
        cursor = std::max(cursor, c.seq);
        all.push_back(std::move(c));
      }
      if (!page->more) return all;
    }
  }
  // The stamp of the change to `ticket` that `is` picks out in the log.
  template <class Pick>
  std::optional<Hlc> stamp_of(const std::string& ticket, Pick is) {
    for (const SequencedChange& c : log())
      if (c.change.ticket_id == ticket && is(c.change)) return c.change.stamp;
    return std::nullopt;
  }
  std::optional<Hlc> official_number_stamp(const std::string& ticket) {
    return stamp_of(ticket, [](const Change& c) {
      return c.kind == ChangeKind::SetField && c.field == EditableField::OfficialNumber;
    });
  }
  std::optional<Hlc> creation_stamp(const std::string& ticket) {
    return stamp_of(ticket, [](const Change& c) { return c.kind == ChangeKind::CreateTicket; });
  }

 private:
  const test::TempDir& m_dir;
  std::unique_ptr<test::ServerProcess> m_server;
  std::unique_ptr<test::SyncHttp> m_http;
  std::string m_token;
};

std::string to_text(const Hlc& h) { return std::to_string(h.ms) + "." + std::to_string(h.counter); }

TEST(ServerClock, TheOfficialNumberIsStampedAfterTheCreationWhateverTheDevicesClock) {
  test::TempDir dir;
  ServerClock server(dir);
  ASSERT_TRUE(server.up());
  const struct {
    const char* name;
    int64_t skew_ms;
  } devices[] = {{"30 s fast", 30 * kSecond}, {"1 h fast", kHour}, {"30 s slow", -30 * kSecond}, {"1 h slow", -kHour}};
  int n = 0;
  for (const auto& d : devices) {
    SCOPED_TRACE(d.name);
    const std::string ticket = hex_ticket(++n);
    const int64_t before = test::wall_ms();
    const auto kept = server.push_create(static_cast<uint64_t>(n), d.skew_ms, ticket);
    ASSERT_TRUE(kept);
    if (d.skew_ms > kMaxClockAheadMs) {  // R11: clamped to the server's clock plus a minute.
      EXPECT_GT(kept->skew_ms, 0);
      EXPECT_LE(kept->stamp.ms, test::wall_ms() + kMaxClockAheadMs);
      EXPECT_GE(kept->stamp.ms, before + kMaxClockAheadMs);
    } else {
      EXPECT_EQ(kept->skew_ms, 0);
    }
    const auto number = server.official_number_stamp(ticket);
    ASSERT_TRUE(number) << "no official number for " << ticket;
    EXPECT_GT(*number, kept->stamp) << to_text(*number) << " is not after " << to_text(kept->stamp);
  }
}

// R11 clamps a fast device's stamps; they keep the order the device gave them (keeping each
// stamp's counter under the clamp turned (X + 1, 0) into one before (X, 1): the last edit lost).
TEST(ServerClock, AFastDevicesChangesClampedInTurnKeepTheirOrder) {
  test::TempDir dir;
  ServerClock server(dir);
  ASSERT_TRUE(server.up());
  for (const int64_t skew : {int64_t{0}, 2 * kHour}) {
    SCOPED_TRACE(skew ? "2 h fast" : "on time");
    const std::string ticket = hex_ticket(skew ? 21 : 20);
    const auto kept = server.push_edits(skew ? 21 : 20, skew, ticket);
    ASSERT_EQ(kept.size(), 4u);
    for (size_t i = 1; i < kept.size(); ++i) EXPECT_GT(kept[i].stamp, kept[i - 1].stamp) << i;
    for (const Kept& k : kept) EXPECT_EQ(k.skew_ms > 0, skew > 0);
    // The log holds the stamps the answer gave, and the official number comes after them all.
    std::vector<Hlc> logged;
    for (const SequencedChange& c : server.log())
      if (c.change.ticket_id == ticket && c.change.author.user == "zhang.bin") logged.push_back(c.change.stamp);
    ASSERT_EQ(logged.size(), 4u);
    for (size_t i = 0; i < 4; ++i) EXPECT_EQ(logged[i], kept[i].stamp) << i;
    const auto number = server.official_number_stamp(ticket);
    ASSERT_TRUE(number);
    EXPECT_GT(*number, kept.front().stamp);
  }
}

TEST(ServerClock, AHotlineTicketAfterAFastDevicesPushIsStampedAfterIt) {
  test::TempDir dir;
  ServerClock server(dir);
  ASSERT_TRUE(server.up());
  const auto fast = server.push_create(1, 30 * kSecond, hex_ticket(1));
  ASSERT_TRUE(fast);
  const std::string first = server.intake("SH12345-20261129-100001");
  const auto first_created = server.creation_stamp(first);
  ASSERT_TRUE(first_created);
  EXPECT_GT(*first_created, fast->stamp) << to_text(*first_created) << " is not after " << to_text(fast->stamp);

  const auto faster = server.push_create(2, kHour, hex_ticket(2));  // Clamped (R11): a minute ahead.
  ASSERT_TRUE(faster);
  const std::string second = server.intake("SH12345-20261129-100002");
  const auto second_created = server.creation_stamp(second);
  const auto second_number = server.official_number_stamp(second);
  ASSERT_TRUE(second_created && second_number);
  EXPECT_GT(*second_created, faster->stamp) << to_text(*second_created) << " is not after " << to_text(faster->stamp);
  EXPECT_GT(*second_number, *second_created);
}

// The clamped stamp is a minute ahead of the server's physical clock; restarted within that minute,
// the server must still stamp after it (its clock is kept with the log, not read from the wall).
TEST(ServerClock, ARestartedServerStillStampsAfterWhatItAccepted) {
  test::TempDir dir;
  ServerClock server(dir);
  ASSERT_TRUE(server.up());
  const auto fast = server.push_create(1, kHour, hex_ticket(1));
  ASSERT_TRUE(fast);
  server.restart();
  ASSERT_TRUE(server.up());
  ASSERT_LT(test::wall_ms(), fast->stamp.ms) << "the restart took longer than the clamp's minute";
  const std::string ticket = server.intake("SH12345-20261129-100003");
  const auto created = server.creation_stamp(ticket);
  ASSERT_TRUE(created);
  EXPECT_GT(*created, fast->stamp) << to_text(*created) << " is not after " << to_text(fast->stamp);
  const auto pushed_after = server.push_create(2, -kHour, hex_ticket(2));  // A slow device, after the restart.
  ASSERT_TRUE(pushed_after);
  const auto number = server.official_number_stamp(hex_ticket(2));
  ASSERT_TRUE(number);
  EXPECT_GT(*number, *created);
}

}  // namespace
}  // namespace linli
