// Demo tickets: the places and problems of 天目西 street's spring 2020, set in the present.
#include "core/demo_data.h"

#include <cstdio>

namespace linli {
namespace {

struct Row {
  Source source;
  Category category;
  Urgency urgency;
  TicketStatus status;
  int hours_ago;
  const char* name;
  const char* phone;
  const char* community;
  const char* address;
  const char* title;
  const char* description;
};

constexpr Row kRows[] = {
    {Source::Hotline, Category::LivingServices, Urgency::Urgent, TicketStatus::Handled, 50, "王女士",
     "13917261234", "河滨花园", "河滨花园大门",
     "小区大门不代收快递，居民不便",
     "小区只保留一道门进出，并规定大门处不代收任何快递。建议在大门处设置快递代收点。"},
    {Source::Hotline, Category::HoardingRefuse, Urgency::Urgent, TicketStatus::InProgress, 30, "李先生",
     "021-63541122", "中华新路927弄", "中华新路927弄12号",
     "居民屋内堆放大量垃圾，卫生状况差",
     "一户居民在屋内堆放大量垃圾，多年来相关部门清理过几次，但不久又外出拾荒，再次塞满屋子。"},
    {Source::Phone, Category::EpidemicControl, Urgency::Urgent, TicketStatus::Contacted, 20, "陈女士",
     "13661829876", "天目西路小区", "天目西路218弄5号",
     "癌症患者预约口罩不够用",
     "每月要去医院8次，预约的口罩不够用，请求帮助。"},
    {Source::Hotline, Category::EpidemicControl, Urgency::Urgent, TicketStatus::Received, 6, "赵先生",
     "18621003344", "普善路小区", "普善路126号",
     "小区棋牌室仍未关闭", "疫情期间小区棋牌室仍在营业，要求关停。"},
    {Source::Patrol, Category::PestControl, Urgency::Normal, TicketStatus::Assigned, 12, "", "",
     "河滨花园", "河滨花园3号楼北侧绿地", "绿地发现鼠洞两处，需投药填埋",
     "每周巡查发现：毒鼠盒附近鼠洞两处，已做标记。"},
    {Source::WalkIn, Category::BusinessSupport, Urgency::Normal, TicketStatus::Received, 3, "周经理",
     "13501234567", "长安路", "长安路1001号",
     "企业复工申请未通过，咨询原因", "企业已提交复工申请两次，均未通过，来访咨询。"},
};

}  // namespace

std::vector<Ticket> demo_tickets(int64_t now_ms) {
  std::vector<Ticket> out;
  int seq = 0;
  for (const Row& r : kRows) {
    ++seq;
    Ticket t;
    char id[40];
    std::snprintf(id, sizeof id, "de%030d", seq);
    t.id = id;
    t.source = r.source;
    t.category = r.category;
    t.urgency = r.urgency;
    t.status = r.status;
    t.received_at_ms = now_ms - int64_t{r.hours_ago} * 3600 * 1000;
    t.citizen_name = r.name;
    t.citizen_phone = r.phone;
    t.community = r.community;
    t.address = r.address;
    t.title = r.title;
    t.description = r.description;
    t.created_at_ms = t.received_at_ms;
    t.updated_at_ms = t.received_at_ms;
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace linli
