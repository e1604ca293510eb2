// Runs the real linli-server binary for a test: port 0, its printed address read back, always
// stopped (SIGTERM, then SIGKILL) when the object goes.
#pragma once

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace linli::test {

class ServerProcess {
 public:
  // Starts the server with `args` (plus --host 127.0.0.1 --port 0) and waits for its address.
  explicit ServerProcess(std::vector<std::string> args) {
    const char* bin = std::getenv("LINLI_SERVER_BIN");
    m_bin = bin ? bin : "linli-server";
    args.insert(args.begin(), {m_bin, "--host", "127.0.0.1", "--port", "0"});
    m_pid = spawn(args);
    if (m_pid > 0) m_port = read_port();
  }
  ~ServerProcess() { stop(); }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return m_port; }
  pid_t pid() const { return m_pid; }
  // Kills the server with SIGKILL, as a crash would: no handler runs, nothing is flushed by it.
  void crash() {
    if (m_pid <= 0) return;
    kill(m_pid, SIGKILL);
    waitpid(m_pid, nullptr, 0);
    m_pid = 0;
    m_status = -1;
  }
  // Sends SIGTERM and returns the exit status (-1 if it had to be killed).
  int stop() {
    if (m_pid <= 0) return m_status;
    kill(m_pid, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      int st = 0;
      if (waitpid(m_pid, &st, WNOHANG) == m_pid) {
        m_pid = 0;
        m_status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        return m_status;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill(m_pid, SIGKILL);
    waitpid(m_pid, nullptr, 0);
    m_pid = 0;
    m_status = -1;
    return m_status;
  }

  // Runs the binary with `args` to completion, `input` on its stdin; returns {exit status, stdout+stderr}.
  static std::pair<int, std::string> run(const std::vector<std::string>& args, const std::string& input = "") {
    const char* bin = std::getenv("LINLI_SERVER_BIN");
    std::vector<std::string> full = {bin ? bin : "linli-server"};
    full.insert(full.end(), args.begin(), args.end());
    int fds[2], in[2];
    if (pipe(fds) != 0 || pipe(in) != 0) return {-1, "pipe failed"};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    std::vector<char*> argv;
    for (auto& a : full) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    close(in[0]);
    if (!input.empty() && write(in[1], input.data(), input.size()) < 0) {}
    close(in[1]);
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    close(fds[0]);
    if (rc != 0) return {-1, "spawn failed"};
    int st = 0;
    waitpid(pid, &st, 0);
    return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, out};
  }

 private:
  pid_t spawn(std::vector<std::string>& args) {
    int fds[2];
    if (pipe(fds) != 0) return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    m_out = fds[0];
    return rc == 0 ? pid : -1;
  }

  // Reads stdout until "listening on http://127.0.0.1:PORT\n" (30 s at most: seeding the demo
  // accounts hashes four passwords, slow on a loaded machine), then keeps draining
  // it in the background so request log lines never block the server.
  int read_port() {
    std::string seen;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    char c;
    while (std::chrono::steady_clock::now() < until && read(m_out, &c, 1) == 1) {
      seen += c;
      if (c == '\n') {
        const auto at = seen.find("listening on http://127.0.0.1:");
        if (at != std::string::npos) {
          const int port = std::atoi(seen.c_str() + at + 30);
          std::thread([fd = m_out] {
            char b[4096];
            while (read(fd, b, sizeof b) > 0) {}
            close(fd);
          }).detach();
          return port;
        }
        seen.clear();
      }
    }
    return 0;
  }

  std::string m_bin;
  pid_t m_pid = -1;
  int m_out = -1;
  int m_port = 0;
  int m_status = -1;
};

}  // namespace linli::test
