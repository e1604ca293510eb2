// The demo street, north half: 河滨花园 and 中华新路927弄, as the 2020-04 社区晨报 tells them (the
// delivery point at the gate on 7 February 2020, the hoarder cleared several times and back by
// 15 February, the spring rat and fly campaign). Data only: demo_data.cpp turns it into changes.
#include "core/demo_street.h"

namespace linli::demo {

using enum Do;
using enum Source;
using enum Category;
constexpr Urgency kUrgent = Urgency::Urgent;
constexpr Urgency kNormal = Urgency::Normal;

std::vector<DemoTicket> demo_street_north() {
  // One ticket's intake on two or three lines, then its steps, one a line.
  // clang-format off
  return {
      // 1. The story's delivery point (7 February 2020): asked for on the day, set up the next;
      // the committee photographs the gate before (整改前) and the delivery point after (整改后).
      {Hotline, LivingServices, kUrgent, at(2020, 2, 7, 9, 10), "王女士", "13917261234", "河滨花园", "河滨花园大门",
       "小区大门不代收快递，居民不便",
       "小区现只保留一道门进出，并规定大门处不代收任何快递，给居民带来很大不便。建议在大门处设置快递代收点。",
       {{15, Contact, "已回电王女士，告知中心当日协调物业和居委会。"},
        {25, Assign, "河滨花园居委会"},
        {60, Start},
        {240, Progress, "已与物业、快递网点现场查看，拟在大门内侧设临时代收点，登记后凭码取件。"},
        {241, Photo, "", kBefore},
        {kDay + 179, Photo, "", kAfter},
        {kDay + 180, Handle, "大门处已设快递临时代收点：货架两组、登记本一册，物业专人值守8:00-20:00。"},
        {kDay + 300, Visit, "王女士表示代收点很方便，满意。已告知中心联系电话。", kSatisfied},
        {kDay + 320, Close}}},
      // 2.
      {Hotline, EpidemicControl, kUrgent, on(38, 10, 20), "刘先生", "13764418820", "河滨花园", "河滨花园8号楼",
       "租客询问能否预约口罩", "我是租客，没有本地户籍，能在居委会预约口罩吗？",
       {{10, Contact, "已回电：租客凭租赁合同和身份证可在居委会登记预约。"},
        {20, Assign, "河滨花园居委会"},
        {120, Handle, "已为刘先生登记预约，告知领取时间和地点。"},
        {200, Visit, "刘先生已领到口罩，满意。", kSatisfied},
        {210, Close}}},
      // 3.
      {Phone, EpidemicControl, kUrgent, on(33, 14, 5), "孙阿姨", "021-63805512", "河滨花园", "河滨花园北门",
       "建议加强小区外来人员管理", "小区门口登记不严，外来人员随意进出，建议加强测温和登记。",
       {{30, Contact, "已回电孙阿姨，告知将督促物业落实登记测温。"},
        {40, Assign, "河滨花园居委会"},
        {90, Start},
        {300, Handle, "居委会与物业排班，北门增设志愿者岗，进出一律测温登记。"},
        {kDay + 60, Visit, "孙阿姨表示门口登记已严格，基本满意。", kBasically}}},
      // 4. The spring campaign: a finding on the weekly round, still being worked.
      {Patrol, PestControl, kNormal, on(2, 8, 40), "", "", "河滨花园", "河滨花园3号楼北侧绿地",
       "绿地发现鼠洞两处，需投药填埋",
       "每周巡查发现：毒鼠盒附近鼠洞两处，已做标记。",
       {{30, Assign, "除害站"}, {kDay + 120, Start}, {kDay + 180, Progress, "已投药，鼠洞两处待三天后复查填埋。"}}},
      // 5.
      {Patrol, PestControl, kNormal, on(1, 10, 15), "", "", "河滨花园", "河滨花园7号楼东侧", "毒鼠盒缺药、盒盖破损",
       "巡查发现7号楼东侧毒鼠盒两只缺药，其中一只盒盖破损。", {{40, Assign, "除害站"}}},
      // 6.
      {Patrol, PestControl, kNormal, on(9, 9), "", "", "河滨花园", "河滨花园中心绿地", "捕蝇笼倾倒，需更换",
       "绿地捕蝇笼一只倾倒，笼内无水无饵。",
       {{60, Assign, "除害站"}, {kDay + 30, Start}, {kDay + 90, Handle, "已更换捕蝇笼，添水补饵，固定底座。"}}},
      // 7.
      {Hotline, Sanitation, kNormal, on(4, 15, 30), "周先生", "13816625309", "河滨花园", "河滨花园5号楼2单元",
       "楼道堆放杂物影响通行", "5号楼2单元楼道内堆放纸箱、旧家具，影响通行，也有消防隐患。",
       {{50, Contact, "已回电周先生，告知由居委会上门劝导清理。"},
        {70, Assign, "河滨花园居委会"},
        {kDay + 60, Start},
        {kDay + 240, Progress, "已上门劝导两户，一户同意周末自行清理，另一户需再次沟通。"}}},
      // 8.
      {Patrol, PestControl, kNormal, on(26, 9, 20), "", "", "河滨花园", "河滨花园西侧雨水井", "雨水井积水，蚊幼滋生",
       "巡查发现小区西侧雨水井积水，可见蚊幼。",
       {{60, Assign, "除害站"},
        {kDay + 30, Start},
        {kDay + 60, Handle, "已对小区雨水井统一投药控制蚊幼，共投药雨水井12个。"},
        {kDay + 200, Visit, "居委会爱卫干部复查，未见蚊幼。", kSatisfied},
        {kDay + 210, Close}}},
      // 9. A dissatisfied visit: reopened and handled again (再次处置).
      {Hotline, Noise, kNormal, on(21, 20, 45), "陈先生", "13601752288", "河滨花园", "河滨花园10号楼1202室楼上",
       "楼上夜间装修噪音扰民", "楼上住户晚上十点后仍在装修，电钻声很大，影响休息。",
       {{40, Contact, "已回电陈先生，告知将联系城管中队上门。"},
        {50, Assign, "城管中队"},
        {kDay, Start},
        {kDay + 120, Handle, "已上门告知装修时间规定，住户承诺晚八点后停工。"},
        {2 * kDay + 60, Visit, "陈先生反映昨晚十点仍有电钻声，不满意。", kDissatisfied},
        {2 * kDay + 70, Reopen, "回访不满意，预警：请城管中队3个工作日内再次处置。"},
        {3 * kDay + 600, Handle, "夜间蹲点核实，约谈装修队负责人并书面告知，已签承诺书。"},
        {5 * kDay + 60, Visit, "陈先生表示连续三晚未再有噪音，满意。", kSatisfied},
        {5 * kDay + 70, Close}}},
      // 10. A 延期 the centre approved; the citizen calls again and the centre presses (催办).
      {Phone, PropertyManagement, kNormal, on(10, 11), "吴女士", "13524470916", "河滨花园", "河滨花园6号楼",
       "单元门禁损坏，陌生人随意进出", "6号楼单元门禁坏了半个月，物业一直未修。",
       {{30, Contact, "已回电吴女士，告知由房管办督促物业维修。"},
        {40, Assign, "房管办"},
        {kDay + 30, Start},
        {2 * kDay, Note, "已督促物业，门禁主板需向厂家订货。"},
        {3 * kDay, ExtendAsk, "门禁主板订货需约一周到货，申请延期7天。", 7},
        {3 * kDay + 90, ExtendYes, "同意延期7天，期间请物业安排人员值守单元门。"},
        {3 * kDay + 200, Progress, "物业已安排白天值守，主板预计下周二到货。"},
        {8 * kDay + 30, Urge, "吴女士再次来电：门禁仍未修好，夜间无人值守。请今日内答复主板到货时间并回复市民。"}}},
      // 11. Just in: the committee may call back.
      {Hotline, Sanitation, kNormal, ago(3), "郑先生", "13918830457", "河滨花园", "河滨花园垃圾箱房",
       "垃圾箱房满溢，气味大", "小区垃圾箱房今天一早就满了，周围有异味。", {}},
      // 12. Contacted, waiting for dispatch.
      {Hotline, LivingServices, kUrgent, ago(7), "钱阿姨", "021-63802267", "河滨花园", "河滨花园2号楼301室",
       "独居老人买菜困难", "老人独居，腿脚不便，疫情期间无法外出买菜，希望有人帮忙。",
       {{20, Contact, "已回电钱阿姨，告知今天内安排志愿者联系。"}}},
      // 13. Assigned to the committee, not started yet.
      {Hotline, LivingServices, kNormal, on(1, 9, 30), "冯女士", "13681946623", "河滨花园", "河滨花园大门快递代收点",
       "快递代收点晚上无人值守", "晚上八点后代收点没人，下班回来取不到快递。",
       {{30, Contact, "已回电冯女士，告知与居委会、物业商量延长值守时间。"}, {45, Assign, "河滨花园居委会"}}},
      // 14. A 退单: not the committee's to mend; dispatched again to 管理办.
      {Phone, Municipal, kNormal, on(6, 10, 40), "朱先生", "13795310284", "河滨花园", "河滨花园南侧人行道",
       "小区外人行道地砖破损", "小区南侧人行道多块地砖松动破损，老人走路容易绊倒。",
       {{40, Contact, "已回电朱先生，告知已派单处理。"},
        {50, Assign, "河滨花园居委会"},
        {kDay, ReturnAsk, "人行道属市政道路，不在小区红线内，居委会无权维修，申请退单。"},
        {kDay + 60, ReturnYes, "同意退单，改派管理办。"},
        {kDay + 70, Assign, "管理办"},
        {2 * kDay, Start},
        {2 * kDay + 120, Progress, "已报道路养护单位，已围挡警示，排期修复。"}}},
      // 15. The hoarder at 927弄, the clearance before the story's (the first is ticket 50, in 2019).
      {Hotline, HoardingRefuse, kNormal, at(2020, 1, 8, 8, 50), "李先生", "021-63541122", "中华新路927弄",
       "中华新路927弄12号", "居民屋内堆放大量垃圾",
       "一户居民在屋内及门口堆放大量捡拾来的废品，气味难闻。去年清理过一次，没几个月又堆满了。",
       {{10, Link, "", 50},
        {60, Contact, "已回电李先生，告知将由管理办牵头清理。"},
        {70, Assign, "管理办"},
        {kDay, Start},
        {2 * kDay, Handle, "管理办会同居委会、物业上门清理，清出垃圾约两车。"},
        {3 * kDay, Visit, "李先生表示已清理，但担心再次堆放，基本满意。", kBasically},
        {3 * kDay + 10, Close}}},
      // 16. The story's call (15 February 2020): the hoarder again (反弹), a joint action of 管理办
      // with the 1+8 platform.
      {Hotline, HoardingRefuse, kUrgent, at(2020, 2, 15, 9, 25), "李先生", "021-63541122", "中华新路927弄",
       "中华新路927弄12号", "居民屋内又堆满垃圾（反弹）",
       "中华新路927弄有一户居民在屋内堆放大量垃圾，卫生状况十分糟糕。多年来相关部门清理过几次，但过不了多久又外出拾荒，"
       "再次将垃圾塞满屋子。疫情防控任务重，希望管理部门再度出手。",
       {{10, Link, "", 15},
        {20, Contact, "已回电李先生，告知中心将牵头多部门联合行动。"},
        {30, Assign, "管理办"},
        {kDay, Start},
        {kDay + 100, CoAdd, "1+8联动平台"},
        {kDay + 120, Note, "管理办联合“1+8”联动平台、居委会、物业制定整治方案。"},
        {2 * kDay + 60, Progress, "联合整治进行中：已清运四车，室内消杀。"},
        {2 * kDay + 240, CoReply, "联动平台已协调城管、房管、环卫车辆和消杀人员到场，配合清运完毕。"},
        {2 * kDay + 300, Handle, "整治完成：清运垃圾六车，室内消杀，居委会落实每周上门关爱。"},
        {3 * kDay, Visit, "与李先生回访交流，表示满意；请其继续监督，一有反弹再向中心反映。", kSatisfied},
        {3 * kDay + 10, Close}}},
      // 17.
      {Patrol, PestControl, kNormal, on(3, 9), "", "", "中华新路927弄", "中华新路927弄10-14号之间",
       "弄堂内鼠迹明显", "巡查发现弄堂墙根鼠迹、鼠粪，靠近原堆物户。",
       {{60, Assign, "除害站"}, {kDay, Start}, {kDay + 60, Note, "已设置毒鼠盒4个，投药，下周复查。"}}},
      // 18.
      {Hotline, Municipal, kNormal, on(17, 7, 50), "何师傅", "13062835517", "中华新路927弄", "中华新路927弄弄口",
       "弄口下水道堵塞，污水外溢", "下雨后弄口下水道返水，污水漫到路面。",
       {{30, Contact, "已回电何师傅。"},
        {40, Assign, "管理办"},
        {180, Start},
        {kDay + 60, Handle, "已联系排水所疏通，清出淤泥。"},
        {2 * kDay, Visit, "何师傅表示已不返水，满意。", kSatisfied},
        {2 * kDay + 10, Close}}},
      // 19.
      {Hotline, EpidemicControl, kUrgent, on(36, 19, 30), "匿名市民", "13311870246", "中华新路927弄",
       "中华新路927弄3号底层", "弄堂里棋牌室还没关", "我们弄堂里的棋牌室怎么还没关！每天有人聚集打牌。",
       {{15, Contact, "已回电，告知当日核查。"},
        {20, Assign, "平安办"},
        {60, Start},
        {240, Handle, "平安办会同派出所上门，棋牌室已关停并张贴告示。"},
        {300, Visit, "来电人确认已关门，满意。", kSatisfied},
        {310, Close}}},
      // 20.
      {WalkIn, LivingServices, kUrgent, on(35, 10), "马先生", "15821337764", "中华新路927弄",
       "中华新路927弄7号", "非户籍人员返沪后求助", "返沪后居住登记遇到困难，租住地无法办理，来访求助。",
       {{10, Contact, "来访当场接待，记录情况和联系电话。"},
        {20, Assign, "服务办"},
        {90, Start},
        {300, Handle, "服务办协调居委会完成居住登记，告知健康管理要求。"},
        {kDay, Visit, "马先生已办妥登记，满意。", kSatisfied},
        {kDay + 10, Close}}},
  };
  // clang-format on
}

std::vector<DemoTicket> demo_street_history() {
  // clang-format off
  return {
      // 50. The hoarder's first clearance on record, months before the epidemic.
      {Hotline, HoardingRefuse, kNormal, at(2019, 9, 16, 10, 5), "李先生", "021-63541122", "中华新路927弄",
       "中华新路927弄12号", "居民门口堆放捡拾的废品",
       "12号一户居民外出拾荒，把废纸板、塑料瓶堆在门口和公共过道，夏天有异味，还招老鼠。",
       {{30, Contact, "已回电李先生，告知由管理办会同居委会上门处理。"},
        {40, Assign, "管理办"},
        {kDay, Start},
        {kDay + 60, Note, "居委会上门做工作，该户同意清理门口堆物，室内暂不同意。"},
        {3 * kDay, Handle, "管理办会同居委会、物业清理门口和过道堆物，清出废品约一车。"},
        {4 * kDay, Visit, "李先生表示门口已清爽，满意。", kSatisfied},
        {4 * kDay + 10, Close}}},
  };
  // clang-format on
}

}  // namespace linli::demo
