// Debezium 2.7's own streaming values for the live MariaDB check: reads the binlog files the
// way its binlog reader does (mysql-binlog-connector-java with Debezium's RowDeserializers),
// builds the `types` table from the same SHOW CREATE TABLE text with its DDL parser and
// TableSchemaBuilder (without the MariaDB-only UUID/INET columns, which its grammar lacks), and
// prints each inserted row as JsonConverter payload JSON
// (schemas.enable=false), one line per row. live_check.cc compares its own rows with these.
//
//   java -cp "$CACHE/plugins/debezium-connector-mysql/*:$CACHE/connect/*" DebeziumLiveValues.java FIXTURE OUT
import com.github.shyiko.mysql.binlog.BinaryLogFileReader;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import io.debezium.config.CommonConnectorConfig;
import io.debezium.connector.binlog.event.RowDeserializers;
import io.debezium.connector.mysql.antlr.MySqlAntlrDdlParser;
import io.debezium.connector.mysql.jdbc.MySqlDefaultValueConverter;
import io.debezium.connector.mysql.jdbc.MySqlValueConverters;
import io.debezium.jdbc.JdbcValueConverters;
import io.debezium.jdbc.TemporalPrecisionMode;
import io.debezium.relational.CustomConverterRegistry;
import io.debezium.relational.Table;
import io.debezium.relational.TableId;
import io.debezium.relational.TableSchema;
import io.debezium.relational.TableSchemaBuilder;
import io.debezium.relational.Tables;
import io.debezium.schema.DefaultTopicNamingStrategy;
import io.debezium.schema.SchemaNameAdjuster;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;

import java.io.File;
import java.io.PrintWriter;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;

public class DebeziumLiveValues {
  public static void main(String[] args) throws Exception {
    List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
    MySqlAntlrDdlParser parser = new MySqlAntlrDdlParser(false, false, false, null, Tables.TableFilter.includeAll(),
        new io.debezium.connector.mysql.charset.MySqlCharsetRegistry());
    Tables tables = new Tables();
    parser.setCurrentDatabase("s1");
    parser.parse("SET character_set_server=utf8mb4, collation_server=utf8mb4_general_ci", tables);
    List<String> binlogs = new ArrayList<>();
    HexFormat hex = HexFormat.of();
    for (String l : lines) {
      String[] p = l.split(" ");
      if (p[0].equals("SHOW")) {
        // Debezium 2.7's MySQL grammar has no MariaDB UUID/INET types: those columns (the last
        // ones of the table) are left out of its table; their binlog values are then ignored.
        String ddl = new String(hex.parseHex(p[3]), StandardCharsets.UTF_8)
            .replaceAll("(?m)^\\s*`[^`]+` (uuid|inet4|inet6)\\b.*$\\n", "");
        parser.parse(ddl, tables);
      }
      if (p[0].equals("BINLOG")) binlogs.add(p[1]);
    }
    Table table = tables.forTable(new TableId("s1", null, "types"));
    io.debezium.service.spi.ServiceRegistry registry = new io.debezium.service.spi.ServiceRegistry() {
      final io.debezium.connector.mysql.charset.MySqlCharsetRegistry charsets =
          new io.debezium.connector.mysql.charset.MySqlCharsetRegistry();
      @SuppressWarnings("unchecked")
      public <T extends io.debezium.service.Service> T getService(Class<T> c) { return (T) charsets; }
      public <T extends io.debezium.service.Service> void registerServiceProvider(io.debezium.service.spi.ServiceProvider<T> p) {}
      public void close() {}
    };
    // enable.time.adjuster=true (the default): the connector passes this adjuster.
    java.time.temporal.TemporalAdjuster adjuster = io.debezium.connector.binlog.jdbc.BinlogValueConverters::adjustTemporal;
    MySqlValueConverters conv = new MySqlValueConverters(JdbcValueConverters.DecimalMode.PRECISE,
        TemporalPrecisionMode.ADAPTIVE_TIME_MICROSECONDS, JdbcValueConverters.BigIntUnsignedMode.LONG,
        CommonConnectorConfig.BinaryHandlingMode.BYTES, adjuster,
        CommonConnectorConfig.EventConvertingFailureHandlingMode.WARN, registry);
    Properties props = new Properties();
    props.setProperty("topic.prefix", "srv");
    TableSchema schema = new TableSchemaBuilder(conv, new MySqlDefaultValueConverter(conv), SchemaNameAdjuster.NO_OP,
        new CustomConverterRegistry(Collections.emptyList()), SchemaBuilder.struct().build(),
        io.debezium.relational.Column::name, false).create(new DefaultTopicNamingStrategy(props), table, null, null, null);
    JsonConverter json = new JsonConverter();
    json.configure(Map.of("schemas.enable", "false"), false);

    Map<Long, TableMapEventData> maps = new HashMap<>();
    EventDeserializer ed = new EventDeserializer();
    CommonConnectorConfig.EventProcessingFailureHandlingMode fail = CommonConnectorConfig.EventProcessingFailureHandlingMode.FAIL;
    ed.setEventDataDeserializer(EventType.WRITE_ROWS, new RowDeserializers.WriteRowsDeserializer(maps, fail));
    ed.setEventDataDeserializer(EventType.EXT_WRITE_ROWS,
        new RowDeserializers.WriteRowsDeserializer(maps, fail).setMayContainExtraInformation(true));
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8))) {
      for (String path : binlogs) {
        try (BinaryLogFileReader reader = new BinaryLogFileReader(new File(path), ed)) {
          for (Event e; (e = reader.readEvent()) != null; ) {
            EventType t = e.getHeader().getEventType();
            if (t == EventType.TABLE_MAP) {
              TableMapEventData m = e.getData();
              maps.put(m.getTableId(), m);
            } else if (EventType.isWrite(t)) {
              WriteRowsEventData w = e.getData();
              TableMapEventData m = maps.get(w.getTableId());
              if (m == null || !m.getDatabase().equals("s1") || !m.getTable().equals("types")) continue;
              for (Serializable[] row : w.getRows()) {
                Struct value = schema.valueFromColumnData(row);
                out.println(new String(json.fromConnectData("t", schema.valueSchema(), value), StandardCharsets.UTF_8));
              }
            }
          }
        }
      }
    }
  }
}
