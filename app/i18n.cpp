// The word tables. Every Chinese string here is also scanned into the font subset at build time.
#include "i18n.h"

#include <array>

namespace linli::ui {
namespace {

struct Pair {
  std::string_view zh, en;
};

constexpr std::array<Pair, static_cast<size_t>(Str::Count_)> kStrings = {{
    {"邻里 · 街道城运工单", "Linli · Street Operations Tickets"},
    {"视图", "View"},
    {"语言 / Language", "Language / 语言"},
    {"调试", "Debug"},
    {"工单列表", "Tickets"},
    {"受理登记", "New ticket"},
    {"ImGui 指标窗口", "ImGui Metrics"},
    {"关于", "About"},
    {"工单列表", "Tickets"},
    {"受理登记", "New ticket"},
    {"编号", "Number"},
    {"受理时间", "Received"},
    {"紧急", "Urgency"},
    {"类别", "Category"},
    {"小区", "Community"},
    {"地址", "Address"},
    {"标题", "Title"},
    {"状态", "Status"},
    {"来源", "Source"},
    {"还没有工单。可以登记一张新工单，或载入示例数据看看。", "No tickets yet. Register a new one, or load the demo data to look around."},
    {"载入示例数据", "Load demo data"},
    {"新建工单", "New ticket"},
    {"张工单", "tickets"},
    {"来源", "Source"},
    {"受理时间", "Received at"},
    {"市民姓名", "Citizen's name"},
    {"联系电话", "Phone"},
    {"小区", "Community"},
    {"地址", "Address"},
    {"类别", "Category"},
    {"紧急程度", "Urgency"},
    {"标题", "Title"},
    {"问题描述", "Description"},
    {"格式：2026-11-29 14:30", "Format: 2026-11-29 14:30"},
    {"如：王女士", "e.g. Ms Wang"},
    {"手机或座机，如 021-63541122", "Mobile or landline, e.g. 021-63541122"},
    {"如：河滨花园", "e.g. 河滨花园"},
    {"如：河滨花园3号楼", "e.g. 河滨花园3号楼"},
    {"一句话说明问题", "The problem in one line"},
    {"市民反映的情况、诉求", "What the citizen reported and asks for"},
    {"保存", "Save"},
    {"清空", "Clear"},
    {"已保存", "Saved"},
    {"正在保存…", "Saving…"},
    {"保存失败", "Save failed"},
    {"离线", "Offline"},
    {"在线", "Online"},
    {"已登记工单", "Ticket registered"},
    {"必填", "required"},
    {"太长", "too long"},
    {"格式不对", "not valid"},
    {"时间格式应为 2026-11-29 14:30", "Time must look like 2026-11-29 14:30"},
    {"存储出错", "Storage error"},
    {"请先补全或更正标红的项", "Please complete or correct the fields marked in red"},
    {"工单详情", "Ticket details"},
    {"在列表中选择一张工单查看详情。", "Select a ticket in the list to see its details."},
    {"临时编号：同步后由中心统一编号", "Provisional number: the centre gives the official one on sync"},
}};

constexpr std::array<Pair, kSourceCount> kSources = {{
    {"12345热线", "12345 hotline"}, {"来电", "Phone call"}, {"来访", "Walk-in"}, {"巡查发现", "Patrol finding"}}};
constexpr std::array<Pair, kUrgencyCount> kUrgencies = {{{"一般", "Normal"}, {"紧急", "Urgent"}}};
constexpr std::array<Pair, kTicketStatusCount> kStatuses = {{
    {"已受理", "Received"}, {"已联系", "Contacted"}, {"已派单", "Assigned"}, {"处置中", "In progress"},
    {"已办结", "Handled"}, {"已回访", "Visited"}, {"已结案", "Closed"}, {"待复核", "Review"}}};
constexpr std::array<Pair, kCategoryCount> kCategories = {{
    {"环境卫生", "Sanitation"}, {"病媒防治", "Pest control"}, {"疫情防控", "Epidemic control"},
    {"物业管理", "Property management"}, {"市政设施", "Municipal facilities"}, {"噪音扰民", "Noise"},
    {"违法搭建", "Illegal structure"}, {"堆物堆料", "Hoarding and refuse"}, {"生活服务", "Living services"},
    {"企业服务", "Business support"}, {"其他", "Other"}}};

template <size_t N>
std::string_view pick(const std::array<Pair, N>& table, Lang lang, int v) {
  if (v < 0 || static_cast<size_t>(v) >= N) return "?";
  const Pair& p = table[static_cast<size_t>(v)];
  return lang == Lang::Zh ? p.zh : p.en;
}

}  // namespace

std::string_view tr(Lang lang, Str s) { return pick(kStrings, lang, static_cast<int>(s)); }
std::string_view label(Lang lang, Source v) { return pick(kSources, lang, static_cast<int>(v)); }
std::string_view label(Lang lang, Urgency v) { return pick(kUrgencies, lang, static_cast<int>(v)); }
std::string_view label(Lang lang, TicketStatus v) { return pick(kStatuses, lang, static_cast<int>(v)); }
std::string_view label(Lang lang, Category v) { return pick(kCategories, lang, static_cast<int>(v)); }

std::string_view lang_code(Lang lang) { return lang == Lang::Zh ? "zh" : "en"; }
Lang parse_lang(std::string_view code) { return code == "en" ? Lang::En : Lang::Zh; }

}  // namespace linli::ui
