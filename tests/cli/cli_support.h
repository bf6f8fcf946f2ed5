// Running the `poles` binary from tests.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

extern char** environ;  // NOLINT: POSIX

namespace poles::testing {

// Starts `poles args…` with stdout/stderr redirected to files; returns the pid.
inline pid_t spawn_poles(const std::vector<std::string>& args, const std::string& out_file,
                         const std::string& err_file) {
  std::vector<std::string> all = {POLES_CLI_PATH};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  posix_spawn(&pid, POLES_CLI_PATH, &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  return pid;
}

// Runs to completion; returns the exit code (or 128 + signal).
inline int run_poles(const std::vector<std::string>& args, const std::string& out_file,
                     const std::string& err_file) {
  const pid_t pid = spawn_poles(args, out_file, err_file);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace poles::testing
