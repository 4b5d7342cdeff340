#include "storage/file/offset_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <system_error>
#include <utility>

#include "runtime/common/log.h"
#include "storage/file/java_serialization.h"

namespace sluice::storage {

namespace {

constexpr std::string_view kLogContext = "file-offsets";

std::string errno_text(int err) {
  // std::generic_category().message() is thread-safe, unlike strerror().
  return std::error_code(err, std::generic_category()).message() + " (errno " +
         std::to_string(err) + ")";
}

Error open_error(const std::string& path, std::string what) {
  return Error::fatal("offsets file " + path + ": " + std::move(what));
}

Error save_error(const std::string& path, const std::string& op, const std::string& target,
                 int err, bool old_file_intact = true) {
  std::string msg = "offsets file " + path + ": cannot " + op + " " + target + ": " +
                    errno_text(err);
  msg += old_file_intact ? "; the previous offsets file is unchanged"
                         : "; the new offsets are in place but may not survive a crash";
  return Error::retry(std::move(msg), Stage::OffsetCommit);
}

// Reads the whole file; sets `missing` instead of failing when it does not exist.
Result<std::string> read_file(const std::string& path, bool& missing) {
  missing = false;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) {
      missing = true;
      return std::string();
    }
    return open_error(path, "cannot open: " + errno_text(err));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return open_error(path, "cannot stat: " + errno_text(err));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return open_error(path, "not a regular file");
  }
  std::string data;
  if (st.st_size > 0) data.reserve(static_cast<std::size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return open_error(path, "cannot read: " + errno_text(err));
    }
    if (n == 0) break;
    data.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return data;
}

bool write_all(int fd, std::string_view data, int& err) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      err = errno;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// <path>.tmp in the same directory, fsync, rename over <path>, fsync the directory.
Status write_file_atomically(const std::string& path, std::string_view data) {
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return save_error(path, "create", tmp, errno);

  auto abandon = [&](const char* op, int err) -> Status {
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    return save_error(path, op, tmp, err);
  };
  int err = 0;
  if (!write_all(fd, data, err)) return abandon("write", err);
  if (::fsync(fd) != 0) return abandon("fsync", errno);
  int rc = ::close(fd);
  fd = -1;
  if (rc != 0) return abandon("close", errno);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int rename_err = errno;
    ::unlink(tmp.c_str());
    return save_error(path, "rename " + tmp + " to", path, rename_err);
  }

  // Make the rename itself durable.
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return save_error(path, "open directory", dir.string(), errno, false);
  rc = ::fsync(dfd);
  err = errno;
  ::close(dfd);
  // Some file systems cannot fsync a directory (EINVAL); there is nothing more to do there.
  if (rc != 0 && err != EINVAL) {
    return save_error(path, "fsync directory", dir.string(), err, false);
  }
  return {};
}

}  // namespace

struct FileOffsetStore::State {
  mutable std::mutex mu;  // guards entries
  std::map<std::string, std::optional<std::string>, std::less<>> entries;
  std::mutex save_mu;     // one save at a time, each writing the latest snapshot
};

FileOffsetStore::FileOffsetStore(std::string path, std::unique_ptr<State> state)
    : path_(std::move(path)), state_(std::move(state)) {}
FileOffsetStore::FileOffsetStore(FileOffsetStore&&) noexcept = default;
FileOffsetStore& FileOffsetStore::operator=(FileOffsetStore&&) noexcept = default;
FileOffsetStore::~FileOffsetStore() = default;

Result<FileOffsetStore> FileOffsetStore::open(std::string path) {
  if (path.empty()) return Error::fatal("offsets file: offset.storage.file.filename is empty");
  auto state = std::make_unique<State>();
  bool missing = false;
  Result<std::string> data = read_file(path, missing);
  if (!data) return data.error();
  if (missing) {
    log::info(kLogContext, "no offsets file at ", path, " yet; starting with no offsets");
    return FileOffsetStore(std::move(path), std::move(state));
  }
  if (data->empty()) {
    log::warn(kLogContext, "offsets file ", path, " is empty; starting with no offsets");
    return FileOffsetStore(std::move(path), std::move(state));
  }
  if (data->size() < 2 || static_cast<unsigned char>((*data)[0]) != 0xAC ||
      static_cast<unsigned char>((*data)[1]) != 0xED) {
    return open_error(path, "not an offsets file: it does not start with 0xACED (a Java "
                            "serialization stream, as connect-standalone writes)");
  }
  Result<std::vector<ByteMapEntry>> read = read_java_byte_map(*data);
  if (!read) return open_error(path, read.error().message);
  std::size_t duplicates = 0;
  for (ByteMapEntry& e : *read) {
    auto [it, inserted] = state->entries.insert_or_assign(std::move(e.key), std::move(e.value));
    if (!inserted) ++duplicates;
  }
  if (duplicates > 0) {
    log::warn(kLogContext, "offsets file ", path, " holds ", duplicates,
              " duplicate keys; the last value of each is kept");
  }
  log::info(kLogContext, "loaded ", state->entries.size(), " offsets from ", path);
  return FileOffsetStore(std::move(path), std::move(state));
}

std::optional<std::string> FileOffsetStore::get(std::string_view key_bytes) const {
  std::lock_guard lock(state_->mu);
  auto it = state_->entries.find(key_bytes);
  if (it == state_->entries.end()) return std::nullopt;
  return it->second;
}

bool FileOffsetStore::contains(std::string_view key_bytes) const {
  std::lock_guard lock(state_->mu);
  return state_->entries.find(key_bytes) != state_->entries.end();
}

void FileOffsetStore::put(std::string key_bytes, std::optional<std::string> value_bytes) {
  std::lock_guard lock(state_->mu);
  state_->entries.insert_or_assign(std::move(key_bytes), std::move(value_bytes));
}

void FileOffsetStore::put_all(std::vector<OffsetEntry> batch) {
  std::lock_guard lock(state_->mu);
  for (OffsetEntry& e : batch) {
    state_->entries.insert_or_assign(std::move(e.key), std::move(e.value));
  }
}

std::vector<OffsetEntry> FileOffsetStore::entries() const {
  std::lock_guard lock(state_->mu);
  std::vector<OffsetEntry> out;
  out.reserve(state_->entries.size());
  for (const auto& [key, value] : state_->entries) out.push_back({key, value});
  return out;
}

std::size_t FileOffsetStore::size() const {
  std::lock_guard lock(state_->mu);
  return state_->entries.size();
}

Status FileOffsetStore::save() {
  std::lock_guard save_lock(state_->save_mu);
  Result<std::string> bytes = [&] {
    // Serializing under the lock is the snapshot; the file I/O happens without it.
    std::lock_guard lock(state_->mu);
    std::vector<ByteMapEntryView> views;
    views.reserve(state_->entries.size());
    for (const auto& [key, value] : state_->entries) {
      ByteMapEntryView& v = views.emplace_back();
      v.key = key;
      if (value) v.value = std::string_view(*value);
    }
    return write_java_byte_map(std::span<const ByteMapEntryView>(views));
  }();
  if (!bytes) {
    return Error::fatal("offsets file " + path_ + ": " + bytes.error().message,
                        Stage::OffsetCommit);
  }
  return write_file_atomically(path_, *bytes);
}

}  // namespace sluice::storage
