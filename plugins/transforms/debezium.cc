// Debezium's io.debezium.transforms.ExtractNewRecordState ("unwrap") and ByLogicalTableRouter, as
// in debezium-core 2.7. ../shared/spec/debezium.md §10 describes them; the goldens from the real
// classes (tests/golden/transforms.jsonl) pin the details:
//
//  - the output value of a c/u/r (and a rewritten d) always gets a new schema: the row schema's
//    name, version, doc and parameters and its fields, *required* (Debezium's addFields copies
//    the schema basics, which leave optionality out), then __deleted when rewriting, then the
//    add.fields, each optional with its source field's name, version, doc and parameters (no
//    default);
//  - rewriting fills a row's null fields with their schema defaults (Kafka's InsertField does
//    that); otherwise nulls stay null;
//  - a delete in "none"/"tombstone" mode keeps the row's own (optional) schema with a null value;
//  - truncates (before and after both null) are dropped, whatever the mode;
//  - add.headers are added to tombstones ("op" only, "d") and envelopes, before any dropping; a
//    tombstone right after its delete also gets the headers added to the delete first (Debezium
//    shares one headers object between the two and adds in place).
//
// Unwrapping is done in one pass (one new Struct per record) instead of Debezium's chain of
// ExtractField, InsertField and a copy; the derived schemas are cached per input schema.

#include <unordered_map>

#include "plugins/api/plugin.h"
#include "plugins/transforms/common.h"
#include "plugins/api/regex.h"
#include "plugins/transforms/transforms.h"

namespace sluice::transforms {
namespace {

using api::Config;
using api::ConfigDef;
using api::ConfigType;
using api::Importance;
using api::Schema;
using api::SchemaBuilder;
using api::SchemaPtr;
using api::SourceRecord;
using api::Struct;
using api::Type;
using api::Value;
using VK = Value::Kind;
namespace cv = api::config_value;

bool is_envelope(const SchemaPtr& s) {
  constexpr std::string_view suffix = ".Envelope";
  return s && s->name().size() >= suffix.size() &&
         std::string_view(s->name()).substr(s->name().size() - suffix.size()) == suffix;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// ---- add.fields / add.headers entries (AbstractExtractNewRecordState.FieldReference) --------

struct FieldReference {
  std::string struct_name;  // empty: a top-level envelope field
  std::string field;
  std::string new_field;

  FieldReference(const std::string& prefix, const std::string& spec) {
    auto parts = java_split(spec, ':');
    auto splits = java_split(parts.empty() ? "" : parts[0], '.');
    if (splits.empty()) splits.emplace_back();
    field = splits.size() == 1 ? splits[0] : splits[1];
    struct_name = splits.size() == 1 ? determine_struct(field) : splits[0];
    if (parts.size() <= 1) new_field = prefix + (splits.size() == 1 ? field : struct_name + "_" + field);
    else if (parts.size() == 2) new_field = prefix + parts[1];
    else throw std::invalid_argument("Unexpected field name: " + spec);
  }

  static std::string determine_struct(const std::string& f) {
    if (f == "id" || f == "total_order" || f == "data_collection_order") return "transaction";
    if (f == "op" || f == "ts_ms" || f == "ts_us" || f == "ts_ns") return "";
    if (f == "updateDescription") return "updateDescription";
    return "source";
  }

  static std::vector<FieldReference> parse(const std::string& prefix, const std::string& config) {
    std::vector<FieldReference> out;
    if (config.empty()) return out;
    size_t start = 0;
    // String.split(","): trailing empty entries go; each entry is trimmed.
    auto pieces = java_split(config, ',');
    for (auto& p : pieces) out.emplace_back(prefix, trim(p));
    (void)start;
    return out;
  }

  // The field in the envelope schema, as Debezium looks it up: in the named struct, else at the
  // top level. Null when neither has it.
  const api::Field* lookup(const Schema& envelope) const {
    const Schema* parent = &envelope;
    if (!struct_name.empty()) {
      const api::Field* s = envelope.field(struct_name);
      if (!s)
        throw std::runtime_error("Cannot invoke \"org.apache.kafka.connect.data.Field.schema()\" because the return "
                                 "value of \"org.apache.kafka.connect.data.Schema.field(String)\" is null");
      parent = s->schema.get();
    }
    if (parent->type() != Type::Struct) throw DataException("Cannot look up fields on non-struct type");
    if (const api::Field* f = parent->field(field)) return f;
    return envelope.field(field);
  }

  // copySchemaBasics(field schema).optional().
  static SchemaPtr schema_for(const api::Field& f) {
    SchemaBuilder b = copy_schema_basics(*f.schema);
    b.optional();
    return b.build();
  }

  Value value(const Struct& envelope) const {
    const Struct* parent = &envelope;
    if (!struct_name.empty()) {
      const Value& s = struct_get(envelope, struct_name, false);
      if (s.is_null()) return {};
      if (s.kind() != VK::Struct) throw std::runtime_error("class " + java_class_name(s) + " cannot be cast to class org.apache.kafka.connect.data.Struct");
      parent = &s.as_struct();
    }
    if (parent->schema()->field(field)) return struct_get(*parent, field, false);
    return struct_get(envelope, field, false);
  }
};

enum class Mode { Drop, Tombstone, Rewrite, RewriteWithTombstone, None };

class ExtractNewRecordState final : public api::Transformation {
 public:
  std::string version() const override { return kVersion; }

  ConfigDef config_def() const override {
    ConfigDef d;
    d.define(config_key("drop.tombstones", ConfigType::Boolean, "true", Importance::Low,
                        "Debezium by default generates a tombstone record to enable Kafka compaction after a delete "
                        "record was generated. This record is usually filtered out to avoid duplicates as a delete "
                        "record is converted to a tombstone record, tooNote: This option is scheduled for removal in "
                        "a future release, use \"delete.tombstone.handling.mode\" instead"));
    d.define(config_key("delete.handling.mode", ConfigType::String, "drop", Importance::Medium,
                        "How to handle delete records. Options are: none - records are passed,drop - records are "
                        "removed (the default),rewrite - __deleted field is added to records.Note: This option is "
                        "scheduled for removal in a future release, use \"delete.tombstone.handling.mode\" instead",
                        case_insensitive_valid_string({"drop", "rewrite", "none"})));
    d.define(config_key("route.by.field", ConfigType::String, "", Importance::Low,
                        "The column which determines how the events will be routed, the value will replace the topic "
                        "name."));
    d.define(config_key("add.fields.prefix", ConfigType::String, "__", Importance::Low,
                        "Adds this prefix to each field listed."));
    d.define(config_key("add.fields", ConfigType::List, "", Importance::Low,
                        "Adds each field listed, prefixed with __ (or __<struct>_ if the struct is specified). "
                        "Example: 'version,connector,source.ts_ms' would add __version, __connector and "
                        "__source_ts_ms fields. Optionally one can also map new field name like "
                        "version:VERSION,connector:CONNECTOR,source.ts_ms:EVENT_TIMESTAMP.Please note that the new "
                        "field name is case-sensitive.",
                        field_list_validator()));
    d.define(config_key("add.headers.prefix", ConfigType::String, "__", Importance::Low,
                        "Adds this prefix listed to each header."));
    d.define(config_key("add.headers", ConfigType::List, "", Importance::Low,
                        "Adds each field listed to the header,  __ (or __<struct>_ if the struct is specified). "
                        "Example: 'version,connector,source.ts_ms' would add __version, __connector and "
                        "__source_ts_ms fields. Optionally one can also map new field name like "
                        "version:VERSION,connector:CONNECTOR,source.ts_ms:EVENT_TIMESTAMP.Please note that the new "
                        "field name is case-sensitive.",
                        field_list_validator()));
    d.define(null_default_key("drop.fields.header.name", ConfigType::String, Importance::Low,
                              "Specifies the name of a header that contains a list of fields to be removed from the "
                              "event value."));
    d.define(config_key("drop.fields.from.key", ConfigType::Boolean, "false", Importance::Low,
                        "Specifies whether to apply the drop fields behavior to the event key as well as the value. "
                        "Default behavior is to only remove fields from the event value, not the key."));
    d.define(config_key("drop.fields.keep.schema.compatible", ConfigType::Boolean, "true", Importance::Low,
                        "Controls the output event's schema compatibility when using the drop fields feature. "
                        "`true`: dropped fields are removed if the schema indicates its optional leaving the schemas "
                        "unchanged, `false`: dropped fields are removed from the key/value schemas, regardless of "
                        "optionality."));
    // Debezium reads this key but leaves it out of its config(); Sluice declares it.
    d.define(null_default_key("delete.tombstone.handling.mode", ConfigType::String, Importance::Medium,
                              "How to handle delete records. Options are: drop - Remove the delete event and tombstone "
                              "from the stream.tombstone (default) - For each delete event, leave only a tombstone in "
                              "the stream.rewrite - Remove tombstone from the record, and add a `__deleted` field with "
                              "the value `true`.rewrite-with-tombstone - Retain tombstone in record and add a "
                              "`__deleted` field with the value `true`.",
                              case_insensitive_valid_string({"drop", "tombstone", "rewrite", "rewrite-with-tombstone"})));
    return d;
  }

  void configure(const Config& c) override {
    try {
      check_config(config_def(), c);
    } catch (const ConfigException& e) {
      throw ConfigException(std::string("Unable to validate config. ") + e.what());
    }
    if (has_value(c, "drop.fields.header.name") && !trim(c.at("drop.fields.header.name")).empty())
      throw ConfigException("drop.fields.header.name is not supported by Sluice's ExtractNewRecordState");
    fields_ = FieldReference::parse(get_string(c, "add.fields.prefix", "__"), get_string(c, "add.fields"));
    headers_ = FieldReference::parse(get_string(c, "add.headers.prefix", "__"), get_string(c, "add.headers"));
    route_by_ = get_string(c, "route.by.field");
    std::string modern = has_value(c, "delete.tombstone.handling.mode") ? trim(c.at("delete.tombstone.handling.mode")) : "";
    if (!modern.empty()) {
      std::string m = lower(modern);
      mode_ = m == "drop" ? Mode::Drop : m == "tombstone" ? Mode::Tombstone : m == "rewrite" ? Mode::Rewrite
                                                                                               : Mode::RewriteWithTombstone;
      drop_tombstones_ = mode_ != Mode::RewriteWithTombstone;
    } else {
      std::string m = lower(trim(get_string(c, "delete.handling.mode", "drop")));
      mode_ = m == "rewrite" ? Mode::Rewrite : m == "none" ? Mode::None : Mode::Drop;
      drop_tombstones_ = cv::get_bool(c, "drop.tombstones", true);
    }
    rewrite_ = mode_ == Mode::Rewrite || mode_ == Mode::RewriteWithTombstone;
    plain_.clear();
    rewritten_.clear();
    accessors_.clear();
  }

  void apply(SourceRecord& r, bool& drop) override {
    bool tombstone = r.value.is_null();
    bool envelope = is_envelope(r.value_schema);
    if ((envelope || tombstone) && !headers_.empty()) {
      // Debezium's connectors give a delete and its tombstone one ConnectHeaders object, and
      // ExtractNewRecordState adds its headers to it in place: on the JVM the tombstone carries
      // the headers added to the delete, then its own (e.g. __op, __db, __op).
      if (tombstone && delete_headers_ && delete_headers_->topic == r.topic && delete_headers_->key == r.key)
        r.headers.insert(r.headers.end(), delete_headers_->added.begin(), delete_headers_->added.end());
      delete_headers_.reset();
      size_t from = r.headers.size();
      add_headers(r, tombstone);
      if (envelope) {
        const Value& op = struct_get(require_struct(r.value, "header insertion"), "op", true);
        if (op.kind() == VK::String && op.as_string() == "d")
          delete_headers_ = DeleteHeaders{r.topic, r.key, {r.headers.begin() + from, r.headers.end()}};
      }
    }
    if (tombstone) {
      drop = drop_tombstones_;
      return;
    }
    if (!envelope) return;
    const Struct& env = require_struct(r.value, "field extraction");
    const api::Field* after_f = env.schema()->field("after");
    const api::Field* before_f = env.schema()->field("before");
    if (!after_f) throw std::invalid_argument("Unknown field: after");
    if (!before_f) throw std::invalid_argument("Unknown field: before");
    const Value& after = struct_get(env, *after_f);
    if (after.is_null()) {
      const Value& before = struct_get(env, *before_f);
      if (before.is_null()) {  // a truncate
        drop = true;
        return;
      }
      on_delete(r, drop, env, *before_f, before);
      return;
    }
    // c, u, r: the row after the change.
    std::optional<std::string> topic;
    if (!route_by_.empty()) topic = route_value(after, "Read record to set topic routing for CREATE / UPDATE");
    unwrap(r, env, *after_f, after, rewrite_ ? "false" : nullptr);
    if (topic && !is_blank(*topic)) r.topic = *topic;
  }

 private:
  static api::Validator field_list_validator() {
    return [](const std::string&, const std::string& v) -> std::optional<std::string> {
      try {
        FieldReference::parse("", v);
      } catch (const std::invalid_argument& e) {
        return std::string(e.what());
      }
      return std::nullopt;
    };
  }

  static bool is_blank(const std::string& s) { return trim(s).empty(); }

  void on_delete(SourceRecord& r, bool& drop, const Struct& env, const api::Field& before_f, const Value& before) {
    if (mode_ == Mode::Drop) {
      drop = true;
      return;
    }
    std::optional<std::string> topic;
    if (!route_by_.empty()) {
      // Debezium reads the routing column from the original event's "before".
      const Value& b = struct_get(env, "before", true);
      if (b.kind() != VK::Struct)
        throw std::runtime_error("Cannot invoke \"org.apache.kafka.connect.data.Struct.getString(String)\" because "
                                 "the return value of \"org.apache.kafka.connect.data.Struct.getStruct(String)\" is null");
      topic = route_value(b, "Read record to set topic routing for DELETE");
    }
    if (mode_ == Mode::None || mode_ == Mode::Tombstone) {
      // ExtractField of "after": the row schema, a null value. Nothing is added to a null value.
      r.value_schema = env.schema()->field("after")->schema;
      r.value = Value();
    } else {
      unwrap(r, env, before_f, before, "true");
    }
    if (topic && !is_blank(*topic)) r.topic = *topic;
  }

  std::string route_value(const Value& row, const char* purpose) const {
    const Struct& s = require_struct(row, purpose);
    const Value& v = struct_get(s, route_by_, true);
    if (v.is_null()) return {};
    if (v.kind() != VK::String)
      throw DataException("Field '" + route_by_ + "' is not of type STRING");
    return v.as_string();
  }

  // The new value: the row's fields (with their defaults when rewriting, as InsertField copies
  // them), __deleted when rewriting, then add.fields.
  void unwrap(SourceRecord& r, const Struct& env, const api::Field& row_f, const Value& row, const char* deleted) {
    if (row.kind() != VK::Struct) {
      // A non-struct row (MongoDB's JSON strings): ExtractField's result, nothing added.
      r.value_schema = row_f.schema;
      r.value = row;
      return;
    }
    const Struct& in = row.as_struct();
    const SchemaPtr& row_schema = in.schema();
    SchemaPair key{row_schema.get(), env.schema().get()};
    auto& cache = deleted ? rewritten_ : plain_;
    const SchemaPtr* out = cache.get(key);
    if (!out) out = &cache.put(key, {row_schema, env.schema()}, output_schema(*row_schema, *env.schema(), deleted != nullptr));
    const Schema& os = **out;
    Struct s(*out);
    const auto& fields = row_schema->fields();
    size_t i = 0;
    for (; i < fields.size(); ++i) {
      const Value& v = deleted ? struct_get(in, fields[i]) : in.get(i);
      if (v.is_null() && !fields[i].schema->optional()) validate_value(&fields[i].name, *fields[i].schema, v);
      s.put(i, v);
    }
    if (deleted) s.put(i++, Value::string(deleted));
    if (!fields_.empty()) {
      const std::vector<Accessor>& access = accessors(env.schema());
      for (size_t f = 0; f < fields_.size(); ++f) {
        const Accessor& a = access[f];
        if (!a.present) continue;
        Value v = a.read(env, fields_[f]);
        const api::Field& of = os.fields()[i];
        validate_add_field(of, fields_[f], v);
        s.put(i++, std::move(v));
      }
    }
    r.value_schema = *out;
    r.value = Value::structure(std::move(s));
  }

  // Debezium copies an added field's schema without its fields (copySchemaBasics), so an entry
  // naming a whole struct (add.fields=source) fails every record, on the JVM too. The failure
  // stays; the message adds what to write instead.
  static void validate_add_field(const api::Field& out, const FieldReference& ref, const Value& v) {
    try {
      validate_value(&out.name, *out.schema, v);
    } catch (const DataException& e) {
      if (out.schema->type() != Type::Struct) throw;
      throw DataException(std::string(e.what()) + " (add.fields entry '" + ref.field +
                          "' names a whole struct, which ExtractNewRecordState cannot copy; list "
                          "its fields instead, e.g. " + ref.field + ".ts_ms," + ref.field + ".table)");
    }
  }

  // Where an add.fields entry's value is in envelopes of one schema, found once per schema
  // instead of by name on every record.
  struct Accessor {
    bool present = false;        // the field exists (else it is left out, as Debezium does)
    int parent = -1;             // index of its struct in the envelope, -1 for a top-level field
    const Schema* parent_schema = nullptr;
    bool in_parent = false;      // found in the struct; else at the top level (Debezium's fallback)
    size_t index = 0;            // in the struct, or in the envelope

    Value read(const Struct& env, const FieldReference& ref) const {
      if (parent < 0) return env.get(index);
      const Value& p = env.get(static_cast<size_t>(parent));
      if (p.is_null()) return {};
      if (p.kind() != VK::Struct || p.as_struct().schema().get() != parent_schema) return ref.value(env);
      return in_parent ? p.as_struct().get(index) : env.get(index);
    }
  };

  const std::vector<Accessor>& accessors(const SchemaPtr& envelope) {
    auto it = accessors_.find(envelope.get());
    if (it != accessors_.end()) return it->second.second;
    std::vector<Accessor> out;
    for (auto& ref : fields_) {
      Accessor a;
      const api::Field* f = ref.lookup(*envelope);
      if (f) {
        a.present = true;
        if (!ref.struct_name.empty()) {
          const api::Field* st = envelope->field(ref.struct_name);
          a.parent = static_cast<int>(st->index);
          a.parent_schema = st->schema.get();
          a.in_parent = st->schema->type() == Type::Struct && st->schema->field(ref.field) != nullptr;
        }
        a.index = f->index;
      }
      out.push_back(a);
    }
    if (accessors_.size() >= 256) accessors_.clear();
    return accessors_.emplace(envelope.get(), std::make_pair(envelope, std::move(out))).first->second.second;
  }

  SchemaPtr output_schema(const Schema& row, const Schema& envelope, bool deleted) const {
    SchemaBuilder b = SchemaBuilder::structure();
    copy_schema_basics(row, b);
    auto add = [&](const std::string& name, SchemaPtr schema) {
      try {
        b.field(name, std::move(schema));
      } catch (const std::invalid_argument&) {
        throw DataException("Cannot create field because of field name duplication " + name);
      }
    };
    for (auto& f : row.fields()) add(f.name, f.schema);
    if (deleted) add("__deleted", api::schemas::optional_string());
    for (auto& ref : fields_)
      if (const api::Field* f = ref.lookup(envelope)) add(ref.new_field, FieldReference::schema_for(*f));
    return b.build();
  }

  void add_headers(SourceRecord& r, bool tombstone) const {
    for (auto& ref : headers_) {
      if (tombstone) {
        if (ref.field == "op") r.headers.push_back({ref.new_field, api::schemas::string(), Value::string("d")});
        continue;
      }
      const Struct& env = require_struct(r.value, "header insertion");
      if (const api::Field* f = ref.lookup(*r.value_schema))
        r.headers.push_back({ref.new_field, FieldReference::schema_for(*f), ref.value(env)});
    }
  }

  struct DeleteHeaders {
    std::string topic;
    Value key;
    std::vector<api::Header> added;
  };
  std::optional<DeleteHeaders> delete_headers_;  // what add.headers gave the last record, a delete
  std::vector<FieldReference> fields_, headers_;
  std::string route_by_;
  Mode mode_ = Mode::Drop;
  bool drop_tombstones_ = true;
  bool rewrite_ = false;
  SchemaCache<SchemaPair> plain_{256}, rewritten_{256};
  std::unordered_map<const Schema*, std::pair<SchemaPtr, std::vector<Accessor>>> accessors_;
};

// ---- ByLogicalTableRouter ------------------------------------------------------------------

class ByLogicalTableRouter final : public api::Transformation {
 public:
  std::string version() const override { return kVersion; }

  ConfigDef config_def() const override {
    ConfigDef d;
    // Debezium validates these two itself (configure fails with "Unable to validate config.");
    // declaring them required makes the validate endpoint say which one is missing.
    d.define(config_key("topic.regex", ConfigType::String, std::nullopt, Importance::Low,
                        "The regex used for extracting the name of the logical table from the original topic name.",
                        regex_validator()));
    d.define(config_key("topic.replacement", ConfigType::String, std::nullopt, Importance::Low,
                        "The replacement string used in conjunction with topic.regex. This will be used to create "
                        "the new topic name.",
                        non_empty_string()));
    d.define(config_key("key.enforce.uniqueness", ConfigType::Boolean, "true", Importance::Low,
                        "Augment each record's key with a field denoting the source topic. This field distinguishes "
                        "records coming from different physical tables which may otherwise have primary/unique key "
                        "conflicts. If the source tables are guaranteed to have globally unique keys then this may "
                        "be set to false to disable key rewriting."));
    d.define(null_default_key("key.field.regex", ConfigType::String, Importance::Low,
                              "The regex used for extracting the physical table identifier from the original topic "
                              "name. Now that multiple physical tables can share a topic, the event's key may need to "
                              "be augmented to include fields other than just those for the record's primary/unique "
                              "key, since these are not guaranteed to be unique across tables. We need some "
                              "identifier added to the key that distinguishes the different physical tables.",
                              [](const std::string& n, const std::string& v) -> std::optional<std::string> {
                                if (trim(v).empty()) return std::nullopt;
                                return regex_validator()(n, v);
                              }));
    d.define(null_default_key("key.field.replacement", ConfigType::String, Importance::Low,
                              "The replacement string used in conjunction with key.field.regex. This will be used to "
                              "create the physical table identifier in the record's key."));
    d.define(config_key("logical.table.cache.size", ConfigType::Int, "16", Importance::Low,
                        "The size used for holding the max entries in LRUCache. The cache will keep the old/new "
                        "schema for logical table key and value, also cache the derived key and topic regex result "
                        "for improving the source record transformation.",
                        api::validators::at_least(1)));
    d.define(config_key("key.field.name", ConfigType::String, "__dbz__physicalTableIdentifier", Importance::Low,
                        "Each record's key schema will be augmented with this field name. The purpose of this field "
                        "is to distinguish the different physical tables that can now share a single topic. Make "
                        "sure not to configure a field name that is at risk of conflict with existing key schema "
                        "field names."));
    d.define(config_key("schema.name.adjustment.mode", ConfigType::String, "none", Importance::Low,
                        "Specify how the message key schema names derived from the resulting topic name should be "
                        "adjusted for compatibility with the message converter used by the connector, "
                        "including:'avro' replaces the characters that cannot be used in the Avro type name with "
                        "underscore (default)'none' does not apply any adjustment",
                        case_insensitive_valid_string({"none", "avro", "avro_unicode"})));
    return d;
  }

  void configure(const Config& c) override {
    try {
      check_config(config_def(), c);
    } catch (const ConfigException& e) {
      throw ConfigException(std::string("Unable to validate config. ") + e.what());
    }
    std::string key_regex = trim(get_string(c, "key.field.regex"));
    std::string key_replacement = get_string(c, "key.field.replacement");
    if (!key_regex.empty() && trim(key_replacement).empty())
      throw ConfigException("Unable to validate config. key.field.replacement must be non-empty if key.field.regex is set.");
    std::string error;
    topic_regex_ = api::compile_java_regex(c.at("topic.regex"), error);
    if (!topic_regex_) throw ConfigException("topic.regex", c.at("topic.regex"), "Invalid regex: " + error);
    topic_replacement_ = c.at("topic.replacement");
    key_regex_.reset();
    if (!key_regex.empty()) {
      key_regex_ = api::compile_java_regex(get_string(c, "key.field.regex"), error);
      if (!key_regex_)
        throw ConfigException("key.field.regex", get_string(c, "key.field.regex"), "Invalid regex: " + error);
      key_replacement_ = key_replacement;
    }
    key_field_ = get_string(c, "key.field.name", "__dbz__physicalTableIdentifier");
    unique_ = cv::get_bool(c, "key.enforce.uniqueness", true);
    std::string adjust = lower(get_string(c, "schema.name.adjustment.mode", "none"));
    adjust_ = adjust == "avro" ? Adjust::Avro : adjust == "avro_unicode" ? Adjust::AvroUnicode : Adjust::None;
    topics_.clear();
    keys_.clear();
    envelopes_.clear();
  }

  void apply(SourceRecord& r, bool&) override {
    const std::string* routed = new_topic(r.topic);
    if (!routed || routed->empty()) return;
    std::string old_topic = r.topic;
    std::string topic = *routed;
    SchemaPtr key_schema;
    Value key;
    if (!r.key.is_null()) {
      const Struct& old_key = require_struct(r.key, "Updating schema");
      key_schema = derived(keys_, old_key.schema(), topic, [&] { return new_key_schema(*old_key.schema(), topic); });
      Struct k(key_schema);
      const auto& fields = old_key.schema()->fields();
      for (size_t i = 0; i < fields.size(); ++i) k.put(i, struct_get(old_key, fields[i]));
      if (unique_) k.put(fields.size(), Value::string(identifier(old_topic)));
      key = Value::structure(std::move(k));
    }
    r.key_schema = key_schema;
    r.key = std::move(key);
    r.topic = topic;
    if (r.value.is_null() || !is_envelope(r.value_schema)) return;
    const Struct& env = require_struct(r.value, "Updating schema");
    SchemaPtr env_schema = derived(envelopes_, env.schema(), topic, [&] { return new_envelope_schema(*env.schema(), topic); });
    const SchemaPtr& row_schema = env_schema->field("before")->schema;
    Struct out(env_schema);
    const auto& fields = env.schema()->fields();
    for (size_t i = 0; i < fields.size(); ++i) {
      const Value& v = struct_get(env, fields[i]);
      if ((fields[i].name == "before" || fields[i].name == "after") && !v.is_null()) {
        const Struct& row = require_struct(v, "Updating schema");
        Struct nr(row_schema);
        const auto& rf = row.schema()->fields();
        for (size_t j = 0; j < rf.size() && j < row_schema->fields().size(); ++j) nr.put(j, struct_get(row, rf[j]));
        out.put(i, Value::structure(std::move(nr)));
      } else {
        out.put(i, v);
      }
    }
    r.value_schema = env_schema;
    r.value = Value::structure(std::move(out));
  }

 private:
  enum class Adjust { None, Avro, AvroUnicode };
  struct Derived {
    SchemaPtr in;  // held so the pointer key stays valid
    std::string topic;
    SchemaPtr out;
  };
  using DerivedMap = std::unordered_map<const Schema*, Derived>;

  template <class F>
  SchemaPtr derived(DerivedMap& m, const SchemaPtr& in, const std::string& topic, F make) {
    auto it = m.find(in.get());
    if (it != m.end() && it->second.topic == topic) return it->second.out;
    if (m.size() >= 1024) m.clear();
    SchemaPtr out = make();
    m[in.get()] = Derived{in, topic, out};
    return out;
  }

  const std::string* new_topic(const std::string& topic) {
    auto it = topics_.find(topic);
    if (it != topics_.end()) return it->second ? &*it->second : nullptr;
    std::optional<std::string> to;
    if (topic_regex_->matches(topic)) {
      try {
        to = api::replace_first(*topic_regex_, topic, topic_replacement_);
      } catch (const api::ReplacementError& e) {
        throw std::runtime_error(e.java_class + ": " + e.what());
      }
    }
    if (topics_.size() >= 4096) topics_.clear();
    auto& slot = topics_[topic];
    slot = std::move(to);
    return slot ? &*slot : nullptr;
  }

  std::string identifier(const std::string& old_topic) {
    if (!key_regex_) return old_topic;
    auto it = identifiers_.find(old_topic);
    if (it != identifiers_.end()) return it->second;
    std::string id = old_topic;
    if (key_regex_->matches(old_topic)) {
      try {
        id = api::replace_first(*key_regex_, old_topic, key_replacement_);
      } catch (const api::ReplacementError& e) {
        throw std::runtime_error(e.java_class + ": " + e.what());
      }
    }
    if (identifiers_.size() >= 4096) identifiers_.clear();
    identifiers_[old_topic] = id;
    return id;
  }

  std::string adjust(const std::string& name) const {
    if (adjust_ == Adjust::None) return name;
    std::string out;
    for (size_t i = 0; i < name.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(name[i]);
      bool ok = c == '_' || std::isalpha(c) || (i > 0 && (std::isdigit(c) || c == '.'));
      if (ok) out += static_cast<char>(c);
      else if (adjust_ == Adjust::Avro) out += '_';
      else {
        char buf[8];
        std::snprintf(buf, sizeof buf, "_u%04x", c);
        out += buf;
      }
    }
    return out;
  }

  // copySchemaExcludingName: version, doc, parameters, optionality and (optionally) fields.
  static SchemaBuilder copy_excluding_name(const Schema& s, bool with_fields) {
    SchemaBuilder b = SchemaBuilder::structure();
    if (s.version()) b.version(*s.version());
    if (s.doc()) b.doc(*s.doc());
    for (auto& [k, v] : s.parameters()) b.parameter(k, v);
    if (s.optional()) b.optional();
    if (with_fields)
      for (auto& f : s.fields()) b.field(f.name, f.schema);
    return b;
  }

  SchemaPtr new_key_schema(const Schema& old, const std::string& topic) const {
    SchemaBuilder b = copy_excluding_name(old, true);
    b.name(adjust(topic + ".Key"));
    if (unique_) b.field(key_field_, api::schemas::string());
    return b.build();
  }

  SchemaPtr new_envelope_schema(const Schema& old, const std::string& topic) const {
    const api::Field* before = old.field("before");
    if (!before) throw DataException("before is not a valid field name");
    SchemaBuilder vb = copy_excluding_name(*before->schema, true);
    vb.name(adjust(topic + ".Value"));
    SchemaPtr row = vb.build();
    SchemaBuilder eb = copy_excluding_name(old, false);
    for (auto& f : old.fields()) eb.field(f.name, f.name == "before" || f.name == "after" ? row : f.schema);
    eb.name(adjust(topic + ".Envelope"));
    return eb.build();
  }

  api::JavaPatternPtr topic_regex_, key_regex_;
  std::string topic_replacement_, key_replacement_, key_field_;
  bool unique_ = true;
  Adjust adjust_ = Adjust::None;
  std::unordered_map<std::string, std::optional<std::string>> topics_;
  std::unordered_map<std::string, std::string> identifiers_;
  DerivedMap keys_, envelopes_;
};

}  // namespace

void add_debezium_transforms(api::PluginBuilder& p) {
  p.transformation<ExtractNewRecordState>("io.debezium.transforms.ExtractNewRecordState");
  p.transformation<ByLogicalTableRouter>("io.debezium.transforms.ByLogicalTableRouter");
}

}  // namespace sluice::transforms
