// Maintenance commands. They open the database themselves; the server may be running meanwhile
// (WAL lets both in). Messages go to stderr, listings to stdout; exit 0 ok, 1 failed, 2 misused.
#include "cli.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "auth.h"
#include "context.h"
#include "store/accounts.h"
#include "store/backup.h"

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

}  // namespace

bool run_command(const std::vector<std::string>& args, int& exit_code) {
  if (args.empty() || (args[0] != "user" && args[0] != "backup")) return false;
  const auto flags = parse_flags(args, 1);
  if (!flags) {
    exit_code = 2;
    return true;
  }
  exit_code = args[0] == "user" ? user_command(*flags) : backup_command(*flags);
  return true;
}

}  // namespace linli::server
