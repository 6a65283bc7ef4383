package dev.moodtag.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --help}, {@code --version}, usage errors and missing inputs are answered before Quarkus starts: no model, no
 * CDI container, no port. The end-to-end check runs {@link MoodtagMain} in a fresh JVM on the plain test class path,
 * where Quarkus could not even start (no augmented application) and the model pack named does not exist: an answer
 * there proves nothing was loaded.
 */
class BeforeStartTest {

    private static final List<String> COMMANDS = List.of("embed", "tag", "bench-embed", "bench", "dataset", "train",
            "combine", "serve", "watch");

    private record Answer(OptionalInt code, String out, String err) {
    }

    private static Answer answer(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        OptionalInt code = BeforeStart.answer(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Answer(code, out.toString(), err.toString());
    }

    @Test
    void helpAndVersionOfEveryCommandAreAnsweredWithoutStarting() {
        Answer top = answer("--help");
        assertEquals(OptionalInt.of(0), top.code());
        assertTrue(top.out().startsWith("Usage: moodtag"), top.out());
        for (String c : COMMANDS) {
            Answer a = answer(c, "--help");
            assertEquals(OptionalInt.of(0), a.code(), c);
            assertTrue(a.out().startsWith("Usage: moodtag " + c), c + ": " + a.out());
            assertEquals(OptionalInt.of(0), answer(c, "-h").code(), c);
        }
        assertTrue(answer("--version").out().contains("moodtag 0."), answer("--version").out());
    }

    @Test
    void usageErrorsAndMissingInputsAreAnsweredWithoutStarting(@TempDir Path dir) throws IOException {
        Answer none = answer("tag");
        assertEquals(OptionalInt.of(2), none.code());
        assertTrue(none.err().contains("Missing required parameter"), none.err());
        assertEquals(OptionalInt.of(2), answer("no-such-command").code());
        assertEquals(OptionalInt.of(2), answer("tag", "--workers", "many", dir.toString()).code());
        assertEquals(OptionalInt.of(2), answer().code(), "moodtag alone names no command");

        Answer missing = answer("tag", dir.resolve("not-here").toString(), "--out", dir.resolve("out").toString());
        assertEquals(OptionalInt.of(2), missing.code());
        assertTrue(missing.err().contains("moodtag tag: ") && missing.err().contains("not-here") && missing.err().contains("does not exist"),
                missing.err());
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Answer badOut = answer("tag", dir.toString(), "--out", file.toString());
        assertEquals(OptionalInt.of(2), badOut.code());
        assertTrue(badOut.err().contains("not a folder"), badOut.err());
        Answer inbox = answer("watch", dir.resolve("no-inbox").toString());
        assertEquals(OptionalInt.of(2), inbox.code());
        assertTrue(inbox.err().contains("no-inbox") && inbox.err().contains("does not exist"), inbox.err());
        Answer fileInbox = answer("watch", file.toString());
        assertEquals(OptionalInt.of(2), fileInbox.code());
        assertTrue(fileInbox.err().contains("a-file is not a folder"), fileInbox.err());

        // each look lists the archive and reads every result: a 1 ms interval read the store without pause
        Answer hammering = answer("status", dir.toString(), "--out", dir.resolve("out").toString(), "--interval", "PT0.001S");
        assertEquals(OptionalInt.of(2), hammering.code());
        assertTrue(hammering.err().contains("--interval must be within PT0.1S..PT168H, not PT0.001S"), hammering.err());
        // a timeout past what nanoTime counts is no limit, not an ArithmeticException once the wait begins
        assertEquals(StatusCommand.NO_LIMIT.toNanos(), StatusCommand.nanos(java.time.Duration.ofDays(200_000L * 365)));
        assertEquals(1_000_000_000L, StatusCommand.nanos(java.time.Duration.ofSeconds(1)));

        Answer noManifest = answer("train", "--manifest", dir.resolve("not-here.csv").toString());
        assertEquals(OptionalInt.of(2), noManifest.code());
        assertTrue(noManifest.err().contains("moodtag train: --manifest ") && noManifest.err().contains("not-here.csv does not exist"),
                noManifest.err());
        assertEquals(OptionalInt.of(2), answer("train", "--manifest", dir.toString()).code(), "a folder is not a manifest");
        Answer neither = answer("train");
        assertEquals(OptionalInt.of(2), neither.code());
        assertTrue(neither.err().contains("give --manifest CSV or --dataset NAME"), neither.err());
        assertTrue(answer("train", "--manifest", file.toString()).code().isEmpty(), "an existing file is the trainer's to read");
        assertTrue(answer("train", "--dataset", "emodb").code().isEmpty());

        // What needs the application is left to it: s3:// listings, existing inputs, every other command.
        assertTrue(answer("tag", dir.toString(), "s3://media/x/", "--out", dir.resolve("out").toString()).code().isEmpty());
        assertTrue(answer("watch", dir.toString()).code().isEmpty());
        assertTrue(answer("serve").code().isEmpty());
    }

    @Test
    void aBenchmarkInputThatIsNotThereIsAnsweredWithoutStarting(@TempDir Path dir) throws IOException {
        // Before, both loaded the pack and ended in a MediaException's stack trace with exit code 1.
        Answer bench = answer("bench", dir.resolve("not-here.wav").toString());
        assertEquals(OptionalInt.of(2), bench.code());
        assertTrue(bench.err().startsWith("moodtag bench: ") && bench.err().contains("not-here.wav does not exist"), bench.err());
        Answer folder = answer("bench", dir.toString());
        assertEquals(OptionalInt.of(2), folder.code());
        assertTrue(folder.err().contains("is a folder"), folder.err());
        Answer embed = answer("bench-embed", dir.toString(), dir.resolve("not-here.mp4").toString());
        assertEquals(OptionalInt.of(2), embed.code());
        assertTrue(embed.err().startsWith("moodtag bench-embed: ") && embed.err().contains("not-here.mp4 does not exist"), embed.err());
        Path wav = Files.writeString(dir.resolve("a.wav"), "x");
        assertTrue(answer("bench", wav.toString()).code().isEmpty(), "an existing file is the benchmark's to decode");
        assertTrue(answer("bench-embed", dir.toString(), wav.toString()).code().isEmpty());
    }

    @Test
    void benchEmbedRefusesRunCountsItCannotRunBeforeStart(@TempDir Path dir) {
        // Before, --runs -3 printed the table's header and then a NegativeArraySizeException's stack trace, exit 1; --runs 0
        // printed a NaN and then a NullPointerException's.
        assertRunCountsRefusedBeforeStart("bench-embed", dir);
    }

    @Test
    void benchRefusesRunCountsItCannotRunBeforeStartAsBenchEmbedDoes(@TempDir Path dir) throws IOException {
        // Before, bench refused them only once Quarkus had started, with its own copy of bench-embed's check.
        Path wav = Files.writeString(dir.resolve("a.wav"), "x");
        assertRunCountsRefusedBeforeStart("bench", wav);
    }

    /** Counts that cannot be run are a usage error of {@code command} over {@code input}; the least that can run is not. */
    private static void assertRunCountsRefusedBeforeStart(String command, Path input) {
        for (String[] counts : new String[][]{{"--runs", "-3"}, {"--runs", "0"}, {"--warmup", "-1"}}) {
            Answer a = answer(command, input.toString(), counts[0], counts[1]);
            assertEquals(OptionalInt.of(2), a.code(), String.join(" ", counts));
            assertTrue(a.err().startsWith("moodtag " + command + ": " + counts[0] + " must be within "
                    + (counts[0].equals("--runs") ? "1" : "0") + "..100000, not " + counts[1]), a.err());
        }
        assertTrue(answer(command, input.toString(), "--runs", "1", "--warmup", "0").code().isEmpty());
    }

    @Test
    void everyCommandSaysAnInputThatIsNotThereTheSameWay(@TempDir Path dir) {
        // Before, train and asr-eval's --from-stats left out where they had looked, watch said a missing inbox "is not
        // a folder", and embed started, loaded the pack and reported a not_found media error with exit code 1.
        Path gone = dir.resolve("not-here");
        String said = gone + " does not exist (" + gone.toAbsolutePath().normalize() + ")";
        Map<String, String[]> commands = new LinkedHashMap<>();
        commands.put("tag", new String[]{"tag", gone.toString(), "--out", dir.resolve("out").toString()});
        commands.put("status", new String[]{"status", gone.toString(), "--out", dir.resolve("out").toString()});
        commands.put("bench", new String[]{"bench", gone.toString()});
        commands.put("bench-embed", new String[]{"bench-embed", gone.toString()});
        commands.put("asr-eval", new String[]{"asr-eval", gone.toString()});
        commands.put("asr-eval --from-stats", new String[]{"asr-eval", "--from-stats", gone.toString()});
        commands.put("train", new String[]{"train", "--manifest", gone.toString()});
        commands.put("watch", new String[]{"watch", gone.toString()});
        commands.put("embed", new String[]{"embed", dir.toString(), gone.toString()});
        commands.forEach((name, args) -> {
            Answer a = answer(args);
            assertEquals(OptionalInt.of(2), a.code(), name);
            assertTrue(a.err().startsWith("moodtag " + args[0] + ": ") && a.err().contains(said)
                    && a.err().strip().lines().count() == 1, name + ": " + a.err());
        });
    }

    @Test
    void combineRefusesAPartThatIsNotAnExportedClassifierBeforeStart(@TempDir Path dir) throws IOException {
        // Before, a --part that was not there started Quarkus and ended in a ModelPackException's stack trace, exit 1.
        Path gone = dir.resolve("not-here");
        Answer missing = answer("combine", "--out", dir.resolve("out").toString(), "--part", gone.toString());
        assertEquals(OptionalInt.of(2), missing.code());
        assertTrue(missing.err().startsWith("moodtag combine: --part " + gone + " does not exist (")
                && missing.err().strip().lines().count() == 1, missing.err());
        Answer empty = answer("combine", "--out", dir.resolve("out").toString(), "--part", dir.toString());
        assertEquals(OptionalInt.of(2), empty.code());
        assertTrue(empty.err().startsWith("moodtag combine: --part " + dir + " holds no classifier.json"), empty.err());
        Files.writeString(dir.resolve("classifier.json"), "{}");
        Answer weights = answer("combine", "--out", dir.resolve("out").toString(), "--part", dir.toString(),
                "--weight", "1,2");
        assertEquals(OptionalInt.of(2), weights.code());
        assertTrue(weights.err().startsWith("moodtag combine: --weight gives 2 weight(s) for 1 --part(s)"), weights.err());
        assertTrue(answer("combine", "--out", dir.resolve("out").toString(), "--part", dir.toString()).code().isEmpty(),
                "a folder with a classifier.json is combine's to read");
    }

    @Test
    void tagRefusesAPublishLogItCouldNotWriteBeforeStart(@TempDir Path dir) throws IOException {
        // Before, the archive was listed and then the publish ended in a NoSuchFileException's (or an
        // AccessDeniedException's) stack trace, exit 1, where --out was already checked before anything.
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        String out = dir.resolve("out").toString(), sink = "http://localhost:9/";
        Answer underFile = answer("tag", dir.toString(), "--out", out, "--publish", sink,
                "--publish-log", file.resolve("log.jsonl").toString());
        assertEquals(OptionalInt.of(2), underFile.code());
        assertTrue(underFile.err().startsWith("moodtag tag: --publish-log " + file.resolve("log.jsonl") + " (")
                && underFile.err().contains("cannot be written") && underFile.err().strip().lines().count() == 1, underFile.err());
        Answer folder = answer("tag", dir.toString(), "--out", out, "--publish", sink, "--publish-log", dir.toString());
        assertEquals(OptionalInt.of(2), folder.code());
        assertTrue(folder.err().startsWith("moodtag tag: --publish-log " + dir + " (") && folder.err().contains("is a folder"),
                folder.err());
        assertTrue(answer("tag", dir.toString(), "--out", out, "--publish", sink, "--publish-log",
                dir.resolve("logs/publish.jsonl").toString()).code().isEmpty(), "a new file in a new folder is fine");
    }

    @Test
    void trainRefusesAReportOrExportFolderItCouldNotWriteBeforeStart(@TempDir Path dir) throws IOException {
        // Before, --export into a folder that could not be made trained every fold and the final model, then ended in
        // an UncheckedIOException's stack trace ("writing classifier to ..."), exit 1; --out the same after the folds.
        Path manifest = Files.writeString(dir.resolve("m.csv"), "id,audio,label\n");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        for (String option : List.of("--out", "--export")) {
            Answer a = answer("train", "--manifest", manifest.toString(), option, file.resolve("sub").toString());
            assertEquals(OptionalInt.of(2), a.code(), option);
            assertTrue(a.err().startsWith("moodtag train: " + option + " " + file.resolve("sub") + " (")
                    && a.err().contains("cannot be written") && a.err().strip().lines().count() == 1, a.err());
            Answer notFolder = answer("train", "--manifest", manifest.toString(), option, file.toString());
            assertEquals(OptionalInt.of(2), notFolder.code(), option);
            assertTrue(notFolder.err().startsWith("moodtag train: " + option + " " + file + " (")
                    && notFolder.err().contains("exists and is not a folder"), notFolder.err());
        }
        assertTrue(answer("train", "--manifest", manifest.toString(), "--out", dir.resolve("report").toString(),
                "--export", dir.resolve("classifier").toString()).code().isEmpty());
    }

    @Test
    void embedRefusesATranscriptForSeveralFilesBeforeStart(@TempDir Path dir) throws IOException {
        // Before, the pack was loaded and then "--transcript applies to one file; 2 were given" was printed without
        // the "moodtag embed: " every other refusal starts with.
        Path a = Files.writeString(dir.resolve("a.wav"), "x"), b = Files.writeString(dir.resolve("b.wav"), "x");
        Answer two = answer("embed", "--transcript", "hello", a.toString(), b.toString());
        assertEquals(OptionalInt.of(2), two.code());
        assertEquals("moodtag embed: --transcript applies to one file; 2 were given", two.err().strip());
        assertTrue(answer("embed", "--transcript", "hello", a.toString()).code().isEmpty());
    }

    @Test
    void watchRefusesWaitsItCannotCountBeforeStart(@TempDir Path dir) {
        // Before, --settle P1000000D (2,700 years) started the watch, and the first file dropped into the inbox ended
        // it with an ArithmeticException (Duration.toNanos); --settle P200000D made the scan gap overflow.
        for (String[] wait : new String[][]{{"--settle", "P1000000D"}, {"--settle", "P200000D"}, {"--settle", "PT-1S"},
                {"--error-settle", "P1000000D"}, {"--error-settle", "PT-0.5S"}, {"--settle", "P8D"}}) {
            Answer a = answer("watch", dir.toString(), wait[0], wait[1]);
            assertEquals(OptionalInt.of(2), a.code(), String.join(" ", wait));
            assertTrue(a.err().startsWith("moodtag watch: " + wait[0] + " must be within PT0S..PT168H, not ")
                    && a.err().strip().lines().count() == 1, a.err());
        }
        for (String[] unreadable : new String[][]{{"--settle", "1000000d"}, {"--settle", ""}, {"--error-settle", "NaN"}})
            assertEquals(OptionalInt.of(2), answer("watch", dir.toString(), unreadable[0], unreadable[1]).code(),
                    String.join(" ", unreadable));
        assertTrue(answer("watch", dir.toString(), "--settle", "P7D", "--error-settle", "PT0S").code().isEmpty());
    }

    @Test
    void aDurationOptionThatIsNotADurationIsSaidPlainly(@TempDir Path dir) {
        // Before: "cannot convert '0' to class java.time.Duration (java.time.format.DateTimeParseException: Text cannot
        // be parsed to a Duration)", which names a Java class and not what to write.
        String out = dir.resolve("out").toString();
        for (String[] args : new String[][]{{"status", dir.toString(), "--out", out, "--timeout", "0"},
                {"status", dir.toString(), "--out", out, "--interval", "1e308"},
                {"watch", dir.toString(), "--settle", "NaN"}, {"watch", dir.toString(), "--error-settle", ""},
                {"watch", dir.toString(), "--settle", "99999999999999999999"}}) {
            Answer a = answer(args);
            assertEquals(OptionalInt.of(2), a.code(), String.join(" ", args));
            String first = a.err().lines().findFirst().orElse("");
            assertTrue(first.matches("Invalid value for option '--[a-z-]+': '[^']*' is not a duration: write it in "
                    + "ISO-8601, e\\.g\\. PT10S, PT30M, PT24H or P7D") && !a.err().contains("Exception"), a.err());
        }
        assertTrue(answer("status", dir.toString(), "--out", out, "--timeout", "pt1h").code().isEmpty(), "any case");
    }

    /**
     * A C or gamma scale out of range was refused only once Quarkus had started, as "C -1.0: the C grid needs values > 0",
     * naming neither the option nor what was given: now before start, exit 2, naming the option and the grid.
     */
    @Test
    void trainRefusesAGridValueOutOfRangeNamingTheOptionBeforeStart(@TempDir Path dir) throws IOException {
        Path manifest = Files.writeString(dir.resolve("m.csv"), "id,text,label\na,hello,x\n");
        List<String> unnamed = new ArrayList<>();
        for (String option : List.of("--c", "--gamma-scales")) {
            for (String v : List.of("0", "-1", "1,-0.5", "NaN", "1,NaN", "Infinity", "-Infinity", "1e400", "1,0", "-0")) {
                Answer a = answer("train", "--manifest", manifest.toString(), option, v);
                String value = Arrays.stream(v.split(",")).map(Double::valueOf).map(String::valueOf)
                        .collect(Collectors.joining(","));
                if (!a.code().equals(OptionalInt.of(2)) || !a.err().startsWith("moodtag train: " + option + " " + value + ": ")
                        || !a.err().contains(" is not a finite number > 0")) unnamed.add(option + " " + v + " -> " + a);
            }
            Answer empty = answer("train", "--manifest", manifest.toString(), option, "");
            assertEquals(OptionalInt.of(2), empty.code(), option + " ''");
            assertTrue(empty.err().contains(option), empty.err());
            for (String v : List.of("1", "0.001,1000", "1e-9"))
                assertTrue(answer("train", "--manifest", manifest.toString(), option, v).code().isEmpty(), option + " " + v);
        }
        assertEquals(List.of(), unnamed, "grid values refused without the option, or accepted before start");
    }

    /** --c past 2^15 was accepted and fitted for as long as it took: now refused before start, exit 2, with the range. */
    @Test
    void trainRefusesACAboveTheBoundBeforeStart(@TempDir Path dir) throws IOException {
        Path manifest = Files.writeString(dir.resolve("m.csv"), "id,text,label\na,hello,x\n");
        List<String> wrong = new ArrayList<>();
        for (String v : List.of("32769", "1e5", "0.1,1e6", "1e30", "1e300", "1e308")) {
            Answer a = answer("train", "--manifest", manifest.toString(), "--c", v);
            if (!a.code().equals(OptionalInt.of(2)) || !a.err().startsWith("moodtag train: --c ")
                    || !a.err().contains("must be > 0 and at most 32768") || a.err().lines().count() != 1)
                wrong.add("--c " + v + " -> " + a);
        }
        assertEquals(List.of(), wrong, "--c above 32768 accepted before start, or refused without the range");
        for (String v : List.of("32768", "1e-300", "0.03125,32768"))
            assertTrue(answer("train", "--manifest", manifest.toString(), "--c", v).code().isEmpty(), "--c " + v);
        for (String v : List.of("1e-300", "1e308"))
            assertTrue(answer("train", "--manifest", manifest.toString(), "--gamma-scales", v).code().isEmpty(), v);
    }

    @Test
    void tagRefusesAWorkerCountBelowOneBeforeStart(@TempDir Path dir) {
        // Before, --workers 0 and -1 tagged the whole folder on one worker and exited 0.
        for (String n : List.of("0", "-1")) {
            Answer a = answer("tag", dir.toString(), "--out", dir.resolve("out").toString(), "--workers", n);
            assertEquals(OptionalInt.of(2), a.code(), "--workers " + n);
            assertTrue(a.err().startsWith("moodtag tag: --workers must be within 1..256, not " + n), a.err());
        }
        assertTrue(answer("tag", dir.toString(), "--out", dir.resolve("out").toString(), "-w", "1").code().isEmpty());
    }

    @Test
    void tagRefusesAWorkerCountAboveTheBoundBeforeStart(@TempDir Path dir) {
        // Before, --workers 100000 was accepted: a worker per object up to the count, each holding a decoded object.
        List<String> accepted = new ArrayList<>();
        for (String n : List.of("257", "1000", "100000", String.valueOf(Integer.MAX_VALUE))) {
            Answer a = answer("tag", dir.toString(), "--out", dir.resolve("out").toString(), "--workers", n);
            if (a.code().isEmpty()) accepted.add(n);
            else assertTrue(a.code().equals(OptionalInt.of(2))
                    && a.err().startsWith("moodtag tag: --workers must be within 1..256, not " + n), a.err());
        }
        assertEquals(List.of(), accepted, "--workers above 256 accepted");
        for (String n : List.of("2", "16", "256"))
            assertTrue(answer("tag", dir.toString(), "--out", dir.resolve("out").toString(), "-w", n).code().isEmpty(), n);
    }

    @Test
    void asrEvalRefusesAThreadCountOutsideItsBoundsBeforeStart(@TempDir Path dir) throws IOException {
        // Before, --threads 0 and -1 recognised on one thread without a word, and 100000 started a thread per clip.
        Path stats = Files.writeString(dir.resolve("clips.csv"), "x");
        List<String> accepted = new ArrayList<>();
        for (String n : List.of("0", "-1", "-256", String.valueOf(Integer.MIN_VALUE), "257", "1000", "100000",
                String.valueOf(Integer.MAX_VALUE))) {
            for (boolean fromStats : new boolean[]{false, true}) {
                Answer a = fromStats ? answer("asr-eval", "--from-stats", stats.toString(), "--threads", n)
                        : answer("asr-eval", dir.toString(), "--threads", n);
                if (a.code().isEmpty()) accepted.add(n + (fromStats ? " with --from-stats" : ""));
                else assertTrue(a.code().equals(OptionalInt.of(2)) && a.err().startsWith(
                        "moodtag asr-eval: --threads must be within 1..256, not " + n), a.err());
            }
        }
        assertEquals(List.of(), accepted, "--threads outside 1..256 accepted");
        for (String n : List.of("1", "2", "16", "256"))
            assertTrue(answer("asr-eval", dir.toString(), "--threads", n).code().isEmpty(), n);
    }

    @Test
    void asrEvalInputsThatAreNotThereAreAnsweredWithoutStarting(@TempDir Path dir) throws IOException {
        // Before, a missing input loaded the recogniser and ended in an ExecutionException (NoSuchFileException), and a
        // missing --from-stats in a NoSuchFileException's stack trace, both exit 1.
        Answer input = answer("asr-eval", dir.resolve("not-here").toString());
        assertEquals(OptionalInt.of(2), input.code());
        assertTrue(input.err().startsWith("moodtag asr-eval: ") && input.err().contains("not-here does not exist"), input.err());
        Answer stats = answer("asr-eval", "--from-stats", dir.resolve("clips.csv").toString());
        assertEquals(OptionalInt.of(2), stats.code());
        assertTrue(stats.err().contains("--from-stats ") && stats.err().contains("clips.csv does not exist"), stats.err());
        assertTrue(answer("asr-eval", dir.toString()).code().isEmpty(), "an existing folder is the evaluation's to read");
        Path csv = Files.writeString(dir.resolve("clips.csv"), "x");
        assertTrue(answer("asr-eval", "--from-stats", csv.toString()).code().isEmpty());
    }

    @Test
    void benchRefusesAJsonFileItCouldNotWriteBeforeStart(@TempDir Path dir) throws IOException {
        // Before, the whole benchmark ran and then ended in a FileNotFoundException's stack trace, exit 1.
        Path wav = Files.writeString(dir.resolve("a.wav"), "x");
        Answer noFolder = answer("bench", wav.toString(), "--json", dir.resolve("no-such-folder/bench.json").toString());
        assertEquals(OptionalInt.of(2), noFolder.code());
        assertTrue(noFolder.err().startsWith("moodtag bench: --json ") && noFolder.err().contains("no-such-folder does not exist"),
                noFolder.err());
        assertEquals(OptionalInt.of(2), answer("bench", wav.toString(), "--json", dir.toString()).code(), "a folder");
        assertTrue(answer("bench", wav.toString(), "--json", dir.resolve("bench.json").toString()).code().isEmpty());
    }

    @Test
    void everyClosedSetTrainingOptionWithAWrongValueIsRefusedBeforeStartNamingWhatItTakes() {
        // Before, these started the application and failed with "No enum constant dev.moodtag...", or (--select-by)
        // with a stack trace from inside the first grid-search fit.
        String[][] wrong = {
                {"--fusion", "sideways", "--fusion must be early or late, not 'sideways'"},
                {"--kernel", "poly", "--kernel must be rbf or linear, not 'poly'"},
                {"--class-weights", "heavy", "--class-weights must be none or balanced, not 'heavy'"},
                {"--fusion-weights", "random", "--fusion-weights must be equal or learned, not 'random'"},
                {"--select-by", "auc", "--select-by must be ua, wa, macro-f1 or weighted-f1, not 'auc'"},
                {"--select-rule", "worst", "--select-rule must be best or one-se, not 'worst'"},
                {"--classifier", "knn", "--classifier must be libsvm, logistic or linear-svm, not 'knn'"},
                {"--normalise", "global", "--normalise must be none, corpus, speaker, speaker-skewed, speaker-guarded or speaker-skewed-guarded, not 'global'"},
                {"--transcripts", "whispered", "--transcripts must be given or recognised"},
                {"--modalities", "X", "unknown modality X"},
                {"--labels", "no-such-map.csv", "label map no-such-map.csv does not exist ("},
        };
        for (String[] w : wrong) {
            Answer a = answer("train", "--dataset", "emodb", w[0], w[1]);
            assertEquals(OptionalInt.of(2), a.code(), String.join(" ", w));
            assertTrue(a.err().startsWith("moodtag train: ") && a.err().contains(w[2]), a.err());
        }
        // Spelt as the documentation spells them, or in capitals, they are the trainer's to run.
        assertTrue(answer("train", "--dataset", "emodb", "--select-by", "macro-f1", "--select-rule", "ONE-SE",
                "--fusion", "Late", "--class-weights", "none", "--fusion-weights", "equal", "--kernel", "linear",
                "--normalise", "speaker-guarded", "--modalities", "A,T").code().isEmpty());
    }

    @Test
    void trainRefusesAFoldSchemeItCannotParseBeforeStart(@TempDir Path dir) throws IOException {
        // Before, these started the application, read the manifest and extracted every row's features (minutes on a
        // large manifest), and only then were refused; "grouped:" and "grouped:3:9" ran as grouped:5 and grouped:3,
        // "corpus:" as corpus.
        Path manifest = Files.writeString(dir.resolve("m.csv"), "id,audio,label\n");
        Map<String, String> wrong = new LinkedHashMap<>();
        wrong.put("weird:3", "unknown fold scheme 'weird:3'");
        wrong.put("weird", "unknown fold scheme 'weird'");
        wrong.put("", "unknown fold scheme ''");
        wrong.put("given:", "unknown fold scheme 'given:'");
        wrong.put("corpus:", "corpus:NAME needs the corpus to test on");
        wrong.put("grouped:0", "K must be at least 2");
        wrong.put("grouped:-1", "K must be at least 2");
        wrong.put("stratified:1", "K must be at least 2");
        wrong.put("grouped:abc", "K must be a whole number");
        wrong.put("grouped:", "K must be a whole number");
        wrong.put("stratified:2.5", "K must be a whole number");
        wrong.put("grouped:99999999999", "K must be a whole number");
        wrong.put("grouped:3:9", "one K only");
        wrong.put("logo:3", "unknown fold scheme 'logo:3'");
        for (Map.Entry<String, String> w : wrong.entrySet()) {
            for (String[] source : List.of(new String[]{"--manifest", manifest.toString()}, new String[]{"--dataset", "emodb"})) {
                Answer a = answer("train", source[0], source[1], "--folds", w.getKey());
                assertEquals(OptionalInt.of(2), a.code(), w.getKey());
                assertTrue(a.err().startsWith("moodtag train: ") && a.err().contains("'" + w.getKey() + "'")
                        && a.err().contains(w.getValue()) && a.err().strip().lines().count() == 1, w.getKey() + ": " + a.err());
            }
        }
        Answer dataset = answer("train", "--dataset", "emodbb");
        assertEquals(OptionalInt.of(2), dataset.code());
        assertTrue(dataset.err().startsWith("moodtag train: no dataset adapter 'emodbb'; known: ["), dataset.err());
        for (String fine : List.of("auto", "logo", "loso", "corpus", "corpus:emodb", "grouped:3", "GROUPED:5", " stratified:10 ",
                "split", "grouped"))
            assertTrue(answer("train", "--manifest", manifest.toString(), "--folds", fine).code().isEmpty(), fine);
    }

    @Test
    void theRealEntryPointAnswersHelpInAFreshJvmWithANonexistentPack() throws Exception {
        List<String> lines = new ArrayList<>();
        List<List<String>> calls = new ArrayList<>();
        calls.add(List.of("--help"));
        for (String c : COMMANDS) calls.add(List.of(c, "--help"));
        for (List<String> args : calls) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-cp", System.getProperty("java.class.path"), MoodtagMain.class.getName()));
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("MOODTAG_PACK_MANIFEST", "/nonexistent/pack.json");
            pb.environment().put("MOODTAG_PACK_SEARCH_PATH", "/nonexistent");
            long t0 = System.nanoTime();
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "answers " + args);
            double ms = (System.nanoTime() - t0) / 1e6;
            assertEquals(0, p.exitValue(), args + ": " + out);
            assertTrue(out.startsWith("Usage: moodtag"), args + ": " + out);
            lines.add(String.format(Locale.ROOT, "%-22s %6.0f ms", String.join(" ", args), ms));
        }
        // A measurement for the record, not an assertion: the machine may be loaded.
        System.out.println("moodtag ... --help in a fresh JVM:\n  " + String.join("\n  ", lines));
    }
}
