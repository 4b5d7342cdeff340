#pragma once
// Connect's error handling for a source task (RetryWithToleranceOperator and LogReporter):
//
//   errors.retry.timeout         ms to keep retrying an operation that failed with a retriable
//                                error (0: no retries, -1: forever), waiting 300 ms, 600 ms, ...
//   errors.retry.delay.max.ms    the longest wait between two attempts (beyond it: a random wait
//                                up to it, as Connect does)
//   errors.tolerance             none: the first failure fails the task ("Tolerance exceeded in
//                                error handler"); all: the record is skipped and counted
//   errors.log.enable            log each failure at ERROR: "Error encountered in task <id>.
//                                Executing stage '<STAGE>' with class '<class>'."
//   errors.log.include.messages  ... and the record: ", where source record is = <record>"
//
// It covers transformation and conversion failures (stages TRANSFORMATION, KEY_CONVERTER,
// VALUE_CONVERTER, HEADER_CONVERTER) and, as KIP-779 (Connect 3.2+) does for source tasks with
// tolerance all, a record Kafka refused (KAFKA_PRODUCE). Nothing is skipped silently: a skipped
// record is counted, and logged when errors.log.enable is on.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "plugins/api/plugin.h"
#include "runtime/common/error.h"

namespace sluice::worker {

struct ErrorPolicy {
  bool tolerate_all = false;
  int64_t retry_timeout_ms = 0;
  int64_t retry_delay_max_ms = 60000;
  bool log_enable = false;
  bool log_include_messages = false;

  // From the connector's errors.* settings; an error names a bad value.
  static Result<ErrorPolicy> from_connector_config(const api::Config& config);
};

// Connect's task-error-metrics, per task (read from any thread).
struct ErrorCounters {
  std::atomic<uint64_t> record_failures{0};  // total-record-failures: failed attempts
  std::atomic<uint64_t> record_errors{0};    // total-record-errors: records that finally failed
  std::atomic<uint64_t> records_skipped{0};  // total-records-skipped
  std::atomic<uint64_t> retries{0};          // total-retries
  std::atomic<uint64_t> errors_logged{0};    // total-errors-logged
};

// Connect's SourceRecord.toString(), shortened: what errors.log.include.messages shows.
std::string describe_record(const api::SourceRecord& r);

class ErrorHandler {
 public:
  ErrorHandler(std::string task, ErrorPolicy policy, ErrorCounters& counters)
      : task_(std::move(task)), policy_(policy), counters_(counters) {}

  const ErrorPolicy& policy() const { return policy_; }

  // Runs `op` and, while it fails with a retriable status and the retry timeout allows, runs it
  // again after a backoff (cut short when `stopping` becomes true). Returns the last status.
  // A template: it runs for every record and stage, so no std::function (and its allocation).
  template <class Op>
  api::Status run(Op&& op, const std::atomic<bool>& stopping) {
    api::Status s = op();
    if (s.is_ok()) return s;
    return retry(std::function<api::Status()>(std::forward<Op>(op)), std::move(s), stopping);
  }

  // A record's operation failed for good: counts and logs it. True when the record is to be
  // skipped (tolerance all), false when the task must fail. `error` is then the task's error.
  bool tolerate(Stage stage, const std::string& class_name, const api::Status& status,
                const api::SourceRecord* record, Error& error);

 private:
  // The slow path: `first` failed; counts it and retries as the policy allows.
  api::Status retry(const std::function<api::Status()>& op, api::Status first, const std::atomic<bool>& stopping);

  std::string task_;
  ErrorPolicy policy_;
  ErrorCounters& counters_;
};

}  // namespace sluice::worker
