// `poles serve` (the API and the dashboard) and `poles user` (accounts).
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "app/accounts.h"
#include "cli/commands.h"
#include "core/paths.h"
#include "http/logs.h"
#include "http/server.h"
#include "store/backup.h"

namespace poles::cli {
namespace {

// The language of the refusals shown to the person at the terminal: from the locale.
app::Lang terminal_lang() {
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    if (const char* v = std::getenv(var); v != nullptr && *v != '\0')
      return app::lang_from_locale(v);
  }
  return app::Lang::kEn;
}

// Where the first admin's password is kept: beside a SQLite file; for a PostgreSQL store, whose
// address is no path, <database>.admin-password in the working directory (/var/lib/poles for the
// packaged service).
std::string admin_password_file(const std::string& db) {
  if (!db.starts_with("postgresql://") && !db.starts_with("postgres://"))
    return db + ".admin-password";
  std::string name = db.substr(db.rfind('/') + 1);
  name = name.substr(0, name.find('?'));
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
  }
  return (name.empty() ? std::string("poles") : name) + ".admin-password";
}

// On a store without accounts, creates `admin` with a random password kept in a file of mode
// 0600 (admin_password_file), so `make run` can always tell how to log in. The password is
// written to a file of this process first (created 0600, never through a link), which takes the
// file's name only once the account is made: a server that lost the race to create the account
// leaves the winner's file alone.
Result<std::string> first_admin(store::Store& s, const std::string& db) {
  POLES_ASSIGN_OR_RETURN(auto users, app::Accounts::list_users(s));
  const std::string file = admin_password_file(db);
  if (users.empty()) {
    const std::string password = app::random_token().substr(0, 20);
    const std::string part = fmt::format("{}.{}.part", file, ::getpid());
    const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    const std::string line = password + "\n";
    const bool written =
        fd >= 0 && ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    if (fd >= 0) ::close(fd);
    if (!written) {
      ::unlink(part.c_str());
      return Status::unavailable(
          fmt::format("{}: cannot write the first administrator's password there", part));
    }
    auto st = app::Accounts::add_user(s, "admin", password, app::Role::kAdmin, "", "serve");
    if (!st.is_ok()) {
      ::unlink(part.c_str());
      // Another server made the account a moment ago: its file is the one to read.
      if (st.code() != ErrorCode::kConflict) return st;
    } else if (::rename(part.c_str(), file.c_str()) != 0) {
      ::unlink(part.c_str());
      return Status::unavailable(fmt::format("{}: cannot name the password file", file));
    }
  }
  std::ifstream in(file);
  std::string password;
  if (in >> password) return password;
  return std::string();
}

// The store of a command that reads the configuration file: --db when given, else the file's
// [store] url, else poles.db; the file's password file becomes libpq's $PGPASSWORD.
void use_store_settings(const http::Settings& settings, CLI::App* cmd, CommandContext& ctx) {
  if (cmd->get_parent()->count("--db") == 0 && !settings.store_url.empty())
    ctx.global.db = settings.store_url;
  if (!settings.store_password.empty()) ::setenv("PGPASSWORD", settings.store_password.c_str(), 1);
}

}  // namespace

void add_serve(CLI::App& app, CommandContext& ctx) {
  // Settings in force: the defaults, then the [server] section of --config, then the flags given.
  struct Args {
    std::string config_file;
    std::string listen;
    std::string web_root = data_dir("web", POLES_WEB_ROOT);
    http::Config flags;  // values of the flags (only those given are applied)
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve the JSON API (/api/v1) and the dashboard (/)");
  cmd->add_option("--config", args->config_file,
                  "TOML file whose [server] section sets what follows");
  cmd->add_option("--listen", args->listen, "host:port (default 127.0.0.1:8080)");
  cmd->add_option("--web-root", args->web_root, "Dashboard files")->capture_default_str();
  cmd->add_option("--threads", args->flags.threads,
                  "Threads serving connections and running handlers")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  cmd->add_option("--store-connections", args->flags.store_connections,
                  "Database connections shared by them")
      ->capture_default_str()
      ->check(CLI::Range(2, 256));
  cmd->add_option("--public-url", args->flags.public_url,
                  "Address the public reaches the portal at (https://host): the sitemap's, the "
                  "feed's and the canonical links (default http://listen address)");
  cmd->add_flag("--secure-cookies", args->flags.secure_cookies,
                "Mark the session cookie Secure (HTTPS only; for any deployment behind TLS)");
  cmd->add_option("--trusted-proxy", args->flags.trusted_proxies,
                  "A reverse proxy (address or network) whose X-Forwarded-For and "
                  "X-Forwarded-Proto are believed; repeat for several")
      ->check([](const std::string& v) {
        const Status st = http::check_proxy(v);
        return st.is_ok() ? std::string() : st.message();
      });
  cmd->add_flag("--allow-plain-http", args->flags.allow_plain_http,
                "Listen on an address other than loopback although Pôles speaks plain HTTP (the "
                "network to the TLS proxy is trusted)");
  cmd->add_option("--log-format", args->flags.log_format, "text or json (one object a line)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--access-log", args->flags.access_log,
                "Log each request (id, method, route, status, duration, user, client)");
  http::Limits& l = args->flags.limits;
  auto limit = [&](const char* name, auto& field, const char* help) {
    return cmd->add_option(name, field, help)->capture_default_str()->group("Limits (docs/api.md)");
  };
  limit("--max-header-bytes", l.max_header_bytes, "Bytes of a request head");
  limit("--max-headers", l.max_headers, "Header fields of a request");
  limit("--max-url-bytes", l.max_url_bytes, "Bytes of a request target");
  limit("--max-anonymous-body-bytes", l.max_anonymous_body_bytes,
        "Body bytes from a caller not logged in");
  limit("--max-body-bytes", l.max_body_bytes, "Body bytes of a JSON request");
  limit("--max-upload-bytes", l.max_upload_bytes,
        "Body bytes of an upload (CSV import, impact data)");
  limit("--idle-timeout", l.idle_timeout,
        "Seconds a kept-alive connection waits for its next request");
  limit("--header-timeout", l.header_timeout, "Seconds to receive a request head once it started");
  limit("--body-timeout", l.body_timeout, "Seconds to receive a request body");
  limit("--write-timeout", l.write_timeout, "Seconds to send an answer");
  limit("--max-connections", l.max_connections, "Open connections in total");
  limit("--max-connections-per-client", l.max_connections_per_client,
        "Open connections per client address");
  limit("--anonymous-rate", l.anonymous_rate,
        "Requests a second per address without logging in (0: no limit)");
  limit("--anonymous-burst", l.anonymous_burst, "Burst of those requests");
  limit("--max-requests-per-connection", l.max_requests_per_connection,
        "Requests on one kept-alive connection");
  limit("--login-attempts", l.login_attempts,
        "Failed password checks per account and address before backoff");
  limit("--login-backoff", l.login_backoff_seconds,
        "Seconds of the first backoff wait, doubled at each further failure");
  cmd->callback([args, cmd, &ctx] {
    http::Settings settings;
    if (!args->config_file.empty()) {
      if (auto st = http::load_settings(args->config_file, settings); !st.is_ok())
        return ctx.fail(st);
    }
    use_store_settings(settings, cmd, ctx);
    http::Config& config = settings.server;
    config.db = ctx.global.db;
    // Flags given on the command line win over the file.
    const http::Config& f = args->flags;
    http::Limits& c = config.limits;
    auto given = [cmd](const char* name) { return cmd->count(name) > 0; };
    if (given("--threads")) config.threads = f.threads;
    if (given("--store-connections")) config.store_connections = f.store_connections;
    if (given("--secure-cookies")) config.secure_cookies = f.secure_cookies;
    if (given("--trusted-proxy")) config.trusted_proxies = f.trusted_proxies;
    if (given("--allow-plain-http")) config.allow_plain_http = f.allow_plain_http;
    if (given("--log-format")) config.log_format = f.log_format;
    if (given("--access-log")) config.access_log = f.access_log;
    if (given("--public-url")) {
      if (auto st = http::check_public_url(f.public_url); !st.is_ok()) return ctx.fail(st);
      config.public_url = f.public_url;
    }
    if (given("--max-header-bytes")) c.max_header_bytes = f.limits.max_header_bytes;
    if (given("--max-headers")) c.max_headers = f.limits.max_headers;
    if (given("--max-url-bytes")) c.max_url_bytes = f.limits.max_url_bytes;
    if (given("--max-anonymous-body-bytes"))
      c.max_anonymous_body_bytes = f.limits.max_anonymous_body_bytes;
    if (given("--max-body-bytes")) c.max_body_bytes = f.limits.max_body_bytes;
    if (given("--max-upload-bytes")) c.max_upload_bytes = f.limits.max_upload_bytes;
    if (given("--idle-timeout")) c.idle_timeout = f.limits.idle_timeout;
    if (given("--header-timeout")) c.header_timeout = f.limits.header_timeout;
    if (given("--body-timeout")) c.body_timeout = f.limits.body_timeout;
    if (given("--write-timeout")) c.write_timeout = f.limits.write_timeout;
    if (given("--max-connections")) c.max_connections = f.limits.max_connections;
    if (given("--max-connections-per-client"))
      c.max_connections_per_client = f.limits.max_connections_per_client;
    if (given("--anonymous-rate")) c.anonymous_rate = f.limits.anonymous_rate;
    if (given("--anonymous-burst")) c.anonymous_burst = f.limits.anonymous_burst;
    if (given("--max-requests-per-connection"))
      c.max_requests_per_connection = f.limits.max_requests_per_connection;
    if (given("--login-attempts")) c.login_attempts = f.limits.login_attempts;
    if (given("--login-backoff")) c.login_backoff_seconds = f.limits.login_backoff_seconds;
    if (!args->listen.empty()) {
      if (auto st = http::parse_listen(args->listen, config); !st.is_ok()) return ctx.fail(st);
    }
    if (given("--web-root") || config.web_root.empty()) config.web_root = args->web_root;
    config.web_root = std::filesystem::exists(config.web_root) ? config.web_root : "";
    if (auto st = http::check_config(config); !st.is_ok()) return ctx.fail(st);
    if (auto st = http::configure_logging(config.log_format, config.log_level); !st.is_ok())
      return ctx.fail(st);
    {
      auto store = ctx.open_store();
      if (!store) return;
      auto password = first_admin(*store, ctx.global.db);
      if (!password) return ctx.fail(password.error());
      std::cout << fmt::format("Pôles: http://{}:{}/  (store {})\n", config.host, config.port,
                               ctx.global.db);
      std::cout << fmt::format("public portal, without an account: http://{}:{}/public\n",
                               config.host, config.port);
      // A service's output goes to its journal: the password stays in its file (mode 0600).
      if (!password->empty() && config.log_format == "json") {
        std::cout << fmt::format("log in as admin: the password is in {}\n",
                                 admin_password_file(ctx.global.db));
      } else if (!password->empty()) {
        std::cout << fmt::format("log in as admin / {}  (from {})\n", *password,
                                 admin_password_file(ctx.global.db));
      }
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

void add_config(CLI::App& app, CommandContext& ctx) {
  CLI::App* cmd = app.add_subcommand("config", "Configuration file (/etc/poles/poles.toml)");
  cmd->require_subcommand(1);
  auto file = std::make_shared<std::string>("/etc/poles/poles.toml");
  CLI::App* check = cmd->add_subcommand(
      "check", "Read a configuration file as `poles serve --config` would: every error located");
  check->add_option("file", *file, "The TOML file")->capture_default_str();
  check->callback([file, &ctx] {
    http::Settings settings;
    if (auto st = http::load_settings(*file, settings); !st.is_ok()) return ctx.fail(st);
    const http::Config& c = settings.server;
    if (!c.web_root.empty() && !std::filesystem::is_directory(c.web_root)) {
      return ctx.fail(
          Status::invalid_argument(fmt::format("web_root '{}': not a directory", c.web_root)));
    }
    if (auto st = http::check_config(c); !st.is_ok()) return ctx.fail(st);
    if (ctx.global.quiet) return;
    std::string proxies;
    for (const auto& p : c.trusted_proxies) proxies += (proxies.empty() ? "" : ", ") + p;
    std::cout << fmt::format("{}: valid\n", *file)
              << fmt::format("  listen            {}:{}{}\n", c.host, c.port,
                             c.allow_plain_http ? " (plain HTTP allowed off loopback)" : "")
              << fmt::format("  store             {}{}\n",
                             settings.store_url.empty() ? "(from --db)" : settings.store_url,
                             settings.store_password.empty() ? "" : " (password from its file)")
              << fmt::format("  trusted proxies   {}\n", proxies.empty() ? "none" : proxies)
              << fmt::format("  secure cookies    {}\n",
                             c.secure_cookies ? "always" : "on requests through https proxies")
              << fmt::format("  public url        {}\n",
                             c.public_url.empty()
                                 ? "not set: the portal's links will name the listen address; "
                                   "set public_url to the address the public uses"
                                 : c.public_url)
              << fmt::format("  logs              {}, level {}, access log {}\n", c.log_format,
                             c.log_level, c.access_log ? "on" : "off")
              << fmt::format("  metrics           {}\n",
                             c.metrics_token.empty() ? "off (no token)" : "on (bearer token set)");
  });
}

void add_backup(CLI::App& app, CommandContext& ctx) {
  struct Args {
    std::string config_file, output, dir, file;
    int keep = 0;
    bool replace = false;
  };
  auto args = std::make_shared<Args>();
  // The store: as `serve` finds it (use_store_settings).
  auto store_url = [args, &ctx](CLI::App* cmd) -> Result<std::string> {
    http::Settings settings;
    if (!args->config_file.empty())
      POLES_RETURN_IF_ERROR(http::load_settings(args->config_file, settings));
    use_store_settings(settings, cmd, ctx);
    return ctx.global.db;
  };
  CLI::App* cmd = app.add_subcommand(
      "backup",
      "Back the store up (SQLite online backup; PostgreSQL pg_dump) into -o FILE or a new file of "
      "--dir, checked once written");
  cmd->add_option("--config", args->config_file, "TOML file whose [store] names the store");
  auto* out = cmd->add_option("-o,--output", args->output, "The backup file (must not exist)");
  cmd->add_option("--dir", args->dir, "Directory of backups: poles-<UTC time>.db or .dump")
      ->excludes(out);
  cmd->add_option("--keep", args->keep, "With --dir: keep the N newest backups (0: all)")
      ->check(CLI::Range(0, 100000));
  cmd->callback([args, cmd, store_url, &ctx] {
    auto url = store_url(cmd);
    if (!url) return ctx.fail(url.error());
    if (args->output.empty() && args->dir.empty())
      return ctx.fail(Status::invalid_argument("give -o FILE or --dir DIRECTORY"));
    std::string path = args->output;
    if (path.empty()) {
      std::filesystem::create_directories(args->dir);
      path = (std::filesystem::path(args->dir) / store::backup_name(*url)).string();
    }
    if (auto st = store::backup(*url, path); !st.is_ok()) return ctx.fail(st);
    if (!ctx.global.quiet) std::cout << fmt::format("backup written: {}\n", path);
    if (!args->dir.empty() && args->keep > 0) {
      auto removed = store::prune_backups(args->dir, args->keep);
      if (!removed) return ctx.fail(removed.error());
      for (const auto& r : *removed)
        if (!ctx.global.quiet) std::cout << fmt::format("older backup removed: {}\n", r);
    }
  });
  CLI::App* res = app.add_subcommand(
      "restore", "Restore a backup into the store (--db, or [store] of --config)");
  res->add_option("file", args->file, "A backup made by poles backup")->required();
  res->add_option("--config", args->config_file, "TOML file whose [store] names the store");
  res->add_flag("--replace", args->replace,
                "Replace an existing SQLite file (a PostgreSQL store's tables are always "
                "replaced)");
  res->callback([args, res, store_url, &ctx] {
    auto url = store_url(res);
    if (!url) return ctx.fail(url.error());
    if (auto st = store::restore(args->file, *url, args->replace); !st.is_ok()) return ctx.fail(st);
    if (!ctx.global.quiet) std::cout << fmt::format("restored {} into {}\n", args->file, *url);
  });
}

void add_user(CLI::App& app, CommandContext& ctx) {
  CLI::App* cmd = app.add_subcommand("user", "Manage accounts");
  cmd->require_subcommand(1);
  struct Args {
    std::string name, role, scope, password, id;
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
  add->add_option("--password", args->password,
                  "at least 10 characters, and not guessable (docs/api.md, Accounts)");
  add->callback([args, password_of, &ctx] {
    auto store = ctx.open_store();
    if (!store) return;
    auto st =
        app::Accounts::add_user(*store, args->name, password_of(), *app::parse_role(args->role),
                                args->scope, "cli", terminal_lang());
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
  CLI::App* enable = cmd->add_subcommand("enable", "Enable a disabled account");
  enable->add_option("name", args->name)->required();
  enable->callback([args, &ctx] {
    auto store = ctx.open_store();
    if (!store) return;
    auto st = app::Accounts::set_disabled(*store, args->name, false, "cli");
    if (!st.is_ok()) return ctx.fail(st);
  });
  CLI::App* reset = cmd->add_subcommand("reset-password",
                                        "Set a new password (from --password or $POLES_PASSWORD)");
  reset->add_option("name", args->name)->required();
  reset->add_option("--password", args->password);
  reset->callback([args, password_of, &ctx] {
    auto store = ctx.open_store();
    if (!store) return;
    auto st =
        app::Accounts::reset_password(*store, args->name, password_of(), "cli", terminal_lang());
    if (!st.is_ok()) return ctx.fail(st);
    if (!ctx.global.quiet)
      std::cout << fmt::format("password of {} set; its sessions and tokens are revoked\n",
                               args->name);
  });
  CLI::App* role = cmd->add_subcommand(
      "set-role", "Change an account's role and scope (the scope must exist in the store)");
  role->add_option("name", args->name)->required();
  role->add_option("--role", args->role,
                   "admin, state, region, cluster_manager, evaluator, reviewer, member")
      ->required()
      ->check(CLI::IsMember(
          {"admin", "state", "region", "cluster_manager", "evaluator", "reviewer", "member"}));
  role->add_option("--scope", args->scope,
                   "region code, cluster id, reviewer id or organisation id, as the role needs");
  role->callback([args, &ctx] {
    auto store = ctx.open_store();
    if (!store) return;
    auto st = app::Accounts::set_role(*store, args->name, *app::parse_role(args->role), args->scope,
                                      "cli", terminal_lang());
    if (!st.is_ok()) return ctx.fail(st);
  });
  CLI::App* tokens = cmd->add_subcommand(
      "tokens",
      "List an account's bearer tokens: id, label, created, last used (never the secret)");
  tokens->add_option("name", args->name)->required();
  tokens->callback([args, &ctx] {
    auto store = ctx.open_store();
    if (!store) return;
    auto found = app::Accounts::list_tokens(*store, args->name);
    if (!found) return ctx.fail(found.error());
    std::cout << fmt::format("{:<16}  {:<24}  {:<20}  {:<20}  {}\n", "id", "label", "created",
                             "last used", "expires");
    for (const auto& t : *found) {
      std::cout << fmt::format("{:<16}  {:<24}  {:<20}  {:<20}  {}\n", t.id, t.label, t.created_at,
                               t.last_used_at.value_or("never"), t.expires_at.value_or("never"));
    }
  });
  CLI::App* revoke = cmd->add_subcommand("revoke-token", "Revoke one bearer token of an account");
  revoke->add_option("name", args->name)->required();
  revoke->add_option("id", args->id, "the token's id, as `user tokens` lists it")->required();
  revoke->callback([args, &ctx] {
    auto store = ctx.open_store();
    if (!store) return;
    auto st = app::Accounts::revoke_token(*store, args->name, args->id, "cli");
    if (!st.is_ok()) return ctx.fail(st);
    if (!ctx.global.quiet)
      std::cout << fmt::format("token {} of {} revoked\n", args->id, args->name);
  });
}

}  // namespace poles::cli
