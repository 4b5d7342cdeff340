#include "plugins/postgres/connector/pg_client.h"

#include <libpq-fe.h>

#include <vector>

namespace sluice::postgres {

void PgResult::release(pg_result* r) {
  if (r) PQclear(r);
}
int PgResult::rows() const { return r_ ? PQntuples(r_.get()) : 0; }
int PgResult::columns() const { return r_ ? PQnfields(r_.get()) : 0; }
bool PgResult::is_null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
std::string_view PgResult::get(int row, int col) const {
  return {PQgetvalue(r_.get(), row, col), static_cast<size_t>(PQgetlength(r_.get(), row, col))};
}
std::optional<std::string> PgResult::opt(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return std::string(get(row, col));
}

std::unique_ptr<PgConnection> PgConnection::open(const std::map<std::string, std::string>& params,
                                                 bool replication) {
  std::vector<const char*> keys, values;
  for (auto& [k, v] : params) {
    if (v.empty()) continue;
    keys.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  if (replication) {
    keys.push_back("replication");
    values.push_back("database");
  }
  keys.push_back("application_name");
  values.push_back("sluice");
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* c = PQconnectdbParams(keys.data(), values.data(), 0);
  if (!c) throw PgError("libpq could not allocate a connection");
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c);
    PQfinish(c);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    auto host = params.count("host") ? params.at("host") : std::string("?");
    auto port = params.count("port") ? params.at("port") : std::string("5432");
    throw PgError("cannot connect to PostgreSQL at " + host + ":" + port + ": " + msg);
  }
  return std::unique_ptr<PgConnection>(new PgConnection(c));
}

PgConnection::~PgConnection() {
  if (c_) PQfinish(c_);
}

std::string PgConnection::error_message() const {
  std::string msg = PQerrorMessage(c_);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return msg;
}

namespace {
std::optional<PgError> error_of(PGresult* r, PGconn* c) {
  auto st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_COPY_BOTH ||
      st == PGRES_COPY_OUT || st == PGRES_SINGLE_TUPLE)
    return std::nullopt;
  std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(c);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  return PgError(msg, state ? state : "");
}

void check(PGresult* r, PGconn* c, const std::string& sql) {
  if (auto err = error_of(r, c)) throw PgError(std::string(err->what()) + " (SQL: " + sql + ")", err->sqlstate());
}
}  // namespace

PgResult PgConnection::exec(const std::string& sql) {
  PgResult r(PQexec(c_, sql.c_str()));
  check(r.raw(), c_, sql);
  return r;
}

bool PgConnection::copy_out(const std::string& sql, const std::function<bool(std::string_view)>& row) {
  PgResult started(PQexec(c_, sql.c_str()));
  check(started.raw(), c_, sql);
  if (PQresultStatus(started.raw()) != PGRES_COPY_OUT) throw PgError("COPY did not start (SQL: " + sql + ")");
  while (true) {
    char* buf = nullptr;
    int n = PQgetCopyData(c_, &buf, 0);
    if (n < 0) break;  // -1: done; -2: an error, in the result below
    std::unique_ptr<char, void (*)(void*)> owned(buf, &PQfreemem);
    if (!row(std::string_view(buf, static_cast<size_t>(n)))) return false;
  }
  while (pg_result* r = PQgetResult(c_)) {
    PgResult done(r);
    check(done.raw(), c_, sql);
  }
  return true;
}

std::optional<PgError> PgConnection::try_exec(const std::string& sql) {
  PgResult r(PQexec(c_, sql.c_str()));
  return error_of(r.raw(), c_);
}

std::string PgConnection::quote_ident(std::string_view name) const {
  char* q = PQescapeIdentifier(c_, name.data(), name.size());
  if (!q) throw PgError(error_message());
  std::string out(q);
  PQfreemem(q);
  return out;
}

std::string PgConnection::quote_literal(std::string_view text) const {
  char* q = PQescapeLiteral(c_, text.data(), text.size());
  if (!q) throw PgError(error_message());
  std::string out(q);
  PQfreemem(q);
  return out;
}

bool PgConnection::connected() const { return PQstatus(c_) == CONNECTION_OK; }

int PgConnection::server_version() const { return PQserverVersion(c_); }

}  // namespace sluice::postgres
