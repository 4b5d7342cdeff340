#include "storage/kafka/records.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <cstring>

namespace sluice::storage {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void put(Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

std::string done(rapidjson::StringBuffer& b) { return {b.GetString(), b.GetSize()}; }

Result<rapidjson::Document> parse_object(std::string_view json, const char* what) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  if (d.HasParseError() || !d.IsObject())
    return Error::fatal(std::string("not a JSON object in a ") + what + " record");
  return d;
}

std::optional<int> parse_int(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::optional<TargetState> state_from(std::string_view s) {
  if (s == "STARTED") return TargetState::Started;
  if (s == "PAUSED") return TargetState::Paused;
  if (s == "STOPPED") return TargetState::Stopped;
  return std::nullopt;
}

// "<connector>-<id>" from the end: the last '-' separates the task id.
bool split_task(std::string_view rest, std::string& connector, int& task) {
  auto dash = rest.rfind('-');
  if (dash == std::string_view::npos) return false;
  auto id = parse_int(rest.substr(dash + 1));
  if (!id) return false;
  connector = std::string(rest.substr(0, dash));
  task = *id;
  return true;
}

}  // namespace

const char* target_state_name(TargetState s) {
  switch (s) {
    case TargetState::Started: return "STARTED";
    case TargetState::Paused: return "PAUSED";
    case TargetState::Stopped: return "STOPPED";
  }
  return "STARTED";
}

std::string connector_key(std::string_view c) { return "connector-" + std::string(c); }
std::string target_state_key(std::string_view c) { return "target-state-" + std::string(c); }
std::string task_key(std::string_view c, int t) { return "task-" + std::string(c) + "-" + std::to_string(t); }
std::string commit_key(std::string_view c) { return "commit-" + std::string(c); }
std::string restart_key(std::string_view c) { return "restart-connector-" + std::string(c); }

ConfigKey parse_config_key(std::string_view key) {
  ConfigKey k;
  auto rest_after = [&](std::string_view prefix) { return std::string(key.substr(prefix.size())); };
  if (key.starts_with("target-state-")) {
    k.kind = ConfigKey::TargetState;
    k.connector = rest_after("target-state-");
  } else if (key.starts_with("connector-")) {
    k.kind = ConfigKey::Connector;
    k.connector = rest_after("connector-");
  } else if (key.starts_with("task-")) {
    if (split_task(key.substr(5), k.connector, k.task)) k.kind = ConfigKey::Task;
  } else if (key.starts_with("commit-")) {
    k.kind = ConfigKey::Commit;
    k.connector = rest_after("commit-");
  } else if (key.starts_with("restart-connector-")) {
    k.kind = ConfigKey::Restart;
    k.connector = rest_after("restart-connector-");
  } else if (key.starts_with("tasks-fencing-")) {
    k.kind = ConfigKey::TasksFencing;
    k.connector = rest_after("tasks-fencing-");
  } else if (key == "session-key") {
    k.kind = ConfigKey::SessionKey;
  } else if (key.starts_with("logger-cluster-")) {
    k.kind = ConfigKey::LoggerCluster;
    k.connector = rest_after("logger-cluster-");
  }
  return k;
}

std::string encode_properties(const Properties& props) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("properties");
  w.StartObject();
  for (auto& [k, v] : props) {
    put(w, k);
    put(w, v);
  }
  w.EndObject();
  w.EndObject();
  return done(b);
}

Result<Properties> decode_properties(std::string_view json) {
  auto d = parse_object(json, "configuration");
  if (!d) return d.error();
  auto it = d->FindMember("properties");
  if (it == d->MemberEnd() || !it->value.IsObject())
    return Error::fatal("a configuration record without a \"properties\" object");
  Properties out;
  for (auto m = it->value.MemberBegin(); m != it->value.MemberEnd(); ++m) {
    std::string k(m->name.GetString(), m->name.GetStringLength());
    if (m->value.IsNull()) continue;
    if (m->value.IsString()) {
      out[k] = std::string(m->value.GetString(), m->value.GetStringLength());
    } else {  // a number or boolean an older writer left unquoted: keep its JSON text
      rapidjson::StringBuffer b;
      Writer w(b);
      m->value.Accept(w);
      out[k] = done(b);
    }
  }
  return out;
}

std::string encode_target_state(TargetState s) {
  // STOPPED is new in 3.5: older readers see "state" and take PAUSED.
  std::string v1 = s == TargetState::Stopped ? "PAUSED" : target_state_name(s);
  return std::string("{\"state\":\"") + v1 + "\",\"state.v2\":\"" + target_state_name(s) + "\"}";
}

Result<TargetState> decode_target_state(std::string_view json) {
  auto d = parse_object(json, "target state");
  if (!d) return d.error();
  for (const char* field : {"state.v2", "state"}) {
    auto it = d->FindMember(field);
    if (it == d->MemberEnd() || !it->value.IsString()) continue;
    if (auto s = state_from({it->value.GetString(), it->value.GetStringLength()})) return *s;
    return Error::fatal(std::string("unknown target state ") + it->value.GetString());
  }
  return Error::fatal("a target state record without a state");
}

std::string encode_commit(int tasks) { return "{\"tasks\":" + std::to_string(tasks) + "}"; }

Result<int> decode_commit(std::string_view json) {
  auto d = parse_object(json, "commit");
  if (!d) return d.error();
  auto it = d->FindMember("tasks");
  if (it == d->MemberEnd() || !it->value.IsInt64() || it->value.GetInt64() < 0 || it->value.GetInt64() > 1 << 20)
    return Error::fatal("a commit record without a valid task count");
  return static_cast<int>(it->value.GetInt64());
}

std::string encode_restart(const RestartRequest& r) {
  return std::string("{\"include-tasks\":") + (r.include_tasks ? "true" : "false") +
         ",\"only-failed\":" + (r.only_failed ? "true" : "false") + "}";
}

Result<RestartRequest> decode_restart(std::string_view json) {
  auto d = parse_object(json, "restart");
  if (!d) return d.error();
  auto flag = [&](const char* name) {
    auto it = d->FindMember(name);
    return it != d->MemberEnd() && it->value.IsBool() && it->value.GetBool();
  };
  return RestartRequest{flag("include-tasks"), flag("only-failed")};
}

namespace {
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}

std::string base64_encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t n = static_cast<uint8_t>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<uint8_t>(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= static_cast<uint8_t>(in[i + 2]);
    out += kB64[(n >> 18) & 63];
    out += kB64[(n >> 12) & 63];
    out += i + 1 < in.size() ? kB64[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kB64[n & 63] : '=';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view in) {
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < in.size(); i += 4) {
    uint32_t n = 0;
    int pad = 0;
    for (size_t j = 0; j < 4; ++j) {
      char c = in[i + j];
      int v;
      if (c == '=' && i + 4 == in.size() && j >= 2) {
        ++pad;
        v = 0;
      } else {
        if (pad) return std::nullopt;  // data after padding
        const char* p = c ? std::strchr(kB64, c) : nullptr;
        if (!p) return std::nullopt;
        v = static_cast<int>(p - kB64);
      }
      n = (n << 6) | static_cast<uint32_t>(v);
    }
    out += static_cast<char>((n >> 16) & 0xff);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(n & 0xff);
  }
  return out;
}

std::string encode_session_key(const SessionKeyRecord& k) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();  // Java's SESSION_KEY_V0 struct, fields in schema order
  w.Key("key");
  put(w, base64_encode(k.key));
  w.Key("algorithm");
  put(w, k.algorithm);
  w.Key("creation-timestamp");
  w.Int64(k.creation_timestamp);
  w.EndObject();
  return done(b);
}

Result<SessionKeyRecord> decode_session_key(std::string_view json) {
  auto d = parse_object(json, "session key");
  if (!d) return d.error();
  auto key = d->FindMember("key");
  auto alg = d->FindMember("algorithm");
  auto ts = d->FindMember("creation-timestamp");
  if (key == d->MemberEnd() || !key->value.IsString() || alg == d->MemberEnd() || !alg->value.IsString() ||
      ts == d->MemberEnd() || !ts->value.IsInt64())
    return Error::fatal("a session key record without key, algorithm and creation-timestamp");
  auto raw = base64_decode({key->value.GetString(), key->value.GetStringLength()});
  if (!raw || raw->empty()) return Error::fatal("a session key record whose key is not base64");
  return SessionKeyRecord{*raw, std::string(alg->value.GetString(), alg->value.GetStringLength()),
                          ts->value.GetInt64()};
}

std::string connector_status_key(std::string_view c) { return "status-connector-" + std::string(c); }
std::string task_status_key(std::string_view c, int t) {
  return "status-task-" + std::string(c) + "-" + std::to_string(t);
}

StatusKey parse_status_key(std::string_view key) {
  StatusKey k;
  if (key.starts_with("status-connector-")) {
    k.kind = StatusKey::Connector;
    k.connector = std::string(key.substr(17));
  } else if (key.starts_with("status-task-")) {
    if (split_task(key.substr(12), k.connector, k.task)) k.kind = StatusKey::Task;
  } else if (key.starts_with("status-topic-")) {
    auto rest = key.substr(13);
    auto colon = rest.find(':');
    if (colon != std::string_view::npos && rest.substr(colon + 1).starts_with("connector-")) {
      k.kind = StatusKey::Topic;
      k.topic = std::string(rest.substr(0, colon));
      k.connector = std::string(rest.substr(colon + 11));
    }
  }
  return k;
}

std::string topic_status_key(std::string_view topic, std::string_view connector) {
  return "status-topic-" + std::string(topic) + ":connector-" + std::string(connector);
}

std::string encode_topic_status(const TopicStatusValue& v) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("topic");
  w.StartObject();  // Java's TopicStatus struct, fields in schema order
  w.Key("name");
  put(w, v.topic);
  w.Key("connector");
  put(w, v.connector);
  w.Key("task");
  w.Int(v.task);
  w.Key("discoverTimestamp");
  w.Int64(v.discover_timestamp);
  w.EndObject();
  w.EndObject();
  return done(b);
}

Result<TopicStatusValue> decode_topic_status(std::string_view json) {
  auto d = parse_object(json, "topic status");
  if (!d) return d.error();
  auto t = d->FindMember("topic");
  if (t == d->MemberEnd() || !t->value.IsObject()) return Error::fatal("a topic status record without a \"topic\" object");
  auto& o = t->value;
  auto name = o.FindMember("name");
  auto conn = o.FindMember("connector");
  if (name == o.MemberEnd() || !name->value.IsString() || conn == o.MemberEnd() || !conn->value.IsString())
    return Error::fatal("a topic status record without a topic name or connector");
  TopicStatusValue v;
  v.topic = std::string(name->value.GetString(), name->value.GetStringLength());
  v.connector = std::string(conn->value.GetString(), conn->value.GetStringLength());
  if (auto task = o.FindMember("task"); task != o.MemberEnd() && task->value.IsInt()) v.task = task->value.GetInt();
  if (auto ts = o.FindMember("discoverTimestamp"); ts != o.MemberEnd() && ts->value.IsInt64())
    v.discover_timestamp = ts->value.GetInt64();
  return v;
}

std::string encode_status(const StatusValue& v) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("state");
  put(w, v.state);
  w.Key("trace");
  if (v.trace) put(w, *v.trace);
  else w.Null();
  w.Key("worker_id");
  put(w, v.worker_id);
  w.Key("generation");
  w.Int64(v.generation);
  w.EndObject();
  return done(b);
}

Result<StatusValue> decode_status(std::string_view json) {
  auto d = parse_object(json, "status");
  if (!d) return d.error();
  StatusValue v;
  auto str = [&](const char* name) -> std::optional<std::string> {
    auto it = d->FindMember(name);
    if (it == d->MemberEnd() || !it->value.IsString()) return std::nullopt;
    return std::string(it->value.GetString(), it->value.GetStringLength());
  };
  auto state = str("state");
  if (!state) return Error::fatal("a status record without a state");
  v.state = *state;
  v.trace = str("trace");
  v.worker_id = str("worker_id").value_or("");
  auto g = d->FindMember("generation");
  if (g != d->MemberEnd() && g->value.IsInt64()) v.generation = g->value.GetInt64();
  return v;
}

}  // namespace sluice::storage
