// The Java serialization reader and writer for HashMap<byte[], byte[]>, against files written by
// a real JVM (tests/unit/storage/file/golden/, made by GenOffsets.java) and hand-made streams.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "storage/file/java_serialization.h"
#include "test_support.h"

namespace sluice::storage {
namespace {

using test::golden_path;
using test::read_bytes;

std::vector<ByteMapEntry> sorted(std::vector<ByteMapEntry> v) {
  std::sort(v.begin(), v.end(), [](const ByteMapEntry& a, const ByteMapEntry& b) {
    return a.key != b.key ? a.key < b.key : a.value < b.value;
  });
  return v;
}

std::vector<ByteMapEntry> read_ok(const std::string& bytes) {
  auto r = read_java_byte_map(bytes);
  INFO((r ? std::string() : r.error().message));
  REQUIRE(r.ok());
  return *r;
}

std::string write_ok(const std::vector<ByteMapEntry>& entries) {
  auto w = write_java_byte_map(entries);
  REQUIRE(w.ok());
  return *w;
}

std::string read_error(const std::string& bytes) {
  auto r = read_java_byte_map(bytes);
  REQUIRE_FALSE(r.ok());
  return r.error().message;
}

// Builds streams by hand, for inputs Java would not write.
struct Bytes {
  std::string s;
  Bytes& u8(std::uint8_t v) { s.push_back(static_cast<char>(v)); return *this; }
  Bytes& be(std::uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    return *this;
  }
  Bytes& utf(std::string_view t) { be(t.size(), 2); s.append(t); return *this; }
  Bytes& raw(std::string_view t) { s.append(t); return *this; }
};

// Stream header, HashMap descriptor (handle 0x7e0000) with the given superclass bytes already
// appended by the caller's `super`, and the map object (handle 0x7e0001).
Bytes hash_map_prefix(std::int64_t suid = kJavaHashMapSerialVersionUid, std::uint32_t lf = 0x3F400000) {
  Bytes b;
  b.be(0xACED, 2).be(5, 2).u8(0x73).u8(0x72).utf("java.util.HashMap").be(static_cast<std::uint64_t>(suid), 8)
      .u8(0x03).be(2, 2).u8('F').utf("loadFactor").u8('I').utf("threshold").u8(0x78).u8(0x70)
      .be(lf, 4).be(12, 4);
  return b;
}
Bytes& block(Bytes& b, std::int32_t capacity, std::int32_t size) {
  return b.u8(0x77).u8(8).be(static_cast<std::uint32_t>(capacity), 4).be(static_cast<std::uint32_t>(size), 4);
}
// A first byte[] (full "[B" descriptor: handle 0x7e0002, the array the next handle).
Bytes& first_array(Bytes& b, std::string_view data) {
  b.u8(0x75).u8(0x72).utf("[B").be(static_cast<std::uint64_t>(kJavaByteArraySerialVersionUid), 8)
      .u8(0x02).be(0, 2).u8(0x78).u8(0x70).be(data.size(), 4).raw(data);
  return b;
}
Bytes& next_array(Bytes& b, std::string_view data) {
  return b.u8(0x75).u8(0x71).be(0x7E0002, 4).be(data.size(), 4).raw(data);
}

const std::vector<ByteMapEntry> kJavaDefault = {
    {R"(["inventory",{"server":"dbserver1"}])", std::nullopt},
    {R"(["local-file-source",{"filename":"/tmp/other.txt"}])", R"({"position":56})"},
    {R"(["local-file-source",{"filename":"/tmp/test.txt"}])", R"({"position":1234})"},
};

const std::vector<ByteMapEntry> kJavaSingle = {
    {R"(["local-file-source",{"filename":"/tmp/test.txt"}])", R"({"position":1234})"},
};

std::vector<ByteMapEntry> java_grow_entries() {  // GenOffsets.java "grow"
  std::vector<ByteMapEntry> v;
  for (int i = 0; i < 13; ++i) {
    v.push_back({"[\"c\",{\"p\":" + std::to_string(i) + "}]", "{\"o\":" + std::to_string(i * 10) + "}"});
  }
  return v;
}

std::vector<std::string> golden_names() {
  return {"java_offsets.bin",      "java_offsets_single.bin", "java_offsets_empty.bin",
          "java_offsets_grow.bin", "java_offsets_linked.bin", "java_offsets_shared.bin"};
}

}  // namespace

TEST_CASE("java serialization: reads the HashMap<byte[],byte[]> a JVM wrote", "[storage][file]") {
  SECTION("three entries, one null value") {
    CHECK(sorted(read_ok(read_bytes(golden_path("java_offsets.bin")))) == kJavaDefault);
  }
  SECTION("one entry") {
    CHECK(read_ok(read_bytes(golden_path("java_offsets_single.bin"))) == kJavaSingle);
  }
  SECTION("empty map") {
    CHECK(read_ok(read_bytes(golden_path("java_offsets_empty.bin"))).empty());
  }
  SECTION("13 entries (table grown to 32)") {
    CHECK(sorted(read_ok(read_bytes(golden_path("java_offsets_grow.bin")))) ==
          sorted(java_grow_entries()));
  }
  SECTION("LinkedHashMap: a HashMap subclass with its own field") {
    std::vector<ByteMapEntry> want = {
        {R"(["inventory",{"server":"dbserver1"}])", R"({"lsn":123456,"txId":789})"},
        {R"(["inventory",{"server":"dbserver2"}])", std::nullopt},
    };
    CHECK(read_ok(read_bytes(golden_path("java_offsets_linked.bin"))) == want);
  }
  SECTION("a value shared by two keys is a TC_REFERENCE to the first array") {
    std::vector<ByteMapEntry> want = {
        {R"(["a",{"f":"1"}])", R"({"position":7})"},
        {R"(["a",{"f":"2"}])", R"({"position":7})"},
    };
    CHECK(sorted(read_ok(read_bytes(golden_path("java_offsets_shared.bin")))) == want);
  }
}

TEST_CASE("java serialization: the writer matches ObjectOutputStream byte for byte", "[storage][file]") {
  SECTION("one entry (Java's iteration order is then fixed)") {
    CHECK(write_ok(kJavaSingle) == read_bytes(golden_path("java_offsets_single.bin")));
  }
  SECTION("empty map: threshold 0, capacity 16") {
    CHECK(write_ok({}) == read_bytes(golden_path("java_offsets_empty.bin")));
  }
  SECTION("13 entries: same header, same length, same entries in another order") {
    const std::string java = read_bytes(golden_path("java_offsets_grow.bin"));
    const std::string ours = write_ok(java_grow_entries());
    REQUIRE(ours.size() == java.size());
    // Everything up to the first entry: descriptor, loadFactor, threshold 24, capacity 32, size 13.
    constexpr std::size_t kHeader = 0x51;
    CHECK(ours.substr(0, kHeader) == java.substr(0, kHeader));
    CHECK(ours.back() == java.back());
    CHECK(sorted(read_ok(ours)) == sorted(read_ok(java)));
  }
  SECTION("three entries with a null value") {
    const std::string java = read_bytes(golden_path("java_offsets.bin"));
    const std::string ours = write_ok(kJavaDefault);
    CHECK(ours.size() == java.size());
    CHECK(ours.substr(0, 0x51) == java.substr(0, 0x51));
  }
}

TEST_CASE("java serialization: HashMap sizing as Java computes it", "[storage][file]") {
  auto check = [](std::size_t size, std::int32_t capacity, std::int32_t threshold) {
    INFO("size " << size);
    JavaHashMapSizing s = java_hash_map_sizing(size);
    CHECK(s.capacity == capacity);
    CHECK(s.threshold == threshold);
  };
  check(0, 16, 0);
  check(1, 16, 12);
  check(12, 16, 12);
  check(13, 32, 24);
  check(24, 32, 24);
  check(25, 64, 48);
  check(768, 1024, 768);
  check(769, 2048, 1536);
  check(1000, 2048, 1536);
  check(805306368, 1 << 30, 0x7FFFFFFF);  // 0.75 * 2^30: the table stops growing at 2^30
  check(805306369, 1 << 30, 0x7FFFFFFF);
}

TEST_CASE("java serialization: round trips", "[storage][file]") {
  auto round_trip = [](const std::vector<ByteMapEntry>& entries) {
    CHECK(read_ok(write_ok(entries)) == entries);
  };
  SECTION("empty") { round_trip({}); }
  SECTION("null value") { round_trip({{"k", std::nullopt}}); }
  SECTION("empty arrays") { round_trip({{"", ""}, {"x", ""}}); }
  SECTION("binary bytes, every byte value") {
    std::string all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
    round_trip({{all, all}, {std::string("\0\0", 2), std::string("\xAC\xED\x00\x05", 4)},
                {"\x70\x71\x78", std::nullopt}});
  }
  SECTION("1000 entries, some null, one large") {
    std::vector<ByteMapEntry> v;
    for (int i = 0; i < 1000; ++i) {
      std::string key = R"(["conn",{"table":"t)" + std::to_string(i) + R"("}])";
      if (i % 7 == 0) {
        v.push_back({key, std::nullopt});
      } else {
        v.push_back({key, R"({"lsn":)" + std::to_string(i * 1000003LL) + "}"});
      }
    }
    v[500].value = std::string(100000, 'x');
    round_trip(v);
  }
  SECTION("duplicate keys survive as written") {
    round_trip({{"k", "1"}, {"k", "2"}});
  }
}

TEST_CASE("java serialization: truncated input is an error at every byte", "[storage][file]") {
  std::vector<std::string> files;
  for (const std::string& name : golden_names()) files.push_back(read_bytes(golden_path(name)));
  files.push_back(write_ok({{"k", std::nullopt}, {"key", "value"}}));
  for (const std::string& full : files) {
    REQUIRE(read_java_byte_map(full).ok());
    for (std::size_t n = 0; n < full.size(); ++n) {
      auto r = read_java_byte_map(std::string_view(full).substr(0, n));
      INFO("prefix of " << n << " of " << full.size() << " bytes");
      REQUIRE_FALSE(r.ok());
      CHECK_THAT(r.error().message, Catch::Contains("at byte "));
    }
  }
}

TEST_CASE("java serialization: malformed input gives a clear error", "[storage][file]") {
  const std::string single = read_bytes(golden_path("java_offsets_single.bin"));
  constexpr std::size_t kSizeAt = 0x4D;           // the size int in the block data
  constexpr std::size_t kFirstLengthAt = 0x64;    // the first array's length

  SECTION("wrong magic") {
    std::string b = single;
    b[0] = 'P';
    CHECK_THAT(read_error(b), Catch::Contains("at byte 0") && Catch::Contains("STREAM_MAGIC"));
    CHECK_THAT(read_error("PK\x03\x04"), Catch::Contains("not a Java serialization stream"));
    CHECK_THAT(read_error(""), Catch::Contains("unexpected end of input"));
  }
  SECTION("wrong version") {
    std::string b = single;
    b[3] = 4;
    CHECK_THAT(read_error(b), Catch::Contains("at byte 2") && Catch::Contains("STREAM_VERSION"));
  }
  SECTION("huge and negative array lengths") {
    for (std::uint32_t len : {0x7FFFFFFFu, 0x00FFFFFFu, 0x000000B0u, 0xFFFFFFFFu, 0x80000000u}) {
      std::string b = single;
      for (int i = 0; i < 4; ++i) b[kFirstLengthAt + i] = static_cast<char>(len >> (24 - 8 * i));
      std::string msg = read_error(b);
      INFO(msg);
      CHECK_THAT(msg, Catch::Contains("at byte " + std::to_string(kFirstLengthAt)));
      CHECK_THAT(msg, Catch::Contains("byte[] length"));
    }
  }
  SECTION("huge and negative entry counts") {
    for (std::uint32_t n : {0x7FFFFFFFu, 1000u, 0xFFFFFFFFu}) {
      std::string b = single;
      for (int i = 0; i < 4; ++i) b[kSizeAt + i] = static_cast<char>(n >> (24 - 8 * i));
      CHECK_THAT(read_error(b), Catch::Contains("HashMap size") &&
                                    Catch::Contains("at byte " + std::to_string(kSizeAt)));
    }
  }
  SECTION("more entries than written") {
    std::string b = single;
    b[kSizeAt + 3] = 2;
    CHECK_THAT(read_error(b), Catch::Contains("entry 2 of 2"));
  }
  SECTION("another class") {
    Bytes b;
    b.be(0xACED, 2).be(5, 2).u8(0x73).u8(0x72).utf("java.util.TreeMap").be(1, 8).u8(0x03)
        .be(0, 2).u8(0x78).u8(0x70).u8(0x78);
    CHECK_THAT(read_error(b.s), Catch::Contains("expected a java.util.HashMap") &&
                                    Catch::Contains("java.util.TreeMap"));
  }
  SECTION("a string instead of a map") {
    Bytes b;
    b.be(0xACED, 2).be(5, 2).u8(0x74).utf("hello");
    CHECK_THAT(read_error(b.s), Catch::Contains("at byte 4") && Catch::Contains("TC_STRING"));
  }
  SECTION("incompatible serialVersionUID") {
    Bytes b = hash_map_prefix(42);
    block(b, 16, 0).u8(0x78);
    CHECK_THAT(read_error(b.s), Catch::Contains("serialVersionUID 42"));
  }
  SECTION("illegal load factor") {
    Bytes b = hash_map_prefix(kJavaHashMapSerialVersionUid, 0);
    block(b, 16, 0).u8(0x78);
    CHECK_THAT(read_error(b.s), Catch::Contains("illegal HashMap load factor"));
  }
  SECTION("a class descriptor that is its own superclass") {
    Bytes b;
    b.be(0xACED, 2).be(5, 2).u8(0x73).u8(0x72).utf("java.util.HashMap")
        .be(static_cast<std::uint64_t>(kJavaHashMapSerialVersionUid), 8).u8(0x03).be(0, 2)
        .u8(0x78).u8(0x71).be(0x7E0000, 4);
    CHECK_THAT(read_error(b.s), Catch::Contains("cycle"));
  }
  SECTION("superclass chain too deep") {
    Bytes b;
    b.be(0xACED, 2).be(5, 2).u8(0x73);
    for (int i = 0; i < 100000; ++i) b.u8(0x72).utf("X").be(1, 8).u8(0x02).be(0, 2).u8(0x78);
    CHECK_THAT(read_error(b.s), Catch::Contains("nested more than"));
  }
  SECTION("keys and values that are not byte arrays") {
    Bytes string_key = hash_map_prefix();
    block(string_key, 16, 1).u8(0x74).utf("key").u8(0x70).u8(0x78);
    CHECK_THAT(read_error(string_key.s), Catch::Contains("TC_STRING") && Catch::Contains("the key"));

    Bytes null_key = hash_map_prefix();
    block(null_key, 16, 1).u8(0x70).u8(0x70).u8(0x78).raw("pad");
    CHECK_THAT(read_error(null_key.s), Catch::Contains("null key"));

    Bytes int_array = hash_map_prefix();
    block(int_array, 16, 1).u8(0x75).u8(0x72).utf("[I").be(1, 8).u8(0x02).be(0, 2).u8(0x78)
        .u8(0x70).be(0, 4).u8(0x70).u8(0x78);
    CHECK_THAT(read_error(int_array.s), Catch::Contains("array of class \"[I\""));

    Bytes self = hash_map_prefix();  // the map as its own key
    block(self, 16, 1).u8(0x71).be(0x7E0001, 4).u8(0x70).u8(0x78);
    CHECK_THAT(read_error(self.s), Catch::Contains("which is an object"));

    Bytes unknown = hash_map_prefix();
    block(unknown, 16, 1).u8(0x71).be(0x7E0042, 4).u8(0x70).u8(0x78);
    CHECK_THAT(read_error(unknown.s), Catch::Contains("unknown handle 0x007e0042"));
  }
  SECTION("back-references that would expand beyond the bound") {
    Bytes b = hash_map_prefix();
    const int n = 80;
    block(b, 256, n);
    first_array(b, "k0");
    next_array(b, std::string(1 << 20, 'v'));  // handle 0x7e0004
    for (int i = 1; i < n; ++i) {
      std::string key = "k";
      key += std::to_string(i);  // not "k" + ...: GCC 12 warns falsely (-Wrestrict) on that at -O2
      next_array(b, key).u8(0x71).be(0x7E0004, 4);
    }
    b.u8(0x78);
    CHECK_THAT(read_error(b.s), Catch::Contains("too many references"));
  }
  SECTION("missing TC_ENDBLOCKDATA after the entries") {
    Bytes b = hash_map_prefix();
    block(b, 16, 0).u8(0x70);
    CHECK_THAT(read_error(b.s), Catch::Contains("expected TC_ENDBLOCKDATA"));
  }
  SECTION("unread block data before an entry") {
    Bytes b = hash_map_prefix();
    b.u8(0x77).u8(9).be(16, 4).be(1, 4).u8(0);
    first_array(b, "k").u8(0x70).u8(0x78);
    CHECK_THAT(read_error(b.s), Catch::Contains("unread block data"));
  }
}

TEST_CASE("java serialization: accepts what ObjectInputStream accepts", "[storage][file]") {
  SECTION("block data split across blocks, TC_BLOCKDATALONG, extra block data at the end") {
    Bytes b = hash_map_prefix();
    // capacity 16 and size 1 as 3 bytes of TC_BLOCKDATA and 5 of TC_BLOCKDATALONG
    b.u8(0x77).u8(3).be(0, 3).u8(0x7A).be(5, 4).u8(0x10).be(1, 4);
    first_array(b, "key");
    next_array(b, "value");
    b.u8(0x77).u8(2).be(0xBEEF, 2).u8(0x78);
    CHECK(read_ok(b.s) == std::vector<ByteMapEntry>{{"key", "value"}});
  }
  SECTION("TC_RESET before the map, trailing bytes after it") {
    std::string single = read_bytes(golden_path("java_offsets_single.bin"));
    std::string b = single.substr(0, 4) + "\x79\x79" + single.substr(4) + "garbage";
    CHECK(read_ok(b) == kJavaSingle);
  }
  SECTION("a key array referenced again as a value") {
    Bytes b = hash_map_prefix();
    block(b, 16, 1);
    first_array(b, "same").u8(0x71).be(0x7E0003, 4).u8(0x78);
    CHECK(read_ok(b.s) == std::vector<ByteMapEntry>{{"same", "same"}});
  }
}

TEST_CASE("java serialization: mutated files never crash the reader", "[storage][file]") {
  std::vector<std::string> seeds;
  for (const std::string& name : golden_names()) seeds.push_back(read_bytes(golden_path(name)));
  std::mt19937 rng(20240611);
  std::size_t accepted = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string b = seeds[rng() % seeds.size()];
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !b.empty(); ++e) {
      std::size_t at = rng() % b.size();
      switch (rng() % 4) {
        case 0: b[at] = static_cast<char>(rng()); break;
        case 1: b[at] = static_cast<char>(b[at] ^ (1 << (rng() % 8))); break;
        case 2: b.erase(at, 1 + rng() % 8); break;
        default: b.insert(at, 1, static_cast<char>(0x70 + rng() % 16)); break;
      }
    }
    auto r = read_java_byte_map(b);
    if (r) {
      ++accepted;
      // Whatever is accepted writes back and reads back the same.
      auto w = write_java_byte_map(*r);
      REQUIRE(w.ok());
      REQUIRE(read_ok(*w) == *r);
    } else {
      REQUIRE_THAT(r.error().message, Catch::Contains("at byte "));
    }
  }
  CHECK(accepted > 0);
}

}  // namespace sluice::storage
