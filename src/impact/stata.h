// Reads Stata .dta files (formats 117, 118 and 119, as Stata 13 to 18 write them) into a frame,
// so that economists can bring their Stata data as it is: numeric variables become numeric
// columns (Stata's missing values become NaN), fixed-length strings become text columns.
#pragma once

#include <string>

#include "core/status.h"
#include "impact/frame.h"

namespace poles::impact {

Result<Frame> read_dta(const std::string& path);
// read_csv or read_dta by the file's extension (.dta, else CSV).
Result<Frame> read_data(const std::string& path);

}  // namespace poles::impact
