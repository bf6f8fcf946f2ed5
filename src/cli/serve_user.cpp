// `poles serve` (the API and the dashboard) and `poles user` (accounts).
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "app/accounts.h"
#include "cli/commands.h"
#include "http/server.h"

namespace poles::cli {
namespace {

// On a store without accounts, creates `admin` with a random password kept beside the database
// (mode 0600), so `make run` can always tell how to log in.
Result<std::string> first_admin(store::Store& s, const std::string& db) {
  POLES_ASSIGN_OR_RETURN(auto users, app::Accounts::list_users(s));
  const std::string file = db + ".admin-password";
  if (users.empty()) {
    const std::string password = app::random_token().substr(0, 20);
    POLES_RETURN_IF_ERROR(
        app::Accounts::add_user(s, "admin", password, app::Role::kAdmin, "", "serve"));
    std::ofstream(file) << password << "\n";
    ::chmod(file.c_str(), 0600);
  }
  std::ifstream in(file);
  std::string password;
  if (in >> password) return password;
  return std::string();
}

}  // namespace

void add_serve(CLI::App& app, CommandContext& ctx) {
  struct Args {
    std::string listen = "127.0.0.1:8080";
    std::string web_root = POLES_WEB_ROOT;
    int threads = 32;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve the JSON API (/api/v1) and the dashboard (/)");
  cmd->add_option("--listen", args->listen, "host:port")->capture_default_str();
  cmd->add_option("--web-root", args->web_root, "Dashboard files")->capture_default_str();
  cmd->add_option("--threads", args->threads, "Worker threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  cmd->callback([args, &ctx] {
    http::Config config;
    config.db = ctx.global.db;
    const auto colon = args->listen.rfind(':');
    if (colon == std::string::npos)
      return ctx.fail(Status::invalid_argument("--listen must be host:port"));
    config.host = args->listen.substr(0, colon);
    try {
      config.port = std::stoi(args->listen.substr(colon + 1));
    } catch (...) {
      return ctx.fail(
          Status::invalid_argument(fmt::format("--listen: bad port in '{}'", args->listen)));
    }
    config.threads = args->threads;
    config.web_root = std::filesystem::exists(args->web_root) ? args->web_root : "";
    {
      auto store = ctx.open_store();
      if (!store) return;
      auto password = first_admin(*store, ctx.global.db);
      if (!password) return ctx.fail(password.error());
      std::cout << fmt::format("Pôles: http://{}:{}/  (store {})\n", config.host, config.port,
                               ctx.global.db);
      if (!password->empty())
        std::cout << fmt::format("log in as admin / {}  (from {}.admin-password)\n", *password,
                                 ctx.global.db);
      if (config.web_root.empty()) std::cout << "no dashboard files found: serving the API only\n";
      std::cout.flush();
    }
    // SIGTERM and SIGINT stop the server gracefully: requests in flight finish, and every
    // acknowledged write was committed before its response.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    auto server = http::Server::create(config);
    if (!server) return ctx.fail(server.error());
    auto port = (*server)->bind();
    if (!port) return ctx.fail(port.error());
    std::thread waiter([&set, s = server->get()] {
      int sig = 0;
      sigwait(&set, &sig);
      s->stop();
    });
    (*server)->run();
    // run() returned: either a signal arrived or the server failed; wake the waiter if needed.
    ::kill(::getpid(), SIGTERM);
    waiter.join();
    std::cout << "Pôles: stopped\n";
  });
}

void add_user(CLI::App& app, CommandContext& ctx) {
  CLI::App* cmd = app.add_subcommand("user", "Manage accounts");
  cmd->require_subcommand(1);
  struct Args {
    std::string name, role, scope, password;
  };
  auto args = std::make_shared<Args>();
  auto password_of = [args]() -> std::string {
    if (!args->password.empty()) return args->password;
    if (const char* env = std::getenv("POLES_PASSWORD")) return env;
    return {};
  };
  CLI::App* add =
      cmd->add_subcommand("add", "Create an account (password from --password or $POLES_PASSWORD)");
  add->add_option("name", args->name)->required();
  add->add_option("--role", args->role,
                  "admin, state, region, cluster_manager, evaluator, reviewer, member")
      ->required()
      ->check(CLI::IsMember(
          {"admin", "state", "region", "cluster_manager", "evaluator", "reviewer", "member"}));
  add->add_option("--scope", args->scope,
                  "region code, cluster id, reviewer id or organisation id, as the role needs");
  add->add_option("--password", args->password, "at least 10 characters");
  add->callback([args, password_of, &ctx] {
    auto store = ctx.open_store();
    if (!store) return;
    auto st = app::Accounts::add_user(*store, args->name, password_of(),
                                      *app::parse_role(args->role), args->scope, "cli");
    if (!st.is_ok()) return ctx.fail(st);
    if (!ctx.global.quiet)
      std::cout << fmt::format("user {} created ({})\n", args->name, args->role);
  });
  CLI::App* list = cmd->add_subcommand("list", "List accounts");
  list->callback([&ctx] {
    auto store = ctx.open_store();
    if (!store) return;
    auto users = app::Accounts::list_users(*store);
    if (!users) return ctx.fail(users.error());
    for (const auto& u : *users) {
      std::cout << fmt::format("{:<20} {:<16} {:<24} {}\n", u.name, app::role_name(u.role), u.scope,
                               u.disabled ? "disabled" : "");
    }
  });
  CLI::App* disable =
      cmd->add_subcommand("disable", "Disable an account (ends its sessions and tokens)");
  disable->add_option("name", args->name)->required();
  disable->callback([args, &ctx] {
    auto store = ctx.open_store();
    if (!store) return;
    auto st = app::Accounts::set_disabled(*store, args->name, true, "cli");
    if (!st.is_ok()) return ctx.fail(st);
  });
  CLI::App* reset = cmd->add_subcommand("reset-password",
                                        "Set a new password (from --password or $POLES_PASSWORD)");
  reset->add_option("name", args->name)->required();
  reset->add_option("--password", args->password);
  reset->callback([args, password_of, &ctx] {
    auto store = ctx.open_store();
    if (!store) return;
    auto st = app::Accounts::reset_password(*store, args->name, password_of(), "cli");
    if (!st.is_ok()) return ctx.fail(st);
  });
}

}  // namespace poles::cli
