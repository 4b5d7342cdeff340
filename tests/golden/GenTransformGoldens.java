// Golden files for Sluice's built-in transformations and predicates, written by Kafka Connect's own
// SMT classes (Kafka 3.9, connect-transforms) and Debezium's (2.7, debezium-core): the jars
// tests/jvm/fetch.sh caches. Run through regenerate.sh:
//
//   java -Duser.timezone=UTC -cp "$CACHE/connect/*:$CACHE/plugins/debezium-connector-postgres/*" \
//       tests/golden/GenTransformGoldens.java tests/golden
//
// It writes two files of one JSON object per line:
//
//   transforms.jsonl         {"case", "class", "config", "input", "output"}
//       input and output are records {"topic", "partition", "timestamp", "key", "value",
//       "headers": [{"key", "value"}]} whose key, value and header values are exactly what
//       JsonConverter (schemas.enable=true, replace.null.with.default=false) writes for them:
//       {"schema":...,"payload":...}, or null for a null schema with a null value. Every input is
//       first written that way and read back, and the transformation is applied to what was read,
//       so Sluice (which reads the same text with its own JsonConverter) starts from the same data.
//       output is a record, "dropped" (apply returned null), {"error": "..."} (apply threw) or
//       {"config_error": "..."} (configure threw). For a predicate output is {"result": bool}.
//   transform_configs.jsonl  {"class", "keys": [{"name", "type", "default", "required",
//       "importance", "documentation"}]}: each class's config() ConfigDef.
//
// tests/unit/plugins/transforms/java_golden_test.cc replays every case through Sluice.

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

public class GenTransformGoldens {

    static final String K = "org.apache.kafka.connect.transforms.";
    static final String P = "org.apache.kafka.connect.transforms.predicates.";
    static final String DBZ = "io.debezium.transforms.";

    static final JsonConverter CONV = new JsonConverter();

    // ---- Records --------------------------------------------------------------------------------

    static final class Rec {
        String topic;
        Integer partition;
        Long timestamp;
        Schema keySchema;
        Object key;
        Schema valueSchema;
        Object value;
        final List<Object[]> headers = new ArrayList<>();

        Rec key(Schema s, Object v) { keySchema = s; key = v; return this; }
        Rec value(Schema s, Object v) { valueSchema = s; value = v; return this; }
        Rec ts(long t) { timestamp = t; return this; }
        Rec partition(int p) { partition = p; return this; }
        Rec header(String k, Schema s, Object v) { headers.add(new Object[] {k, s, v}); return this; }
        Rec topic(String t) { topic = t; return this; }
    }

    static Rec rec(String topic) {
        Rec r = new Rec();
        r.topic = topic;
        return r;
    }

    static Rec copy(Rec in) {
        Rec r = rec(in.topic);
        r.partition = in.partition;
        r.timestamp = in.timestamp;
        r.keySchema = in.keySchema;
        r.key = in.key;
        r.valueSchema = in.valueSchema;
        r.value = in.value;
        r.headers.addAll(in.headers);
        return r;
    }

    static String enc(Schema s, Object v) {
        byte[] b = CONV.fromConnectData("t", s, v);
        return b == null ? "null" : new String(b, StandardCharsets.UTF_8);
    }

    static SchemaAndValue dec(String json) {
        return CONV.toConnectData("t", json.equals("null") ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    // The record as JSON, and the SourceRecord read back from that JSON.
    static String renderInput(Rec r) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\"topic\":").append(q(r.topic));
        sb.append(",\"partition\":").append(r.partition);
        sb.append(",\"timestamp\":").append(r.timestamp);
        sb.append(",\"key\":").append(enc(r.keySchema, r.key));
        sb.append(",\"value\":").append(enc(r.valueSchema, r.value));
        sb.append(",\"headers\":[");
        for (int i = 0; i < r.headers.size(); i++) {
            Object[] h = r.headers.get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"key\":").append(q((String) h[0])).append(",\"value\":").append(enc((Schema) h[1], h[2])).append('}');
        }
        return sb.append("]}").toString();
    }

    static SourceRecord readBack(Rec r) {
        SchemaAndValue k = dec(enc(r.keySchema, r.key));
        SchemaAndValue v = dec(enc(r.valueSchema, r.value));
        ConnectHeaders headers = new ConnectHeaders();
        for (Object[] h : r.headers) {
            SchemaAndValue hv = dec(enc((Schema) h[1], h[2]));
            headers.add((String) h[0], hv.value(), hv.schema());
        }
        return new SourceRecord(Map.of("p", 1), Map.of("o", 1), r.topic, r.partition, k.schema(), k.value(),
            v.schema(), v.value(), r.timestamp, headers);
    }

    static String renderOutput(SourceRecord r) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\"topic\":").append(q(r.topic()));
        sb.append(",\"partition\":").append(r.kafkaPartition());
        sb.append(",\"timestamp\":").append(r.timestamp());
        sb.append(",\"key\":").append(enc(r.keySchema(), r.key()));
        sb.append(",\"value\":").append(enc(r.valueSchema(), r.value()));
        sb.append(",\"headers\":[");
        boolean first = true;
        for (Header h : r.headers()) {
            if (!first) sb.append(',');
            first = false;
            sb.append("{\"key\":").append(q(h.key())).append(",\"value\":").append(enc(h.schema(), h.value())).append('}');
        }
        return sb.append("]}").toString();
    }

    static String q(String s) {
        if (s == null) return "null";
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    static String error(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    // ---- Cases ----------------------------------------------------------------------------------

    static final List<String> LINES = new ArrayList<>();
    static final Map<String, Integer> NAMES = new HashMap<>();

    static Map<String, String> cfg(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    static String renderConfig(Map<String, String> c) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : c.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            sb.append(q(e.getKey())).append(':').append(q(e.getValue()));
        }
        return sb.append('}').toString();
    }

    static void checkName(String name) {
        if (NAMES.put(name, 1) != null) throw new IllegalStateException("duplicate case " + name);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static void t(String name, String cls, Map<String, String> config, Rec in) {
        checkName(name);
        String output;
        Transformation<SourceRecord> tr;
        try {
            tr = (Transformation<SourceRecord>) Class.forName(cls).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(cls, e);
        }
        try {
            tr.configure(config);
            try {
                SourceRecord out = tr.apply(readBack(in));
                output = out == null ? "\"dropped\"" : renderOutput(out);
            } catch (Throwable e) {
                output = "{\"error\":" + q(error(e)) + "}";
            }
        } catch (Throwable e) {
            output = "{\"config_error\":" + q(error(e)) + "}";
        }
        LINES.add("{\"case\":" + q(name) + ",\"class\":" + q(cls) + ",\"config\":" + renderConfig(config)
            + ",\"input\":" + renderInput(in) + ",\"output\":" + output + "}");
    }

    @SuppressWarnings("unchecked")
    static void p(String name, String cls, Map<String, String> config, Rec in) {
        checkName(name);
        String output;
        Predicate<SourceRecord> pr;
        try {
            pr = (Predicate<SourceRecord>) Class.forName(cls).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(cls, e);
        }
        try {
            pr.configure(config);
            try {
                output = "{\"result\":" + pr.test(readBack(in)) + "}";
            } catch (Throwable e) {
                output = "{\"error\":" + q(error(e)) + "}";
            }
        } catch (Throwable e) {
            output = "{\"config_error\":" + q(error(e)) + "}";
        }
        LINES.add("{\"case\":" + q(name) + ",\"class\":" + q(cls) + ",\"config\":" + renderConfig(config)
            + ",\"input\":" + renderInput(in) + ",\"output\":" + output + "}");
    }

    // ---- Debezium-shaped data (../shared/spec/debezium.md §1.3, §5.2) ------------------------------

    static final Schema PRICE = Decimal.builder(2).optional().parameter("connect.decimal.precision", "10").build();
    static final Schema STATUS = SchemaBuilder.string().name("io.debezium.data.Enum").version(1)
        .parameter("allowed", "new,done").defaultValue("new").build();
    static final Schema UPDATED_AT = SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").version(1)
        .defaultValue("1970-01-01T00:00:00Z").build();
    static final Schema META = SchemaBuilder.string().optional().name("io.debezium.data.Json").version(1).build();
    static final Schema ROW = SchemaBuilder.struct().name("dbserver1.inventory.products.Value").optional()
        .field("id", Schema.INT32_SCHEMA).field("name", Schema.STRING_SCHEMA).field("price", PRICE)
        .field("status", STATUS).field("updated_at", UPDATED_AT).field("meta", META).build();
    static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.mysql.Source")
        .field("version", Schema.STRING_SCHEMA).field("connector", Schema.STRING_SCHEMA)
        .field("name", Schema.STRING_SCHEMA).field("ts_ms", Schema.INT64_SCHEMA)
        .field("snapshot", SchemaBuilder.string().optional().name("io.debezium.data.Enum").version(1)
            .parameter("allowed", "true,last,false,incremental").defaultValue("false").build())
        .field("db", Schema.STRING_SCHEMA).field("sequence", Schema.OPTIONAL_STRING_SCHEMA)
        .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA).field("ts_ns", Schema.OPTIONAL_INT64_SCHEMA)
        .field("table", Schema.OPTIONAL_STRING_SCHEMA).field("server_id", Schema.INT64_SCHEMA)
        .field("gtid", Schema.OPTIONAL_STRING_SCHEMA).field("file", Schema.STRING_SCHEMA)
        .field("pos", Schema.INT64_SCHEMA).field("row", Schema.INT32_SCHEMA)
        .field("thread", Schema.OPTIONAL_INT64_SCHEMA).field("query", Schema.OPTIONAL_STRING_SCHEMA).build();
    static final Schema TX = SchemaBuilder.struct().name("event.block").version(1).optional()
        .field("id", Schema.STRING_SCHEMA).field("total_order", Schema.INT64_SCHEMA)
        .field("data_collection_order", Schema.INT64_SCHEMA).build();
    static final Schema ENVELOPE = SchemaBuilder.struct().name("dbserver1.inventory.products.Envelope").version(2)
        .field("before", ROW).field("after", ROW).field("source", SOURCE).field("transaction", TX)
        .field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
        .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA).field("ts_ns", Schema.OPTIONAL_INT64_SCHEMA).build();
    static final Schema KEY = SchemaBuilder.struct().name("dbserver1.inventory.products.Key")
        .field("id", Schema.INT32_SCHEMA).build();
    static final String DTOPIC = "dbserver1.inventory.products";

    static Struct row(int id, String name, String price) {
        Struct s = new Struct(ROW).put("id", id).put("name", name).put("status", "new")
            .put("updated_at", "2024-06-10T06:13:20Z").put("meta", "{\"color\":\"red\"}");
        if (price != null) s.put("price", new BigDecimal(price));
        return s;
    }

    static Struct source(boolean snapshot) {
        Struct s = new Struct(SOURCE).put("version", "2.7.3.Final").put("connector", "mysql").put("name", "dbserver1")
            .put("ts_ms", 1718000000000L).put("db", "inventory").put("ts_us", 1718000000000000L)
            .put("ts_ns", 1718000000000000000L).put("table", "products").put("server_id", 223344L)
            .put("file", "mysql-bin.000003").put("pos", 1234L).put("row", 0).put("thread", 12L);
        if (snapshot) s.put("snapshot", "true");
        return s;
    }

    static Struct envelope(Struct before, Struct after, String op, boolean snapshot, boolean tx) {
        Struct e = new Struct(ENVELOPE).put("before", before).put("after", after).put("source", source(snapshot))
            .put("op", op).put("ts_ms", 1718000000456L).put("ts_us", 1718000000456789L).put("ts_ns", 1718000000456789000L);
        if (tx) {
            e.put("transaction", new Struct(TX).put("id", "file=mysql-bin.000003,pos=1100").put("total_order", 1L)
                .put("data_collection_order", 1L));
        }
        return e;
    }

    static Struct key(int id) {
        return new Struct(KEY).put("id", id);
    }

    static Rec dbz(Struct value, int id) {
        return rec(DTOPIC).key(KEY, key(id)).value(ENVELOPE, value).header("h1", Schema.STRING_SCHEMA, "x");
    }

    static Rec create() { return dbz(envelope(null, row(1, "Widget", "19.99"), "c", false, false), 1); }
    static Rec update() { return dbz(envelope(row(1, "Widget", "19.99"), row(1, "Gadget", null), "u", false, false), 1); }
    static Rec delete() { return dbz(envelope(row(1, "Gadget", "5.00"), null, "d", false, false), 1); }
    static Rec read() { return dbz(envelope(null, row(2, "Sprocket", "0.50"), "r", true, false), 2); }
    static Rec createTx() { return dbz(envelope(null, row(3, "Gizmo", "1.00"), "c", false, true), 3); }
    static Rec truncate() {
        return rec(DTOPIC).value(ENVELOPE, envelope(null, null, "t", false, false)).header("h1", Schema.STRING_SCHEMA, "x");
    }
    static Rec tombstone() { return rec(DTOPIC).key(KEY, key(1)).header("h1", Schema.STRING_SCHEMA, "x"); }
    static Rec heartbeat() {
        Schema ks = SchemaBuilder.struct().name("io.debezium.connector.common.ServerNameKey").version(1)
            .field("serverName", Schema.STRING_SCHEMA).build();
        Schema vs = SchemaBuilder.struct().name("io.debezium.connector.common.Heartbeat").version(1)
            .field("ts_ms", Schema.INT64_SCHEMA).build();
        return rec("__debezium-heartbeat.dbserver1").key(ks, new Struct(ks).put("serverName", "dbserver1"))
            .value(vs, new Struct(vs).put("ts_ms", 1718000000000L));
    }
    static Rec schemalessEnvelope() {
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("id", 1L);
        after.put("name", "Widget");
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("before", null);
        v.put("after", after);
        v.put("op", "c");
        return rec(DTOPIC).value(null, v);
    }

    static void dbzEvents(String prefix, Map<String, String> config, String... which) {
        for (String w : which) {
            Rec r;
            switch (w) {
                case "c": r = create(); break;
                case "u": r = update(); break;
                case "d": r = delete(); break;
                case "r": r = read(); break;
                case "t": r = truncate(); break;
                case "tomb": r = tombstone(); break;
                case "tx": r = createTx(); break;
                case "hb": r = heartbeat(); break;
                case "schemaless": r = schemalessEnvelope(); break;
                default: throw new IllegalArgumentException(w);
            }
            t(prefix + "." + w, DBZ + "ExtractNewRecordState", config, r);
        }
    }

    static void extractNewRecordState() {
        String[] all = {"c", "u", "d", "r", "t", "tomb", "tx", "hb", "schemaless"};
        dbzEvents("unwrap.default", cfg(), all);
        dbzEvents("unwrap.legacy_none", cfg("delete.handling.mode", "none"), "c", "d", "tomb", "t");
        dbzEvents("unwrap.legacy_rewrite", cfg("delete.handling.mode", "rewrite"), "c", "u", "d", "r", "tomb", "t");
        dbzEvents("unwrap.legacy_keep_tombstones", cfg("drop.tombstones", "false"), "c", "d", "tomb", "t");
        dbzEvents("unwrap.legacy_rewrite_keep_tombstones", cfg("delete.handling.mode", "rewrite", "drop.tombstones", "false"),
            "c", "d", "tomb");
        dbzEvents("unwrap.legacy_upper_case", cfg("delete.handling.mode", "REWRITE"), "d");
        dbzEvents("unwrap.legacy_bad_mode", cfg("delete.handling.mode", "bogus"), "c");
        for (String mode : new String[] {"drop", "tombstone", "rewrite", "rewrite-with-tombstone"}) {
            dbzEvents("unwrap.mode_" + mode, cfg("delete.tombstone.handling.mode", mode), "c", "u", "d", "tomb", "t", "hb");
        }
        dbzEvents("unwrap.mode_overrides_legacy",
            cfg("delete.tombstone.handling.mode", "tombstone", "delete.handling.mode", "rewrite", "drop.tombstones", "false"),
            "d", "tomb");
        dbzEvents("unwrap.mode_bad", cfg("delete.tombstone.handling.mode", "bogus"), "c");
        dbzEvents("unwrap.bench", cfg("add.fields", "op,source.ts_ms", "delete.handling.mode", "rewrite"),
            "c", "u", "d", "r", "tomb", "tx");
        dbzEvents("unwrap.add_fields_mixed",
            cfg("add.fields", "op,table,ts_ms,ts_us,source.db:database,id,total_order,data_collection_order,nonexistent,snapshot,before.id"),
            "c", "tx", "r");
        dbzEvents("unwrap.add_fields_rewrite_delete",
            cfg("add.fields", "op,db,transaction.id", "delete.tombstone.handling.mode", "rewrite"), "d", "c");
        dbzEvents("unwrap.add_fields_tombstone_mode", cfg("add.fields", "op", "delete.tombstone.handling.mode", "tombstone"),
            "d", "c");
        dbzEvents("unwrap.add_fields_unknown_struct", cfg("add.fields", "bogus.x"), "c");
        dbzEvents("unwrap.add_fields_struct_valued", cfg("add.fields", "source"), "c");
        dbzEvents("unwrap.add_fields_prefix", cfg("add.fields", "op,name", "add.fields.prefix", "meta_"), "c");
        dbzEvents("unwrap.add_fields_bad_rename", cfg("add.fields", "op:a:b"), "c");
        dbzEvents("unwrap.add_fields_spaces", cfg("add.fields", " op , source.ts_ms:when "), "c");
        dbzEvents("unwrap.add_headers",
            cfg("add.headers", "op,source.ts_ms,db,nonexistent,transaction.id", "drop.tombstones", "false"),
            "c", "d", "tomb", "tx", "hb");
        dbzEvents("unwrap.add_headers_prefix", cfg("add.headers", "op,name:N", "add.headers.prefix", "h_",
            "delete.tombstone.handling.mode", "rewrite-with-tombstone"), "c", "d", "tomb");
        dbzEvents("unwrap.route_by_field", cfg("route.by.field", "name"), "c", "u", "d", "tomb");
        dbzEvents("unwrap.route_by_field_rewrite", cfg("route.by.field", "name", "delete.handling.mode", "rewrite"),
            "c", "d");
        dbzEvents("unwrap.route_by_field_tombstone_mode",
            cfg("route.by.field", "name", "delete.tombstone.handling.mode", "tombstone"), "d");
        dbzEvents("unwrap.route_by_missing_field", cfg("route.by.field", "nonexistent"), "c");
    }

    static void byLogicalTableRouter() {
        String cls = DBZ + "ByLogicalTableRouter";
        Map<String, String> base = cfg("topic.regex", "(.*)\\.inventory\\.(.*)", "topic.replacement", "$1.all.$2");
        t("router.create", cls, base, create());
        t("router.delete", cls, base, delete());
        t("router.tombstone", cls, base, tombstone());
        t("router.truncate", cls, base, truncate());
        t("router.no_match", cls, base, heartbeat());
        t("router.schemaless", cls, base, schemalessEnvelope());
        t("router.heartbeat_match", cls, cfg("topic.regex", "__debezium-heartbeat\\.(.*)", "topic.replacement", "hb.$1"),
            heartbeat());
        t("router.no_uniqueness", cls, cfg("topic.regex", "(.*)\\.inventory\\.(.*)", "topic.replacement", "$1.all.$2",
            "key.enforce.uniqueness", "false"), create());
        t("router.key_field", cls, cfg("topic.regex", "(.*)\\.inventory\\.(.*)", "topic.replacement", "$1.all.$2",
            "key.field.name", "shard", "key.field.regex", "(.*)\\.inventory\\.(.*)", "key.field.replacement", "$1"),
            create());
        t("router.key_field_no_match", cls, cfg("topic.regex", "(.*)\\.inventory\\.(.*)", "topic.replacement", "$1.all.$2",
            "key.field.regex", "nomatch", "key.field.replacement", "x"), create());
        t("router.key_regex_without_replacement", cls, cfg("topic.regex", "(.*)", "topic.replacement", "x",
            "key.field.regex", "(.*)"), create());
        t("router.empty_topic", cls, cfg("topic.regex", "(.*)", "topic.replacement", ""), create());
        t("router.avro_names", cls, cfg("topic.regex", "(.*)\\.inventory\\.(.*)", "topic.replacement", "my-db.$2",
            "schema.name.adjustment.mode", "avro"), create());
        t("router.no_adjust", cls, cfg("topic.regex", "(.*)\\.inventory\\.(.*)", "topic.replacement", "my-db.$2"), create());
        t("router.missing_regex", cls, cfg("topic.replacement", "x"), create());
        t("router.bad_regex", cls, cfg("topic.regex", "(", "topic.replacement", "x"), create());
    }

    // ---- Kafka's SMTs ---------------------------------------------------------------------------

    static final Schema NESTED = SchemaBuilder.struct().name("test.Nested").optional()
        .field("a", Schema.INT32_SCHEMA).field("b", Schema.OPTIONAL_STRING_SCHEMA).build();
    static final Schema VALUE = SchemaBuilder.struct().name("test.Value").version(3).doc("a value")
        .parameter("p", "q")
        .field("id", Schema.INT32_SCHEMA)
        .field("name", Schema.OPTIONAL_STRING_SCHEMA)
        .field("price", Schema.FLOAT64_SCHEMA)
        .field("flag", Schema.BOOLEAN_SCHEMA)
        .field("created", Timestamp.builder().optional().build())
        .field("day", Date.SCHEMA)
        .field("amount", Decimal.builder(2).optional().build())
        .field("nested", NESTED)
        .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
        .field("attrs", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).optional().build())
        .field("bin", Schema.OPTIONAL_BYTES_SCHEMA)
        .field("dflt", SchemaBuilder.string().optional().defaultValue("dv").build())
        .field("small", Schema.OPTIONAL_INT8_SCHEMA)
        .field("num", Schema.OPTIONAL_STRING_SCHEMA)
        .build();

    static Struct value() {
        return new Struct(VALUE).put("id", 42).put("name", "Widget").put("price", 19.75).put("flag", true)
            .put("created", new java.util.Date(1718000000123L)).put("day", new java.util.Date(19884L * 86400000L))
            .put("amount", new BigDecimal("12.34"))
            .put("nested", new Struct(NESTED).put("a", 7).put("b", "bee"))
            .put("tags", List.of("x", "y")).put("attrs", new LinkedHashMap<>(Map.of("k", "v")))
            .put("bin", new byte[] {1, 2, 3, (byte) 0xff}).put("small", (byte) -5).put("num", "123");
    }

    static Map<String, Object> schemaless() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("a", 7L);
        nested.put("b", "bee");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", 42L);
        m.put("name", "Widget");
        m.put("price", 19.75);
        m.put("flag", true);
        m.put("nested", nested);
        m.put("tags", List.of("x", "y"));
        m.put("nil", null);
        m.put("num", "123");
        return m;
    }

    static Rec sv() { return rec("orders").key(Schema.STRING_SCHEMA, "k1").value(VALUE, value()).ts(1718000000000L).partition(3); }
    static Rec svNoTs() { return rec("orders").key(Schema.STRING_SCHEMA, "k1").value(VALUE, value()); }
    static Rec sk() { return rec("orders").key(VALUE, value()).value(Schema.STRING_SCHEMA, "v1").ts(1718000000000L); }
    static Rec mv() { return rec("orders").key(null, "k1").value(null, schemaless()).ts(1718000000000L).partition(1); }
    static Rec mk() { return rec("orders").key(null, schemaless()).value(null, "v1").ts(1718000000000L); }
    static Rec tomb() { return rec("orders").key(Schema.STRING_SCHEMA, "k1").ts(1718000000000L); }
    static Rec tombSchema() { return rec("orders").key(Schema.STRING_SCHEMA, "k1").value(NESTED, null); }
    static Rec prim() { return rec("orders").key(Schema.INT64_SCHEMA, 5L).value(Schema.STRING_SCHEMA, "hello").ts(86400000L); }
    static Rec primSchemaless() { return rec("orders").key(null, 5L).value(null, "hello"); }

    static void kv(String name, String cls, Map<String, String> config, Rec... records) {
        String[] labels = {"sv", "sv_no_ts", "sk", "mv", "mk", "tomb", "prim", "prim_schemaless"};
        Rec[] all = {sv(), svNoTs(), sk(), mv(), mk(), tomb(), prim(), primSchemaless()};
        for (int i = 0; i < all.length; i++) t(name + "." + labels[i], cls, config, all[i]);
    }

    static void regexRouter() {
        String cls = K + "RegexRouter";
        t("regex_router.groups", cls, cfg("regex", "([^.]+)\\.([^.]+)\\.([^.]+)", "replacement", "$3"), create());
        t("regex_router.no_match", cls, cfg("regex", "([^.]+)\\.([^.]+)", "replacement", "$2"), create());
        t("regex_router.partial_is_no_match", cls, cfg("regex", "inventory", "replacement", "x"), create());
        t("regex_router.first_match", cls, cfg("regex", "a|ab", "replacement", "X"), rec("ab"));
        t("regex_router.literal_dollar", cls, cfg("regex", "(.*)", "replacement", "\\$1-$1"), rec("t1"));
        t("regex_router.escaped_backslash", cls, cfg("regex", "(.*)", "replacement", "\\\\x$1"), rec("t1"));
        t("regex_router.named_group", cls, cfg("regex", "(?<tbl>.*)-raw", "replacement", "${tbl}-clean"), rec("orders-raw"));
        t("regex_router.missing_group", cls, cfg("regex", "(.*)", "replacement", "$2"), rec("t1"));
        t("regex_router.two_digit_group", cls, cfg("regex", "(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)", "replacement", "$11-$10-$1"),
            rec("abcdefghijk"));
        t("regex_router.group_then_digit", cls, cfg("regex", "(a)(b)", "replacement", "$21"), rec("ab"));
        t("regex_router.empty_replacement", cls, cfg("regex", "(.*)", "replacement", ""), rec("t1"));
        t("regex_router.trailing_backslash", cls, cfg("regex", "(.*)", "replacement", "x\\"), rec("t1"));
        t("regex_router.trailing_dollar", cls, cfg("regex", "(.*)", "replacement", "x$"), rec("t1"));
        t("regex_router.missing_regex", cls, cfg("replacement", "x"), rec("t1"));
        t("regex_router.bad_regex", cls, cfg("regex", "(", "replacement", "x"), rec("t1"));
        t("regex_router.posix_class", cls, cfg("regex", "\\p{Alpha}+_(\\d+)", "replacement", "n$1"), rec("abc_123"));
        t("regex_router.unicode", cls, cfg("regex", "(.)(.*)", "replacement", "$2$1"), rec("\u00e9t\u00e9"));
        t("regex_router.keeps_rest", cls, cfg("regex", "(.*)", "replacement", "$1.v2"), sv());
    }

    static void timestampRouter() {
        String cls = K + "TimestampRouter";
        t("timestamp_router.default", cls, cfg(), sv());
        t("timestamp_router.format", cls, cfg("topic.format", "${topic}_${timestamp}_x", "timestamp.format",
            "yyyy-MM-dd'T'HH:mm:ss.SSS"), sv());
        t("timestamp_router.names", cls, cfg("timestamp.format", "EEE EEEE MMM MMMM a hh:mm K k yy D"), sv());
        t("timestamp_router.zone", cls, cfg("timestamp.format", "yyyyMMddHHmmssSSS Z X z"), sv());
        t("timestamp_router.quotes", cls, cfg("timestamp.format", "'at '''yyyy''"), sv());
        t("timestamp_router.epoch", cls, cfg("timestamp.format", "yyyy-MM-dd HH"), rec("t").ts(0L));
        t("timestamp_router.negative", cls, cfg("timestamp.format", "yyyy-MM-dd HH:mm:ss.SSS"), rec("t").ts(-1L));
        t("timestamp_router.no_timestamp", cls, cfg(), svNoTs());
        t("timestamp_router.twice", cls, cfg("topic.format", "${timestamp}/${topic}/${timestamp}"), sv());
    }

    static void insertField() {
        Map<String, String> all = cfg("topic.field", "t", "partition.field", "p!", "timestamp.field", "ts",
            "static.field", "s", "static.value", "v");
        kv("insert_field.value", K + "InsertField$Value", all);
        kv("insert_field.key", K + "InsertField$Key", all);
        kv("insert_field.value_optional_marks", K + "InsertField$Value", cfg("topic.field", "t?", "timestamp.field", "ts!"));
        kv("insert_field.value_static_only", K + "InsertField$Value", cfg("static.field", "s"));
        t("insert_field.value_static_no_field", K + "InsertField$Value", cfg("static.value", "v"), sv());
        t("insert_field.offset_on_source", K + "InsertField$Value", cfg("offset.field", "o"), sv());
        t("insert_field.offset_schemaless", K + "InsertField$Value", cfg("offset.field", "o"), mv());
        t("insert_field.value_no_default_replacement", K + "InsertField$Value",
            cfg("topic.field", "t", "replace.null.with.default", "false"), sv());
        t("insert_field.existing_name", K + "InsertField$Value", cfg("topic.field", "id"), mv());
        t("insert_field.existing_name_schema", K + "InsertField$Value", cfg("topic.field", "id"), sv());
        t("insert_field.nothing_configured", K + "InsertField$Value", cfg(), sv());
    }

    static void replaceField() {
        String v = K + "ReplaceField$Value";
        kv("replace_field.exclude", v, cfg("exclude", "price,flag,nil,unknown"));
        kv("replace_field.include", v, cfg("include", "id,name,nested"));
        kv("replace_field.renames", v, cfg("renames", "name:title,id:key_id"));
        kv("replace_field.all", v, cfg("include", "id,name,price", "exclude", "price", "renames", "id:ident"));
        kv("replace_field.key", K + "ReplaceField$Key", cfg("exclude", "tags", "renames", "id:kid"));
        t("replace_field.blacklist", v, cfg("blacklist", "price"), sv());
        t("replace_field.whitelist", v, cfg("whitelist", "id"), sv());
        t("replace_field.bad_rename", v, cfg("renames", "name"), sv());
        t("replace_field.no_default_replacement", v, cfg("exclude", "id", "replace.null.with.default", "false"), sv());
        t("replace_field.empty", v, cfg(), sv());
    }

    static void maskField() {
        String v = K + "MaskField$Value";
        kv("mask_field.types", v, cfg("fields", "id,name,price,flag,created,day,amount,tags,attrs,nil,small"));
        kv("mask_field.key", K + "MaskField$Key", cfg("fields", "id,name"));
        t("mask_field.replacement_string", v, cfg("fields", "name,num", "replacement", "***"), sv());
        t("mask_field.replacement_number", v, cfg("fields", "id,price,small,amount", "replacement", "7"), sv());
        t("mask_field.replacement_bad_number", v, cfg("fields", "id", "replacement", "abc"), sv());
        t("mask_field.replacement_schemaless", v, cfg("fields", "id,name,flag", "replacement", "9"), mv());
        t("mask_field.replacement_boolean", v, cfg("fields", "flag", "replacement", "x"), sv());
        t("mask_field.replacement_on_date", v, cfg("fields", "created", "replacement", "x"), sv());
        t("mask_field.replacement_on_list", v, cfg("fields", "tags", "replacement", "x"), sv());
        t("mask_field.struct_field", v, cfg("fields", "nested"), sv());
        t("mask_field.struct_field_schemaless", v, cfg("fields", "nested"), mv());
        t("mask_field.bytes_field", v, cfg("fields", "bin"), sv());
        t("mask_field.unknown_field", v, cfg("fields", "zzz"), sv());
        t("mask_field.empty_replacement", v, cfg("fields", "name", "replacement", ""), sv());
        t("mask_field.no_fields", v, cfg(), sv());
    }

    static void valueToKey() {
        String cls = K + "ValueToKey";
        t("value_to_key.schema", cls, cfg("fields", "id,name"), sv());
        t("value_to_key.schemaless", cls, cfg("fields", "id,name,missing"), mv());
        t("value_to_key.missing_field", cls, cfg("fields", "id,zzz"), sv());
        t("value_to_key.tombstone", cls, cfg("fields", "id"), tomb());
        t("value_to_key.tombstone_schema", cls, cfg("fields", "id"), tombSchema());
        t("value_to_key.primitive", cls, cfg("fields", "id"), prim());
        t("value_to_key.default_value", cls, cfg("fields", "dflt"), sv());
        t("value_to_key.no_default_replacement", cls, cfg("fields", "dflt", "replace.null.with.default", "false"), sv());
        t("value_to_key.no_fields", cls, cfg(), sv());
    }

    static void extractField() {
        kv("extract_field.value", K + "ExtractField$Value", cfg("field", "name"));
        kv("extract_field.key", K + "ExtractField$Key", cfg("field", "id"));
        kv("extract_field.nested_v2", K + "ExtractField$Value", cfg("field", "nested.a", "field.syntax.version", "V2"));
        t("extract_field.nested_v1", K + "ExtractField$Value", cfg("field", "nested.a"), sv());
        t("extract_field.struct", K + "ExtractField$Value", cfg("field", "nested"), sv());
        t("extract_field.default", K + "ExtractField$Value", cfg("field", "dflt"), sv());
        t("extract_field.no_default_replacement", K + "ExtractField$Value",
            cfg("field", "dflt", "replace.null.with.default", "false"), sv());
        t("extract_field.missing", K + "ExtractField$Value", cfg("field", "zzz"), sv());
        t("extract_field.missing_schemaless", K + "ExtractField$Value", cfg("field", "zzz"), mv());
        t("extract_field.no_field", K + "ExtractField$Value", cfg(), sv());
        t("extract_field.backquotes_v2", K + "ExtractField$Value", cfg("field", "`nested`.a", "field.syntax.version", "V2"), sv());
        t("extract_field.bad_version", K + "ExtractField$Value", cfg("field", "a", "field.syntax.version", "V3"), sv());
    }

    static void hoistField() {
        kv("hoist_field.value", K + "HoistField$Value", cfg("field", "wrapped"));
        kv("hoist_field.key", K + "HoistField$Key", cfg("field", "wrapped"));
        t("hoist_field.no_field", K + "HoistField$Value", cfg(), sv());
    }

    static void flatten() {
        Schema deep = SchemaBuilder.struct().name("deep").field("x", NESTED)
            .field("y", SchemaBuilder.struct().optional().field("z", NESTED).field("w", Schema.INT64_SCHEMA).build())
            .field("arr", SchemaBuilder.array(NESTED).optional().build())
            .build();
        Struct d = new Struct(deep).put("x", new Struct(NESTED).put("a", 1).put("b", "one"))
            .put("y", new Struct(deep.field("y").schema()).put("w", 9L));
        kv("flatten.value", K + "Flatten$Value", cfg());
        kv("flatten.key", K + "Flatten$Key", cfg("delimiter", "_"));
        t("flatten.deep", K + "Flatten$Value", cfg(), rec("t").value(deep, d));
        t("flatten.deep_null_optional", K + "Flatten$Value", cfg("delimiter", "__"),
            rec("t").value(deep, new Struct(deep).put("x", new Struct(NESTED).put("a", 2))));
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("c", 1L);
        inner.put("d", new LinkedHashMap<>(Map.of("e", "f")));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", inner);
        m.put("b", List.of(1L, 2L));
        m.put("n", null);
        t("flatten.schemaless_deep", K + "Flatten$Value", cfg(), rec("t").value(null, m));
        t("flatten.optional_struct_schema", K + "Flatten$Value", cfg(), rec("t").value(NESTED, new Struct(NESTED).put("a", 3)));
        Schema withDefaults = SchemaBuilder.struct().field("n", SchemaBuilder.struct().optional()
            .field("s", SchemaBuilder.string().defaultValue("d").build()).build()).build();
        t("flatten.field_defaults", K + "Flatten$Value", cfg(), rec("t").value(withDefaults,
            new Struct(withDefaults).put("n", new Struct(withDefaults.field("n").schema()).put("s", "v"))));
    }

    static void cast() {
        String v = K + "Cast$Value";
        kv("cast.fields", v, cfg("spec", "id:int64,price:int32,flag:string,small:float32,num:int16"));
        kv("cast.whole_string", v, cfg("spec", "string"));
        kv("cast.key_whole_int8", K + "Cast$Key", cfg("spec", "int8"));
        t("cast.bytes_to_string", v, cfg("spec", "bin:string"), sv());
        t("cast.decimal_to_float64", v, cfg("spec", "amount:float64"), sv());
        t("cast.decimal_to_string", v, cfg("spec", "amount:string"), sv());
        t("cast.decimal_to_int32", v, cfg("spec", "amount:int32"), sv());
        t("cast.timestamp_to_string", v, cfg("spec", "created:string"), sv());
        t("cast.timestamp_to_int64", v, cfg("spec", "created:int64"), sv());
        t("cast.date_to_int32", v, cfg("spec", "day:int32"), sv());
        t("cast.date_to_string", v, cfg("spec", "day:string"), sv());
        t("cast.float_to_boolean", v, cfg("spec", "price:boolean,id:boolean,flag:int8"), sv());
        t("cast.string_not_number", v, cfg("spec", "name:int32"), sv());
        t("cast.string_out_of_range", v, cfg("spec", "num:int8"), sv());
        t("cast.string_to_boolean", v, cfg("spec", "name:boolean"), sv());
        t("cast.default_value", v, cfg("spec", "dflt:string"), sv());
        t("cast.struct_field", v, cfg("spec", "nested:string"), sv());
        t("cast.bad_type", v, cfg("spec", "id:bytes"), sv());
        t("cast.unknown_type", v, cfg("spec", "id:uint8"), sv());
        t("cast.two_whole", v, cfg("spec", "int8,string"), sv());
        t("cast.bad_mapping", v, cfg("spec", "a:b:c"), sv());
        t("cast.empty_spec", v, cfg("spec", ""), sv());
        t("cast.float_to_int", v, cfg("spec", "int32"), rec("t").value(Schema.FLOAT64_SCHEMA, 1e10));
        t("cast.double_to_float32_string", v, cfg("spec", "string"), rec("t").value(Schema.FLOAT32_SCHEMA, 1.1f));
        t("cast.double_string", v, cfg("spec", "string"), rec("t").value(Schema.FLOAT64_SCHEMA, 1.0E7));
        t("cast.long_to_int8_wraps", v, cfg("spec", "int8"), rec("t").value(Schema.INT64_SCHEMA, 300L));
        t("cast.optional_default_schema", v, cfg("spec", "int64"),
            rec("t").value(SchemaBuilder.int32().optional().defaultValue(5).build(), 6));
        t("cast.schemaless_fields", v, cfg("spec", "id:string,price:int64,flag:int32,nil:string,missing:int8"), mv());
        t("cast.schemaless_string_float", v, cfg("spec", "float64"), rec("t").value(null, "2.5"));
        t("cast.schemaless_bool_from_string", v, cfg("spec", "boolean"), rec("t").value(null, "TRUE"));
        t("cast.timestamp_whole_to_string", v, cfg("spec", "string"),
            rec("t").value(Timestamp.SCHEMA, new java.util.Date(1718000000123L)));
        t("cast.time_whole_to_string", v, cfg("spec", "string"),
            rec("t").value(org.apache.kafka.connect.data.Time.SCHEMA, new java.util.Date(3723004L)));
        t("cast.date_whole_to_string", v, cfg("spec", "string"),
            rec("t").value(Date.SCHEMA, new java.util.Date(19884L * 86400000L)));
    }

    static void setSchemaMetadata() {
        kv("set_schema_metadata.value", K + "SetSchemaMetadata$Value", cfg("schema.name", "new.Name", "schema.version", "7"));
        kv("set_schema_metadata.key", K + "SetSchemaMetadata$Key", cfg("schema.name", "new.Key"));
        t("set_schema_metadata.version_only", K + "SetSchemaMetadata$Value", cfg("schema.version", "2"), sv());
        t("set_schema_metadata.nothing", K + "SetSchemaMetadata$Value", cfg(), sv());
        t("set_schema_metadata.decimal", K + "SetSchemaMetadata$Value", cfg("schema.name", "x"),
            rec("t").value(Decimal.schema(2), new BigDecimal("1.23")));
    }

    static void timestampConverter() {
        String v = K + "TimestampConverter$Value";
        t("ts_conv.ts_to_string", v, cfg("field", "created", "target.type", "string", "format", "yyyy-MM-dd HH:mm:ss.SSS"), sv());
        t("ts_conv.ts_to_unix", v, cfg("field", "created", "target.type", "unix"), sv());
        t("ts_conv.ts_to_unix_us", v, cfg("field", "created", "target.type", "unix", "unix.precision", "microseconds"), sv());
        t("ts_conv.ts_to_unix_s", v, cfg("field", "created", "target.type", "unix", "unix.precision", "seconds"), sv());
        t("ts_conv.ts_to_date", v, cfg("field", "created", "target.type", "Date"), sv());
        t("ts_conv.ts_to_time", v, cfg("field", "created", "target.type", "Time"), sv());
        t("ts_conv.date_to_timestamp", v, cfg("field", "day", "target.type", "Timestamp"), sv());
        t("ts_conv.string_to_ts", v, cfg("field", "num", "target.type", "Timestamp", "format", "yyyyMMdd"),
            rec("t").value(VALUE, value().put("num", "20240610")));
        t("ts_conv.string_bad", v, cfg("field", "name", "target.type", "Timestamp", "format", "yyyyMMdd"), sv());
        t("ts_conv.unix_whole", v, cfg("target.type", "Timestamp"), rec("t").value(Schema.INT64_SCHEMA, 1718000000123L));
        t("ts_conv.unix_whole_ns", v, cfg("target.type", "Timestamp", "unix.precision", "nanoseconds"),
            rec("t").value(Schema.INT64_SCHEMA, 1718000000123456789L));
        t("ts_conv.unix_to_string", v, cfg("target.type", "string", "format", "yyyy-MM-dd'T'HH:mm:ss.SSSX"),
            rec("t").value(Schema.INT64_SCHEMA, 1718000000123L));
        t("ts_conv.schemaless_field", v, cfg("field", "ts", "target.type", "string", "format", "yyyy"),
            rec("t").value(null, new LinkedHashMap<>(Map.of("ts", 1718000000123L))));
        t("ts_conv.schemaless_string", v, cfg("field", "ts", "target.type", "unix", "format", "yyyy-MM-dd"),
            rec("t").value(null, new LinkedHashMap<>(Map.of("ts", "2024-06-10"))));
        t("ts_conv.schemaless_whole", v, cfg("target.type", "Date"), rec("t").value(null, 1718000000123L));
        t("ts_conv.string_without_format", v, cfg("field", "created", "target.type", "string"), sv());
        t("ts_conv.bad_target", v, cfg("field", "created", "target.type", "Instant"), sv());
        t("ts_conv.null_field", v, cfg("field", "created", "target.type", "unix"), rec("t").value(VALUE, value().put("created", null)));
        t("ts_conv.tombstone", v, cfg("field", "created", "target.type", "unix"), tomb());
        t("ts_conv.key", K + "TimestampConverter$Key", cfg("field", "created", "target.type", "unix"), sk());
        t("ts_conv.time_to_string", v, cfg("target.type", "string", "format", "HH:mm"),
            rec("t").value(org.apache.kafka.connect.data.Time.SCHEMA, new java.util.Date(3723004L)));
    }

    static void headers() {
        t("header_from.copy", K + "HeaderFrom$Value", cfg("fields", "id,name", "headers", "h_id,h_name", "operation", "copy"), sv());
        t("header_from.move", K + "HeaderFrom$Value", cfg("fields", "id,nested", "headers", "h_id,h_nested", "operation", "move"), sv());
        t("header_from.move_schemaless", K + "HeaderFrom$Value", cfg("fields", "id,zz", "headers", "a,b", "operation", "move"), mv());
        t("header_from.copy_schemaless", K + "HeaderFrom$Value", cfg("fields", "id", "headers", "a", "operation", "copy"), mv());
        t("header_from.key", K + "HeaderFrom$Key", cfg("fields", "id", "headers", "kid", "operation", "copy"), sk());
        t("header_from.length_mismatch", K + "HeaderFrom$Value", cfg("fields", "id,name", "headers", "a", "operation", "copy"), sv());
        t("header_from.bad_operation", K + "HeaderFrom$Value", cfg("fields", "id", "headers", "a", "operation", "swap"), sv());
        t("header_from.missing_field", K + "HeaderFrom$Value", cfg("fields", "zzz", "headers", "a", "operation", "copy"), sv());
        t("header_from.tombstone", K + "HeaderFrom$Value", cfg("fields", "id", "headers", "a", "operation", "copy"), tomb());
        t("header_from.default", K + "HeaderFrom$Value", cfg("fields", "dflt", "headers", "a", "operation", "copy"), sv());
        t("header_from.existing_header", K + "HeaderFrom$Value", cfg("fields", "id", "headers", "h1", "operation", "copy"),
            sv().header("h1", Schema.STRING_SCHEMA, "old"));
        String ih = K + "InsertHeader";
        for (String lit : new String[] {"42", "hello", "true", "-3.5", "2024-06-10", "null", "", "[1,2]", "{\"a\":1}",
            "300", "70000", "3000000000", "1e3", "12:30:45.123Z", "2024-06-10T12:30:45.123Z"}) {
            t("insert_header." + (lit.isEmpty() ? "empty" : lit.replaceAll("[^A-Za-z0-9.-]", "_")), ih,
                cfg("header", "x", "value.literal", lit), sv());
        }
        t("insert_header.missing_header", ih, cfg("value.literal", "1"), sv());
        t("insert_header.appends", ih, cfg("header", "h1", "value.literal", "b"), sv().header("h1", Schema.STRING_SCHEMA, "a"));
        String dh = K + "DropHeaders";
        t("drop_headers.some", dh, cfg("headers", "a,c"), sv().header("a", Schema.STRING_SCHEMA, "1")
            .header("b", Schema.INT32_SCHEMA, 2).header("a", Schema.STRING_SCHEMA, "3").header("c", null, null));
        t("drop_headers.none_present", dh, cfg("headers", "zz"), sv().header("a", Schema.STRING_SCHEMA, "1"));
        t("drop_headers.empty", dh, cfg("headers", ""), sv());
        t("drop_headers.missing", dh, cfg(), sv());
    }

    static void filterAndPredicates() {
        t("filter.drops", K + "Filter", cfg(), sv());
        t("filter.drops_tombstone", K + "Filter", cfg(), tomb());
        String tn = P + "TopicNameMatches";
        p("topic_name_matches.full", tn, cfg("pattern", "ord.*"), sv());
        p("topic_name_matches.partial", tn, cfg("pattern", "rde"), sv());
        p("topic_name_matches.anchors", tn, cfg("pattern", "^orders$"), sv());
        p("topic_name_matches.bad", tn, cfg("pattern", "("), sv());
        p("topic_name_matches.missing", tn, cfg(), sv());
        p("topic_name_matches.empty", tn, cfg("pattern", ""), sv());
        String hk = P + "HasHeaderKey";
        p("has_header_key.yes", hk, cfg("name", "h1"), sv().header("h1", null, null));
        p("has_header_key.no", hk, cfg("name", "h2"), sv().header("h1", Schema.STRING_SCHEMA, "a"));
        p("has_header_key.missing", hk, cfg(), sv());
        p("has_header_key.empty", hk, cfg("name", ""), sv());
        String rt = P + "RecordIsTombstone";
        p("record_is_tombstone.tombstone", rt, cfg(), tomb());
        p("record_is_tombstone.schema_null_value", rt, cfg(), tombSchema());
        p("record_is_tombstone.value", rt, cfg(), sv());
    }

    // ---- ConfigDefs -----------------------------------------------------------------------------

    static final String[] CLASSES = {
        DBZ + "ExtractNewRecordState", DBZ + "ByLogicalTableRouter",
        K + "RegexRouter", K + "TimestampRouter", K + "InsertField$Key", K + "InsertField$Value",
        K + "ReplaceField$Key", K + "ReplaceField$Value", K + "MaskField$Key", K + "MaskField$Value",
        K + "ValueToKey", K + "ExtractField$Key", K + "ExtractField$Value", K + "HoistField$Key", K + "HoistField$Value",
        K + "Flatten$Key", K + "Flatten$Value", K + "Cast$Key", K + "Cast$Value", K + "SetSchemaMetadata$Key",
        K + "SetSchemaMetadata$Value", K + "TimestampConverter$Key", K + "TimestampConverter$Value",
        K + "HeaderFrom$Key", K + "HeaderFrom$Value", K + "InsertHeader", K + "DropHeaders", K + "Filter",
        P + "TopicNameMatches", P + "HasHeaderKey", P + "RecordIsTombstone",
    };

    static String configLine(String cls) throws ReflectiveOperationException {
        Object o = Class.forName(cls).getDeclaredConstructor().newInstance();
        ConfigDef def = o instanceof Transformation ? ((Transformation<?>) o).config() : ((Predicate<?>) o).config();
        StringBuilder sb = new StringBuilder("{\"class\":" + q(cls) + ",\"keys\":[");
        boolean first = true;
        for (ConfigDef.ConfigKey k : def.configKeys().values()) {
            if (!first) sb.append(',');
            first = false;
            boolean required = k.defaultValue == ConfigDef.NO_DEFAULT_VALUE;
            String dflt = required || k.defaultValue == null ? null : ConfigDef.convertToString(k.defaultValue, k.type);
            sb.append("{\"name\":").append(q(k.name)).append(",\"type\":").append(q(k.type.name()))
                .append(",\"default\":").append(q(dflt)).append(",\"required\":").append(required)
                .append(",\"importance\":").append(q(k.importance.name()))
                .append(",\"documentation\":").append(q(k.documentation)).append('}');
        }
        return sb.append("]}").toString();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -Duser.timezone=UTC -cp ... GenTransformGoldens.java OUTDIR");
            System.exit(2);
        }
        if (!"UTC".equals(java.util.TimeZone.getDefault().getID())) {
            System.err.println("run with -Duser.timezone=UTC (SimpleDateFormat uses the JVM's zone)");
            System.exit(2);
        }
        org.apache.log4j.BasicConfigurator.configure(new org.apache.log4j.varia.NullAppender());
        CONV.configure(Map.of("schemas.enable", "true", "replace.null.with.default", "false"), false);
        Path dir = Path.of(args[0]);

        extractNewRecordState();
        byLogicalTableRouter();
        regexRouter();
        timestampRouter();
        insertField();
        replaceField();
        maskField();
        valueToKey();
        extractField();
        hoistField();
        flatten();
        cast();
        setSchemaMetadata();
        timestampConverter();
        headers();
        filterAndPredicates();

        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve("transforms.jsonl"), StandardCharsets.UTF_8))) {
            for (String line : LINES) w.print(line + "\n");
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve("transform_configs.jsonl"), StandardCharsets.UTF_8))) {
            for (String cls : CLASSES) w.print(configLine(cls) + "\n");
        }
        System.err.println("wrote " + LINES.size() + " cases and " + CLASSES.length + " config tables");
    }
}
