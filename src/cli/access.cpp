// `poles access doc`: the access policy (app/policy.h) as the Markdown of docs/access.md.
#include <iostream>

#include "app/policy.h"
#include "cli/commands.h"

namespace poles::cli {

void add_access(CLI::App& app, CommandContext&) {
  auto* access = app.add_subcommand("access", "The access policy: who may read and write what");
  access->require_subcommand(1);
  auto* doc =
      access->add_subcommand("doc", "Print the policy as Markdown (docs/access.md is this output)");
  doc->callback([] { std::cout << app::policy_markdown(); });
}

}  // namespace poles::cli
