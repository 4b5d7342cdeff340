#include "runtime/worker/durable_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <vector>

#include "runtime/kafka/topic_log.h"
#include "runtime/worker/worker_config.h"

namespace sluice::worker {
namespace {

class FileLog : public api::DurableLog {
 public:
  FileLog(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~FileLog() override { ::close(fd_); }

  api::Status append(std::string_view key, std::string_view value) override {
    std::string rec;
    put_u32(rec, static_cast<uint32_t>(key.size()));
    rec.append(key);
    put_u32(rec, static_cast<uint32_t>(value.size()));
    rec.append(value);
    size_t done = 0;
    while (done < rec.size()) {
      ssize_t n = ::write(fd_, rec.data() + done, rec.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return api::Status::failed("write " + path_ + ": " + std::strerror(errno));
      done += static_cast<size_t>(n);
    }
    return api::Status::ok();
  }

  api::Status flush() override {
    if (::fsync(fd_) != 0) return api::Status::failed("fsync " + path_ + ": " + std::strerror(errno));
    return api::Status::ok();
  }

  api::Status read_all(const std::function<void(std::string_view, std::string_view)>& visit) override {
    std::ifstream in(path_, std::ios::binary);
    if (!in) return api::Status::failed("cannot read " + path_);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t pos = 0;
    while (true) {
      std::string_view key, value;
      if (!take(data, pos, key) || !take(data, pos, value)) break;  // end, or a torn record
      visit(key, value);
    }
    return api::Status::ok();
  }

 private:
  public:
  // Length of the complete records at the start of the file.
  static size_t valid_length(const std::string& d) {
    size_t pos = 0;
    std::string_view k, v;
    while (true) {
      size_t start = pos;
      if (!take(d, pos, k) || !take(d, pos, v)) return start;
    }
  }

 private:

  static void put_u32(std::string& s, uint32_t v) {
    for (int i = 3; i >= 0; --i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  static bool take(const std::string& d, size_t& pos, std::string_view& out) {
    if (d.size() - pos < 4) return false;
    uint32_t n = 0;
    for (int i = 0; i < 4; ++i) n = (n << 8) | static_cast<unsigned char>(d[pos + i]);
    if (d.size() - pos - 4 < n) return false;
    out = std::string_view(d).substr(pos + 4, n);
    pos += 4 + n;
    return true;
  }

  std::string path_;
  int fd_;
};

class KafkaLog : public api::DurableLog {
 public:
  explicit KafkaLog(std::unique_ptr<kafka::TopicLog> log) : log_(std::move(log)) {}
  api::Status append(std::string_view key, std::string_view value) override {
    return convert(log_->append(key, value));
  }
  api::Status flush() override { return convert(log_->flush()); }
  api::Status read_all(const std::function<void(std::string_view, std::string_view)>& visit) override {
    return convert(log_->read_all(visit));
  }

 private:
  static api::Status convert(const Status& s) {
    if (s) return api::Status::ok();
    return s.error().retriable ? api::Status::retriable(s.error().message)
                               : api::Status::failed(s.error().message);
  }
  std::unique_ptr<kafka::TopicLog> log_;
};

}  // namespace

std::unique_ptr<api::DurableLog> open_kafka_log(const std::string& topic, const api::Config& settings,
                                                std::string& error) {
  auto base = kafka::common_client_settings(settings);
  auto prod = kafka::translate_producer(with_prefix(settings, "producer."), "producer.");
  auto cons = kafka::translate_common(with_prefix(settings, "consumer."), "consumer.");
  for (const Status& st : {base ? Status() : Status(base.error()), prod ? Status() : Status(prod.error()),
                           cons ? Status() : Status(cons.error())})
    if (!st) {
      error = st.error().message;
      return nullptr;
    }
  kafka::RdProps producer = *base, consumer = *base;
  producer.insert(producer.end(), prod->begin(), prod->end());
  consumer.insert(consumer.end(), cons->begin(), cons->end());
  int64_t timeout = 30000;
  if (auto it = settings.find("request.timeout.ms"); it != settings.end()) timeout = std::atoll(it->second.c_str());
  auto log = kafka::TopicLog::open(topic, producer, consumer, static_cast<int>(timeout));
  if (!log) {
    error = log.error().message;
    return nullptr;
  }
  return std::make_unique<KafkaLog>(std::move(*log));
}

std::unique_ptr<api::DurableLog> open_file_log(const std::string& path, std::string& error) {
  {
    // Cut a record torn by a crash, so what is appended next stays readable.
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      size_t good = FileLog::valid_length(data);
      if (good < data.size() && ::truncate(path.c_str(), static_cast<off_t>(good)) != 0) {
        error = "cannot repair " + path + ": " + std::strerror(errno);
        return nullptr;
      }
    }
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = "cannot open " + path + ": " + std::strerror(errno);
    return nullptr;
  }
  return std::make_unique<FileLog>(path, fd);
}

}  // namespace sluice::worker
