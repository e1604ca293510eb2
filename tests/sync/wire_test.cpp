// The JSON wire format: round trips of every message and change kind, and exact error texts for
// what a broken or hostile peer may send. Also replays every fuzzer crasher in tests/fixtures.
#include "sync/wire.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/changes.h"

#ifndef LINLI_FIXTURES_DIR
#error "LINLI_FIXTURES_DIR must name tests/fixtures"
#endif

namespace linli {
namespace {

using test::Maker;

std::vector<Change> every_kind() {
  Maker m(test::replica(4), Role::Committee, "居委会小李");
  const std::string t = test::ticket_id(42);
  std::vector<Change> out;
  out.push_back(m.create(t, 1'772'000'000'000));
  out.push_back(m.set(t, 1'772'000'000'001, EditableField::Title, "楼道堆物\"反弹\"", out[0].id));
  out.push_back(m.move(t, 1'772'000'000'002, WorkflowAction::ContactCitizen, TicketStatus::Received, {}, 2));
  for (int k = 0; k < kEntryKindCount; ++k) {
    Change e = m.note(t, 1'772'000'000'003 + k, static_cast<EntryKind>(k), "记录" + std::to_string(k));
    if (e.entry.kind == EntryKind::ReturnVisit) e.entry.satisfaction = Satisfaction::BasicallySatisfied;
    if (e.entry.kind == EntryKind::ExtensionRequest) e.entry.days = 5;
    if (names_request(e.entry.kind)) e.entry.request = out.back().id;  // A co_handler_removed names the add before it.
    if (e.entry.kind == EntryKind::Decision) e.entry.approved = true;
    out.push_back(e);
  }
  out.push_back(m.photo(t, 1'772'000'000'020));
  out.push_back(m.link(t, 1'772'000'000'021, test::ticket_id(41)));
  return out;
}

TEST(Wire, APushRoundTripsEveryKindOfChange) {
  const PushRequest in{test::replica(4), every_kind(), {}};
  auto out = decode_push_request(encode(in));
  ASSERT_TRUE(out) << out.error().detail;
  EXPECT_EQ(out->replica, in.replica);
  ASSERT_EQ(out->changes.size(), in.changes.size());
  for (size_t i = 0; i < in.changes.size(); ++i)
    EXPECT_EQ(encode_change_record(out->changes[i]), encode_change_record(in.changes[i])) << i;
}

TEST(Wire, APullResponseRoundTripsWithItsSequenceNumbers) {
  PullResponse in;
  in.from = 7;
  in.more = true;
  int64_t seq = 8;
  for (Change& c : every_kind()) in.changes.push_back(SequencedChange{c, seq++});
  auto out = decode_pull_response(encode(in));
  ASSERT_TRUE(out) << out.error().detail;
  EXPECT_EQ(out->from, 7);
  EXPECT_TRUE(out->more);
  ASSERT_EQ(out->changes.size(), in.changes.size());
  EXPECT_EQ(out->changes.back().seq, seq - 1);
  EXPECT_EQ(encode_change_record(out->changes[3].change), encode_change_record(in.changes[3].change));
}

// The server puts pull answers together from changes it encoded once (encode_sequenced); the
// text must be what a whole dump of the message writes, with or without changes, next, dropped.
TEST(Wire, APullResultPutTogetherFromEncodedChangesIsOneCanonicalJsonText) {
  PullResponse full;
  full.from = 3;
  full.next = 40;
  full.dropped = {std::string(32, 'b')};
  int64_t seq = 4;
  for (Change& c : every_kind()) full.changes.push_back(SequencedChange{c, seq++});
  for (const PullResponse& m : {full, PullResponse{}}) {
    const std::string text = encode(m);
    const auto parsed = nlohmann::json::parse(text);
    EXPECT_EQ(text, parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    EXPECT_EQ(parsed["changes"].size(), m.changes.size());
    EXPECT_EQ(parsed["from"], m.from);
    EXPECT_EQ(parsed["next"], m.next);  // Always there, as docs/protocol.md promises.
    ASSERT_TRUE(parsed["dropped"].is_array());
    EXPECT_EQ(parsed["dropped"].size(), m.dropped.size());
  }
  ASSERT_FALSE(full.changes.empty());
  EXPECT_EQ(nlohmann::json::parse(encode_sequenced(full.changes[2]))["seq"], full.changes[2].seq);
}

TEST(Wire, APushCarriesTheSchemaAndTheClientClock) {
  PushRequest in;
  in.replica = test::replica(7);
  in.schema = 1;
  in.client_time_ms = 1'795'960'000'123;
  auto out = decode_push_request(encode(in));
  ASSERT_TRUE(out) << out.error().detail;
  EXPECT_EQ(out->schema, 1);
  EXPECT_EQ(out->client_time_ms, 1'795'960'000'123);
}

TEST(Wire, APullResultCarriesTheNextCursorAndDroppedTickets) {
  PullResponse in;
  in.from = 10;
  in.next = 250;
  in.dropped = {std::string(32, 'a')};
  auto out = decode_pull_response(encode(in));
  ASSERT_TRUE(out) << out.error().detail;
  EXPECT_EQ(out->next, 250);
  ASSERT_EQ(out->dropped.size(), 1u);
  auto bad = decode_pull_response(R"({"type":"pull_result","from":0,"more":false,"changes":[],"dropped":["x"]})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().detail, "[sync.decode] \"dropped\" holds something that is not a ticket id");
}

TEST(Wire, APullResultOfAnOlderServerWithoutNextOrDroppedIsTaken) {
  auto old = decode_pull_response(R"({"changes":[],"from":12,"more":false,"type":"pull_result"})");
  ASSERT_TRUE(old) << old.error().detail;
  EXPECT_EQ(old->next, 0);  // Unset: the last change's seq is the cursor.
  EXPECT_TRUE(old->dropped.empty());
  EXPECT_EQ(old->head, 0) << "how far the log goes is unknown";
  PullResponse now{12, false, {}, 12, {}};
  now.head = 40;
  EXPECT_EQ(encode(now),
            R"({"changes":[],"dropped":[],"from":12,"head":40,"more":false,"next":12,"type":"pull_result"})");
}

// Every answer says how far the server's log went when it was made, for a progress bar.
TEST(Wire, APullResultSaysHowFarTheLogGoes) {
  PullResponse in;
  in.from = 10;
  in.next = 250;
  in.more = true;
  in.head = 100'000;
  auto out = decode_pull_response(encode(in));
  ASSERT_TRUE(out) << out.error().detail;
  EXPECT_EQ(out->head, 100'000);
  EXPECT_EQ(nlohmann::json::parse(encode(PullResponse{})).at("head"), 0) << "always written";
  auto bad = decode_pull_response(R"({"type":"pull_result","from":3,"more":false,"changes":[],"head":-1})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().detail, "[sync.decode] \"from\", \"next\", \"answer\", \"took\" or \"head\" out of range");
  EXPECT_FALSE(decode_pull_response(R"({"type":"pull_result","from":3,"more":false,"changes":[],"head":"9"})"));
}

TEST(Wire, PushResultsAndPullRequestsRoundTrip) {
  PushResponse in;
  in.results.push_back(PushResult{ChangeId{test::replica(1), 3}, ApplyStatus::Applied, 12, Hlc{99, 2}, 5, {}, {}});
  in.results.push_back(PushResult{ChangeId{test::replica(1), 4}, ApplyStatus::Invalid, 0, {}, 0, "[change] x: bad", "forbidden"});
  auto out = decode_push_response(encode(in));
  ASSERT_TRUE(out) << out.error().detail;
  ASSERT_EQ(out->results.size(), 2u);
  EXPECT_EQ(out->results[0].seq, 12);
  EXPECT_EQ(out->results[0].stamp, (Hlc{99, 2}));
  EXPECT_EQ(out->results[0].skew_ms, 5);
  EXPECT_EQ(out->results[1].status, ApplyStatus::Invalid);
  EXPECT_EQ(out->results[1].detail, "[change] x: bad");
  EXPECT_EQ(out->results[1].code, "forbidden");
  auto pull = decode_pull_request(encode(PullRequest{test::replica(2), 40, 100}));
  ASSERT_TRUE(pull);
  EXPECT_EQ(pull->cursor, 40);
  EXPECT_EQ(pull->limit, 100);
  EXPECT_EQ(pull->took, 0);
  auto named = decode_pull_request(encode(PullRequest{test::replica(2), 40, 100, 7342}));
  ASSERT_TRUE(named);
  EXPECT_EQ(named->took, 7342);
}

// A scoped answer's id, the answer the request named, and a request to start over; an answer
// without them (the centre's, an older server's) decodes as none.
TEST(Wire, APullResultCarriesItsAnswerIdTheAnswerTakenAndStartOver) {
  PullResponse in;
  in.from = 10;
  in.next = 250;
  in.answer = 7351;
  in.took = 7342;
  auto out = decode_pull_response(encode(in));
  ASSERT_TRUE(out) << out.error().detail;
  EXPECT_EQ(out->answer, 7351);
  EXPECT_EQ(out->took, 7342);
  EXPECT_FALSE(out->start_over);
  PullResponse over;
  over.from = 10;
  over.took = 9;
  over.start_over = true;
  out = decode_pull_response(encode(over));
  ASSERT_TRUE(out) << out.error().detail;
  EXPECT_TRUE(out->start_over);
  EXPECT_EQ(nlohmann::json::parse(encode(PullResponse{})).contains("answer"), false);
  auto old = decode_pull_response(R"({"type":"pull_result","from":3,"more":false,"changes":[]})");
  ASSERT_TRUE(old) << old.error().detail;
  EXPECT_EQ(old->answer, 0);
  EXPECT_EQ(old->took, 0);
  EXPECT_FALSE(old->start_over);
  auto bad = decode_pull_response(R"({"type":"pull_result","from":3,"more":false,"changes":[],"answer":-1})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().detail, "[sync.decode] \"from\", \"next\", \"answer\", \"took\" or \"head\" out of range");
}

// Decodes a push whose change 1 is edited by `edit`, and returns the error text: the whole
// message's, or change 1's own when only it could not be read (the others must be whole).
template <class Edit>
std::string push_error(Edit edit) {
  const std::string text = encode(PushRequest{test::replica(4), every_kind(), {}});
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  edit(j["changes"][1]);
  auto r = decode_push_request(j.dump());
  if (!r) return r.error().detail;
  for (size_t i = 0; i < r->unreadable.size(); ++i)
    if (i != 1 && !r->unreadable[i].empty()) return "change " + std::to_string(i) + " unreadable too";
  return r->unreadable.size() > 1 && !r->unreadable[1].empty() ? r->unreadable[1] : std::string("decoded");
}

// Field work has no ticket (docs/protocol.md, "Field work"): a change that names one is refused on
// its own, not taken with the member dropped.
TEST(WireErrors, AFieldWorkChangeThatNamesATicketIsUnreadable) {
  const std::string change =
      R"({"id": {"replica": "6b1e0d4c2a9f4e7b8c3d5a1f0e2b4c6d", "counter": 3}, "hlc_ms": 1583200000000, "hlc_counter": 0,)"
      R"( "user": "chuhai.chen", "role": "field", "kind": "set_facility", TICKET)"
      R"( "facility": {"id": "a3f09c1e5b7d4f2a8e6c0b9d1f3a5c7e", "community": "河滨花园", "code": "HB-BB-01",)"
      R"( "kind": "bait_box", "location": "河滨花园3号楼西侧绿化带", "retired": false}})";
  for (const bool with_ticket : {false, true}) {
    std::string c = change;
    c.replace(c.find("TICKET"), 6, with_ticket ? R"("ticket": "3fd11c9ff0ef28f8dbe336b7abcd1bc1",)" : "");
    auto r = decode_push_request(R"({"type":"push","schema":1,"replica":"6b1e0d4c2a9f4e7b8c3d5a1f0e2b4c6d","changes":[)" + c + "]}");
    ASSERT_TRUE(r) << r.error().detail;
    ASSERT_EQ(r->unreadable.size(), 1u);
    if (with_ticket) EXPECT_NE(r->unreadable[0].find("carries no \"ticket\""), std::string::npos) << r->unreadable[0];
    else EXPECT_EQ(r->unreadable[0], "");
  }
}

TEST(WireErrors, OnlyAChangeWithoutAReadableIdMakesThePushUnreadable) {
  const std::string text = encode(PushRequest{test::replica(4), every_kind(), {}});
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  j["changes"][1]["kind"] = "explode";
  j["changes"][2]["hlc_ms"] = "soon";
  auto r = decode_push_request(j.dump());
  ASSERT_TRUE(r) << r.error().detail;
  ASSERT_EQ(r->unreadable.size(), r->changes.size());
  EXPECT_EQ(r->unreadable[0], "");
  EXPECT_EQ(r->unreadable[1], "[sync.decode] change 1: unknown \"kind\" code");
  EXPECT_EQ(r->unreadable[2], "[sync.decode] change 2: \"hlc_ms\" is not an integer");
  EXPECT_EQ(r->changes[2].id, every_kind()[2].id);  // Named, so the server can refuse it and consume its counter.
  EXPECT_EQ(r->unreadable[3], "");
  j["changes"][3].erase("id");
  EXPECT_EQ(decode_push_request(j.dump()).error().detail, "[sync.decode] change 3: missing \"id\"");
}

TEST(WireErrors, BytesThatAreNotUtf8InsideAChangesStringRefuseThatChangeAlone) {
  PushRequest in{test::replica(4), every_kind(), {}};
  std::string text = encode(in);
  const size_t at = text.find("\"value\":\"");  // Change 1's, the only set_field.
  ASSERT_NE(at, std::string::npos);
  text[at + 9] = '\xC0';  // Never a UTF-8 byte.
  auto r = decode_push_request(text);
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(r->unreadable[1], "[sync.decode] change 1: \"value\" is not valid UTF-8");
  EXPECT_EQ(r->unreadable[0], "");
  // An overlong form, a surrogate and a byte past U+10FFFF are not UTF-8 either.
  for (const char* bad : {"\xC1\xBF", "\xED\xA0\x80", "\xF4\x90\x80\x80"}) {
    std::string t = encode(in);
    t.replace(t.find("\"value\":\"") + 9, 1, bad);
    auto d = decode_push_request(t);
    ASSERT_TRUE(d) << d.error().detail;
    EXPECT_NE(d->unreadable[1].find("not valid UTF-8"), std::string::npos) << d->unreadable[1];
  }
  // Outside any string the text is not JSON at all.
  std::string outside = encode(in);
  outside.insert(outside.find("\"changes\""), "\xff");
  EXPECT_EQ(decode_push_request(outside).error().detail, "[sync.decode] not JSON");
}

// A member the server does not read is still part of the change: bytes that are not UTF-8 there
// refuse that change alone, as in a member it reads. U+FDD0 (raw or escaped) stands for such a
// byte: outside the changes' values, in a member the server ignores too, the body is not JSON.
TEST(WireErrors, BytesThatAreNotUtf8InAnIgnoredMemberRefuseTheChangeOrTheBody) {
  PushRequest in{test::replica(4), every_kind(), {}};
  nlohmann::json j = nlohmann::json::parse(encode(in), nullptr, false);
  j["changes"][1]["z"] = "MARK";
  j["changes"][1]["entry_extra"] = {{"deep", {"MARK"}}};
  const std::string base = j.dump();
  for (const char* bad : {"\xff", "\xEF\xB7\x90", "\\ufdd0", "\\uFDD0"}) {
    std::string t = base;
    t.replace(t.find("MARK"), 4, bad);
    auto r = decode_push_request(t);
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(r->unreadable[1], "[sync.decode] change 1: a member holds bytes that are not UTF-8") << bad;
    EXPECT_EQ(r->unreadable[0], "");
    EXPECT_EQ(r->unreadable[2], "");
  }
  nlohmann::json top = nlohmann::json::parse(encode(in), nullptr, false);
  top["note"] = "MARK";
  for (const char* bad : {"\xff", "\xEF\xB7\x90", "\\ufdd0"}) {
    std::string t = top.dump();
    t.replace(t.find("MARK"), 4, bad);
    auto r = decode_push_request(t);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::NotJson) << bad;
  }
  // Other noncharacters are text like any other.
  top["note"] = "\xEF\xBF\xBE";  // U+FFFE.
  EXPECT_TRUE(decode_push_request(top.dump()));
}

// Counters start at 1 (docs/protocol.md, change id): a 0 would be answered duplicate and lost, so
// it makes the push unreadable, as a negative one does.
TEST(WireErrors, ACounterOfZeroMakesThePushUnreadable) {
  nlohmann::json j = nlohmann::json::parse(encode(PushRequest{test::replica(4), every_kind(), {}}), nullptr, false);
  j["changes"][0]["id"]["counter"] = 0;
  auto r = decode_push_request(j.dump());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("counters start at 1"), std::string::npos) << r.error().detail;
}

// A member of another kind is refused, not dropped: a set_round_item with `finished`, a finding
// link's members on a rebound link, a decision that does not say yes or no.
TEST(WireErrors, AMemberOfAnotherKindOrAMissingDecisionIsRefused) {
  const std::string item =
      R"({"id": {"replica": "6b1e0d4c2a9f4e7b8c3d5a1f0e2b4c6d", "counter": 3}, "hlc_ms": 1583200000000, "hlc_counter": 0,)"
      R"( "user": "chuhai.chen", "role": "field", "kind": "set_round_item",)"
      R"( "item": {"campaign": "c2020a00000000000000000000005a01", "week": "2020-03-02", "community": "河滨花园",)"
      R"( "facility": "a3f09c1e5b7d4f2a8e6c0b9d1f3a5c7e", "checked": true EXTRA}})";
  for (const char* extra : {"", R"(, "finished": true)", R"(, "name": "x")", R"(, "kind": "bait_box")"}) {
    std::string c = item;
    c.replace(c.find("EXTRA"), 5, extra);
    auto r = decode_push_request(R"({"type":"push","schema":1,"replica":"6b1e0d4c2a9f4e7b8c3d5a1f0e2b4c6d","changes":[)" + c + "]}");
    ASSERT_TRUE(r) << r.error().detail;
    if (*extra == '\0') EXPECT_EQ(r->unreadable[0], "");
    else EXPECT_NE(r->unreadable[0].find("is not a member of set_round_item"), std::string::npos) << r->unreadable[0];
  }
  const std::vector<Change> all = every_kind();
  size_t link = 0, decision = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].kind == ChangeKind::LinkTickets) link = i;
    if (all[i].kind == ChangeKind::AddEntry && all[i].entry.kind == EntryKind::Decision) decision = i;
  }
  ASSERT_GT(link, 0u);
  ASSERT_GT(decision, 0u);
  nlohmann::json j = nlohmann::json::parse(encode(PushRequest{test::replica(4), all, {}}), nullptr, false);
  j["changes"][link]["link"]["week"] = "2020-03-02";
  j["changes"][decision]["entry"].erase("approved");
  auto r = decode_push_request(j.dump());
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_NE(r->unreadable[link].find("belongs to a finding link"), std::string::npos) << r->unreadable[link];
  EXPECT_NE(r->unreadable[decision].find("missing \"entry.approved\""), std::string::npos) << r->unreadable[decision];
}

TEST(WireErrors, AMissingFieldIsNamedWithTheChangesIndex) {
  EXPECT_EQ(push_error([](auto& c) { c.erase("field"); }), "[sync.decode] change 1: missing \"field\"");
  EXPECT_EQ(push_error([](auto& c) { c.erase("hlc_ms"); }), "[sync.decode] change 1: missing \"hlc_ms\"");
  EXPECT_EQ(push_error([](auto& c) { c["id"].erase("counter"); }), "[sync.decode] change 1: missing \"id.counter\"");
}

TEST(WireErrors, WrongTypesAndUnknownCodesAreNamed) {
  EXPECT_EQ(push_error([](auto& c) { c["value"] = 5; }), "[sync.decode] change 1: \"value\" is not a string");
  EXPECT_EQ(push_error([](auto& c) { c["hlc_counter"] = -1; }),
            "[sync.decode] change 1: \"hlc_counter\" is not an unsigned integer");
  EXPECT_EQ(push_error([](auto& c) { c["kind"] = "explode"; }), "[sync.decode] change 1: unknown \"kind\" code");
  EXPECT_EQ(push_error([](auto& c) { c["base"]["replica"] = "XYZ"; }),
            "[sync.decode] change 1: \"base.replica\" is not 32 lowercase hex digits");
  EXPECT_EQ(push_error([](auto& c) { c["hlc_ms"] = 1e3; }), "[sync.decode] change 1: \"hlc_ms\" is not an integer");
  EXPECT_EQ(push_error([](auto& c) { c = nlohmann::json::array(); }), "[sync.decode] change 1: not an object");
}

TEST(WireErrors, AChangeThatBreaksItsOwnRulesIsRefusedWithTheReason) {
  const std::string e = push_error([](auto& c) { c["value"] = ""; });
  EXPECT_EQ(e.rfind("[sync.decode] change 1: [change] ", 0), 0u) << e;
  EXPECT_NE(e.find("bad value for title"), std::string::npos) << e;
}

// A refusal's detail says what is wrong, not something near it: a rebound link whose `other` is in
// uppercase names another ticket, but writes its id wrong.
TEST(WireErrors, ARefusedReboundLinkSaysWhatIsWrongWithItsOtherTicket) {
  const std::vector<Change> all = every_kind();
  size_t link = 0;
  for (size_t i = 0; i < all.size(); ++i)
    if (all[i].kind == ChangeKind::LinkTickets && all[i].link.kind == LinkKind::Rebound) link = i;
  ASSERT_GT(link, 0u);
  const nlohmann::json j = nlohmann::json::parse(encode(PushRequest{test::replica(4), all, {}}), nullptr, false);
  const std::string lower = "8c2e5a1f7b3d9e0c4a6f2b8d1e7c3a95";
  std::string upper = lower;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  for (const auto& [other, says] : std::vector<std::pair<std::string, std::string>>{
           {lower, ""},
           {upper, "the other ticket's id is not 32 lowercase hex digits"},
           {"", "a rebound link names the other ticket (\"other\")"},
           {all[link].ticket_id, "a ticket cannot be a rebound of itself"}}) {
    nlohmann::json edited = j;
    edited["changes"][link]["link"]["other"] = other;
    auto r = decode_push_request(edited.dump());
    ASSERT_TRUE(r) << r.error().detail;
    if (says.empty()) EXPECT_EQ(r->unreadable[link], "") << other;
    else EXPECT_NE(r->unreadable[link].find(says), std::string::npos) << other << ": " << r->unreadable[link];
  }
}

TEST(WireErrors, EnvelopeProblemsAreNamed) {
  EXPECT_EQ(decode_push_request("{").error().detail, "[sync.decode] not JSON");
  EXPECT_EQ(decode_push_request("[1]").error().detail, "[sync.decode] not a JSON object");
  EXPECT_EQ(decode_push_request(R"({"type":"pull"})").error().detail, "[sync.decode] not a \"push\" message");
  EXPECT_EQ(decode_push_request(R"({"type":"push","replica":"00000000000000000000000000000001"})").error().detail,
            "[sync.decode] missing \"changes\"");
  EXPECT_EQ(decode_pull_request(R"({"type":"pull","replica":"00000000000000000000000000000001","cursor":-1,"limit":5})")
                .error().detail,
            "[sync.decode] \"cursor\" or \"limit\" out of range");
  EXPECT_EQ(decode_push_request("{\"type\":\"push\"\xff}").error().detail, "[sync.decode] not JSON");
  // Bytes that are not UTF-8 outside a change's strings make the body not JSON (docs/protocol.md,
  // Conventions): in a member the server reads, in one it ignores, in a member's name anywhere.
  for (const char* text : {"{\"type\":\"push\",\"replica\":\"\xff\"}",
                           "{\"type\":\"push\",\"replica\":\"00000000000000000000000000000001\",\"x\":\"\xff\",\"changes\":[]}",
                           "{\"type\":\"push\",\"replica\":\"00000000000000000000000000000001\",\"\xff\":1,\"changes\":[]}",
                           "{\"type\":\"push\",\"replica\":\"00000000000000000000000000000001\",\"changes\":[{\"\xff\":1}]}",
                           "{\"type\":\"push\",\"replica\":\"00000000000000000000000000000001\",\"changes\":[\"\xff\"]}"}) {
    const auto r = decode_push_request(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, ErrorCode::NotJson) << text;
  }
  EXPECT_EQ(decode_push_request(R"({"type":"push","replica":"00000000000000000000000000000000","changes":[]})").error().detail,
            "[sync.decode] \"replica\" is all zeros");
  EXPECT_EQ(decode_pull_request(R"({"type":"pull","replica":"00000000000000000000000000000000","cursor":0,"limit":5})")
                .error().detail,
            "[sync.decode] \"replica\" is all zeros");
}

TEST(WireErrors, PulledChangesMustComeInRisingSequence) {
  PullResponse in;
  in.from = 5;
  const auto kinds = every_kind();
  in.changes = {SequencedChange{kinds[0], 6}, SequencedChange{kinds[1], 6}};
  EXPECT_EQ(decode_pull_response(encode(in)).error().detail,
            "[sync.decode] change 1: \"seq\" not after the one before");
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Every input the fuzzer ever crashed on must now decode to an error (or a value), never crash;
// inputs in the corpus are replayed too.
TEST(WireFixtures, EveryCrasherAndCorpusFileDecodesWithoutCrashing) {
  int crashers = 0;
  for (const char* sub : {"crashers", "corpus"}) {
    const std::filesystem::path dir = std::filesystem::path(LINLI_FIXTURES_DIR) / sub;
    if (!std::filesystem::exists(dir)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (!entry.is_regular_file() || entry.path().filename().string()[0] == '.') continue;
      const std::string text = read_file(entry.path());
      // A push may decode with the offending change marked unreadable: it is refused on its own.
      const auto push = decode_push_request(text);
      const bool a = push.ok() && std::all_of(push->unreadable.begin(), push->unreadable.end(),
                                              [](const std::string& e) { return e.empty(); }),
                 b = decode_push_response(text).ok(),
                 c = decode_pull_request(text).ok(), d = decode_pull_response(text).ok();
      if (std::string(sub) == "crashers") {
        ++crashers;
        EXPECT_FALSE(a || b || c || d) << entry.path() << " should decode to an error";
      }
    }
  }
  std::printf("replayed %d crasher(s)\n", crashers);
}


// decode_pull_response reads an answer in one pass of the parser and gives up on anything it does
// not take whole, for the tree decoder to say why: both must agree on every text, taken or not.
// Every member of every change kind, and of the envelope, is dropped, given each other JSON type,
// doubled, or joined by a member nobody reads; members come in the server's order and reversed.
TEST(Wire, TheOnePassPullReaderAgreesWithTheTreeDecoderOnEveryText) {
  using json = nlohmann::json;
  PullResponse in;
  in.from = 7;
  in.more = true;
  in.next = 40;
  in.answer = 3;
  in.took = 2;
  in.dropped = {test::ticket_id(9)};
  int64_t seq = 8;
  for (Change& c : every_kind()) in.changes.push_back(SequencedChange{c, seq++});
  const json base = json::parse(encode(in));
  int compared = 0, taken = 0;
  const auto agree = [&](const std::string& text) {
    const auto fast = decode_pull_response(text);
    const auto tree = decode_pull_response_tree(text);
    ++compared;
    ASSERT_EQ(fast.ok(), tree.ok()) << text;
    if (!fast.ok()) {
      EXPECT_EQ(fast.error().detail, tree.error().detail) << text;
      return;
    }
    ++taken;
    EXPECT_EQ(encode(*fast), encode(*tree)) << text;
    EXPECT_EQ(fast->answer, tree->answer);
    EXPECT_EQ(fast->took, tree->took);
    EXPECT_EQ(fast->start_over, tree->start_over);
  };
  const json others[] = {nullptr, true, -1, 0, 1.5, "x", "urgent", json::array({1, "a", json::object()}),
                         json::object({{"replica", "1"}}), "\xEF\xB7\x90"};
  // Each object of the message (the envelope, each change and its nested objects), mutated in turn.
  std::vector<json::json_pointer> objects{json::json_pointer("")};
  for (size_t i = 0; i < base["changes"].size(); ++i) {
    const std::string at = "/changes/" + std::to_string(i);
    objects.emplace_back(at);
    for (const auto& [k, v] : base["changes"][i].items())
      if (v.is_object()) {
        objects.emplace_back(at + "/" + k);
        for (const auto& [k2, v2] : v.items())
          if (v2.is_object()) objects.emplace_back(at + "/" + k + "/" + k2);
      }
  }
  agree(base.dump());
  for (const auto& ptr : objects) {
    const json& obj = base.at(ptr);
    for (const auto& [key, value] : obj.items()) {
      json m = base;
      m.at(ptr).erase(key);
      agree(m.dump());
      for (const json& o : others) {
        m = base;
        m.at(ptr)[key] = o;
        agree(m.dump());
      }
      // Doubled: the text has the member twice (the tree keeps the last).
      std::string text = base.dump();
      const std::string member = "\"" + key + "\":" + value.dump();
      if (const size_t at = text.find(member); at != std::string::npos) {
        text.insert(at, member + ",");
        agree(text);
      }
    }
    json m = base;
    m.at(ptr)["zz_unknown"] = json::array({json::object({{"a", json::array({1, 2})}}), "b"});
    agree(m.dump());
  }
  // Members in reverse order, as another server might write them.
  std::string reversed = "{";
  for (auto it = base.items().begin(); it != base.items().end(); ++it) {
    if (reversed.size() > 1) reversed.insert(1, ",");
    reversed.insert(1, json(it.key()).dump() + ":" + it.value().dump());
  }
  agree(reversed + "}");
  // Envelopes and texts that are not answers at all.
  for (const char* text : {"", "[]", "1", "{}", "{\"type\":\"pull_result\"}", "{\"type\":\"pull\",\"from\":0,\"more\":false,\"changes\":[]}",
                           "{\"type\":\"pull_result\",\"from\":0,\"more\":false,\"changes\":[]} x",
                           "{\"type\":\"pull_result\",\"from\":0,\"more\":false,\"changes\":[1]}",
                           "{\"type\":\"pull_result\",\"from\":0,\"more\":false,\"changes\":[],\"dropped\":[[]]}",
                           "{\"type\":\"pull_result\",\"from\":-0,\"more\":false,\"changes\":[]}",
                           "{\"type\":\"pull_result\",\"from\":9223372036854775808,\"more\":false,\"changes\":[]}"})
    agree(text);
  // Each change alone (its seq is then the first), and the changes out of order.
  for (size_t i = 0; i < base["changes"].size(); ++i) {
    json m = base;
    m["changes"] = json::array({base["changes"][i]});
    agree(m.dump());
  }
  json swapped = base;
  std::swap(swapped["changes"][0], swapped["changes"][1]);
  agree(swapped.dump());
  // The fuzzer's corpus and crashers.
  for (const char* sub : {"crashers", "corpus"}) {
    const std::filesystem::path dir = std::filesystem::path(LINLI_FIXTURES_DIR) / sub;
    if (!std::filesystem::exists(dir)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
      if (entry.is_regular_file()) agree(read_file(entry.path()));
  }
  EXPECT_GT(taken, 20);
  std::printf("compared %d texts, %d taken\n", compared, taken);
}

}  // namespace
}  // namespace linli
