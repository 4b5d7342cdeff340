// org.apache.kafka.connect.transforms.HeaderFrom$Key / $Value, InsertHeader and DropHeaders
// (KIP-145), as in connect-transforms 3.9.

#include <set>

#include "plugins/api/plugin.h"
#include "plugins/transforms/common.h"
#include "plugins/transforms/text.h"
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
using api::Value;
namespace cv = api::config_value;

template <Operand O>
class HeaderFrom final : public api::Transformation {
 public:
  std::string version() const override { return kVersion; }

  ConfigDef config_def() const override {
    ConfigDef d;
    d.define(config_key("fields", ConfigType::List, std::nullopt, Importance::High,
                        "Field names in the record whose values are to be copied or moved to headers.",
                        non_empty_list()));
    d.define(config_key("headers", ConfigType::List, std::nullopt, Importance::High,
                        "Header names, in the same order as the field names listed in the fields configuration "
                        "property.",
                        non_empty_list()));
    d.define(config_key("operation", ConfigType::String, std::nullopt, Importance::High,
                        "Either <code>move</code> if the fields are to be moved to the headers (removed from the "
                        "key/value), or <code>copy</code> if the fields are to be copied to the headers (retained in "
                        "the key/value).",
                        valid_string({"move", "copy"})));
    d.define(replace_null_with_default_key());
    return d;
  }

  void configure(const Config& c) override {
    check_config(config_def(), c);
    fields_ = cv::get_list(c, "fields");
    headers_ = cv::get_list(c, "headers");
    if (fields_.size() != headers_.size())
      throw ConfigException("'fields' config must have the same number of elements as 'headers' config.");
    move_ = c.at("operation") == "move";
    replace_null_ = cv::get_bool(c, "replace.null.with.default", true);
    cache_.clear();
  }

  void apply(SourceRecord& r, bool&) override {
    Value& value = Side<O>::value(r);
    SchemaPtr& schema = Side<O>::schema(r);
    const std::string purpose = move_ ? "header move" : "header copy";
    if (!schema) {
      const api::Map& in = require_map(value, purpose);
      api::Headers added;
      for (size_t i = 0; i < fields_.size(); ++i) {
        const Value* v = map_get(in, fields_[i]);
        added.push_back({headers_[i], nullptr, v ? *v : Value()});
      }
      if (move_) {
        api::Map out;
        for (auto& [k, v] : in)
          if (!(k.kind() == Value::Kind::String && std::find(fields_.begin(), fields_.end(), k.as_string()) != fields_.end()))
            out.emplace_back(k, v);
        value = Value::map(std::move(out));
      }
      for (auto& h : added) r.headers.push_back(std::move(h));
      return;
    }
    const Struct& in = require_struct(value, purpose);
    api::Headers added;
    for (size_t i = 0; i < fields_.size(); ++i) {
      const api::Field* f = schema->field(fields_[i]);
      if (!f)
        throw std::runtime_error("Cannot invoke \"org.apache.kafka.connect.data.Field.schema()\" because the return "
                                 "value of \"org.apache.kafka.connect.data.Schema.field(String)\" is null");
      added.push_back({headers_[i], f->schema, struct_get(in, *f, replace_null_)});
    }
    if (move_) {
      const SchemaPtr* out = cache_.get(schema.get());
      if (!out) {
        SchemaBuilder b = SchemaBuilder::structure();
        copy_schema_basics(*schema, b);
        for (auto& f : schema->fields())
          if (std::find(fields_.begin(), fields_.end(), f.name) == fields_.end()) b.field(f.name, f.schema);
        out = &cache_.put(schema.get(), {schema}, b.build());
      }
      Struct s(*out);
      size_t i = 0;
      for (auto& f : schema->fields())
        if (std::find(fields_.begin(), fields_.end(), f.name) == fields_.end()) s.put(i++, struct_get(in, f, replace_null_));
      schema = *out;
      value = Value::structure(std::move(s));
    }
    for (auto& h : added) r.headers.push_back(std::move(h));
  }

 private:
  std::vector<std::string> fields_, headers_;
  bool move_ = false;
  bool replace_null_ = true;
  SchemaCache<> cache_{kSchemaCacheSize};
};

class InsertHeader final : public api::Transformation {
 public:
  std::string version() const override { return kVersion; }
  ConfigDef config_def() const override {
    ConfigDef d;
    d.define(config_key("header", ConfigType::String, std::nullopt, Importance::High, "The name of the header.",
                        [](const std::string&, const std::string&) -> std::optional<std::string> { return std::nullopt; }));
    d.define(config_key("value.literal", ConfigType::String, std::nullopt, Importance::High,
                        "The literal value that is to be set as the header value on all records."));
    return d;
  }
  void configure(const Config& c) override {
    check_config(config_def(), c);
    header_ = c.at("header");
    literal_ = text::parse_values_string(c.at("value.literal"));
  }
  void apply(SourceRecord& r, bool&) override { r.headers.push_back({header_, literal_.schema, literal_.value}); }

 private:
  std::string header_;
  api::SchemaAndValue literal_;
};

class DropHeaders final : public api::Transformation {
 public:
  std::string version() const override { return kVersion; }
  ConfigDef config_def() const override {
    ConfigDef d;
    d.define(config_key("headers", ConfigType::List, std::nullopt, Importance::High,
                        "The name of the headers to be removed.", non_empty_list()));
    return d;
  }
  void configure(const Config& c) override {
    check_config(config_def(), c);
    auto h = cv::get_list(c, "headers");
    names_ = {h.begin(), h.end()};
  }
  void apply(SourceRecord& r, bool&) override {
    std::erase_if(r.headers, [&](const api::Header& h) { return names_.count(h.key) > 0; });
  }

 private:
  std::set<std::string> names_;
};

}  // namespace

void add_header_transforms(api::PluginBuilder& p) {
  const std::string k = "org.apache.kafka.connect.transforms.";
  p.transformation<HeaderFrom<Operand::Key>>(k + "HeaderFrom$Key");
  p.transformation<HeaderFrom<Operand::Value>>(k + "HeaderFrom$Value");
  p.transformation<InsertHeader>(k + "InsertHeader");
  p.transformation<DropHeaders>(k + "DropHeaders");
}

}  // namespace sluice::transforms
