// The 2020 hotline's vocabulary for the demo street's generator (demo_epidemic.cpp): the kinds of
// call the 社区晨报 2020-04 lists (masks, help for non-residents, community measures, outsiders,
// chess rooms still open, enterprises restarting) and the everyday calls beside them, each with
// the words callers, the centre and the handlers used. Data only: no I/O, no clock, no randomness.
#pragma once

#include <string_view>
#include <vector>

#include "core/ticket.h"

namespace linli::demo::epidemic {

// Who a topic's tickets go to: a department by name, or kCommittee: the committee (居委会) of the
// ticket's community.
inline constexpr std::string_view kCommittee = "居委会";
struct Route {
  std::string_view department;
  int weight;
};

// A 退单: the first handler says why the ticket is not its to handle; the centre sends it to `to`.
struct Misroute {
  std::string_view from, reason, to;
};

// One call as callers made it, and what handling it looked like. With a department (or
// kCommittee) the call goes there; without one, to one of the topic's routes.
struct Call {
  std::string_view title, description, handled;
  std::string_view department = {};
};

// One kind of call. Texts may hold {who} (the caller, as the centre names them), {addr},
// {community}, {place} (where the trouble is, from `places`), {firm} and {dept} (the handler).
// Texts that name a department are used only when it handles the ticket (fits_handler).
struct Topic {
  std::string_view key;  // For tests and comments: "masks", "chess_rooms", …
  Category category;
  bool urgent;  // The centre rates every epidemic ticket 紧急件 (the seed: 全部定为紧急件).
  bool firms;   // A firm calls from 长安路 or 恒丰路 instead of a resident from a community.
  std::vector<Route> routes;
  std::vector<std::string_view> places;  // "{community}大门", …; empty: the caller's home.
  std::vector<Call> calls;
  std::vector<std::string_view> contacts;      // The centre's call back.
  std::vector<std::string_view> progress;      // 中途汇报.
  std::vector<std::string_view> satisfied;     // 回访, 满意.
  std::vector<std::string_view> basically;     // 回访, 基本满意.
  std::vector<std::string_view> dissatisfied;  // 回访, 不满意: reopened.
  std::vector<std::string_view> rehandled;     // 再次处置 note.
  std::vector<std::string_view> extensions;    // Why a handler asks for more days.
  std::vector<Misroute> misroutes;
};

enum class TopicId { Masks, NonResidents, Measures, Outsiders, ChessRooms, Enterprises, HomeHelp,
                     Refuse, Leaks, Noise, Drains, Rats };
inline constexpr int kTopicCount = 12;
const Topic& topic(TopicId id);

// Whether `text` may be written on a ticket `handler` leads: it names no other handler.
bool fits_handler(std::string_view text, std::string_view handler);

// Openers and closers that make one description read like one caller; the firms that call.
const std::vector<std::string_view>& openers();
const std::vector<std::string_view>& closers();
const std::vector<std::string_view>& firms();

}  // namespace linli::demo::epidemic
