#include "runtime/worker/offset_codec.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/writer.h>

namespace sluice::worker {
namespace {

// Appends straight into a std::string.
struct StringSink {
  using Ch = char;
  std::string& s;
  void Put(char c) { s.push_back(c); }
  void Flush() {}
};

using Writer = rapidjson::Writer<StringSink>;

void write_value(Writer& w, std::string& out, const api::Value& v) {
  using K = api::Value::Kind;
  switch (v.kind()) {
    case K::Null: w.Null(); break;
    case K::Boolean: w.Bool(v.as_bool()); break;
    case K::Int8: case K::Int16: case K::Int32: case K::Int64: {
      int64_t i = 0;
      v.get_integer(i);
      w.Int64(i);
      break;
    }
    case K::Float32: case K::Float64: {
      std::string text = v.kind() == K::Float32 ? api::java_float_string(v.as_float32())
                                               : api::java_double_string(v.as_float64());
      w.RawValue(text.data(), text.size(), rapidjson::kNumberType);
      break;
    }
    case K::String: w.String(v.as_string().data(), static_cast<rapidjson::SizeType>(v.as_string().size())); break;
    default:
      // Connect rejects nested values in offsets; render a string so nothing is lost silently.
      w.String("<unsupported offset value>");
      break;
  }
  (void)out;
}

void write_map(Writer& w, std::string& out, const api::OffsetMap& m) {
  w.StartObject();
  for (auto& [k, v] : m) {
    w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
    write_value(w, out, v);
  }
  w.EndObject();
}

Result<api::OffsetMap> object_to_map(const rapidjson::Value& obj) {
  api::OffsetMap out;
  for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
    std::string key(it->name.GetString(), it->name.GetStringLength());
    const auto& v = it->value;
    if (v.IsNull()) out.emplace_back(key, api::Value());
    else if (v.IsBool()) out.emplace_back(key, api::Value::boolean(v.GetBool()));
    else if (v.IsInt64()) out.emplace_back(key, api::Value::int64(v.GetInt64()));
    else if (v.IsUint64()) out.emplace_back(key, api::Value::int64(static_cast<int64_t>(v.GetUint64())));
    else if (v.IsNumber()) out.emplace_back(key, api::Value::float64(v.GetDouble()));
    else if (v.IsString()) out.emplace_back(key, api::Value::string(std::string(v.GetString(), v.GetStringLength())));
    else return Error::fatal("offset field " + key + " is not a primitive value", Stage::OffsetCommit);
  }
  return out;
}

}  // namespace

std::string encode_partition_key(std::string_view connector, const api::OffsetMap& partition) {
  std::string out;
  StringSink sink{out};
  Writer w(sink);
  w.StartArray();
  w.String(connector.data(), static_cast<rapidjson::SizeType>(connector.size()));
  write_map(w, out, partition);
  w.EndArray();
  return out;
}

std::string encode_offset(const api::OffsetMap& offset) {
  std::string out;
  StringSink sink{out};
  Writer w(sink);
  write_map(w, out, offset);
  return out;
}

Result<api::OffsetMap> decode_offset(std::string_view json) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  if (d.HasParseError())
    return Error::fatal(std::string("offset is not JSON: ") + rapidjson::GetParseError_En(d.GetParseError()),
                        Stage::OffsetCommit);
  if (!d.IsObject()) return Error::fatal("offset is not a JSON object", Stage::OffsetCommit);
  return object_to_map(d);
}

Result<DecodedKey> decode_partition_key(std::string_view json) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  if (d.HasParseError() || !d.IsArray() || d.Size() != 2 || !d[0].IsString() ||
      !(d[1].IsObject() || d[1].IsNull()))
    return Error::fatal("not an offsets key of the form [connector, partition]", Stage::OffsetCommit);
  DecodedKey k;
  k.connector.assign(d[0].GetString(), d[0].GetStringLength());
  if (d[1].IsObject()) {
    auto m = object_to_map(d[1]);
    if (!m) return m.error();
    k.partition = std::move(*m);
  }
  return k;
}

}  // namespace sluice::worker
