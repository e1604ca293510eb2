// App natively: its state and commands against the fake platform (tests/app/fake_platform.cpp)
// and the real linli-server with the demo street, as the browser would drive it frame by frame.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>

#include "core/civil_time.h"
#include "app.h"
#include "app/fake_platform.h"
#include "app/test_transport.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace linli::test {
namespace {

using ui::App;

// The inbox holds a ticket of this title with its official number.
bool has_official(App& app, const std::string& title) {
  for (int64_t i = 0; i < app.inbox_total(); ++i)
    if (const InboxRow* r = app.inbox_row(i); r && r->title == title && r->number != r->provisional_number) return true;
  return false;
}

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir.path() / "web");
    std::ofstream(dir.file("web/index.html")) << "<!doctype html>";
    server = std::make_unique<ServerProcess>(
        std::vector<std::string>{"--db", dir.file("server.db"), "--web", dir.file("web"), "--seed-demo"});
    ASSERT_GT(server->port(), 0);
    transport = std::make_unique<TestTransport>(server->port());
    transport->use_clock([] { return platform::fake::now; });
    platform::fake::wipes = 0;
  }
  std::unique_ptr<App> open_app(const std::string& name = "device.db") {
    auto store = Store::open(dir.file(name));
    EXPECT_TRUE(store);
    app::SyncOptions quick;
    quick.long_poll_s = 0;  // The test transport answers at once; a held pull would stall the test.
    return std::make_unique<App>(std::move(store).value(), *transport, quick);
  }
  // Frames of 100 ms until `done`.
  bool frames_until(App& app, const std::function<bool()>& done, int n = 300) {
    for (int i = 0; i < n; ++i) {
      if (done()) return true;
      platform::fake::now += 100;
      app.tick();
      transport->deliver();
      app.tick();  // The next frame takes what the answers brought.
    }
    return done();
  }
  bool sign_in(App& app, const std::string& user, const std::string& password = "linli-demo") {
    app.sign_in_form().user = user;
    app.sign_in_form().password = password;
    app.sign_in();
    transport->deliver();
    return !app.needs_sign_in();
  }
  bool synced(App& app) {
    const auto& s = app.sync_status();
    return s.caught_up && s.unsent == 0 && s.link == app::Link::Online;
  }
  void fill_draft(App& app, const std::string& title) {
    auto& d = app.draft();
    d.citizen_name = "王女士";
    d.citizen_phone = "13917261234";
    d.address = "河滨花园5号楼地下车库";
    d.title = title;
  }

  TempDir dir;
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<TestTransport> transport;
};

TEST_F(AppTest, SignInSaysWhatWentWrongThenSyncsTheScope) {
  auto app = open_app();
  EXPECT_TRUE(app->needs_sign_in());
  EXPECT_FALSE(sign_in(*app, "hebin.li", ""));
  EXPECT_EQ(app->sign_in_form().message, ui::Str::SignInMissing);
  EXPECT_FALSE(sign_in(*app, "hebin.li", "wrong"));
  EXPECT_EQ(app->sign_in_form().message, ui::Str::SignInBadCredentials);
  transport->point_at(0);
  EXPECT_FALSE(sign_in(*app, "hebin.li"));
  EXPECT_EQ(app->sign_in_form().message, ui::Str::SignInUnreachable);
  transport->point_at(server->port());
  // Four more wrong passwords: the fifth failure in five minutes is rate limited, with a wait.
  for (int i = 0; i < 4; ++i) sign_in(*app, "hebin.li", "wrong");
  EXPECT_FALSE(sign_in(*app, "hebin.li", "wrong"));
  EXPECT_EQ(app->sign_in_form().message, ui::Str::SignInRateLimited);
  EXPECT_GT(app->sign_in_form().retry_at_ms, platform::fake::now);
  EXPECT_FALSE(sign_in(*app, "hebin.li")) << "not even the right password before the wait is over";
  EXPECT_EQ(app->sign_in_form().message, ui::Str::SignInRateLimited);
}

TEST_F(AppTest, AnIntakeIsAChangeThatSyncsAndTheSessionOutlivesARestartWithNoNetwork) {
  {
    auto app = open_app();
    ASSERT_TRUE(sign_in(*app, "hebin.li"));
    ASSERT_TRUE(frames_until(*app, [&] { return synced(*app); }));
    EXPECT_EQ(app->inbox_total(), 14);
    app->set_view(ui::View::Intake);
    EXPECT_EQ(app->draft().community, "河滨花园") << "a committee's form comes with its community";
    fill_draft(*app, "地下车库积水");
    ASSERT_TRUE(app->submit_draft()) << app->error();
    EXPECT_EQ(app->sync_status().unsent, 1);
    ASSERT_TRUE(frames_until(*app, [&] {
      return synced(*app) && has_official(*app, "地下车库积水");
    }));
    EXPECT_TRUE(has_official(*app, "地下车库积水"));
    EXPECT_EQ(app->inbox_total(), 15);

    // Offline: the next edit waits in the outbox.
    transport->point_at(0);
    fill_draft(*app, "楼道灯不亮");
    ASSERT_TRUE(app->submit_draft());
    frames_until(*app, [&] { return app->sync_status().link == app::Link::Offline; });
    EXPECT_EQ(app->unsent().size(), 1u);
  }
  // The browser closed and opened with no network: signed in, the ticket and its change kept.
  auto app = open_app();
  EXPECT_FALSE(app->needs_sign_in());
  ASSERT_NE(app->session(), nullptr);
  EXPECT_EQ(app->session()->display_name, "李主任（河滨花园居委）");
  EXPECT_EQ(app->inbox_total(), 16);
  EXPECT_EQ(app->unsent().size(), 1u);
  frames_until(*app, [&] { return app->sync_status().link == app::Link::Offline; });
  // The signal returns.
  transport->point_at(server->port());
  app->sync_now();
  ASSERT_TRUE(frames_until(*app, [&] { return synced(*app); }));
  EXPECT_TRUE(app->unsent().empty());
}

TEST_F(AppTest, ARevokedTokenAsksForThePasswordWhileWorkGoesOn) {
  auto app = open_app();
  ASSERT_TRUE(sign_in(*app, "hebin.li"));
  ASSERT_TRUE(frames_until(*app, [&] { return synced(*app); }));
  httplib::Client c("127.0.0.1", server->port());
  ASSERT_EQ(c.Post("/api/v1/logout", {{"Authorization", "Bearer " + app->session()->token}}, "", "application/json")->status, 200);
  fill_draft(*app, "垃圾箱满溢");
  ASSERT_TRUE(app->submit_draft());
  ASSERT_TRUE(frames_until(*app, [&] { return app->needs_password_again(); }))
      << app->sync_status().problem << " halt " << static_cast<int>(app->sync_status().halt) << " unsent "
      << app->sync_status().unsent;
  EXPECT_FALSE(app->needs_sign_in()) << "the work stays on screen";
  EXPECT_EQ(app->unsent().size(), 1u);
  app->sign_in_form().password = "linli-demo";
  app->sign_in();
  transport->deliver();
  EXPECT_FALSE(app->needs_password_again());
  ASSERT_TRUE(frames_until(*app, [&] { return synced(*app); }));
  EXPECT_TRUE(app->unsent().empty());
}

TEST_F(AppTest, SignOutKeepsOrClearsTheDataAndAnotherUserMustNotSeeIt) {
  auto app = open_app();
  ASSERT_TRUE(sign_in(*app, "hebin.li"));
  ASSERT_TRUE(frames_until(*app, [&] { return synced(*app); }));
  transport->point_at(0);
  fill_draft(*app, "井盖缺失");
  ASSERT_TRUE(app->submit_draft());
  app->sign_out(false);
  EXPECT_TRUE(app->needs_sign_in());
  EXPECT_EQ(app->sign_in_form().user, "hebin.li") << "the form remembers who";
  EXPECT_EQ(platform::fake::wipes, 0);

  // Another user on this device: refused while it holds 李主任's data, with the count unsent.
  transport->point_at(server->port());
  EXPECT_FALSE(sign_in(*app, "zhang.bin"));
  EXPECT_EQ(app->sign_in_form().message, ui::Str::SignInOtherOwner);
  EXPECT_EQ(app->sign_in_form().other_owner, "hebin.li");
  EXPECT_EQ(app->sign_in_form().other_owner_unsent, 1);

  // The same user again: the change kept while signed out goes.
  ASSERT_TRUE(sign_in(*app, "hebin.li"));
  ASSERT_TRUE(frames_until(*app, [&] { return synced(*app); }));
  app->sign_out(true);
  EXPECT_EQ(platform::fake::wipes, 1) << "clearing deletes the device's data (and reloads)";
}

}  // namespace
}  // namespace linli::test

namespace linli::test {
namespace {

class Workbench : public AppTest {};

// The first ticket of the inbox in one of these statuses.
std::string first_in(ui::App& app, std::initializer_list<TicketStatus> statuses) {
  for (int64_t i = 0; i < app.inbox_total(); ++i)
    if (const InboxRow* r = app.inbox_row(i))
      for (TicketStatus s : statuses)
        if (r->status == s) return r->id;
  return {};
}

TEST_F(Workbench, ADepartmentAsksForMoreTimeTheCentreApprovesAndTheDeadlineMovesOnBothDevices) {
  auto dept = open_app("dept.db");
  ASSERT_TRUE(sign_in(*dept, "guanli.wang"));
  ASSERT_TRUE(frames_until(*dept, [&] { return synced(*dept); }));
  const std::string id = first_in(*dept, {TicketStatus::Assigned, TicketStatus::InProgress});
  ASSERT_FALSE(id.empty()) << "the demo street gives 管理办 a ticket at work";
  dept->select(id);
  ASSERT_TRUE(dept->selected_deadlines());
  const int64_t due_before = dept->selected_deadlines()->handling_due_ms;
  ASSERT_GT(due_before, 0);
  EXPECT_TRUE(dept->why_not_entry(EntryKind::Decision)) << "only the centre decides";
  EXPECT_FALSE(dept->request_extension("", 3)) << "a request needs its reason";
  ASSERT_TRUE(dept->request_extension("需协调产权单位，申请延期。", 3)) << dept->error();
  ASSERT_EQ(dept->pending_requests().size(), 1u);
  ASSERT_TRUE(frames_until(*dept, [&] { return synced(*dept); }));

  auto centre = open_app("centre.db");
  ASSERT_TRUE(sign_in(*centre, "zhang.bin"));
  ASSERT_TRUE(frames_until(*centre, [&] { return synced(*centre); }));
  centre->select(id);
  ASSERT_EQ(centre->pending_requests().size(), 1u);
  EXPECT_EQ(centre->selected_deadlines()->handling_due_ms, due_before);
  ASSERT_TRUE(centre->decide(centre->pending_requests()[0], true, "同意延期三个工作日。")) << centre->error();
  EXPECT_TRUE(centre->pending_requests().empty());
  const Deadlines after = *centre->selected_deadlines();
  EXPECT_EQ(after.extension_days, 3);
  const auto expected = centre->calendar().add_workdays(shanghai_days(due_before - 1), 3);
  ASSERT_TRUE(expected);
  EXPECT_EQ(after.handling_due_ms, shanghai_day_start_ms(*expected + 1));
  ASSERT_TRUE(frames_until(*centre, [&] { return synced(*centre); }));

  ASSERT_TRUE(frames_until(*dept, [&] {
    dept->select(id);
    return synced(*dept) && dept->selected_deadlines() && dept->selected_deadlines()->extension_days == 3;
  }));
  EXPECT_TRUE(dept->pending_requests().empty());
  EXPECT_EQ(dept->selected_deadlines()->handling_due_ms, after.handling_due_ms);
}

TEST_F(Workbench, TheInboxFiltersSortsAndCountsDeadlinesOverTheWholeScope) {
  auto centre = open_app();
  ASSERT_TRUE(sign_in(*centre, "zhang.bin"));
  ASSERT_TRUE(frames_until(*centre, [&] { return synced(*centre); }));
  const int64_t all = centre->inbox_total();
  EXPECT_GE(all, 40);
  centre->inbox_query().filter.community = "河滨花园";
  centre->inbox_changed();
  EXPECT_EQ(centre->inbox_total(), 14) << "河滨花园's demo tickets";
  centre->inbox_query().filter = InboxFilter{};
  centre->inbox_query().sort = InboxSort::Due;
  centre->inbox_query().descending = false;
  centre->inbox_changed();
  ASSERT_EQ(centre->inbox_total(), all);
  int64_t last = 0;
  for (int64_t i = 0; i < all; ++i) {
    const InboxRow* r = centre->inbox_row(i);
    ASSERT_NE(r, nullptr);
    const int64_t due = r->due_at_ms > 0 ? r->due_at_ms : INT64_MAX;
    EXPECT_GE(due, last) << "row " << i;
    last = due;
  }
  const auto& counts = centre->deadline_counts();
  centre->inbox_query().filter.overdue = true;
  centre->inbox_query().filter.now_ms = platform::fake::now;
  centre->inbox_changed();
  EXPECT_EQ(centre->inbox_total(), counts.overdue);
}

}  // namespace
}  // namespace linli::test
