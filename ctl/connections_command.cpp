#include "ctl/connections_command.h"

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <pqxx/except>

#include "core/cli_args.h"
#include "core/db/connection.h"
#include "ingest/registry/connection_store.h"
#include "ingest/registry/secret_box.h"
#include "sinks/sender/connection_book.h"
#include "sinks/sender/providers/credential_check.h"
#include "sinks/sender/send_defaults.h"
#include "sinks/sender/sender_config.h"

namespace hookline::ctl {
namespace {

using ingest::ConnectionStore;

constexpr const char* kUsage =
    "usage: hookline connections <command> [flags]\n"
    "\n"
    "commands:\n"
    "  add      --provider P --id ID --secret S [--secret2 S] [--verify-token T]\n"
    "           [--tenant T] [--environment dev|staging|prod] [--alias A]\n"
    "           [--public-key-file F] [--disabled]\n"
    "           [--send-secret-file F | --send-secret-env VAR]\n"
    "           [--settings JSON | --settings-file F]\n"
    "           register a connection (--secret may be left out when --public-key-file\n"
    "           is given, for schemes that verify with a public key, or a send secret, for\n"
    "           a connection that only sends)\n"
    "  list     [--provider P]   show connections and their settings; secrets are never printed\n"
    "  rotate   --provider P --id ID [--secret S] [--drop-old] [--verify-token T]\n"
    "           the new secret becomes primary and the old one secondary (both verify);\n"
    "           once the provider signs with the new one, --drop-old removes the old one\n"
    "  disable  --provider P --id ID   the ingest answers 404 for it (secrets are kept)\n"
    "  enable   --provider P --id ID\n"
    "  set-send-secret <provider>/<id> (--send-secret-file F | --send-secret-env VAR | --clear)\n"
    "           set or clear the secret the sender calls the provider with\n"
    "  set-settings <provider>/<id> (--settings JSON | --settings-file F)\n"
    "           replace the connection's settings (not secret)\n"
    "  test     <provider>/<id>   check the send secret with the provider's cheapest\n"
    "           authenticated call that changes nothing (nothing is sent)\n"
    "  (set-send-secret, set-settings and test also take --provider P --id ID)\n"
    "\n"
    "Each of --secret, --secret2, --verify-token takes the value itself, or '-' to read one\n"
    "line from stdin; or use --secret-file F, --secret2-file F, --verify-token-file F (the\n"
    "file's content, trailing newline stripped). Prefer files or stdin: arguments show in\n"
    "process listings.\n"
    "\n"
    "Outbound: the send secret (API key, auth or bot token, or a whsec_ signing secret) is read\n"
    "from --send-secret-file F (one trailing newline stripped) or the environment variable named\n"
    "by --send-secret-env. Settings are a JSON object of at most 16 KiB; the sender reads the\n"
    "object under \"send\", e.g. {\"send\": {\"base_url\": \"https://api.example.com\",\n"
    "\"rate_per_s\": 5}}. They are shown by list, so never put a secret in them.\n"
    "\n"
    "test calls, with the connection's send secret and settings as the sender would: Resend\n"
    "GET /domains, SendGrid GET /v3/scopes, Twilio GET /2010-04-01/Accounts/{account_sid}.json,\n"
    "WhatsApp GET /{api_version}/{phone_number_id}, Slack POST /api/auth.test; a webhook\n"
    "connection has nothing to call (the receiver verifies our signature), so only its\n"
    "whsec_ secret's form is checked. It prints one line on stdout: \"ok: ...\" (exit 0),\n"
    "\"rejected: ...\" (refused credentials or settings), \"unverified: ...\" (the provider is\n"
    "busy or failing) or \"unreachable: ...\" (no answer), each exit 1. It needs the secret key.\n"
    "\n"
    "Providers, ids and tenants: 1-64 characters a-z 0-9 . _ -, starting with a letter or digit.\n"
    "Defaults: --tenant default, --environment prod.\n"
    "Secrets are sealed (AES-256-GCM) with HOOKLINE_SECRET_KEY or HOOKLINE_SECRET_KEY_FILE,\n"
    "which add, rotate, test and set-send-secret (but not --clear) need. The database is\n"
    "HOOKLINE_DATABASE_URL or database.url.\n"
    "Exit codes: 0 done, 1 error (database, key, file, exists, not found), 2 usage error.\n";

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// A value the operator pointed at that cannot be used (unreadable file, empty stdin): exit 1.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

bool is_help(std::string_view arg) {
  return arg == "--help" || arg == "-h" || arg == "help";
}

std::string actor() {
  const char* user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? user : "hookline-cli";
}

std::string strip_trailing_newlines(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

// One line ending ("\n" or "\r\n") off the end: what `echo` or an editor adds to a file.
std::string strip_one_newline(std::string text) {
  if (text.ends_with('\n')) {
    text.pop_back();
    if (text.ends_with('\r')) text.pop_back();
  }
  return text;
}

std::string required(const ParsedArgs& a, const std::string& flag) {
  auto v = a.get(flag);
  if (!v) throw UsageError("--" + flag + " is required");
  return *v;
}

void check_name(const std::string& flag, const std::string& value) {
  if (ingest::is_valid_name(value)) return;
  throw UsageError("invalid --" + flag + " '" + value +
                   "': use 1-64 characters a-z 0-9 . _ -, starting with a letter or digit");
}

// Reads secret values from flags, files or stdin (at most one value from stdin).
class Inputs {
 public:
  explicit Inputs(const ParsedArgs& a) : args_(a) {}

  bool given(const std::string& flag) const {
    return args_.get(flag).has_value() || args_.get(flag + "-file").has_value();
  }

  // Throws UsageError for conflicting flags, InputError for an unusable source.
  std::optional<std::string> secret(const std::string& flag) {
    auto value = args_.get(flag);
    auto file = args_.get(flag + "-file");
    if (value && file) throw UsageError("give --" + flag + " or --" + flag + "-file, not both");
    if (file) return text_file(flag + "-file", *file);
    if (!value) return std::nullopt;
    if (*value != "-") return value;
    if (stdin_used_) throw UsageError("only one value can be read from stdin ('-')");
    stdin_used_ = true;
    std::string line;
    if (!std::getline(std::cin, line)) throw InputError("--" + flag + " -: nothing on stdin");
    line = strip_trailing_newlines(line);
    if (line.empty()) throw InputError("--" + flag + " -: the line read from stdin is empty");
    return line;
  }

  std::string text_file(const std::string& flag, const std::string& path) const {
    std::string text = strip_trailing_newlines(read_file(flag, path));
    if (text.empty()) throw InputError("--" + flag + " " + path + " is empty or unreadable");
    return text;
  }

  // The send secret of --send-secret-file (one trailing newline stripped) or of the
  // environment variable --send-secret-env names; nullopt when neither is given. The
  // variable's name is not echoed in errors: a secret given there by mistake would show.
  std::optional<std::string> send_secret() const {
    auto file = args_.get("send-secret-file");
    auto env = args_.get("send-secret-env");
    if (file && env) throw UsageError("give --send-secret-file or --send-secret-env, not both");
    if (file) {
      std::string text = strip_one_newline(read_file("send-secret-file", *file));
      if (text.empty()) throw InputError("--send-secret-file " + *file + " is empty or unreadable");
      return text;
    }
    if (!env) return std::nullopt;
    const char* value = env->empty() ? nullptr : std::getenv(env->c_str());
    if (value == nullptr) {
      throw InputError("--send-secret-env: the environment variable it names is not set");
    }
    if (*value == '\0') {
      throw InputError("--send-secret-env: the environment variable it names is empty");
    }
    return std::string(value);
  }

  // The settings of --settings or --settings-file, checked (UsageError naming the flag);
  // nullopt when neither is given.
  std::optional<std::string> settings() const {
    auto value = args_.get("settings");
    auto file = args_.get("settings-file");
    if (value && file) throw UsageError("give --settings or --settings-file, not both");
    if (!value && !file) return std::nullopt;
    std::string text = file ? read_file("settings-file", *file) : *value;
    try {
      ingest::validate_settings(text);
    } catch (const ingest::ConnectionStoreError& e) {
      throw UsageError((file ? "--settings-file " + *file : std::string("--settings")) + ": " +
                       e.what());
    }
    return text;
  }

 private:
  // The file's content as it is. Throws InputError when it cannot be opened.
  std::string read_file(const std::string& flag, const std::string& path) const {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      throw InputError("cannot read --" + flag + " " + path + ": " + std::strerror(errno));
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  const ParsedArgs& args_;
  bool stdin_used_ = false;
};

bool send_secret_given(const ParsedArgs& a) {
  return a.get("send-secret-file").has_value() || a.get("send-secret-env").has_value();
}

std::string subject(const std::string& provider, const std::string& id) {
  return provider + "/" + id;
}

int run_add(const ParsedArgs& a, const Config& cfg) {
  ingest::NewConnection c;
  c.provider = required(a, "provider");
  c.id = required(a, "id");
  c.tenant = a.get("tenant", c.tenant);
  c.environment = a.get("environment", c.environment);
  c.alias = a.get("alias", "");
  c.enabled = !a.has("disabled");
  check_name("provider", c.provider);
  check_name("id", c.id);
  check_name("tenant", c.tenant);
  if (!ingest::is_valid_environment(c.environment)) {
    throw UsageError("invalid --environment '" + c.environment + "': use dev, staging or prod");
  }
  Inputs in(a);
  if (!in.given("secret") && !a.get("public-key-file") && !send_secret_given(a)) {
    throw UsageError(
        "--secret (or --secret-file) is required, unless --public-key-file or a send secret "
        "(--send-secret-file, --send-secret-env) is given");
  }
  if (in.given("secret2") && !in.given("secret")) throw UsageError("--secret2 needs --secret");
  c.secret = in.secret("secret");
  c.secret2 = in.secret("secret2");
  c.verify_token = in.secret("verify-token");
  if (auto file = a.get("public-key-file")) c.public_key = in.text_file("public-key-file", *file);
  c.send_secret = in.send_secret();
  const std::optional<std::string> settings = in.settings();
  if (settings) c.settings = *settings;
  try {
    ingest::validate(c);
  } catch (const ingest::ConnectionStoreError& e) {
    throw UsageError(e.what());
  }

  const ingest::SecretBox box = ingest::SecretBox::from_config(cfg.secrets);
  auto conn = db::connect(cfg.database);
  ConnectionStore(*conn, box, actor()).add(c);
  const std::size_t secrets = (c.secret ? 1U : 0U) + (c.secret2 ? 1U : 0U);
  std::cout << "added " << subject(c.provider, c.id) << " (tenant " << c.tenant << ", "
            << c.environment << ", " << secrets << (secrets == 1 ? " secret" : " secrets")
            << (c.verify_token ? ", verify token" : "")
            << (c.public_key.empty() ? "" : ", public key")
            << (c.send_secret ? ", send secret" : "") << (settings ? ", settings" : "")
            << (c.enabled ? "" : ", disabled") << ")\n";
  return kExitOk;
}

std::string secrets_column(const ingest::ConnectionSummary& s) {
  if (s.has_secret && s.has_secret2) return "2 (rotating)";
  return (s.has_secret || s.has_secret2) ? "1" : "0";
}

int run_list(const ParsedArgs& a, const Config& cfg) {
  const std::string provider = a.get("provider", "");
  if (!provider.empty()) check_name("provider", provider);
  auto conn = db::connect(cfg.database);
  const auto rows = ConnectionStore(*conn, actor()).list(provider);
  if (rows.empty()) {
    std::cout << (provider.empty() ? "no connections\n" : "no connections for " + provider + "\n");
    return kExitOk;
  }
  std::vector<std::vector<std::string>> table{{"PROVIDER", "ID", "TENANT", "ENVIRONMENT", "ALIAS",
                                               "STATUS", "SECRETS", "VERIFY_TOKEN", "PUBLIC_KEY",
                                               "SEND_SECRET", "UPDATED_AT", "SETTINGS"}};
  for (const auto& s : rows) {
    table.push_back({s.provider, s.id, s.tenant, s.environment, s.alias.empty() ? "-" : s.alias,
                     s.enabled ? "enabled" : "disabled", secrets_column(s),
                     s.has_verify_token ? "yes" : "no", s.has_public_key ? "yes" : "no",
                     s.has_send_secret ? "yes" : "no", s.updated_at, s.settings});
  }
  std::vector<std::size_t> width(table.front().size(), 0);
  for (const auto& row : table) {
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : table) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    std::cout << line << '\n';
  }
  return kExitOk;
}

int run_rotate(const ParsedArgs& a, const Config& cfg) {
  const std::string provider = required(a, "provider");
  const std::string id = required(a, "id");
  check_name("provider", provider);
  check_name("id", id);
  Inputs in(a);
  if (!in.given("secret") && !a.has("drop-old") && !in.given("verify-token")) {
    throw UsageError("nothing to rotate: give --secret, --drop-old or --verify-token");
  }
  ingest::Rotation rotation;
  rotation.new_secret = in.secret("secret");
  rotation.verify_token = in.secret("verify-token");
  rotation.drop_old = a.has("drop-old");

  const ingest::SecretBox box = ingest::SecretBox::from_config(cfg.secrets);
  auto conn = db::connect(cfg.database);
  const ingest::RotateResult r =
      ConnectionStore(*conn, box, actor()).rotate(provider, id, rotation);
  std::cout << "rotated " << subject(provider, id) << ": " << r.secrets
            << (r.secrets == 1 ? " secret" : " secrets");
  if (r.secrets == 2) {
    std::cout << " (both verify; once the provider signs with the new one, run: hookline "
                 "connections rotate --provider "
              << provider << " --id " << id << " --drop-old)";
  }
  if (rotation.verify_token) std::cout << ", verify token replaced";
  std::cout << '\n';
  return kExitOk;
}

int run_set_enabled(const ParsedArgs& a, const Config& cfg, bool enabled) {
  const std::string provider = required(a, "provider");
  const std::string id = required(a, "id");
  check_name("provider", provider);
  check_name("id", id);
  auto conn = db::connect(cfg.database);
  const bool changed = ConnectionStore(*conn, actor()).set_enabled(provider, id, enabled);
  const char* state = enabled ? "enabled" : "disabled";
  if (changed) {
    std::cout << state << ' ' << subject(provider, id) << '\n';
  } else {
    std::cout << subject(provider, id) << " was already " << state << '\n';
  }
  return kExitOk;
}

// The connection set-send-secret, set-settings and test act on: "<provider>/<id>", or --provider P
// --id ID as for the other commands. Other arguments are not echoed (they may be a secret).
std::pair<std::string, std::string> target(const ParsedArgs& a, const std::string& command) {
  if (a.positional.size() > 1) {
    throw UsageError("unexpected argument after <provider>/<id> for " + command);
  }
  std::string provider;
  std::string id;
  if (a.positional.empty()) {
    if (!a.get("provider") && !a.get("id")) {
      throw UsageError(command + " needs the connection: <provider>/<id>");
    }
    provider = required(a, "provider");
    id = required(a, "id");
  } else {
    if (a.get("provider") || a.get("id")) {
      throw UsageError("give <provider>/<id> or --provider and --id, not both");
    }
    const std::string& arg = a.positional.front();
    const std::size_t slash = arg.find('/');
    if (slash == std::string::npos) {
      throw UsageError(command + ": expected the connection as <provider>/<id>");
    }
    provider = arg.substr(0, slash);
    id = arg.substr(slash + 1);
  }
  check_name("provider", provider);
  check_name("id", id);
  return {provider, id};
}

int run_set_send_secret(const ParsedArgs& a, const Config& cfg) {
  const auto [provider, id] = target(a, "set-send-secret");
  const bool clear = a.has("clear");
  if (clear && send_secret_given(a)) {
    throw UsageError("give --send-secret-file, --send-secret-env or --clear, not several");
  }
  if (!clear && !send_secret_given(a)) {
    throw UsageError("give --send-secret-file F, --send-secret-env VAR or --clear");
  }
  const std::optional<std::string> secret = Inputs(a).send_secret();
  if (clear) {
    auto conn = db::connect(cfg.database);
    ConnectionStore(*conn, actor()).set_send_secret(provider, id, std::nullopt);
    std::cout << "send secret cleared for " << subject(provider, id) << '\n';
    return kExitOk;
  }
  const ingest::SecretBox box = ingest::SecretBox::from_config(cfg.secrets);
  auto conn = db::connect(cfg.database);
  ConnectionStore(*conn, box, actor()).set_send_secret(provider, id, secret);
  std::cout << "send secret set for " << subject(provider, id) << '\n';
  return kExitOk;
}

int run_set_settings(const ParsedArgs& a, const Config& cfg) {
  const auto [provider, id] = target(a, "set-settings");
  const std::optional<std::string> settings = Inputs(a).settings();
  if (!settings) throw UsageError("give --settings JSON or --settings-file F");
  auto conn = db::connect(cfg.database);
  ConnectionStore(*conn, actor()).set_settings(provider, id, *settings);
  std::cout << "settings set for " << subject(provider, id) << '\n';
  return kExitOk;
}

// The connection as the sender would call its provider: its decrypted send secret and the
// "send" object of its settings over the provider's defaults (ConnectionBook's recipe). A
// disabled connection is checked too (an operator may test before enabling it).
int run_test(const ParsedArgs& a, const Config& cfg) {
  // Copies, not a structured binding: lambdas below use them (clang 14 refuses a binding).
  const auto names = target(a, "test");
  const std::string provider = names.first;
  const std::string id = names.second;
  const std::string key = subject(provider, id);
  auto defaults = sender::send_defaults(provider);
  if (!defaults) throw InputError(key + ": the sender has no client for provider " + provider);
  const sender::SenderConfig sender_cfg = sender::load_sender_config(cfg, {}, ParsedArgs{});
  const ingest::SecretBox box = ingest::SecretBox::from_config(cfg.secrets);
  auto conn = db::connect(cfg.database);
  ConnectionStore store(*conn, box, actor());
  const ingest::LoadResult loaded = store.load_all();
  const auto row = std::find_if(
      loaded.connections.begin(), loaded.connections.end(),
      [&](const ingest::Connection& c) { return c.provider == provider && c.id == id; });
  if (row == loaded.connections.end()) {
    const auto listed = store.list(provider);
    const bool exists = std::any_of(listed.begin(), listed.end(),
                                    [&](const ingest::ConnectionSummary& s) { return s.id == id; });
    throw InputError(exists ? "connection " + key + ": a secret does not open with this key"
                            : "connection " + key + " does not exist");
  }
  if (row->send_secret.empty()) {
    throw InputError("connection " + key +
                     " has no send secret (set it with hookline connections set-send-secret)");
  }
  defaults->key = key;
  defaults->tenant = row->tenant;
  defaults->credential = row->send_secret;
  sender::SendConnection connection;
  try {
    connection = sender::read_send_settings(row->settings, *defaults);
  } catch (const ConfigError& e) {
    throw InputError("connection " + key + ": " + e.what());
  }
  const auto report = sender::check_credentials(
      connection,
      sender_cfg.ca_file.empty() ? std::nullopt : std::optional<std::string>(sender_cfg.ca_file));
  std::cout << sender::report_line(key, report)
            << (row->enabled ? "" : " [the connection is disabled]") << '\n';
  return report.verdict == sender::CredentialVerdict::accepted ? kExitOk : kExitFailure;
}

FlagSpec spec_for(const std::string& command) {
  const std::set<std::string> key{"provider", "id"};
  const std::set<std::string> secrets{"secret",       "secret-file",  "secret2",
                                      "secret2-file", "verify-token", "verify-token-file"};
  FlagSpec spec;
  spec.boolean = {"help"};
  if (command == "list") {
    spec.with_value = {"provider"};
  } else if (command == "add") {
    spec.with_value = secrets;
    spec.with_value.insert(key.begin(), key.end());
    spec.with_value.insert({"tenant", "environment", "alias", "public-key-file", "send-secret-file",
                            "send-secret-env", "settings", "settings-file"});
    spec.boolean.insert("disabled");
  } else if (command == "rotate") {
    spec.with_value = {"provider",    "id",           "secret",
                       "secret-file", "verify-token", "verify-token-file"};
    spec.boolean.insert("drop-old");
  } else if (command == "set-send-secret") {
    spec.with_value = {"provider", "id", "send-secret-file", "send-secret-env"};
    spec.boolean.insert("clear");
  } else if (command == "set-settings") {
    spec.with_value = {"provider", "id", "settings", "settings-file"};
  } else {
    spec.with_value = key;
  }
  return spec;
}

bool is_command(const std::string& command) {
  for (const char* known :
       {"add", "list", "rotate", "disable", "enable", "set-send-secret", "set-settings", "test"}) {
    if (command == known) return true;
  }
  return false;
}

int dispatch(const std::vector<std::string>& args, const Config& cfg) {
  if (args.empty()) {
    throw UsageError(
        "missing command: add, list, rotate, disable, enable, set-send-secret, set-settings or "
        "test");
  }
  const std::string& command = args.front();
  if (is_help(command)) {
    std::cout << kUsage;
    return kExitOk;
  }
  if (!is_command(command)) {
    if (command.starts_with("-")) throw UsageError("unknown flag " + command);
    throw UsageError("unknown command " + command +
                     " (add, list, rotate, disable, enable, set-send-secret, set-settings, test)");
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (std::any_of(rest.begin(), rest.end(), [](const std::string& a) { return is_help(a); })) {
    std::cout << kUsage;
    return kExitOk;
  }
  const ParsedArgs a = parse_args(rest, spec_for(command), command);
  if (command == "set-send-secret") return run_set_send_secret(a, cfg);
  if (command == "set-settings") return run_set_settings(a, cfg);
  if (command == "test") return run_test(a, cfg);
  if (!a.positional.empty()) {
    throw UsageError("unexpected argument '" + a.positional.front() + "' for " + command);
  }
  if (command == "add") return run_add(a, cfg);
  if (command == "list") return run_list(a, cfg);
  if (command == "rotate") return run_rotate(a, cfg);
  return run_set_enabled(a, cfg, command == "enable");
}

int fail(const std::string& message) {
  std::cerr << "hookline connections: " << message << '\n';
  return kExitFailure;
}

}  // namespace

int run_connections_command(const std::vector<std::string>& args, const hookline::Config& cfg) {
  try {
    return dispatch(args, cfg);
  } catch (const UsageError& e) {
    const std::string message = e.what();
    std::cerr << "hookline connections: " << message
              << (message.find("--help") == std::string::npos
                      ? " (see hookline connections --help)\n"
                      : "\n");
    return kExitUsage;
  } catch (const pqxx::failure& e) {
    return fail(db::scrub_password(db::first_line(e.what()), cfg.database.url));
  } catch (const std::exception& e) {
    // DbError, ConfigError, InputError, ConnectionStoreError: one line, no secret in any.
    return fail(db::first_line(e.what()));
  } catch (...) {
    return fail("unexpected error");
  }
}

}  // namespace hookline::ctl
