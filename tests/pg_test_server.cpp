// CTest fixture helper: `pg_test_server start DIR` starts a PostgreSQL server that the test
// processes share (they find it through POLES_PG_SERVER_DIR=DIR); `pg_test_server stop DIR`
// stops it and removes DIR.
#include <cstring>
#include <iostream>

#include "pg_server.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: pg_test_server start|stop DIR\n";
    return 1;
  }
  if (std::strcmp(argv[1], "stop") == 0) {
    poles::testing::PgServer::stop_detached(argv[2]);
    return 0;
  }
  std::string error;
  if (!poles::testing::PgServer::start_detached(argv[2], &error)) {
    // Not fatal: tests then skip the PostgreSQL backend with this reason.
    std::cerr << "pg_test_server: " << error << "\n";
  }
  return 0;
}
