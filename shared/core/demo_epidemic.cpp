// The demo street's hotline in February and March 2020, generated: about 150 epidemic tickets in
// February and 300 in March (the seed: 300余件 by mid-March), the firms restarting, the help for
// households in quarantine and the everyday calls, each with the timeline a centre would have
// written, from intake to 结案. Pure and deterministic: a fixed-seed PRNG, absolute Shanghai dates,
// no clock.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "core/civil_time.h"
#include "core/demo_epidemic.h"
#include "core/demo_street.h"

namespace linli::demo {

When at(int year, int month, int day, int hour, int minute) {
  When w;
  w.at_ms = shanghai_day_start_ms(days_from_civil(year, month, day)) + (hour * 60 + minute) * 60'000LL;
  return w;
}

namespace {

using namespace epidemic;

// SplitMix64: small, fast, and the same on every compiler, so the street is the same everywhere.
class Prng {
 public:
  explicit Prng(uint64_t seed) : m_state(seed) {}
  uint64_t next() {
    uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<uint64_t>(n)); }
  bool percent(int p) { return below(100) < p; }
  template <typename T>
  const T& pick(const std::vector<T>& v) { return v[static_cast<size_t>(below(static_cast<int>(v.size())))]; }
  // An index into `weights`, each chosen in proportion to its weight.
  template <size_t N>
  int weighted(const std::array<int, N>& weights) {
    int total = 0;
    for (int w : weights) total += w;
    int r = below(total);
    for (size_t i = 0; i < N; ++i)
      if ((r -= weights[i]) < 0) return static_cast<int>(i);
    return 0;
  }

 private:
  uint64_t m_state;
};

struct Community {
  std::string_view name, committee;
  int weight;
};
constexpr Community kCommunities[] = {{"河滨花园", "河滨花园居委会", 3},
                                      {"中华新路927弄", "中华新路927弄居委会", 2},
                                      {"天目西路小区", "天目西路小区居委会", 3},
                                      {"普善路小区", "普善路小区居委会", 3}};

// Epidemic tickets (category epidemic_control) a day, 1 February to 31 March: the first weeks
// after the holiday the busiest, the firms' restart in March, the returns from abroad late in March.
// February 156 and 1-15 March 145: 301 by mid-March. March 300.
constexpr std::array<int, 29> kFebruary = {3, 4, 7, 8, 9, 8, 8, 6, 5,  // 1-9
                                           8, 7, 7, 6, 6, 5, 4,        // 10-16
                                           6, 5, 5, 5, 4, 4, 3,        // 17-23
                                           5, 4, 4, 4, 3, 3};          // 24-29
constexpr std::array<int, 31> kMarch = {6,                              // 1
                                        12, 13, 12, 11, 11, 8, 7,       // 2-8
                                        11, 11, 10, 10, 9, 7, 7,        // 9-15
                                        10, 10, 10, 11, 10, 9, 8,       // 16-22
                                        11, 11, 10, 10, 9, 7, 7,        // 23-29
                                        11, 11};                        // 30-31

// Calls an hour of the day, as a hotline sees them.
constexpr std::array<int, 24> kHours = {1, 0, 0, 0, 0, 1, 2, 5, 12, 16, 15, 12,
                                        6, 9, 12, 11, 10, 7, 5, 6, 6, 4, 2, 1};

constexpr std::string_view kSurnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林",
    "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "田", "董", "潘", "袁",
    "蔡", "蒋", "余", "杜", "叶", "程", "魏", "苏", "吕", "丁", "任", "沈", "姚", "卢", "钟", "姜", "崔", "陆",
    "范", "汪", "石", "金", "夏", "方", "邹", "秦", "邱", "顾", "龚", "邵", "钱", "戴", "严", "汤", "俞", "诸葛"};
constexpr std::string_view kGivenFirst[] = {"建", "国", "志", "文", "晓", "海", "雅", "梦", "嘉", "子",
                                            "佳", "思", "一", "雨", "天", "永", "德", "慧", "秀", "振"};
constexpr std::string_view kGivenLast[] = {"堃", "喆", "昇", "珺", "华", "明", "平", "芳", "琳", "雯", "杰",
                                           "峰", "萍", "婷", "涵", "轩", "宇", "敏", "琦", "怡", "玥", "赟",
                                           "翀", "淼", "昱", "彧", "婕", "琰", "晟", "祎", "伟", "静", "磊", "娟"};
constexpr std::string_view kTitlesOf[] = {"先生", "女士", "先生", "女士", "阿姨", "老伯", "师傅"};
constexpr std::string_view kMobile[] = {"139", "138", "137", "136", "135", "158", "159", "186", "189",
                                        "133", "177", "150", "152", "188", "131", "153", "181", "199"};

// What a place template names, by its first two characters ("{community}{n}号楼电梯" → "电梯"); empty
// for a bare number or an address.
std::string_view place_key(std::string_view place) {
  for (std::string_view prefix : {"{community}", "{n}号楼", "{n}号"})
    if (place.substr(0, prefix.size()) == prefix) place.remove_prefix(prefix.size());
  if (place.find('{') != std::string_view::npos) return {};
  return place.substr(0, std::min<size_t>(place.size(), 6));  // Two characters of UTF-8.
}

template <typename T, size_t N>
const T& pick(Prng& r, const T (&v)[N]) { return v[r.below(static_cast<int>(N))]; }

std::string digits(Prng& r, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += static_cast<char>('0' + r.below(10));
  return s;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

// Who called: the name on the ticket, and how the centre's notes name them.
struct Caller {
  std::string name, who, phone;
};

Caller make_caller(Prng& r, bool firm) {
  Caller c;
  if (r.percent(15)) {
    c.phone = "021-6" + digits(r, 7);
  } else {
    const std::string rest = digits(r, 8);
    c.phone = std::string(pick(r, kMobile)) + rest;
  }
  const std::string surname(pick(r, kSurnames));
  const int kind = r.below(100);
  if (firm) {
    c.name = c.who = surname + (kind < 40 ? "经理" : kind < 60 ? "老板" : kind < 80 ? "女士" : "先生");
  } else if (kind < 7) {
    c.name = "匿名市民";
    c.who = "来电人";
  } else if (kind < 62) {
    c.name = c.who = surname + std::string(pick(r, kTitlesOf));
  } else {
    const std::string last(pick(r, kGivenLast));  // Each draw in its own statement: the order is fixed.
    const std::string first = r.percent(35) ? "" : std::string(pick(r, kGivenFirst));
    c.name = surname + first + last;
    c.who = c.name;
  }
  return c;
}

std::string home_address(Prng& r, int community) {
  const int floor = 1 + r.below(6), room = 1 + r.below(4);
  const std::string flat = std::to_string(floor * 100 + room) + "室";
  switch (community) {
    case 0: {
      const int level = 1 + r.below(18), building = 1 + r.below(12);
      return "河滨花园" + std::to_string(building) + "号楼" + std::to_string(level * 100 + room) + "室";
    }
    case 1: return "中华新路927弄" + std::to_string(1 + r.below(40)) + "号";
    case 2: return "天目西路218弄" + std::to_string(1 + r.below(30)) + "号" + flat;
    default: {
      constexpr const char* kLanes[] = {"118", "126", "140"};
      const int number = 1 + r.below(20);
      const std::string lane = pick(r, kLanes);
      return "普善路" + lane + "弄" + std::to_string(number) + "号" + flat;
    }
  }
}

// The text with its placeholders filled in.
struct Fill {
  std::string who, addr, community, place, firm, dept;
  std::string operator()(std::string_view text) const {
    std::string s(text);
    replace_all(s, "{who}", who);
    replace_all(s, "{addr}", addr);
    replace_all(s, "{community}", community);
    replace_all(s, "{place}", place);
    replace_all(s, "{firm}", firm);
    replace_all(s, "{dept}", dept);
    return s;
  }
};

// A text of `list` that fits the handler, chosen at random (the first that fits if none is drawn).
std::string_view fitting(Prng& r, const std::vector<std::string_view>& list, std::string_view handler) {
  for (int tries = 0; tries < 8; ++tries) {
    std::string_view t = r.pick(list);
    if (fits_handler(t, handler)) return t;
  }
  for (std::string_view t : list)
    if (fits_handler(t, handler)) return t;
  return list.front();
}

// One day's calls of one topic, as tickets. Every draw from the PRNG is a statement of its own (or
// the only draw of its expression): C++ leaves the order of a + b's and a call's arguments open,
// and gcc and clang (the WebAssembly build) choose differently. `minute` is the receipt's minute of its day.
class TicketMaker {
 public:
  TicketMaker(Prng& r, const Topic& topic) : m_r(r), m_topic(topic) {}

  DemoTicket make(int month, int day) {
    const int hour = m_r.weighted(kHours), minute = m_r.below(60);
    m_clock = hour * 60 + minute;
    DemoTicket d{Source::Hotline, m_topic.category, Urgency::Normal, at(2020, month, day, hour, minute),
                 "", "", "", "", "", "", {}};
    const int s = m_r.below(100);
    d.source = s < 74 ? Source::Hotline : s < 92 || hour < 8 || hour >= 17 ? Source::Phone : Source::WalkIn;
    const bool urgent = m_topic.urgent;
    d.urgency = urgent && m_r.percent(60) ? Urgency::Urgent : Urgency::Normal;  // Else rated so by the centre.

    const Caller caller = make_caller(m_r, m_topic.firms);
    int community = 0;
    if (m_topic.firms) {
      const bool changan = m_r.percent(55);
      d.community = changan ? "长安路" : "恒丰路";
      m_fill.addr = d.community + std::to_string(changan ? 1001 + m_r.below(40) : 500 + m_r.below(150)) + "号";
      m_fill.firm = std::string(m_r.pick(firms()));
    } else {
      std::array<int, 4> weights{};
      for (size_t i = 0; i < weights.size(); ++i) weights[i] = kCommunities[i].weight;
      community = m_r.weighted(weights);
      d.community = kCommunities[community].name;
      m_fill.addr = home_address(m_r, community);
    }
    m_fill.who = caller.who;
    m_fill.community = d.community;
    d.name = caller.name;
    d.phone = caller.phone;

    // Where: a place the call speaks of (the gate, the lift, the alley's mouth), else the caller's home.
    const Call& call = m_r.pick(m_topic.calls);
    std::vector<std::string_view> spoken_of;
    for (std::string_view place : m_topic.places)
      if (std::string_view key = place_key(place); !key.empty() && (call.title.find(key) != std::string_view::npos ||
                                                                     call.description.find(key) != std::string_view::npos))
        spoken_of.push_back(place);
    m_fill.place = spoken_of.empty() ? m_fill.addr : fill_place(m_r.pick(spoken_of));
    d.address = m_topic.firms ? m_fill.addr : m_fill.place;
    d.title = m_fill(call.title);
    std::string opener(m_topic.firms ? "" : m_r.pick(openers())), closer(m_r.pick(closers()));
    d.description = m_fill(opener) + m_fill(call.description) + m_fill(closer);

    const std::string handler = handler_of(call, community);
    m_fill.dept = handler;
    write_steps(d, call, handler, community, urgent && d.urgency == Urgency::Normal);
    return d;
  }

 private:
  std::string fill_place(std::string_view place) {
    std::string s(place);
    replace_all(s, "{n}", std::to_string(1 + m_r.below(12)));
    return m_fill(s);
  }

  std::string committee_of(int community) const {
    return m_topic.firms ? "营商办" : std::string(kCommunities[community].committee);
  }
  std::string department(std::string_view d, int community) const {
    return d == kCommittee ? committee_of(community) : std::string(d);
  }
  std::string handler_of(const Call& call, int community) {
    if (!call.department.empty()) return department(call.department, community);
    int total = 0;
    for (const Route& route : m_topic.routes) total += route.weight;
    int pick = m_r.below(total);
    for (const Route& route : m_topic.routes)
      if ((pick -= route.weight) < 0) return department(route.department, community);
    return department(m_topic.routes.front().department, community);
  }

  // Minutes from receipt of the next moment at or after `t` when people work (07:30-22:00).
  int daytime(int t) {
    const int clock = (m_clock + t) % kDay;
    if (clock >= 22 * 60) return t + (kDay - clock) + 7 * 60 + 30 + m_r.below(90);
    if (clock < 7 * 60 + 30) return t + (7 * 60 + 30 - clock) + m_r.below(90);
    return t;
  }
  // The next morning (08:30 or a little after).
  int next_morning(int t) {
    const int clock = (m_clock + t) % kDay;
    return t + (kDay - clock) + 8 * 60 + 30 + m_r.below(60);
  }

  void add(DemoTicket& d, int t, Do what, std::string text = "", int arg = 0) {
    d.steps.push_back(Step{t, what, std::move(text), arg});
  }

  void write_steps(DemoTicket& d, const Call& call, const std::string& handler, int community, bool rate_urgent) {
    const bool urgent = m_topic.urgent;
    int t = 0;
    if (rate_urgent) add(d, t += 3 + m_r.below(4), Do::Urgent);
    // 先行联系: an urgent ticket the same day (不过夜), by the night duty if need be; now and then
    // the next morning.
    if (m_r.percent(2))
      t = next_morning(t);
    else if (urgent)
      t += 5 + m_r.below(40);
    else
      t = daytime(t + 5 + m_r.below(180));
    add(d, t, Do::Contact, m_fill(fitting(m_r, m_topic.contacts, handler)));
    // 派单; now and then to the wrong one first, who asks to return it (退单).
    const Misroute* misroute = nullptr;
    for (const Misroute& m : m_topic.misroutes)
      if (department(m.to, community) == handler && department(m.from, community) != handler && m_r.percent(12))
        misroute = &m;
    if (misroute) {
      const std::string first = department(misroute->from, community);
      add(d, t += 5 + m_r.below(20), Do::Assign, first);
      add(d, t = daytime(t + 30 + m_r.below(150)), Do::ReturnAsk, std::string(misroute->reason));
      add(d, t += 20 + m_r.below(60), Do::ReturnYes, "同意退单，改派" + handler + "。");
    }
    add(d, t += 5 + m_r.below(20), Do::Assign, handler);
    add(d, t = daytime(t + 20 + m_r.below(100)), Do::Start);
    // 延期, asked and decided; or 中途汇报 while work goes on.
    int days_granted = 0;
    if (m_r.percent(3)) {
      const int days = 3 + 2 * m_r.below(3);
      std::string why = m_fill(fitting(m_r, m_topic.extensions, handler));
      add(d, t = daytime(t + kDay / 2 + m_r.below(kDay / 2)), Do::ExtendAsk, std::move(why), days);
      if (m_r.percent(80)) {
        days_granted = days;
        add(d, t += 30 + m_r.below(90), Do::ExtendYes, "同意延期" + std::to_string(days) + "天，请做好中途汇报。");
      } else {
        add(d, t += 30 + m_r.below(90), Do::ExtendNo,
            urgent ? "疫情期间紧急件不予延期，请今日内办结。" : "不同意延期，请按时办结。");
      }
    }
    if (m_r.percent(urgent ? 45 : 15) || days_granted > 0) {
      std::string report = m_fill(fitting(m_r, m_topic.progress, handler));
      add(d, t = daytime(t + 60 + m_r.below(180)), Do::Progress, std::move(report));
    }
    // 办结: most the same day or the next; some in days; a few late.
    const int speed = m_r.below(100);
    if (days_granted > 0)
      t += (days_granted - 1) * kDay + m_r.below(kDay / 2);
    else if (speed < (urgent ? 60 : 25))
      t += 60 + m_r.below(300);
    else if (speed < (urgent ? 88 : 70))
      t = next_morning(t), t += m_r.below(480);  // Two draws: the comma orders them.
    else if (speed < 97)
      t += (2 + m_r.below(3)) * kDay;
    else
      t += (8 + m_r.below(3)) * kDay;  // Past the five working days.
    add(d, t = daytime(t), Do::Handle, m_fill(call.handled));
    // 回访, 结案; a dissatisfied visit is reopened (预警) and handled again.
    const int mood = m_r.below(100);
    t = daytime(t + 30 + m_r.below(240));
    if (mood < (urgent ? 4 : 7)) {
      const int i = m_r.below(static_cast<int>(m_topic.dissatisfied.size()));
      add(d, t, Do::Visit, m_fill(m_topic.dissatisfied[i]), kDissatisfied);
      add(d, t += 5 + m_r.below(20), Do::Reopen, "回访不满意，预警：请" + handler + "3个工作日内再次处置。");
      add(d, t = daytime(t + kDay / 2 + m_r.below(kDay)), Do::Handle,
          m_fill(m_topic.rehandled[i % m_topic.rehandled.size()]));
      t = daytime(t + 60 + m_r.below(240));
      if (m_r.percent(70))
        add(d, t, Do::Visit, m_fill(fitting(m_r, m_topic.satisfied, handler)), kSatisfied);
      else
        add(d, t, Do::Visit, m_fill(fitting(m_r, m_topic.basically, handler)), kBasically);
    } else if (mood < (urgent ? 14 : 20)) {
      add(d, t, Do::Visit, m_fill(fitting(m_r, m_topic.basically, handler)), kBasically);
    } else {
      add(d, t, Do::Visit, m_fill(fitting(m_r, m_topic.satisfied, handler)), kSatisfied);
    }
    add(d, t + 5 + m_r.below(30), Do::Close);
  }

  Prng& m_r;
  const Topic& m_topic;
  Fill m_fill;
  int m_clock = 0;  // The receipt's minute of its day.
};

// Which epidemic topic a call of that day is about: masks early, chess rooms as people grew
// restless, outsiders as the returns from abroad began (from 16 March).
TopicId epidemic_topic(Prng& r, int month, int day) {
  constexpr TopicId kIds[] = {TopicId::Masks, TopicId::NonResidents, TopicId::Measures, TopicId::Outsiders,
                              TopicId::ChessRooms};
  std::array<int, 5> w{15, 15, 15, 35, 20};
  if (month == 2 && day <= 16)
    w = {35, 20, 22, 13, 10};
  else if (month == 2 || day <= 15)
    w = {22, 22, 18, 18, 20};
  return kIds[r.weighted(w)];
}

TopicId everyday_topic(Prng& r) {
  constexpr TopicId kIds[] = {TopicId::Refuse, TopicId::Leaks, TopicId::Noise, TopicId::Drains, TopicId::Rats};
  return kIds[r.weighted(std::array<int, 5>{3, 3, 2, 2, 2})];
}

bool weekday(int month, int day) {
  const int64_t days = days_from_civil(2020, month, day);
  const int64_t dow = ((days % 7) + 11) % 7;  // 1970-01-01 was a Thursday (4); 0: Sunday.
  return dow != 0 && dow != 6;
}

}  // namespace

std::vector<DemoTicket> demo_epidemic_2020() {
  Prng r(20200207);  // The day of the delivery point.
  std::vector<DemoTicket> out;
  auto add = [&](TopicId id, int month, int day, int count) {
    TicketMaker maker(r, topic(id));
    for (int i = 0; i < count; ++i) out.push_back(maker.make(month, day));
  };
  for (int month : {2, 3}) {
    const int days = month == 2 ? 29 : 31;
    for (int day = 1; day <= days; ++day) {
      const int epidemic = month == 2 ? kFebruary[day - 1] : kMarch[day - 1];
      for (int i = 0; i < epidemic; ++i) add(epidemic_topic(r, month, day), month, day, 1);
      // Firms from the restart on 10 February, on working days; more in March.
      if ((month == 3 || day >= 10) && weekday(month, day)) add(TopicId::Enterprises, month, day, month == 3 && day % 3 == 0 ? 2 : 1);
      // Households in quarantine: every other day in February, every fourth in March.
      if (day % (month == 2 ? 2 : 4) == 0) add(TopicId::HomeHelp, month, day, 1);
      // Everyday calls: one a day, two on some March working days.
      add(everyday_topic(r), month, day, 1);
      if (month == 3 && day % 2 == 1 && weekday(month, day)) add(everyday_topic(r), month, day, 1);
    }
  }
  return out;
}

}  // namespace linli::demo
