#include "storage/file/java_serialization.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <utility>

namespace sluice::storage {
namespace {

// Stream constants (java.io.ObjectStreamConstants).
constexpr std::uint16_t kStreamMagic = 0xACED;
constexpr std::uint16_t kStreamVersion = 5;

constexpr std::uint8_t TC_NULL = 0x70;
constexpr std::uint8_t TC_REFERENCE = 0x71;
constexpr std::uint8_t TC_CLASSDESC = 0x72;
constexpr std::uint8_t TC_OBJECT = 0x73;
constexpr std::uint8_t TC_STRING = 0x74;
constexpr std::uint8_t TC_ARRAY = 0x75;
constexpr std::uint8_t TC_CLASS = 0x76;
constexpr std::uint8_t TC_BLOCKDATA = 0x77;
constexpr std::uint8_t TC_ENDBLOCKDATA = 0x78;
constexpr std::uint8_t TC_RESET = 0x79;
constexpr std::uint8_t TC_BLOCKDATALONG = 0x7A;
constexpr std::uint8_t TC_EXCEPTION = 0x7B;
constexpr std::uint8_t TC_LONGSTRING = 0x7C;
constexpr std::uint8_t TC_PROXYCLASSDESC = 0x7D;
constexpr std::uint8_t TC_ENUM = 0x7E;

constexpr std::uint32_t kBaseWireHandle = 0x7E0000;

constexpr std::uint8_t SC_WRITE_METHOD = 0x01;
constexpr std::uint8_t SC_SERIALIZABLE = 0x02;
constexpr std::uint8_t SC_EXTERNALIZABLE = 0x04;
constexpr std::uint8_t SC_ENUM = 0x10;

constexpr std::string_view kHashMapName = "java.util.HashMap";
constexpr std::string_view kByteArrayName = "[B";

// Superclass chains deeper than this are refused (recursion bound; a real chain is 1 or 2).
constexpr int kMaxClassDepth = 32;

constexpr std::int32_t kJavaMaxCapacity = 1 << 30;

const char* tc_name(std::uint8_t tc) {
  switch (tc) {
    case TC_NULL: return "TC_NULL";
    case TC_REFERENCE: return "TC_REFERENCE";
    case TC_CLASSDESC: return "TC_CLASSDESC";
    case TC_OBJECT: return "TC_OBJECT";
    case TC_STRING: return "TC_STRING";
    case TC_ARRAY: return "TC_ARRAY";
    case TC_CLASS: return "TC_CLASS";
    case TC_BLOCKDATA: return "TC_BLOCKDATA";
    case TC_ENDBLOCKDATA: return "TC_ENDBLOCKDATA";
    case TC_RESET: return "TC_RESET";
    case TC_BLOCKDATALONG: return "TC_BLOCKDATALONG";
    case TC_EXCEPTION: return "TC_EXCEPTION";
    case TC_LONGSTRING: return "TC_LONGSTRING";
    case TC_PROXYCLASSDESC: return "TC_PROXYCLASSDESC";
    case TC_ENUM: return "TC_ENUM";
    default: return nullptr;
  }
}

std::string hex(std::uint64_t v, int digits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s = "0x";
  for (int i = digits - 1; i >= 0; --i) s.push_back(kDigits[(v >> (4 * i)) & 0xF]);
  return s;
}

std::string describe_tc(std::uint8_t tc) {
  const char* name = tc_name(tc);
  return name ? std::string(name) + " (" + hex(tc, 2) + ")" : "byte " + hex(tc, 2);
}

// A class name or field name from the input, made safe to put in a message.
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 120)) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F) {
      out.push_back(c);
    } else {
      out += "\\x";
      out += hex(u, 2).substr(2);
    }
  }
  if (s.size() > 120) out += "...";
  return out;
}

bool is_primitive_type(char t) {
  switch (t) {
    case 'B': case 'C': case 'D': case 'F': case 'I': case 'J': case 'S': case 'Z': return true;
    default: return false;
  }
}

std::size_t primitive_size(char t) {
  switch (t) {
    case 'B': case 'Z': return 1;
    case 'C': case 'S': return 2;
    case 'F': case 'I': return 4;
    default: return 8;  // 'D', 'J'
  }
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  Result<std::vector<ByteMapEntry>> run() {
    std::vector<ByteMapEntry> entries;
    if (!read_stream(entries)) return Error::fatal("java serialization: " + error_);
    return entries;
  }

 private:
  struct Field {
    char type;
    std::string_view name;
  };
  struct ClassDesc {
    std::size_t at = 0;  // stream offset of its TC_CLASSDESC
    std::string_view name;
    std::int64_t suid = 0;
    std::uint8_t flags = 0;
    std::vector<Field> fields;
    int super = -1;  // index into descs_, -1 = none
    bool complete = false;
  };
  enum class Kind : std::uint8_t { ClassDesc, Object, ByteArray, String };
  struct Handle {
    Kind kind;
    std::uint32_t index;  // into descs_ or arrays_; unused for Object and String
  };

  static const char* kind_name(Kind k) {
    switch (k) {
      case Kind::ClassDesc: return "a class descriptor";
      case Kind::Object: return "an object";
      case Kind::ByteArray: return "a byte[]";
      case Kind::String: return "a string";
    }
    return "?";
  }

  bool fail(std::size_t at, std::string what) {
    error_ = "at byte " + std::to_string(at) + ": " + std::move(what);
    if (entry_total_ >= 0) {
      error_ += " (in entry " + std::to_string(entry_index_ + 1) + " of " +
                std::to_string(entry_total_) + ")";
    }
    return false;
  }

  std::size_t remaining() const { return in_.size() - pos_; }

  bool need(std::size_t n, std::string_view what) {
    if (remaining() >= n) return true;
    return fail(pos_, "unexpected end of input: expected " + std::string(what) + " (" +
                          std::to_string(n) + " bytes, " + std::to_string(remaining()) + " left)");
  }

  std::uint64_t take_be(std::size_t n) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(in_[pos_ + i]);
    pos_ += n;
    return v;
  }

  bool u8(std::uint8_t& out, std::string_view what) {
    if (!need(1, what)) return false;
    out = static_cast<std::uint8_t>(take_be(1));
    return true;
  }
  bool u16(std::uint16_t& out, std::string_view what) {
    if (!need(2, what)) return false;
    out = static_cast<std::uint16_t>(take_be(2));
    return true;
  }
  bool u32(std::uint32_t& out, std::string_view what) {
    if (!need(4, what)) return false;
    out = static_cast<std::uint32_t>(take_be(4));
    return true;
  }
  bool i64(std::int64_t& out, std::string_view what) {
    if (!need(8, what)) return false;
    out = static_cast<std::int64_t>(take_be(8));
    return true;
  }
  bool bytes(std::size_t n, std::string_view& out, std::string_view what) {
    if (!need(n, what)) return false;
    out = in_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  // DataOutput.writeUTF: u2 length, then that many bytes of modified UTF-8 (kept undecoded).
  bool utf(std::string_view& out, std::string_view what) {
    std::uint16_t len = 0;
    return u16(len, what) && bytes(len, out, what);
  }

  std::uint32_t assign(Kind kind, std::uint32_t index) {
    handles_.push_back({kind, index});
    return static_cast<std::uint32_t>(handles_.size() - 1);
  }

  // Resolves the handle after a TC_REFERENCE (already consumed; `at` is its offset).
  bool reference(std::size_t at, Kind expected, std::string_view what, std::uint32_t& index) {
    std::uint32_t handle = 0;
    if (!u32(handle, "a handle after TC_REFERENCE")) return false;
    if (handle < kBaseWireHandle || handle - kBaseWireHandle >= handles_.size()) {
      return fail(at, "TC_REFERENCE to unknown handle " + hex(handle, 8) + " (" +
                          std::to_string(handles_.size()) + " handles assigned) for " +
                          std::string(what));
    }
    const Handle& h = handles_[handle - kBaseWireHandle];
    if (h.kind != expected) {
      return fail(at, "TC_REFERENCE to handle " + hex(handle, 8) + ", which is " +
                          kind_name(h.kind) + ", where " + std::string(what) + " (" +
                          kind_name(expected) + ") was expected");
    }
    if (h.kind == Kind::ClassDesc && !descs_[h.index].complete) {
      return fail(at, "TC_REFERENCE to class descriptor " + hex(handle, 8) +
                          " while it is still being read (a cycle) for " + std::string(what));
    }
    index = h.index;
    return true;
  }

  // Class annotations and the rest of custom data: block data, then TC_ENDBLOCKDATA. Objects
  // in there (which Java would read and drop) are not supported.
  bool skip_to_end_block(std::string_view what) {
    for (;;) {
      std::size_t at = pos_;
      std::uint8_t tc = 0;
      if (!u8(tc, "TC_ENDBLOCKDATA ending " + std::string(what))) return false;
      if (tc == TC_ENDBLOCKDATA) return true;
      std::size_t len = 0;
      if (tc == TC_BLOCKDATA) {
        std::uint8_t n = 0;
        if (!u8(n, "a TC_BLOCKDATA length")) return false;
        len = n;
      } else if (tc == TC_BLOCKDATALONG) {
        std::uint32_t n = 0;
        if (!u32(n, "a TC_BLOCKDATALONG length")) return false;
        if (n > 0x7FFFFFFFu) return fail(at, "negative TC_BLOCKDATALONG length");
        len = n;
      } else {
        return fail(at, "expected TC_ENDBLOCKDATA ending " + std::string(what) + ", found " +
                            describe_tc(tc) + " (objects there are not supported)");
      }
      std::string_view skipped;
      if (!bytes(len, skipped, "block data inside " + std::string(what))) return false;
    }
  }

  // The string objects that name the class of an object-typed field.
  bool string_object(std::string_view what) {
    std::size_t at = pos_;
    std::uint8_t tc = 0;
    if (!u8(tc, what)) return false;
    if (tc == TC_REFERENCE) {
      std::uint32_t ignored = 0;
      return reference(at, Kind::String, what, ignored);
    }
    std::string_view s;
    if (tc == TC_STRING) {
      if (!utf(s, what)) return false;
    } else if (tc == TC_LONGSTRING) {
      std::int64_t len = 0;
      if (!i64(len, "a TC_LONGSTRING length")) return false;
      if (len < 0 || static_cast<std::uint64_t>(len) > remaining()) {
        return fail(at, "TC_LONGSTRING length " + std::to_string(len) + " exceeds the " +
                            std::to_string(remaining()) + " bytes left");
      }
      if (!bytes(static_cast<std::size_t>(len), s, what)) return false;
    } else {
      return fail(at, "expected TC_STRING or TC_REFERENCE for " + std::string(what) +
                          ", found " + describe_tc(tc));
    }
    assign(Kind::String, 0);
    return true;
  }

  // classDesc: TC_CLASSDESC ... | TC_NULL | TC_REFERENCE. `out` = index into descs_ or -1.
  bool class_desc(int& out, int depth, std::string_view what) {
    std::size_t at = pos_;
    std::uint8_t tc = 0;
    if (!u8(tc, "a class descriptor")) return false;
    switch (tc) {
      case TC_NULL:
        out = -1;
        return true;
      case TC_REFERENCE: {
        std::uint32_t index = 0;
        if (!reference(at, Kind::ClassDesc, what, index)) return false;
        out = static_cast<int>(index);
        return true;
      }
      case TC_CLASSDESC:
        return new_class_desc(at, out, depth);
      case TC_PROXYCLASSDESC:
        return fail(at, "proxy class descriptors (TC_PROXYCLASSDESC) are not supported, found one "
                        "for " + std::string(what));
      default:
        return fail(at, "expected a class descriptor (TC_CLASSDESC, TC_REFERENCE or TC_NULL) for " +
                            std::string(what) + ", found " + describe_tc(tc));
    }
  }

  bool new_class_desc(std::size_t at, int& out, int depth) {
    if (depth > kMaxClassDepth) {
      return fail(at, "class descriptors nested more than " + std::to_string(kMaxClassDepth) +
                          " deep");
    }
    // Java assigns the descriptor's handle before reading its contents.
    const auto index = static_cast<std::uint32_t>(descs_.size());
    descs_.emplace_back();
    assign(Kind::ClassDesc, index);

    ClassDesc d;
    d.at = at;
    std::uint16_t nfields = 0;
    if (!utf(d.name, "a class name") || !i64(d.suid, "a serialVersionUID") ||
        !u8(d.flags, "class descriptor flags") || !u16(nfields, "a field count")) {
      return false;
    }
    // Each field takes at least 3 bytes (type code and an empty name).
    if (std::size_t{nfields} * 3 > remaining()) {
      return fail(pos_ - 2, "class " + printable(d.name) + " declares " + std::to_string(nfields) +
                                " fields but only " + std::to_string(remaining()) +
                                " bytes are left");
    }
    d.fields.reserve(nfields);
    for (std::uint16_t i = 0; i < nfields; ++i) {
      std::size_t field_at = pos_;
      std::uint8_t type = 0;
      Field f{};
      if (!u8(type, "a field type code") || !utf(f.name, "a field name")) return false;
      f.type = static_cast<char>(type);
      if (f.type == 'L' || f.type == '[') {
        if (!string_object("the class name of field " + printable(f.name))) return false;
      } else if (!is_primitive_type(f.type)) {
        return fail(field_at, "field " + printable(f.name) + " of class " + printable(d.name) +
                                  " has unknown type code " + hex(type, 2));
      }
      d.fields.push_back(f);
    }
    if (!skip_to_end_block("the annotations of class " + printable(d.name))) return false;
    int super = -1;
    if (!class_desc(super, depth + 1, "the superclass of " + printable(d.name))) return false;
    d.super = super;
    d.complete = true;
    descs_[index] = std::move(d);
    out = static_cast<int>(index);
    return true;
  }

  // Reads the primitive field values of one class in the object's class data. Java requires
  // primitive fields before object fields and writes their values in descriptor order.
  bool primitive_fields(const ClassDesc& d, std::optional<float>* load_factor) {
    for (const Field& f : d.fields) {
      if (!is_primitive_type(f.type)) {
        return fail(d.at, "class " + printable(d.name) + " has object field " + printable(f.name) +
                              "; only primitive fields are supported in the map's classes");
      }
      std::size_t at = pos_;
      std::string what = "the value of field " + printable(f.name) + " of " + printable(d.name);
      std::size_t n = primitive_size(f.type);
      if (!need(n, what)) return false;
      std::uint64_t v = take_be(n);
      if (load_factor && f.name == "loadFactor") {
        if (f.type != 'F') {
          return fail(d.at, "field loadFactor of " + printable(d.name) + " has type code " +
                                std::string(1, f.type) + ", expected F (float)");
        }
        float lf = std::bit_cast<float>(static_cast<std::uint32_t>(v));
        if (!(lf > 0) || std::isnan(lf)) {
          return fail(at, "illegal HashMap load factor " + std::to_string(lf));
        }
        *load_factor = lf;
      }
    }
    return true;
  }

  // Reads from the custom data a HashMap's writeObject wrote as block data.
  bool block_int(std::int32_t& out, std::string_view what) {
    unsigned char buf[4];
    std::size_t got = 0;
    while (got < 4) {
      if (block_left_ == 0) {
        std::size_t at = pos_;
        std::uint8_t tc = 0;
        if (!u8(tc, "block data holding " + std::string(what))) return false;
        if (tc == TC_BLOCKDATA) {
          std::uint8_t n = 0;
          if (!u8(n, "a TC_BLOCKDATA length")) return false;
          block_left_ = n;
        } else if (tc == TC_BLOCKDATALONG) {
          std::uint32_t n = 0;
          if (!u32(n, "a TC_BLOCKDATALONG length")) return false;
          if (n > 0x7FFFFFFFu) return fail(at, "negative TC_BLOCKDATALONG length");
          block_left_ = n;
        } else {
          return fail(at, "expected block data (TC_BLOCKDATA) holding " + std::string(what) +
                              ", found " + describe_tc(tc));
        }
        continue;
      }
      if (!need(1, what)) return false;
      buf[got++] = static_cast<unsigned char>(in_[pos_++]);
      --block_left_;
    }
    out = static_cast<std::int32_t>((std::uint32_t{buf[0]} << 24) | (std::uint32_t{buf[1]} << 16) |
                                    (std::uint32_t{buf[2]} << 8) | std::uint32_t{buf[3]});
    return true;
  }

  // Drops what is left of the current data block and skips the rest of a class's custom data.
  bool end_custom_data(std::string_view what) {
    std::string_view skipped;
    if (!bytes(block_left_, skipped, "the rest of a data block")) return false;
    block_left_ = 0;
    return skip_to_end_block(what);
  }

  // One key or value: TC_ARRAY of "[B", TC_REFERENCE to an earlier byte[], or TC_NULL.
  bool byte_array(std::optional<std::string_view>& out, const char* what) {
    if (block_left_ > 0) {
      return fail(pos_, std::to_string(block_left_) + " bytes of unread block data where " +
                            std::string(what) + " was expected");
    }
    std::size_t at = pos_;
    std::uint8_t tc = 0;
    if (!u8(tc, what)) return false;
    if (tc == TC_NULL) {
      out.reset();
      return true;
    }
    if (tc == TC_REFERENCE) {
      std::uint32_t index = 0;
      if (!reference(at, Kind::ByteArray, what, index)) return false;
      out = arrays_[index];
      return true;
    }
    if (tc != TC_ARRAY) {
      return fail(at, "expected a byte[] (TC_ARRAY), TC_REFERENCE or TC_NULL for " +
                          std::string(what) + ", found " + describe_tc(tc));
    }
    int desc = -1;
    if (!class_desc(desc, 0, "the array")) return false;
    if (desc < 0) return fail(at, "array with a null class descriptor for " + std::string(what));
    if (descs_[desc].name != kByteArrayName) {
      return fail(at, "expected a byte[] (class \"[B\") for " + std::string(what) +
                          ", found an array of class \"" + printable(descs_[desc].name) + "\"");
    }
    std::size_t len_at = pos_;
    std::uint32_t len = 0;
    if (!u32(len, "a byte[] length")) return false;
    if (len > 0x7FFFFFFFu) {
      return fail(len_at, "negative byte[] length " +
                              std::to_string(static_cast<std::int32_t>(len)));
    }
    if (len > remaining()) {
      return fail(len_at, "byte[] length " + std::to_string(len) + " exceeds the " +
                              std::to_string(remaining()) + " bytes left");
    }
    std::string_view data;
    if (!bytes(len, data, "byte[] contents")) return false;
    assign(Kind::ByteArray, static_cast<std::uint32_t>(arrays_.size()));
    arrays_.push_back(data);
    out = data;
    return true;
  }

  bool read_stream(std::vector<ByteMapEntry>& entries) {
    std::uint16_t magic = 0, version = 0;
    if (!u16(magic, "STREAM_MAGIC 0xACED")) return false;
    if (magic != kStreamMagic) {
      return fail(0, "expected STREAM_MAGIC 0xaced, found " + hex(magic, 4) +
                         ": not a Java serialization stream");
    }
    if (!u16(version, "STREAM_VERSION 5")) return false;
    if (version != kStreamVersion) {
      return fail(2, "expected STREAM_VERSION 5, found " + std::to_string(version));
    }
    std::size_t at = pos_;
    std::uint8_t tc = 0;
    for (;;) {
      at = pos_;
      if (!u8(tc, "TC_OBJECT (the offsets HashMap)")) return false;
      if (tc != TC_RESET) break;
      handles_.clear();
    }
    if (tc != TC_OBJECT) {
      return fail(at, "expected TC_OBJECT (the offsets HashMap), found " + describe_tc(tc));
    }
    int top = -1;
    if (!class_desc(top, 0, "the offsets map")) return false;
    if (top < 0) return fail(at, "object with a null class descriptor");

    // The class data layout runs from the topmost serializable superclass down to the class.
    std::vector<int> chain;
    for (int c = top; c >= 0; c = descs_[c].super) chain.push_back(c);
    std::reverse(chain.begin(), chain.end());
    const ClassDesc& root = descs_[chain.front()];
    if (root.name != kHashMapName) {
      return fail(descs_[top].at, "expected a java.util.HashMap, found an object of class " +
                                      printable(descs_[top].name));
    }
    if (root.suid != kJavaHashMapSerialVersionUid) {
      return fail(root.at, "java.util.HashMap has serialVersionUID " + std::to_string(root.suid) +
                               ", expected " + std::to_string(kJavaHashMapSerialVersionUid));
    }
    for (int c : chain) {
      const ClassDesc& d = descs_[c];
      if ((d.flags & SC_SERIALIZABLE) == 0 || (d.flags & (SC_EXTERNALIZABLE | SC_ENUM)) != 0) {
        return fail(d.at, "class " + printable(d.name) + " has flags " + hex(d.flags, 2) +
                              ", expected a plain Serializable class");
      }
    }
    if ((root.flags & SC_WRITE_METHOD) == 0) {
      return fail(root.at, "java.util.HashMap descriptor lacks SC_WRITE_METHOD (flags " +
                               hex(root.flags, 2) + ")");
    }
    assign(Kind::Object, 0);

    // HashMap: defaultWriteObject's fields, then capacity and size as block data, the pairs,
    // and TC_ENDBLOCKDATA.
    std::optional<float> load_factor;
    if (!primitive_fields(root, &load_factor)) return false;
    if (!load_factor) {
      return fail(root.at, "java.util.HashMap descriptor has no loadFactor field");
    }
    std::int32_t capacity = 0, size = 0;
    if (!block_int(capacity, "the HashMap capacity")) return false;
    std::size_t size_at = pos_;
    if (!block_int(size, "the HashMap size")) return false;
    if (size < 0) return fail(size_at, "negative HashMap size " + std::to_string(size));
    // Every entry takes at least 6 bytes: a 5-byte TC_REFERENCE key and a TC_NULL value.
    if (static_cast<std::size_t>(size) > remaining() / 6) {
      return fail(size_at, "HashMap size " + std::to_string(size) + " cannot fit in the " +
                               std::to_string(remaining()) + " bytes left");
    }
    entries.reserve(static_cast<std::size_t>(size));
    std::size_t budget = in_.size() + kMaxReferenceExpansion;
    entry_total_ = size;
    for (entry_index_ = 0; entry_index_ < size; ++entry_index_) {
      std::size_t key_at = pos_;
      std::optional<std::string_view> key, value;
      if (!byte_array(key, "the key")) return false;
      if (!key) return fail(key_at, "null key: offsets need byte[] keys");
      if (!byte_array(value, "the value")) return false;
      std::size_t n = key->size() + (value ? value->size() : 0);
      if (n > budget) {
        return fail(key_at, "entries add up to more than " + std::to_string(in_.size()) + " + " +
                                std::to_string(kMaxReferenceExpansion) +
                                " bytes (too many references to shared arrays)");
      }
      budget -= n;
      ByteMapEntry& e = entries.emplace_back();
      e.key.assign(*key);
      if (value) e.value.emplace(*value);
    }
    entry_total_ = -1;
    if (!end_custom_data("the HashMap's data")) return false;

    // Subclasses (LinkedHashMap: accessOrder) add their own primitive fields, and perhaps
    // custom data made of block data only.
    for (std::size_t i = 1; i < chain.size(); ++i) {
      const ClassDesc& d = descs_[chain[i]];
      if (!primitive_fields(d, nullptr)) return false;
      if ((d.flags & SC_WRITE_METHOD) != 0 &&
          !end_custom_data("the custom data of " + printable(d.name))) {
        return false;
      }
    }
    return true;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  std::vector<Handle> handles_;
  std::vector<ClassDesc> descs_;
  std::vector<std::string_view> arrays_;
  std::size_t block_left_ = 0;
  std::int32_t entry_index_ = 0;
  std::int32_t entry_total_ = -1;  // >= 0 while reading entries, for messages
  std::string error_;
};

void put_u8(std::string& out, std::uint8_t v) { out.push_back(static_cast<char>(v)); }
void put_be(std::string& out, std::uint64_t v, int n) {
  for (int i = n - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void put_utf(std::string& out, std::string_view s) {  // ASCII only here
  put_be(out, s.size(), 2);
  out.append(s);
}

}  // namespace

Result<std::vector<ByteMapEntry>> read_java_byte_map(std::string_view bytes) {
  return Reader(bytes).run();
}

JavaHashMapSizing java_hash_map_sizing(std::size_t size) {
  // HashMap.putVal: the first put allocates 16 buckets (threshold 12); after each put,
  // `if (++size > threshold) resize()` doubles the table and the threshold, until the table
  // reaches MAXIMUM_CAPACITY (2^30), where the threshold becomes Integer.MAX_VALUE.
  if (size == 0) return {16, 0};
  std::int32_t capacity = 16;
  std::int32_t threshold = 12;
  while (size > static_cast<std::size_t>(threshold)) {
    if (capacity >= kJavaMaxCapacity) {
      threshold = std::numeric_limits<std::int32_t>::max();
      break;
    }
    capacity <<= 1;
    threshold = capacity < kJavaMaxCapacity ? threshold << 1
                                            : std::numeric_limits<std::int32_t>::max();
  }
  return {capacity, threshold};
}

Result<std::string> write_java_byte_map(std::span<const ByteMapEntryView> entries) {
  constexpr std::size_t kJavaMaxInt = 0x7FFFFFFF;
  if (entries.size() > kJavaMaxInt) {
    return Error::fatal("java serialization: " + std::to_string(entries.size()) +
                        " entries are more than a Java HashMap can hold");
  }
  std::size_t total = 100;
  for (const ByteMapEntryView& e : entries) {
    if (e.key.size() > kJavaMaxInt || (e.value && e.value->size() > kJavaMaxInt)) {
      return Error::fatal("java serialization: an offset key or value is longer than a Java "
                          "byte[] can be");
    }
    total += 20 + e.key.size() + (e.value ? e.value->size() : 0);
  }
  const JavaHashMapSizing sizing = java_hash_map_sizing(entries.size());

  std::string out;
  out.reserve(total);
  put_be(out, kStreamMagic, 2);
  put_be(out, kStreamVersion, 2);
  // The map: handle 0x7e0000 is HashMap's class descriptor, 0x7e0001 the map itself.
  put_u8(out, TC_OBJECT);
  put_u8(out, TC_CLASSDESC);
  put_utf(out, kHashMapName);
  put_be(out, static_cast<std::uint64_t>(kJavaHashMapSerialVersionUid), 8);
  put_u8(out, SC_WRITE_METHOD | SC_SERIALIZABLE);
  put_be(out, 2, 2);  // fields, in Java's order: primitives sorted by name
  put_u8(out, 'F');
  put_utf(out, "loadFactor");
  put_u8(out, 'I');
  put_utf(out, "threshold");
  put_u8(out, TC_ENDBLOCKDATA);  // no class annotations
  put_u8(out, TC_NULL);          // no serializable superclass (AbstractMap is not)
  put_be(out, std::bit_cast<std::uint32_t>(0.75f), 4);
  put_be(out, static_cast<std::uint32_t>(sizing.threshold), 4);
  // writeObject: s.writeInt(buckets); s.writeInt(size); as one 8-byte data block.
  put_u8(out, TC_BLOCKDATA);
  put_u8(out, 8);
  put_be(out, static_cast<std::uint32_t>(sizing.capacity), 4);
  put_be(out, entries.size(), 4);

  // Every key and value is its own byte[] instance, as in Java's save(), so none is written
  // as a back-reference; only the "[B" class descriptor (handle 0x7e0002) is reused.
  bool byte_array_desc_written = false;
  auto put_array = [&](std::string_view data) {
    put_u8(out, TC_ARRAY);
    if (!byte_array_desc_written) {
      put_u8(out, TC_CLASSDESC);
      put_utf(out, kByteArrayName);
      put_be(out, static_cast<std::uint64_t>(kJavaByteArraySerialVersionUid), 8);
      put_u8(out, SC_SERIALIZABLE);
      put_be(out, 0, 2);
      put_u8(out, TC_ENDBLOCKDATA);
      put_u8(out, TC_NULL);
      byte_array_desc_written = true;
    } else {
      put_u8(out, TC_REFERENCE);
      put_be(out, kBaseWireHandle + 2, 4);
    }
    put_be(out, data.size(), 4);
    out.append(data);
  };
  for (const ByteMapEntryView& e : entries) {
    put_array(e.key);
    if (e.value) {
      put_array(*e.value);
    } else {
      put_u8(out, TC_NULL);
    }
  }
  put_u8(out, TC_ENDBLOCKDATA);
  return out;
}

Result<std::string> write_java_byte_map(std::span<const ByteMapEntry> entries) {
  std::vector<ByteMapEntryView> views;
  views.reserve(entries.size());
  for (const ByteMapEntry& e : entries) {
    ByteMapEntryView& v = views.emplace_back();
    v.key = e.key;
    if (e.value) v.value = std::string_view(*e.value);
  }
  return write_java_byte_map(std::span<const ByteMapEntryView>(views));
}

}  // namespace sluice::storage
