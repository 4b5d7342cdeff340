// Golden files for Sluice's JsonConverter and SimpleHeaderConverter, written by Kafka Connect's own
// Java classes (Kafka 3.9.2, the jars tests/jvm/fetch.sh caches). Run through regenerate.sh:
//
//   java -cp "$CACHE/connect/*" tests/golden/GenConverterGoldens.java tests/golden
//
// It writes two tab-separated files (a '#' line documents the columns; the text columns are
// escaped: \\ \t \n \r, other control characters as backslash-u00XX):
//
//   converters.tsv      case  config  result  base64  text
//       What fromConnectData / fromConnectHeader write for each case below. result is "bytes"
//       (base64 holds the exact output, text the same bytes as UTF-8), "null" (Java returned
//       null) or "error" (text holds the exception's class and message).
//   json_to_connect.tsv  case  config  input_base64  input_text  result  rendered
//       What JsonConverter.toConnectData and SimpleHeaderConverter.toConnectHeader give for the
//       inputs in the second table: result "ok" (rendered is renderSchema + " " + renderValue,
//       below), "null" (Java returned no SchemaAndValue at all) or "error" (rendered holds the
//       exception's class and message).
//
// Config labels: "json k=v k=v" is a JsonConverter configured as a value converter
// (configure(map, false)) with those settings; "header" is a SimpleHeaderConverter.
//
// tests/unit/plugins/converters/java_golden_test.cc mirrors the first table case by case, in the
// same order and under the same names: keep the two in step.

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;

public class GenConverterGoldens {

    static final long DAY = 86_400_000L;

    // ---- The cases: a name, a schema (null: schemaless) and a value -----------------------------

    record Case(String name, Schema schema, Object value) {}

    static final List<Case> CASES = new ArrayList<>();

    static void add(String name, Schema schema, Object value) {
        CASES.add(new Case(name, schema, value));
    }

    static BigDecimal dec(String unscaled, int scale) {
        return new BigDecimal(new BigInteger(unscaled), scale);
    }

    static java.util.Date ms(long millis) {
        return new java.util.Date(millis);
    }

    @SafeVarargs
    static <T> List<T> list(T... items) {
        return new ArrayList<>(Arrays.asList(items));
    }

    // A map in insertion order (Sluice's maps keep their order; Java's HashMap would not).
    static Map<Object, Object> map(Object... keysAndValues) {
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put(keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    static byte[] allBytes() {
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) b[i] = (byte) i;
        return b;
    }

    static void buildCases() {
        // Integers at their limits.
        add("int8.min", Schema.INT8_SCHEMA, Byte.MIN_VALUE);
        add("int8.max", Schema.INT8_SCHEMA, Byte.MAX_VALUE);
        add("int8.zero", Schema.INT8_SCHEMA, (byte) 0);
        add("int16.min", Schema.INT16_SCHEMA, Short.MIN_VALUE);
        add("int16.max", Schema.INT16_SCHEMA, Short.MAX_VALUE);
        add("int32.min", Schema.INT32_SCHEMA, Integer.MIN_VALUE);
        add("int32.max", Schema.INT32_SCHEMA, Integer.MAX_VALUE);
        add("int32.minus_one", Schema.INT32_SCHEMA, -1);
        add("int64.min", Schema.INT64_SCHEMA, Long.MIN_VALUE);
        add("int64.max", Schema.INT64_SCHEMA, Long.MAX_VALUE);
        add("int64.zero", Schema.INT64_SCHEMA, 0L);

        // float32 and float64 edge values.
        add("float32.zero", Schema.FLOAT32_SCHEMA, 0.0f);
        add("float32.negative_zero", Schema.FLOAT32_SCHEMA, -0.0f);
        add("float32.1e-5", Schema.FLOAT32_SCHEMA, 1.0E-5f);
        add("float32.1e7", Schema.FLOAT32_SCHEMA, 1.0E7f);
        add("float32.9999999", Schema.FLOAT32_SCHEMA, 9999999.0f);
        add("float32.0.1", Schema.FLOAT32_SCHEMA, 0.1f);
        add("float32.1.1", Schema.FLOAT32_SCHEMA, 1.1f);
        add("float32.min_value", Schema.FLOAT32_SCHEMA, Float.MIN_VALUE);
        add("float32.min_normal", Schema.FLOAT32_SCHEMA, Float.MIN_NORMAL);
        add("float32.max_value", Schema.FLOAT32_SCHEMA, Float.MAX_VALUE);
        add("float32.nan", Schema.FLOAT32_SCHEMA, Float.NaN);
        add("float32.infinity", Schema.FLOAT32_SCHEMA, Float.POSITIVE_INFINITY);
        add("float32.negative_infinity", Schema.FLOAT32_SCHEMA, Float.NEGATIVE_INFINITY);
        add("float64.zero", Schema.FLOAT64_SCHEMA, 0.0);
        add("float64.negative_zero", Schema.FLOAT64_SCHEMA, -0.0);
        add("float64.1e-5", Schema.FLOAT64_SCHEMA, 1.0E-5);
        add("float64.1e-3", Schema.FLOAT64_SCHEMA, 1.0E-3);
        add("float64.1e7", Schema.FLOAT64_SCHEMA, 1.0E7);
        add("float64.9999999.999", Schema.FLOAT64_SCHEMA, 9999999.999);
        add("float64.0.1", Schema.FLOAT64_SCHEMA, 0.1);
        add("float64.pi", Schema.FLOAT64_SCHEMA, Math.PI);
        add("float64.-123456.789", Schema.FLOAT64_SCHEMA, -123456.789);
        add("float64.1e21", Schema.FLOAT64_SCHEMA, 1.0E21);
        add("float64.2e23", Schema.FLOAT64_SCHEMA, 2.0E23);
        add("float64.min_value", Schema.FLOAT64_SCHEMA, Double.MIN_VALUE);
        add("float64.min_normal", Schema.FLOAT64_SCHEMA, Double.MIN_NORMAL);
        add("float64.max_value", Schema.FLOAT64_SCHEMA, Double.MAX_VALUE);
        add("float64.nan", Schema.FLOAT64_SCHEMA, Double.NaN);
        add("float64.infinity", Schema.FLOAT64_SCHEMA, Double.POSITIVE_INFINITY);
        add("float64.negative_infinity", Schema.FLOAT64_SCHEMA, Double.NEGATIVE_INFINITY);

        add("boolean.true", Schema.BOOLEAN_SCHEMA, true);
        add("boolean.false", Schema.BOOLEAN_SCHEMA, false);

        // Strings: every escape Jackson makes, and what it leaves alone.
        add("string.empty", Schema.STRING_SCHEMA, "");
        add("string.ascii", Schema.STRING_SCHEMA, "hello world");
        add("string.quotes", Schema.STRING_SCHEMA, "say \"hi\" 'there'");
        add("string.backslashes", Schema.STRING_SCHEMA, "C:\\path\\to\\file \\\\ end\\");
        add("string.slash_and_html", Schema.STRING_SCHEMA, "</script> & <b>");
        add("string.control", Schema.STRING_SCHEMA, "\u0000\u0001\u0007\b\t\n\u000b\f\r\u000e\u001b\u001f\u007f");
        add("string.non_ascii", Schema.STRING_SCHEMA, "caf\u00e9 \u00fc\u00df \u4e2d\u6587 \u0416 \u00a0");
        add("string.emoji", Schema.STRING_SCHEMA, "\ud83d\ude00 \ud83d\udc4d\ud83c\udffd \ud83c\uddeb\ud83c\uddf7");
        add("string.line_separators", Schema.STRING_SCHEMA, "a\u2028b\u2029c\u0085d");
        add("string.json_like", Schema.STRING_SCHEMA, "{\"a\":[1,2]}");
        add("string.optional_null", Schema.OPTIONAL_STRING_SCHEMA, null);

        add("bytes.empty", Schema.BYTES_SCHEMA, new byte[0]);
        add("bytes.small", Schema.BYTES_SCHEMA, new byte[] {1, 2, 3, (byte) 0xff});
        add("bytes.all_256", Schema.BYTES_SCHEMA, allBytes());
        add("bytes.text", Schema.BYTES_SCHEMA, "hi".getBytes(StandardCharsets.UTF_8));

        // Optional values, defaults, and a required value that is missing.
        add("optional.int32_null", Schema.OPTIONAL_INT32_SCHEMA, null);
        add("optional.int32_value", Schema.OPTIONAL_INT32_SCHEMA, 7);
        add("default.int32_null", SchemaBuilder.int32().defaultValue(42).build(), null);
        add("default.int32_value", SchemaBuilder.int32().defaultValue(42).build(), 5);
        add("default.optional_string_null", SchemaBuilder.string().optional().defaultValue("dflt").build(), null);
        add("required.int32_null", Schema.INT32_SCHEMA, null);

        // Decimal: BASE64 writes the minimal two's complement of the unscaled value, NUMERIC
        // BigDecimal.toString().
        add("decimal.scale0.zero", Decimal.schema(0), dec("0", 0));
        add("decimal.scale0.one", Decimal.schema(0), dec("1", 0));
        add("decimal.scale0.minus_one", Decimal.schema(0), dec("-1", 0));
        add("decimal.scale0.127", Decimal.schema(0), dec("127", 0));
        add("decimal.scale0.128", Decimal.schema(0), dec("128", 0));
        add("decimal.scale0.-128", Decimal.schema(0), dec("-128", 0));
        add("decimal.scale0.-129", Decimal.schema(0), dec("-129", 0));
        add("decimal.scale0.long_max", Decimal.schema(0), dec("9223372036854775807", 0));
        add("decimal.scale0.2_pow_64", Decimal.schema(0), dec("18446744073709551616", 0));
        add("decimal.scale0.minus_2_pow_70", Decimal.schema(0), dec("-1180591620717411303424", 0));
        add("decimal.scale2.2.22", Decimal.schema(2), dec("222", 2));
        add("decimal.scale2.-0.05", Decimal.schema(2), dec("-5", 2));
        add("decimal.scale2.0.00", Decimal.schema(2), dec("0", 2));
        add("decimal.scale2.1.00", Decimal.schema(2), dec("100", 2));
        add("decimal.scale2.-12345678901234567890.12", Decimal.schema(2), dec("-1234567890123456789012", 2));
        add("decimal.scale10.12345.6789012345", Decimal.schema(10), dec("123456789012345", 10));
        add("decimal.scale10.-0.0000000001", Decimal.schema(10), dec("-1", 10));
        add("decimal.scale10.huge", Decimal.schema(10), dec("123456789012345678901234567890", 10));
        add("decimal.scale6.0.000001", Decimal.schema(6), dec("1", 6));
        add("decimal.scale7.1E-7", Decimal.schema(7), dec("1", 7));
        add("decimal.scale8.5E-8", Decimal.schema(8), dec("5", 8));
        add("decimal.scale8.0.00000123", Decimal.schema(8), dec("123", 8));
        add("decimal.scale9.1.23E-7", Decimal.schema(9), dec("123", 9));
        add("decimal.scale-3.1E+3", Decimal.schema(-3), dec("1", -3));
        add("decimal.scale-2.-1.23E+4", Decimal.schema(-2), dec("-123", -2));
        add("decimal.optional_null", Decimal.builder(2).optional().build(), null);

        // Date (days), Time (ms of the day), Timestamp (ms): java.util.Date values.
        add("date.epoch", Date.SCHEMA, ms(0));
        add("date.19000", Date.SCHEMA, ms(19000 * DAY));
        add("date.before_epoch", Date.SCHEMA, ms(-DAY));
        add("date.9999-12-31", Date.SCHEMA, ms(2932896 * DAY));
        add("time.midnight", Time.SCHEMA, ms(0));
        add("time.12:34:56.789", Time.SCHEMA, ms(45296789));
        add("time.last_ms", Time.SCHEMA, ms(DAY - 1));
        add("timestamp.epoch", Timestamp.SCHEMA, ms(0));
        add("timestamp.2023", Timestamp.SCHEMA, ms(1700000000123L));
        add("timestamp.whole_day", Timestamp.SCHEMA, ms(19000 * DAY));
        add("timestamp.before_epoch", Timestamp.SCHEMA, ms(-1));
        add("timestamp.year_1", Timestamp.SCHEMA, ms(-62135596800000L));
        add("timestamp.optional_null", Timestamp.builder().optional().build(), null);

        // Arrays.
        Schema int32Array = SchemaBuilder.array(Schema.INT32_SCHEMA).build();
        add("array.int32", int32Array, list(1, -2, Integer.MAX_VALUE));
        add("array.empty", int32Array, list());
        add("array.optional_strings", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).build(), list("a", null, "c\"d"));
        add("array.of_arrays", SchemaBuilder.array(int32Array).build(), list(list(1, 2), list(), list(3)));
        add("array.decimals", SchemaBuilder.array(Decimal.schema(3)).build(), list(dec("1234", 3), dec("-1", 3)));
        add("array.dates", SchemaBuilder.array(Date.SCHEMA).build(), list(ms(0), ms(19000 * DAY)));
        add("array.float64", SchemaBuilder.array(Schema.FLOAT64_SCHEMA).build(), list(1.0, Double.NaN, -0.0));
        add("array.optional_null", SchemaBuilder.array(Schema.INT32_SCHEMA).optional().build(), null);

        // Maps with string keys (JSON objects) and other keys (arrays of [key, value] pairs).
        Schema stringToInt = SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build();
        add("map.string_keys", stringToInt, map("one", 1, "two", 2, "with \"quote\"", 3));
        add("map.string_keys.empty", stringToInt, map());
        add("map.string_keys.optional_null_key", SchemaBuilder.map(Schema.OPTIONAL_STRING_SCHEMA, Schema.INT32_SCHEMA).build(), map("a", 1, null, 2));
        add("map.int_keys", SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build(), map(1, "a", -2, "b"));
        add("map.int_keys.empty", SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build(), map());
        add("map.int64_keys_optional_values", SchemaBuilder.map(Schema.INT64_SCHEMA, Schema.OPTIONAL_FLOAT64_SCHEMA).build(), map(Long.MIN_VALUE, 1.5, 0L, null));
        add("map.decimal_values", SchemaBuilder.map(Schema.STRING_SCHEMA, Decimal.schema(2)).build(), map("price", dec("1999", 2), "neg", dec("-1", 2)));
        add("map.decimal_keys", SchemaBuilder.map(Decimal.schema(1), Schema.BOOLEAN_SCHEMA).build(), map(dec("15", 1), true, dec("-15", 1), false));
        add("map.date_keys", SchemaBuilder.map(Date.SCHEMA, Schema.INT32_SCHEMA).build(), map(ms(DAY), 1));
        add("map.string_to_array", SchemaBuilder.map(Schema.STRING_SCHEMA, int32Array).build(), map("xs", list(1, 2), "none", list()));
        add("map.string_keys.non_bmp", stringToInt, map("\ud83d\ude00", 1, "caf\u00e9\t", 2));
        add("map.bytes_keys", SchemaBuilder.map(Schema.BYTES_SCHEMA, Schema.STRING_SCHEMA).build(), map(new byte[] {0, 1}, "x"));

        // Structs.
        Schema flat = SchemaBuilder.struct().name("com.example.Flat")
            .field("i8", Schema.INT8_SCHEMA)
            .field("i16", Schema.INT16_SCHEMA)
            .field("i32", Schema.INT32_SCHEMA)
            .field("i64", Schema.INT64_SCHEMA)
            .field("f32", Schema.FLOAT32_SCHEMA)
            .field("f64", Schema.FLOAT64_SCHEMA)
            .field("bool", Schema.BOOLEAN_SCHEMA)
            .field("str", Schema.STRING_SCHEMA)
            .field("bin", Schema.BYTES_SCHEMA)
            .build();
        add("struct.flat", flat, new Struct(flat)
            .put("i8", (byte) -8).put("i16", (short) 1600).put("i32", 32).put("i64", 64L)
            .put("f32", 3.5f).put("f64", -0.25).put("bool", true).put("str", "s \"q\" \\")
            .put("bin", new byte[] {(byte) 0xde, (byte) 0xad}));

        Schema logicals = SchemaBuilder.struct().name("dbserver1.inventory.products.Value")
            .field("id", Schema.INT32_SCHEMA)
            .field("price", Decimal.builder(2).optional().build())
            .field("d", Date.builder().optional().build())
            .field("t", Time.builder().optional().build())
            .field("ts", Timestamp.SCHEMA)
            .build();
        add("struct.logical_fields", logicals, new Struct(logicals)
            .put("id", 1).put("price", dec("222", 2)).put("d", ms(19000 * DAY))
            .put("t", ms(3_600_000)).put("ts", ms(1700000000000L)));
        add("struct.logical_fields_nulls", logicals, new Struct(logicals).put("id", 2).put("ts", ms(0)));

        Schema optionals = SchemaBuilder.struct()
            .field("a", Schema.OPTIONAL_INT32_SCHEMA)
            .field("b", Schema.OPTIONAL_STRING_SCHEMA)
            .field("c", SchemaBuilder.array(Schema.INT32_SCHEMA).optional().build())
            .build();
        add("struct.optional_fields_null", optionals, new Struct(optionals));
        add("struct.optional_fields_set", optionals, new Struct(optionals).put("a", 1).put("b", "x").put("c", list(1)));

        Schema defaults = SchemaBuilder.struct().name("Defaults")
            .field("i", SchemaBuilder.int32().defaultValue(42).build())
            .field("s", SchemaBuilder.string().optional().defaultValue("dflt").build())
            .field("b", SchemaBuilder.bool().defaultValue(true).doc("a flag").build())
            .field("dec", Decimal.builder(2).defaultValue(dec("123", 2)).build())
            .field("d", Date.builder().defaultValue(ms(DAY)).build())
            .field("arr", SchemaBuilder.array(Schema.STRING_SCHEMA).defaultValue(list("x", "y")).build())
            .field("m", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).defaultValue(map("k", 1L)).build())
            .field("f", SchemaBuilder.float64().optional().defaultValue(1.0E-5).build())
            .build();
        add("struct.defaults_unset", defaults, new Struct(defaults));
        add("struct.defaults_set", defaults, new Struct(defaults)
            .put("i", 1).put("s", "set").put("b", false).put("dec", dec("-5", 2)).put("d", ms(0))
            .put("arr", list()).put("m", map()).put("f", 2.5));

        Schema metadata = SchemaBuilder.struct().name("com.example.Meta").version(3).doc("doc \"quoted\"\n")
            .parameter("p1", "v1").parameter("connect.name", "x\\y")
            .field("v", SchemaBuilder.string().name("com.example.Str").version(1).doc("field doc").parameter("len", "10").build())
            .build();
        add("struct.schema_metadata", metadata, new Struct(metadata).put("v", "value"));

        Schema address = SchemaBuilder.struct().name("Address")
            .field("street", Schema.STRING_SCHEMA)
            .field("zip", Schema.OPTIONAL_INT32_SCHEMA)
            .build();
        Schema person = SchemaBuilder.struct().name("Person")
            .field("name", Schema.STRING_SCHEMA)
            .field("home", address)
            .field("work", SchemaBuilder.struct().name("Address2").optional()
                .field("street", Schema.STRING_SCHEMA).build())
            .field("previous", SchemaBuilder.array(address).build())
            .field("by_label", SchemaBuilder.map(Schema.STRING_SCHEMA, address).build())
            .build();
        Struct home = new Struct(address).put("street", "1 Main St").put("zip", 12345);
        Struct old = new Struct(address).put("street", "\u00c9cole 2");
        add("struct.nested", person, new Struct(person)
            .put("name", "Ann").put("home", home)
            .put("previous", list(old, home)).put("by_label", map("home", home, "old", old)));

        Schema keyStruct = SchemaBuilder.struct().field("k", Schema.INT32_SCHEMA).build();
        add("map.struct_keys", SchemaBuilder.map(keyStruct, Schema.STRING_SCHEMA).build(),
            map(new Struct(keyStruct).put("k", 1), "one", new Struct(keyStruct).put("k", 2), "two"));
        add("array.structs", SchemaBuilder.array(keyStruct).build(),
            list(new Struct(keyStruct).put("k", 1), new Struct(keyStruct).put("k", -1)));

        Schema empty = SchemaBuilder.struct().name("Empty").build();
        add("struct.no_fields", empty, new Struct(empty));
        add("struct.optional_null", SchemaBuilder.struct().optional().field("a", Schema.INT32_SCHEMA).build(), null);
        add("struct.required_field_unset", keyStruct, new Struct(keyStruct));

        // No schema: JsonConverter infers the JSON from the Java value.
        add("schemaless.null", null, null);
        add("schemaless.int8", null, (byte) 5);
        add("schemaless.int32", null, 42);
        add("schemaless.int64", null, -5000000000L);
        add("schemaless.float32", null, 2.5f);
        add("schemaless.float64", null, 1.0E-7);
        add("schemaless.boolean", null, true);
        add("schemaless.string", null, "caf\u00e9 \"x\"");
        add("schemaless.bytes", null, new byte[] {104, 105});
        add("schemaless.array", null, list(1, "two", null, 3.0, list(true)));
        add("schemaless.map_string_keys", null, map("a", 1, "b", list("x"), "c", null));
        add("schemaless.map_int_keys", null, map(1, "a", 2, "b"));
        add("schemaless.map_mixed_keys", null, map("a", 1, 2, "b"));
        add("schemaless.map_empty", null, map());
        add("schemaless.nested", null, map("outer", map("inner", list(map(1L, 2L)))));

        // Values that do not fit their schema.
        add("mismatch.int32_schema_int64_value", Schema.INT32_SCHEMA, 5L);
        add("mismatch.string_schema_int32_value", Schema.STRING_SCHEMA, 5);
        add("mismatch.struct_other_schema", keyStruct, new Struct(address).put("street", "x"));
        add("mismatch.schemaless_struct", null, new Struct(keyStruct).put("k", 1));
    }

    // ---- Writing: the converter configurations -------------------------------------------------

    static boolean mentions(Schema s, java.util.function.Predicate<Schema> p) {
        if (s == null) return false;
        if (p.test(s)) return true;
        switch (s.type()) {
            case ARRAY: return mentions(s.valueSchema(), p);
            case MAP: return mentions(s.keySchema(), p) || mentions(s.valueSchema(), p);
            case STRUCT:
                for (Field f : s.fields()) if (mentions(f.schema(), p)) return true;
                return false;
            default: return false;
        }
    }

    // Every case is written with and without schemas; cases with a Decimal also with
    // decimal.format=NUMERIC, cases with a default also with replace.null.with.default=false; and
    // every case by SimpleHeaderConverter.
    static List<String> configsFor(Case c) {
        List<String> configs = new ArrayList<>();
        configs.add("json schemas.enable=true");
        configs.add("json schemas.enable=false");
        if (mentions(c.schema(), s -> Decimal.LOGICAL_NAME.equals(s.name()))) {
            configs.add("json schemas.enable=true decimal.format=NUMERIC");
            configs.add("json schemas.enable=false decimal.format=NUMERIC");
        }
        if (mentions(c.schema(), s -> s.defaultValue() != null)) {
            configs.add("json schemas.enable=true replace.null.with.default=false");
            configs.add("json schemas.enable=false replace.null.with.default=false");
        }
        configs.add("header");
        return configs;
    }

    static JsonConverter jsonConverter(String label) {
        Map<String, String> settings = new TreeMap<>();
        for (String kv : label.substring("json ".length()).split(" ")) {
            int eq = kv.indexOf('=');
            settings.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        JsonConverter converter = new JsonConverter();
        converter.configure(settings, false);
        return converter;
    }

    static String write(Case c, String config) {
        byte[] out;
        try {
            if (config.equals("header")) {
                out = new SimpleHeaderConverter().fromConnectHeader("topic", "h", c.schema(), c.value());
            } else {
                out = jsonConverter(config).fromConnectData("topic", c.schema(), c.value());
            }
        } catch (RuntimeException e) {
            return "error\t\t" + escape(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (out == null) return "null\t\t";
        return "bytes\t" + Base64.getEncoder().encodeToString(out) + "\t" + escape(new String(out, StandardCharsets.UTF_8));
    }

    // ---- Reading: JSON and header text inputs --------------------------------------------------

    record Input(String name, String config, String text) {}

    static final List<Input> INPUTS = new ArrayList<>();

    static void plain(String name, String json) {
        INPUTS.add(new Input("plain." + name, "json schemas.enable=false", json));
    }

    static void envelope(String name, String schema, String payload) {
        INPUTS.add(new Input("envelope." + name, "json schemas.enable=true",
            "{\"schema\":" + schema + ",\"payload\":" + payload + "}"));
    }

    static void raw(String name, String config, String text) {
        INPUTS.add(new Input(name, config, text));
    }

    static void header(String name, String text) {
        INPUTS.add(new Input("header." + name, "header", text));
    }

    static void buildInputs() {
        plain("null", "null");
        plain("true", "true");
        plain("int", "42");
        plain("int_whitespace", " \n\t42 \r\n");
        plain("long_min", "-9223372036854775808");
        plain("beyond_long", "9223372036854775808");
        plain("huge_integer", "123456789012345678901234567890");
        plain("double", "1.5");
        plain("double_exponent", "1E2");
        plain("double_negative_zero", "-0.0");
        plain("double_tiny", "4.9E-324");
        plain("double_beyond_range", "1e400");
        plain("double_negative_beyond_range", "-1.5e400");
        plain("double_negative_underflow", "-1e-400");
        plain("zero_huge_exponent", "0e400");
        plain("integer_400_digits", "1" + "0".repeat(399));
        plain("integer_negative_zero", "-0");
        plain("double_many_digits", "0.1000000000000000055511151231257827021181583404541015625");
        plain("string", "\"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\ \\/ \\n\"");
        plain("string_raw_utf8", "\"\u00e9\u4e2d\ud83d\ude00\"");
        plain("array", "[1,\"a\",null,true,2.5,[],{}]");
        plain("object", "{\"b\":1,\"a\":[true],\"c\":{\"d\":null}}");
        plain("object_duplicate_key", "{\"a\":1,\"a\":2}");
        plain("envelope_shaped", "{\"schema\":{\"type\":\"int32\",\"optional\":false},\"payload\":1}");
        plain("trailing_content", "42 43");
        plain("empty", "");
        plain("only_whitespace", "  ");
        plain("nan_literal", "NaN");
        plain("malformed", "{\"a\":");

        String int32 = "{\"type\":\"int32\",\"optional\":false}";
        envelope("int8", "{\"type\":\"int8\",\"optional\":false}", "-128");
        envelope("int8_wraps", "{\"type\":\"int8\",\"optional\":false}", "300");
        envelope("int16", "{\"type\":\"int16\",\"optional\":false}", "-32768");
        envelope("int32", int32, "2147483647");
        envelope("int32_wraps", int32, "2147483648");
        envelope("int32_from_decimal_number", int32, "7.9");
        envelope("int64_min", "{\"type\":\"int64\",\"optional\":false}", "-9223372036854775808");
        envelope("int64_from_exponent", "{\"type\":\"int64\",\"optional\":false}", "1e3");
        envelope("float", "{\"type\":\"float\",\"optional\":false}", "1.1");
        envelope("float_from_int", "{\"type\":\"float\",\"optional\":false}", "3");
        envelope("double", "{\"type\":\"double\",\"optional\":false}", "0.1");
        envelope("double_from_int", "{\"type\":\"double\",\"optional\":false}", "12345678901234567890");
        envelope("double_negative_zero", "{\"type\":\"double\",\"optional\":false}", "-0.0");
        envelope("double_negative_zero_integer", "{\"type\":\"double\",\"optional\":false}", "-0");
        envelope("double_beyond_range", "{\"type\":\"double\",\"optional\":false}", "1e400");
        envelope("double_from_400_digits", "{\"type\":\"double\",\"optional\":false}", "-1" + "0".repeat(399));
        envelope("float_beyond_range", "{\"type\":\"float\",\"optional\":false}", "1e39");
        envelope("float_many_digits", "{\"type\":\"float\",\"optional\":false}", "0.1000000000000000055511151231257827021181583404541015625");
        envelope("float_negative_zero", "{\"type\":\"float\",\"optional\":false}", "-0.0");
        envelope("int64_from_400_digits", "{\"type\":\"int64\",\"optional\":false}", "1" + "0".repeat(399));
        envelope("decimal_numeric_huge_exponent", "{\"type\":\"bytes\",\"optional\":false,\"name\":\"org.apache.kafka.connect.data.Decimal\",\"version\":1,\"parameters\":{\"scale\":\"0\"}}", "1e400");
        envelope("double_nan_string", "{\"type\":\"double\",\"optional\":false}", "\"NaN\"");
        envelope("boolean", "{\"type\":\"boolean\",\"optional\":false}", "false");
        envelope("string", "{\"type\":\"string\",\"optional\":false}", "\"a\\tb\"");
        envelope("string_from_number", "{\"type\":\"string\",\"optional\":false}", "42");
        envelope("bytes", "{\"type\":\"bytes\",\"optional\":false}", "\"AQID/w==\"");
        envelope("bytes_invalid_base64", "{\"type\":\"bytes\",\"optional\":false}", "\"not base64!\"");
        envelope("optional_null", "{\"type\":\"int32\",\"optional\":true}", "null");
        envelope("required_null", int32, "null");
        envelope("default_for_null", "{\"type\":\"int32\",\"optional\":false,\"default\":42}", "null");
        envelope("schema_null", "null", "{\"a\":[1]}");
        envelope("schema_metadata", "{\"type\":\"string\",\"optional\":true,\"name\":\"n\",\"version\":2,\"doc\":\"d\",\"parameters\":{\"k\":\"v\"}}", "\"x\"");
        String dec2 = "{\"type\":\"bytes\",\"optional\":false,\"name\":\"org.apache.kafka.connect.data.Decimal\",\"version\":1,\"parameters\":{\"scale\":\"2\"}}";
        envelope("decimal_base64", dec2, "\"AN4=\"");
        envelope("decimal_numeric", dec2, "2.22");
        envelope("decimal_numeric_integer", dec2, "-5");
        envelope("decimal_numeric_fewer_digits", dec2, "2.2");
        envelope("decimal_numeric_more_digits", dec2, "2.225");
        envelope("decimal_numeric_exponent", dec2, "1.5E3");
        envelope("decimal_huge", "{\"type\":\"bytes\",\"optional\":false,\"name\":\"org.apache.kafka.connect.data.Decimal\",\"version\":1,\"parameters\":{\"scale\":\"0\"}}", "\"AQAAAAAAAAAA\"");
        envelope("date", "{\"type\":\"int32\",\"optional\":false,\"name\":\"org.apache.kafka.connect.data.Date\",\"version\":1}", "19000");
        envelope("time", "{\"type\":\"int32\",\"optional\":false,\"name\":\"org.apache.kafka.connect.data.Time\",\"version\":1}", "45296789");
        envelope("timestamp", "{\"type\":\"int64\",\"optional\":false,\"name\":\"org.apache.kafka.connect.data.Timestamp\",\"version\":1}", "-1");
        envelope("array", "{\"type\":\"array\",\"items\":{\"type\":\"string\",\"optional\":true},\"optional\":false}", "[\"a\",null]");
        envelope("map_string_keys", "{\"type\":\"map\",\"keys\":{\"type\":\"string\",\"optional\":false},\"values\":{\"type\":\"int64\",\"optional\":false},\"optional\":false}", "{\"b\":2,\"a\":1}");
        envelope("map_int_keys", "{\"type\":\"map\",\"keys\":{\"type\":\"int32\",\"optional\":false},\"values\":{\"type\":\"string\",\"optional\":false},\"optional\":false}", "[[2,\"b\"],[1,\"a\"]]");
        envelope("map_bad_entry", "{\"type\":\"map\",\"keys\":{\"type\":\"int32\",\"optional\":false},\"values\":{\"type\":\"string\",\"optional\":false},\"optional\":false}", "[[1]]");
        String struct = "{\"type\":\"struct\",\"fields\":["
            + "{\"type\":\"int32\",\"optional\":false,\"field\":\"id\"},"
            + "{\"type\":\"string\",\"optional\":true,\"field\":\"name\"},"
            + "{\"type\":\"int64\",\"optional\":false,\"default\":7,\"field\":\"n\"}"
            + "],\"optional\":false,\"name\":\"com.example.S\"}";
        envelope("struct", struct, "{\"id\":1,\"name\":\"x\",\"n\":2}");
        envelope("struct_missing_fields", struct, "{\"id\":1}");
        envelope("struct_extra_field", struct, "{\"zzz\":true,\"id\":1,\"n\":3}");
        envelope("struct_required_missing", struct, "{\"name\":\"x\"}");
        envelope("struct_not_object", struct, "[1]");
        envelope("unknown_type", "{\"type\":\"uuid\",\"optional\":false}", "1");
        envelope("int32_given_string", int32, "\"12\"");
        raw("envelope.missing_payload", "json schemas.enable=true", "{\"schema\":" + int32 + "}");
        raw("envelope.extra_field", "json schemas.enable=true", "{\"schema\":" + int32 + ",\"payload\":1,\"x\":2}");
        raw("envelope.not_object", "json schemas.enable=true", "42");
        raw("envelope.null", "json schemas.enable=true", "null");
        raw("envelope.empty", "json schemas.enable=true", "");

        header("empty", "");
        header("text", "hello world");
        header("true", "true");
        header("null", "null");
        header("int8", "42");
        header("int16", "-300");
        header("int32", "70000");
        header("int64", "5000000000");
        header("beyond_long", "9223372036854775808");
        header("decimal_text", "1.5");
        header("decimal_many_digits", "3.141592653589793");
        header("exponent", "1e3");
        header("date", "2024-01-02");
        header("time", "12:34:56.789Z");
        header("timestamp", "2024-01-02T12:34:56.789Z");
        header("array", "[1,2,3]");
        header("array_mixed_ints", "[1,300,70000]");
        header("array_strings", "[\"a\",\"b\"]");
        header("map", "{\"a\":1,\"b\":2}");
        header("map_int_keys", "{1:\"x\",2:\"y\"}");
        header("unbalanced", "[1,2");
        header("quoted", "\"quoted\"");
        header("leading_space", " 42");
    }

    static String read(Input in) {
        byte[] bytes = in.text().getBytes(StandardCharsets.UTF_8);
        SchemaAndValue sv;
        try {
            if (in.config().equals("header")) {
                sv = new SimpleHeaderConverter().toConnectHeader("topic", "h", bytes);
            } else {
                sv = jsonConverter(in.config()).toConnectData("topic", bytes);
            }
        } catch (RuntimeException e) {
            return "error\t" + escape(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (sv == null) return "null\t";
        return "ok\t" + renderSchema(sv.schema()) + " " + renderValue(sv.value());
    }

    // ---- Canonical rendering of a SchemaAndValue ------------------------------------------------
    //
    // Schema: the type name, '?' when optional, then any of name=, version=, doc=, params={k=v},
    // default= (a rendered value); array(items), map(keys,values), struct{field:schema,...}.
    // Value, by Java class: int8:1 int16:1 int32:1 int64:1 float32:1.0 float64:1.0 boolean:true
    // string:"..." bytes:BASE64 decimal:UNSCALEDe-SCALE date:MILLIS [a,b] {k=v} (map entries
    // sorted by their rendered key) struct{a=1,b=null} null.

    static String renderSchema(Schema s) {
        if (s == null) return "null";
        StringBuilder sb = new StringBuilder(s.type().getName());
        switch (s.type()) {
            case ARRAY: sb.append('(').append(renderSchema(s.valueSchema())).append(')'); break;
            case MAP:
                sb.append('(').append(renderSchema(s.keySchema())).append(',')
                  .append(renderSchema(s.valueSchema())).append(')');
                break;
            case STRUCT:
                sb.append('{');
                for (Field f : s.fields()) {
                    if (f.index() > 0) sb.append(',');
                    sb.append(f.name()).append(':').append(renderSchema(f.schema()));
                }
                sb.append('}');
                break;
            default: break;
        }
        if (s.isOptional()) sb.append('?');
        if (s.name() != null) sb.append(" name=").append(quote(s.name()));
        if (s.version() != null) sb.append(" version=").append(s.version());
        if (s.doc() != null) sb.append(" doc=").append(quote(s.doc()));
        if (s.parameters() != null && !s.parameters().isEmpty()) {
            sb.append(" params={");
            boolean first = true;
            for (Map.Entry<String, String> e : new TreeMap<>(s.parameters()).entrySet()) {
                if (!first) sb.append(',');
                first = false;
                sb.append(quote(e.getKey())).append('=').append(quote(e.getValue()));
            }
            sb.append('}');
        }
        if (s.defaultValue() != null) sb.append(" default=").append(renderValue(s.defaultValue()));
        return sb.toString();
    }

    static String renderValue(Object v) {
        if (v == null) return "null";
        if (v instanceof Byte) return "int8:" + v;
        if (v instanceof Short) return "int16:" + v;
        if (v instanceof Integer) return "int32:" + v;
        if (v instanceof Long) return "int64:" + v;
        if (v instanceof Float) return "float32:" + v;
        if (v instanceof Double) return "float64:" + v;
        if (v instanceof Boolean) return "boolean:" + v;
        if (v instanceof String) return "string:" + quote((String) v);
        if (v instanceof byte[]) return "bytes:" + Base64.getEncoder().encodeToString((byte[]) v);
        if (v instanceof BigDecimal) {
            BigDecimal d = (BigDecimal) v;
            return "decimal:" + d.unscaledValue() + "e" + (-d.scale());
        }
        if (v instanceof java.util.Date) return "date:" + ((java.util.Date) v).getTime();
        if (v instanceof List) {
            StringBuilder sb = new StringBuilder("[");
            for (Object e : (List<?>) v) {
                if (sb.length() > 1) sb.append(',');
                sb.append(renderValue(e));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Map) {
            TreeMap<String, String> sorted = new TreeMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet())
                sorted.put(renderValue(e.getKey()), renderValue(e.getValue()));
            StringBuilder sb = new StringBuilder("{");
            for (Map.Entry<String, String> e : sorted.entrySet()) {
                if (sb.length() > 1) sb.append(',');
                sb.append(e.getKey()).append('=').append(e.getValue());
            }
            return sb.append('}').toString();
        }
        if (v instanceof Struct) {
            Struct st = (Struct) v;
            StringBuilder sb = new StringBuilder("struct{");
            for (Field f : st.schema().fields()) {
                if (f.index() > 0) sb.append(',');
                sb.append(f.name()).append('=').append(renderValue(st.getWithoutDefault(f.name())));
            }
            return sb.append('}').toString();
        }
        throw new IllegalStateException("cannot render " + v.getClass());
    }

    // A string in double quotes: '\' and '"' escaped, control characters as backslash-u00XX, the rest as is.
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '\\' || ch == '"') sb.append('\\').append(ch);
            else if (ch < 0x20) sb.append(String.format("\\u%04X", (int) ch));
            else sb.append(ch);
        }
        return sb.append('"').toString();
    }

    // A TSV text column: \\ \t \n \r, other control characters as backslash-u00XX.
    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '\\': sb.append("\\\\"); break;
                case '\t': sb.append("\\t"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                default:
                    if (ch < 0x20 || ch == 0x7f) sb.append(String.format("\\u%04X", (int) ch));
                    else sb.append(ch);
            }
        }
        return sb.toString();
    }

    // ---- main ------------------------------------------------------------------------------------

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java -cp 'CACHE/connect/*' GenConverterGoldens.java OUTDIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        org.apache.log4j.BasicConfigurator.configure(new org.apache.log4j.varia.NullAppender());
        buildCases();
        buildInputs();
        String version = new JsonConverter().version();
        String header = "# Generated by tests/golden/GenConverterGoldens.java (Kafka " + version
            + ", Java " + System.getProperty("java.version") + "); do not edit, run tests/golden/regenerate.sh\n";

        int rows = 0;
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve("converters.tsv"), StandardCharsets.UTF_8))) {
            w.print(header);
            w.print("# case\tconfig\tresult\tbase64\ttext\n");
            for (Case c : CASES) {
                for (String config : configsFor(c)) {
                    w.print(c.name() + "\t" + config + "\t" + write(c, config) + "\n");
                    rows++;
                }
            }
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve("json_to_connect.tsv"), StandardCharsets.UTF_8))) {
            w.print(header);
            w.print("# case\tconfig\tinput_base64\tinput_text\tresult\trendered\n");
            for (Input in : INPUTS) {
                byte[] bytes = in.text().getBytes(StandardCharsets.UTF_8);
                w.print(in.name() + "\t" + in.config() + "\t" + Base64.getEncoder().encodeToString(bytes) + "\t"
                    + escape(in.text()) + "\t" + read(in) + "\n");
            }
        }
        System.out.println(CASES.size() + " cases, " + rows + " rows in converters.tsv; "
            + INPUTS.size() + " inputs in json_to_connect.tsv");
    }
}
