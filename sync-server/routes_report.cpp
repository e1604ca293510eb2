// GET /api/v1/reports/monthly?month=YYYY-MM&format=json|csv|html: the monthly report (docs/metrics.md)
// over the caller's scope, as a pull scopes it. Authenticates, reads through a store reader,
// computes with shared/report, encodes. No arithmetic here.
#include <httplib.h>

#include "context.h"
#include "change_feed.h"
#include "core/civil_time.h"
#include "http_util.h"
#include "report/csv.h"
#include "report/monthly.h"
#include "report/store_reader.h"
#include "report_html.h"

namespace linli::server {
namespace {

using nlohmann::json;

json rate_json(const report::Rate& r) { return json{{"count", r.count}, {"of", r.of}, {"value", r.value()}}; }

json rates_json(const report::MonthlyRates& r) {
  json j{{"rates", json::object()}};
  for (const report::NamedRate& nr : report::kRates) j["rates"][std::string(nr.code)] = rate_json(r.*nr.rate);
  j["contact_time"] = {{"of", r.contact_time.of},
                       {"work_ms", r.contact_time.total_work_ms},
                       {"average_hours", r.contact_time.average_hours()}};
  return j;
}

json encode_json(const report::MonthlyReport& r) {
  json j = rates_json(r);
  j["month"] = report::month_text(r.year, r.month);
  j["as_of"] = r.as_of_ms;
  j["received"] = r.received;
  j["calendar_missing"] = r.calendar_missing;
  // Every group is there, {} when it counts nothing (a month without tickets).
  json& by = j["by"] = {{"category", json::object()}, {"community", json::object()}, {"source", json::object()},
                        {"department", json::object()}};
  for (const auto& [c, n] : r.by_category) by["category"][std::string(to_string(c))] = n;
  for (const auto& [c, n] : r.by_community) by["community"][c] = n;
  for (const auto& [s, n] : r.by_source) by["source"][std::string(to_string(s))] = n;
  for (const auto& [d, n] : r.by_department) by["department"][d] = n;
  j["co_handled"] = r.co_handled;
  j["days"] = json::array();
  const int64_t first_day = shanghai_days(r.from_ms);
  for (size_t i = 0; i < r.days.size(); ++i)
    j["days"].push_back({{"day", format_iso_day(first_day + static_cast<int64_t>(i))},
                         {"received", r.days[i].received},
                         {"handled", r.days[i].handled}});
  const auto [py, pm] = report::previous_month(r.year, r.month);
  j["previous"] = rates_json(r.previous);
  j["previous"]["month"] = report::month_text(py, pm);
  j["campaigns"] = json::array();
  for (const CampaignInMonth& c : r.campaigns) {
    const auto figures = [](const CampaignFigures& f) {
      json o = json::object();
      for (const NamedFigure& n : kCampaignFigures) o[std::string(n.code)] = f.*n.figure;
      return o;
    };
    json communities = json::object();
    for (const auto& [community, f] : c.totals.by_community) communities[community] = figures(f);
    j["campaigns"].push_back({{"campaign", c.id}, {"name", c.name}, {"from", c.from}, {"to", c.to},
                              {"street", figures(c.totals.street)}, {"communities", std::move(communities)}});
  }
  j["overdue"] = json::array();
  for (const report::OverdueTicket& o : r.overdue)
    j["overdue"].push_back({{"ticket", o.id}, {"number", o.official_number}, {"title", o.title},
                            {"community", o.community}, {"department", o.lead_department},
                            {"stage", std::string(to_string(o.stage))}, {"due", o.due_ms}, {"open", o.open}});
  return j;
}

void monthly(ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
  const auto user = authenticate(ctx, req, res);
  if (!user) return;
  const auto month = report::parse_month(req.get_param_value("month"));
  if (!month) return send_error(res, 400, "bad_request", "\"month\" must be YYYY-MM");
  const std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
  if (format != "json" && format != "csv" && format != "html")
    return send_error(res, 400, "bad_request", "\"format\" must be json, csv or html");
  const auto r = [&] {
    auto lease = ctx.readers.acquire();
    // The month's tickets the user may see, as a pull scopes them; a committee's campaigns count
    // its community's rounds only (F1, as the campaign totals route).
    const Actor actor = actor_of(*user);
    report::StoreTicketReader reader(lease.get().store, [&](const TicketState& s) { return may_see(actor, s); },
                                     actor.role == Role::Committee ? actor.scope : std::string());
    return report::monthly_report(reader, month->first, month->second, ctx.calendar, now_ms());
  }();
  if (!r) return send_error(res, 500, "storage", r.error().detail);
  if (format == "json") return send_json(res, 200, encode_json(*r));
  res.status = 200;
  if (format == "html") {
    // The print version; its stylesheet is the app's /report-print.css (no inline style).
    res.set_header("Cache-Control", "no-store");
    return res.set_content(encode_report_html(*r), "text/html; charset=utf-8");
  }
  res.set_header("Content-Disposition", "attachment; filename=\"" + report::monthly_csv_name(*r) + "\"");
  res.set_content(report::encode_monthly_csv(*r), "text/csv; charset=utf-8");
}

}  // namespace

void install_report_routes(httplib::Server& http, ServerContext& ctx) {
  http.Get("/api/v1/reports/monthly",
           [&ctx](const httplib::Request& req, httplib::Response& res) { monthly(ctx, req, res); });
}

}  // namespace linli::server
