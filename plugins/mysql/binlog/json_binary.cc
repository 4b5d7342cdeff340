#include "plugins/mysql/binlog/json_binary.h"

#include <cstring>

#include "plugins/mysql/binlog/constants.h"
#include "plugins/mysql/binlog/values.h"

namespace sluice::mysql {
namespace {

enum : uint8_t {
  kSmallObject = 0x00,
  kLargeObject = 0x01,
  kSmallArray = 0x02,
  kLargeArray = 0x03,
  kLiteral = 0x04,
  kInt16 = 0x05,
  kUint16 = 0x06,
  kInt32 = 0x07,
  kUint32 = 0x08,
  kInt64 = 0x09,
  kUint64 = 0x0a,
  kDouble = 0x0b,
  kString = 0x0c,
  kOpaque = 0x0f,
};

constexpr int kMaxDepth = 100;

void append_micros_trimmed(uint32_t micros, std::string& out) {
  if (micros == 0) return;
  char d[6];
  uint32_t v = micros;
  for (int i = 5; i >= 0; --i) {
    d[i] = char('0' + v % 10);
    v /= 10;
  }
  int n = 6;
  while (n > 1 && d[n - 1] == '0') --n;
  out.push_back('.');
  out.append(d, size_t(n));
}

void append_2(unsigned v, std::string& out) {
  out.push_back(char('0' + v / 10 % 10));
  out.push_back(char('0' + v % 10));
}

class Renderer {
 public:
  Renderer(std::string_view doc, std::string& out) : doc_(doc), out_(out) {
    budget_nodes_ = doc.size() + 16;
    max_out_ = out.size() + doc.size() * 256 + 65536;
  }

  Status run() {
    if (doc_.empty()) {
      out_ += "null";
      return {};
    }
    value(uint8_t(doc_[0]), 1, doc_.size() - 1, 0);
    return status_;
  }

 private:
  bool fail(const std::string& msg) {
    if (status_.ok()) status_ = Status::error("binary JSON: " + msg);
    return false;
  }
  const uint8_t* at(size_t off) const { return as_bytes(doc_) + off; }

  // Renders the value of `type` whose data starts at `off`, with `avail` bytes to the end of
  // the enclosing container (or the document).
  bool value(uint8_t type, size_t off, size_t avail, int depth) {
    if (!status_.ok()) return false;
    if (budget_nodes_-- == 0) return fail("too many nodes");
    if (out_.size() > max_out_) return fail("rendering too large");
    switch (type) {
      case kSmallObject: return container(true, true, off, avail, depth);
      case kLargeObject: return container(true, false, off, avail, depth);
      case kSmallArray: return container(false, true, off, avail, depth);
      case kLargeArray: return container(false, false, off, avail, depth);
      case kLiteral:
        if (avail < 1) return fail("truncated literal");
        return literal(*at(off));
      case kInt16:
        if (avail < 2) return fail("truncated int16");
        out_ += std::to_string(int16_t(le16(at(off))));
        return true;
      case kUint16:
        if (avail < 2) return fail("truncated uint16");
        out_ += std::to_string(le16(at(off)));
        return true;
      case kInt32:
        if (avail < 4) return fail("truncated int32");
        out_ += std::to_string(int32_t(le32(at(off))));
        return true;
      case kUint32:
        if (avail < 4) return fail("truncated uint32");
        out_ += std::to_string(le32(at(off)));
        return true;
      case kInt64:
        if (avail < 8) return fail("truncated int64");
        out_ += std::to_string(int64_t(le64(at(off))));
        return true;
      case kUint64:
        if (avail < 8) return fail("truncated uint64");
        out_ += std::to_string(le64(at(off)));
        return true;
      case kDouble: {
        if (avail < 8) return fail("truncated double");
        double d;
        std::memcpy(&d, at(off), 8);
        append_java_double(d, out_);
        return true;
      }
      case kString: {
        size_t len, n;
        if (!varlen(off, avail, len, n)) return false;
        if (len > avail - n) return fail("string longer than its document");
        out_.push_back('"');
        append_json_escaped(as_view(at(off + n), len), out_);
        out_.push_back('"');
        return true;
      }
      case kOpaque: {
        if (avail < 1) return fail("truncated opaque value");
        uint8_t ftype = *at(off);
        size_t len, n;
        if (!varlen(off + 1, avail - 1, len, n)) return false;
        if (len > avail - 1 - n) return fail("opaque value longer than its document");
        return opaque(ftype, as_view(at(off + 1 + n), len));
      }
      default:
        return fail("unknown value type " + std::to_string(type));
    }
  }

  bool literal(uint8_t v) {
    if (v == 0) out_ += "null";
    else if (v == 1) out_ += "true";
    else if (v == 2) out_ += "false";
    else return fail("bad literal");
    return true;
  }

  bool varlen(size_t off, size_t avail, size_t& len, size_t& n) {
    len = 0;
    for (n = 0; n < 5; ++n) {
      if (n >= avail) return fail("truncated length");
      uint8_t b = *at(off + n);
      len |= size_t(b & 0x7f) << (7 * n);
      if (!(b & 0x80)) {
        ++n;
        return true;
      }
    }
    return fail("length too long");
  }

  bool container(bool object, bool small, size_t off, size_t avail, int depth) {
    if (depth >= kMaxDepth) return fail("nesting deeper than 100");
    size_t w = small ? 2 : 4;
    if (avail < 2 * w) return fail("truncated container header");
    uint64_t count = small ? le16(at(off)) : le32(at(off));
    uint64_t size = small ? le16(at(off + w)) : le32(at(off + w));
    if (size > avail) return fail("container larger than its document");
    size_t key_entry = object ? w + 2 : 0;
    size_t value_entry = 1 + w;
    uint64_t header = 2 * w + count * (key_entry + value_entry);
    if (header > size) return fail("container header larger than the container");
    out_.push_back(object ? '{' : '[');
    for (uint64_t i = 0; i < count; ++i) {
      if (i) out_.push_back(',');
      if (object) {
        size_t ke = off + 2 * w + size_t(i) * key_entry;
        uint64_t koff = small ? le16(at(ke)) : le32(at(ke));
        uint16_t klen = le16(at(ke + w));
        if (koff + klen > size) return fail("key outside its object");
        out_.push_back('"');
        append_json_escaped(as_view(at(off + koff), klen), out_);
        out_ += "\":";
      }
      size_t ve = off + 2 * w + size_t(count) * key_entry + size_t(i) * value_entry;
      uint8_t t = *at(ve);
      const uint8_t* vp = at(ve + 1);
      bool inlined = t == kLiteral || t == kInt16 || t == kUint16 || (!small && (t == kInt32 || t == kUint32));
      if (inlined) {
        switch (t) {
          case kLiteral: if (!literal(vp[0])) return false; break;
          case kInt16: out_ += std::to_string(int16_t(le16(vp))); break;
          case kUint16: out_ += std::to_string(le16(vp)); break;
          case kInt32: out_ += std::to_string(int32_t(le32(vp))); break;
          default: out_ += std::to_string(le32(vp)); break;
        }
        continue;
      }
      uint64_t voff = small ? le16(vp) : le32(vp);
      if (voff < header || voff >= size) return fail("value outside its container");
      if (!value(t, off + size_t(voff), size_t(size - voff), depth + 1)) return false;
    }
    out_.push_back(object ? '}' : ']');
    return true;
  }

  bool opaque(uint8_t ftype, std::string_view data) {
    using namespace column_type;
    switch (ftype) {
      case kNewDecimal: case kDecimal: {
        if (data.size() < 2) return fail("truncated DECIMAL");
        int precision = uint8_t(data[0]), scale = uint8_t(data[1]);
        Status st = decimal_to_string(data.substr(2, decimal_binary_size(precision, scale)),
                                      precision, scale, out_);
        if (!st.ok()) return fail(st.message());
        return true;
      }
      case kDate: case kTime: case kTime2: case kDateTime: case kDateTime2:
      case kTimestamp: case kTimestamp2: case kNewDate: {
        if (data.size() < 8) return fail("truncated temporal value");
        int64_t packed = int64_t(le64(as_bytes(data)));
        bool neg = packed < 0;
        uint64_t v = neg ? uint64_t(0) - uint64_t(packed) : uint64_t(packed);
        uint32_t micros = uint32_t(v % (1u << 24));
        uint64_t intpart = v >> 24;
        out_.push_back('"');
        if (ftype == kTime || ftype == kTime2) {
          unsigned hour = unsigned((intpart >> 12) % (1u << 10));
          if (neg) out_.push_back('-');
          if (hour < 10) out_.push_back('0');
          out_ += std::to_string(hour);
          out_.push_back(':');
          append_2(unsigned((intpart >> 6) % 64), out_);
          out_.push_back(':');
          append_2(unsigned(intpart % 64), out_);
          append_micros_trimmed(micros, out_);
        } else {
          uint64_t ymd = intpart >> 17, ym = ymd >> 5, hms = intpart % (1u << 17);
          TemporalParts t;
          t.year = int32_t(ym / 13);
          t.month = uint8_t(ym % 13);
          t.day = uint8_t(ymd % 32);
          append_date(t, out_);
          if (ftype != kDate && ftype != kNewDate) {
            out_.push_back(' ');
            append_2(unsigned(hms >> 12), out_);
            out_.push_back(':');
            append_2(unsigned((hms >> 6) % 64), out_);
            out_.push_back(':');
            append_2(unsigned(hms % 64), out_);
            append_micros_trimmed(micros, out_);
          }
        }
        out_.push_back('"');
        return true;
      }
      default:
        out_.push_back('"');
        append_base64(data, out_);
        out_.push_back('"');
        return true;
    }
  }

  std::string_view doc_;
  std::string& out_;
  Status status_;
  size_t budget_nodes_;
  size_t max_out_;
};

}  // namespace

Status json_binary_to_text(std::string_view doc, std::string& out) {
  Renderer r(doc, out);
  return r.run();
}

}  // namespace sluice::mysql
