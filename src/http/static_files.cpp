#include "http/static_files.h"

#include <fmt/format.h>
#include <sodium.h>

#include <fstream>
#include <iterator>
#include <system_error>
#include <vector>

#include "http/problem.h"

namespace poles::http {

namespace {

constexpr uint64_t kMaxCachedBytes = 256ull << 20;  // file contents kept in memory
constexpr uintmax_t kMaxFileBytes = 64ull << 20;    // larger files are not served

const char* media_type(const std::filesystem::path& p) {
  const std::string ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".png") return "image/png";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".woff") return "font/woff";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

// A segment that could lead out of the root or means something else to a file system.
bool safe_segment(std::string_view s) {
  if (s.empty() || s == "." || s == "..") return false;
  for (char c : s) {
    if (c == '\\' || c == '\0' || c == ':') return false;
  }
  return s.front() != '.' || s == ".well-known";  // no hidden files (.git, .env…)
}

}  // namespace

StaticFiles::StaticFiles(const std::string& root) {
  if (root.empty()) return;
  std::error_code ec;
  root_ = std::filesystem::canonical(root, ec);
  if (ec) root_.clear();
}

void StaticFiles::serve(const Request& req, Response& res) {
  if (!enabled()) return problem(res, 404, "no dashboard files are served here");
  std::string rel = req.path == "/" ? "/index.html" : req.path;
  std::filesystem::path p = root_;
  for (size_t b = 1; b <= rel.size();) {
    size_t e = rel.find('/', b);
    if (e == std::string::npos) e = rel.size();
    const std::string_view seg = std::string_view(rel).substr(b, e - b);
    if (!safe_segment(seg)) return problem(res, 404, fmt::format("no file {}", rel));
    p /= std::string(seg);
    b = e + 1;
  }
  std::error_code ec;
  const auto real = std::filesystem::canonical(p, ec);
  // The resolved file must be a regular file inside the root (a link may not lead out of it).
  const auto [r_end, _] = std::mismatch(root_.begin(), root_.end(), real.begin(), real.end());
  if (ec || r_end != root_.end() || !std::filesystem::is_regular_file(real, ec)) {
    return problem(res, 404, fmt::format("no file {}", rel));
  }
  const auto mtime = std::filesystem::last_write_time(real, ec);
  const auto size = std::filesystem::file_size(real, ec);
  if (ec || size > kMaxFileBytes) return problem(res, 404, fmt::format("no file {}", rel));
  File file;
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(real.string());
    if (it != cache_.end() && it->second.mtime == mtime && it->second.size == size)
      file = it->second;
  }
  if (!file.body) {
    std::ifstream in(real, std::ios::binary);
    auto body = std::make_shared<std::string>((std::istreambuf_iterator<char>(in)),
                                              std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) return problem(res, 404, fmt::format("no file {}", rel));
    unsigned char hash[16];
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(body->data()),
                       body->size(), nullptr, 0);
    std::string hex(2 * sizeof hash + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), hash, sizeof hash);
    hex.pop_back();
    file = File{"\"" + hex + "\"", media_type(real), body, mtime, size};
    std::lock_guard lock(mu_);
    if (cached_bytes_ + body->size() > kMaxCachedBytes) {
      cache_.clear();
      cached_bytes_ = 0;
    }
    cached_bytes_ += body->size();
    cache_[real.string()] = file;
  }
  res.set_header("ETag", file.etag);
  // Pages are revalidated every time (they name the current modules); modules and packages may
  // be reused for a day, and are revalidated by their ETag after that.
  const bool page = real.extension() == ".html";
  res.set_header("Cache-Control", page ? "no-cache" : "public, max-age=86400");
  if (req.header("If-None-Match") == file.etag) {
    res.status = 304;
    return;
  }
  res.set(200, file.type, *file.body);
}

}  // namespace poles::http
