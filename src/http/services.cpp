#include "http/services.h"

#include <algorithm>

namespace poles::http {

bool LoginThrottle::blocked(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return false;
  auto& q = it->second;
  const auto now = std::chrono::steady_clock::now();
  while (!q.empty() && now - q.front() > std::chrono::minutes(1)) q.pop_front();
  if (q.empty()) {
    failures_.erase(it);
    return false;
  }
  return static_cast<int>(q.size()) >= attempts_;
}

void LoginThrottle::failed(const std::string& key) {
  std::lock_guard lock(mu_);
  if (failures_.size() > 100000) failures_.clear();  // bounded memory under a flood of names
  failures_[key].push_back(std::chrono::steady_clock::now());
}

bool RateLimiter::take(const std::string& client, double* retry_after_seconds) {
  if (rate_ <= 0) return true;
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  if (now - swept_ > std::chrono::seconds(60)) {
    // Forget full buckets (clients gone quiet) so that memory stays bounded.
    std::erase_if(buckets_, [&](const auto& kv) {
      const double idle = std::chrono::duration<double>(now - kv.second.at).count();
      return kv.second.tokens + idle * rate_ >= burst_;
    });
    swept_ = now;
  }
  auto [it, fresh] = buckets_.try_emplace(client, Bucket{burst_, now});
  Bucket& b = it->second;
  if (!fresh) {
    const double idle = std::chrono::duration<double>(now - b.at).count();
    b.tokens = std::min(burst_, b.tokens + idle * rate_);
    b.at = now;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return true;
  }
  if (retry_after_seconds != nullptr) *retry_after_seconds = (1 - b.tokens) / rate_;
  return false;
}

}  // namespace poles::http
