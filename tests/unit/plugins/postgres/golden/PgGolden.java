package io.debezium.connector.postgresql;

import java.io.*;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.*;

import org.apache.kafka.connect.data.*;
import org.apache.kafka.connect.json.JsonConverter;
import org.postgresql.core.TypeInfo;
import org.postgresql.jdbc.TypeInfoCache;

import io.debezium.config.CommonConnectorConfig.BinaryHandlingMode;
import io.debezium.connector.postgresql.PostgresConnectorConfig.HStoreHandlingMode;
import io.debezium.connector.postgresql.PostgresConnectorConfig.IntervalHandlingMode;
import io.debezium.connector.postgresql.connection.ReplicationMessage;
import io.debezium.connector.postgresql.connection.ReplicationMessageColumnValueResolver;
import io.debezium.jdbc.JdbcValueConverters.BigIntUnsignedMode;
import io.debezium.jdbc.JdbcValueConverters.DecimalMode;
import io.debezium.jdbc.TemporalPrecisionMode;
import io.debezium.relational.Column;
import io.debezium.relational.ValueConverter;

// Reads cases "mode<TAB>type name<TAB>oid<TAB>jdbc type<TAB>typmod<TAB>text" from stdin and
// prints each with the JSON Connect's JsonConverter writes for a one-field struct {c} holding
// what Debezium 2.7's PostgresValueConverter makes of the pgoutput text value. Mode "default":
// the text is a column default expression (PostgresDefaultValueConverter) and the value is
// null; mode "notnull": a NOT NULL column without a value (the converter's fallback); mode
// "propagate": column.propagate.source.type applies to the column.
public class PgGolden extends PostgresValueConverter {
  static TypeRegistry registry;
  // Array type OID -> element type OID, for the array cases.
  static final Map<Integer, Integer> ELEMENTS = Map.ofEntries(
      Map.entry(1000, 16), Map.entry(1001, 17), Map.entry(1005, 21), Map.entry(1007, 23), Map.entry(1009, 25),
      Map.entry(1014, 1042), Map.entry(1015, 1043), Map.entry(1016, 20), Map.entry(1021, 700), Map.entry(1022, 701),
      Map.entry(1041, 869), Map.entry(1115, 1114), Map.entry(1182, 1082), Map.entry(1183, 1083),
      Map.entry(1185, 1184), Map.entry(1231, 1700), Map.entry(1270, 1266), Map.entry(2951, 2950),
      Map.entry(3807, 3802), Map.entry(3905, 3904), Map.entry(16401, 16400), Map.entry(16411, 16410),
      Map.entry(16421, 16420), Map.entry(199, 114), Map.entry(791, 790), Map.entry(1187, 1186));
  static Map<String, PostgresType> byName;
  static Map<Integer, PostgresType> byOid;

  final boolean includeUnknown;

  PgGolden(DecimalMode dm, TemporalPrecisionMode tp, HStoreHandlingMode hm, BinaryHandlingMode bm, IntervalHandlingMode im,
           boolean includeUnknown) {
    super(StandardCharsets.UTF_8, dm, tp, ZoneOffset.UTC, BigIntUnsignedMode.LONG, includeUnknown, registry, hm, bm, im, null, 2);
    this.includeUnknown = includeUnknown;
  }

  // A TypeRegistry without a database: the extension types at the OIDs the C++ test's catalog
  // uses (hstore 16410, citext 16420, ltree 16430, geometry 16440, geography 16441) and the
  // enum mood (16400: sad, ok, happy).
  static TypeRegistry fakeRegistry(TypeInfo info) throws Exception {
    java.lang.reflect.Field uf = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
    uf.setAccessible(true);
    sun.misc.Unsafe unsafe = (sun.misc.Unsafe) uf.get(null);
    TypeRegistry r = (TypeRegistry) unsafe.allocateInstance(TypeRegistry.class);
    byName = new HashMap<>();
    byOid = new HashMap<>();
    set(r, "nameToType", byName);
    set(r, "oidToType", byOid);
    int[] oids = {16440, 16441, 16420, 16410, 16430, 0, 16411, 16442, 16443, 16421, 16431};
    String[] fields = {"geometryOid", "geographyOid", "citextOid", "hstoreOid", "ltreeOid", "isbnOid",
                       "hstoreArrayOid", "geometryArrayOid", "geographyArrayOid", "citextArrayOid", "ltreeArrayOid"};
    for (int i = 0; i < oids.length; i++) {
      java.lang.reflect.Field f = TypeRegistry.class.getDeclaredField(fields[i]);
      f.setAccessible(true);
      f.setInt(r, oids[i]);
    }
    String[] names = {"geometry", "geography", "citext", "hstore", "ltree"};
    for (int i = 0; i < names.length; i++) {
      PostgresType t = new PostgresType.Builder(r, names[i], oids[i], java.sql.Types.OTHER, -1, info).build();
      byName.put(names[i], t);
      byOid.put(oids[i], t);
    }
    PostgresType mood = new PostgresType.Builder(r, "mood", 16400, java.sql.Types.VARCHAR, -1, info)
        .enumValues(List.of("sad", "ok", "happy")).build();
    byName.put("mood", mood);
    byOid.put(16400, mood);
    return r;
  }

  static void set(Object o, String name, Object v) throws Exception {
    java.lang.reflect.Field f = TypeRegistry.class.getDeclaredField(name);
    f.setAccessible(true);
    unsafeSet(f, o, v);
  }

  static void unsafeSet(java.lang.reflect.Field f, Object o, Object v) throws Exception {
    java.lang.reflect.Field uf = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
    uf.setAccessible(true);
    sun.misc.Unsafe unsafe = (sun.misc.Unsafe) uf.get(null);
    unsafe.putObject(o, unsafe.objectFieldOffset(f), v);
  }

  static PgGolden forMode(String mode) {
    DecimalMode dm = DecimalMode.PRECISE;
    TemporalPrecisionMode tp = TemporalPrecisionMode.ADAPTIVE;
    HStoreHandlingMode hm = HStoreHandlingMode.JSON;
    BinaryHandlingMode bm = BinaryHandlingMode.BYTES;
    IntervalHandlingMode im = IntervalHandlingMode.NUMERIC;
    boolean unknown = false;
    for (String m : mode.split(",")) {
      switch (m) {
        case "double": dm = DecimalMode.DOUBLE; break;
        case "string": dm = DecimalMode.STRING; break;
        case "connect": tp = TemporalPrecisionMode.CONNECT; break;
        case "micros": tp = TemporalPrecisionMode.ADAPTIVE_TIME_MICROSECONDS; break;
        case "hmap": hm = HStoreHandlingMode.MAP; break;
        case "base64": bm = BinaryHandlingMode.BASE64; break;
        case "hex": bm = BinaryHandlingMode.HEX; break;
        case "istring": im = IntervalHandlingMode.STRING; break;
        case "unknown": unknown = true; break;
        default: break;
      }
    }
    return new PgGolden(dm, tp, hm, bm, im, unknown);
  }

  public static void main(String[] args) throws Exception {
    Class<?> cv = Class.forName("io.debezium.connector.postgresql.connection.pgoutput.PgOutputColumnValue");
    Constructor<?> ctor = cv.getDeclaredConstructor(String.class);
    ctor.setAccessible(true);
    // Arrays need a live connection (pgjdbc's PgArray parses them); PG_JDBC_URL gives one.
    org.postgresql.core.BaseConnection conn = null;
    String url = System.getenv("PG_JDBC_URL");
    if (url != null) conn = java.sql.DriverManager.getConnection(url).unwrap(org.postgresql.core.BaseConnection.class);
    final org.postgresql.core.BaseConnection connection = conn;
    PostgresStreamingChangeEventSource.PgConnectionSupplier supplier = () -> connection;
    TypeInfo info = conn != null ? conn.getTypeInfo() : new TypeInfoCache(null, -1);
    registry = fakeRegistry(info);
    JsonConverter json = new JsonConverter();
    json.configure(Map.of("schemas.enable", "true"), false);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(System.out, true, "UTF-8");
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty() || line.startsWith("#")) continue;
      String[] f = line.split("\t", -1);
      String mode = f[0], name = f[1];
      int oid = Integer.parseInt(f[2]), jdbc = Integer.parseInt(f[3]), typmod = Integer.parseInt(f[4]);
      String text = f[5].replace("\\n", "\n").replace("\\t", "\t");
      String result;
      try {
        PostgresType known = oid >= 16384 && !name.startsWith("_") ? registry.get(oid) : null;
        PostgresType type = known != null && oid >= 16384 ? known
            : new PostgresType.Builder(registry, name, oid, jdbc, typmod, info).build();
        if (name.startsWith("_")) {  // an array: its element type first, then the array
          String elemName = name.substring(1);
          int elemOid = ELEMENTS.get(oid);
          int elemJdbc = connection != null ? info.getSQLType(elemOid) : java.sql.Types.OTHER;
          PostgresType elem = elemOid >= 16384 ? registry.get(elemOid)
              : new PostgresType.Builder(registry, elemName, elemOid, elemJdbc, -1, info).build();
          byName.put(elemName, elem);
          byOid.put(elemOid, elem);
          type = new PostgresType.Builder(registry, name, oid, java.sql.Types.ARRAY, typmod, info).elementType(elemOid).build();
        }
        if (oid < 16384 || name.startsWith("_")) {  // as the registry would have loaded it
          byName.put(name, type);
          byOid.put(oid, type);
        }
        // As pgoutput's ColumnMetaData sizes a relation column.
        int length = typmod != -1 ? info.getPrecision(oid, typmod) : type.getDefaultLength();
        int scale = typmod != -1 ? info.getScale(oid, typmod) : type.getDefaultScale();
        boolean notNull = Arrays.asList(mode.split(",")).contains("notnull");
        Column col = Column.editor().name("c").type(name).jdbcType(jdbc).nativeType(oid)
            .length(length).scale(scale).optional(!notNull).create();
        PgGolden conv = forMode(mode);
        SchemaBuilder sb = conv.schemaBuilder(col);
        if (sb == null) {
          result = "UNSUPPORTED";
        } else {
          if (Arrays.asList(mode.split(",")).contains("propagate")) {  // column.propagate.source.type
            new io.debezium.relational.mapping.PropagateSourceMetadataToSchemaParameter().alterFieldSchema(col, sb);
          }
          if (!notNull) sb.optional();
          boolean isDefault = Arrays.asList(mode.split(",")).contains("default");
          if (isDefault) {  // the text is a default expression as pg_get_expr prints it
            if (connection == null) throw new IllegalStateException("defaults need PG_JDBC_URL");
            Optional<Object> d = new io.debezium.connector.postgresql.connection.PostgresDefaultValueConverter(
                conv, connection.getTimestampUtils(), registry).parseDefaultValue(col, text);
            if (d.isPresent()) {
              Object dv = conv.converter(col, SchemaBuilder.struct().field("c", sb.build()).build().field("c")).convert(d.get());
              if (dv != null) sb.defaultValue(dv);
            }
          }
          Schema fs = sb.build();
          Schema st = SchemaBuilder.struct().field("c", fs).build();
          ValueConverter vc = conv.converter(col, st.field("c"));
          Object v = null;
          if (notNull) {  // a NOT NULL column without a value: the converter's fallback
            v = vc.convert(null);
          } else if (!isDefault && !Arrays.asList(mode.split(",")).contains("propagate")) {
            Object raw = ReplicationMessageColumnValueResolver.resolveValue("c", type, name,
                (ReplicationMessage.ColumnValue<?>) ctor.newInstance(text), supplier, conv.includeUnknown, registry);
            v = vc.convert(raw);
          }
          Struct s = new Struct(st).put("c", v);
          result = new String(json.fromConnectData("t", st, s), StandardCharsets.UTF_8);
        }
      } catch (Throwable e) {
        result = "ERROR " + e.getClass().getSimpleName();
        if (System.getenv("GOLDEN_DEBUG") != null) e.printStackTrace();
      }
      out.println(line + "\t" + result);
    }
  }
}
