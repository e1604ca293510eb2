// GET /api/v1/campaigns/{id}/totals: a campaign's totals per community and for the street, over
// the caller's scope (policy F1). Authenticates, reads the registers through a store reader,
// computes with shared/report/campaign, encodes. No arithmetic here.
#include <httplib.h>

#include "change_feed.h"
#include "context.h"
#include "core/ticket.h"
#include "http_util.h"
#include "report/campaign.h"

namespace linli::server {
namespace {

using nlohmann::json;

json figures_json(const CampaignFigures& f) {
  return json{{"bait_boxes_set", f.bait_boxes_set}, {"sewers_dosed", f.sewers_dosed},
              {"fly_cages_kept", f.fly_cages_kept}, {"rat_holes_filled", f.rat_holes_filled},
              {"rats_killed", f.rats_killed},       {"wells_dosed", f.wells_dosed},
              {"sites_checked", f.sites_checked},   {"items_checked", f.items_checked},
              {"rounds", f.rounds},                 {"rounds_finished", f.rounds_finished}};
}

void totals(ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
  const auto user = authenticate(ctx, req, res);
  if (!user) return;
  const std::string id = req.matches[1];
  if (!is_valid_ticket_id(id)) return send_error(res, 400, "bad_request", "a campaign id is 32 lowercase hex digits");
  auto regs = [&] {
    auto lease = ctx.readers.acquire();
    return lease.get().store.field_registers();
  }();
  if (!regs) return send_error(res, 500, "storage", regs.error().detail);
  const FieldData data = assemble_field(*regs);
  const auto campaign = data.campaigns.find(id);
  if (campaign == data.campaigns.end()) return send_error(res, 404, "not_found", "no campaign " + id);
  const Actor actor = actor_of(*user);
  const std::string only = actor.role == Role::Committee ? actor.scope : std::string();  // F1.
  const CampaignTotals t = campaign_totals(data, id, only);
  json communities = json::object();
  for (const auto& [community, f] : t.by_community) communities[community] = figures_json(f);
  send_json(res, 200, json{{"campaign", id}, {"name", campaign->second.name}, {"from", campaign->second.from},
                           {"to", campaign->second.to}, {"street", figures_json(t.street)},
                           {"communities", std::move(communities)}});
}

}  // namespace

void install_field_routes(httplib::Server& http, ServerContext& ctx) {
  http.Get(R"(/api/v1/campaigns/([^/]+)/totals)",
           [&ctx](const httplib::Request& req, httplib::Response& res) { totals(ctx, req, res); });
}

}  // namespace linli::server
