// Writes offsets files exactly the way Kafka Connect's FileOffsetBackingStore.save() does:
// a HashMap<byte[], byte[]> (connector/partition key JSON -> offset JSON, or null) written with
// ObjectOutputStream.writeObject. Used once to produce the committed golden files:
//
//   java GenOffsets.java OUT [variant]
//
// variant: default (3 entries, one null value), single (1 entry, so Java's order is fixed and
// the C++ writer must match byte for byte), empty, grow (13 entries: the table doubles to 32),
// linked (a LinkedHashMap, i.e. a HashMap subclass chain), shared (two keys whose values are
// the same byte[] instance, so the second is written as a TC_REFERENCE).
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

public class GenOffsets {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        String variant = args.length > 1 ? args[1] : "default";
        Map<byte[], byte[]> raw;
        switch (variant) {
            case "default":
                raw = new HashMap<>();
                raw.put(b("[\"local-file-source\",{\"filename\":\"/tmp/test.txt\"}]"), b("{\"position\":1234}"));
                raw.put(b("[\"local-file-source\",{\"filename\":\"/tmp/other.txt\"}]"), b("{\"position\":56}"));
                raw.put(b("[\"inventory\",{\"server\":\"dbserver1\"}]"), null);
                break;
            case "single":
                raw = new HashMap<>();
                raw.put(b("[\"local-file-source\",{\"filename\":\"/tmp/test.txt\"}]"), b("{\"position\":1234}"));
                break;
            case "empty":
                raw = new HashMap<>();
                break;
            case "grow":
                raw = new HashMap<>();
                for (int i = 0; i < 13; i++) {
                    raw.put(b("[\"c\",{\"p\":" + i + "}]"), b("{\"o\":" + (i * 10) + "}"));
                }
                break;
            case "linked":
                raw = new LinkedHashMap<>();
                raw.put(b("[\"inventory\",{\"server\":\"dbserver1\"}]"), b("{\"lsn\":123456,\"txId\":789}"));
                raw.put(b("[\"inventory\",{\"server\":\"dbserver2\"}]"), null);
                break;
            case "shared": {
                raw = new HashMap<>();
                byte[] same = b("{\"position\":7}");
                raw.put(b("[\"a\",{\"f\":\"1\"}]"), same);
                raw.put(b("[\"a\",{\"f\":\"2\"}]"), same);
                break;
            }
            default:
                throw new IllegalArgumentException("unknown variant " + variant);
        }
        try (ObjectOutputStream os = new ObjectOutputStream(Files.newOutputStream(Paths.get(args[0])))) {
            os.writeObject(raw);
        }
    }
}
