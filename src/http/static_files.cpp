#include "http/static_files.h"

#include <fmt/format.h>
#include <sodium.h>
#include <zlib.h>

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

// Text formats worth compressing (fonts and images are compressed already).
bool compressible(std::string_view type) {
  return type.starts_with("text/") || type.starts_with("application/json") ||
         type.starts_with("image/svg");
}

// The gzip encoding of a body (level 9: done once per file, then kept), or nullptr on failure.
std::shared_ptr<const std::string> gzip(const std::string& in) {
  z_stream z{};
  if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return nullptr;
  std::string out(deflateBound(&z, in.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return nullptr;
  return std::make_shared<const std::string>(std::move(out));
}

// Whether the client accepts gzip (a q=0 refusal counts as not accepting).
bool accepts_gzip(std::string_view accept) {
  for (size_t b = 0; b < accept.size();) {
    size_t e = accept.find(',', b);
    if (e == std::string_view::npos) e = accept.size();
    std::string_view item = accept.substr(b, e - b);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item.starts_with("gzip"))
      return item.find("q=0") == std::string_view::npos ||
             item.find("q=0.") != std::string_view::npos;
    b = e + 1;
  }
  return false;
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
    file = File{hex, media_type(real), body, nullptr, mtime, size};
    if (body->size() > 1024 && compressible(file.type)) file.gzipped = gzip(*body);
    std::lock_guard lock(mu_);
    if (cached_bytes_ + body->size() > kMaxCachedBytes) {
      cache_.clear();
      cached_bytes_ = 0;
    }
    cached_bytes_ += body->size() + (file.gzipped ? file.gzipped->size() : 0);
    cache_[real.string()] = file;
  }
  // The gzip variant has its own strong ETag (RFC 9110: another representation).
  const bool gz = file.gzipped && accepts_gzip(req.header("Accept-Encoding"));
  const std::string etag = "\"" + file.etag + (gz ? "-gz" : "") + "\"";
  res.set_header("ETag", etag);
  if (file.gzipped) res.set_header("Vary", "Accept-Encoding");
  // A URL that names a version (`?v=`, set by the pages on the locked npm packages) never changes:
  // immutable for a year. Everything else is revalidated on each use (a 304 by its ETag), so
  // that a new version of the dashboard's own modules is seen at once.
  res.set_header("Cache-Control",
                 req.query.contains("v") ? "public, max-age=31536000, immutable" : "no-cache");
  if (req.header("If-None-Match") == etag) {
    res.status = 304;
    return;
  }
  if (gz) {
    res.set_header("Content-Encoding", "gzip");
    return res.set(200, file.type, *file.gzipped);
  }
  res.set(200, file.type, *file.body);
}

}  // namespace poles::http
