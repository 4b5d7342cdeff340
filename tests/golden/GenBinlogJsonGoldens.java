// Writes mysql_binary_json.tsv: MySQL binary JSON documents (built here from the grammar in
// MySQL's sql/json_binary.h, plus the documents of the json.binlog.000001 fixture) and the text
// Debezium's MySQL connector makes of them: JsonBinary.parseAsString of mysql-binlog-connector-java
// (the version Debezium 2.7 ships), which BinlogValueConverters.convertJson calls for binlog JSON.
// tests/unit/plugins/mysql/json_golden_test.cc checks Sluice's renderer against the file.
//
// Run by tests/golden/regenerate.sh:
//   java -cp "$CACHE/plugins/debezium-connector-mysql/*" GenBinlogJsonGoldens.java OUT_DIR [json.binlog.000001]
import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonBinary;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

public class GenBinlogJsonGoldens {
  static final List<String> lines = new ArrayList<>();

  // -- the binary format ------------------------------------------------------------------
  static final int SMALL_OBJ = 0, LARGE_OBJ = 1, SMALL_ARR = 2, LARGE_ARR = 3, LITERAL = 4, INT16 = 5,
      UINT16 = 6, INT32 = 7, UINT32 = 8, INT64 = 9, UINT64 = 10, DOUBLE = 11, STRING = 12, OPAQUE = 15;

  static byte[] le(long v, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (v >>> (8 * i));
    return b;
  }

  static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) o.writeBytes(p);
    return o.toByteArray();
  }

  static byte[] varlen(int n) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    do {
      int b = n & 0x7f;
      n >>>= 7;
      if (n != 0) b |= 0x80;
      o.write(b);
    } while (n != 0);
    return o.toByteArray();
  }

  // A value: its type and either inline bytes (literals, [u]int16, large [u]int32) or data.
  record V(int type, byte[] data, boolean inline) {}

  static V lit(int v) { return new V(LITERAL, new byte[] {(byte) v}, true); }
  static V i16(int v) { return new V(INT16, le(v, 2), true); }
  static V u16(int v) { return new V(UINT16, le(v, 2), true); }
  static V i32(int v, boolean large) { return new V(INT32, le(v, 4), large); }
  static V u32(long v, boolean large) { return new V(UINT32, le(v, 4), large); }
  static V i64(long v) { return new V(INT64, le(v, 8), false); }
  static V u64(long v) { return new V(UINT64, le(v, 8), false); }
  static V dbl(double d) { return new V(DOUBLE, le(Double.doubleToRawLongBits(d), 8), false); }
  static V str(String s) {
    byte[] u = s.getBytes(StandardCharsets.UTF_8);
    return new V(STRING, cat(varlen(u.length), u), false);
  }
  static V opaque(int fieldType, byte[] data) {
    return new V(OPAQUE, cat(new byte[] {(byte) fieldType}, varlen(data.length), data), false);
  }

  static V container(boolean object, boolean large, String[] keys, V... values) {
    int w = large ? 4 : 2, n = values.length;
    int header = 2 * w + n * (object ? w + 2 : 0) + n * (1 + w);
    int keysSize = 0;
    byte[][] kb = new byte[n][];
    for (int i = 0; object && i < n; i++) {
      kb[i] = keys[i].getBytes(StandardCharsets.UTF_8);
      keysSize += kb[i].length;
    }
    int pos = header + keysSize;
    int[] off = new int[n];
    for (int i = 0; i < n; i++) {
      off[i] = pos;
      if (!values[i].inline) pos += values[i].data.length;
    }
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.writeBytes(le(n, w));
    o.writeBytes(le(pos, w));
    int koff = header;
    for (int i = 0; object && i < n; i++) {
      o.writeBytes(le(koff, w));
      o.writeBytes(le(kb[i].length, 2));
      koff += kb[i].length;
    }
    for (int i = 0; i < n; i++) {
      o.write(values[i].type);
      if (values[i].inline) {
        byte[] d = new byte[w];
        System.arraycopy(values[i].data, 0, d, 0, Math.min(w, values[i].data.length));
        o.writeBytes(d);
      } else {
        o.writeBytes(le(off[i], w));
      }
    }
    for (int i = 0; object && i < n; i++) o.writeBytes(kb[i]);
    for (V v : values) if (!v.inline) o.writeBytes(v.data);
    int type = object ? (large ? LARGE_OBJ : SMALL_OBJ) : (large ? LARGE_ARR : SMALL_ARR);
    return new V(type, o.toByteArray(), false);
  }

  static V obj(String[] keys, V... values) { return container(true, false, keys, values); }
  static V arr(V... values) { return container(false, false, null, values); }

  static byte[] doc(V v) {
    byte[] d = v.inline ? v.data : v.data;
    return cat(new byte[] {(byte) v.type}, d);
  }

  // Packed temporal values (MySQL's TIME_to_longlong_*_packed), little-endian 8 bytes.
  static byte[] packedDatetime(int y, int mo, int d, int h, int mi, int s, int us) {
    long ymd = ((long) (y * 13 + mo) << 5) | d;
    long hms = ((long) h << 12) | ((long) mi << 6) | s;
    return le((((ymd << 17) | hms) << 24) | us, 8);
  }

  static byte[] packedTime(boolean neg, int h, int mi, int s, int us) {
    long hms = ((long) h << 12) | ((long) mi << 6) | s;
    long v = (hms << 24) | us;
    return le(neg ? -v : v, 8);
  }

  // -- cases -------------------------------------------------------------------------------
  static void add(String name, byte[] doc) {
    String hex = toHex(doc);
    String text;
    try {
      text = JsonBinary.parseAsString(doc);
    } catch (Exception e) {
      text = "ERROR";
    }
    lines.add(name + "\t" + hex + "\t" + text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n"));
  }

  static long u(byte[] b, int off, int n) {
    long v = 0;
    for (int i = 0; i < n; i++) v |= (long) (b[off + i] & 0xff) << (8 * i);
    return v;
  }

  static String toHex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) s.append(String.format("%02x", x & 0xff));
    return s.toString();
  }

  public static void main(String[] args) throws Exception {
    add("literal.true", doc(lit(1)));
    add("literal.false", doc(lit(2)));
    add("literal.null", doc(lit(0)));
    add("int16.min", doc(new V(INT16, le(-32768, 2), false)));
    add("uint16.max", doc(new V(UINT16, le(65535, 2), false)));
    add("int32.min", doc(new V(INT32, le(Integer.MIN_VALUE, 4), false)));
    add("uint32.max", doc(new V(UINT32, le(0xffffffffL, 4), false)));
    add("int64.min", doc(i64(Long.MIN_VALUE)));
    add("uint64.max", doc(u64(-1L)));
    double[] doubles = {0.0, 1.0, -1.5, 0.1, 3.14159, 100.0, 1234567.125, 9999999.0, 1e7, 1.5e10, 1e20, 1e23,
                        0.001, 0.00099, 1e-4, -1.5e-5, 5e-324, Double.MAX_VALUE, 123456789012345.6, 2.5e-3};
    for (double d : doubles) add("double." + d, doc(dbl(d)));
    add("string.empty", doc(str("")));
    add("string.escapes", doc(str("q\"b\\s/t\tn\nr\rf\fb\b\u0001\u001f\u007f")));
    add("string.unicode", doc(str("héllo ✓ 😀 日本")));
    add("string.long", doc(str("x".repeat(300))));
    add("object.empty", doc(obj(new String[] {})));
    add("array.empty", doc(arr()));
    add("object.small", doc(obj(new String[] {"a", "bb", "ccc"}, i16(7), str("x"), lit(1))));
    add("object.int16.negative", doc(obj(new String[] {"n"}, i16(-5))));
    add("array.int16.negative", doc(arr(i16(-5), i16(-32768), u16(65535))));
    add("object.nested", doc(obj(new String[] {"a", "list"}, obj(new String[] {"k"}, lit(0)),
        arr(i16(1), dbl(2.5), str("three"), arr(), obj(new String[] {})))));
    add("array.small.int32", doc(arr(i32(70000, false), u32(3000000000L, false), i64(-1L))));
    add("object.large", doc(container(true, true, new String[] {"k", "n"}, i32(-100000, true),
        container(false, true, null, u32(4000000000L, true), lit(2)))));
    add("object.key.escapes", doc(obj(new String[] {"q\"\\\t"}, lit(1))));
    add("opaque.decimal", doc(opaque(246, new byte[] {10, 4, (byte) 0x80, 0x04, (byte) 0xd2, 0x16, 0x2e})));
    add("opaque.decimal.negative", doc(opaque(246, new byte[] {10, 4, 0x7f, (byte) 0xfb, 0x2d, (byte) 0xe9, (byte) 0xd1})));
    add("opaque.decimal.scale0", doc(opaque(246, new byte[] {5, 0, (byte) 0x80, 0x00, 0x0c})));
    add("opaque.decimal.fraction", doc(opaque(246, new byte[] {4, 2, (byte) 0x80, 0x32})));
    add("opaque.date", doc(opaque(10, packedDatetime(2024, 6, 10, 0, 0, 0, 0))));
    add("opaque.datetime", doc(opaque(12, packedDatetime(2024, 6, 10, 6, 13, 20, 0))));
    add("opaque.datetime.micros", doc(opaque(12, packedDatetime(2024, 6, 10, 6, 13, 20, 500000))));
    add("opaque.datetime.small.micros", doc(opaque(12, packedDatetime(1999, 12, 31, 23, 59, 59, 120))));
    add("opaque.timestamp", doc(opaque(7, packedDatetime(2038, 1, 19, 3, 14, 7, 999999))));
    add("opaque.time", doc(opaque(11, packedTime(false, 12, 34, 56, 0))));
    add("opaque.time.micros", doc(opaque(11, packedTime(false, 12, 34, 56, 100000))));
    add("opaque.time.negative", doc(opaque(11, packedTime(true, 12, 34, 56, 0))));
    add("opaque.time.large", doc(opaque(11, packedTime(false, 838, 59, 59, 0))));
    add("opaque.blob", doc(opaque(252, new byte[] {'h', 'i', 0})));
    add("opaque.varchar", doc(opaque(15, "text".getBytes(StandardCharsets.UTF_8))));
    add("opaque.bit", doc(opaque(16, new byte[] {(byte) 0xa5})));
    add("opaque.geometry", doc(opaque(255, new byte[] {0, 0, 0, 0, 1, 1, 0, 0, 0})));
    add("opaque.in.object", doc(obj(new String[] {"d", "t"}, opaque(10, packedDatetime(2000, 1, 1, 0, 0, 0, 0)),
        opaque(246, new byte[] {4, 2, (byte) 0x80, 0x32}))));
    // The documents of ../shared/fixtures/mysql-binlog/json.binlog.000001 (MySQL 8.0.22), when
    // the file is given: t(id INT, json_col JSON, name VARCHAR(100) utf8mb4, age INT) rows of
    // its WRITE_ROWS (30) and UPDATE_ROWS (31) events.
    if (args.length > 1) {
      byte[] f = Files.readAllBytes(Path.of(args[1]));
      int pos = 4, n = 0;
      while (pos + 19 <= f.length) {
        int size = (int) u(f, pos + 9, 4), type = f[pos + 4] & 0xff;
        int body = pos + 19, end = pos + size - 4;  // CRC32 at the end
        pos += size;
        if (type != 30 && type != 31) continue;
        int p = body + 8 + (int) u(f, body + 8, 2);  // table id, flags, extra data
        p += 1 + (type == 31 ? 2 : 1);               // column count, bitmaps
        while (p < end) {
          for (int image = 0; image < (type == 31 ? 2 : 1); image++) {
            int nulls = f[p++] & 0xff;
            if ((nulls & 1) == 0) p += 4;
            if ((nulls & 2) == 0) {
              int len = (int) u(f, p, 4);
              add("fixture.json_binlog." + (n++), java.util.Arrays.copyOfRange(f, p + 4, p + 4 + len));
              p += 4 + len;
            }
            if ((nulls & 4) == 0) p += 2 + (int) u(f, p, 2);
            if ((nulls & 8) == 0) p += 4;
          }
        }
      }
    }
    Path out = Path.of(args[0], "mysql_binary_json.tsv");
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
      w.println("# Generated by tests/golden/GenBinlogJsonGoldens.java (mysql-binlog-connector-java "
          + JsonBinary.class.getPackage().getImplementationVersion() + ", Java " + System.getProperty("java.version")
          + "); do not edit, run tests/golden/regenerate.sh");
      w.println("# case\tbinary JSON (hex)\tDebezium's text (\\\\, \\t, \\n escaped)");
      for (String l : lines) w.println(l);
    }
  }
}
