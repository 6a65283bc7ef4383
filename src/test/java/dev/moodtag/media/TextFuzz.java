package dev.moodtag.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moodtag.encode.EncoderContext;
import dev.moodtag.encode.text.BertTextEncoder;
import dev.moodtag.encode.text.EmbeddedText;
import dev.moodtag.testing.Fixtures;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fuzz campaign over transcripts; not a test (surefire runs {@code *Test} classes only), run by
 * {@code bench/text-fuzz.sh}. Every case of {@link TranscriptMutator} goes through the transcript chain as the tagger
 * finds a sidecar or takes inline text, and its text through the real text encoder (bge-small with its own tokenizer);
 * what is not "a text vector or a clear reason, within bounds, deterministic" is a finding. Then the texts are embedded
 * again with four in flight and must come out bit-identical, and a sample of the sidecars is put beside copies of the
 * shared sample film and run through {@code ./moodtag embed} and {@code ./moodtag tag} (one and four workers), where
 * speech and video must be encoded whatever the sidecar, the text be a vector or a reason naming the sidecar, the two
 * tag runs agree and no transcript text reach the report or its CSV as markup or a formula.
 *
 * <p>Arguments: work folder, campaign seed, and {@code e2e} to run the command-line part (minutes) as well. System
 * property {@code fuzz.e2e.per} (3): sidecars per family and format taken to the command line.
 */
public final class TextFuzz {
    private static final TranscriptLimits LIMITS = TranscriptLimits.DEFAULTS;
    /** Generous: a case is read in milliseconds, the 10 MB ones in seconds, on a loaded 2-core machine. */
    private static final long READ_MS = 15_000, ENCODE_MS = 60_000;
    private static final int E2E_PER = Integer.getInteger("fuzz.e2e.per", 3);

    private TextFuzz() {
    }

    /** One case's outcome: {@code vector}, {@code no-token} (the encoder's reason), {@code reason} (the chain's). */
    record Result(String outcome, long readMs, long encodeMs, long riseKb, String detail, List<String> findings) {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args[0]).toAbsolutePath());
        long campaign = Long.parseLong(args[1]);
        boolean e2e = args.length > 2 && args[2].startsWith("e2e");
        List<TranscriptMutator.Case> cases = TranscriptMutator.all(campaign);
        if (args.length > 2 && args[2].equals("e2e-only")) {
            String part = commandLine(work, cases);
            Files.writeString(work.resolve("summary-e2e.md"), part);
            System.out.print(part);
            System.exit(0);
        }
        Path dir = Files.createDirectories(work.resolve("case"));
        Path findingsDir = Files.createDirectories(work.resolve("findings"));
        Map<String, Map<String, Integer>> table = new TreeMap<>();
        Map<String, float[]> vectors = new LinkedHashMap<>();
        StringBuilder findings = new StringBuilder();
        TranscriptChain chain = TranscriptChain.standard(LIMITS);
        BertTextEncoder encoder = new BertTextEncoder(Fixtures.defaultPack().encoder("text-bge-small").orElseThrow(),
                new EncoderContext(Fixtures.onnxCpu(), Optional.empty()));
        try (PrintWriter rows = new PrintWriter(Files.newBufferedWriter(work.resolve("cases.tsv"), StandardCharsets.UTF_8))) {
            rows.println("case\tfamily\tformat\tmutation\tbytes\toutcome\tread_ms\tencode_ms\tpeak_rise_kb\tdetail\tfindings");
            for (int i = 0; i < cases.size(); i++) {
                TranscriptMutator.Case c = cases.get(i);
                Path file = c.inline() == null ? Files.write(dir.resolve("case" + i + "." + c.extension()), c.bytes()) : null;
                Result r = run(chain, encoder, c, file, vectors, "case" + i);
                table.computeIfAbsent(c.family() + " " + c.format(), k -> new TreeMap<>()).merge(r.outcome(), 1, Integer::sum);
                rows.println(String.join("\t", Integer.toString(i), c.family(), c.format(), clean(c.how()),
                        Integer.toString(c.inline() == null ? c.bytes().length : c.inline().length()), r.outcome(),
                        Long.toString(r.readMs()), Long.toString(r.encodeMs()), Long.toString(r.riseKb()), clean(r.detail()),
                        String.join("; ", r.findings())));
                rows.flush();
                if (!r.findings().isEmpty()) {
                    if (file != null) Files.copy(file, findingsDir.resolve("case" + i + "." + c.extension()));
                    findings.append("- case ").append(i).append(' ').append(c.label()).append(": ")
                            .append(String.join("; ", r.findings())).append('\n');
                    System.out.println("FINDING case " + i + " " + c.label() + ": " + r.findings());
                }
                if (file != null) Files.delete(file);
            }
        }
        String inFlight = inFlight(encoder, vectors);
        encoder.close();
        StringBuilder summary = new StringBuilder("# Transcript fuzz, campaign seed " + campaign + "\n\n"
                + cases.size() + " cases through the transcript chain and the text encoder.\n\n"
                + "| family format | cases | outcomes |\n|---|---|---|\n");
        table.forEach((k, v) -> summary.append("| ").append(k).append(" | ")
                .append(v.values().stream().mapToInt(Integer::intValue).sum()).append(" | ").append(v).append(" |\n"));
        summary.append("\n").append(inFlight).append("\n\nFindings:\n").append(findings.isEmpty() ? "none\n" : findings);
        if (e2e) summary.append("\n").append(commandLine(work, cases));
        Files.writeString(work.resolve("summary.md"), summary);
        System.out.print(summary);
        System.exit(0);
    }

    private static Result run(TranscriptChain chain, BertTextEncoder encoder, TranscriptMutator.Case c, Path file,
                              Map<String, float[]> vectors, String id) {
        List<String> findings = new ArrayList<>();
        TranscriptRequest request = file == null ? new TranscriptRequest(null, Transcript.inline(c.inline()), null)
                : new TranscriptRequest(null, null, file);
        PeakMemory memory = PeakMemory.reset();
        long t0 = System.nanoTime();
        TranscriptResolution first;
        try {
            first = chain.resolve(request);
        } catch (Throwable e) {
            findings.add("the chain threw " + e);
            return new Result("crash", ms(t0), 0, rise(memory), e.toString(), findings);
        }
        long readMs = ms(t0);
        if (readMs > READ_MS) findings.add("read in " + readMs + " ms");
        if (!first.equals(chain.resolve(request))) findings.add("read twice, it differs");
        Transcript t = first.transcript();
        if (t == null) {
            String why = first.whyMissing();
            if (file != null && !why.contains(file.getFileName().toString())) findings.add("the reason does not name the file");
            if (file == null) findings.add("inline text missing: " + why);
            return new Result("reason", readMs, 0, rise(memory), why, findings);
        }
        findings.addAll(problems(t));
        long t1 = System.nanoTime();
        EmbeddedText e;
        try {
            e = encoder.embedText(t.text());
        } catch (Throwable x) {
            findings.add("the encoder threw " + x);
            return new Result("crash", readMs, ms(t1), rise(memory), x.toString(), findings);
        }
        long encodeMs = ms(t1);
        if (encodeMs > ENCODE_MS) findings.add("encoded in " + encodeMs + " ms");
        for (float v : e.vector()) if (!Float.isFinite(v)) {
            findings.add("a component is not finite");
            break;
        }
        if (!Arrays.equals(e.vector(), encoder.embedText(t.text()).vector())) findings.add("embedded twice, it differs");
        long riseKb = rise(memory);
        long allowedKb = 256 * 1024 + 4 * (c.inline() == null ? c.bytes().length : 2L * c.inline().length()) / 1024;
        if (riseKb > allowedKb) findings.add("peak memory rose " + riseKb / 1024 + " MB");
        String detail = t.text().length() + " chars, " + t.segments().size() + " cues, " + e.tokens() + " tokens, "
                + e.windows() + " windows" + (t.note() == null ? "" : ", note: " + t.note());
        if (e.tokens() == 0) return new Result("no-token", readMs, encodeMs, riseKb, detail, findings);
        vectors.put(id, e.vector());
        TEXTS.put(id, t.text());
        return new Result("vector", readMs, encodeMs, riseKb, detail, findings);
    }

    private static final Map<String, String> TEXTS = new LinkedHashMap<>();

    /** What a transcript may not be: over its bounds, holding half characters or NULs, cues that are no time span. */
    static List<String> problems(Transcript t) {
        List<String> out = new ArrayList<>();
        if (t.text().length() > LIMITS.maxTextChars()) out.add("text of " + t.text().length() + " chars");
        if (t.segments().size() > LIMITS.maxCues()) out.add(t.segments().size() + " cues");
        if (t.words().size() > LIMITS.maxWords()) out.add(t.words().size() + " words");
        for (String s : texts(t)) {
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                boolean paired = Character.isHighSurrogate(ch) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(++i))
                        : !Character.isLowSurrogate(ch);
                if (!paired) {
                    out.add("half a surrogate pair at " + i);
                    break;
                }
            }
        }
        for (String s : texts(t)) if (TIMING_AS_TEXT.matcher(s).find()) {
            out.add("a timing read as text");
            break;
        }
        for (Transcript.Segment c : t.segments()) {
            if (!(c.startSeconds() >= 0 && Double.isFinite(c.endSeconds()) && c.endSeconds() >= c.startSeconds())) {
                out.add("cue " + c.startSeconds() + "-" + c.endSeconds());
                break;
            }
            if (c.text().length() > LIMITS.maxTextChars()) out.add("cue text of " + c.text().length() + " chars");
        }
        return out;
    }

    private static final Pattern TIMING_AS_TEXT = Pattern.compile("\\d:\\d\\d[.,]\\d{1,3} ?-->");

    private static List<String> texts(Transcript t) {
        List<String> out = new ArrayList<>(List.of(t.text()));
        t.segments().forEach(c -> out.add(c.text()));
        t.words().forEach(w -> out.add(w.text()));
        return out;
    }

    /** Every text embedded again with four in flight at once: each vector must equal its one-at-a-time twin. */
    private static String inFlight(BertTextEncoder encoder, Map<String, float[]> vectors) throws Exception {
        List<String> ids = new ArrayList<>(TEXTS.keySet());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        int differing = 0, runs = 0;
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int round = 0; round < 2; round++)
                for (String id : ids) futures.add(pool.submit(() -> encoder.embed(TEXTS.get(id))));
            for (int k = 0; k < futures.size(); k++) {
                runs++;
                if (!Arrays.equals(vectors.get(ids.get(k % ids.size())), futures.get(k).get())) differing++;
            }
        } finally {
            pool.shutdownNow();
        }
        return "Determinism: " + ids.size() + " texts embedded one at a time, then twice each with 4 in flight: "
                + differing + " of " + runs + " vectors differ bitwise.";
    }

    // ---- the command line: ./moodtag embed and tag over the media with a sample of the sidecars beside it

    private static final Pattern BLOCK = Pattern.compile("(?m)^\\[\\d+/\\d+] (\\S+)\\n((?:  .*\\n?)*)");

    private static String commandLine(Path work, List<TranscriptMutator.Case> cases) throws Exception {
        Path folder = Files.createDirectories(work.resolve("e2e"));
        Path seed = work.resolve("seed.mp4");
        if (!Files.exists(seed)) Files.copy(Fixtures.sample("01-01-01-01-01-01-01.mp4"), seed);
        Map<String, TranscriptMutator.Case> sidecars = new LinkedHashMap<>();
        // E2E_PER of each family and format, spread over its cases
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < cases.size(); i++)
            if (cases.get(i).inline() == null)
                groups.computeIfAbsent(cases.get(i).family() + cases.get(i).format(), k -> new ArrayList<>()).add(i);
        List<Integer> chosen = new ArrayList<>();
        for (List<Integer> g : groups.values())
            for (int k = 0; k < Math.min(E2E_PER, g.size()); k++) chosen.add(g.get(k * g.size() / Math.min(E2E_PER, g.size())));
        // and every sidecar meant for the report: its timed cues become timeline segments whose words the report lists
        for (int i = 0; i < cases.size(); i++)
            if (cases.get(i).how().equals("report-injection") && cases.get(i).inline() == null && !chosen.contains(i)) chosen.add(i);
        for (int i : chosen) {
            TranscriptMutator.Case c = cases.get(i);
            String base = "c" + i;
            Files.write(folder.resolve(base + "." + c.extension()), c.bytes());
            Files.deleteIfExists(folder.resolve(base + ".mp4"));
            Files.createLink(folder.resolve(base + ".mp4"), seed);
            sidecars.put(base + ".mp4", c);
        }
        StringBuilder out = new StringBuilder("## Command line: " + sidecars.size() + " sidecars beside the sample film\n\n");
        String embed = moodtag(work, out, "embed", folder.toString());
        List<String> problems = new ArrayList<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        Matcher m = BLOCK.matcher(embed);
        int blocks = 0;
        while (m.find()) {
            blocks++;
            String name = m.group(1), body = m.group(2);
            TranscriptMutator.Case c = sidecars.get(name);
            if (c == null) continue;
            String label = name + " (" + c.label() + ")";
            if (!body.matches("(?s).*\\n  A speech-oww-embedding +192-d.*") || !body.matches("(?s).*\\n  V video-face-expression +526-d.*"))
                problems.add(label + ": speech or video not encoded");
            Matcher text = Pattern.compile("(?m)^  T text-bge-small +(.*)$").matcher(body);
            if (!text.find()) {
                problems.add(label + ": no text line");
                continue;
            }
            String t = text.group(1);
            String sidecar = name.replace(".mp4", "." + c.extension());
            String outcome = t.startsWith("384-d") ? "vector" : t.contains("transcript not used: " + sidecar + ": ") ? "reason"
                    : t.contains("the " + sidecar + " transcript is blank") ? "blank"
                    : t.contains("no word the text model reads") ? "no-token" : "other";
            outcomes.merge(c.family() + " " + outcome, 1, Integer::sum);
            if (outcome.equals("other")) problems.add(label + ": " + t);
        }
        if (blocks != sidecars.size()) problems.add(blocks + " files answered of " + sidecars.size());
        out.append("embed outcomes: ").append(outcomes).append("\n\n");
        // Recordings over 1 s get a timeline, so that timed sidecars' cues are segments with their words in the report
        out.append("tag runs with -Dmoodtag.timeline.segment-above=PT1S: the film's 3.3 s is a timeline\n\n");
        moodtag(work, out, "tag", folder.toString(), "--out", work.resolve("batch1").toString(), "--workers", "1", "--force");
        Map<String, String> one = results(folder, sidecars.keySet());
        moodtag(work, out, "tag", folder.toString(), "--out", work.resolve("batch4").toString(), "--workers", "4", "--force");
        Map<String, String> four = results(folder, sidecars.keySet());
        int differ = 0;
        for (String k : one.keySet()) if (!one.get(k).equals(four.get(k))) {
            differ++;
            problems.add(k + ": 1 worker gave " + one.get(k) + ", 4 workers " + four.get(k));
        }
        out.append("tag with 1 and 4 workers: ").append(differ).append(" of ").append(one.size())
                .append(" results differ (anything but times taken and when)\n\n");
        for (String batch : List.of("batch1", "batch4")) {
            String html = Files.readString(work.resolve(batch).resolve("report.html"));
            String csv = Files.readString(work.resolve(batch).resolve("index.csv"));
            for (String raw : List.of("<script>alert", "<img src=x", "</td></tr><img"))
                if (html.contains(raw)) problems.add(batch + "/report.html holds " + raw);
            // the report lists recognised segments' words, not a sidecar's: 0 here says the check had nothing to see
            out.append(batch).append("/report.html: the injection text escaped ")
                    .append(html.split("&lt;script&gt;alert", -1).length - 1).append(" times\n\n");
            for (String line : csv.split("\n"))
                for (String cell : line.split(",")) if (cell.matches("\"?[=+@].*")) problems.add(batch + "/index.csv: " + cell);
        }
        out.append(problems.isEmpty() ? "no command-line finding\n" : "command-line findings:\n- " + String.join("\n- ", problems) + "\n");
        return out.toString();
    }

    /** Each result's modalities (present, reason, probabilities), as the tag run left it beside the media. */
    private static Map<String, String> results(Path folder, Iterable<String> media) throws IOException {
        Map<String, String> out = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String name : media) {
            Path r = folder.resolve(name + ".emotion.json");
            if (!Files.exists(r)) {
                out.put(name, "no result");
                continue;
            }
            JsonNode root = json.readTree(r.toFile());
            withoutClocks(root);
            out.put(name, root.toString());
        }
        return out;
    }

    /**
     * What differs between two runs of the same input whatever it gave: times taken, when and by which request, and an
     * error's message (a spent budget's names the seconds spent).
     */
    private static void withoutClocks(JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o)
            o.remove(List.of("ms", "timingsMs", "createdAt", "requestId", "lastModified", "seconds", "message"));
        node.forEach(TextFuzz::withoutClocks);
    }

    /** Runs {@code ./moodtag args} under /usr/bin/time, noting its wall time and peak resident memory; its output. */
    private static String moodtag(Path work, StringBuilder note, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "peak_rss_kb=%M", "./moodtag"));
        command.addAll(List.of(args));
        Path log = work.resolve(args[0] + "-" + System.nanoTime() + ".log");
        long t0 = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (args[0].equals("tag")) builder.environment().put("JAVA_OPTS", "-Dmoodtag.timeline.segment-above=PT1S");
        Process p = builder.start();
        int exit = p.waitFor();
        String out = Files.readString(log);
        Matcher peak = Pattern.compile("peak_rss_kb=(\\d+)").matcher(out);
        note.append(String.format("`moodtag %s`: exit %d, %.1f s, peak %s MB%n%n", String.join(" ", args).replace(work.toString(), "WORK"),
                exit, (System.nanoTime() - t0) / 1e9, peak.find() ? Long.parseLong(peak.group(1)) / 1024 : "?"));
        return out;
    }

    private static long ms(long from) {
        return (System.nanoTime() - from) / 1_000_000;
    }

    private static long rise(PeakMemory m) {
        return m.atResetKb() < 0 ? -1 : PeakMemory.peakKb() - m.atResetKb();
    }

    private static String clean(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 300; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
