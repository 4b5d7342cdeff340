#include "runtime/worker/error_handler.h"

#include <random>
#include <sstream>
#include <thread>

#include "runtime/common/log.h"

namespace sluice::worker {

using Clock = std::chrono::steady_clock;

Result<ErrorPolicy> ErrorPolicy::from_connector_config(const api::Config& c) {
  ErrorPolicy p;
  try {
    using namespace api::config_value;
    std::string tolerance = get_string(c, "errors.tolerance", "none");
    for (auto& ch : tolerance) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (tolerance != "none" && tolerance != "all")
      return Error::fatal("Invalid value " + get_string(c, "errors.tolerance", "") +
                              " for configuration errors.tolerance: String must be one of: none, all",
                          Stage::Config);
    p.tolerate_all = tolerance == "all";
    p.retry_timeout_ms = get_long(c, "errors.retry.timeout", 0);
    p.retry_delay_max_ms = get_long(c, "errors.retry.delay.max.ms", 60000);
    p.log_enable = get_bool(c, "errors.log.enable", false);
    p.log_include_messages = get_bool(c, "errors.log.include.messages", false);
  } catch (const std::exception& e) {
    return Error::fatal(e.what(), Stage::Config);
  }
  return p;
}

namespace {

void append_value(std::ostringstream& os, const api::Value& v, int depth = 0) {
  using K = api::Value::Kind;
  switch (v.kind()) {
    case K::Null: os << "null"; break;
    case K::Boolean: os << (v.as_bool() ? "true" : "false"); break;
    case K::Int8: os << static_cast<int>(v.as_int8()); break;
    case K::Int16: os << v.as_int16(); break;
    case K::Int32: os << v.as_int32(); break;
    case K::Int64: os << v.as_int64(); break;
    case K::Float32: os << api::java_float_string(v.as_float32()); break;
    case K::Float64: os << api::java_double_string(v.as_float64()); break;
    case K::String: os << v.as_string(); break;
    case K::Bytes: os << "[B@" << v.as_bytes().size(); break;
    case K::Array: {
      os << '[';
      bool first = true;
      for (auto& e : v.as_array()) {
        os << (first ? "" : ", ");
        first = false;
        if (depth < 8) append_value(os, e, depth + 1);
      }
      os << ']';
      break;
    }
    case K::Map: {
      os << '{';
      bool first = true;
      for (auto& [k, e] : v.as_map()) {
        os << (first ? "" : ", ");
        first = false;
        append_value(os, k, depth + 1);
        os << '=';
        if (depth < 8) append_value(os, e, depth + 1);
      }
      os << '}';
      break;
    }
    case K::Struct: {
      const api::Struct& s = v.as_struct();
      os << "Struct{";
      bool first = true;
      for (auto& f : s.schema()->fields()) {
        const api::Value& e = s.get(f.index);
        if (e.is_null()) continue;
        os << (first ? "" : ",") << f.name << '=';
        first = false;
        if (depth < 8) append_value(os, e, depth + 1);
      }
      os << '}';
      break;
    }
  }
}

void append_schema(std::ostringstream& os, const api::SchemaPtr& s) {
  if (!s) {
    os << "null";
    return;
  }
  std::string type = api::type_name(s->type());
  for (auto& c : type) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (type == "FLOAT") type = "FLOAT32";
  if (type == "DOUBLE") type = "FLOAT64";
  os << "Schema{" << (s->name().empty() ? "" : s->name() + ":") << type << '}';
}

void append_offsets(std::ostringstream& os, const api::OffsetMap& m) {
  os << '{';
  bool first = true;
  for (auto& [k, v] : m) {
    os << (first ? "" : ", ") << k << '=';
    first = false;
    append_value(os, v);
  }
  os << '}';
}

}  // namespace

std::string describe_record(const api::SourceRecord& r) {
  std::ostringstream os;
  os << "SourceRecord{sourcePartition=";
  if (r.source_partition) append_offsets(os, *r.source_partition);
  else os << "null";
  os << ", sourceOffset=";
  append_offsets(os, r.source_offset);
  os << "} ConnectRecord{topic='" << r.topic << "', kafkaPartition=";
  if (r.kafka_partition) os << *r.kafka_partition;
  else os << "null";
  os << ", key=";
  append_value(os, r.key);
  os << ", keySchema=";
  append_schema(os, r.key_schema);
  os << ", value=";
  append_value(os, r.value);
  os << ", valueSchema=";
  append_schema(os, r.value_schema);
  os << ", timestamp=";
  if (r.timestamp) os << *r.timestamp;
  else os << "null";
  os << ", headers=ConnectHeaders(headers=";
  for (size_t i = 0; i < r.headers.size(); ++i) {
    os << (i ? ", " : "") << "ConnectHeader(key=" << r.headers[i].key << ", value=";
    append_value(os, r.headers[i].value);
    os << ", schema=";
    append_schema(os, r.headers[i].schema);
    os << ')';
  }
  os << ")}";
  std::string out = os.str();
  constexpr size_t kMax = 4096;  // a record in a log line, not a dump
  if (out.size() > kMax) out = out.substr(0, kMax) + "...";
  return out;
}

api::Status ErrorHandler::retry(const std::function<api::Status()>& op, api::Status s,
                                const std::atomic<bool>& stopping) {
  auto start = Clock::now();
  auto deadline = policy_.retry_timeout_ms < 0 ? Clock::time_point::max()
                                               : start + std::chrono::milliseconds(policy_.retry_timeout_ms);
  for (int attempt = 1;; ++attempt) {
    counters_.record_failures.fetch_add(1, std::memory_order_relaxed);
    if (!s.is_retriable()) return s;
    auto now = Clock::now();
    if (now >= deadline || stopping.load()) return s;
    // Connect's backoff: 300 ms doubling; beyond the maximum a random delay up to it.
    int64_t delay = attempt < 30 ? int64_t{300} << (attempt - 1) : policy_.retry_delay_max_ms;
    if (delay > policy_.retry_delay_max_ms) {
      thread_local std::mt19937_64 rng{std::random_device{}()};
      delay = policy_.retry_delay_max_ms > 0
                  ? std::uniform_int_distribution<int64_t>(0, policy_.retry_delay_max_ms - 1)(rng)
                  : 0;
    }
    auto wake = now + std::chrono::milliseconds(delay);
    if (wake > deadline) wake = deadline;
    counters_.retries.fetch_add(1, std::memory_order_relaxed);
    log::debug(task_, "retrying after a retriable error (attempt ", attempt, "): ", s.message());
    while (Clock::now() < wake && !stopping.load())
      std::this_thread::sleep_for(std::min<Clock::duration>(wake - Clock::now(), std::chrono::milliseconds(50)));
    if (stopping.load()) return s;
    s = op();
    if (s.is_ok()) return s;
  }
}

bool ErrorHandler::tolerate(Stage stage, const std::string& class_name, const api::Status& status,
                            const api::SourceRecord* record, Error& error) {
  counters_.record_errors.fetch_add(1, std::memory_order_relaxed);
  std::string context = std::string("Executing stage '") + stage_name(stage) + "' with class '" + class_name + "'";
  if (policy_.log_enable) {
    std::string with_record =
        policy_.log_include_messages && record ? ", where source record is = " + describe_record(*record) : "";
    log::error(task_, "Error encountered in task ", task_, ". ", context, with_record, ". Error: ", status.message());
    counters_.errors_logged.fetch_add(1, std::memory_order_relaxed);
  }
  if (policy_.tolerate_all) {
    counters_.records_skipped.fetch_add(1, std::memory_order_relaxed);
    return true;
  }
  error = Error::fatal("Tolerance exceeded in error handler: " + context + ": " + status.message(), stage);
  return false;
}

}  // namespace sluice::worker
