// Where Pôles finds the files it ships (the dashboard, the evaluation methods): in an installed
// tree, <prefix>/share/poles/<name>, <prefix> being the directory above the running binary's
// (`make install` puts the binary in <prefix>/bin); in a build, the source tree's copy that the
// build names. An installed binary never reads the build machine's paths when its own exist.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace poles {

// <prefix>/share/poles/<name> beside the running binary; empty when the binary's path is unknown.
std::filesystem::path installed_data(std::string_view name);

// The installed copy of `name` when it exists, else `build_copy` (the source tree's).
std::string data_dir(std::string_view name, const std::string& build_copy);

}  // namespace poles
