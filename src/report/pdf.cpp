#include "report/pdf.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

extern char** environ;

namespace poles::report {

namespace fs = std::filesystem;

Result<std::string> find_chromium() {
  if (const char* env = std::getenv("POLES_CHROMIUM"); env != nullptr && *env) {
    if (fs::exists(env)) return std::string(env);
    return Status::unavailable(fmt::format("POLES_CHROMIUM is '{}', which does not exist", env));
  }
  const char* path = std::getenv("PATH");
  const std::string dirs = path ? path : "/usr/bin:/bin";
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    size_t start = 0;
    while (start <= dirs.size()) {
      const size_t end = dirs.find(':', start);
      const std::string dir =
          dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
      const fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  return Status::unavailable(
      "no Chromium found to print the PDF (set POLES_CHROMIUM, or install Debian's chromium)");
}

namespace {

// Prints `html` to `out` with the browser, working in the private directory `dir`.
Status print(const std::string& html, const fs::path& dir, const std::string& out_path,
             int timeout_s) {
  POLES_ASSIGN_OR_RETURN(std::string browser, find_chromium());
  std::error_code ec;
  const fs::path input = dir / "report.html";
  {
    std::ofstream f(input, std::ios::binary);
    f << html;
    if (!f) return Status::internal(fmt::format("cannot write {}", input.string()));
  }
  const fs::path out = fs::absolute(out_path, ec);
  std::vector<std::string> args = {browser,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-dev-shm-usage",
                                   "--no-first-run",
                                   "--no-pdf-header-footer",
                                   "--run-all-compositor-stages-before-draw",
                                   "--user-data-dir=" + (dir / "profile").string(),
                                   "--print-to-pdf=" + out.string(),
                                   "file://" + input.string()};
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, (dir / "chromium.log").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, browser.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    return Status::unavailable(fmt::format("cannot start {}: {}", browser, std::strerror(rc)));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  int status = 0;
  while (true) {
    const pid_t w = ::waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return Status::unavailable(
          fmt::format("{} did not print the PDF within {} s", browser, timeout_s));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !fs::exists(out) ||
      fs::file_size(out, ec) == 0) {
    std::ifstream log(dir / "chromium.log");
    std::string tail((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    if (tail.size() > 600) tail = tail.substr(tail.size() - 600);
    return Status::internal(fmt::format("{} failed to print the PDF (exit {}): {}", browser,
                                        WIFEXITED(status) ? WEXITSTATUS(status) : -1, tail));
  }
  return Status::ok();
}

// A private directory, removed with everything in it when the object goes.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "poles-pdf-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) != nullptr) path = tmpl;
  }
  ~TempDir() {
    std::error_code e;
    if (!path.empty()) fs::remove_all(path, e);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

}  // namespace

Status html_to_pdf(const std::string& html, const std::string& out_path, int timeout_s) {
  TempDir dir;
  if (dir.path.empty()) return Status::internal("cannot create a temporary directory for the PDF");
  return print(html, dir.path, out_path, timeout_s);
}

Result<std::string> html_to_pdf_bytes(const std::string& html, int timeout_s) {
  TempDir dir;
  if (dir.path.empty()) return Status::internal("cannot create a temporary directory for the PDF");
  const fs::path out = dir.path / "report.pdf";
  POLES_RETURN_IF_ERROR(print(html, dir.path, out.string(), timeout_s));
  std::ifstream f(out, std::ios::binary);
  std::string pdf((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (pdf.empty()) return Status::internal("the printed PDF is empty");
  return pdf;
}

}  // namespace poles::report
