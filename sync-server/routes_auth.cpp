// POST /api/v1/login, POST /api/v1/logout, GET /api/v1/me, GET /api/v1/users.
#include <httplib.h>

#include "context.h"
#include "http_util.h"

namespace linli::server {
namespace {

nlohmann::json user_json(const User& u) {
  return {{"name", u.name}, {"display_name", u.display_name}, {"role", to_string(u.role)}, {"scope", u.scope}};
}

void login(ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto body = read_json_body(req, res);
  if (!body) return;
  if (!body->is_object() || !(*body)["user"].is_string() || !(*body)["password"].is_string())
    return send_error(res, 400, "bad_request", "send {\"user\": NAME, \"password\": PASSWORD}");
  const std::string name = (*body)["user"];
  const std::string password = (*body)["password"];
  const int64_t now = now_ms();
  const std::string address_key = "addr:" + req.remote_addr;
  const std::string user_key = "user:" + name;
  const int64_t wait = std::max(ctx.login_by_address.retry_after(address_key, now),
                                ctx.login_by_user.retry_after(user_key, now));
  if (wait > 0) {
    res.set_header("Retry-After", std::to_string(wait));
    return send_error(res, 429, "rate_limited", "too many failed sign-ins; try again in " + std::to_string(wait) + " s");
  }
  std::optional<User> user;
  std::string hash;
  {
    std::lock_guard lock(ctx.accounts_mutex);
    auto found = ctx.accounts.find_user(name);
    if (!found) return send_error(res, 500, "storage", found.error().detail);
    user = *found;
    if (user && !user->disabled) {
      auto h = ctx.accounts.password_hash_of(user->id);
      if (!h) return send_error(res, 500, "storage", h.error().detail);
      hash = *h;
    }
  }
  // One answer, in about the same time, for an unknown user, a disabled one and a wrong password.
  ctx.hashing.acquire();
  const bool good = hash.empty() ? (verify_password(ctx.dummy_hash, password), false) : verify_password(hash, password);
  ctx.hashing.release();
  if (!good) {
    ctx.login_by_address.record_failure(address_key, now);
    ctx.login_by_user.record_failure(user_key, now);
    return send_error(res, 401, "bad_credentials", "unknown user or wrong password");
  }
  ctx.login_by_user.reset(user_key);
  const std::string token = new_token();
  const int64_t expires = now + int64_t{ctx.options.token_hours} * 3'600'000;
  {
    std::lock_guard lock(ctx.accounts_mutex);
    if (auto r = ctx.accounts.add_token({token_hash(token), user->id, now, expires}); !r)
      return send_error(res, 500, "storage", r.error().detail);
  }
  send_json(res, 200, {{"token", token}, {"expires_at", expires}, {"user", user_json(*user)}});
}

}  // namespace

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::optional<User> authenticate(ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
  const std::string token = bearer_token(req);
  if (token.empty()) {
    res.set_header("WWW-Authenticate", "Bearer");
    send_error(res, 401, "unauthenticated", "sign in first: Authorization: Bearer TOKEN");
    return std::nullopt;
  }
  std::optional<User> user;
  {
    std::lock_guard lock(ctx.accounts_mutex);
    auto u = ctx.accounts.user_for_token(token_hash(token), now_ms());
    if (!u) {
      send_error(res, 500, "storage", u.error().detail);
      return std::nullopt;
    }
    user = *u;
  }
  if (!user) {
    res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    send_error(res, 401, "invalid_token", "the token is unknown, expired or revoked: sign in again");
  }
  return user;
}

void install_auth_routes(httplib::Server& http, ServerContext& ctx) {
  http.Post("/api/v1/login", [&ctx](const httplib::Request& req, httplib::Response& res) { login(ctx, req, res); });
  http.Post("/api/v1/logout", [&ctx](const httplib::Request& req, httplib::Response& res) {
    if (!authenticate(ctx, req, res)) return;
    std::lock_guard lock(ctx.accounts_mutex);
    auto r = ctx.accounts.revoke_token(token_hash(bearer_token(req)), now_ms());
    if (!r) return send_error(res, 500, "storage", r.error().detail);
    send_json(res, 200, {{"revoked", *r}});
  });
  http.Get("/api/v1/me", [&ctx](const httplib::Request& req, httplib::Response& res) {
    if (auto user = authenticate(ctx, req, res)) send_json(res, 200, {{"user", user_json(*user)}});
  });
  // The street's people, for names in timelines: every account a change may name, a disabled one
  // too (its past changes still name it), by name. Any signed-in user may ask.
  http.Get("/api/v1/users", [&ctx](const httplib::Request& req, httplib::Response& res) {
    if (!authenticate(ctx, req, res)) return;
    Result<std::vector<User>> users = [&ctx] {
      std::lock_guard lock(ctx.accounts_mutex);
      return ctx.accounts.list_users();
    }();
    if (!users) return send_error(res, 500, "storage", users.error().detail);
    nlohmann::json out = nlohmann::json::array();
    for (const User& u : *users) {
      nlohmann::json j = user_json(u);
      j["disabled"] = u.disabled;
      out.push_back(std::move(j));
    }
    send_json(res, 200, {{"users", std::move(out)}});
  });
}

}  // namespace linli::server
