#pragma once
// Kafka Connect's group-protocol payloads (spec kafka-connect.md §3.3-3.4), byte for byte as
// Java's ConnectProtocol (v0, "default"/eager) and IncrementalCooperativeConnectProtocol
// (v1 "compatible", v2 "sessioned") write them: the member metadata sent in JoinGroup and
// the assignment sent in SyncGroup. Decoding accepts any bytes: a value or a clear error.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/common/error.h"

namespace sluice::kafka {

// connect.protocol: eager -> [default], compatible -> [compatible, default],
// sessioned -> [sessioned, compatible, default].
enum class ConnectProtocol : int16_t { Eager = 0, Compatible = 1, Sessioned = 2 };

// "default", "compatible", "sessioned" (the JoinGroup protocol names).
const char* connect_protocol_name(ConnectProtocol p);
// The metadata version of a JoinGroup protocol name (0, 1, 2), or nullopt if unknown.
std::optional<ConnectProtocol> connect_protocol_from_name(std::string_view name);
// Parses the connect.protocol property ("eager", "compatible", "sessioned"; any case).
std::optional<ConnectProtocol> parse_connect_protocol_setting(std::string_view value);

// Task id -1 stands for the Connector instance itself.
inline constexpr int32_t kConnectorTaskId = -1;

struct ConnectorTasks {
  std::string connector;
  std::vector<int32_t> tasks;
  bool operator==(const ConnectorTasks&) const = default;
};

struct ConnectAssignment {
  static constexpr int16_t kNoError = 0;
  static constexpr int16_t kConfigMismatch = 1;

  int16_t version = 1;  // 0 writes only the V0 fields
  int16_t error = kNoError;
  std::string leader;
  std::string leader_url;
  int64_t config_offset = -1;
  std::vector<ConnectorTasks> assigned;
  std::vector<ConnectorTasks> revoked;  // V1+
  int32_t delay_ms = 0;                 // V1+
  bool operator==(const ConnectAssignment&) const = default;
};

struct WorkerMetadata {
  int16_t version = 1;
  std::string url;
  int64_t config_offset = -1;
  // V1+: the member's current full assignment (encoded as an Assignment with the same
  // version), or nullopt for null.
  std::optional<ConnectAssignment> allocation;
  bool operator==(const WorkerMetadata&) const = default;
};

std::string encode_worker_metadata(const WorkerMetadata& m);
// Accepts any version >= 0 with the V1 layout; a missing trailing allocation is null.
Result<WorkerMetadata> decode_worker_metadata(std::string_view bytes);

std::string encode_connect_assignment(const ConnectAssignment& a);
// Accepts any version >= 0; missing trailing revoked/delay read as empty/0.
Result<ConnectAssignment> decode_connect_assignment(std::string_view bytes);

// The JoinGroup protocol list for a connect.protocol setting: one metadata per offered
// sub-protocol, highest first, each carrying that sub-protocol's version (the allocation is
// dropped from the v0 entry).
struct NamedMetadata {
  std::string name;
  std::string metadata;
};
std::vector<NamedMetadata> connect_join_protocols(ConnectProtocol setting, const WorkerMetadata& m);

}  // namespace sluice::kafka
