// Reads an offsets file the way Kafka Connect's FileOffsetBackingStore.load() does (one
// ObjectInputStream.readObject(), which must be a HashMap of byte[] to byte[]) and prints one
// line per entry, "key<TAB>value", sorted. Used by the C++ tests to check that Java can read
// what Sluice writes:
//
//   java ReadOffsets.java FILE
//
// Bytes 0x20..0x7e other than '\' print as themselves, any other byte as \xHH; a null value
// prints as \N (which escaped data can never produce).
import java.io.ObjectInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public class ReadOffsets {
    static String escape(ByteBuffer buf) {
        if (buf == null) return "\\N";
        StringBuilder sb = new StringBuilder();
        while (buf.hasRemaining()) {
            int b = buf.get() & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        Map<ByteBuffer, ByteBuffer> data = new HashMap<>();
        try (ObjectInputStream is = new ObjectInputStream(Files.newInputStream(Paths.get(args[0])))) {
            Object obj = is.readObject();
            if (!(obj instanceof HashMap))
                throw new IllegalStateException("Expected HashMap but found " + obj.getClass());
            Map<byte[], byte[]> raw = (Map<byte[], byte[]>) obj;
            for (Map.Entry<byte[], byte[]> e : raw.entrySet()) {
                ByteBuffer key = (e.getKey() != null) ? ByteBuffer.wrap(e.getKey()) : null;
                ByteBuffer value = (e.getValue() != null) ? ByteBuffer.wrap(e.getValue()) : null;
                data.put(key, value);
            }
        }
        List<String> lines = new ArrayList<>();
        for (Map.Entry<ByteBuffer, ByteBuffer> e : data.entrySet()) {
            lines.add(escape(e.getKey()) + "\t" + escape(e.getValue()));
        }
        Collections.sort(lines);
        for (String line : lines) System.out.println(line);
    }
}
