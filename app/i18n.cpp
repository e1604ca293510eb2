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
    {"还没有工单。登记一张新工单；同步后，你负责范围内的工单也会出现在这里。", "No tickets yet. Register a new one; after a sync, the tickets in your scope appear here too."},
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
    {"登录邻里", "Sign in to Linli"},
    {"街道城运工单 · 断网也能继续工作", "Street operations tickets · keeps working offline"},
    {"用户名", "User name"},
    {"密码", "Password"},
    {"登录", "Sign in"},
    {"正在登录…", "Signing in…"},
    {"请输入用户名和密码", "Enter your user name and password"},
    {"用户名或密码不正确", "The user name or password is not right"},
    {"登录失败次数过多，请%d秒后再试", "Too many failed sign-ins: try again in %d s"},
    {"无法连接服务器，请检查网络后重试", "Cannot reach the server: check the network and try again"},
    {"服务器出错，请稍后再试", "The server failed: try again later"},
    {"本机保存着%s的数据，其中%d条更改尚未发送。请以该账号登录，或清除本机数据后再登录。", "This device holds the data of %s, with %d changes not yet sent. Sign in as them, or clear this device's data first."},
    {"登录已过期，请重新输入密码。未发送的更改都还在。", "Your sign-in has expired: enter your password again. Nothing unsent is lost."},
    {"请先登录", "Please sign in first"},
    {"清除本机数据", "Clear this device's data"},
    {"退出登录", "Sign out"},
    {"退出登录", "Sign out"},
    {"还有%d条更改没有发送到服务器。保留本机数据，下次登录后会继续发送。", "%d changes have not reached the server yet. Keep the device's data and they are sent after the next sign-in."},
    {"所有更改都已发送。", "Every change has been sent."},
    {"退出，保留本机数据", "Sign out, keep the data"},
    {"退出并清除本机数据", "Sign out and clear the data"},
    {"清除后，未发送的%d条更改将永久丢失。", "Clearing loses the %d unsent changes for good."},
    {"取消", "Cancel"},
    {"重新登录", "Sign in again"},
    {"发送队列", "Outbox"},
    {"待发送的更改", "Changes waiting to be sent"},
    {"被服务器拒绝的更改", "Changes the server refused"},
    {"所有更改都已发送到服务器。", "Every change has reached the server."},
    {"没有被拒绝的更改。", "No refused changes."},
    {"这些更改没有生效。请阅读原因：能重做的可点重做，其余的请丢弃。", "These changes did not take effect. Read why: redo what can be redone, discard the rest."},
    {"丢弃", "Discard"},
    {"更改", "Change"},
    {"工单", "Ticket"},
    {"时间", "When"},
    {"原因", "Reason"},
    {"正在连接…", "Connecting…"},
    {"%d 条待发送", "%d unsent"},
    {"已全部发送", "All sent"},
    {"上次同步 %s", "Last sync %s"},
    {"尚未同步", "Not synced yet"},
    {"%d 秒后重试", "retry in %d s"},
    {"立即重试", "Retry now"},
    {"本机时钟与服务器相差%d分钟，请校准时间", "This device's clock is %d min off the server's: please set it"},
    {"正在同步：已接收 %lld 条更改，%d 张工单", "Syncing: %lld changes received, %d tickets"},
    {"同步已停止：%s", "Sync stopped: %s"},
    {"此设备的编号属于其他用户，请清除本机数据", "This device's id belongs to another user: clear the device's data"},
    {"应用版本与服务器不符，请刷新页面", "The app and server versions differ: reload the page"},
    {"%d 条被拒绝", "%d refused"},
    {"新建工单", "New ticket"},
    {"修改字段", "Field edit"},
    {"流转", "Workflow step"},
    {"添加记录", "Timeline entry"},
    {"附加照片", "Photo"},
    {"关联工单", "Link"},
    {"无此权限", "Not allowed for your role"},
    {"不在你的负责范围内", "Outside your scope"},
    {"服务器上没有这张工单", "The server has no such ticket"},
    {"工单已存在", "The ticket already exists"},
    {"内容无效", "Not valid"},
    {"待同步", "Not synced"},
    {"有冲突", "Conflict"},
    {"两处同时修改了这一项", "Two edits of this field crossed"},
    {"当前值", "Now"},
    {"另一个值", "The other value"},
    {"%s 于 %s 写入（设备 %s）", "Written by %s at %s (device %s)"},
    {"保留当前值", "Keep this"},
    {"改用另一个值", "Take the other"},
    {"选择后会生成一条新的修改，同步给所有人。", "Your choice is a new edit that syncs to everyone."},
    {"处理", "Actions"},
    {"先行联系", "Contacted citizen"},
    {"派单", "Assign"},
    {"开始处置", "Start"},
    {"办结", "Handled"},
    {"同意退单", "Approve return"},
    {"回访", "Return visit"},
    {"结案", "Close"},
    {"重开", "Reopen"},
    {"承办部门", "Lead department"},
    {"（未派单）", "(not assigned)"},
    {"修改", "Edit"},
    {"保存修改", "Save"},
    {"时间线", "Timeline"},
    {"还没有记录。", "Nothing recorded yet."},
    {"先行联系", "Citizen contacted"},
    {"处置记录", "Handling note"},
    {"中途汇报", "Progress report"},
    {"回访", "Return visit"},
    {"退单申请", "Return request"},
    {"延期申请", "Extension request"},
    {"中心决定", "Centre's decision"},
    {"备注", "Note"},
    {"添加记录", "Add"},
    {"联系情况、处置进展或备注", "What was said or done"},
    {"满意", "Satisfied"},
    {"基本满意", "Basically satisfied"},
    {"不满意", "Dissatisfied"},
    {"已记录", "Recorded"},
    {"不可用：", "Not available: "},
    {"已同步 %s / %s", "Synced %s / %s"},
    {"重做", "Redo"},
    {"已重做，等待发送", "Redone: waiting to be sent"},
    {"不能重做：", "Cannot redo: "},
    {"这张工单已不在本机（不在你的负责范围内）", "this ticket is no longer on this device (outside your scope)"},
    {"这类更改不能重做，请重新操作", "this kind of change cannot be redone: do it again"},
    {"工单已经是这个值", "the ticket already holds this value"},
    {"工单现在的状态不能做这一步", "the ticket's status no longer allows this step"},
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

// Every word has both languages: a missing row would leave the last ones empty.
static_assert(!kStrings.back().zh.empty() && !kStrings.back().en.empty(), "kStrings is shorter than Str");

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
