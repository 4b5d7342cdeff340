#pragma once
// A thin RAII layer over libpq: connections (plain or replication=database), results, quoting.
// Failures throw PgError with the server's message, so the task can report it as is.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct pg_conn;
struct pg_result;

namespace sluice::postgres {

class PgError : public std::runtime_error {
 public:
  PgError(const std::string& message, std::string sqlstate = {})
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  std::string sqlstate_;
};

class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(pg_result* r) : r_(r, &release) {}
  int rows() const;
  int columns() const;
  bool is_null(int row, int col) const;
  std::string_view get(int row, int col) const;  // empty for NULL
  std::optional<std::string> opt(int row, int col) const;
  pg_result* raw() const { return r_.get(); }

 private:
  static void release(pg_result* r);
  std::unique_ptr<pg_result, void (*)(pg_result*)> r_{nullptr, &release};
};

class PgConnection {
 public:
  // `params` are libpq keywords (host, port, user, password, dbname, sslmode, ...).
  static std::unique_ptr<PgConnection> open(const std::map<std::string, std::string>& params,
                                            bool replication);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one statement that returns rows or a command status; throws on an error.
  PgResult exec(const std::string& sql);
  // Runs COPY ... TO STDOUT, calling `row` with each row as the server sent it (valid during
  // the call); throws on an error. When `row` returns false (or throws) it stops at once and
  // returns false: the connection is then still in COPY mode, to be closed.
  bool copy_out(const std::string& sql, const std::function<bool(std::string_view)>& row);
  // Same as exec, but returns the error instead of throwing (nullopt on success).
  std::optional<PgError> try_exec(const std::string& sql);
  std::string quote_ident(std::string_view name) const;
  std::string quote_literal(std::string_view text) const;
  int server_version() const;
  bool connected() const;  // false once libpq found the connection broken
  pg_conn* raw() const { return c_; }
  std::string error_message() const;

 private:
  explicit PgConnection(pg_conn* c) : c_(c) {}
  pg_conn* c_;
};

}  // namespace sluice::postgres
