// The HTTP header rules the server reads by (sync-server/http_util.h): names and schemes in any
// case, Accept-Encoding with its q-values, If-None-Match with `*` and lists.
#include "http_util.h"

#include <gtest/gtest.h>

#include <httplib.h>

namespace linli::server {
namespace {

TEST(HttpUtil, AMediaTypeIsReadInAnyCaseWithoutItsParameters) {
  EXPECT_EQ(media_type("application/json"), "application/json");
  EXPECT_EQ(media_type("Application/JSON"), "application/json");
  EXPECT_EQ(media_type("application/json; charset=utf-8"), "application/json");
  EXPECT_EQ(media_type(" image/JPEG ;charset=binary"), "image/jpeg");
  EXPECT_EQ(media_type("application/jsonx"), "application/jsonx");
  EXPECT_EQ(media_type(""), "");
}

TEST(HttpUtil, GzipIsAcceptedOnlyWithAQValueAboveZero) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("gzip, deflate, br"));
  EXPECT_TRUE(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip; q=0.000, identity"));
  EXPECT_FALSE(accepts_gzip("*;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0, *"));  // Named and refused: `*` does not bring it back.
  EXPECT_TRUE(accepts_gzip("identity;q=0, *"));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("br"));
  EXPECT_FALSE(accepts_gzip(""));
}

TEST(HttpUtil, IfNoneMatchTakesStarListsAndWeakTags) {
  EXPECT_TRUE(etag_matches("\"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches("*", "\"abc\""));
  EXPECT_TRUE(etag_matches("\"x\", \"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches("W/\"abc\"", "\"abc\""));
  EXPECT_FALSE(etag_matches("\"abcd\"", "\"abc\""));
  EXPECT_FALSE(etag_matches("", "\"abc\""));
}

TEST(HttpUtil, TheBearerSchemeIsReadInAnyCase) {
  httplib::Request req;
  req.headers.emplace("Authorization", "bearer tok123");
  EXPECT_EQ(bearer_token(req), "tok123");
  req.headers.clear();
  req.headers.emplace("Authorization", "BEARER  tok123");
  EXPECT_EQ(bearer_token(req), "tok123");
  req.headers.clear();
  req.headers.emplace("Authorization", "Basic dXNlcjpwYXNz");
  EXPECT_EQ(bearer_token(req), "");
  req.headers.clear();
  req.headers.emplace("Authorization", "Bearer ");
  EXPECT_EQ(bearer_token(req), "");
}

}  // namespace
}  // namespace linli::server
