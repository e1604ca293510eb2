// The demo street, south half: 天目西路小区, 普善路小区, 长安路 and 恒丰路 — the epidemic's hotline
// (masks, chess rooms, reopening firms) and the spring patriotic health campaign (毒鼠盒, 下水道,
// 雨水井, 捕蝇笼, 工地, 餐饮单位), as the 2020-04 社区晨报 counts them. Data only.
#include "core/demo_street.h"

namespace linli::demo {

using enum Do;
using enum Source;
using enum Category;
constexpr Urgency kUrgent = Urgency::Urgent;
constexpr Urgency kNormal = Urgency::Normal;

std::vector<DemoTicket> demo_street_south() {
  // One ticket's intake on two or three lines, then its steps, one a line.
  // clang-format off
  return {
      // 21. The story's cancer patient: eight hospital visits a month.
      {Phone, EpidemicControl, kUrgent, on(37, 8, 15), "陈女士", "13661829876", "天目西路小区", "天目西路218弄5号",
       "癌症患者预约口罩不够用", "对不起，我是癌症患者，每月要去医院8次，预约的口罩不够用，能帮帮我吗？",
       {{10, Contact, "已回电陈女士，安慰并告知当天内答复。"},
        {20, Assign, "服务办"},
        {40, Start},
        {200, Handle, "服务办协调社区储备，为陈女士送去口罩20只，并告知后续预约渠道。"},
        {260, Visit, "陈女士收到口罩，非常感谢，满意。", kSatisfied},
        {270, Close}}},
      // 22.
      {Hotline, EpidemicControl, kUrgent, on(36, 9, 40), "赵先生", "18621003344", "普善路小区", "普善路126号",
       "小区棋牌室仍未关闭", "疫情期间小区棋牌室仍在营业，要求关停。",
       {{15, Contact, "已回电赵先生，告知当日核查。"},
        {25, Assign, "平安办"},
        {70, Start},
        {200, Handle, "已责令棋牌室停业，居委会每日巡查。"},
        {280, Visit, "赵先生确认已停业，满意。", kSatisfied},
        {290, Close}}},
      // 23.
      {WalkIn, BusinessSupport, kNormal, on(30, 14), "周经理", "13501234567", "长安路", "长安路1001号",
       "企业复工申请未通过，咨询原因", "为什么我们企业复工申请还是没通过？已提交两次，来访咨询。",
       {{10, Contact, "来访当场接待，登记企业名称和联系人。"},
        {30, Assign, "营商办"},
        {kDay, Start},
        {kDay + 120, Note, "经核，申请缺少员工健康登记表和防疫物资清单。"},
        {2 * kDay, Handle, "已指导企业补齐材料，复工申请已通过。"},
        {3 * kDay, Visit, "周经理表示已复工，但审核时间偏长，基本满意。", kBasically},
        {3 * kDay + 10, Close}}},
      // 24.
      {Hotline, BusinessSupport, kNormal, on(5, 10, 5), "林女士", "13917705521", "长安路", "长安路988号3楼",
       "小微企业咨询复工复产扶持政策", "公司12名员工，想了解房租减免和稳岗补贴怎么申请。",
       {{45, Contact, "已回电林女士，告知由营商办专人对接。"},
        {60, Assign, "营商办"},
        {kDay + 60, Start},
        {kDay + 200, Progress, "已发送政策清单，约定下周一上门辅导申报。"}}},
      // 25. 20 restaurants checked as they reopened.
      {Patrol, PestControl, kNormal, on(24, 9), "", "", "恒丰路", "恒丰路沿街餐饮店", "复工餐饮单位防鼠设施抽查",
       "结合餐饮业复工复产，抽查辖区20家单位灭鼠工作情况。",
       {{60, Assign, "除害站"},
        {kDay, Start},
        {3 * kDay, Handle, "已抽查20家，3家挡鼠板缺失已当场指导整改。"},
        {4 * kDay, Visit, "复查3家整改到位。", kSatisfied},
        {4 * kDay + 10, Close}}},
      // 26.
      {Patrol, PestControl, kNormal, on(8, 14, 30), "", "", "恒丰路", "恒丰路工地（北侧围挡内）",
       "工地发现鼠迹，需落实防鼠设施", "巡查发现工地生活区有鼠迹，食堂无挡鼠板。",
       {{60, Assign, "除害站"}, {kDay, Start}, {kDay + 180, Handle, "已在工地投放鼠药，督促食堂加装挡鼠板。"}}},
      // 27.
      {Patrol, PestControl, kNormal, on(29, 10, 30), "", "", "天目西路小区", "天目西路临时疏导点", "临时疏导点投放鼠药",
       "临时疏导点堆放杂物，易滋生鼠害，需投药。",
       {{40, Assign, "除害站"},
        {kDay, Start},
        {kDay + 90, Handle, "已在疏导点投放鼠药，设毒鼠盒6个。"},
        {2 * kDay, Visit, "巡查复核到位。", kSatisfied},
        {2 * kDay + 10, Close}}},
      // 28. Assigned eight days ago and not started: past five working days, overdue unless holidays intervene.
      {Hotline, PestControl, kNormal, on(8, 19, 10), "宋先生", "13817269943", "普善路小区", "普善路118弄下水道口",
       "下水道口老鼠出没", "晚上下水道口经常有老鼠窜出，小孩害怕。",
       {{40, Contact, "已回电宋先生，告知由除害站统一投药。"}, {60, Assign, "除害站"}}},
      // 29. 1387 rain-water wells dosed against mosquito larvae.
      {Patrol, PestControl, kNormal, on(27, 8, 30), "", "", "天目西路小区", "辖区雨水井", "早春雨水井投药控制蚊幼",
       "早春蚊蝇控制：对辖区雨水井统一投药。",
       {{30, Assign, "除害站"},
        {kDay, Start},
        {5 * kDay, Progress, "已投药雨水井860个。"},
        {9 * kDay, Handle, "辖区雨水井投药完成，共计1387个。"},
        {10 * kDay, Visit, "爱卫办抽查50个，投药到位。", kSatisfied},
        {10 * kDay + 10, Close}}},
      // 30. Fly cages from mid-March: 124 in all.
      {Patrol, PestControl, kNormal, on(18, 9), "", "", "天目西路小区", "天目西路小区绿地", "社区、绿地设置捕蝇笼",
       "春季爱国卫生运动：在社区、绿地设置捕蝇笼，每周1次添水补药。",
       {{30, Assign, "除害站"},
        {kDay, Start},
        {4 * kDay, Handle, "社区、绿地共设置捕蝇笼124个，已交居委会爱卫干部每周巡查。"},
        {5 * kDay, Visit, "居委会爱卫干部确认设施完好。", kSatisfied}}},
      // 31.
      {Hotline, EpidemicControl, kUrgent, on(34, 11, 20), "黄先生", "13701620038", "普善路小区", "普善路小区大门",
       "要求加强外来人员管理", "快递员、外卖员随意进小区，建议只在门口交接。",
       {{20, Contact, "已回电黄先生。"},
        {30, Assign, "普善路小区居委会"},
        {60, Start},
        {240, Handle, "居委会在大门设交接点，外卖快递一律门口交接。"},
        {kDay, Visit, "黄先生满意。", kSatisfied},
        {kDay + 10, Close}}},
      // 32.
      {Phone, LivingServices, kNormal, on(2, 9, 50), "蔡阿姨", "021-63170094", "普善路小区", "普善路小区9号楼",
       "高龄老人配药困难", "老伴88岁，慢性病药快吃完了，子女在外地，无法去医院配药。",
       {{30, Contact, "已回电蔡阿姨，告知居委会将安排代配药。"},
        {40, Assign, "普善路小区居委会"},
        {120, Start},
        {kDay, Handle, "居委会志愿者已代配药送上门。"}}},
      // 33.
      {Hotline, IllegalStructure, kNormal, on(4, 16, 20), "邓先生", "13918067712", "天目西路小区",
       "天目西路小区12号楼顶层", "顶楼住户在屋顶违法搭建", "顶楼住户在屋顶平台搭建彩钢板房，担心漏水和安全。",
       {{60, Contact, "已回电邓先生，告知城管中队核查。"}, {80, Assign, "城管中队"}, {kDay + 120, Start}}},
      // 34.
      {Phone, PropertyManagement, kNormal, on(3, 13, 40), "韩女士", "13816022485", "天目西路小区",
       "天目西路小区4号楼601室", "顶层渗水，物业不管", "下雨屋顶渗水，物业说要业委会动用维修资金，一直没人管。",
       {{40, Contact, "已回电韩女士。"},
        {50, Assign, "房管办"},
        {kDay, Start},
        {kDay + 200, Progress, "已召集物业、业委会现场查看，先做临时防水。"}}},
      // 35.
      {Hotline, Sanitation, kNormal, on(6, 8, 30), "曹先生", "13564120893", "长安路", "长安路1010号门口",
       "沿街商铺垃圾堆在人行道", "商铺把垃圾袋堆在人行道上，过夜才收。",
       {{30, Contact, "已回电曹先生。"},
        {40, Assign, "管理办"},
        {kDay, Start},
        {kDay + 180, Handle, "已约谈商铺，纳入门责管理，垃圾定时定点投放。"}}},
      // 36.
      {Hotline, Municipal, kNormal, on(23, 17, 10), "谢女士", "13671739152", "长安路", "长安路1001号对面人行道",
       "非机动车乱停堵塞人行道", "共享单车和电瓶车停满人行道，轮椅无法通过。",
       {{30, Contact, "已回电谢女士。"},
        {40, Assign, "管理办"},
        {kDay, Start},
        {kDay + 120, Handle, "已清理乱停车辆，施划非机动车停放线。"},
        {2 * kDay, Visit, "谢女士表示通行已恢复，满意。", kSatisfied},
        {2 * kDay + 10, Close}}},
      // 37.
      {Hotline, Municipal, kUrgent, on(16, 19, 5), "潘先生", "18917723306", "恒丰路", "恒丰路与天目西路路口",
       "路口路灯不亮，夜间行人危险", "路口两盏路灯不亮已有三天，晚上很黑。",
       {{10, Contact, "已回电潘先生，告知当晚处置。"},
        {15, Assign, "管理办"},
        {30, Start},
        {180, Handle, "已报修，路灯所当晚修复。"},
        {kDay, Visit, "潘先生确认路灯已亮，满意。", kSatisfied},
        {kDay + 10, Close}}},
      // 38. Assigned yesterday: 管理办 has it to start.
      {Hotline, Sanitation, kNormal, on(1, 9, 10), "彭先生", "13482206671", "普善路小区", "普善路小区垃圾分类投放点",
       "垃圾分类投放点满溢无人清运", "湿垃圾桶满溢两天，周边有异味。",
       {{30, Contact, "已回电彭先生。"}, {50, Assign, "管理办"}}},
      // 39.
      {Hotline, EpidemicControl, kUrgent, on(32, 21, 10), "许女士", "13601936658", "天目西路小区", "天目西路小区15号楼",
       "邻居返沪未居家观察", "对门邻居刚从外地返沪，天天外出，担心传染。",
       {{10, Contact, "已回电许女士，告知居委会当日核实。"},
        {20, Assign, "天目西路小区居委会"},
        {40, Start},
        {200, Handle, "居委会已上门核实，邻居已返沪满14天，解释到位。"},
        {300, Visit, "许女士表示理解，基本满意。", kBasically},
        {310, Close}}},
      // 40. Just in, urgent: a safety hazard that must be answered today.
      {Hotline, Municipal, kUrgent, ago(1), "蒋先生", "13795486610", "天目西路小区", "天目西路小区3号楼前",
       "大风吹断树枝悬挂在人行道上方", "树枝折断挂在半空，下面是人行道，随时可能掉落。",
       {}},
      // 41. Just in.
      {Hotline, Noise, kNormal, ago(5), "沈女士", "13621985530", "普善路小区", "普善路小区7号楼",
       "邻居犬只夜间吠叫扰民",
       "邻居家狗每天夜里叫，已沟通无效。",
       {}},
      // 42. Contacted, waiting for dispatch.
      {Hotline, Municipal, kNormal, ago(9), "韦先生", "13311562087", "恒丰路", "恒丰路600号公交站旁",
       "公交站旁井盖缺失",
       "井盖不见了，已用纸箱临时盖住，很危险。",
       {{15, Contact, "已回电韦先生，已请其提醒路人，中心马上派单。"}, {25, Urgent}}},
      // 43. Contacted, waiting for dispatch.
      {Phone, BusinessSupport, kNormal, on(1, 15), "杨经理", "13564788421", "长安路", "长安路1018号",
       "企业咨询疫情期间房租减免", "承租国有房屋，想了解疫情期间房租减免怎么办理。",
       {{120, Contact, "已回电杨经理，初步解答，需营商办进一步对接。"}}},
      // 44. 管理办 at work.
      {Patrol, Sanitation, kNormal, on(2, 8, 20), "", "", "恒丰路", "恒丰路沿街绿化带", "绿化带内垃圾杂物较多",
       "巡查发现沿街绿化带有塑料袋、饮料瓶等垃圾。",
       {{30, Assign, "管理办"}, {kDay, Start}, {kDay + 60, Progress, "已安排保洁清理一半，明日完成。"}}},
      // 45. 除害站 to start.
      {Hotline, PestControl, kNormal, on(1, 8, 50), "戴女士", "13917043358", "天目西路小区", "天目西路小区垃圾箱房",
       "垃圾箱房苍蝇多", "垃圾箱房周边苍蝇很多，已飞进一楼住户家。",
       {{30, Contact, "已回电戴女士。"}, {45, Assign, "除害站"}}},
      // 46. 175 bait boxes set, maintained weekly.
      {Patrol, PestControl, kNormal, on(20, 9), "", "", "普善路小区", "辖区各小区", "设置、维护毒鼠盒并补药",
       "春季爱国卫生运动：辖区设置毒鼠盒，对易滋生鼠害的下水道统一投药，填埋鼠洞。",
       {{30, Assign, "除害站"},
        {kDay, Start},
        {4 * kDay, Progress, "已设置毒鼠盒120个，投药下水道9个。"},
        {8 * kDay, Handle,
         "共设置毒鼠盒175个，投药下水道14个，填埋鼠洞8个，投放鼠药临时疏导点1个、工地5个，灭鼠102只。"}}},
      // 47.
      {Hotline, Other, kNormal, on(12, 10, 30), "邱先生", "13761447205", "长安路", "长安路1001号", "咨询社区献血活动",
       "看到社区青年献血的报道，想了解怎么参加。",
       {{30, Contact, "已回电邱先生，告知献血点和时间，市民表示清楚。"},
        {40, Assign, "服务办"},
        {90, Handle, "已发送献血活动信息。"},
        {kDay, Visit, "邱先生满意。", kSatisfied},
        {kDay + 10, Close}}},
      // 48. In progress for nine days, no extension asked: past five working days unless holidays intervene.
      {Hotline, PropertyManagement, kNormal, on(9, 16), "陆女士", "13918825904", "普善路小区", "普善路小区11号楼",
       "电梯频繁故障", "11号楼电梯一周坏三次，老人被困过一次。",
       {{30, Contact, "已回电陆女士，告知房管办督促维保单位检修。"},
        {40, Assign, "房管办"},
        {kDay, Start},
        {2 * kDay, Progress, "维保单位已检修，需更换控制柜，正在走维修资金流程。"}}},
      // 49. 管理办 at work, with a report on the way.
      {Hotline, Sanitation, kNormal, on(3, 9, 15), "罗先生", "13816653027", "长安路", "长安路1005弄口",
       "弄口墙面乱贴小广告", "弄口墙面、电线杆上贴满疏通管道、办证小广告，撕了又贴。",
       {{40, Contact, "已回电罗先生。"},
        {50, Assign, "管理办"},
        {kDay + 30, Start},
        {kDay + 240, Progress, "已清除墙面小广告，电话号码已报城管中队追查。"}}},
  };
  // clang-format on
}

}  // namespace linli::demo
