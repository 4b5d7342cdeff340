// Writes mapping_goldens.tsv: the Connect field schema (JsonConverter.asJsonSchema, default
// value included) Debezium 2.7's MySQL connector builds for each column of mapping_table.sql,
// under each handling mode: its own TableSchemaBuilder with MySqlValueConverters and
// MySqlDefaultValueConverter. tests/unit/plugins/mysql/schema/mapping_golden_test.cc compares.
//
// Run by regenerate.sh next to this file.
import io.debezium.config.CommonConnectorConfig;
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
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.json.JsonConverter;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;

public class GenMappingGoldens {
  record Mode(String name, JdbcValueConverters.DecimalMode decimal, TemporalPrecisionMode time,
              JdbcValueConverters.BigIntUnsignedMode bigint, CommonConnectorConfig.BinaryHandlingMode binary) {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String ddl = Files.readString(dir.resolve("mapping_table.sql"), StandardCharsets.UTF_8);
    MySqlAntlrDdlParser parser = new MySqlAntlrDdlParser(false, false, false, null, Tables.TableFilter.includeAll(),
        new io.debezium.connector.mysql.charset.MySqlCharsetRegistry());
    Tables tables = new Tables();
    parser.setCurrentDatabase("d");
    parser.parse("SET character_set_server=utf8mb4, collation_server=utf8mb4_general_ci", tables);
    parser.parse(ddl, tables);
    Table table = tables.forTable(new TableId("d", null, "m"));

    Mode[] modes = {
        new Mode("default", JdbcValueConverters.DecimalMode.PRECISE, TemporalPrecisionMode.ADAPTIVE_TIME_MICROSECONDS,
            JdbcValueConverters.BigIntUnsignedMode.LONG, CommonConnectorConfig.BinaryHandlingMode.BYTES),
        new Mode("decimal=double", JdbcValueConverters.DecimalMode.DOUBLE, TemporalPrecisionMode.ADAPTIVE_TIME_MICROSECONDS,
            JdbcValueConverters.BigIntUnsignedMode.LONG, CommonConnectorConfig.BinaryHandlingMode.BYTES),
        new Mode("decimal=string", JdbcValueConverters.DecimalMode.STRING, TemporalPrecisionMode.ADAPTIVE_TIME_MICROSECONDS,
            JdbcValueConverters.BigIntUnsignedMode.LONG, CommonConnectorConfig.BinaryHandlingMode.BYTES),
        new Mode("time=connect", JdbcValueConverters.DecimalMode.PRECISE, TemporalPrecisionMode.CONNECT,
            JdbcValueConverters.BigIntUnsignedMode.LONG, CommonConnectorConfig.BinaryHandlingMode.BYTES),
        new Mode("bigint=precise", JdbcValueConverters.DecimalMode.PRECISE, TemporalPrecisionMode.ADAPTIVE_TIME_MICROSECONDS,
            JdbcValueConverters.BigIntUnsignedMode.PRECISE, CommonConnectorConfig.BinaryHandlingMode.BYTES),
        new Mode("binary=base64", JdbcValueConverters.DecimalMode.PRECISE, TemporalPrecisionMode.ADAPTIVE_TIME_MICROSECONDS,
            JdbcValueConverters.BigIntUnsignedMode.LONG, CommonConnectorConfig.BinaryHandlingMode.BASE64),
        new Mode("binary=hex", JdbcValueConverters.DecimalMode.PRECISE, TemporalPrecisionMode.ADAPTIVE_TIME_MICROSECONDS,
            JdbcValueConverters.BigIntUnsignedMode.LONG, CommonConnectorConfig.BinaryHandlingMode.HEX),
    };
    // The converters only ask the registry for the charset registry.
    io.debezium.service.spi.ServiceRegistry registry = new io.debezium.service.spi.ServiceRegistry() {
      final io.debezium.connector.mysql.charset.MySqlCharsetRegistry charsets =
          new io.debezium.connector.mysql.charset.MySqlCharsetRegistry();
      @SuppressWarnings("unchecked")
      public <T extends io.debezium.service.Service> T getService(Class<T> c) { return (T) charsets; }
      public <T extends io.debezium.service.Service> void registerServiceProvider(io.debezium.service.spi.ServiceProvider<T> p) {}
      public void close() {}
    };
    JsonConverter json = new JsonConverter();
    json.configure(Map.of("schemas.enable", "true"), false);
    Properties props = new Properties();
    props.setProperty("topic.prefix", "srv");
    DefaultTopicNamingStrategy naming = new DefaultTopicNamingStrategy(props);
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(dir.resolve("mapping_goldens.tsv"), StandardCharsets.UTF_8))) {
      out.println("# Generated by GenMappingGoldens.java from mapping_table.sql with Debezium "
          + io.debezium.connector.mysql.Module.version() + ". Columns: mode, column, field schema JSON.");
      for (Mode m : modes) {
        MySqlValueConverters conv = new MySqlValueConverters(m.decimal(), m.time(), m.bigint(), m.binary(),
            x -> x, CommonConnectorConfig.EventConvertingFailureHandlingMode.WARN, registry);
        TableSchemaBuilder builder = new TableSchemaBuilder(conv, new MySqlDefaultValueConverter(conv),
            SchemaNameAdjuster.NO_OP, new CustomConverterRegistry(Collections.emptyList()),
            SchemaBuilder.struct().build(), io.debezium.relational.Column::name, false);
        TableSchema schema = builder.create(naming, table, null, null, null);
        for (io.debezium.relational.Column c : table.columns()) {
          Field f = schema.valueSchema().field(c.name());
          out.println(m.name() + "\t" + c.name() + "\t" + (f == null ? "DROPPED" : json.asJsonSchema(f.schema()).toString()));
        }
      }
    }
  }
}
