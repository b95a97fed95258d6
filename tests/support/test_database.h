#pragma once
// A fresh database on the test Postgres (HOOKLINE_TEST_DATABASE_URL, started by
// scripts/test.sh), dropped with its connections at the end. Without the variable the
// constructor throws, so the test fails with instructions instead of being skipped.
#include <memory>
#include <string>

#include <pqxx/connection>

namespace hookline::test {

std::string test_server_url();
// `url` pointing at database `name` instead (URI path or key=value dbname).
std::string url_for_database(const std::string& url, const std::string& name);

class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }
  std::unique_ptr<pqxx::connection> connect() const;

 private:
  std::string server_url_;
  std::string name_;
  std::string url_;
};

}  // namespace hookline::test
