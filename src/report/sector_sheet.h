// The sector sheet (fiche filière): one NAF division's employment and trend, the regions that
// specialise in it, the clusters, projects and products that work in it, skills signals, and a
// method appendix — as one self-contained HTML page (inline SVG charts, print styles for A4),
// drawn from app::sector_sheet's result. French or English.
#pragma once

#include <string>
#include <string_view>

#include "app/factory.h"

namespace poles::report {

// The document's <title> (also the PDF's title): "Fiche filière — <name> (NAF <sector>)".
std::string sector_sheet_title(const app::SectorSheet& sheet, std::string_view lang);
std::string sector_sheet_html(const app::SectorSheet& sheet, std::string_view lang);

}  // namespace poles::report
