#include "rest/entities.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>

namespace sluice::rest {
namespace {

// Jackson's default nesting limit (StreamReadConstraints); also bounds Accept()'s recursion.
constexpr int kMaxDepth = 1000;

bool is_valid_utf8(std::string_view s) {
  size_t i = 0, n = s.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) { ++i; continue; }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return false;
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

class Json {
 public:
  Json() : w_(buf_) {}
  Json& begin_object() { w_.StartObject(); return *this; }
  Json& end_object() { w_.EndObject(); return *this; }
  Json& begin_array() { w_.StartArray(); return *this; }
  Json& end_array() { w_.EndArray(); return *this; }
  Json& key(std::string_view k) {
    if (is_valid_utf8(k)) {
      w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
    } else {
      std::string v = valid_utf8(k);
      w_.Key(v.data(), static_cast<rapidjson::SizeType>(v.size()));
    }
    return *this;
  }
  Json& str(std::string_view s) {
    if (is_valid_utf8(s)) {
      w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    } else {
      std::string v = valid_utf8(s);
      w_.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
    }
    return *this;
  }
  Json& str_or_null(const std::optional<std::string>& s) {
    if (s) str(*s); else w_.Null();
    return *this;
  }
  Json& null() { w_.Null(); return *this; }
  Json& boolean(bool b) { w_.Bool(b); return *this; }
  Json& integer(int64_t v) { w_.Int64(v); return *this; }
  // Valid compact JSON produced by this file.
  Json& raw(const std::string& json, rapidjson::Type type) {
    w_.RawValue(json.data(), json.size(), type);
    return *this;
  }
  Json& strings(const std::vector<std::string>& items) {
    begin_array();
    for (auto& s : items) str(s);
    return end_array();
  }
  Json& config(const herder::Config& c) {
    begin_object();
    for (auto& [k, v] : c) key(k).str(v);
    return end_object();
  }
  std::string done() { return std::string(buf_.GetString(), buf_.GetSize()); }

 private:
  rapidjson::StringBuffer buf_;
  rapidjson::Writer<rapidjson::StringBuffer> w_;
};

// SAX events into a Writer, numbers kept as their text (RapidJSON 1.1's Writer::RawNumber
// would quote them).
struct CopyHandler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, CopyHandler> {
  explicit CopyHandler(rapidjson::Writer<rapidjson::StringBuffer>& w) : w(w) {}
  bool Null() { return w.Null(); }
  bool Bool(bool b) { return w.Bool(b); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) { return w.RawValue(s, n, rapidjson::kNumberType); }
  bool String(const char* s, rapidjson::SizeType n, bool) { return w.String(s, n); }
  bool StartObject() { return w.StartObject(); }
  bool Key(const char* s, rapidjson::SizeType n, bool) { return w.Key(s, n); }
  bool EndObject(rapidjson::SizeType n) { return w.EndObject(n); }
  bool StartArray() { return w.StartArray(); }
  bool EndArray(rapidjson::SizeType n) { return w.EndArray(n); }
  rapidjson::Writer<rapidjson::StringBuffer>& w;
};

// Re-writes JSON text compactly, numbers exactly as written. nullopt when it is not JSON.
std::optional<std::string> compact_json(const std::string& text) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buf);
  CopyHandler w(writer);
  rapidjson::Reader reader;
  rapidjson::StringStream in(text.c_str());
  constexpr unsigned kFlags = rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseIterativeFlag |
                            rapidjson::kParseValidateEncodingFlag;
  if (!reader.Parse<kFlags>(in, w) || in.Tell() != text.size()) return std::nullopt;
  return std::string(buf.GetString(), buf.GetSize());
}

// A value that may come from a herder as JSON text: itself if it is JSON, else as a string.
void json_or_string(Json& j, const std::string& text) {
  if (auto c = compact_json(text)) {
    j.raw(*c, rapidjson::kObjectType);
  } else {
    j.str(text);
  }
}

void state_fields(Json& j, const std::string& state, const std::string& worker_id,
                  const std::string& trace) {
  j.key("state").str(state).key("worker_id").str(worker_id);
  if (!trace.empty()) j.key("trace").str(trace);
}

void connector_state(Json& j, const herder::ConnectorState& s) {
  j.begin_object().key("name").str(s.name).key("connector").begin_object();
  state_fields(j, s.state, s.worker_id, s.trace);
  j.end_object().key("tasks").begin_array();
  for (auto& t : s.tasks) {
    j.begin_object().key("id").integer(t.id);
    state_fields(j, t.state, t.worker_id, t.trace);
    j.end_object();
  }
  j.end_array().key("type").str(s.type).end_object();
}

void config_key(Json& j, const api::ConfigKey& k) {
  j.begin_object().key("name").str(k.name).key("type").str(api::config_type_name(k.type));
  j.key("required").boolean(!k.default_value.has_value() && !k.null_default);
  j.key("default_value");
  if (!k.default_value) j.null();
  else if (k.type == api::ConfigType::Password) j.str("[hidden]");
  else j.str(*k.default_value);
  j.key("importance").str(api::importance_name(k.importance));
  j.key("documentation").str(k.documentation);
  j.key("group");
  if (k.group.empty()) j.null(); else j.str(k.group);
  j.key("width").str(api::width_name(k.width));
  j.key("display_name").str(k.display_name.empty() ? k.name : k.display_name);
  j.key("dependents").strings(k.dependents);
  j.key("order").integer(k.order_in_group);
  j.end_object();
}

// ---- decoding helpers ----

// A body Jackson cannot read into Connect's entity (not JSON, the wrong JSON types, unknown
// fields): no Connect exception, so Connect's exception mapper answers 500.
Error unreadable(std::string msg) { return Error::with_status(500, std::move(msg)); }

// Deepest nesting of arrays/objects, strings skipped.
int nesting_depth(std::string_view s) {
  int depth = 0, max = 0;
  bool in_string = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      max = std::max(max, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return max;
}

template <unsigned Flags>
Result<rapidjson::Document> parse_document(std::string_view body) {
  if (nesting_depth(body) > kMaxDepth)
    return unreadable("Unparsable JSON body: nesting deeper than " + std::to_string(kMaxDepth) +
                      " levels");
  rapidjson::Document doc;
  constexpr unsigned kFlags = Flags | rapidjson::kParseIterativeFlag |
                              rapidjson::kParseValidateEncodingFlag;
  doc.Parse<kFlags>(body.data(), body.size());
  if (doc.HasParseError())
    return unreadable(std::string("Unparsable JSON body: ") +
                      rapidjson::GetParseError_En(doc.GetParseError()) + " (at offset " +
                      std::to_string(doc.GetErrorOffset()) + ")");
  return doc;
}

const char* kind(const rapidjson::Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType: return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType: return "a boolean";
    case rapidjson::kObjectType: return "an object";
    case rapidjson::kArrayType: return "an array";
    case rapidjson::kStringType: return "a string";
    case rapidjson::kNumberType: return "a number";
  }
  return "a value";
}

std::string as_string(const rapidjson::Value& v) {
  return std::string(v.GetString(), v.GetStringLength());
}

// A scalar as Jackson coerces it into a String (numbers are strings: parsed with
// kParseNumbersAsStringsFlag). nullopt for null; an error for objects and arrays.
Result<std::optional<std::string>> scalar_string(const rapidjson::Value& v, std::string_view what) {
  if (v.IsNull()) return std::optional<std::string>();
  if (v.IsString()) return std::optional<std::string>(as_string(v));
  if (v.IsBool()) return std::optional<std::string>(v.GetBool() ? "true" : "false");
  if (v.IsNumber()) {  // only without kParseNumbersAsStringsFlag
    rapidjson::StringBuffer b;
    rapidjson::Writer<rapidjson::StringBuffer> w(b);
    v.Accept(w);
    return std::optional<std::string>(std::string(b.GetString(), b.GetSize()));
  }
  return unreadable("Cannot read the request body: " + std::string(what) +
                    " must be a string, got " + kind(v));
}

Result<ConfigBody> config_from(const rapidjson::Value& v) {
  if (!v.IsObject())
    return unreadable(std::string("Cannot read the request body: expected a JSON object of "
                                  "configuration keys and values, got ") + kind(v));
  ConfigBody out;
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    std::string key = as_string(it->name);
    auto value = scalar_string(it->value, "the value of '" + key + "'");
    if (!value) return value.error();
    auto nk = std::find(out.null_keys.begin(), out.null_keys.end(), key);
    if (*value) {
      if (nk != out.null_keys.end()) out.null_keys.erase(nk);
      out.values[key] = std::move(**value);
    } else {
      out.values.erase(key);  // a later duplicate wins, as in Jackson
      if (nk == out.null_keys.end()) out.null_keys.push_back(key);
    }
  }
  return out;
}

Error unknown_field(const std::string& field, const char* known) {
  return unreadable("Cannot read the request body: unrecognized field \"" + field +
                    "\" (known fields: " + known + ")");
}

std::string compact_value(const rapidjson::Value& v) {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  v.Accept(w);
  return std::string(b.GetString(), b.GetSize());
}

}  // namespace

std::string valid_utf8(std::string_view s) {
  if (is_valid_utf8(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  size_t i = 0;
  while (i < s.size()) {
    // Find the longest valid sequence starting here (1..4 bytes).
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len != 0 && i + len <= s.size() && is_valid_utf8(s.substr(i, len))) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

std::string render_error(int code, std::string_view message) {
  Json j;
  j.begin_object().key("error_code").integer(code).key("message").str(message).end_object();
  return j.done();
}

std::string render_server_info(const herder::ServerInfo& info) {
  Json j;
  j.begin_object().key("version").str(info.version).key("commit").str(info.commit);
  j.key("kafka_cluster_id").str(info.kafka_cluster_id).end_object();
  return j.done();
}

std::string render_health(std::string_view status, std::string_view message) {
  Json j;
  j.begin_object().key("status").str(status).key("message").str(message).end_object();
  return j.done();
}

std::string render_strings(const std::vector<std::string>& items) {
  Json j;
  j.strings(items);
  return j.done();
}

std::string render_config(const herder::Config& config) {
  Json j;
  j.config(config);
  return j.done();
}

std::string render_connector_info(const herder::ConnectorInfo& info) {
  Json j;
  j.begin_object().key("name").str(info.name).key("config").config(info.config);
  j.key("tasks").begin_array();
  for (auto& t : info.tasks)
    j.begin_object().key("connector").str(t.connector).key("task").integer(t.task).end_object();
  j.end_array().key("type").str(info.type).end_object();
  return j.done();
}

std::string render_connector_state(const herder::ConnectorState& state) {
  Json j;
  connector_state(j, state);
  return j.done();
}

std::string render_task_state(const herder::TaskState& t) {
  Json j;
  j.begin_object().key("id").integer(t.id);
  state_fields(j, t.state, t.worker_id, t.trace);
  j.end_object();
  return j.done();
}

std::string render_expanded(const std::vector<Expansion>& connectors) {
  Json j;
  j.begin_object();
  for (auto& c : connectors) {
    j.key(c.name).begin_object();
    if (c.status_json) j.key("status").raw(*c.status_json, rapidjson::kObjectType);
    if (c.info_json) j.key("info").raw(*c.info_json, rapidjson::kObjectType);
    j.end_object();
  }
  j.end_object();
  return j.done();
}

std::string render_task_infos(const std::vector<herder::TaskConfig>& tasks) {
  Json j;
  j.begin_array();
  for (auto& t : tasks) {
    j.begin_object().key("id").begin_object().key("connector").str(t.id.connector);
    j.key("task").integer(t.id.task).end_object().key("config").config(t.config).end_object();
  }
  j.end_array();
  return j.done();
}

std::string render_tasks_config(const std::vector<herder::TaskConfig>& tasks) {
  Json j;
  j.begin_object();
  for (auto& t : tasks) j.key(t.id.connector + "-" + std::to_string(t.id.task)).config(t.config);
  j.end_object();
  return j.done();
}

std::string render_offsets(const std::vector<herder::PartitionOffset>& offsets) {
  Json j;
  j.begin_object().key("offsets").begin_array();
  for (auto& o : offsets) {
    j.begin_object().key("partition");
    json_or_string(j, o.partition_json);
    j.key("offset");
    if (o.offset_json) json_or_string(j, *o.offset_json); else j.null();
    j.end_object();
  }
  j.end_array().end_object();
  return j.done();
}

std::string render_message(std::string_view message) {
  Json j;
  j.begin_object().key("message").str(message).end_object();
  return j.done();
}

std::string render_topics(const std::string& connector, const std::vector<std::string>& topics) {
  Json j;
  j.begin_object().key(connector).begin_object().key("topics").strings(topics).end_object();
  j.end_object();
  return j.done();
}

std::string render_plugins(const std::vector<herder::PluginInfo>& plugins) {
  Json j;
  j.begin_array();
  for (auto& p : plugins) {
    j.begin_object().key("class").str(p.class_name).key("type").str(p.type);
    if (!p.version.empty() && p.version != "undefined") j.key("version").str(p.version);
    j.end_object();
  }
  j.end_array();
  return j.done();
}

std::string render_config_keys(const std::vector<api::ConfigKey>& keys) {
  Json j;
  j.begin_array();
  for (auto& k : keys) config_key(j, k);
  j.end_array();
  return j.done();
}

std::string render_config_infos(const api::ConfigInfos& infos) {
  Json j;
  j.begin_object().key("name").str(infos.name).key("error_count").integer(infos.error_count);
  j.key("groups").strings(infos.groups).key("configs").begin_array();
  for (auto& c : infos.configs) {
    j.begin_object().key("definition");
    if (c.definition.name.empty()) j.null(); else config_key(j, c.definition);
    const auto& v = c.value;
    j.key("value").begin_object().key("name").str(v.name).key("value");
    if (v.value && !c.definition.name.empty() && c.definition.type == api::ConfigType::Password)
      j.str("[hidden]");
    else
      j.str_or_null(v.value);
    j.key("recommended_values").strings(v.recommended_values);
    j.key("errors").strings(v.errors).key("visible").boolean(v.visible).end_object();
    j.end_object();
  }
  j.end_array().end_object();
  return j.done();
}

static void logger_level(Json& j, const Loggers::LoggerLevel& l) {
  j.begin_object().key("level").str(l.level).key("last_modified");
  if (l.last_modified) j.integer(*l.last_modified); else j.null();
  j.end_object();
}

std::string render_loggers(const std::map<std::string, Loggers::LoggerLevel>& loggers) {
  Json j;
  j.begin_object();
  for (auto& [name, level] : loggers) {
    j.key(name);
    logger_level(j, level);
  }
  j.end_object();
  return j.done();
}

std::string render_logger(const Loggers::LoggerLevel& level) {
  Json j;
  logger_level(j, level);
  return j.done();
}

std::string java_map_string(const herder::Config& config, const std::vector<std::string>& null_keys) {
  std::map<std::string, std::optional<std::string>> all(config.begin(), config.end());
  for (auto& k : null_keys) all[k] = std::nullopt;
  std::string out = "{";
  bool first = true;
  for (auto& [k, v] : all) {
    if (!first) out += ", ";
    first = false;
    out += k + "=" + (v ? *v : "null");
  }
  return out + "}";
}

Result<ConfigBody> parse_config(std::string_view body) {
  auto doc = parse_document<rapidjson::kParseNumbersAsStringsFlag>(body);
  if (!doc) return doc.error();
  return config_from(*doc);
}

Result<CreateRequest> parse_create_request(std::string_view body) {
  auto doc = parse_document<rapidjson::kParseNumbersAsStringsFlag>(body);
  if (!doc) return doc.error();
  if (!doc->IsObject())
    return unreadable(std::string("Cannot read the request body: expected a JSON object, got ") +
                      kind(*doc));
  CreateRequest out;
  for (auto it = doc->MemberBegin(); it != doc->MemberEnd(); ++it) {
    std::string field = as_string(it->name);
    const auto& v = it->value;
    if (field == "name") {
      auto s = scalar_string(v, "\"name\"");
      if (!s) return s.error();
      out.name = std::move(*s);
    } else if (field == "config") {
      if (v.IsNull()) {
        out.config.reset();
        continue;
      }
      auto c = config_from(v);
      if (!c) return c.error();
      out.config = std::move(*c);
    } else if (field == "initial_state") {
      auto s = scalar_string(v, "\"initial_state\"");
      if (!s) return s.error();
      if (!*s) {
        out.initial_state.reset();
        continue;
      }
      std::string upper = **s;
      for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      if (upper == "RUNNING") out.initial_state = herder::InitialState::Running;
      else if (upper == "PAUSED") out.initial_state = herder::InitialState::Paused;
      else if (upper == "STOPPED") out.initial_state = herder::InitialState::Stopped;
      else
        return unreadable("Cannot read the request body: invalid initial_state '" + **s +
                          "', expected RUNNING, PAUSED or STOPPED");
    } else {
      return unknown_field(field, "\"name\", \"config\", \"initial_state\"");
    }
  }
  return out;
}

Result<std::vector<herder::PartitionOffset>> parse_offsets(std::string_view body) {
  auto doc = parse_document<0>(body);
  if (!doc) return doc.error();
  if (!doc->IsObject())
    return unreadable(std::string("Cannot read the request body: expected a JSON object, got ") +
                      kind(*doc));
  std::vector<herder::PartitionOffset> out;
  for (auto it = doc->MemberBegin(); it != doc->MemberEnd(); ++it) {
    std::string field = as_string(it->name);
    if (field != "offsets") return unknown_field(field, "\"offsets\"");
    const auto& list = it->value;
    out.clear();
    if (list.IsNull()) continue;
    if (!list.IsArray())
      return unreadable(std::string("Cannot read the request body: \"offsets\" must be an array, got ") +
                        kind(list));
    for (const auto& entry : list.GetArray()) {
      if (!entry.IsObject())
        return unreadable(std::string("Cannot read the request body: each offsets entry must be "
                                      "an object, got ") + kind(entry));
      herder::PartitionOffset po;
      bool has_partition = false;
      for (auto m = entry.MemberBegin(); m != entry.MemberEnd(); ++m) {
        std::string name = as_string(m->name);
        const auto& v = m->value;
        if (name == "partition") {
          if (v.IsNull()) {
            has_partition = false;
            continue;
          }
          if (!v.IsObject())
            return unreadable(std::string("Cannot read the request body: \"partition\" must be "
                                          "an object, got ") + kind(v));
          po.partition_json = compact_value(v);
          has_partition = true;
        } else if (name == "offset") {
          if (v.IsNull()) {
            po.offset_json.reset();
            continue;
          }
          if (!v.IsObject())
            return unreadable(std::string("Cannot read the request body: \"offset\" must be an "
                                          "object or null, got ") + kind(v));
          po.offset_json = compact_value(v);
        } else {
          return unknown_field(name, "\"partition\", \"offset\"");
        }
      }
      if (!has_partition) po.partition_json.clear();  // null: the herder decides, as in Connect
      out.push_back(std::move(po));
    }
  }
  return out;
}

Result<std::optional<std::string>> parse_log_level(std::string_view body) {
  auto c = parse_config(body);
  if (!c) return c.error();
  auto it = c->values.find("level");
  if (it == c->values.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

}  // namespace sluice::rest
