// linli-server as a process: serving the web app, health, errors as JSON, a clean stop.
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>
#include <vector>

#include "support/server_process.h"
#include "support/temp_dir.h"

namespace linli {
namespace {

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(m_dir.path() / "web" / "fonts");
    write("web/index.html", "<!doctype html><title>邻里</title>");
    write("web/app.js", "console.log('app');");
    m_wasm = std::string("\0asm\1\0\0\0", 8) + std::string(5000, 'w');
    write("web/app.wasm", m_wasm);
    ASSERT_EQ(std::system(("gzip -k -9 " + m_dir.file("web/app.wasm")).c_str()), 0);
    m_server = std::make_unique<test::ServerProcess>(std::vector<std::string>{
        "--db", m_dir.file("var/linli.db"), "--web", m_dir.file("web"), "--seed-demo"});
    ASSERT_GT(m_server->port(), 0) << "the server did not print its address";
    m_client = std::make_unique<httplib::Client>("127.0.0.1", m_server->port());
    m_client->set_decompress(false);
  }

  void write(const std::string& rel, const std::string& body) {
    std::ofstream(m_dir.file(rel), std::ios::binary) << body;
  }

  test::TempDir m_dir;
  std::string m_wasm;
  std::unique_ptr<test::ServerProcess> m_server;
  std::unique_ptr<httplib::Client> m_client;
};

TEST_F(ServerTest, HealthzReportsTheSchemaAndTheSeededTickets) {
  auto res = m_client->Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  const auto body = nlohmann::json::parse(res->body);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_GE(body["schema"].get<int>(), 1);
  EXPECT_GE(body["tickets"].get<int>(), 5);
}

// Devices come and go: a connection closed gives its thread back, and the next connection gets a
// thread already started, so the server does not walk through its 1,024 request threads (each
// keeping the memory it touched) as connections churn.
TEST_F(ServerTest, ConnectionsOneAfterAnotherReuseTheSameRequestThreads) {
  auto threads = [&] {
    auto res = m_client->Get("/metrics");
    if (!res || res->status != 200) return -1;
    const auto at = res->body.find("\nlinli_request_threads ");
    return at == std::string::npos ? -1 : std::atoi(res->body.c_str() + at + 23);
  };
  for (int i = 0; i < 100; ++i) {
    httplib::Client c("127.0.0.1", m_server->port());
    c.set_keep_alive(false);
    auto res = c.Get("/healthz");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const int started = threads();
  EXPECT_GE(started, 1);
  EXPECT_LE(started, 8) << "100 connections one after another started " << started << " request threads";
}

TEST_F(ServerTest, ServesIndexHtmlAtTheRoot) {
  auto res = m_client->Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(res->body, "<!doctype html><title>邻里</title>");
  EXPECT_FALSE(res->get_header_value("ETag").empty());
}

TEST_F(ServerTest, ServesWasmWithItsMimeTypeAndPrecompressedToGzipClients) {
  auto plain = m_client->Get("/app.wasm");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->get_header_value("Content-Type"), "application/wasm");
  EXPECT_EQ(plain->get_header_value("Content-Encoding"), "");
  EXPECT_EQ(plain->body, m_wasm);

  auto gz = m_client->Get("/app.wasm", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_TRUE(gz);
  EXPECT_EQ(gz->get_header_value("Content-Type"), "application/wasm");
  EXPECT_EQ(gz->get_header_value("Content-Encoding"), "gzip");
  EXPECT_LT(gz->body.size(), m_wasm.size() / 10);
  EXPECT_EQ(static_cast<unsigned char>(gz->body[0]), 0x1f);  // Gzip magic.
}

TEST_F(ServerTest, CompressesJavaScriptForClientsThatAskForIt) {
  auto res = m_client->Get("/app.js", {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/javascript");
  EXPECT_EQ(res->get_header_value("Content-Encoding"), "gzip");
}

TEST_F(ServerTest, AnUnchangedFileIsNotSentAgain) {
  auto first = m_client->Get("/app.js");
  ASSERT_TRUE(first);
  auto again = m_client->Get("/app.js", {{"If-None-Match", first->get_header_value("ETag")}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
}

TEST_F(ServerTest, NeverServesOutsideTheWebFolder) {
  write("secret.txt", "not for you");
  for (const char* path : {"/../secret.txt", "/%2e%2e/secret.txt", "/fonts/../../secret.txt", "/./index.html"}) {
    auto res = m_client->Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path;
    EXPECT_EQ(res->body.find("not for you"), std::string::npos) << path;
  }
}

TEST_F(ServerTest, UnknownApiPathsAnswerJsonErrors) {
  auto res = m_client->Get("/api/v1/nothing");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  const auto body = nlohmann::json::parse(res->body);
  EXPECT_EQ(body["error"]["code"], "not_found");
  EXPECT_EQ(body["error"]["message"], "no such endpoint: /api/v1/nothing");
}

// The app's files carry its Content-Security-Policy (exactly what the WebAssembly app needs, no
// inline script or style, no eval, never framed) and no referrer; every answer, the API's too, is
// never MIME-sniffed.
TEST_F(ServerTest, TheAppsFilesCarryTheSecurityHeadersAndEveryAnswerNosniff) {
  const std::string csp =
      "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; "
      "img-src 'self'; manifest-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'none'; "
      "frame-ancestors 'none'";
  auto page = m_client->Get("/");
  ASSERT_TRUE(page);
  auto wasm = m_client->Get("/app.wasm", {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(wasm);
  auto again = m_client->Get("/", {{"If-None-Match", page->get_header_value("ETag")}});
  ASSERT_TRUE(again);
  ASSERT_EQ(again->status, 304);
  for (const auto* res : {&page.value(), &wasm.value(), &again.value()}) {
    EXPECT_EQ(res->get_header_value("Content-Security-Policy"), csp);
    EXPECT_EQ(res->get_header_value_count("Content-Security-Policy"), 1u);
    EXPECT_EQ(res->get_header_value("Referrer-Policy"), "no-referrer");
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(res->get_header_value_count("X-Content-Type-Options"), 1u);
  }
  auto health = m_client->Get("/healthz");
  auto missing_api = m_client->Get("/api/v1/nothing");
  auto missing_file = m_client->Get("/nothing.js");
  auto unauthenticated = m_client->Post("/api/v1/sync/push", "{}", "application/json");
  for (const auto* res : {&health, &missing_api, &missing_file, &unauthenticated}) {
    ASSERT_TRUE(*res);
    EXPECT_EQ((*res)->get_header_value("X-Content-Type-Options"), "nosniff") << (*res)->status;
    EXPECT_EQ((*res)->get_header_value_count("X-Content-Type-Options"), 1u);
  }
}

TEST_F(ServerTest, StopsCleanlyOnSigterm) {
  ASSERT_TRUE(m_client->Get("/healthz"));
  EXPECT_EQ(m_server->stop(), 0);
  EXPECT_FALSE(m_client->Get("/healthz"));
}

TEST(ServerCommandLine, HelpPrintsUsageAndExitsZero) {
  const auto [status, out] = test::ServerProcess::run({"--help"});
  EXPECT_EQ(status, 0);
  EXPECT_NE(out.find("Usage: linli-server"), std::string::npos);
  EXPECT_NE(out.find("--port N"), std::string::npos);
}

TEST(ServerCommandLine, AMissingWebFolderIsAClearError) {
  test::TempDir dir;
  const auto [status, out] = test::ServerProcess::run({"--port", "0", "--db", dir.file("x.db"), "--web", dir.file("nope")});
  EXPECT_EQ(status, 1);
  EXPECT_NE(out.find("no index.html (build the web app first"), std::string::npos) << out;
}

// A second server on a port in use must fail, not share it (httplib's default SO_REUSEPORT would
// let both listen and split the connections between them).
TEST_F(ServerTest, ASecondServerOnAPortInUseRefusesToStart) {
  const std::string port = std::to_string(m_server->port());
  const auto [status, out] =
      test::ServerProcess::run({"--port", port, "--db", m_dir.file("other.db"), "--web", m_dir.file("web")});
  EXPECT_EQ(status, 1);
  EXPECT_NE(out.find("cannot listen on 127.0.0.1:" + port), std::string::npos) << out;
}

// A burst of connections must not overflow the accept queue (httplib's own is 5 long): every
// connection of a burst of 200 is answered at once, none waits for a SYN sent again (1 s).
TEST_F(ServerTest, ABurstOfConnectionsIsAcceptedWithoutRetries) {
  constexpr int kClients = 200;
  std::vector<double> seconds(kClients);
  std::vector<int> statuses(kClients);
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i)
    threads.emplace_back([&, i] {
      const auto start = std::chrono::steady_clock::now();
      httplib::Client c("127.0.0.1", m_server->port());
      auto r = c.Get("/healthz");
      statuses[static_cast<size_t>(i)] = r ? r->status : -1;
      seconds[static_cast<size_t>(i)] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), kClients);
  EXPECT_LT(*std::max_element(seconds.begin(), seconds.end()), 0.9);
}

TEST(ServerCommandLine, AnUnknownOptionIsRefused) {
  const auto [status, out] = test::ServerProcess::run({"--frobnicate"});
  EXPECT_EQ(status, 2);
  EXPECT_NE(out.find("unknown option \"--frobnicate\""), std::string::npos) << out;
}

}  // namespace
}  // namespace linli
