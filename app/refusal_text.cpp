#include "refusal_text.h"

namespace linli::ui {
namespace {

struct Words {
  const char* zh;
  const char* en;
};

std::string pick(Lang lang, Words w) { return lang == Lang::Zh ? w.zh : w.en; }

// "{1}" and "{2}" in `pattern` become `a` and `b`.
std::string fill(std::string pattern, const std::string& a, const std::string& b = {}) {
  for (auto [mark, value] : {std::pair<const char*, const std::string*>{"{1}", &a}, {"{2}", &b}})
    for (size_t at = pattern.find(mark); at != std::string::npos; at = pattern.find(mark, at + value->size()))
      pattern.replace(at, 3, *value);
  return pattern;
}

std::string role_words(Lang lang, Role r) {
  switch (r) {
    case Role::Centre: return pick(lang, {"城运中心", "The centre"});
    case Role::Department: return pick(lang, {"部门", "A department"});
    case Role::Committee: return pick(lang, {"居委会", "A committee"});
    case Role::Field: return pick(lang, {"巡查队", "A field team"});
  }
  return {};
}

std::string task_words(Lang lang, CentreTask t) {
  switch (t) {
    case CentreTask::Community: return pick(lang, {"更改小区（派单）", "change the community (dispatching)"});
    case CentreTask::LeadDepartment: return pick(lang, {"更改承办部门（派单）", "change the lead department (dispatching)"});
    case CentreTask::Delete: return pick(lang, {"删除或恢复工单", "delete or restore a ticket"});
    case CentreTask::Decide: return pick(lang, {"审批退单和延期申请", "decide return and extension requests"});
    case CentreTask::ReturnVisit: return pick(lang, {"记录回访", "record return visits"});
    case CentreTask::AddCoHandler: return pick(lang, {"添加协办部门", "add co-handlers"});
    case CentreTask::RemoveCoHandler: return pick(lang, {"移除协办部门", "remove co-handlers"});
    case CentreTask::Urge: return pick(lang, {"催办", "urge the handler"});
    case CentreTask::LowerUrgency: return pick(lang, {"把紧急件改为一般件", "make an urgent ticket normal"});
  }
  return {};
}

std::string action_words(Lang lang, WorkflowAction a) { return std::string(tr(lang, action_label(a))); }

}  // namespace

std::string refusal_text(Lang lang, const Refusal& r) {
  const std::string& s = r.subject;
  switch (r.rule) {
    case RefusalRule::Other: return r.reason;
    case RefusalRule::Exists: return pick(lang, {"这张工单已经存在", "This ticket exists already"});
    case RefusalRule::Unknown: return pick(lang, {"找不到这张工单", "This ticket is not known"});
    case RefusalRule::ServerField: return pick(lang, {"正式编号由服务器生成", "Only the server gives official numbers"});
    case RefusalRule::OutOfScope:
      return s.empty() ? pick(lang, {"这张工单不在你的负责范围内", "This ticket is outside your scope"})
                       : fill(pick(lang, {"这张工单不在你的负责范围内（{1}）", "This ticket is outside your scope ({1})"}), s);
    case RefusalRule::CreateOutOfScope:
      return fill(pick(lang, {"不能登记{1}的工单：不在你的负责范围内", "You cannot register a ticket in {1}: it is outside your scope"}), s);
    case RefusalRule::CentreOnly:
      return fill(pick(lang, {"只有城运中心可以{1}", "Only the centre can {1}"}), task_words(lang, r.task));
    case RefusalRule::Classifies:
      return pick(lang, {"工单类别由城运中心或居委会确定", "The category is set by the centre or the committee"});
    case RefusalRule::RoleMayNot:
      return fill(pick(lang, {"{1}不能执行「{2}」", "{1} cannot take the step “{2}”"}), role_words(lang, r.role),
                  action_words(lang, r.action));
    case RefusalRule::LeavesScope:
      return pick(lang, {"这样修改会使工单离开你的负责范围", "This change would move the ticket out of your scope"});
    case RefusalRule::CoIsLead:
      return fill(pick(lang, {"{1}是承办部门，不能再作为协办部门", "{1} leads this ticket and cannot also co-handle it"}), s);
    case RefusalRule::CoAlready: return fill(pick(lang, {"{1}已经是协办部门", "{1} co-handles this ticket already"}), s);
    case RefusalRule::CoUnknown:
      return s.empty() ? pick(lang, {"不是这张工单的协办部门", "Not a co-handler of this ticket"})
                       : fill(pick(lang, {"{1}不是这张工单的协办部门", "{1} is not a co-handler of this ticket"}), s);
    case RefusalRule::CoRemoved: return fill(pick(lang, {"{1}已被移出协办", "{1} was removed as a co-handler"}), s);
    case RefusalRule::CoReplyNotYours:
      return fill(pick(lang, {"只有{1}（或城运中心）可以回复这项协办", "Only {1} (or the centre) replies as this co-handler"}), s);
    case RefusalRule::CoHandlerOnly:
      return pick(lang, {"协办部门可以回复、写处置记录和加照片；流转和修改由承办部门负责",
                         "A co-handler replies, adds notes and photos; the lead department moves and edits the ticket"});
    case RefusalRule::WaitsForCo:
      return fill(pick(lang, {"还有 {1} 个协办部门未回复（{2}）", "{1} co-handler(s) have not replied yet ({2})"}),
                  std::to_string(r.count), s);
    case RefusalRule::NotFromStatus:
      return fill(pick(lang, {"工单「{2}」时不能「{1}」", "“{1}” is not a step from “{2}”"}), action_words(lang, r.action),
                  std::string(label(lang, r.status)));
    case RefusalRule::RequestNotNow:
      return fill(pick(lang, {"退单、延期只能在已派单或处置中时申请（现在：{1}）",
                              "Return and extension requests are made while the ticket is assigned or in progress (now: {1})"}),
                  std::string(label(lang, r.status)));
    case RefusalRule::CampaignCentreOnly: return pick(lang, {"只有城运中心可以发起巡查活动", "Only the centre sets up a campaign"});
    case RefusalRule::DepartmentReadsField:
      return pick(lang, {"部门只查看巡查；由巡查队和居委会记录", "Departments read field work; field teams and committees record it"});
    case RefusalRule::FieldOutOfScope:
      return fill(pick(lang, {"{1}的巡查不在你的负责范围内", "Field work in {1} is outside your scope"}), s);
    case RefusalRule::FacilityElsewhere: return fill(pick(lang, {"这个设施属于{1}", "This facility belongs to {1}"}), s);
    case RefusalRule::Closed: return pick(lang, {"工单已结案，先重开再改", "The ticket is closed: reopen it first"});
    case RefusalRule::UrgeNotNow:
      return fill(pick(lang, {"催办只在已派单或处置中时进行（现在：{1}）",
                              "The centre urges a ticket while it is assigned or in progress (now: {1})"}),
                  std::string(label(lang, r.status)));
  }
  return r.reason;
}

}  // namespace linli::ui
