#include "runtime/worker/submitted_records.h"

#include "runtime/worker/offset_codec.h"

namespace sluice::worker {

namespace {
constexpr size_t kMaxPointerCache = 4096;
}

SubmittedRecords::Partition& SubmittedRecords::partition_for(
    const std::shared_ptr<const api::OffsetMap>& p) {
  if (auto it = by_ptr_.find(p.get()); it != by_ptr_.end()) return *it->second.second;
  static const api::OffsetMap kEmpty;
  std::string key = encode_partition_key(connector_, p ? *p : kEmpty);
  auto& slot = by_key_[key];
  if (!slot) {
    slot = std::make_unique<Partition>();
    slot->key = key;
  }
  if (by_ptr_.size() >= kMaxPointerCache) by_ptr_.clear();
  by_ptr_.emplace(p.get(), std::make_pair(p, slot.get()));
  return *slot;
}

SubmittedRecords::Entry* SubmittedRecords::submit(const std::shared_ptr<const api::OffsetMap>& partition,
                                                  api::SourceRecord record) {
  Partition& part = partition_for(partition);
  part.queue.push_back(Entry{&part, std::move(record), false});
  ++in_flight_;
  return &part.queue.back();
}

void SubmittedRecords::abandon(Entry* e) {
  auto& q = e->partition->queue;
  if (!q.empty() && &q.back() == e) {
    q.pop_back();
    --in_flight_;
  }
}

void SubmittedRecords::ack(Entry* e) {
  e->acked = true;
  --in_flight_;
  Partition& part = *e->partition;
  // Advance over the acknowledged prefix; its last offset is now committable.
  while (!part.queue.empty() && part.queue.front().acked) {
    part.committable = std::move(part.queue.front().record.source_offset);
    part.dirty = true;
    part.queue.pop_front();
  }
}

std::vector<std::pair<std::string, api::OffsetMap>> SubmittedRecords::take_committable() {
  std::vector<std::pair<std::string, api::OffsetMap>> out;
  for (auto& [key, part] : by_key_) {
    if (!part->dirty || !part->committable) continue;
    out.emplace_back(key, *part->committable);
    part->dirty = false;
  }
  return out;
}

void SubmittedRecords::restore(std::vector<std::pair<std::string, api::OffsetMap>> entries) {
  for (auto& [key, offset] : entries) {
    auto it = by_key_.find(key);
    if (it == by_key_.end()) continue;
    // A newer committable offset supersedes the one that failed to flush.
    if (!it->second->dirty) {
      it->second->committable = std::move(offset);
      it->second->dirty = true;
    }
  }
}

}  // namespace sluice::worker
