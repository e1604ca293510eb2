// GET /api/v1/reports/monthly?month=YYYY-MM&format=json|csv: the monthly report (docs/metrics.md)
// over the caller's scope, as a pull scopes it. Authenticates, reads through a store reader,
// computes with shared/report, encodes. No arithmetic here.
#include <httplib.h>

#include <cstdio>

#include "context.h"
#include "change_feed.h"
#include "core/civil_time.h"
#include "http_util.h"
#include "report/monthly.h"

namespace linli::server {
namespace {

using nlohmann::json;

// The month's tickets a user may see, each folded from its log as the server ordered it.
class ScopedStoreReader : public report::TicketReader {
 public:
  ScopedStoreReader(Store& store, const User& user) : m_store(store), m_user(user) {}
  Result<std::vector<report::TicketFacts>> received_between(int64_t from_ms, int64_t to_ms) override {
    auto ids = m_store.ticket_ids_received(from_ms, to_ms);
    if (!ids) return ids.error();
    const int64_t last = m_store.last_seq();
    std::vector<report::TicketFacts> out;
    for (const std::string& id : *ids) {
      auto state = m_store.get_ticket_state(id);
      if (!state) return state.error();
      if (!state->has_value() || !may_see(actor_of(m_user), **state)) continue;
      auto log = m_store.changes_of_ticket(id, last);
      if (!log) return log.error();
      std::vector<Change> changes;
      changes.reserve(log->size());
      for (SequencedChange& sc : *log) changes.push_back(std::move(sc.change));
      report::TicketFacts f = report::facts_of(changes);
      f.state.ticket.official_number = (*state)->ticket.official_number;
      out.push_back(std::move(f));
    }
    return out;
  }

 private:
  Store& m_store;
  const User& m_user;
};

// Chinese labels for the CSV (the JSON carries the codes).
std::string_view category_label(Category c) {
  static constexpr std::string_view k[] = {"环境卫生", "病媒防治", "疫情防控", "物业管理", "市政设施", "噪音扰民",
                                           "违法搭建", "堆物堆料", "生活服务", "企业服务", "其他"};
  return k[static_cast<int>(c)];
}
std::string_view source_label(Source s) {
  static constexpr std::string_view k[] = {"12345热线", "来电", "来访", "巡查发现"};
  return k[static_cast<int>(s)];
}
std::string_view stage_label(DeadlineStage s) {
  static constexpr std::string_view k[] = {"", "先行联系", "首次处置", "再次处置"};
  return k[static_cast<int>(s)];
}

json rate_json(const report::Rate& r) { return json{{"count", r.count}, {"of", r.of}, {"value", r.value()}}; }

struct NamedRate {
  const char* code;
  const char* label;
  report::Rate report::MonthlyReport::*rate;
};
constexpr NamedRate kRates[] = {
    {"handled", "办结率", &report::MonthlyReport::handled},
    {"handled_on_time", "按时办结率", &report::MonthlyReport::handled_on_time},
    {"contacted_on_time", "先行联系及时率", &report::MonthlyReport::contacted_on_time},
    {"satisfied", "满意率", &report::MonthlyReport::satisfied},
    {"resolved", "解决率", &report::MonthlyReport::resolved},
    {"reassigned", "重派率", &report::MonthlyReport::reassigned},
    {"extended", "延期率", &report::MonthlyReport::extended},
    {"rebound", "反弹率", &report::MonthlyReport::rebound},
};

std::string month_text(const report::MonthlyReport& r) {
  char m[8];
  std::snprintf(m, sizeof m, "%04d-%02d", r.year, r.month);
  return m;
}

json encode_json(const report::MonthlyReport& r) {
  json j{{"month", month_text(r)}, {"as_of", r.as_of_ms}, {"received", r.received},
         {"calendar_missing", r.calendar_missing}};
  json& by = j["by"] = json::object();
  for (const auto& [c, n] : r.by_category) by["category"][std::string(to_string(c))] = n;
  for (const auto& [c, n] : r.by_community) by["community"][c] = n;
  for (const auto& [s, n] : r.by_source) by["source"][std::string(to_string(s))] = n;
  for (const auto& [d, n] : r.by_department) by["department"][d] = n;
  for (const NamedRate& nr : kRates) j["rates"][nr.code] = rate_json(r.*nr.rate);
  j["overdue"] = json::array();
  for (const report::OverdueTicket& o : r.overdue)
    j["overdue"].push_back({{"ticket", o.id}, {"number", o.official_number}, {"title", o.title},
                            {"community", o.community}, {"department", o.lead_department},
                            {"stage", std::string(to_string(o.stage))}, {"due", o.due_ms}, {"open", o.open}});
  return j;
}

// A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180).
std::string field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string encode_csv(const report::MonthlyReport& r) {
  std::string out = "\xEF\xBB\xBF";  // UTF-8 BOM: spreadsheets then read the Chinese as UTF-8.
  auto row = [&](std::string_view a, std::string_view b, std::string c = "", std::string d = "", std::string e = "",
                 std::string_view f = "") {
    out += field(a) + "," + field(b) + "," + c + "," + d + "," + e + "," + field(f) + "\r\n";
  };
  row("项目", "名称", "数量", "总数", "比率", "说明");
  row("月份", month_text(r), "", "", "", "上海时间");
  row("受理", "合计", std::to_string(r.received));
  for (const auto& [c, n] : r.by_category) row("类别", category_label(c), std::to_string(n));
  for (const auto& [c, n] : r.by_community) row("社区", c, std::to_string(n));
  for (const auto& [s, n] : r.by_source) row("来源", source_label(s), std::to_string(n));
  for (const auto& [d, n] : r.by_department) row("承办部门", d.empty() ? "未派单" : d, std::to_string(n));
  for (const NamedRate& nr : kRates) {
    const report::Rate& rate = r.*nr.rate;
    char pct[16] = "";
    if (rate.of > 0) std::snprintf(pct, sizeof pct, "%.1f%%", rate.value() * 100);
    row("比率", nr.label, std::to_string(rate.count), std::to_string(rate.of), pct);
  }
  for (const report::OverdueTicket& o : r.overdue)
    row("超时", o.official_number.empty() ? o.id : o.official_number, "", "", "",
        o.title + "；" + std::string(stage_label(o.stage)) + "，到期 " + format_shanghai_minute(o.due_ms) +
            (o.open ? "，未办" : "，逾期办结"));
  return out;
}

void monthly(ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
  const auto user = authenticate(ctx, req, res);
  if (!user) return;
  const auto month = report::parse_month(req.get_param_value("month"));
  if (!month) return send_error(res, 400, "bad_request", "\"month\" must be YYYY-MM");
  const std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
  if (format != "json" && format != "csv") return send_error(res, 400, "bad_request", "\"format\" must be json or csv");
  const auto r = [&] {
    auto lease = ctx.readers.acquire();
    ScopedStoreReader reader(lease.get().store, *user);
    return report::monthly_report(reader, month->first, month->second, ctx.calendar, now_ms());
  }();
  if (!r) return send_error(res, 500, "storage", r.error().detail);
  if (format == "json") return send_json(res, 200, encode_json(*r));
  res.status = 200;
  res.set_header("Content-Disposition", "attachment; filename=\"linli-report-" + month_text(*r) + ".csv\"");
  res.set_content(encode_csv(*r), "text/csv; charset=utf-8");
}

}  // namespace

void install_report_routes(httplib::Server& http, ServerContext& ctx) {
  http.Get("/api/v1/reports/monthly",
           [&ctx](const httplib::Request& req, httplib::Response& res) { monthly(ctx, req, res); });
}

}  // namespace linli::server
