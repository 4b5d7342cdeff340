#pragma once
// DurableLogs for connectors' private data. A local file: records appended as [u32 key len][key][u32 value len]
// [value], fsynced on flush. A torn last record (a crash mid-append) is ignored on read.

#include <memory>
#include <string>

#include "plugins/api/connector.h"

namespace sluice::worker {

std::unique_ptr<api::DurableLog> open_file_log(const std::string& path, std::string& error);

// A log in a single-partition Kafka topic. `settings` use the Java client names:
// bootstrap.servers and the common client settings, plus producer.* and consumer.*.
std::unique_ptr<api::DurableLog> open_kafka_log(const std::string& topic, const api::Config& settings,
                                                std::string& error);

}  // namespace sluice::worker
