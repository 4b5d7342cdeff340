#include "plugins/converters/json_tree.h"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

#include "plugins/converters/text_format.h"

namespace sluice::converters::detail {

const char* json_node_type_name(JsonNode::Type t) {
  switch (t) {
    case JsonNode::Null: return "NULL";
    case JsonNode::False:
    case JsonNode::True: return "BOOLEAN";
    case JsonNode::Number: return "NUMBER";
    case JsonNode::String: return "STRING";
    case JsonNode::Array: return "ARRAY";
    case JsonNode::Object: return "OBJECT";
  }
  return "MISSING";
}

namespace {
// RapidJSON decodes an unpaired low surrogate escape ("\udc00") into the three bytes ED B0 80,
// which are not UTF-8 (the input itself was validated). Java would keep the lone UTF-16 unit;
// we replace it, in place, by U+FFFD (EF BF BD), as Java's UTF-8 encoder would on output.
void replace_surrogates(const char* text, size_t len) {
  char* s = const_cast<char*>(text);  // points into JsonTree's own in-situ buffer
  char* end = s + len;
  for (char* p = s; (p = static_cast<char*>(std::memchr(p, '\xED', static_cast<size_t>(end - p))));) {
    if (end - p >= 3 && static_cast<unsigned char>(p[1]) >= 0xA0) {
      p[0] = '\xEF';
      p[1] = '\xBF';
      p[2] = '\xBD';
      p += 3;
    } else {
      ++p;
    }
  }
}
}  // namespace

// RapidJSON SAX handler appending to the tree. Only used with the iterative, in-situ,
// numbers-as-strings parse below, so every callback sees the real stream position.
struct TreeBuilder {
  using Ch = char;
  JsonTree& t;
  rapidjson::InsituStringStream* is;
  const char* pending_key = nullptr;
  uint32_t pending_key_len = 0;
  enum class Fail { None, Depth, NumberLength } fail = Fail::None;

  JsonNode& leaf(JsonNode::Type type) {
    JsonNode& n = t.nodes_.emplace_back();
    n.type = type;
    n.key = pending_key;
    n.key_len = pending_key_len;
    pending_key = nullptr;
    pending_key_len = 0;
    n.end = static_cast<uint32_t>(t.nodes_.size());
    return n;
  }
  bool open(JsonNode::Type type) {
    if (t.open_.size() >= JsonTree::kMaxDepth) {
      fail = Fail::Depth;
      return false;
    }
    JsonNode& n = leaf(type);
    n.raw_begin = static_cast<uint32_t>(is->Tell());  // at the '{' or '['
    t.open_.push_back(static_cast<uint32_t>(t.nodes_.size() - 1));
    return true;
  }
  bool close(uint32_t count) {
    JsonNode& n = t.nodes_[t.open_.back()];
    t.open_.pop_back();
    n.end = static_cast<uint32_t>(t.nodes_.size());
    n.count = count;
    n.raw_end = static_cast<uint32_t>(is->Tell()) + 1;  // past the '}' or ']'
    return true;
  }

  bool Null() { leaf(JsonNode::Null); return true; }
  bool Bool(bool b) { leaf(b ? JsonNode::True : JsonNode::False); return true; }
  // Only RawNumber is called with kParseNumbersAsStringsFlag.
  bool Int(int) { return false; }
  bool Uint(unsigned) { return false; }
  bool Int64(int64_t) { return false; }
  bool Uint64(uint64_t) { return false; }
  bool Double(double) { return false; }
  bool RawNumber(const Ch* s, rapidjson::SizeType len, bool) {
    if (len > JsonTree::kMaxNumberLength) {
      fail = Fail::NumberLength;
      return false;
    }
    JsonNode& n = leaf(JsonNode::Number);
    n.text = s;
    n.len = len;
    n.integral = true;
    for (rapidjson::SizeType i = 0; i < len; ++i)
      if (s[i] == '.' || s[i] == 'e' || s[i] == 'E') {
        n.integral = false;
        break;
      }
    return true;
  }
  bool String(const Ch* s, rapidjson::SizeType len, bool) {
    replace_surrogates(s, len);
    JsonNode& n = leaf(JsonNode::String);
    n.text = s;
    n.len = len;
    return true;
  }
  bool Key(const Ch* s, rapidjson::SizeType len, bool) {
    replace_surrogates(s, len);
    pending_key = s;
    pending_key_len = len;
    return true;
  }
  bool StartObject() { return open(JsonNode::Object); }
  bool EndObject(rapidjson::SizeType n) { return close(n); }
  bool StartArray() { return open(JsonNode::Array); }
  bool EndArray(rapidjson::SizeType n) { return close(n); }
};

namespace {
constexpr unsigned kParseFlags = rapidjson::kParseInsituFlag | rapidjson::kParseValidateEncodingFlag |
                                 rapidjson::kParseIterativeFlag |
                                 rapidjson::kParseNumbersAsStringsFlag;

[[noreturn]] void fail_parse(const std::string& what, size_t offset) {
  throw DataException(
      "Converting byte[] to Kafka Connect data failed due to serialization error: " + what +
      " (at offset " + std::to_string(offset) + ")");
}
}  // namespace

JsonTree::JsonTree() : reader_(std::make_unique<rapidjson::Reader>()) {}
JsonTree::~JsonTree() = default;

// RapidJSON refuses numbers beyond double's range ("1e400", "0e400", integers of over 308
// digits) that Jackson reads as BigDecimal/BigInteger. Such a number is parsed as a placeholder of
// the same length ("0.000") and its own text put back afterwards, so the tree holds its exact
// digits like any other number.
namespace {
constexpr size_t kMaxOutOfRangeNumbers = 64;

size_t number_length(const char* data, size_t size, size_t at) {
  size_t end = at;
  auto in_number = [](char c) {
    return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
  };
  while (end < size && in_number(data[end])) ++end;
  return end - at;
}
}  // namespace

void JsonTree::parse(const char* data, size_t size) {
  nodes_.clear();
  open_.clear();
  if (size > 0xFFFFFFF0u) fail_parse("message too large", 0);
  size_t first = 0;
  while (first < size && (data[first] == ' ' || data[first] == '\t' || data[first] == '\n' ||
                          data[first] == '\r'))
    ++first;
  if (first == size) return;  // no content: Jackson's MissingNode

  std::vector<std::pair<size_t, size_t>> out_of_range;  // offset, length
  for (;;) {
    buf_.assign(data, size);
    for (auto [at, len] : out_of_range) {
      buf_[at] = '0';
      buf_[at + 1] = '.';
      std::memset(&buf_[at + 2], '0', len - 2);
    }
    rapidjson::InsituStringStream is(buf_.data());
    TreeBuilder builder{*this, &is};
    rapidjson::ParseResult r = reader_->Parse<kParseFlags>(is, builder);
    if (!r) {
      nodes_.clear();
      open_.clear();
      if (builder.fail == TreeBuilder::Fail::Depth)
        fail_parse("nesting depth exceeds the maximum allowed (" + std::to_string(kMaxDepth) + ")",
                   r.Offset());
      if (builder.fail == TreeBuilder::Fail::NumberLength)
        fail_parse("number length exceeds the maximum allowed (" +
                       std::to_string(kMaxNumberLength) + ")",
                   r.Offset());
      if (r.Code() == rapidjson::kParseErrorNumberTooBig &&
          out_of_range.size() < kMaxOutOfRangeNumbers) {
        size_t len = number_length(data, size, r.Offset());
        if (len > kMaxNumberLength)
          fail_parse("number length exceeds the maximum allowed (" +
                         std::to_string(kMaxNumberLength) + ")",
                     r.Offset());
        if (len >= 3) {  // always: the shortest such number is "1e309"
          out_of_range.emplace_back(r.Offset(), len);
          continue;
        }
      }
      fail_parse(rapidjson::GetParseError_En(r.Code()), r.Offset());
    }
    // RapidJSON stops at a NUL byte; anything after the document but a NUL is an error above.
    if (is.Tell() != size) {
      nodes_.clear();
      fail_parse("Invalid NUL character in the input.", is.Tell());
    }
    break;
  }
  // Numbers are kept in place in the in-situ buffer: put the real digits back.
  for (auto [at, len] : out_of_range) {
    std::memcpy(&buf_[at], data + at, len);
    for (JsonNode& n : nodes_) {
      if (n.type != JsonNode::Number || n.text != buf_.data() + at) continue;
      std::string_view text(n.text, n.len);
      n.integral = text.find_first_of(".eE") == std::string_view::npos;
    }
  }
}

uint32_t JsonTree::member(uint32_t obj, std::string_view name) const {
  const JsonNode& o = nodes_[obj];
  uint32_t found = npos;
  for (uint32_t c = obj + 1; c < o.end; c = nodes_[c].end)
    if (nodes_[c].name() == name) found = c;
  return found;
}

}  // namespace sluice::converters::detail
