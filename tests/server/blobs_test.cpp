// Photos over HTTP against the real server: PUT, HEAD and GET /api/v1/blobs/{sha256}, their
// limits and errors, and what lands in the blob folder.
#include <httplib.h>
#include <sodium.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <fstream>

#include "support/server_process.h"
#include "support/temp_dir.h"

namespace linli {
namespace {

using nlohmann::json;

std::string sha256_of(const std::string& bytes) {
  unsigned char d[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(d, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, d, sizeof d);
  return hex;
}

// A JPEG's first bytes, then `size` bytes that differ per `seed`.
std::string photo(size_t size, int seed) {
  std::string s = "\xFF\xD8\xFF\xE0";
  s.resize(size);
  for (size_t i = 4; i < size; ++i) s[i] = static_cast<char>((i * 31 + static_cast<size_t>(seed) * 7919) % 251);
  return s;
}

class BlobsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_GE(sodium_init(), 0);
    s_dir = new test::TempDir;
    std::filesystem::create_directories(s_dir->path() / "web");
    std::ofstream(s_dir->file("web/index.html")) << "<!doctype html>";
    // No --blobs: the folder is the database's folder + "/blobs".
    s_server = new test::ServerProcess({"--db", s_dir->file("linli.db"), "--web", s_dir->file("web"), "--seed-demo"});
    httplib::Client c("127.0.0.1", s_server->port());
    auto r =
        c.Post("/api/v1/login", json{{"user", "chuhai.chen"}, {"password", "linli-demo"}}.dump(), "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    s_token = json::parse(r->body)["token"];
  }
  static void TearDownTestSuite() {
    delete s_server;
    delete s_dir;
  }
  void SetUp() override {
    ASSERT_GT(s_server->port(), 0);
    m_client = std::make_unique<httplib::Client>("127.0.0.1", s_server->port());
  }
  static httplib::Headers auth() { return {{"Authorization", "Bearer " + s_token}}; }
  httplib::Result put(const std::string& name, const std::string& bytes, const std::string& type = "image/jpeg") {
    return m_client->Put("/api/v1/blobs/" + name, auth(), bytes, type);
  }
  static std::string code(const httplib::Result& r) { return json::parse(r->body)["error"]["code"]; }

  static test::TempDir* s_dir;
  static test::ServerProcess* s_server;
  static std::string s_token;
  std::unique_ptr<httplib::Client> m_client;
};
test::TempDir* BlobsTest::s_dir = nullptr;
test::ServerProcess* BlobsTest::s_server = nullptr;
std::string BlobsTest::s_token;

TEST_F(BlobsTest, APhotoGoesUpAndComesBackWithItsTypeAndCacheHeaders) {
  const std::string bytes = photo(200'000, 1);
  const std::string name = sha256_of(bytes);
  auto up = put(name, bytes, "image/png");
  ASSERT_TRUE(up);
  ASSERT_EQ(up->status, 201) << up->body;
  EXPECT_EQ(json::parse(up->body), (json{{"sha256", name}, {"size", 200'000}, {"type", "image/png"}}));
  auto down = m_client->Get("/api/v1/blobs/" + name, auth());
  ASSERT_TRUE(down);
  ASSERT_EQ(down->status, 200);
  EXPECT_EQ(down->body, bytes);
  EXPECT_EQ(down->get_header_value("Content-Type"), "image/png");
  EXPECT_EQ(down->get_header_value("Cache-Control"), "private, max-age=31536000, immutable");
  EXPECT_EQ(down->get_header_value_count("X-Content-Type-Options"), 1u);  // Not twice (an outsider saw two).
  EXPECT_EQ(down->get_header_value("Vary"), "Accept-Encoding");  // Gzipped or not by the request.
  EXPECT_EQ(down->get_header_value("ETag"), "\"" + name + "\"");
  // On disk whole, under its name, beside the database; no temp file left.
  EXPECT_TRUE(std::filesystem::is_regular_file(s_dir->path() / "blobs" / (name + ".png")));
  for (const auto& e : std::filesystem::directory_iterator(s_dir->path() / "blobs"))
    EXPECT_NE(e.path().filename().string().rfind(".tmp-", 0), 0u) << e.path();
}

TEST_F(BlobsTest, PuttingTheSamePhotoAgainIs200AndKeepsTheFirstCopy) {
  const std::string bytes = photo(5000, 2);
  const std::string name = sha256_of(bytes);
  auto first = put(name, bytes, "image/webp");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 201);
  const auto file = s_dir->path() / "blobs" / (name + ".webp");
  const auto written = std::filesystem::last_write_time(file);
  auto again = put(name, bytes, "image/jpeg");  // Another type said: the stored one stays.
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  EXPECT_EQ(json::parse(again->body)["type"], "image/webp");
  EXPECT_EQ(std::filesystem::last_write_time(file), written);
}

TEST_F(BlobsTest, HeadAnswersTheLengthWithoutTheBytesOr404) {
  const std::string bytes = photo(12345, 3);
  const std::string name = sha256_of(bytes);
  ASSERT_EQ(put(name, bytes)->status, 201);
  auto head = m_client->Head("/api/v1/blobs/" + name, auth());
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->get_header_value("Content-Length"), "12345");
  EXPECT_EQ(head->get_header_value("Content-Type"), "image/jpeg");
  EXPECT_TRUE(head->body.empty());
  auto missing = m_client->Head("/api/v1/blobs/" + sha256_of("never uploaded"), auth());
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

TEST_F(BlobsTest, AMissingPhotoIsAJson404) {
  auto r = m_client->Get("/api/v1/blobs/" + sha256_of("never uploaded"), auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(code(r), "not_found");
}

TEST_F(BlobsTest, ABodyWhoseHashIsNotTheNameIs422AndNotStored) {
  const std::string bytes = photo(1000, 4);
  const std::string other = sha256_of("something else");
  auto r = put(other, bytes);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
  EXPECT_EQ(code(r), "hash_mismatch");
  auto get = m_client->Get("/api/v1/blobs/" + other, auth());
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 404);
}

TEST_F(BlobsTest, TenMiBIsTakenAndOneByteMoreIs413) {
  const std::string limit = photo(10 * 1024 * 1024, 5);
  auto ok = put(sha256_of(limit), limit);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 201) << ok->body;
  const std::string over = photo(10 * 1024 * 1024 + 1, 6);
  auto r = put(sha256_of(over), over);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(code(r), "too_large");
}

TEST_F(BlobsTest, OnlyJpegPngAndWebpAreTaken) {
  const std::string bytes = photo(1000, 7);
  for (const char* type : {"image/gif", "text/html", "application/octet-stream"}) {
    auto r = put(sha256_of(bytes), bytes, type);
    ASSERT_TRUE(r) << type;
    EXPECT_EQ(r->status, 415) << type;
    EXPECT_EQ(code(r), "unsupported_media_type");
  }
  auto with_params = put(sha256_of(bytes), bytes, "Image/JPEG; charset=binary");
  ASSERT_TRUE(with_params);
  EXPECT_EQ(with_params->status, 201) << with_params->body;
}

TEST_F(BlobsTest, ANameThatIsNotALowercaseSha256Is400) {
  const std::string bytes = photo(100, 8);
  const std::string upper = [&] {
    std::string s = sha256_of(bytes);
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  }();
  for (const std::string& bad :
       {std::string("abc"), upper, sha256_of(bytes) + "0", std::string(64, 'g'), sha256_of(bytes) + ".jpg"}) {
    auto r = put(bad, bytes);
    ASSERT_TRUE(r) << bad;
    EXPECT_EQ(r->status, 400) << bad;
    EXPECT_EQ(code(r), "bad_name") << bad;
    auto g = m_client->Get("/api/v1/blobs/" + bad, auth());
    ASSERT_TRUE(g);
    EXPECT_EQ(g->status, 400) << bad;
  }
}

TEST_F(BlobsTest, WithoutASignInEveryMethodIs401) {
  const std::string bytes = photo(100, 9);
  const std::string name = sha256_of(bytes);
  ASSERT_EQ(put(name, bytes)->status, 201);
  auto p = m_client->Put("/api/v1/blobs/" + name, bytes, "image/jpeg");
  auto g = m_client->Get("/api/v1/blobs/" + name);
  auto h = m_client->Head("/api/v1/blobs/" + name);
  auto bad = m_client->Get("/api/v1/blobs/" + name, {{"Authorization", "Bearer not-a-token"}});
  ASSERT_TRUE(p && g && h && bad);
  EXPECT_EQ(p->status, 401);
  EXPECT_EQ(code(p), "unauthenticated");
  EXPECT_EQ(g->status, 401);
  EXPECT_EQ(h->status, 401);
  EXPECT_EQ(bad->status, 401);
  EXPECT_EQ(code(bad), "invalid_token");
}

TEST_F(BlobsTest, JsonRoutesStillStopAt8MiB) {
  auto r = m_client->Post("/api/v1/login", std::string(9 * 1024 * 1024, ' '), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(code(r), "too_large");
}

TEST(BlobFolder, TheBlobsOptionChoosesTheFolder) {
  ASSERT_GE(sodium_init(), 0);
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "web");
  std::ofstream(dir.file("web/index.html")) << "<!doctype html>";
  test::ServerProcess server(
      {"--db", dir.file("db/linli.db"), "--web", dir.file("web"), "--seed-demo", "--blobs", dir.file("photos")});
  ASSERT_GT(server.port(), 0);
  httplib::Client c("127.0.0.1", server.port());
  auto login =
      c.Post("/api/v1/login", json{{"user", "zhang.bin"}, {"password", "linli-demo"}}.dump(), "application/json");
  ASSERT_TRUE(login);
  const std::string token = json::parse(login->body)["token"];
  const std::string bytes = photo(300, 10);
  auto r = c.Put("/api/v1/blobs/" + sha256_of(bytes), {{"Authorization", "Bearer " + token}}, bytes, "image/jpeg");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
  EXPECT_TRUE(std::filesystem::is_regular_file(dir.path() / "photos" / (sha256_of(bytes) + ".jpg")));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "db" / "blobs" / (sha256_of(bytes) + ".jpg")));
}

}  // namespace
}  // namespace linli
