// The demo street's spring campaign (春季爱国卫生运动, March-April 2020, from the shared seed 社区晨报
// 2020-04: 爱卫 and 除害站) as field-work change records, for `linli-server --seed-demo` and tests:
// the campaign, the facilities of the four demo communities and four weeks of recorded rounds by
// 除害站 (chuhai.chen) and the committees' health cadres. The totals they give are the seed's:
// 毒鼠盒 175个, 投药下水道 14个, 填埋鼠洞 8个, 灭鼠 102只, 雨水井投药 1387个, 捕蝇笼 124个, and the
// sites (临时疏导点 1, 工地 5) and 20 restaurants checked. Pure: no I/O, no clock, no randomness.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/change.h"

namespace linli {

// The campaign's fixed id, and a demo facility's (n from 1).
inline constexpr const char* kDemoCampaignId = "c2020a00000000000000000000005a01";
std::string demo_facility_id(int n);

// Every change, numbered first_counter, first_counter + 1, … of `replica` (gap-free), stamped in
// March 2020 on the days the rounds were walked.
std::vector<Change> demo_field_changes(const ReplicaId& replica, uint64_t first_counter);

}  // namespace linli
