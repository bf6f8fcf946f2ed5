// A throw-away PostgreSQL server for tests: initdb + pg_ctl in a temporary directory (as the
// postgres user when running as root), on a free loopback port, stopped at exit.
#pragma once

#include <string>

namespace poles::testing {

class PgServer {
 public:
  // The process-wide server. When POLES_PG_SERVER_DIR names the directory of a server started
  // by the CTest fixture (pg_test_server start DIR), attaches to it; otherwise starts one on
  // first use. Returns nullptr (with a reason) when PostgreSQL is not installed.
  static PgServer* instance(std::string* why_not = nullptr);

  // For the fixture program: start a server that outlives this process in `dir`, or stop it.
  static bool start_detached(const std::string& dir, std::string* error);
  static void stop_detached(const std::string& dir);

  // Creates a fresh, empty database and returns its postgresql:// URL.
  std::string create_database();
  int port() const { return port_; }
  void stop();
  ~PgServer();

 private:
  PgServer() = default;
  bool start(std::string* error);
  bool attach(const std::string& dir);
  std::string bin_;
  std::string dir_;
  int port_ = 0;
  int next_db_ = 0;
  bool running_ = false;
  bool owned_ = true;
};

}  // namespace poles::testing
