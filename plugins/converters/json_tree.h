#pragma once
// A flat, reusable JSON tree built from RapidJSON's SAX reader.
//
// Nodes live in one vector in document order; a container's children follow it and `end` is
// the index just past its subtree, so walking siblings is `i = node(i).end`. Strings are decoded
// in place in an internal copy of the input (RapidJSON's in-situ mode) and numbers are kept as
// their source text, so nothing is allocated per value once the buffers have grown, and numbers
// keep their exact digits (decimals, 64-bit integers, floats parsed by the target type).

#include <rapidjson/fwd.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::converters::detail {

struct JsonNode {
  enum Type : uint8_t { Null, False, True, Number, String, Array, Object };
  Type type = Null;
  bool integral = false;   // Number: no '.', 'e' or 'E'
  uint32_t end = 0;        // index just past this node's subtree
  uint32_t count = 0;      // Array/Object: children
  uint32_t raw_begin = 0;  // Array/Object: byte span of the container in the input
  uint32_t raw_end = 0;
  uint32_t len = 0;        // String/Number: text length
  uint32_t key_len = 0;
  const char* text = nullptr;  // String/Number text
  const char* key = nullptr;   // the member name when the parent is an Object

  std::string_view str() const { return {text, len}; }
  std::string_view name() const { return {key, key_len}; }
};

// Jackson's JsonNodeType name of a node ("OBJECT", "NUMBER", ...), for messages.
const char* json_node_type_name(JsonNode::Type t);

class JsonTree {
 public:
  JsonTree();
  ~JsonTree();
  JsonTree(const JsonTree&) = delete;
  JsonTree& operator=(const JsonTree&) = delete;

  static constexpr size_t kMaxDepth = 1000;         // as Jackson's default nesting limit
  static constexpr size_t kMaxNumberLength = 1000;  // as Jackson's default number length limit

  // Parses `size` bytes. Throws DataException with RapidJSON's message and the byte offset on
  // malformed input. Empty or all-whitespace input parses as "missing" (no root). Numbers
  // beyond double's range ("1e400"), which RapidJSON refuses and Jackson reads, are kept like
  // any other (at most 64 of them per message; more is an error).
  void parse(const char* data, size_t size);

  bool missing() const { return nodes_.empty(); }
  const JsonNode& node(uint32_t i) const { return nodes_[i]; }
  // The member of object `obj` named `name` (the last one, as Jackson keeps), or npos.
  uint32_t member(uint32_t obj, std::string_view name) const;
  static constexpr uint32_t npos = 0xFFFFFFFFu;

 private:
  friend struct TreeBuilder;
  std::string buf_;
  std::vector<JsonNode> nodes_;
  std::vector<uint32_t> open_;
  std::unique_ptr<rapidjson::Reader> reader_;  // reused: its stack keeps its capacity
};

}  // namespace sluice::converters::detail
