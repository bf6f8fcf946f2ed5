// Text placed in HTML or XML (reports, GEXF exports): the five characters that end a text or an
// attribute are escaped ('&#39;' for the apostrophe, which HTML 4 lacks as a named entity).
#pragma once

#include <string>
#include <string_view>

namespace poles {

std::string markup_escape(std::string_view text);

}  // namespace poles
