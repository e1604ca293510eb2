// The synthetic tickets and changes of the browser benchmarks (make_ticket_store, apply_replay):
// ticket i, and change k of a log where every ticket has `per_ticket` changes (a create, then notes).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "core/change.h"
#include "core/civil_time.h"
#include "core/ticket.h"

namespace linli::bench {

inline constexpr int64_t kSyntheticBase = 1'795'900'000'000;

inline Ticket synthetic_ticket(long i) {
  static constexpr const char* kCommunities[] = {"河滨花园", "中华新路927弄", "天目西路小区", "普善路小区", "长安路"};
  Ticket t;
  char id[33];
  // 64-bit on every target: ids rise with i, in WebAssembly (32-bit long) as natively.
  std::snprintf(id, sizeof id, "%032llx", static_cast<unsigned long long>(i) * 2654435761ull);
  t.id = id;
  t.provisional_number = format_provisional_number(shanghai_yyyymmdd(kSyntheticBase), static_cast<int>(i % 10000));
  t.source = static_cast<Source>(i % kSourceCount);
  t.received_at_ms = kSyntheticBase - i * 60'000;
  t.citizen_name = "居民" + std::to_string(i);
  t.citizen_phone = "139" + std::to_string(10'000'000 + i % 90'000'000);
  t.community = kCommunities[i % 5];
  t.address = t.community + std::to_string(i % 40 + 1) + "号楼";
  t.category = static_cast<Category>(i % kCategoryCount);
  t.urgency = i % 7 == 0 ? Urgency::Urgent : Urgency::Normal;
  t.title = "第" + std::to_string(i) + "号工单：垃圾箱满溢，请及时清运";
  t.description = "居民反映楼下垃圾箱满溢已两天，气味很大，请尽快清运并加强巡查。";
  t.created_at_ms = t.received_at_ms;
  t.updated_at_ms = t.received_at_ms;
  return t;
}

// The change number `k` (from 1) of a log where every ticket has `per_ticket` changes.
inline Change synthetic_change(uint64_t k, int per_ticket) {
  const ReplicaId author_device{0x5eed'0000'0000'0001ull, 0x0000'0000'0000'0999ull};
  const long t = static_cast<long>((k - 1) / static_cast<uint64_t>(per_ticket)) + 1;
  Change c;
  c.id = ChangeId{author_device, k};
  c.stamp = Hlc{kSyntheticBase + static_cast<int64_t>(k), 0};
  c.author = Author{"zhang.bin", Role::Centre};
  c.ticket_id = synthetic_ticket(t).id;
  if ((k - 1) % static_cast<uint64_t>(per_ticket) == 0) {
    c.kind = ChangeKind::CreateTicket;
    c.ticket = synthetic_ticket(t);
  } else {
    c.kind = ChangeKind::AddEntry;
    c.entry.kind = EntryKind::HandlingNote;
    c.entry.text = "第" + std::to_string(k) + "条处置记录：已现场查看，继续跟进。";
  }
  return c;
}

}  // namespace linli::bench
