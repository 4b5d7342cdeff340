#pragma once
// The status every call across the plugin boundary returns. Plugins cannot see the runtime's
// error types, so the API has its own, mapped by the host.

#include <string>
#include <utility>

namespace sluice::api {

class Status {
 public:
  enum class Code { Ok, Retriable, Failed };

  Status() = default;
  static Status ok() { return {}; }
  static Status failed(std::string message) { return Status(Code::Failed, std::move(message)); }
  // A failure that may go away if the same call is made again later (a lost connection, say).
  static Status retriable(std::string message) { return Status(Code::Retriable, std::move(message)); }

  bool is_ok() const { return code_ == Code::Ok; }
  bool is_retriable() const { return code_ == Code::Retriable; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(Code c, std::string m) : code_(c), message_(std::move(m)) {}
  Code code_ = Code::Ok;
  std::string message_;
};

}  // namespace sluice::api
