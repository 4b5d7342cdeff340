#pragma once
// Single message transforms and predicates, as Connect's Transformation and Predicate.
// A transform changes the record in place, so what it leaves alone is never copied.

#include <string>

#include "plugins/api/config_def.h"
#include "plugins/api/record.h"

namespace sluice::api {

class Transformation {
 public:
  virtual ~Transformation() = default;
  virtual std::string version() const { return "unknown"; }
  virtual ConfigDef config_def() const { return {}; }
  virtual void configure(const Config& config) = 0;
  // Sets `drop` to discard the record (Connect's "return null").
  virtual void apply(SourceRecord& record, bool& drop) = 0;
  virtual void close() {}
};

class Predicate {
 public:
  virtual ~Predicate() = default;
  virtual std::string version() const { return "unknown"; }
  virtual ConfigDef config_def() const { return {}; }
  virtual void configure(const Config& config) = 0;
  virtual bool test(const SourceRecord& record) = 0;
  virtual void close() {}
};

}  // namespace sluice::api
