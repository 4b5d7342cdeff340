#include "runtime/common/error.h"

namespace sluice {

const char* stage_name(Stage s) {
  switch (s) {
    case Stage::None: return "NONE";
    case Stage::TaskPoll: return "TASK_POLL";
    case Stage::Transformation: return "TRANSFORMATION";
    case Stage::KeyConverter: return "KEY_CONVERTER";
    case Stage::ValueConverter: return "VALUE_CONVERTER";
    case Stage::HeaderConverter: return "HEADER_CONVERTER";
    case Stage::KafkaProduce: return "KAFKA_PRODUCE";
    case Stage::OffsetCommit: return "OFFSET_COMMIT";
    case Stage::Config: return "CONFIG";
    case Stage::Plugin: return "PLUGIN";
  }
  return "UNKNOWN";
}

}  // namespace sluice
