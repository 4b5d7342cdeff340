#pragma once
// The standalone worker's saved connectors: JSON beside the offsets file, written atomically
// (temp file, fsync, rename, directory fsync).
//   {"connectors":[{"name":"a","config":{...},"target_state":"STARTED"}]}

#include <map>
#include <string>
#include <vector>

#include "runtime/common/error.h"

namespace sluice::herder {

struct SavedConnector {
  std::string name;
  std::map<std::string, std::string> config;
  std::string target_state;  // STARTED, PAUSED, STOPPED
};

Status save_connectors_file(const std::string& path, const std::vector<SavedConnector>& connectors);
// A missing file is an empty list.
Result<std::vector<SavedConnector>> load_connectors_file(const std::string& path);

}  // namespace sluice::herder
