#include "plugins/api/frame_queue.h"

#include <catch2/catch.hpp>

#include <thread>

using sluice::api::FrameQueue;
using namespace std::chrono_literals;

namespace {
std::string frame_text(int i) { return "frame-" + std::to_string(i) + std::string(static_cast<size_t>(i % 50), 'x'); }
}  // namespace

TEST_CASE("frames arrive in order with their tag, position and bytes across threads") {
  FrameQueue q(100);
  std::atomic<bool> stopping{false};
  constexpr int kFrames = 20000;
  std::thread reader([&] {
    for (int i = 0; i < kFrames; ++i) {
      q.add(static_cast<uint8_t>(i % 3), static_cast<uint64_t>(i) * 7, frame_text(i));
      if (q.open_frames() >= 37 || i + 1 == kFrames) REQUIRE(q.publish(stopping, nullptr));
    }
  });
  FrameQueue::Frame f;
  for (int i = 0; i < kFrames; ++i) {
    REQUIRE(q.next(f, 5s));
    REQUIRE(f.tag == i % 3);
    REQUIRE(f.position == static_cast<uint64_t>(i) * 7);
    REQUIRE(f.bytes == frame_text(i));
  }
  CHECK_FALSE(q.next(f, 10ms));
  reader.join();
}

TEST_CASE("publish blocks while max_frames wait, calling while_blocked, and stop releases it") {
  FrameQueue q(10);
  std::atomic<bool> stopping{false};
  for (int i = 0; i < 10; ++i) q.add(0, i);
  REQUIRE(q.publish(stopping, nullptr));
  q.add(0, 10);
  std::atomic<int> blocked_calls{0};
  std::atomic<bool> published{false}, result{true};
  std::thread reader([&] {
    result = q.publish(stopping, [&] { ++blocked_calls; });
    published = true;
  });
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (blocked_calls.load() < 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
  CHECK(blocked_calls.load() >= 2);
  CHECK_FALSE(published.load());
  stopping = true;
  q.wake();
  reader.join();
  CHECK_FALSE(result.load());
}

TEST_CASE("taking a block makes room; a frame larger than the bound still passes alone") {
  FrameQueue q(2);
  std::atomic<bool> stopping{false};
  for (int i = 0; i < 5; ++i) q.add(1, i);  // 5 frames > max 2: goes through as the queue is empty
  REQUIRE(q.publish(stopping, nullptr));
  q.add(1, 5);
  std::thread reader([&] { REQUIRE(q.publish(stopping, nullptr)); });
  FrameQueue::Frame f;
  for (uint64_t i = 0; i < 6; ++i) {
    REQUIRE(q.next(f, 5s));
    CHECK(f.position == i);
  }
  reader.join();
}

TEST_CASE("a barrier waits until poll's side passed it") {
  FrameQueue q(100);
  std::atomic<bool> stopping{false};
  q.add(0, 1, "before");
  q.add(9, 0);
  REQUIRE(q.publish(stopping, nullptr));
  std::atomic<bool> passed{false};
  std::thread reader([&] {
    REQUIRE(q.wait_barrier(stopping));
    passed = true;
  });
  std::this_thread::sleep_for(300ms);
  CHECK_FALSE(passed.load());
  FrameQueue::Frame f;
  REQUIRE(q.next(f, 1s));
  CHECK(f.bytes == "before");
  REQUIRE(q.next(f, 1s));
  CHECK(f.tag == 9);
  q.barrier_passed();
  reader.join();
  CHECK(passed.load());
}

TEST_CASE("next() gives up after its wait when nothing is published") {
  FrameQueue q(4);
  q.add(0, 0, "unpublished");
  FrameQueue::Frame f;
  auto t = std::chrono::steady_clock::now();
  CHECK_FALSE(q.next(f, 50ms));
  CHECK(std::chrono::steady_clock::now() - t >= 40ms);
}
