#include "http/services.h"

#include <algorithm>
#include <boost/asio/ip/address.hpp>

namespace poles::http {

std::string throttle_address(const std::string& client) {
  boost::system::error_code ec;
  const auto a = boost::asio::ip::make_address(client, ec);
  if (ec || !a.is_v6() || a.to_v6().is_v4_mapped()) return client;
  auto bytes = a.to_v6().to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
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
  auto [it, fresh] = buckets_.try_emplace(throttle_address(client), Bucket{burst_, now});
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
