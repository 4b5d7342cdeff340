#include "plugins/mysql/binlog/inflate.h"

#include <array>
#include <cstring>

namespace sluice::mysql {
namespace {

constexpr int kMaxBits = 15;

// Canonical Huffman decoding table: counts per code length and symbols in code order.
struct Huffman {
  std::array<uint16_t, kMaxBits + 1> count{};
  std::array<uint16_t, 320> symbol{};
};

class BitReader {
 public:
  BitReader(const uint8_t* p, size_t n) : p_(p), end_(p + n) {}
  // Returns -1 past the end of the input.
  int bits(int n) {
    while (have_ < n) {
      if (p_ == end_) return -1;
      buf_ |= uint32_t(*p_++) << have_;
      have_ += 8;
    }
    int v = int(buf_ & ((1u << n) - 1));
    buf_ >>= n;
    have_ -= n;
    return v;
  }
  void align() {
    buf_ = 0;
    have_ = 0;
  }
  const uint8_t* pos() const { return p_; }
  size_t left() const { return size_t(end_ - p_); }
  void advance(size_t n) { p_ += n; }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
  uint32_t buf_ = 0;
  int have_ = 0;
};

// Builds the table; returns false for an over-subscribed set of lengths. Incomplete sets are
// allowed (a single distance code is legal) and fail only if an unused code is read.
bool build(Huffman& h, const uint8_t* lengths, int n) {
  h.count.fill(0);
  for (int i = 0; i < n; ++i) h.count[lengths[i]]++;
  h.count[0] = 0;
  int left = 1;
  for (int len = 1; len <= kMaxBits; ++len) {
    left <<= 1;
    left -= h.count[len];
    if (left < 0) return false;
  }
  std::array<uint16_t, kMaxBits + 2> offs{};
  for (int len = 1; len < kMaxBits; ++len) offs[len + 1] = uint16_t(offs[len] + h.count[len]);
  for (int i = 0; i < n; ++i) {
    if (lengths[i] != 0) h.symbol[offs[lengths[i]]++] = uint16_t(i);
  }
  return true;
}

// Reads one symbol bit by bit (codes are stored most significant bit first).
int decode(BitReader& br, const Huffman& h) {
  int code = 0, first = 0, index = 0;
  for (int len = 1; len <= kMaxBits; ++len) {
    int b = br.bits(1);
    if (b < 0) return -1;
    code |= b;
    int count = h.count[len];
    if (code - count < first) return h.symbol[index + (code - first)];
    index += count;
    first += count;
    first <<= 1;
    code <<= 1;
  }
  return -2;
}

constexpr uint16_t kLengthBase[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                      31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr uint8_t kLengthExtra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr uint16_t kDistBase[30] = {1,   2,   3,   4,   5,   7,    9,    13,   17,   25,
                                    33,  49,  65,  97,  129, 193,  257,  385,  513,  769,
                                    1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr uint8_t kDistExtra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                    6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

class Inflater {
 public:
  Inflater(BitReader& br, size_t max, std::vector<uint8_t>& out, std::string& error)
      : br_(br), max_(max), out_(out), error_(error) {}

  bool run() {
    for (;;) {
      int last = br_.bits(1);
      int type = br_.bits(2);
      if (last < 0 || type < 0) return fail("truncated deflate block header");
      bool ok;
      if (type == 0) {
        ok = stored();
      } else if (type == 1) {
        ok = fixed();
      } else if (type == 2) {
        ok = dynamic();
      } else {
        return fail("invalid deflate block type 3");
      }
      if (!ok) return false;
      if (last) return true;
    }
  }

 private:
  bool fail(const char* msg) {
    error_ = msg;
    return false;
  }

  bool stored() {
    br_.align();
    if (br_.left() < 4) return fail("truncated stored block");
    const uint8_t* p = br_.pos();
    uint16_t len = uint16_t(p[0] | (p[1] << 8));
    uint16_t nlen = uint16_t(p[2] | (p[3] << 8));
    if (uint16_t(~nlen) != len) return fail("stored block length check failed");
    br_.advance(4);
    if (br_.left() < len) return fail("truncated stored block");
    if (out_.size() + len > max_) return fail("inflated data larger than announced");
    out_.insert(out_.end(), br_.pos(), br_.pos() + len);
    br_.advance(len);
    return true;
  }

  bool fixed() {
    static const auto tables = [] {
      std::array<Huffman, 2> t;
      uint8_t lengths[288];
      int i = 0;
      for (; i < 144; ++i) lengths[i] = 8;
      for (; i < 256; ++i) lengths[i] = 9;
      for (; i < 280; ++i) lengths[i] = 7;
      for (; i < 288; ++i) lengths[i] = 8;
      build(t[0], lengths, 288);
      for (i = 0; i < 30; ++i) lengths[i] = 5;
      build(t[1], lengths, 30);
      return t;
    }();
    return codes(tables[0], tables[1]);
  }

  bool dynamic() {
    int nlen = br_.bits(5), ndist = br_.bits(5), ncode = br_.bits(4);
    if (nlen < 0 || ndist < 0 || ncode < 0) return fail("truncated dynamic block header");
    nlen += 257;
    ndist += 1;
    ncode += 4;
    if (nlen > 286 || ndist > 30) return fail("bad dynamic block code counts");
    static constexpr uint8_t kOrder[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    uint8_t lengths[320] = {};
    for (int i = 0; i < ncode; ++i) {
      int v = br_.bits(3);
      if (v < 0) return fail("truncated code length codes");
      lengths[kOrder[i]] = uint8_t(v);
    }
    Huffman lencode, distcode;
    if (!build(lencode, lengths, 19)) return fail("bad code length code");
    int index = 0;
    while (index < nlen + ndist) {
      int sym = decode(br_, lencode);
      if (sym < 0) return fail("bad code length symbol");
      if (sym < 16) {
        lengths[index++] = uint8_t(sym);
        continue;
      }
      int len = 0, rep;
      if (sym == 16) {
        if (index == 0) return fail("repeat with no previous length");
        len = lengths[index - 1];
        rep = br_.bits(2);
        if (rep < 0) return fail("truncated repeat");
        rep += 3;
      } else if (sym == 17) {
        rep = br_.bits(3);
        if (rep < 0) return fail("truncated repeat");
        rep += 3;
      } else {
        rep = br_.bits(7);
        if (rep < 0) return fail("truncated repeat");
        rep += 11;
      }
      if (index + rep > nlen + ndist) return fail("too many code lengths");
      while (rep--) lengths[index++] = uint8_t(len);
    }
    if (lengths[256] == 0) return fail("no end-of-block code");
    if (!build(lencode, lengths, nlen)) return fail("bad literal/length code");
    if (!build(distcode, lengths + nlen, ndist)) return fail("bad distance code");
    return codes(lencode, distcode);
  }

  bool codes(const Huffman& lencode, const Huffman& distcode) {
    for (;;) {
      int sym = decode(br_, lencode);
      if (sym < 0) return fail("bad literal/length symbol");
      if (sym < 256) {
        if (out_.size() >= max_) return fail("inflated data larger than announced");
        out_.push_back(uint8_t(sym));
        continue;
      }
      if (sym == 256) return true;
      sym -= 257;
      if (sym >= 29) return fail("bad length symbol");
      int extra = br_.bits(kLengthExtra[sym]);
      if (extra < 0) return fail("truncated length");
      size_t len = size_t(kLengthBase[sym]) + size_t(extra);
      int dsym = decode(br_, distcode);
      if (dsym < 0 || dsym >= 30) return fail("bad distance symbol");
      int dextra = br_.bits(kDistExtra[dsym]);
      if (dextra < 0) return fail("truncated distance");
      size_t dist = size_t(kDistBase[dsym]) + size_t(dextra);
      if (dist > out_.size()) return fail("distance too far back");
      if (out_.size() + len > max_) return fail("inflated data larger than announced");
      size_t from = out_.size() - dist;
      for (size_t i = 0; i < len; ++i) out_.push_back(out_[from + i]);
    }
  }

  BitReader& br_;
  size_t max_;
  std::vector<uint8_t>& out_;
  std::string& error_;
};

uint32_t adler32(const uint8_t* p, size_t n) {
  uint32_t a = 1, b = 0;
  while (n > 0) {
    size_t chunk = n < 5552 ? n : 5552;
    n -= chunk;
    while (chunk--) {
      a += *p++;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return (b << 16) | a;
}

}  // namespace

bool zlib_inflate(const uint8_t* data, size_t size, size_t max_output, std::vector<uint8_t>& out,
                  std::string& error) {
  out.clear();
  if (size < 6) {
    error = "zlib stream too short";
    return false;
  }
  uint8_t cmf = data[0], flg = data[1];
  if ((cmf & 0x0f) != 8 || (cmf >> 4) > 7 || ((cmf << 8) | flg) % 31 != 0) {
    error = "not a zlib stream";
    return false;
  }
  if (flg & 0x20) {
    error = "zlib preset dictionary not supported";
    return false;
  }
  BitReader br(data + 2, size - 2);
  Inflater inf(br, max_output, out, error);
  if (!inf.run()) return false;
  br.align();
  if (br.left() < 4) {
    error = "truncated zlib checksum";
    return false;
  }
  const uint8_t* a = br.pos();
  uint32_t expected = (uint32_t(a[0]) << 24) | (uint32_t(a[1]) << 16) | (uint32_t(a[2]) << 8) | a[3];
  if (adler32(out.data(), out.size()) != expected) {
    error = "zlib Adler-32 mismatch";
    return false;
  }
  return true;
}

}  // namespace sluice::mysql
