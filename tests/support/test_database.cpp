#include "tests/support/test_database.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <stdexcept>

#include <pqxx/nontransaction>

#include "core/db/connection.h"

namespace hookline::test {
namespace {

std::string random_suffix() {
  std::random_device rd;
  std::mt19937_64 gen((static_cast<std::uint64_t>(rd()) << 32) ^ rd());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 12; ++i) out.push_back(kHex[gen() % 16]);
  return out;
}

}  // namespace

std::string test_server_url() {
  const char* url = std::getenv("HOOKLINE_TEST_DATABASE_URL");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error(
        "HOOKLINE_TEST_DATABASE_URL is not set: run ./scripts/test.sh (it starts a throw-away "
        "Postgres), or run scripts/pg.sh start .dev/test-pg and "
        "export HOOKLINE_TEST_DATABASE_URL=$(cat .dev/test-pg/url)");
  }
  return url;
}

std::string url_for_database(const std::string& url, const std::string& name) {
  if (!url.starts_with("postgresql://") && !url.starts_with("postgres://")) {
    return url + " dbname=" + name;
  }
  const std::size_t start = url.find("://") + 3;
  const std::size_t authority_end = std::min(url.find_first_of("/?", start), url.size());
  if (authority_end < url.size() && url[authority_end] == '/') {
    const std::size_t path_end = std::min(url.find('?', authority_end), url.size());
    return url.substr(0, authority_end + 1) + name + url.substr(path_end);
  }
  return url.substr(0, authority_end) + "/" + name + url.substr(authority_end);
}

TestDatabase::TestDatabase()
    : server_url_(test_server_url()), name_("hookline_test_" + random_suffix()) {
  pqxx::connection admin(server_url_);
  pqxx::nontransaction tx(admin);
  tx.exec0("CREATE DATABASE " + name_);
  url_ = url_for_database(server_url_, name_);
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection admin(server_url_);
    pqxx::nontransaction tx(admin);
    tx.exec0("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "could not drop test database %s: %s\n", name_.c_str(), e.what());
  }
}

std::unique_ptr<pqxx::connection> TestDatabase::connect() const {
  return db::connect(DatabaseConfig{url_, std::chrono::seconds(5)});
}

}  // namespace hookline::test
