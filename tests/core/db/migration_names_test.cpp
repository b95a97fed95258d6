#define BOOST_TEST_MODULE db_migration_names
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/db/migrations.h"

using namespace hookline;

namespace {

std::string read_source_file(const std::string& relative) {
  std::ifstream in(std::string(HOOKLINE_SOURCE_DIR) + "/" + relative, std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in, "cannot open " << relative);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

db::Migration migration(int version, const std::string& name) {
  db::Migration m;
  m.version = version;
  m.name = name;
  return m;
}

}  // namespace

BOOST_AUTO_TEST_CASE(well_formed_names_parse) {
  auto a = db::parse_migration_file_name("0001_connections.sql");
  BOOST_REQUIRE(a);
  BOOST_CHECK_EQUAL(a->version, 1);
  BOOST_CHECK_EQUAL(a->name, "0001_connections");

  auto b = db::parse_migration_file_name("0042_audit_log_v2.sql");
  BOOST_REQUIRE(b);
  BOOST_CHECK_EQUAL(b->version, 42);
  BOOST_CHECK_EQUAL(b->name, "0042_audit_log_v2");

  auto c = db::parse_migration_file_name("123456789_big.sql");
  BOOST_REQUIRE(c);
  BOOST_CHECK_EQUAL(c->version, 123456789);
}

BOOST_AUTO_TEST_CASE(malformed_names_are_rejected) {
  for (const char* bad :
       {"", ".sql", "0001.sql", "0001_.sql", "001_short.sql", "0001_connections.SQL",
        "0001_connections.sql.bak", "0001-connections.sql", "0001_Connections.sql",
        "0001_conn ections.sql", "x0001_connections.sql", "0000_zero.sql",
        "1234567890_too_long.sql", "0001_connections"}) {
    BOOST_CHECK_MESSAGE(!db::parse_migration_file_name(bad), "accepted '" << bad << "'");
  }
  BOOST_CHECK_THROW(db::make_migration("1_x.sql", "SELECT 1"), db::DbError);
}

BOOST_AUTO_TEST_CASE(checksum_is_sha256_hex) {
  BOOST_CHECK_EQUAL(db::migration_checksum("abc"),
                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_CHECK_EQUAL(db::migration_checksum(""),
                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  auto m = db::make_migration("0007_x.sql", "SELECT 1;");
  BOOST_CHECK_EQUAL(m.version, 7);
  BOOST_CHECK_EQUAL(m.checksum, db::migration_checksum("SELECT 1;"));
}

BOOST_AUTO_TEST_CASE(validation_rejects_duplicates_and_disorder) {
  BOOST_CHECK_NO_THROW(db::validate_migrations({}));
  BOOST_CHECK_NO_THROW(db::validate_migrations({migration(1, "0001_a"), migration(3, "0003_b")}));
  BOOST_CHECK_THROW(db::validate_migrations({migration(1, "0001_a"), migration(1, "0001_b")}),
                    db::DbError);
  BOOST_CHECK_THROW(db::validate_migrations({migration(2, "0002_a"), migration(1, "0001_b")}),
                    db::DbError);
}

BOOST_AUTO_TEST_CASE(embedded_migrations_match_the_files) {
  const auto& ms = db::embedded_migrations();
  BOOST_REQUIRE_GE(ms.size(), 2u);
  BOOST_CHECK_EQUAL(ms[0].name, "0001_connections");
  BOOST_CHECK_EQUAL(ms[1].name, "0002_audit_log");
  for (const auto& m : ms) {
    // The build embeds the current text of each file (a stale build would fail here).
    BOOST_CHECK_MESSAGE(m.sql == read_source_file("migrations/" + m.name + ".sql"),
                        m.name << " differs from migrations/" << m.name << ".sql");
    BOOST_CHECK_EQUAL(m.checksum, db::migration_checksum(m.sql));
    BOOST_CHECK_EQUAL(m.checksum.size(), 64u);
  }
}
