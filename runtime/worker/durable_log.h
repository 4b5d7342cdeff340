#pragma once
// DurableLog backed by a local file: records appended as [u32 key len][key][u32 value len]
// [value], fsynced on flush. A torn last record (a crash mid-append) is ignored on read.

#include <memory>
#include <string>

#include "plugins/api/connector.h"

namespace sluice::worker {

std::unique_ptr<api::DurableLog> open_file_log(const std::string& path, std::string& error);

}  // namespace sluice::worker
