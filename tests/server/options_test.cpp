// Option parsing: flags, environment fallbacks, and errors that say what is wrong.
#include "options.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace linli::server {
namespace {

TEST(ServerOptions, DefaultsServeLoopbackOnPort8080) {
  unsetenv("LINLI_PORT");
  unsetenv("LINLI_HOST");
  auto o = parse_options({});
  ASSERT_TRUE(o);
  EXPECT_EQ(o->host, "127.0.0.1");
  EXPECT_EQ(o->port, 8080);
}

TEST(ServerOptions, FlagsBeatTheEnvironment) {
  setenv("LINLI_PORT", "9000", 1);
  setenv("LINLI_DB", "/tmp/env.db", 1);
  auto from_env = parse_options({});
  ASSERT_TRUE(from_env);
  EXPECT_EQ(from_env->port, 9000);
  EXPECT_EQ(from_env->db, "/tmp/env.db");
  auto from_flag = parse_options({"--port", "9001"});
  ASSERT_TRUE(from_flag);
  EXPECT_EQ(from_flag->port, 9001);
  unsetenv("LINLI_PORT");
  unsetenv("LINLI_DB");
}

TEST(ServerOptions, BadPortsAreRefusedWithTheValue) {
  for (const char* bad : {"http", "-1", "65536", "80x", ""}) {
    auto o = parse_options({"--port", bad});
    ASSERT_FALSE(o) << bad;
    EXPECT_EQ(o.error().detail, std::string("[server.options] --port: not a port number: \"") + bad + "\"");
  }
}

TEST(ServerOptions, AFlagWithoutItsValueIsRefused) {
  auto o = parse_options({"--db"});
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().detail, "[server.options] --db: needs a value");
}

}  // namespace
}  // namespace linli::server
