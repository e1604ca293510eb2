// The write policy's refusals in the user's words (app/refusal_text.h): every rule in Chinese and
// English, never the server's English text in a Chinese screen.
#include "refusal_text.h"

#include <gtest/gtest.h>

#include "policy/write_policy.h"

namespace linli::ui {
namespace {

bool has_latin_letter(const std::string& s) {
  for (unsigned char c : s)
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return false;
}

TEST(RefusalText, EveryRuleIsSaidInChineseAndInEnglish) {
  for (int i = 1; i < kRefusalRuleCount; ++i) {
    Refusal r;
    r.rule = static_cast<RefusalRule>(i);
    r.reason = "[policy] the server's words";
    r.subject = "管理办";
    r.count = 2;
    r.role = Role::Committee;
    r.action = WorkflowAction::Assign;
    r.status = TicketStatus::Closed;
    r.task = CentreTask::Decide;
    const std::string zh = refusal_text(Lang::Zh, r), en = refusal_text(Lang::En, r);
    EXPECT_FALSE(zh.empty()) << i;
    EXPECT_FALSE(has_latin_letter(zh)) << "rule " << i << ": " << zh;
    EXPECT_EQ(zh.find("{"), std::string::npos) << zh;
    EXPECT_FALSE(en.empty()) << i;
    EXPECT_EQ(en.find("[policy]"), std::string::npos) << en;
    EXPECT_EQ(en.find("{"), std::string::npos) << en;
    EXPECT_NE(zh, en);
  }
}

TEST(RefusalText, WhatThePolicySaysReachesTheUserInTheirLanguage) {
  TicketState s;
  s.exists = true;
  s.ticket.community = "河滨花园";
  s.ticket.status = TicketStatus::Received;
  const Actor committee{Role::Committee, "河滨花园"};
  const auto assign = judge_action(committee, s, WorkflowAction::Assign);
  ASSERT_TRUE(assign);
  EXPECT_EQ(refusal_text(Lang::Zh, *assign), "居委会不能执行「派单」");
  EXPECT_EQ(refusal_text(Lang::En, *assign), "A committee cannot take the step “Assign”");

  const Actor other{Role::Committee, "普善路小区"};
  const auto outside = judge_action(other, s, WorkflowAction::ContactCitizen);
  ASSERT_TRUE(outside);
  EXPECT_EQ(refusal_text(Lang::Zh, *outside), "这张工单不在你的负责范围内（普善路小区）");

  const Actor centre{Role::Centre, ""};
  const auto close = judge_action(centre, s, WorkflowAction::Close);
  ASSERT_TRUE(close);
  EXPECT_EQ(refusal_text(Lang::Zh, *close), "工单「已受理」时不能「结案」");

  // The app's own checks word their refusal themselves: passed through.
  EXPECT_EQ(refusal_text(Lang::Zh, Refusal{RefusalCode::Forbidden, "请先登录"}), "请先登录");
}

}  // namespace
}  // namespace linli::ui
