// `hookline consent get|set|history|export|erase` (consent_command.h).
#include "ctl/consent_command.h"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <exception>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <pqxx/connection>
#include <pqxx/except>

#include "core/cli_args.h"
#include "core/db/connection.h"
#include "core/json_reader.h"
#include "core/time_format.h"
#include "processors/gatekeeper/consent/consent_entry.h"
#include "processors/gatekeeper/consent/consent_ledger.h"
#include "processors/gatekeeper/consent/contact.h"

namespace hookline::ctl {
namespace {

using gatekeeper::ConsentEntry;
using gatekeeper::ConsentLedger;

constexpr const char* kUsage =
    "usage: hookline consent <command> --tenant T --contact ADDRESS [flags]\n"
    "\n"
    "commands:\n"
    "  get      [--json]   the contact's current entries: the newest per channel, purpose\n"
    "           scope and subscription group\n"
    "  set      --channel C|all --status opted_in|opted_out --by NAME\n"
    "           [--purpose all|marketing|transactional] [--source api|import]\n"
    "           [--reason TEXT] [--group G]\n"
    "           append an entry (the history is never changed): --channel all is every\n"
    "           channel; --purpose is how far the entry reaches (default marketing: an\n"
    "           operator's opt-in enables marketing, an opt-out stops it; use all to stop\n"
    "           transactional messages too); --source defaults to api, --reason to cli;\n"
    "           --group limits the entry to one subscription group\n"
    "  history  [--json]   every entry of the contact, oldest first\n"
    "  export   the GDPR export: a JSON document with the contact and every entry\n"
    "  erase    --by NAME --yes   remove the contact's whole history (and its address) for\n"
    "           good, keeping one hashed suppression entry so that it stays suppressed\n"
    "\n"
    "--contact is an email address or a phone number, normalized as the ledger keys it\n"
    "(trimmed; email lower-cased; phone numbers without whatsapp:/sms:/tel: and without spaces,\n"
    "dashes, dots and parentheses). Contacts are looked up by a keyed hash, so every command\n"
    "needs the secret key (HOOKLINE_SECRET_KEY or HOOKLINE_SECRET_KEY_FILE). set and erase\n"
    "record \"ctl:NAME\" as their author and write an audit_log row (the contact's hash, never\n"
    "its address). Tenants: 1-256 printable ASCII characters without '/'. The database is\n"
    "HOOKLINE_DATABASE_URL or database.url.\n"
    "Exit codes: 0 done, 1 error (database), 2 usage error, missing secret key, or erase\n"
    "without --yes.\n";

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

constexpr std::size_t kMaxContact = 320;
constexpr std::size_t kMaxText = 256;

// The secret key is missing or unusable: exit 2, like a usage error.
class KeyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A ledger call that failed: exit 1.
class LedgerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

bool is_help(std::string_view arg) {
  return arg == "--help" || arg == "-h" || arg == "help";
}

std::string required(const ParsedArgs& a, const std::string& flag) {
  auto v = a.get(flag);
  if (!v) throw UsageError("--" + flag + " is required");
  return *v;
}

bool printable(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u != 0x7f;
  });
}

// 1-`max` characters without control characters; the value is not echoed.
std::string text_flag(const ParsedArgs& a, const std::string& flag, const std::string& fallback) {
  const std::string value = a.get(flag, fallback);
  if (value.empty() || value.size() > kMaxText || !printable(value)) {
    throw UsageError("invalid --" + flag + ": use 1-256 characters without control characters");
  }
  return value;
}

struct Contact {
  std::string tenant;
  std::string address;  // normalized
};

// --tenant and --contact, checked. The contact is never echoed.
Contact contact_of(const ParsedArgs& a) {
  Contact c;
  c.tenant = required(a, "tenant");
  const bool tenant_ok = !c.tenant.empty() && c.tenant.size() <= kMaxText &&
                         std::all_of(c.tenant.begin(), c.tenant.end(),
                                     [](char ch) { return ch > ' ' && ch < 0x7f; }) &&
                         c.tenant.find('/') == std::string::npos;
  if (!tenant_ok) {
    throw UsageError("invalid --tenant: use 1-256 printable ASCII characters without '/'");
  }
  const std::string raw = required(a, "contact");
  c.address = gatekeeper::normalize_contact(raw);
  if (c.address.empty()) throw UsageError("--contact is empty once normalized");
  if (c.address.size() > kMaxContact || !printable(c.address)) {
    throw UsageError("invalid --contact: at most 320 characters without control characters");
  }
  return c;
}

std::string operator_name(const ParsedArgs& a) {
  const std::string by = required(a, "by");
  const bool ok = !by.empty() && by.size() <= 64 && std::all_of(by.begin(), by.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '.' || ch == '_' || ch == '-' || ch == '@';
  });
  if (!ok) throw UsageError("invalid --by: use 1-64 characters A-Z a-z 0-9 . _ - @");
  return "ctl:" + by;
}

std::string channel_of(const ParsedArgs& a) {
  const std::string channel = required(a, "channel");
  if (channel == "all" || channel == gatekeeper::kAllChannels) return gatekeeper::kAllChannels;
  const bool ok =
      !channel.empty() && channel.size() <= 32 && channel[0] >= 'a' && channel[0] <= 'z' &&
      std::all_of(channel.begin(), channel.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
      });
  if (!ok) {
    throw UsageError("invalid --channel '" + channel +
                     "': use all, or a channel name such as email, sms, whatsapp");
  }
  return channel;
}

gatekeeper::ContactHasher hasher_of(const Config& cfg) {
  try {
    return gatekeeper::ContactHasher::from_config(cfg.secrets);
  } catch (const ConfigError& e) {
    throw KeyError(db::first_line(e.what()));
  }
}

// A connection to a database that has the ledger (DbError: "run `hookline db migrate`").
std::unique_ptr<pqxx::connection> open_ledger_database(const Config& cfg) {
  auto conn = db::connect(cfg.database);
  ConsentLedger::require_tables(*conn, cfg.database.url);
  return conn;
}

template <class T>
T value_of(Result<T> r) {
  if (!r) throw LedgerError(r.error().message);
  return std::move(r).value();
}

std::string time_text(std::chrono::system_clock::time_point t) {
  return rfc3339_ms(t);
}

void write_entry(rapidjson::PrettyWriter<rapidjson::StringBuffer>& w, const ConsentEntry& e) {
  const auto str = [&w](const char* key, const std::string& value) {
    w.Key(key);
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  };
  w.StartObject();
  w.Key("id");
  w.Int64(e.id);
  str("tenant", e.tenant);
  str("contact_hash", e.contact_hash);
  w.Key("contact");
  if (e.contact) {
    w.String(e.contact->c_str(), static_cast<rapidjson::SizeType>(e.contact->size()));
  } else {
    w.Null();
  }
  str("channel", e.channel);
  str("status", gatekeeper::to_string(e.status));
  str("scope", gatekeeper::to_string(e.scope));
  str("source", gatekeeper::to_string(e.source));
  str("reason", e.reason);
  str("group", e.group);
  str("evidence_event_id", e.evidence_event_id);
  str("occurred_at", time_text(e.occurred_at));
  str("recorded_at", time_text(e.recorded_at));
  str("recorded_by", e.recorded_by);
  w.EndObject();
}

std::string entries_json(const std::vector<ConsentEntry>& entries) {
  rapidjson::StringBuffer sb;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(sb);
  w.SetIndent(' ', 2);
  w.StartArray();
  for (const auto& e : entries) write_entry(w, e);
  w.EndArray();
  return std::string(sb.GetString(), sb.GetSize()) + "\n";
}

std::string or_dash(const std::string& s) {
  return s.empty() ? "-" : s;
}

void print_table(const std::vector<std::vector<std::string>>& table) {
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
}

int print_entries(const std::vector<ConsentEntry>& entries, bool json, bool history) {
  if (json) {
    std::cout << entries_json(entries);
    return kExitOk;
  }
  if (entries.empty()) {
    std::cout << "no consent entries for this contact\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> table;
  if (history) {
    table.push_back({"ID", "OCCURRED_AT", "CHANNEL", "SCOPE", "GROUP", "STATUS", "SOURCE", "REASON",
                     "EVIDENCE", "RECORDED_AT", "RECORDED_BY"});
  } else {
    table.push_back(
        {"CHANNEL", "SCOPE", "GROUP", "STATUS", "SOURCE", "REASON", "OCCURRED_AT", "RECORDED_BY"});
  }
  for (const auto& e : entries) {
    const std::string channel = e.channel == gatekeeper::kAllChannels ? "all" : e.channel;
    if (history) {
      table.push_back({std::to_string(e.id), time_text(e.occurred_at), channel,
                       gatekeeper::to_string(e.scope), or_dash(e.group),
                       gatekeeper::to_string(e.status), gatekeeper::to_string(e.source),
                       or_dash(e.reason), or_dash(e.evidence_event_id), time_text(e.recorded_at),
                       e.recorded_by});
    } else {
      table.push_back({channel, gatekeeper::to_string(e.scope), or_dash(e.group),
                       gatekeeper::to_string(e.status), gatekeeper::to_string(e.source),
                       or_dash(e.reason), time_text(e.occurred_at), e.recorded_by});
    }
  }
  print_table(table);
  return kExitOk;
}

int run_read(const ParsedArgs& a, const Config& cfg, const std::string& command) {
  const Contact c = contact_of(a);
  const auto hasher = hasher_of(cfg);
  const std::string hash = hasher.hash(c.tenant, c.address);
  auto conn = open_ledger_database(cfg);
  ConsentLedger ledger(*conn, cfg.database.url);
  if (command == "get")
    return print_entries(value_of(ledger.current(c.tenant, hash)), a.has("json"), false);
  if (command == "history")
    return print_entries(value_of(ledger.history(c.tenant, hash)), a.has("json"), true);

  const auto entries = value_of(ledger.history(c.tenant, hash));
  rapidjson::StringBuffer sb;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(sb);
  w.SetIndent(' ', 2);
  w.StartObject();
  w.Key("format");
  w.String("hookline.consent.export.v1");
  w.Key("tenant");
  w.String(c.tenant.c_str(), static_cast<rapidjson::SizeType>(c.tenant.size()));
  w.Key("contact");
  w.String(c.address.c_str(), static_cast<rapidjson::SizeType>(c.address.size()));
  w.Key("contact_hash");
  w.String(hash.c_str(), static_cast<rapidjson::SizeType>(hash.size()));
  w.Key("generated_at");
  const std::string now = time_text(std::chrono::system_clock::now());
  w.String(now.c_str(), static_cast<rapidjson::SizeType>(now.size()));
  w.Key("entries");
  w.StartArray();
  for (const auto& e : entries) write_entry(w, e);
  w.EndArray();
  w.EndObject();
  std::cout << sb.GetString() << '\n';
  return kExitOk;
}

// The details of an audit row: ids and codes, never the address (nor the free-text reason).
std::string audit_details(const ConsentEntry& e) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  const auto str = [&w](const char* key, const std::string& value) {
    w.Key(key);
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  };
  w.StartObject();
  str("tenant", e.tenant);
  str("channel", e.channel);
  str("status", gatekeeper::to_string(e.status));
  str("scope", gatekeeper::to_string(e.scope));
  str("source", gatekeeper::to_string(e.source));
  str("group", e.group);
  w.EndObject();
  return sb.GetString();
}

int run_set(const ParsedArgs& a, const Config& cfg) {
  const Contact c = contact_of(a);
  ConsentEntry e;
  e.tenant = c.tenant;
  e.contact = c.address;
  e.channel = channel_of(a);
  const std::string status = required(a, "status");
  const auto parsed_status = gatekeeper::consent_status_named(status);
  if (!parsed_status) {
    throw UsageError("invalid --status '" + status + "': use opted_in or opted_out");
  }
  e.status = *parsed_status;
  const std::string purpose = a.get("purpose", "marketing");
  const auto scope = gatekeeper::scope_named(purpose);
  if (!scope) {
    throw UsageError("invalid --purpose '" + purpose + "': use all, marketing or transactional");
  }
  e.scope = *scope;
  const std::string source = a.get("source", "api");
  if (source != "api" && source != "import") {
    throw UsageError("invalid --source '" + source + "': use api or import");
  }
  e.source = source == "api" ? gatekeeper::ConsentSource::api : gatekeeper::ConsentSource::import_;
  e.reason = text_flag(a, "reason", "cli");
  if (a.get("group")) e.group = text_flag(a, "group", "");
  e.recorded_by = operator_name(a);
  e.occurred_at = std::chrono::system_clock::now();

  const auto hasher = hasher_of(cfg);
  e.contact_hash = hasher.hash(c.tenant, c.address);
  auto conn = open_ledger_database(cfg);
  ConsentLedger ledger(*conn, cfg.database.url);
  value_of(ledger.append(e, gatekeeper::AuditNote{e.recorded_by, "consent.set", audit_details(e)}));
  std::cout << "recorded " << gatekeeper::to_string(e.status) << " ("
            << gatekeeper::to_string(e.scope) << ") on "
            << (e.channel == gatekeeper::kAllChannels ? std::string("every channel") : e.channel)
            << (e.group.empty() ? "" : " for group " + e.group) << " for contact " << e.contact_hash
            << " (tenant " << e.tenant << ")\n";
  return kExitOk;
}

int run_erase(const ParsedArgs& a, const Config& cfg) {
  const Contact c = contact_of(a);
  const std::string by = operator_name(a);
  if (!a.has("yes")) {
    std::cerr << "hookline consent: erase removes the contact's whole consent history for good; "
                 "add --yes to confirm\n";
    return kExitUsage;
  }
  const auto hasher = hasher_of(cfg);
  const std::string hash = hasher.hash(c.tenant, c.address);
  rapidjson::StringBuffer details;
  {
    rapidjson::Writer<rapidjson::StringBuffer> w(details);
    w.StartObject();
    w.Key("tenant");
    w.String(c.tenant.c_str(), static_cast<rapidjson::SizeType>(c.tenant.size()));
    w.EndObject();
  }
  auto conn = open_ledger_database(cfg);
  ConsentLedger ledger(*conn, cfg.database.url);
  const std::size_t removed = value_of(ledger.erase(
      c.tenant, hash, by, gatekeeper::AuditNote{by, "consent.erase", details.GetString()}));
  std::cout << "erased " << removed << (removed == 1 ? " entry" : " entries") << " of contact "
            << hash << " (tenant " << c.tenant
            << "); kept one hashed suppression entry, so it stays suppressed\n";
  return kExitOk;
}

FlagSpec spec_for(const std::string& command) {
  FlagSpec spec;
  spec.boolean = {"help"};
  spec.with_value = {"tenant", "contact"};
  if (command == "get" || command == "history") {
    spec.boolean.insert("json");
  } else if (command == "set") {
    spec.with_value.insert({"channel", "status", "purpose", "source", "reason", "by", "group"});
  } else if (command == "erase") {
    spec.with_value.insert("by");
    spec.boolean.insert("yes");
  }
  return spec;
}

bool is_command(const std::string& command) {
  for (const char* known : {"get", "set", "history", "export", "erase"}) {
    if (command == known) return true;
  }
  return false;
}

int dispatch(const std::vector<std::string>& args, const Config& cfg) {
  if (args.empty()) throw UsageError("missing command: get, set, history, export or erase");
  const std::string& command = args.front();
  if (is_help(command)) {
    std::cout << kUsage;
    return kExitOk;
  }
  if (!is_command(command)) {
    if (command.starts_with("-")) throw UsageError("unknown flag " + command);
    throw UsageError("unknown command " + command + " (get, set, history, export, erase)");
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (std::any_of(rest.begin(), rest.end(), [](const std::string& a) { return is_help(a); })) {
    std::cout << kUsage;
    return kExitOk;
  }
  const ParsedArgs a = parse_args(rest, spec_for(command), command);
  if (!a.positional.empty()) throw UsageError("unexpected argument for " + command);
  if (command == "set") return run_set(a, cfg);
  if (command == "erase") return run_erase(a, cfg);
  return run_read(a, cfg, command);
}

int fail(const std::string& message) {
  std::cerr << "hookline consent: " << message << '\n';
  return kExitFailure;
}

}  // namespace

int run_consent_command(const std::vector<std::string>& args, const hookline::Config& cfg) {
  try {
    return dispatch(args, cfg);
  } catch (const UsageError& e) {
    const std::string message = e.what();
    std::cerr << "hookline consent: " << message
              << (message.find("--help") == std::string::npos ? " (see hookline consent --help)\n"
                                                              : "\n");
    return kExitUsage;
  } catch (const KeyError& e) {
    std::cerr << "hookline consent: " << e.what() << '\n';
    return kExitUsage;
  } catch (const pqxx::failure& e) {
    return fail(db::scrub_password(db::first_line(e.what()), cfg.database.url));
  } catch (const std::exception& e) {
    // DbError, LedgerError: one line, no password in either.
    return fail(db::first_line(e.what()));
  } catch (...) {
    return fail("unexpected error");
  }
}

}  // namespace hookline::ctl
