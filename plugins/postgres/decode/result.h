// The result type of the PostgreSQL decoding library.
//
// plugins/api has no Result<T> (only api::Status for calls across the plugin boundary) and a
// plugin may not include runtime/, so this library carries its own small one:
// Result<T> holds either a T or an Error (a kind and a message that says what to fix).
// `status()` turns it into the api::Status a SourceTask returns.
#pragma once

#include <string>
#include <utility>
#include <variant>

#include "plugins/api/status.h"

namespace sluice::postgres {

struct Error {
  enum class Kind {
    Malformed,        // bytes or text that do not parse (a bug or corruption upstream)
    UnsupportedType,  // a column type Debezium does not map (omit the column, as Debezium does)
    Unrepresentable,  // a valid value the chosen mode cannot express (NaN in precise mode)
  };
  Kind kind = Kind::Malformed;
  std::string message;
};

inline Error malformed(std::string message) { return {Error::Kind::Malformed, std::move(message)}; }

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(v_); }
  const std::string& message() const { return error().message; }
  api::Status status() const { return ok() ? api::Status::ok() : api::Status::failed(message()); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace sluice::postgres
