#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "cli/commands.h"

namespace poles::cli {
namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

std::unique_ptr<store::Store> CommandContext::open_store() {
  auto s = store::Store::open(global.db);
  if (!s.has_value()) {
    fail(s.error());
    return nullptr;
  }
  return std::move(s).value();
}

void CommandContext::fail(const Status& s) {
  std::fputs(fmt::format("poles: {}\n", s.message()).c_str(), stderr);
  for (const auto& e : s.field_errors()) std::fputs((e.format() + "\n").c_str(), stderr);
  // Only lists of field errors are cut short (a plain error counts as one, without a list).
  if (!s.field_errors().empty() &&
      s.total_errors() > static_cast<int64_t>(s.field_errors().size())) {
    std::fputs(fmt::format("… and {} more\n",
                           s.total_errors() - static_cast<int64_t>(s.field_errors().size()))
                   .c_str(),
               stderr);
  }
  exit_code = ::poles::exit_code(s.code());
}

ProgressBar::ProgressBar(std::string label, uint64_t total, Unit unit)
    : label_(std::move(label)),
      total_(total),
      unit_(unit),
      enabled_(::isatty(STDERR_FILENO) != 0 && total > (1u << 20)),
      start_(now_seconds()) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(uint64_t done) {
  if (!enabled_ || total_ == 0) return;
  const int percent = std::min(
      100, static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total_)));
  if (percent == last_percent_) return;
  last_percent_ = percent;
  const int width = 30;
  const int filled = percent * width / 100;
  const double elapsed = now_seconds() - start_;
  const double rate =
      elapsed > 0 ? static_cast<double>(done) / elapsed / (unit_ == Unit::kBytes ? 1e6 : 1e3) : 0.0;
  std::fputs(fmt::format("\r{} [{}{}] {:3d}% {:.1f} {}", label_,
                         std::string(static_cast<size_t>(filled), '#'),
                         std::string(static_cast<size_t>(width - filled), ' '), percent, rate,
                         unit_ == Unit::kBytes ? "MB/s" : "k rows/s")
                 .c_str(),
             stderr);
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (enabled_ && last_percent_ >= 0) std::fputs("\n", stderr);
  enabled_ = false;
}

}  // namespace poles::cli
