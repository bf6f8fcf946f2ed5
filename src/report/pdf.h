// PDF printing through headless Chromium: the HTML is written to a temporary directory, printed
// with `--print-to-pdf` (no header or footer), and the directory removed. The browser is
// $POLES_CHROMIUM, else `chromium` or `chromium-browser` on PATH; it is killed after `timeout_s`.
#pragma once

#include <string>

#include "core/status.h"

namespace poles::report {

// The path of the browser used for PDF, or Unavailable naming what was looked for.
Result<std::string> find_chromium();
// Prints `html` to the PDF file `out_path`.
Status html_to_pdf(const std::string& html, const std::string& out_path, int timeout_s = 120);
// Prints `html` and returns the PDF's bytes (the browser's files stay in a private directory,
// removed before returning).
Result<std::string> html_to_pdf_bytes(const std::string& html, int timeout_s = 120);

}  // namespace poles::report
