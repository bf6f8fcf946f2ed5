#include "pg_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <random>
#include <stdexcept>

namespace poles::testing {
namespace {

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

std::string find_bin() {
  for (const char* v : {"17", "16", "15", "14", "13"}) {
    const std::string dir = std::string("/usr/lib/postgresql/") + v + "/bin";
    if (std::filesystem::exists(dir + "/pg_ctl")) return dir;
  }
  return {};
}

int sh(const std::string& cmd) { return std::system(cmd.c_str()); }

std::string as_owner(const std::string& cmd) {
  if (::geteuid() != 0) return cmd;
  return "runuser -u postgres -- " + cmd;
}

}  // namespace

PgServer* PgServer::instance(std::string* why_not) {
  static std::once_flag once;
  static std::unique_ptr<PgServer> server;
  static std::string error;
  std::call_once(once, [] {
    auto s = std::unique_ptr<PgServer>(new PgServer());
    const char* shared = std::getenv("POLES_PG_SERVER_DIR");
    if (shared != nullptr && s->attach(shared)) {
      server = std::move(s);
      return;
    }
    if (s->start(&error)) {
      server = std::move(s);
      std::atexit([] {
        if (server) server->stop();
      });
    }
  });
  if (!server && why_not != nullptr) *why_not = error;
  return server.get();
}

bool PgServer::attach(const std::string& dir) {
  std::ifstream in(dir + "/port");
  int port = 0;
  if (!(in >> port) || port <= 0) return false;
  bin_ = find_bin();
  if (bin_.empty()) return false;
  if (sh(bin_ + "/pg_isready -q -h 127.0.0.1 -p " + std::to_string(port)) != 0) return false;
  dir_ = dir;
  port_ = port;
  running_ = true;
  owned_ = false;
  return true;
}

bool PgServer::start_detached(const std::string& dir, std::string* error) {
  PgServer s;
  s.dir_ = dir;
  if (!s.start(error)) return false;
  std::ofstream(dir + "/port") << s.port_;
  s.owned_ = false;  // keep running after this process exits
  s.running_ = false;
  return true;
}

void PgServer::stop_detached(const std::string& dir) {
  const std::string bin = find_bin();
  if (bin.empty()) return;
  sh(as_owner(bin + "/pg_ctl -D " + dir + "/data -m immediate -w stop >/dev/null 2>&1"));
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

bool PgServer::start(std::string* error) {
  bin_ = find_bin();
  if (bin_.empty()) {
    *error =
        "PostgreSQL server binaries (/usr/lib/postgresql/*/bin/pg_ctl) not found; run "
        "scripts/install-deps";
    return false;
  }
  if (dir_.empty()) {
    std::random_device rd;
    dir_ = (std::filesystem::temp_directory_path() /
            ("poles-pg-" + std::to_string(::getpid()) + "-" + std::to_string(rd())))
               .string();
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  std::filesystem::create_directories(dir_);
  if (::geteuid() == 0) sh("chown postgres:postgres " + dir_);
  if (sh(as_owner(bin_ + "/initdb -D " + dir_ +
                  "/data -A trust -U postgres -E UTF8 --locale=C.UTF-8 >" + dir_ +
                  "/initdb.log 2>&1")) != 0) {
    *error = "initdb failed (see " + dir_ + "/initdb.log)";
    return false;
  }
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = free_port();
    const std::string opts = "-p " + std::to_string(port_) + " -k " + dir_ +
                             " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200";
    if (sh(as_owner(bin_ + "/pg_ctl -D " + dir_ + "/data -o '" + opts + "' -l " + dir_ +
                    "/server.log -w -t 60 start >/dev/null 2>&1")) == 0) {
      running_ = true;
      return true;
    }
  }
  *error = "pg_ctl start failed (see " + dir_ + "/server.log)";
  return false;
}

std::string PgServer::create_database() {
  // Unique across the processes sharing one server.
  const std::string name =
      "poles_test_" + std::to_string(::getpid()) + "_" + std::to_string(++next_db_);
  const std::string cmd =
      bin_ + "/createdb -h 127.0.0.1 -p " + std::to_string(port_) + " -U postgres " + name;
  if (sh(cmd) != 0) throw std::runtime_error("createdb failed: " + cmd);
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + name;
}

void PgServer::stop() {
  if (!running_ || !owned_) return;
  running_ = false;
  sh(as_owner(bin_ + "/pg_ctl -D " + dir_ + "/data -m immediate -w stop >/dev/null 2>&1"));
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

PgServer::~PgServer() { stop(); }

}  // namespace poles::testing
