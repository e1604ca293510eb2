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

TEST(ServerOptions, BlobsLiveBesideTheDatabaseUnlessToldOtherwise) {
  unsetenv("LINLI_BLOBS");
  unsetenv("LINLI_DB");
  auto by_default = parse_options({});
  ASSERT_TRUE(by_default);
  EXPECT_EQ(by_default->blobs, "var/blobs");
  auto beside = parse_options({"--db", "/srv/linli/street.db"});
  ASSERT_TRUE(beside);
  EXPECT_EQ(beside->blobs, "/srv/linli/blobs");
  auto bare = parse_options({"--db", "street.db"});
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->blobs, "./blobs");
  setenv("LINLI_BLOBS", "/mnt/photos", 1);
  auto from_env = parse_options({"--db", "/srv/linli/street.db"});
  ASSERT_TRUE(from_env);
  EXPECT_EQ(from_env->blobs, "/mnt/photos");
  auto from_flag = parse_options({"--blobs", "/data/blobs"});
  ASSERT_TRUE(from_flag);
  EXPECT_EQ(from_flag->blobs, "/data/blobs");
  unsetenv("LINLI_BLOBS");
}

TEST(ServerOptions, TheFeedsSizeComesFromTheEnvironmentInKiB) {
  unsetenv("LINLI_FEED_KIB");
  auto by_default = parse_options({});
  ASSERT_TRUE(by_default);
  EXPECT_EQ(by_default->feed_kib, 4096);
  setenv("LINLI_FEED_KIB", "1", 1);
  auto tiny = parse_options({});
  ASSERT_TRUE(tiny);
  EXPECT_EQ(tiny->feed_kib, 1);
  for (const char* bad : {"0", "abc", "1.5", "+8", "", "65536"}) {
    setenv("LINLI_FEED_KIB", bad, 1);
    auto o = parse_options({});
    ASSERT_FALSE(o) << bad;
    EXPECT_EQ(o.error().detail, std::string("[server.options] LINLI_FEED_KIB: not a size in KiB: \"") + bad + "\"");
  }
  unsetenv("LINLI_FEED_KIB");
}

TEST(ServerOptions, TheIntakeKeyFileComesFromTheFlagOrTheEnvironment) {
  unsetenv("LINLI_INTAKE_KEY_FILE");
  auto off = parse_options({});
  ASSERT_TRUE(off);
  EXPECT_EQ(off->intake_key_file, "");
  setenv("LINLI_INTAKE_KEY_FILE", "/etc/linli/intake-keys", 1);
  auto from_env = parse_options({});
  ASSERT_TRUE(from_env);
  EXPECT_EQ(from_env->intake_key_file, "/etc/linli/intake-keys");
  auto from_flag = parse_options({"--intake-key-file", "keys.txt"});
  ASSERT_TRUE(from_flag);
  EXPECT_EQ(from_flag->intake_key_file, "keys.txt");
  unsetenv("LINLI_INTAKE_KEY_FILE");
}

}  // namespace
}  // namespace linli::server
