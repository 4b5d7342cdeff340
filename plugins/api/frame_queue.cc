#include "plugins/api/frame_queue.h"

#include <cstring>

namespace sluice::api {

namespace {
// A frame in a block: tag (1 byte), position (8), length (4), then the bytes.
constexpr size_t kHeader = 1 + 8 + 4;
}  // namespace

void FrameQueue::add(uint8_t tag, uint64_t position, std::string_view bytes) {
  char head[kHeader];
  head[0] = static_cast<char>(tag);
  auto len = static_cast<uint32_t>(bytes.size());
  std::memcpy(head + 1, &position, 8);
  std::memcpy(head + 9, &len, 4);
  open_.append(head, kHeader);
  open_.append(bytes.data(), bytes.size());
  ++open_frames_;
}

bool FrameQueue::publish(const std::atomic<bool>& stopping, const std::function<void()>& while_blocked) {
  if (open_frames_ == 0) return true;
  std::unique_lock lock(mu_);
  // A block larger than the bound alone still goes through once the queue is empty.
  while (published_frames_ > 0 && published_frames_ + open_frames_ > max_frames_) {
    if (stopping.load()) return false;
    if (!room_.wait_for(lock, std::chrono::milliseconds(200), [&] {
          return published_frames_ == 0 || published_frames_ + open_frames_ <= max_frames_ || stopping.load();
        })) {
      lock.unlock();
      if (while_blocked) while_blocked();
      lock.lock();
    }
  }
  if (stopping.load()) return false;
  published_frames_ += open_frames_;
  published_.push_back(Block{std::move(open_), open_frames_});
  if (!spare_.empty()) {
    open_ = std::move(spare_.back());
    spare_.pop_back();
  } else {
    open_ = std::string();
  }
  open_.clear();
  open_frames_ = 0;
  ready_.notify_one();
  return true;
}

bool FrameQueue::wait_barrier(const std::atomic<bool>& stopping) {
  std::unique_lock lock(mu_);
  uint64_t want = ++barriers_sent_;
  while (barriers_passed_ < want) {
    if (stopping.load()) return false;
    room_.wait_for(lock, std::chrono::milliseconds(200));
  }
  return true;
}

bool FrameQueue::load_next_block(std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  if (published_.empty() && !ready_.wait_for(lock, wait, [&] { return !published_.empty(); })) return false;
  if (published_.empty()) return false;
  // The emptied block's buffer goes back for reuse by the replication thread.
  if (current_.bytes.capacity()) {
    current_.bytes.clear();
    spare_.push_back(std::move(current_.bytes));
  }
  current_ = std::move(published_.front());
  published_.pop_front();
  published_frames_ -= current_.frames;
  read_at_ = 0;
  room_.notify_all();
  return true;
}

bool FrameQueue::next(Frame& out, std::chrono::milliseconds wait) {
  if (read_at_ >= current_.bytes.size() && !load_next_block(wait)) return false;
  const char* p = current_.bytes.data() + read_at_;
  uint32_t len = 0;
  out.tag = static_cast<uint8_t>(p[0]);
  std::memcpy(&out.position, p + 1, 8);
  std::memcpy(&len, p + 9, 4);
  out.bytes = std::string_view(p + kHeader, len);
  read_at_ += kHeader + len;
  return true;
}

void FrameQueue::barrier_passed() {
  std::lock_guard lock(mu_);
  ++barriers_passed_;
  room_.notify_all();
}

void FrameQueue::wake() {
  std::lock_guard lock(mu_);
  ready_.notify_all();
  room_.notify_all();
}

}  // namespace sluice::api
