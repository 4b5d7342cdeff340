// The partition Kafka's Java producer picks for a keyed record, from Kafka's own code: the
// default partitioning (no partitioner.class, no explicit partition) of a record with a key is
// BuiltInPartitioner.partitionForKey(serializedKey, numPartitions) =
// Utils.toPositive(Utils.murmur2(serializedKey)) % numPartitions; a String key serializes
// (StringSerializer, StringConverter) to its UTF-8 bytes.
//
// Single-file launch on the Connect (or broker) classpath from tests/jvm/fetch.sh's cache:
//
//   java -cp "$CACHE/connect/*" tests/support/Murmur2Partitions.java PARTITIONS [--check]
//
// Standard input, one record per line:
//   without --check: KEY               -> prints "PARTITION KEY" per line
//   with --check:    PARTITION KEY     (e.g. kcat -f '%p %k\n') -> prints each record whose
//                    partition is not Java's choice ("mismatch key=K actual=A java=J", the
//                    first 20), then "records=N mismatches=M"; exits 1 when M > 0.
// A key is the rest of the line after the first space (with --check), as UTF-8.

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Utils;

public class Murmur2Partitions {
    static int partitionForKey(byte[] serializedKey, int numPartitions) {
        return Utils.toPositive(Utils.murmur2(serializedKey)) % numPartitions;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2
                || (args.length == 2 && !args[1].equals("--check"))) {
            System.err.println("usage: Murmur2Partitions PARTITIONS [--check] < records");
            System.exit(2);
        }
        int partitions = Integer.parseInt(args[0]);
        boolean check = args.length == 2;
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(new BufferedOutputStream(System.out), false, "UTF-8");
        long records = 0;
        long mismatches = 0;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty() && check) continue;
            String key = line;
            int actual = -1;
            if (check) {
                int sp = line.indexOf(' ');
                if (sp < 0) {
                    System.err.println("malformed line (want 'PARTITION KEY'): " + line);
                    System.exit(2);
                }
                actual = Integer.parseInt(line.substring(0, sp));
                key = line.substring(sp + 1);
            }
            int java = partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions);
            records++;
            if (!check) {
                out.println(java + " " + key);
            } else if (actual != java) {
                if (++mismatches <= 20)
                    out.println("mismatch key=" + key + " actual=" + actual + " java=" + java);
            }
        }
        if (check)
            out.println("records=" + records + " mismatches=" + mismatches);
        out.flush();
        System.exit(check && mismatches > 0 ? 1 : 0);
    }
}
