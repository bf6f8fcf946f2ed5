#include "demo/load.h"

#include <fmt/format.h>

namespace poles::demo {
namespace {

class LoaderSink final : public Sink {
 public:
  LoaderSink(import::Loader& loader, const LoadOptions& options)
      : loader_(loader), options_(options) {}

  void add(const schema::Entity& e, Row row) override {
    ++rows_;
    if (options_.progress && rows_ % 100000 == 0) options_.progress(rows_);
    // The generator's own cells are checked like a file's: a generator bug is an error here.
    for (size_t i = 0; i < row.size(); ++i) {
      if (is_null(row[i]) && !e.fields[i].required) continue;
      if (auto rule = schema::check_value(e.fields[i], row[i])) {
        FieldError fe;
        fe.file = fmt::format("demo:{}", e.name);
        fe.line = rows_;
        fe.field = std::string(e.fields[i].name);
        fe.value = value_to_text(row[i]);
        fe.rule = *rule;
        loader_.add_error(std::move(fe));
        return;
      }
    }
    import::RowOrigin origin{fmt::format("demo:{}", e.name), rows_, nullptr};
    loader_.add(e, std::move(row), origin);
  }

 private:
  import::Loader& loader_;
  const LoadOptions& options_;
  int64_t rows_ = 0;
};

}  // namespace

Result<import::LoadReport> generate_into(store::Store& store, const Options& options,
                                         const LoadOptions& load) {
  POLES_ASSIGN_OR_RETURN(const int64_t clusters, store.count(*schema::find_entity("cluster")));
  if (clusters > 0) {
    return Status::invalid_argument(fmt::format(
        "the store already holds {} clusters: the demo needs an empty store", clusters));
  }
  import::LoaderOptions lo;
  lo.actor = "demo";
  import::Loader loader(store, lo);
  LoaderSink sink(loader, load);
  generate(options, sink);
  return loader.finish(fmt::format("demo seed={}", options.seed));
}

}  // namespace poles::demo
