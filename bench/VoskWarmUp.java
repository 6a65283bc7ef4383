import java.lang.management.*;
import java.nio.*;
import java.nio.file.*;
import java.util.*;
import org.vosk.*;

/**
 * A measurement, not the product: thread CPU of recognising each clip on a fresh Vosk recogniser and on recognisers
 * that first decoded a fixed warm-up (each WARM_UP file in turn, or "none"), in ROUNDS rounds with the order of the
 * warm-ups rotated per clip; checks that the same warm-up gives the same result every time, and counts the results
 * that differ from the first warm-up's (raw JSON: the recogniser's clock includes the warm-up, so word times shift by
 * its length). Files are 16 kHz mono s16le PCM (FFmpeg: -ac 1 -ar 16000 -f s16le), listed one per line as
 * PATH<TAB>NAME. Used for src/main/vosk/warm-up/README.md and bench/README.md, "Recognisers warmed up ahead".
 *
 * java -cp VOSK_JAR:JNA_JAR bench/VoskWarmUp.java MODEL_DIR LIST ROUNDS WARM_UP...
 */
public class VoskWarmUp {
    static ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    static short[] pcm(String f) throws Exception {
        if (f.equals("none")) return new short[0];
        byte[] b = Files.readAllBytes(Path.of(f));
        short[] s = new short[b.length / 2];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return s;
    }
    static String feed(Recognizer r, short[] s) {
        StringBuilder out = new StringBuilder();
        for (int o = 0; o < s.length; o += 4000) {
            int n = Math.min(4000, s.length - o);
            if (r.acceptWaveForm(Arrays.copyOfRange(s, o, o + n), n)) out.append(r.getResult());
        }
        out.append(r.getFinalResult());
        r.acceptWaveForm(new short[0], 0); r.getFinalResult();
        return out.toString();
    }
    public static void main(String[] a) throws Exception {
        LibVosk.setLogLevel(LogLevel.WARNINGS);
        List<String[]> tests = new ArrayList<>();
        for (String l : Files.readAllLines(Path.of(a[1]))) tests.add(l.split("\t"));
        int rounds = Integer.parseInt(a[2]);
        List<String> names = new ArrayList<>(); List<short[]> warm = new ArrayList<>();
        for (int i = 3; i < a.length; i++) { names.add(a[i]); warm.add(pcm(a[i])); }
        int c = names.size();
        long[][] cpu = new long[c][rounds]; long[] warmCpu = new long[c];
        Map<String, String> first = new HashMap<>();
        int diffSame = 0, diffFresh = 0; List<String> notes = new ArrayList<>();
        try (Model model = new Model(a[0])) {
            for (int r = 0; r < rounds; r++) {
                for (int t = 0; t < tests.size(); t++) {
                    short[] s = pcm(tests.get(t)[0]);
                    for (int j = 0; j < c; j++) {
                        int k = (j + t + r) % c;
                        try (Recognizer rec = new Recognizer(model, 16000f)) {
                            rec.setWords(true);
                            long w0 = mx.getCurrentThreadCpuTime();
                            if (warm.get(k).length > 0) feed(rec, warm.get(k));
                            long w1 = mx.getCurrentThreadCpuTime();
                            String res = feed(rec, s);
                            cpu[k][r] += mx.getCurrentThreadCpuTime() - w1;
                            if (r == 0) warmCpu[k] += w1 - w0;
                            String key = k + "/" + t;
                            String prev = first.putIfAbsent(key, res);
                            if (prev != null && !prev.equals(res)) { diffSame++; notes.add("same-cond diff " + names.get(k) + " " + tests.get(t)[1]); }
                        }
                    }
                }
            }
            for (int k = 0; k < c; k++) for (int t = 0; t < tests.size(); t++) {
                String x = first.get(k + "/" + t), f = first.get("0/" + t);
                if (!x.equals(f)) { diffFresh++; notes.add("differs from " + names.get(0) + ": " + names.get(k) + " " + tests.get(t)[1]
                        + "\n   " + f.replaceAll("\\s+", " ") + "\n   " + x.replaceAll("\\s+", " ")); }
            }
        }
        for (int k = 0; k < c; k++) {
            StringBuilder sb = new StringBuilder();
            for (int r = 0; r < rounds; r++) sb.append(cpu[k][r] / 1_000_000).append(' ');
            System.out.printf("%-12s warm-up %4d ms/rec  recognition per round (ms, %d clips): %s%n", names.get(k), warmCpu[k] / tests.size() / 1_000_000, tests.size(), sb);
        }
        System.out.println("same-condition differences: " + diffSame + "; differing from " + names.get(0) + ": " + diffFresh);
        notes.stream().limit(12).forEach(System.out::println);
    }
}
