#include "core/paths.h"

#include <system_error>

namespace poles {

std::filesystem::path installed_data(std::string_view name) {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec || exe.empty()) return {};
  return exe.parent_path().parent_path() / "share" / "poles" / std::string(name);
}

std::string data_dir(std::string_view name, const std::string& build_copy) {
  const auto installed = installed_data(name);
  std::error_code ec;
  if (!installed.empty() && std::filesystem::is_directory(installed, ec)) return installed.string();
  return build_copy;
}

}  // namespace poles
