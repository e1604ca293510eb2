// The client's side of a reply in the convergence harnesses: a push's results or a pull's changes,
// decoded and taken by the client's ClientSync. Shared by the in-process and the HTTP harness.
#pragma once

#include <gtest/gtest.h>

#include "support/flaky_network.h"
#include "sync/client_sync.h"
#include "sync/wire.h"

namespace linli::test {

// Takes a PushReply or PullReply. Returns false when the client ignored a pull answer as stale;
// a reply that cannot be decoded or taken fails the test.
inline bool take_reply(ClientSync& sync, const Message& m, int64_t now_ms) {
  if (m.kind == Message::PushReply) {
    auto res = decode_push_response(m.text);
    if (!res) return ADD_FAILURE() << res.error().detail, true;
    auto r = sync.take_push_response(*res, now_ms);
    if (!r) ADD_FAILURE() << r.error().detail;
    return true;
  }
  auto res = decode_pull_response(m.text);
  if (!res) return ADD_FAILURE() << res.error().detail, true;
  auto r = sync.take_pull_response(*res, now_ms);
  if (!r) return ADD_FAILURE() << r.error().detail, true;
  return *r;
}

}  // namespace linli::test
