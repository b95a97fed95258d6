#define BOOST_TEST_MODULE sinks_simulator_idempotency
#include <boost/test/unit_test.hpp>

#include "sinks/simulator/idempotency.h"

using namespace hookline::simulator;
using Kind = IdempotencyStore::Kind;

namespace {

std::function<Answer()> answer_with(const std::string& id, int status = 200) {
  return [id, status] {
    Answer a;
    a.status = status;
    a.body = id;
    a.message_id = id;
    return a;
  };
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_repeated_key_gets_the_first_answer) {
  IdempotencyStore store(10);
  auto first = store.answer("re_a", "k1", "{}", answer_with("id-1"));
  BOOST_CHECK(first.kind == Kind::fresh);
  BOOST_CHECK_EQUAL(first.answer.message_id, "id-1");
  auto again = store.answer("re_a", "k1", "{}", answer_with("id-2"));
  BOOST_CHECK(again.kind == Kind::replay);
  BOOST_CHECK_EQUAL(again.answer.message_id, "id-1");
}

BOOST_AUTO_TEST_CASE(keys_belong_to_their_target) {
  IdempotencyStore store(10);
  (void)store.answer("re_a", "k1", "{}", answer_with("id-1"));
  auto other = store.answer("re_b", "k1", "{}", answer_with("id-2"));
  BOOST_CHECK(other.kind == Kind::fresh);
  BOOST_CHECK_EQUAL(other.answer.message_id, "id-2");
}

BOOST_AUTO_TEST_CASE(another_body_with_the_same_key_is_a_conflict) {
  IdempotencyStore store(10);
  (void)store.answer("re_a", "k1", "{\"to\":\"a\"}", answer_with("id-1"));
  BOOST_CHECK(store.answer("re_a", "k1", "{\"to\":\"b\"}", answer_with("id-2")).kind ==
              Kind::conflict);
}

BOOST_AUTO_TEST_CASE(only_successes_are_kept) {
  IdempotencyStore store(10);
  BOOST_CHECK(store.answer("re_a", "k1", "{}", answer_with("err", 500)).kind == Kind::fresh);
  auto retry = store.answer("re_a", "k1", "{}", answer_with("id-1"));
  BOOST_CHECK(retry.kind == Kind::fresh);
  BOOST_CHECK_EQUAL(retry.answer.message_id, "id-1");
}

BOOST_AUTO_TEST_CASE(the_oldest_keys_are_forgotten_first_and_clear_forgets_all) {
  IdempotencyStore store(2);
  (void)store.answer("t", "k1", "", answer_with("1"));
  (void)store.answer("t", "k2", "", answer_with("2"));
  (void)store.answer("t", "k3", "", answer_with("3"));
  BOOST_CHECK(store.answer("t", "k1", "", answer_with("1b")).kind == Kind::fresh);
  BOOST_CHECK(store.answer("t", "k3", "", answer_with("x")).kind == Kind::replay);
  store.clear();
  BOOST_CHECK(store.answer("t", "k3", "", answer_with("x")).kind == Kind::fresh);
}
