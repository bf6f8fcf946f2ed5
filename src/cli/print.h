// Plain-text views of JSON results for the analysis subcommands (network, select, risk).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace poles::cli {

using Json = nlohmann::ordered_json;

// An array of flat objects as aligned columns (nested values are left out).
void print_table(const Json& rows);
// Nested objects as "a.b: value" lines; arrays of objects as tables under their name.
void print_object(const Json& j, const std::string& prefix = "");

}  // namespace poles::cli
