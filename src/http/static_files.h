// The dashboard's files (web/ and its locked npm packages under /node_modules), served from one
// root: GET only; the decoded path must stay inside the root (no "..", "." or empty segment, no
// backslash, no link leading out); a strong ETag per file and its revalidation (304); cache
// headers (no-cache for pages, a day for the rest); no byte ranges (the whole file, always).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "http/exchange.h"

namespace poles::http {

class StaticFiles {
 public:
  // An empty root serves nothing (every path is 404).
  explicit StaticFiles(const std::string& root);
  bool enabled() const { return !root_.empty(); }
  // Answers a GET of req.path.
  void serve(const Request& req, Response& res);

 private:
  struct File {
    std::string etag;
    std::string type;
    std::shared_ptr<const std::string> body;
    std::filesystem::file_time_type mtime;
    uintmax_t size = 0;
  };
  std::filesystem::path root_;
  std::mutex mu_;
  std::map<std::string, File> cache_;  // by resolved path
  uint64_t cached_bytes_ = 0;
};

}  // namespace poles::http
