#include "devbroker/mock_cluster.h"

#include <stdexcept>

namespace hookline::devbroker {

MockCluster::MockCluster(int brokers) : brokers_(brokers) {
  kafka::ConfPtr conf(rd_kafka_conf_new());
  char err[512];
  // The handle only hosts the mock cluster's thread; it never connects anywhere.
  rd_kafka_conf_set(conf.get(), "client.id", "hookline-devbroker", err, sizeof err);
  rd_kafka_conf_set(conf.get(), "log_level", "3", err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), err, sizeof err);
  if (!rk) throw std::runtime_error(std::string("cannot create the mock cluster's host: ") + err);
  (void)conf.release();
  rk_.reset(rk);
  cluster_ = rd_kafka_mock_cluster_new(rk_.get(), brokers);
  if (!cluster_) throw std::runtime_error("cannot start the mock cluster");
}

MockCluster::~MockCluster() {
  if (cluster_) rd_kafka_mock_cluster_destroy(cluster_);
}

std::string MockCluster::bootstrap() const {
  return rd_kafka_mock_cluster_bootstraps(cluster_);
}

void MockCluster::create_topic(const TopicSpec& spec) {
  if (spec.replication_factor > brokers_) {
    throw std::runtime_error("topic " + spec.name + " declares replication factor " +
                             std::to_string(spec.replication_factor) + " but the dev broker has " +
                             std::to_string(brokers_) + " broker(s); start it with --brokers " +
                             std::to_string(spec.replication_factor));
  }
  auto err = rd_kafka_mock_topic_create(cluster_, spec.name.c_str(), spec.partitions,
                                        spec.replication_factor);
  if (err) {
    throw std::runtime_error("cannot create topic " + spec.name + ": " + rd_kafka_err2str(err));
  }
}

bool MockCluster::set_broker_down(int id) {
  if (id < 1 || id > brokers_) return false;
  return rd_kafka_mock_broker_set_down(cluster_, id) == RD_KAFKA_RESP_ERR_NO_ERROR;
}

bool MockCluster::set_broker_up(int id) {
  if (id < 1 || id > brokers_) return false;
  return rd_kafka_mock_broker_set_up(cluster_, id) == RD_KAFKA_RESP_ERR_NO_ERROR;
}

bool MockCluster::set_broker_rtt(int id, int rtt_ms) {
  if (id < 1 || id > brokers_ || rtt_ms < 0) return false;
  return rd_kafka_mock_broker_set_rtt(cluster_, id, rtt_ms) == RD_KAFKA_RESP_ERR_NO_ERROR;
}

}  // namespace hookline::devbroker
