#pragma once
// Errors as values on the record path: a message, whether a retry may help, and the stage
// of the pipeline that failed (Connect's Stage names, for logs and status traces).

#include <string>
#include <utility>
#include <variant>

namespace sluice {

enum class Stage { None, TaskPoll, Transformation, KeyConverter, ValueConverter, HeaderConverter,
                   KafkaProduce, OffsetCommit, Config, Plugin };

const char* stage_name(Stage s);

struct Error {
  std::string message;
  bool retriable = false;
  Stage stage = Stage::None;
  // For control-plane errors: the HTTP status Connect's REST API answers with (400, 404,
  // 409, ...); 0 means an internal error (500).
  int status = 0;

  static Error fatal(std::string msg, Stage st = Stage::None) { return {std::move(msg), false, st, 0}; }
  static Error retry(std::string msg, Stage st = Stage::None) { return {std::move(msg), true, st, 0}; }
  static Error with_status(int http_status, std::string msg) {
    return {std::move(msg), false, Stage::None, http_status};
  }
};

// A value or an Error. Deliberately tiny: std::expected is C++23.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  T* operator->() { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class Result<void> {
 public:
  Result() = default;
  Result(Error error) : err_(std::move(error)), ok_(false) {}
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return err_; }

 private:
  Error err_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace sluice
