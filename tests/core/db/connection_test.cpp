#define BOOST_TEST_MODULE db_connection
#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "core/db/connection.h"

using namespace hookline;
using namespace std::chrono_literals;

namespace {

// A TCP port on 127.0.0.1 that nothing listens on: bound to port 0, noted, closed.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  BOOST_REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  BOOST_REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  BOOST_REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// The DbError message of connecting with `url`, or "" when no DbError was thrown.
std::string connect_error(const std::string& url, std::chrono::seconds timeout = 2s) {
  try {
    (void)db::connect(DatabaseConfig{url, timeout});
  } catch (const db::DbError& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(closed_port_names_the_server_and_hides_the_password) {
  const std::string port = std::to_string(closed_port());
  const std::string msg =
      connect_error("postgresql://hookline:s3cr3t-Pw@127.0.0.1:" + port + "/hookline");
  BOOST_TEST_MESSAGE("message: " << msg);
  BOOST_REQUIRE(!msg.empty());
  BOOST_CHECK(contains(msg, "cannot connect to Postgres at "));
  BOOST_CHECK(contains(msg, "127.0.0.1:" + port));
  BOOST_CHECK(contains(msg, "within 2 s"));
  BOOST_CHECK(!contains(msg, "s3cr3t-Pw"));
  BOOST_CHECK(msg.find('\n') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(passwords_in_every_url_form_stay_hidden) {
  const std::string port = std::to_string(closed_port());
  for (const std::string& url : {
           "postgresql://u@127.0.0.1:" + port + "/db?password=s3cr3t-Pw",
           "postgresql://u:s3cr3t%2DPw@127.0.0.1:" + port + "/db",
           "postgres://u:s3cr3t-Pw@127.0.0.1:" + port + "/db?sslmode=disable",
           "host=127.0.0.1 port=" + port + " user=u password=s3cr3t-Pw dbname=db",
           "host=127.0.0.1 port=" + port + " password='s3cr3t-Pw' dbname=db",
       }) {
    const std::string msg = connect_error(url);
    BOOST_TEST_MESSAGE("message: " << msg);
    BOOST_CHECK_MESSAGE(contains(msg, "cannot connect to Postgres"), msg);
    BOOST_CHECK_MESSAGE(!contains(msg, "s3cr3t"), msg);
  }
}

BOOST_AUTO_TEST_CASE(invalid_url_is_reported_without_the_password) {
  const std::string msg = connect_error("postgresql://u:s3cr3t-Pw@127.0.0.1:5432/db?bogus_opt=1");
  BOOST_TEST_MESSAGE("message: " << msg);
  BOOST_CHECK(contains(msg, "invalid database url postgresql://u:***@127.0.0.1:5432/db"));
  BOOST_CHECK(!contains(msg, "s3cr3t"));
}

BOOST_AUTO_TEST_CASE(empty_url_says_how_to_configure) {
  const std::string expected =
      "no database configured: set HOOKLINE_DATABASE_URL or database.url in the config file";
  BOOST_CHECK_EQUAL(connect_error(""), expected);
  BOOST_CHECK_EQUAL(connect_error("  "), expected);
}

BOOST_AUTO_TEST_CASE(connect_timeout_is_added_in_the_url_syntax) {
  BOOST_CHECK_EQUAL(db::with_connect_timeout("postgresql://h/db", 5s),
                    "postgresql://h/db?connect_timeout=5");
  BOOST_CHECK_EQUAL(db::with_connect_timeout("postgresql://h/db?sslmode=require", 5s),
                    "postgresql://h/db?sslmode=require&connect_timeout=5");
  BOOST_CHECK_EQUAL(db::with_connect_timeout("postgresql://", 3s),
                    "postgresql://?connect_timeout=3");
  BOOST_CHECK_EQUAL(db::with_connect_timeout("host=h dbname=db", 5s),
                    "host=h dbname=db connect_timeout=5");
  // An explicit connect_timeout in the URL wins; 0 means "do not add one".
  BOOST_CHECK_EQUAL(db::with_connect_timeout("postgresql://h/db?connect_timeout=9", 5s),
                    "postgresql://h/db?connect_timeout=9");
  BOOST_CHECK_EQUAL(db::with_connect_timeout("host=h connect_timeout=9", 5s),
                    "host=h connect_timeout=9");
  BOOST_CHECK_EQUAL(db::with_connect_timeout("host=h", 0s), "host=h");
}

BOOST_AUTO_TEST_CASE(printable_url_masks_passwords_only) {
  BOOST_CHECK_EQUAL(db::printable_url("postgresql://u:pw@h:5432/db"),
                    "postgresql://u:***@h:5432/db");
  BOOST_CHECK_EQUAL(db::printable_url("postgresql://u@h:5432/db"), "postgresql://u@h:5432/db");
  BOOST_CHECK_EQUAL(db::printable_url("postgresql://h:5432/db?user=a@b&password=pw"),
                    "postgresql://h:5432/db?user=a@b&password=***");
  BOOST_CHECK_EQUAL(db::printable_url("host=h password=pw user=u"), "host=h password=*** user=u");
  BOOST_CHECK_EQUAL(db::printable_url("host=h password = 'p w' user=u"),
                    "host=h password = '***' user=u");
  BOOST_CHECK_EQUAL(db::scrub_password("auth failed for pw", "postgresql://u:pw@h/db"),
                    "auth failed for ***");
}
