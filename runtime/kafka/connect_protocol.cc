#include "runtime/kafka/connect_protocol.h"

#include <cctype>

#include "runtime/kafka/wire.h"

namespace sluice::kafka {

const char* connect_protocol_name(ConnectProtocol p) {
  switch (p) {
    case ConnectProtocol::Eager: return "default";
    case ConnectProtocol::Compatible: return "compatible";
    case ConnectProtocol::Sessioned: return "sessioned";
  }
  return "default";
}

std::optional<ConnectProtocol> connect_protocol_from_name(std::string_view name) {
  if (name == "default") return ConnectProtocol::Eager;
  if (name == "compatible") return ConnectProtocol::Compatible;
  if (name == "sessioned") return ConnectProtocol::Sessioned;
  return std::nullopt;
}

std::optional<ConnectProtocol> parse_connect_protocol_setting(std::string_view value) {
  std::string v;
  for (char c : value) v.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (v == "eager") return ConnectProtocol::Eager;
  if (v == "compatible") return ConnectProtocol::Compatible;
  if (v == "sessioned") return ConnectProtocol::Sessioned;
  return std::nullopt;
}

namespace {

// Each array element is at least: connector STRING (2) + tasks count (4).
constexpr size_t kMinConnectorEntry = 6;

void write_connector_tasks(Writer& w, const std::vector<ConnectorTasks>& list) {
  w.i32(static_cast<int32_t>(list.size()));
  for (const auto& ct : list) {
    w.string(ct.connector);
    w.i32(static_cast<int32_t>(ct.tasks.size()));
    for (int32_t t : ct.tasks) w.i32(t);
  }
}

std::vector<ConnectorTasks> read_connector_tasks(Reader& r) {
  std::vector<ConnectorTasks> out;
  int32_t n = r.array_count(kMinConnectorEntry);
  for (int32_t i = 0; i < n && r.ok(); ++i) {
    ConnectorTasks ct;
    ct.connector = r.string();
    int32_t t = r.array_count(4);
    for (int32_t j = 0; j < t && r.ok(); ++j) ct.tasks.push_back(r.i32());
    out.push_back(std::move(ct));
  }
  return out;
}

}  // namespace

std::string encode_connect_assignment(const ConnectAssignment& a) {
  Writer w;
  w.i16(a.version);
  w.i16(a.error);
  w.string(a.leader);
  w.string(a.leader_url);
  w.i64(a.config_offset);
  write_connector_tasks(w, a.assigned);
  if (a.version >= 1) {
    write_connector_tasks(w, a.revoked);
    w.i32(a.delay_ms);
  }
  return w.take();
}

Result<ConnectAssignment> decode_connect_assignment(std::string_view bytes) {
  Reader r(bytes);
  ConnectAssignment a;
  a.version = r.i16();
  if (r.ok() && a.version < 0) return Error::fatal("Connect assignment: negative version " + std::to_string(a.version));
  a.error = r.i16();
  a.leader = r.string();
  a.leader_url = r.string();
  a.config_offset = r.i64();
  a.assigned = read_connector_tasks(r);
  if (r.ok() && !r.at_end()) {
    a.revoked = read_connector_tasks(r);
    if (r.ok() && !r.at_end()) a.delay_ms = r.i32();
  }
  if (!r.ok()) return Error::fatal("malformed Connect assignment: " + r.error());
  return a;
}

std::string encode_worker_metadata(const WorkerMetadata& m) {
  Writer w;
  w.i16(m.version);
  w.string(m.url);
  w.i64(m.config_offset);
  if (m.version >= 1) {
    if (m.allocation) {
      w.bytes(encode_connect_assignment(*m.allocation));
    } else {
      w.i32(-1);
    }
  }
  return w.take();
}

Result<WorkerMetadata> decode_worker_metadata(std::string_view bytes) {
  Reader r(bytes);
  WorkerMetadata m;
  m.version = r.i16();
  if (r.ok() && m.version < 0) return Error::fatal("Connect member metadata: negative version " + std::to_string(m.version));
  m.url = r.string();
  m.config_offset = r.i64();
  std::optional<std::string> alloc;
  if (r.ok() && !r.at_end()) alloc = r.nullable_bytes();
  if (!r.ok()) return Error::fatal("malformed Connect member metadata: " + r.error());
  if (alloc) {
    auto a = decode_connect_assignment(*alloc);
    if (!a.ok()) return Error::fatal("malformed allocation in Connect member metadata: " + a.error().message);
    m.allocation = std::move(*a);
  }
  return m;
}

std::vector<NamedMetadata> connect_join_protocols(ConnectProtocol setting, const WorkerMetadata& m) {
  std::vector<NamedMetadata> out;
  for (int v = static_cast<int>(setting); v >= 0; --v) {
    WorkerMetadata copy = m;
    copy.version = static_cast<int16_t>(v);
    if (v == 0) {
      copy.allocation.reset();
    } else if (copy.allocation) {
      copy.allocation->version = static_cast<int16_t>(v);
    }
    out.push_back({connect_protocol_name(static_cast<ConnectProtocol>(v)), encode_worker_metadata(copy)});
  }
  return out;
}

}  // namespace sluice::kafka
