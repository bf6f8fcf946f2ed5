// Export of any entity as CSV (the import schema, so an export re-imports unchanged), JSON
// (an array of objects with typed values) or XLSX (one sheet, typed cells).
#pragma once

#include <iosfwd>
#include <string>

#include "core/schema.h"
#include "store/store.h"

namespace poles::import {

enum class ExportFormat { kCsv, kJson, kXlsx };

Result<ExportFormat> parse_export_format(const std::string& name);

// CSV and JSON to a stream. Returns the number of rows written.
Result<int64_t> export_stream(store::Store& store, const schema::Entity& e, ExportFormat format,
                              std::ostream& out);
// Any format to a file (XLSX needs a file).
Result<int64_t> export_file(store::Store& store, const schema::Entity& e, ExportFormat format,
                            const std::string& path);

}  // namespace poles::import
