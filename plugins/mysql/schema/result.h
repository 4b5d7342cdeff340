// Result<T>: a value or an error message, for the schema library's calls. Plugins cannot see
// the runtime's Result, so this is the plugin-side equivalent; `status()` turns a failure into
// the api::Status a task returns to the host.
#pragma once

#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "plugins/api/status.h"

namespace sluice::mysql {

// The failure side: `return Error{"what went wrong"};` works for every Result<T>.
struct Error {
  std::string message;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Error e) : v_(std::move(e)) {}      // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  // Empty when ok().
  const std::string& error() const {
    static const std::string kNone;
    return ok() ? kNone : std::get<1>(v_).message;
  }
  api::Status status() const { return ok() ? api::Status::ok() : api::Status::failed(error()); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error e) : error_(std::move(e.message)), failed_(true) {}  // NOLINT
  static Result success() { return {}; }

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const std::string& error() const { return error_; }
  api::Status status() const { return ok() ? api::Status::ok() : api::Status::failed(error_); }

 private:
  std::string error_;
  bool failed_ = false;
};

}  // namespace sluice::mysql
