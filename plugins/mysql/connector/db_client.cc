#include "plugins/mysql/connector/db_client.h"

#include <mysql.h>
#include <sys/socket.h>

#include "plugins/mysql/connector/options.h"

namespace sluice::mysql::cdc {

DbClient::~DbClient() { close(); }

void DbClient::fail(const std::string& what) {
  unsigned code = my_ ? mysql_errno(my_) : 0;
  std::string msg = my_ ? mysql_error(my_) : "no connection";
  throw DbError(code, what + ": " + msg + (code ? " (error " + std::to_string(code) + ")" : ""));
}

void DbClient::connect(const Options& o, int read_timeout_s) {
  close();
  my_ = mysql_init(nullptr);
  if (!my_) throw DbError(0, "out of memory creating a MariaDB connection");
  unsigned connect_timeout = static_cast<unsigned>(std::max(1, o.connect_timeout_ms / 1000));
  mysql_options(my_, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  if (read_timeout_s > 0) {
    unsigned t = static_cast<unsigned>(read_timeout_s);
    mysql_options(my_, MYSQL_OPT_READ_TIMEOUT, &t);
    mysql_options(my_, MYSQL_OPT_WRITE_TIMEOUT, &t);
  }
  mysql_options(my_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  my_bool yes = 1, no = 0;
  if (o.ssl_mode == "disabled") {
    // Connector/C uses TLS only when asked to.
  } else if (o.ssl_mode == "preferred") {
    // Connector/C 3.3 has no opportunistic TLS: plain unless the server insists.
  } else {
    mysql_options(my_, MYSQL_OPT_SSL_ENFORCE, &yes);
    if (!o.ssl_ca.empty()) mysql_options(my_, MYSQL_OPT_SSL_CA, o.ssl_ca.c_str());
    my_bool verify = (o.ssl_mode == "verify_ca" || o.ssl_mode == "verify_identity") ? yes : no;
    mysql_options(my_, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
  }
  if (!mysql_real_connect(my_, o.host.c_str(), o.user.c_str(), o.password.c_str(), nullptr,
                          static_cast<unsigned>(o.port), nullptr, 0)) {
    std::string where = o.user + "@" + o.host + ":" + std::to_string(o.port);
    try {
      fail("cannot connect to " + where);
    } catch (...) {
      mysql_close(my_);
      my_ = nullptr;
      throw;
    }
  }
  socket_ = static_cast<int>(mysql_get_socket(my_));
}

void DbClient::close() {
  if (stream_) { mysql_free_result(stream_); stream_ = nullptr; }
  if (my_) { mysql_close(my_); my_ = nullptr; }
  socket_ = -1;
}

void DbClient::execute(const std::string& sql) {
  if (mysql_real_query(my_, sql.data(), sql.size()) != 0) fail(sql);
  // Drain any result so the connection stays usable.
  do {
    if (MYSQL_RES* r = mysql_store_result(my_)) mysql_free_result(r);
  } while (mysql_next_result(my_) == 0);
}

std::vector<Row> DbClient::query(const std::string& sql) {
  if (mysql_real_query(my_, sql.data(), sql.size()) != 0) fail(sql);
  MYSQL_RES* r = mysql_store_result(my_);
  std::vector<Row> rows;
  if (!r) {
    if (mysql_field_count(my_) != 0) fail(sql);
    return rows;
  }
  unsigned n = mysql_num_fields(r);
  while (MYSQL_ROW row = mysql_fetch_row(r)) {
    unsigned long* len = mysql_fetch_lengths(r);
    Row out(n);
    for (unsigned i = 0; i < n; ++i)
      if (row[i]) out[i] = std::string(row[i], len[i]);
    rows.push_back(std::move(out));
  }
  mysql_free_result(r);
  return rows;
}

std::optional<std::string> DbClient::scalar(const std::string& sql) {
  auto rows = query(sql);
  if (rows.empty() || rows[0].empty()) return std::nullopt;
  return rows[0][0];
}

void DbClient::stream_start(const std::string& sql) {
  if (mysql_real_query(my_, sql.data(), sql.size()) != 0) fail(sql);
  stream_ = mysql_use_result(my_);
  if (!stream_) fail(sql);
}

bool DbClient::stream_next(std::vector<const char*>& cells, std::vector<unsigned long>& lengths) {
  MYSQL_ROW row = mysql_fetch_row(stream_);
  if (!row) {
    if (mysql_errno(my_)) fail("reading rows");
    return false;
  }
  unsigned n = mysql_num_fields(stream_);
  unsigned long* len = mysql_fetch_lengths(stream_);
  cells.assign(row, row + n);
  lengths.assign(len, len + n);
  return true;
}

void DbClient::stream_end() {
  if (stream_) { mysql_free_result(stream_); stream_ = nullptr; }
}

void DbClient::send_command(int command, const std::string& payload) {
  if (my_->methods->db_command(my_, static_cast<enum enum_server_command>(command), payload.data(),
                               payload.size(), 1, nullptr) != 0)
    fail("sending the binlog dump request");
}

std::string_view DbClient::read_packet() {
  unsigned long n = mysql_net_read_packet(my_);
  if (n == packet_error || n == static_cast<unsigned long>(~0UL)) fail("reading the binlog stream");
  return {reinterpret_cast<const char*>(my_->net.read_pos), n};
}

void DbClient::interrupt() {
  if (socket_ >= 0) ::shutdown(socket_, SHUT_RDWR);
}

std::string DbClient::server_version() const { return my_ ? mysql_get_server_info(my_) : ""; }

bool DbClient::is_mariadb() const {
  return server_version().find("MariaDB") != std::string::npos;
}

bool mysql_gtid_mode_on(DbClient& db) {
  if (db.is_mariadb()) return false;
  try {
    return db.scalar("SELECT @@global.gtid_mode").value_or("OFF") == "ON";
  } catch (const DbError& e) {
    if (e.code() == 1193) return false;  // unknown system variable: before MySQL 5.6
    throw;
  }
}

std::string quote_identifier(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

}  // namespace sluice::mysql::cdc
