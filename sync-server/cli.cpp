// Maintenance commands. They open the database themselves; the server may be running meanwhile
// (WAL lets both in). Messages go to stderr, listings to stdout; exit 0 ok, 1 failed, 2 misused.
#include "cli.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <iostream>
#include <optional>

#include "auth.h"
#include "context.h"
#include "store/accounts.h"
#include "store/backup.h"
#include "store/store.h"
#include "sync/calendar_json.h"

namespace linli::server {
namespace {

struct Flags {
  std::vector<std::string> positional;
  std::string db = "var/linli.db";
  std::string role, scope, display, to;
};

std::optional<Flags> parse_flags(const std::vector<std::string>& args, size_t from) {
  Flags f;
  if (const char* v = std::getenv("LINLI_DB")) f.db = v;
  for (size_t i = from; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string* target = a == "--db" ? &f.db : a == "--role" ? &f.role : a == "--scope" ? &f.scope
                        : a == "--display" ? &f.display : a == "--to" ? &f.to : nullptr;
    if (target) {
      if (i + 1 >= args.size()) {
        std::fprintf(stderr, "linli-server: %s needs a value\n", a.c_str());
        return std::nullopt;
      }
      *target = args[++i];
    } else if (a.rfind("--", 0) == 0) {
      std::fprintf(stderr, "linli-server: unknown option \"%s\" (see --help)\n", a.c_str());
      return std::nullopt;
    } else {
      f.positional.push_back(a);
    }
  }
  return f;
}

// One line from stdin; without echo when it is a terminal.
std::string read_password(const char* prompt) {
  const bool tty = isatty(STDIN_FILENO);
  termios old{};
  if (tty) {
    std::fprintf(stderr, "%s", prompt);
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::fprintf(stderr, "\n");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int fail(const Error& e) {
  std::fprintf(stderr, "linli-server: %s\n", e.detail.c_str());
  return 1;
}

int user_command(const Flags& f) {
  if (f.positional.empty()) {
    std::fprintf(stderr, "linli-server: user needs a subcommand: add, list, disable, enable, passwd\n");
    return 2;
  }
  const std::string& sub = f.positional[0];
  if (auto r = init_crypto(); !r) return fail(r.error());
  auto accounts = AccountStore::open(f.db);
  if (!accounts) return fail(accounts.error());
  if (sub == "list") {
    auto users = accounts->list_users();
    if (!users) return fail(users.error());
    for (const User& u : *users)
      std::printf("%-16s %-10s %-14s %s%s\n", u.name.c_str(), std::string(to_string(u.role)).c_str(),
                  u.scope.empty() ? "-" : u.scope.c_str(), u.display_name.c_str(), u.disabled ? "  (disabled)" : "");
    return 0;
  }
  if (f.positional.size() != 2) {
    std::fprintf(stderr, "linli-server: user %s needs one user NAME\n", sub.c_str());
    return 2;
  }
  const std::string& name = f.positional[1];
  if (sub == "add") {
    const auto role = parse_role(f.role);
    if (!role) {
      std::fprintf(stderr, "linli-server: --role must be centre, department, committee or field\n");
      return 2;
    }
    const auto hash = hash_password(read_password("Password: "));
    if (!hash) return fail(hash.error());
    User u;
    u.name = name;
    u.role = *role;
    u.scope = f.scope;
    u.display_name = f.display;
    auto added = accounts->add_user(u, *hash, now_ms());
    if (!added) return fail(added.error());
    std::fprintf(stderr, "linli-server: added %s (%s%s%s)\n", name.c_str(), std::string(to_string(u.role)).c_str(),
                 u.scope.empty() ? "" : ", ", u.scope.c_str());
    return 0;
  }
  if (sub == "disable" || sub == "enable") {
    if (auto r = accounts->set_disabled(name, sub == "disable", now_ms()); !r) return fail(r.error());
    std::fprintf(stderr, "linli-server: %s %s\n", name.c_str(), sub == "disable" ? "disabled, signed out" : "enabled");
    return 0;
  }
  if (sub == "passwd") {
    const auto hash = hash_password(read_password("New password: "));
    if (!hash) return fail(hash.error());
    if (auto r = accounts->set_password_hash(name, *hash, now_ms()); !r) return fail(r.error());
    std::fprintf(stderr, "linli-server: password of %s changed; its sessions are signed out\n", name.c_str());
    return 0;
  }
  std::fprintf(stderr, "linli-server: unknown user subcommand \"%s\"\n", sub.c_str());
  return 2;
}

int backup_command(const Flags& f) {
  if (f.to.empty()) {
    std::fprintf(stderr, "linli-server: backup needs --to FILE\n");
    return 2;
  }
  auto pages = backup_database(f.db, f.to);
  if (!pages) return fail(pages.error());
  std::fprintf(stderr, "linli-server: copied %d pages of %s to %s\n", *pages, f.db.c_str(), f.to.c_str());
  return 0;
}

// calendar list: the years known, built in or added. calendar add YEAR FILE: the year's notice, as
// {"source": ..., "holidays": [[first, last], ...], "workdays": [...]}; checked before it is kept.
int calendar_command(const Flags& f) {
  const auto& p = f.positional;
  const std::string sub = p.empty() ? std::string() : p[0];
  auto store = Store::open(f.db, {.use = StoreUse::Server});
  if (!store) return fail(store.error());
  if (sub == "list") {
    WorkdayCalendar c = builtin_calendar();
    auto notices = store->calendar_notices();
    if (!notices) return fail(notices.error());
    for (const auto& [year, json] : *notices)
      if (auto y = parse_calendar_year_json(year, json)) (void)c.add_year(std::move(y).value());
    for (int y : c.years())
      std::printf("%d\t%zu holidays\t%zu make-up working days\t%s\n", y, c.year(y)->holidays.size(),
                  c.year(y)->workdays.size(), c.year(y)->source.c_str());
    return 0;
  }
  if (sub == "add" && p.size() == 3) {
    char* end = nullptr;
    const long year = std::strtol(p[1].c_str(), &end, 10);
    if (p[1].size() != 4 || *end != '\0') {
      std::fprintf(stderr, "linli-server: \"%s\" is not a year\n", p[1].c_str());
      return 2;
    }
    std::ifstream in(p[2]);
    if (!in) {
      std::fprintf(stderr, "linli-server: cannot read %s\n", p[2].c_str());
      return 1;
    }
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto y = parse_calendar_year_json(static_cast<int>(year), text);
    if (!y) return fail(y.error());
    if (auto r = store->put_calendar_notice(static_cast<int>(year), calendar_year_to_json(*y)); !r) return fail(r.error());
    std::fprintf(stderr,
                 "linli-server: the %ld notice is kept (%zu holidays, %zu make-up working days); restart the server "
                 "to compute deadlines with it\n",
                 year, y->holidays.size(), y->workdays.size());
    return 0;
  }
  std::fprintf(stderr, "linli-server: calendar list | calendar add YEAR FILE [--db PATH]\n");
  return 2;
}

}  // namespace

bool run_command(const std::vector<std::string>& args, int& exit_code) {
  if (args.empty() || (args[0] != "user" && args[0] != "backup" && args[0] != "calendar")) return false;
  const auto flags = parse_flags(args, 1);
  if (!flags) {
    exit_code = 2;
    return true;
  }
  exit_code = args[0] == "user" ? user_command(*flags) : args[0] == "calendar" ? calendar_command(*flags) : backup_command(*flags);
  return true;
}

}  // namespace linli::server
