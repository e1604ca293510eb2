// The monthly report in the app (统计) against the server's: the app computes it over its own
// replica with the same shared/report code, so after a sync its CSV is the server's CSV, byte for
// byte, and its figures the server's JSON, for the centre (every ticket) and for a committee (its
// community: the replica holds what the server's scope gives). And the month is computed once,
// not per frame.
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <memory>

#include "app.h"
#include "app/fake_platform.h"
#include "app/test_transport.h"
#include "report/csv.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace linli::test {
namespace {

using nlohmann::json;
using ui::App;

class AppReport : public ::testing::Test {
 protected:
  void SetUp() override {
    platform::fake::settings.clear();  // Each test's app starts where a new one does (view, last sync).
    std::filesystem::create_directories(dir.path() / "web");
    std::ofstream(dir.file("web/index.html")) << "<!doctype html>";
    server = std::make_unique<ServerProcess>(
        std::vector<std::string>{"--db", dir.file("server.db"), "--web", dir.file("web"), "--seed-demo"});
    ASSERT_GT(server->port(), 0);
    transport = std::make_unique<TestTransport>(server->port());
    transport->use_clock([] { return platform::fake::now; });
    platform::fake::downloads.clear();
  }
  // A device of `user`, signed in and synced.
  std::unique_ptr<App> synced_app(const std::string& user) {
    auto store = Store::open(dir.file(user + ".db"));
    EXPECT_TRUE(store);
    app::SyncOptions quick;
    quick.long_poll_s = 0;
    auto app = std::make_unique<App>(std::move(store).value(), *transport, quick);
    app->sign_in_form().user = user;
    app->sign_in_form().password = "linli-demo";
    app->sign_in();
    transport->deliver();
    for (int i = 0; i < 600; ++i) {
      const auto& s = app->sync_status();
      if (s.caught_up && s.unsent == 0 && s.link == app::Link::Online) break;
      platform::fake::now += 100;
      app->tick();
      transport->deliver();
      app->tick();
    }
    EXPECT_TRUE(app->sync_status().caught_up) << user;
    return app;
  }
  httplib::Result server_report(const App& app, const std::string& format) {
    httplib::Client http("127.0.0.1", server->port());
    return http.Get("/api/v1/reports/monthly?month=2020-03&format=" + format,
                    {{"Authorization", "Bearer " + app.session()->token}});
  }
  // The app's figures beside the server's JSON of the same month.
  void expect_same_figures(const ui::Dashboard& d, const json& j) {
    const report::MonthlyReport& r = d.report;
    EXPECT_EQ(j["received"], r.received);
    for (const auto& [c, n] : r.by_category) EXPECT_EQ(j["by"]["category"][std::string(to_string(c))], n);
    EXPECT_EQ(j["by"]["category"].size(), r.by_category.size());
    for (const auto& [c, n] : r.by_community) EXPECT_EQ(j["by"]["community"][c], n) << c;
    for (const report::NamedRate& nr : report::kRates) {
      EXPECT_EQ(j["rates"][std::string(nr.code)]["count"], (r.*nr.rate).count) << nr.code;
      EXPECT_EQ(j["rates"][std::string(nr.code)]["of"], (r.*nr.rate).of) << nr.code;
      EXPECT_EQ(j["previous"]["rates"][std::string(nr.code)]["of"], (r.previous.*nr.rate).of) << nr.code;
    }
    EXPECT_EQ(j["contact_time"]["work_ms"], r.contact_time.total_work_ms);
    EXPECT_EQ(j["co_handled"], r.co_handled);
    ASSERT_EQ(j["days"].size(), r.days.size());
    for (size_t i = 0; i < r.days.size(); ++i) {
      EXPECT_EQ(j["days"][i]["received"], r.days[i].received) << i;
      EXPECT_EQ(j["days"][i]["handled"], r.days[i].handled) << i;
    }
    EXPECT_EQ(j["overdue"].size(), r.overdue.size());
  }

  TempDir dir;
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<TestTransport> transport;
};

TEST_F(AppReport, TheCentresDashboardIsTheServersReportAndItsCsvTheServersCsv) {
  auto app = synced_app("zhang.bin");
  const ui::Dashboard* d = app->dashboard(2020, 3);
  ASSERT_NE(d, nullptr) << app->dashboard_error();
  auto res = server_report(*app, "json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json j = json::parse(res->body);
  EXPECT_EQ(d->report.by_category.at(Category::EpidemicControl), j["by"]["category"]["epidemic_control"]);
  EXPECT_GT(d->report.received, 300);
  expect_same_figures(*d, j);

  app->download_report_csv(2020, 3);
  ASSERT_EQ(platform::fake::downloads.size(), 1u);
  EXPECT_EQ(platform::fake::downloads[0].name, "linli-report-2020-03.csv");
  auto csv = server_report(*app, "csv");
  ASSERT_TRUE(csv);
  EXPECT_EQ(platform::fake::downloads[0].bytes, csv->body) << "one encoder, the same tickets: the same file";
  EXPECT_EQ(platform::fake::downloads[0].bytes.rfind("\xEF\xBB\xBF项目,名称,数量,总数,比率,说明\r\n", 0), 0u);
}

// The print version opens in a new window; a pop-up blocker that refuses it is said, not silent.
TEST_F(AppReport, ThePrintVersionOpensTheServersPageAndABlockedWindowIsSaid) {
  auto app = synced_app("zhang.bin");
  platform::fake::opened_pages.clear();
  app->open_print_report(2020, 3);
  ASSERT_EQ(platform::fake::opened_pages.size(), 1u);
  EXPECT_EQ(platform::fake::opened_pages[0], "/api/v1/reports/monthly?month=2020-03&format=html");
  EXPECT_EQ(app->notice().find("弹出窗口"), std::string::npos);

  platform::fake::popups_blocked = true;
  app->open_print_report(2020, 3);
  platform::fake::popups_blocked = false;
  EXPECT_EQ(platform::fake::opened_pages.size(), 1u);
  EXPECT_NE(app->notice().find("浏览器拦截了打印版的新窗口"), std::string::npos) << app->notice();
  EXPECT_LT(platform::fake::now - app->notice_at_ms(), 6000) << "shown now in the status bar, not as of long ago";
  // A notice follows the language shown, also when the language changes while it shows.
  app->set_lang(ui::Lang::En);
  EXPECT_EQ(app->notice().rfind("The browser blocked the print version's window", 0), 0u) << app->notice();
  app->set_lang(ui::Lang::Zh);
}

TEST_F(AppReport, ACommitteesDashboardIsItsScopedServerReport) {
  auto app = synced_app("hebin.li");
  const ui::Dashboard* d = app->dashboard(2020, 3);
  ASSERT_NE(d, nullptr) << app->dashboard_error();
  EXPECT_EQ(d->report.by_community.size(), 1u) << "the replica holds 河滨花园's tickets only";
  auto res = server_report(*app, "json");
  ASSERT_TRUE(res);
  expect_same_figures(*d, json::parse(res->body));
  app->download_report_csv(2020, 3);
  auto csv = server_report(*app, "csv");
  ASSERT_TRUE(csv);
  ASSERT_EQ(platform::fake::downloads.size(), 1u);
  EXPECT_EQ(platform::fake::downloads[0].bytes, csv->body);
}

TEST_F(AppReport, AMonthIsComputedOnceNotPerFrameAndAgainWhenTheMonthChanges) {
  auto app = synced_app("hebin.li");
  ASSERT_NE(app->dashboard(2020, 3), nullptr);
  const int once = app->dashboard_cache().computations();
  for (int i = 0; i < 10; ++i) {  // Frames.
    platform::fake::now += 16;
    app->tick();
    ASSERT_NE(app->dashboard(2020, 3), nullptr);
  }
  EXPECT_EQ(app->dashboard_cache().computations(), once);
  const ui::Dashboard* feb = app->dashboard(2020, 2);
  EXPECT_EQ(app->dashboard_cache().computations(), once + 1);
  ASSERT_NE(feb, nullptr);
  EXPECT_EQ(feb->month, 2);
  EXPECT_EQ(feb->report.previous.handled.of, 0) << "January 2020 holds no demo ticket";
}

}  // namespace
}  // namespace linli::test
