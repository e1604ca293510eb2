// 巡查 in the app (app_field.cpp, field_data.cpp) natively: against the fake platform and the real
// linli-server with the demo street and its spring campaign, as the browser would drive it.
#include <httplib.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>

#include "app.h"
#include "app/fake_platform.h"
#include "app/test_transport.h"
#include "client/session.h"
#include "core/demo_field.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace linli::test {
namespace {

using ui::App;

class FieldAppTest : public ::testing::Test {
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
  }
  std::unique_ptr<App> open_app(const std::string& name) {
    auto store = Store::open(dir.file(name));
    EXPECT_TRUE(store);
    app::SyncOptions quick;
    quick.long_poll_s = 0;
    return std::make_unique<App>(std::move(store).value(), *transport, quick);
  }
  bool frames_until(const std::vector<App*>& apps, const std::function<bool()>& done, int n = 400) {
    for (int i = 0; i < n; ++i) {
      if (done()) return true;
      platform::fake::now += 100;
      for (App* a : apps) a->tick();
      transport->deliver();
      for (App* a : apps) a->tick();
    }
    return done();
  }
  bool sign_in(App& app, const std::string& user) {
    app.sign_in_form().user = user;
    app.sign_in_form().password = "linli-demo";
    app.sign_in();
    transport->deliver();
    return !app.needs_sign_in();
  }
  static bool synced(App& app) {
    const auto& s = app.sync_status();
    return s.caught_up && s.unsent == 0 && s.link == app::Link::Online;
  }
  std::unique_ptr<App> signed_in(const std::string& device, const std::string& user) {
    auto app = open_app(device);
    EXPECT_TRUE(sign_in(*app, user));
    EXPECT_TRUE(frames_until({app.get()}, [&] { return synced(*app); }));
    return app;
  }
  // The demo facility of a code, as the app holds it.
  static const Facility* facility(App& app, const std::string& code) {
    for (const auto& [id, f] : app.field().data.facilities)
      if (f.code == code) return &f;
    return nullptr;
  }

  TempDir dir;
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<TestTransport> transport;
};

constexpr const char* kWeek5 = "2020-03-30";  // A week of the campaign nobody has walked yet.

TEST_F(FieldAppTest, AFieldWorkerPullsTheCampaignAndItsTotalsAreTheSeedsOverTheLocalStore) {
  auto app = signed_in("chuhai.db", "chuhai.chen");
  const ui::FieldSnapshot& f = app->field();
  ASSERT_NE(f.campaign(kDemoCampaignId), nullptr);
  EXPECT_EQ(f.communities.size(), 4u) << "a field team sees every community's facilities (F1)";
  const CampaignTotals& t = app->campaign_totals(kDemoCampaignId);
  EXPECT_EQ(t.street.bait_boxes_set, 175);
  EXPECT_EQ(t.street.sewers_dosed, 14);
  EXPECT_EQ(t.street.rat_holes_filled, 8);
  EXPECT_EQ(t.street.rats_killed, 102);
  EXPECT_EQ(t.street.wells_dosed, 1387);
  EXPECT_EQ(t.street.fly_cages_kept, 124);
  // The checklist of a week: the community's active facilities of the campaign's kinds.
  const Campaign& c = *f.campaign(kDemoCampaignId);
  const auto lines = f.checklist(c, kWeek5, "河滨花园");
  EXPECT_EQ(lines.size(), 52u + 36 + 6 + 4 + 3 + 2 + 5);
  EXPECT_EQ(lines.front().facility->kind, FacilityKind::BaitBox);
  EXPECT_FALSE(lines.front().recorded);
  EXPECT_EQ(ui::default_week(c, "2026-11-30"), "2020-04-27") << "a past campaign opens on its last week";
  EXPECT_EQ(ui::default_week(c, "2020-03-12"), "2020-03-09");
}

TEST_F(FieldAppTest, TwoWorkersFillOneRoundOfflineAndBothCountsAreKept) {
  auto chuhai = signed_in("chuhai.db", "chuhai.chen");
  auto hebin = signed_in("hebin.db", "hebin.li");
  const std::string box = facility(*chuhai, "HB-BB-01")->id;
  transport->point_at(0);  // Both offline, in the same basement.
  ASSERT_TRUE(chuhai->set_round_item(kDemoCampaignId, kWeek5, "河滨花园", box, FieldMember::RatsFound, "3")) << chuhai->error();
  EXPECT_EQ(chuhai->notice(), "已记录 巡查清单 · HB-BB-01");
  ASSERT_TRUE(chuhai->set_round_item(kDemoCampaignId, kWeek5, "河滨花园", box, FieldMember::Checked, "1"));
  ASSERT_TRUE(hebin->set_round_item(kDemoCampaignId, kWeek5, "河滨花园", box, FieldMember::RatsFound, "2")) << hebin->error();
  ASSERT_TRUE(hebin->set_round_item(kDemoCampaignId, kWeek5, "河滨花园", box, FieldMember::Note, "盒内饵料已空"));
  // Half done is kept: each edit is durable at once, before any sync.
  const auto line_of = [&](App& app) {
    for (const ui::ChecklistLine& l : app.field().checklist(*app.field().campaign(kDemoCampaignId), kWeek5, "河滨花园"))
      if (l.facility->id == box) return l;
    return ui::ChecklistLine{};
  };
  EXPECT_EQ(line_of(*chuhai).item.rats_found, 3);
  EXPECT_TRUE(line_of(*chuhai).item.checked);
  transport->point_at(server->port());
  ASSERT_TRUE(frames_until({chuhai.get(), hebin.get()}, [&] {
    return synced(*chuhai) && synced(*hebin) && line_of(*chuhai).item.rats_found == 5 && line_of(*hebin).item.rats_found == 5;
  }));
  for (App* app : {chuhai.get(), hebin.get()}) {
    const ui::ChecklistLine l = line_of(*app);
    EXPECT_EQ(l.item.rats_found, 5) << "R14: each worker's count, summed";
    EXPECT_TRUE(l.item.checked);
    EXPECT_EQ(l.item.note, "盒内饵料已空");
    EXPECT_EQ(l.own(FieldMember::RatsFound, "chuhai.chen"), 3);
    EXPECT_EQ(l.own(FieldMember::RatsFound, "hebin.li"), 2);
  }
  EXPECT_EQ(chuhai->campaign_totals(kDemoCampaignId).street.rats_killed, 107) << "the totals follow the pull";
  // A worker correcting their own count replaces only their part.
  ASSERT_TRUE(chuhai->set_round_item(kDemoCampaignId, kWeek5, "河滨花园", box, FieldMember::RatsFound, "4"));
  EXPECT_EQ(line_of(*chuhai).item.rats_found, 6);
  ASSERT_TRUE(chuhai->set_round_finished(kDemoCampaignId, kWeek5, "河滨花园", true)) << chuhai->error();
  EXPECT_EQ(chuhai->notice(), "已记录 本轮已完成 · 河滨花园 · " + std::string(kWeek5));
  ASSERT_TRUE(chuhai->set_round_finished(kDemoCampaignId, kWeek5, "河滨花园", false)) << chuhai->error();
  EXPECT_EQ(chuhai->notice(), "已记录 重新打开本轮 · 河滨花园 · " + std::string(kWeek5));
}

TEST_F(FieldAppTest, AFindingBecomesOneTicketLinkedToItsRoundItemAndTheCentreSeesWhereItCameFrom) {
  auto hebin = signed_in("hebin.db", "hebin.li");
  const Facility* gate = nullptr;
  for (const auto& [id, f] : hebin->field().data.facilities)
    if (f.kind == FacilityKind::Site && f.community == "河滨花园" && f.code == "HB-ST-01") gate = &f;
  ASSERT_NE(gate, nullptr);
  const std::string gate_id = gate->id, location = gate->location;
  transport->point_at(0);
  ASSERT_TRUE(hebin->set_round_item(kDemoCampaignId, kWeek5, "河滨花园", gate_id, FieldMember::Note, "疏导点旁堆放纸箱，有鼠迹"));
  ASSERT_FALSE(hebin->why_not_finding("河滨花园"));
  ui::FindingDraft d = hebin->finding_draft(kDemoCampaignId, kWeek5, "河滨花园", gate_id);
  EXPECT_EQ(d.title, "巡查发现：工地/临时疏导点 HB-ST-01，疏导点旁堆放纸箱，有鼠迹") << "what, which, and what was noted";
  EXPECT_EQ(d.address, location);
  EXPECT_EQ(d.description, "疏导点旁堆放纸箱，有鼠迹");
  EXPECT_EQ(d.category, Category::Sanitation);
  d.category = Category::PestControl;
  const int64_t unsent_before = hebin->sync_status().unsent;
  ASSERT_TRUE(hebin->open_finding(d)) << hebin->error();
  const Ticket* t = hebin->selected_ticket();
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->source, Source::Patrol);
  EXPECT_EQ(t->community, "河滨花园");
  EXPECT_EQ(t->category, Category::PestControl);
  const std::string ticket_id = t->id;
  EXPECT_EQ(hebin->unsent().size(), static_cast<size_t>(unsent_before) + 2) << "create_ticket and the finding link";
  // The round item shows its ticket; the ticket says where it came from.
  const auto origin = hebin->field().origin_of(ticket_id);
  ASSERT_TRUE(origin);
  EXPECT_EQ(origin->facility, gate_id);
  EXPECT_EQ(origin->week, kWeek5);
  bool shown = false;
  for (const ui::ChecklistLine& l : hebin->field().checklist(*hebin->field().campaign(kDemoCampaignId), kWeek5, "河滨花园"))
    if (l.facility->id == gate_id) shown = l.ticket_id == ticket_id;
  EXPECT_TRUE(shown);

  transport->point_at(server->port());
  ASSERT_TRUE(frames_until({hebin.get()}, [&] { return synced(*hebin); }));
  EXPECT_TRUE(hebin->refused().empty()) << hebin->refused().front().detail;
  auto centre = signed_in("centre.db", "zhang.bin");
  const auto seen = centre->field().origin_of(ticket_id);
  ASSERT_TRUE(seen) << "the centre pulls the ticket with its finding link";
  EXPECT_EQ(seen->community, "河滨花园");
  EXPECT_EQ(seen->facility, gate_id);
}

TEST_F(FieldAppTest, AFindingsPhotoTakenInItsFormBecomesTheNewTicketsBeforePhotoAndReachesTheCentre) {
  auto hebin = signed_in("hebin.db", "hebin.li");
  const Facility* gate = facility(*hebin, "HB-ST-01");
  ASSERT_NE(gate, nullptr);
  const std::string gate_id = gate->id;
  transport->point_at(0);  // In the courtyard, no signal.
  ui::FindingDraft d = hebin->finding_draft(kDemoCampaignId, kWeek5, "河滨花园", gate_id);
  // The form's photo button opens the chooser; the page hands the scaled JPEG back a frame later.
  std::string jpeg = "\xff\xd8\xff\xe0 the delivery point as found ";
  for (int i = 0; i < 4000; ++i) jpeg.push_back(static_cast<char>(i * 13));
  jpeg += "\xff\xd9";
  const int choosers = platform::fake::photo_choosers;
  hebin->take_finding_photo();
  EXPECT_EQ(platform::fake::photo_choosers, choosers + 1);
  EXPECT_TRUE(hebin->take_finding_photos().empty()) << "nothing until the page answers";
  platform::fake::chosen_photos.push_back(jpeg);
  hebin->tick();
  for (app::CapturedPhoto& p : hebin->take_finding_photos()) d.photos.push_back(std::move(p));
  ASSERT_EQ(d.photos.size(), 1u);
  EXPECT_TRUE(hebin->waiting_photos().empty()) << "held by the form, not a ticket's yet";
  // The form is kept on the device as it is written: the tab closes before 开工单, and the next
  // start has the form again, its photo's very bytes included.
  d.title = "快递点门口纸箱堆放";
  hebin->keep_finding_draft(d);
  EXPECT_FALSE(open_app("other.db")->kept_finding_draft()) << "a device of its own";
  hebin.reset();
  hebin = open_app("hebin.db");
  ASSERT_FALSE(hebin->needs_sign_in());
  auto kept = hebin->kept_finding_draft();
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->title, "快递点门口纸箱堆放");
  EXPECT_EQ(kept->facility, gate_id);
  EXPECT_EQ(kept->community, "河滨花园");
  ASSERT_EQ(kept->photos.size(), 1u);
  EXPECT_EQ(kept->photos[0].bytes, jpeg);
  // A photo removed from the form goes from the device too; put back, it is kept again.
  ui::FindingDraft without = *kept;
  without.photos.clear();
  hebin->keep_finding_draft(without);
  EXPECT_TRUE(hebin->kept_finding_draft()->photos.empty());
  hebin->keep_finding_draft(*kept);
  d = *hebin->kept_finding_draft();
  ASSERT_EQ(d.photos.size(), 1u);
  const int64_t unsent_before = hebin->sync_status().unsent;
  ASSERT_TRUE(hebin->open_finding(d)) << hebin->error();
  EXPECT_FALSE(hebin->kept_finding_draft()) << "the form became the ticket";
  const std::string ticket_id = hebin->selected_ticket()->id;
  EXPECT_EQ(hebin->unsent().size(), static_cast<size_t>(unsent_before) + 3) << "create_ticket, attach_photo, the link";
  ASSERT_EQ(hebin->photos().size(), 1u);
  const Photo shown = hebin->photos().front().change.photo;
  EXPECT_EQ(shown.phase, PhotoPhase::Before);
  EXPECT_EQ(shown.size, static_cast<int64_t>(jpeg.size()));
  EXPECT_TRUE(hebin->photos().front().waiting_upload);
  ASSERT_EQ(hebin->waiting_photos().size(), 1u);
  EXPECT_EQ(hebin->waiting_photos().front().ticket_id, ticket_id);

  transport->point_at(server->port());
  ASSERT_TRUE(frames_until({hebin.get()}, [&] { return synced(*hebin) && hebin->waiting_photos().empty(); }));
  EXPECT_TRUE(hebin->refused().empty()) << hebin->refused().front().detail;
  auto centre = signed_in("centre.db", "zhang.bin");
  centre->select(ticket_id);
  ASSERT_EQ(centre->photos().size(), 1u) << "the centre sees the finding's photo";
  EXPECT_EQ(centre->photos().front().change.photo.sha256, shown.sha256);
  EXPECT_EQ(centre->photos().front().change.photo.phase, PhotoPhase::Before);
  // The server's blob is the bytes taken in the form.
  httplib::Client c("127.0.0.1", server->port());
  auto login = c.Post("/api/v1/login", R"({"user":"zhang.bin","password":"linli-demo"})", "application/json");
  ASSERT_TRUE(login && login->status == 200);
  const auto session = app::parse_login_answer(login->body);
  ASSERT_TRUE(session);
  auto blob = c.Get("/api/v1/blobs/" + shown.sha256, httplib::Headers{{"Authorization", "Bearer " + session->token}});
  ASSERT_TRUE(blob && blob->status == 200);
  EXPECT_EQ(blob->body, jpeg);
}

TEST_F(FieldAppTest, FacilitiesAreAddedEditedAndRetiredAndOnlyTheCentreMakesACampaign) {
  auto chuhai = signed_in("chuhai.db", "chuhai.chen");
  transport->point_at(0);
  ui::FacilityDraft d;
  d.community = "普善路小区";
  d.code = "PS-BB-99";
  d.kind = FacilityKind::BaitBox;
  d.location = "普善路小区12号楼北侧";
  ASSERT_TRUE(chuhai->save_facility(d)) << chuhai->error();
  EXPECT_EQ(chuhai->notice(), "已记录 设施 · PS-BB-99") << "the notice says what was kept";
  const Facility* made = facility(*chuhai, "PS-BB-99");
  ASSERT_NE(made, nullptr);
  d.id = made->id;
  d.location = "普善路小区12号楼南侧";
  ASSERT_TRUE(chuhai->save_facility(d));
  EXPECT_EQ(facility(*chuhai, "PS-BB-99")->location, "普善路小区12号楼南侧");
  ASSERT_TRUE(chuhai->set_facility_retired(d.id, true));
  EXPECT_TRUE(facility(*chuhai, "PS-BB-99")->retired);
  const Campaign& c = *chuhai->field().campaign(kDemoCampaignId);
  for (const ui::ChecklistLine& l : chuhai->field().checklist(c, kWeek5, "普善路小区"))
    EXPECT_NE(l.facility->id, d.id) << "a retired facility leaves the checklist";
  ui::FacilityDraft empty;
  empty.community = "普善路小区";
  EXPECT_FALSE(chuhai->save_facility(empty)) << "a code and a location are asked for";

  ui::CampaignDraft campaign{"秋季灭蚊", "2020-09-01", "2020-10-31", {FacilityKind::RainWell}, 2};
  EXPECT_TRUE(chuhai->why_not_field(ChangeKind::SetCampaign, ""));
  EXPECT_FALSE(chuhai->save_campaign(campaign)) << "F2: campaigns are the centre's";

  transport->point_at(server->port());
  ASSERT_TRUE(frames_until({chuhai.get()}, [&] { return synced(*chuhai); }));
  EXPECT_TRUE(chuhai->refused().empty());
  auto centre = signed_in("centre.db", "zhang.bin");
  ASSERT_NE(facility(*centre, "PS-BB-99"), nullptr);
  EXPECT_TRUE(facility(*centre, "PS-BB-99")->retired);
  ASSERT_TRUE(centre->save_campaign(campaign)) << centre->error();
  EXPECT_EQ(centre->notice(), "已记录 巡查活动 · 秋季灭蚊");
  EXPECT_EQ(centre->field().campaigns.size(), 2u);
  campaign.to = "2020-08-01";
  EXPECT_FALSE(centre->save_campaign(campaign)) << "the end before the start";
}

TEST_F(FieldAppTest, ADepartmentReadsTheRoundsButWritesNothing) {
  auto guanli = signed_in("guanli.db", "guanli.wang");
  EXPECT_EQ(guanli->field().communities.size(), 4u);
  EXPECT_EQ(guanli->campaign_totals(kDemoCampaignId).street.bait_boxes_set, 175);
  const auto why = guanli->why_not_field(ChangeKind::SetRoundItem, "河滨花园");
  ASSERT_TRUE(why);
  EXPECT_EQ(why->code, RefusalCode::Forbidden);
  const std::string box = facility(*guanli, "HB-BB-01")->id;
  EXPECT_FALSE(guanli->set_round_item(kDemoCampaignId, kWeek5, "河滨花园", box, FieldMember::Checked, "1"));
  EXPECT_TRUE(guanli->unsent().empty());
  auto hebin = signed_in("hebin.db", "hebin.li");
  EXPECT_EQ(hebin->field().communities, std::vector<std::string>{"河滨花园"}) << "a committee sees its own (F1)";
  EXPECT_TRUE(hebin->why_not_field(ChangeKind::SetRoundItem, "普善路小区"));
}

}  // namespace
}  // namespace linli::test
