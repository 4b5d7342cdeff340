#pragma once
// FrameQueue: how a source task's reader thread hands what it read (binlog events,
// replication messages) to poll(), which turns them into records.
//
// Why bytes and not records: glibc's allocator is slow when one thread allocates what another
// frees (each free goes back to the allocating thread's arena under its lock), and the worker
// frees records on the task's thread, after converting them. So records are best built there
// too: the reader thread only reads its connection, answers its server and copies frames into
// blocks, which are reused and never freed; poll() decodes them.
//
// Frames travel in blocks (one lock and one wake-up per block, not per frame), in order. At
// most `max_frames` frames wait in published blocks; publish() blocks beyond that, calling
// `while_blocked` about every 200 ms so the reader can keep its connection alive. A frame
// carries a tag and a position of the plugin's choosing. A barrier lets the reader wait until
// poll() has handled everything before a point (e.g. before reconnecting from the position
// poll() reached).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::api {

class FrameQueue {
 public:
  struct Frame {
    uint8_t tag = 0;
    uint64_t position = 0;
    std::string_view bytes;  // valid until the next call of next()
  };

  explicit FrameQueue(size_t max_frames) : max_frames_(max_frames ? max_frames : 1) {}

  // Reader thread. add() appends to the open block and never blocks.
  void add(uint8_t tag, uint64_t position, std::string_view bytes = {});
  size_t open_frames() const { return open_frames_; }
  size_t open_bytes() const { return open_.size(); }
  // Hands the open block over. False when stopping (its frames are dropped: a restart reads
  // them again).
  bool publish(const std::atomic<bool>& stopping, const std::function<void()>& while_blocked);
  // After publishing a frame that poll() answers with barrier_passed(): waits for that.
  // False when stopping.
  bool wait_barrier(const std::atomic<bool>& stopping);

  // poll()'s thread. Waits up to `wait` when no frame is ready; false if none came.
  bool next(Frame& out, std::chrono::milliseconds wait);
  void barrier_passed();

  // Wakes both sides (stop, failure).
  void wake();

 private:
  struct Block {
    std::string bytes;
    size_t frames = 0;
  };
  bool load_next_block(std::chrono::milliseconds wait);

  const size_t max_frames_;
  // Reader thread only.
  std::string open_;
  size_t open_frames_ = 0;
  // poll()'s thread only.
  Block current_;
  size_t read_at_ = 0;
  // Shared.
  std::mutex mu_;
  std::condition_variable ready_, room_;
  std::deque<Block> published_;
  size_t published_frames_ = 0;
  std::vector<std::string> spare_;  // emptied blocks, capacity kept, for the next open block
  uint64_t barriers_sent_ = 0, barriers_passed_ = 0;
};

}  // namespace sluice::api
