#pragma once
// A MariaDB Connector/C connection: connect (auth, TLS), run statements, read results (small
// ones whole, large ones row by row with mysql_use_result), and raw packet I/O for the binlog
// dump. Errors throw DbError with the server's or the library's code and message.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct st_mysql;
struct st_mysql_res;

namespace sluice::mysql::cdc {

struct Options;

class DbError : public std::runtime_error {
 public:
  DbError(unsigned code, const std::string& message) : std::runtime_error(message), code_(code) {}
  unsigned code() const { return code_; }

 private:
  unsigned code_;
};

using Row = std::vector<std::optional<std::string>>;

class DbClient {
 public:
  DbClient() = default;
  ~DbClient();
  DbClient(const DbClient&) = delete;
  DbClient& operator=(const DbClient&) = delete;

  // read_timeout_s 0: the library default (none).
  void connect(const Options& o, int read_timeout_s = 0);
  void close();
  bool connected() const { return my_ != nullptr; }

  void execute(const std::string& sql);
  std::vector<Row> query(const std::string& sql);
  // The first row's first column, or nullopt when there is no row.
  std::optional<std::string> scalar(const std::string& sql);

  // Row by row (mysql_use_result): memory bounded whatever the result size.
  void stream_start(const std::string& sql);
  // Fills `cells`/`lengths` with views valid until the next call; false at the end.
  bool stream_next(std::vector<const char*>& cells, std::vector<unsigned long>& lengths);
  void stream_end();

  // Sends a command packet (COM_BINLOG_DUMP and friends) and reads raw packets.
  void send_command(int command, const std::string& payload);
  // One packet: its bytes (first byte 0x00 data, 0xFE end of stream). Throws on errors.
  std::string_view read_packet();
  // From another thread: unblocks a read in progress (the connection is dead afterwards).
  void interrupt();

  std::string server_version() const;
  bool is_mariadb() const;

 private:
  [[noreturn]] void fail(const std::string& what);
  st_mysql* my_ = nullptr;
  st_mysql_res* stream_ = nullptr;
  int socket_ = -1;
};

// A MySQL server (not MariaDB) with gtid_mode=ON; false where the variable does not exist (5.5).
bool mysql_gtid_mode_on(DbClient& db);

// 'text' quoted as a SQL string literal / identifier.
std::string quote_identifier(std::string_view name);

}  // namespace sluice::mysql::cdc
