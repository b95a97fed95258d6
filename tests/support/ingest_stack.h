#pragma once
// A running ingest for tests and benchmarks: a private dev broker, a fresh migrated database,
// connections registered through `hookline connections add`, and hookline-ingest itself,
// all stopped by pid at the end.
#include <map>
#include <memory>
#include <string>

#include "tests/support/dev_broker.h"
#include "tests/support/process.h"
#include "tests/support/test_database.h"
#include "tests/support/webhook_signer.h"

namespace hookline::test {

class IngestStack {
 public:
  // `ingest_config` is the JSON of the config file's "ingest" section.
  explicit IngestStack(const std::string& ingest_config = "{}");
  ~IngestStack();

  // Registers `connection` for `provider` with the stack's test secrets (CLI, exit code 0 or
  // throws with the CLI's message).
  void add_connection(const std::string& provider, const std::string& connection,
                      const std::string& secret);
  // Runs `hookline <args>` with the stack's environment.
  RunResult cli(const std::vector<std::string>& args);

  // Starts hookline-ingest and waits for /readyz (over TLS when `tls`). Throws with its stderr
  // if it fails.
  void start_ingest(bool tls = false);
  void stop_ingest();

  DevBroker& broker() { return *broker_; }
  const std::string& base_url() const { return base_url_; }  // http://127.0.0.1:<port>
  // (for a TLS ingest this is still http://, for plain-HTTP probes of the TLS port)
  int port() const { return port_; }
  ChildProcess& ingest() { return *ingest_; }
  const EcdsaKeyPair& sendgrid_key() const { return ecdsa_; }
  // The secrets a provider's "main" connection gets from register_all().
  TestSecrets secrets_for(const std::string& provider) const;
  // Registers connection "main" for every shipped manifest with secrets_for(provider).
  void register_all();
  std::map<std::string, std::string> env() const;

 private:
  TempDir dir_;
  std::unique_ptr<DevBroker> broker_;
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<ChildProcess> ingest_;
  EcdsaKeyPair ecdsa_;
  std::string secret_key_;
  std::string config_path_;
  std::string base_url_;
  int port_ = 0;
};

}  // namespace hookline::test
