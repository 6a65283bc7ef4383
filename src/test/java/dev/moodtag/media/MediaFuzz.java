package dev.moodtag.media;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A mutation-fuzz campaign over what users hand the decoder; not a test (surefire runs {@code *Test} classes only), run
 * by {@code bench/media-fuzz.sh}. Seeds are small files written by the ffmpeg here per container (the archive formats of
 * {@link ArchiveFormatsTest} and the everyday ones) and the shared samples; case {@code i} mutates seed
 * {@code i mod seeds} with {@code new Random(seed * 1_000_003 + i)} ({@link MediaMutator}) and is decoded as the tagger
 * decodes it ({@link MediaFuzzWorker}) in a child JVM with a small heap and a wall limit, so that an abort, a hang or
 * an out-of-memory is recorded rather than ending the run. Every finding is copied aside and run twice more, each time in
 * a fresh child. Every fifth case is decoded again as if under load and must come out the same. The seeds are written
 * once per work folder and kept: the muxers write random identifiers (Matroska's UIDs, Ogg's serial numbers), so a
 * campaign's cases are its seeds folder's.
 *
 * <p>Arguments: work folder, number of cases (or 0 for no limit), campaign seed, minutes (0 for no limit); or
 * {@code replay WORK SEED CASE OUT}, which writes one case's input again. System properties: {@code fuzz.xmx} (256m),
 * {@code fuzz.base.ms} (the budget's base, 10000), {@code fuzz.wall.s} (45), {@code fuzz.rise.mb} (how far a case may
 * raise the child's resident set before it is a finding, 200), {@code fuzz.only} (a regex over seed file names).
 */
public final class MediaFuzz {
    private static final String XMX = System.getProperty("fuzz.xmx", "256m");
    private static final long BASE_MS = Long.getLong("fuzz.base.ms", 10_000);
    private static final long WALL_S = Long.getLong("fuzz.wall.s", 45);
    /** How far a case may raise the child's resident set: the seeds are at most 7 MB, 2 s at 320x240 or so. */
    private static final long RISE_KB = Long.getLong("fuzz.rise.mb", 200) * 1024;
    /** A fresh child now and then, so that one case's leftovers do not decide many later ones. */
    private static final int CASES_PER_CHILD = 300;

    private MediaFuzz() {
    }

    /** One decoded case: how it ended and what it cost. */
    record Result(String outcome, String signature, long wallMs, long peakRssKb, long riseKb, String detail) {
        boolean finding() {
            if (!(outcome.equals("ok") || outcome.startsWith("media:"))) return true;
            if (outcome.equals("media:not_found")) return true;
            return wallMs > BASE_MS * 2 + 5_000 || riseKb > RISE_KB;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("replay")) {
            replay(Path.of(args[1]).toAbsolutePath(), Long.parseLong(args[2]), Long.parseLong(args[3]), Path.of(args[4]));
            return;
        }
        Path work = Path.of(args[0]).toAbsolutePath();
        long cases = Long.parseLong(args[1]);
        long campaign = Long.parseLong(args[2]);
        double minutes = Double.parseDouble(args.length > 3 ? args[3] : "0");
        String only = System.getProperty("fuzz.only", ".*");
        List<Path> seeds = seeds(work.resolve("seeds")).stream()
                .filter(p -> p.getFileName().toString().matches(only)).toList();
        Path caseDir = Files.createDirectories(work.resolve("case"));
        Path findings = Files.createDirectories(work.resolve("findings"));
        long deadline = minutes > 0 ? System.nanoTime() + (long) (minutes * 60e9) : Long.MAX_VALUE;
        Map<String, Map<String, Integer>> table = new TreeMap<>();
        int nondeterministic = 0, findingCount = 0;
        try (PrintWriter rows = new PrintWriter(Files.newBufferedWriter(work.resolve("cases.tsv"), StandardCharsets.UTF_8));
             Child child = new Child(work)) {
            rows.println("case\tseed\tmutation\tbytes\toutcome\tsignature\twall_ms\tpeak_rss_kb\trise_kb\tdetail");
            for (long i = 0; (cases == 0 || i < cases) && System.nanoTime() < deadline; i++) {
                Path seed = seeds.get((int) (i % seeds.size()));
                MediaMutator.Mutant m = mutant(seeds, campaign, i);
                String name = seed.getFileName().toString();
                Path input = caseDir.resolve("case" + name.substring(name.lastIndexOf('.')));
                Files.write(input, m.bytes());
                Result res = child.decode(input, false);
                // Every fifth case again in the same child, as if the cores were busy (a film's parts one after
                // another): equal bytes must give an equal outcome and equal media whatever the load.
                if (i % 5 == 0 && !res.finding()) {
                    Result again = child.decode(input, true);
                    if (!again.outcome().equals(res.outcome()) || !again.signature().equals(res.signature())) {
                        res = new Result("nondeterministic", res.signature() + " / " + again.signature(), res.wallMs(),
                                res.peakRssKb(), res.riseKb(), res.outcome() + " then " + again.outcome());
                        nondeterministic++;
                    }
                }
                String family = family(name);
                table.computeIfAbsent(family, k -> new TreeMap<>()).merge(label(res), 1, Integer::sum);
                rows.println(String.join("\t", Long.toString(i), name, m.how(), Integer.toString(m.bytes().length),
                        res.outcome(), res.signature(), Long.toString(res.wallMs()), Long.toString(res.peakRssKb()),
                        Long.toString(res.riseKb()), res.detail()));
                rows.flush();
                if (res.finding()) {
                    findingCount++;
                    Path kept = findings.resolve("case" + i + "-" + name);
                    Files.copy(input, kept, StandardCopyOption.REPLACE_EXISTING);
                    List<String> reruns = new ArrayList<>();
                    for (int k = 0; k < 2; k++) {
                        child.restart();
                        Result re = child.decode(kept, false);
                        reruns.add(re.outcome() + " " + re.wallMs() + " ms +" + re.riseKb() / 1024 + " MB");
                    }
                    child.restart();
                    System.out.printf("FINDING case %d %s [%s]: %s %d ms +%d MB (%s); fresh reruns: %s%n", i, name, m.how(),
                            res.outcome(), res.wallMs(), res.riseKb() / 1024, res.detail(), String.join("; ", reruns));
                }
                if ((i + 1) % 100 == 0) System.out.printf("%d cases, %d findings%n", i + 1, findingCount);
            }
        }
        String summary = summary(table, nondeterministic);
        Files.writeString(work.resolve("summary.md"), summary);
        System.out.print(summary);
    }

    /** Case {@code i} of campaign {@code campaign}: seed {@code i mod seeds}, mutated from its own random source. */
    static MediaMutator.Mutant mutant(List<Path> seeds, long campaign, long i) throws IOException {
        Path seed = seeds.get((int) (i % seeds.size()));
        Random r = new Random(campaign * 1_000_003L + i);
        byte[] other = Files.readAllBytes(seeds.get(r.nextInt(seeds.size())));
        return MediaMutator.mutate(Files.readAllBytes(seed), other, r);
    }

    /** Writes case {@code i} of a campaign run in {@code work} (with the same fuzz.only) to {@code out}, and says how. */
    private static void replay(Path work, long campaign, long i, Path out) throws Exception {
        String only = System.getProperty("fuzz.only", ".*");
        List<Path> seeds = seeds(work.resolve("seeds")).stream().filter(p -> p.getFileName().toString().matches(only)).toList();
        MediaMutator.Mutant m = mutant(seeds, campaign, i);
        Files.write(out, m.bytes());
        System.out.println(seeds.get((int) (i % seeds.size())).getFileName() + " " + m.how() + " -> " + out);
    }

    /** What a case is counted as in the table: its outcome, or the bound it broke. */
    private static String label(Result r) {
        if (r.outcome().equals("ok") || r.outcome().startsWith("media:")) {
            if (r.wallMs() > BASE_MS * 2 + 5_000) return "slow(" + r.outcome() + ")";
            if (r.riseKb() > RISE_KB) return "memory(" + r.outcome() + ")";
        }
        return r.outcome();
    }

    static String family(String seedName) {
        return seedName.substring(seedName.lastIndexOf('.') + 1);
    }

    private static String summary(Map<String, Map<String, Integer>> table, int nondeterministic) {
        List<String> outcomes = table.values().stream().flatMap(m -> m.keySet().stream()).distinct().sorted().toList();
        StringBuilder s = new StringBuilder("| container | cases | " + String.join(" | ", outcomes) + " |\n|---|---|");
        outcomes.forEach(o -> s.append("---|"));
        s.append('\n');
        table.forEach((family, counts) -> {
            s.append("| ").append(family).append(" | ").append(counts.values().stream().mapToInt(Integer::intValue).sum());
            for (String o : outcomes) s.append(" | ").append(counts.getOrDefault(o, 0));
            s.append(" |\n");
        });
        return s.append("nondeterministic outcomes: ").append(nondeterministic).append('\n').toString();
    }

    /** The seed files: the formats written here, and the shared samples where they are beside the project. */
    static List<Path> seeds(Path dir) throws Exception {
        Files.createDirectories(dir);
        List<ArchiveFormatsTest.Case> cases = new ArrayList<>(Stream.concat(everyday(), ArchiveFormatsTest.cases()).toList());
        List<Path> seeds = new ArrayList<>();
        for (ArchiveFormatsTest.Case c : cases) {
            Path target = dir.resolve(c.file());
            if (!Files.exists(target)) Files.copy(c.write(), target);
            seeds.add(target);
        }
        Path samples = Path.of("..", "shared", "samples");
        if (Files.isDirectory(samples)) {
            try (Stream<Path> files = Files.list(samples)) {
                for (Path p : files.filter(MediaFiles::isMedia).sorted().toList()) {
                    Path target = dir.resolve("sample-" + p.getFileName());
                    if (!Files.exists(target)) Files.copy(p, target);
                    seeds.add(target);
                }
            }
        }
        return seeds;
    }

    /** The everyday containers and still images, short and small so that a case takes tens of milliseconds. */
    static Stream<ArchiveFormatsTest.Case> everyday() {
        return Stream.of(
                new ArchiveFormatsTest.Case("av.mp4", true, ArchiveFormatsTest.Declares.ISO_BMFF, "-c:v", "libopenh264", "-c:a", "aac", "-f", "mp4"),
                new ArchiveFormatsTest.Case("av.mov", true, ArchiveFormatsTest.Declares.ISO_BMFF, "-c:v", "mpeg4", "-c:a", "aac", "-f", "mov"),
                new ArchiveFormatsTest.Case("av.mkv", true, ArchiveFormatsTest.Declares.MATROSKA, "-c:v", "mpeg4", "-c:a", "libopus", "-f", "matroska"),
                new ArchiveFormatsTest.Case("av.webm", true, ArchiveFormatsTest.Declares.MATROSKA, "-c:v", "libvpx", "-b:v", "200k", "-c:a", "libopus", "-f", "webm"),
                new ArchiveFormatsTest.Case("av.avi", true, ArchiveFormatsTest.Declares.NOTHING, "-c:v", "mpeg4", "-c:a", "libmp3lame", "-f", "avi"),
                new ArchiveFormatsTest.Case("av.flv", true, ArchiveFormatsTest.Declares.NOTHING, "-c:v", "flv", "-c:a", "aac", "-f", "flv"),
                new ArchiveFormatsTest.Case("tone.ogg", false, ArchiveFormatsTest.Declares.NOTHING, "-c:a", "vorbis", "-strict", "-2", "-f", "ogg"),
                new ArchiveFormatsTest.Case("tone.opus", false, ArchiveFormatsTest.Declares.NOTHING, "-c:a", "libopus", "-f", "opus"),
                new ArchiveFormatsTest.Case("tone.flac", false, ArchiveFormatsTest.Declares.NOTHING, "-c:a", "flac", "-f", "flac"),
                new ArchiveFormatsTest.Case("tone.wav", false, ArchiveFormatsTest.Declares.NOTHING, "-c:a", "pcm_s16le", "-f", "wav"),
                new ArchiveFormatsTest.Case("tone.mp3", false, ArchiveFormatsTest.Declares.NOTHING, "-c:a", "libmp3lame", "-f", "mp3"),
                new ArchiveFormatsTest.Case("tone.m4a", false, ArchiveFormatsTest.Declares.ISO_BMFF, "-c:a", "aac", "-f", "ipod"),
                new ArchiveFormatsTest.Case("tone.aac", false, ArchiveFormatsTest.Declares.NOTHING, "-c:a", "aac", "-f", "adts"),
                still("still.jpg", "mjpeg"), still("still.png", "png"), still("still.bmp", "bmp"), still("still.webp", "libwebp"));
    }

    /** One picture (the clip's first, red frame) and no sound. */
    private static ArchiveFormatsTest.Case still(String file, String codec) {
        return new ArchiveFormatsTest.Case(file, true, ArchiveFormatsTest.Declares.NOTHING, "-map", "1:v", "-frames:v", "1",
                "-c:v", codec, "-f", "image2", "-update", "1");
    }

    /** The worker child, started again after an abort, a hang, or {@link #CASES_PER_CHILD} cases. */
    private static final class Child implements AutoCloseable {
        private final Path work;
        private Process process;
        private PrintWriter toChild;
        private BlockingQueue<String> lines;
        private int served;
        private int started;

        Child(Path work) {
            this.work = work;
        }

        /** @param loaded decode as if the cores were busy with other files */
        Result decode(Path input, boolean loaded) throws Exception {
            if (process == null || served >= CASES_PER_CHILD) restart();
            served++;
            long t0 = System.nanoTime();
            toChild.println((loaded ? MediaFuzzWorker.LOADED : "") + input);
            toChild.flush();
            String line = lines.poll(WALL_S, TimeUnit.SECONDS);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (line == null) {
                long rss = PeakMemory.peakKbOf(Long.toString(process.pid()));
                stop();
                return new Result("timeout", "-", ms, rss, -1, "no answer in " + WALL_S + " s");
            }
            if (line.equals(EOF)) {
                int code = process.waitFor();
                String tail = stderrTail();
                process = null;
                String outcome = code == 3 && tail.contains("OutOfMemoryError") ? "oom"
                        : code > 128 ? "abort:signal" + (code - 128) : "exit:" + code;
                return new Result(outcome, "-", ms, -1, -1, tail);
            }
            String[] f = line.split("\t", 7);
            return new Result(f[1], f[2], Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]),
                    f.length > 6 ? f[6] : "");
        }

        void restart() throws IOException, InterruptedException {
            stop();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path err = work.resolve("child-stderr.log");
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx" + XMX, "-XX:+ExitOnOutOfMemoryError",
                    "-XX:ErrorFile=" + work.resolve("hs_err_%p.log"), "-cp", System.getProperty("java.class.path"),
                    MediaFuzzWorker.class.getName(), Long.toString(BASE_MS))
                    .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
            process = pb.start();
            started++;
            served = 0;
            toChild = new PrintWriter(process.getOutputStream(), false, StandardCharsets.UTF_8);
            BlockingQueue<String> q = new LinkedBlockingQueue<>();
            lines = q;
            Process p = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = in.readLine()) != null; ) if (l.startsWith("FUZZ\t")) q.add(l);
                } catch (IOException ignored) {
                    // the child was stopped
                }
                q.add(EOF);
            }, "fuzz-child-reader");
            reader.setDaemon(true);
            reader.start();
            String ready = q.poll(120, TimeUnit.SECONDS);
            if (ready == null || !ready.equals("FUZZ\tready")) throw new IllegalStateException("worker did not start: " + stderrTail());
        }

        private String stderrTail() {
            try {
                List<String> all = Files.readAllLines(work.resolve("child-stderr.log"), StandardCharsets.ISO_8859_1);
                return MediaFuzzWorker.oneLine(String.join(" | ", all.subList(Math.max(0, all.size() - 4), all.size())));
            } catch (IOException e) {
                return "";
            }
        }

        private void stop() throws InterruptedException {
            if (process == null) return;
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            process = null;
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }

        private static final String EOF = "\u0000eof";
    }
}
