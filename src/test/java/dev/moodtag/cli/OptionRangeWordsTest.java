package dev.moodtag.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every numeric option with a range says a value out of it as a setting does (support/SettingRange): "OPTION must be
 * within MIN..MAX, not VALUE" (or "at least MIN"), one line after "moodtag COMMAND: ", exit code 2, before start.
 * Before, --workers, --threads, --pause-ms, --concurrency, --runs/--warmup and --max-in-flight said "got", --runs and
 * --warmup in one sentence for both, status's --timeout and --interval without the value, and --rate and
 * --max-in-flight only once the archive had been listed (--rate naming the setting, not the option). Until
 * 2026-12-08 asr-eval --limit -1 meant all clips, its gate goals were refused once Quarkus had started without the
 * option ("gate goals must lie in [0, 1]: 1.5"), train --grid-max-samples was refused under the setting's name,
 * combine --weight took any number (NaN, a negative, 0 for every part) and status --interval had no upper bound.
 */
class OptionRangeWordsTest {

    /** An option, the arguments it is given with, its range (max empty: no upper bound) and what picocli reads it as. */
    private record Ranged(String command, String option, long min, Long max, String type, List<String> args) {
    }

    private record Answer(OptionalInt code, String err) {
    }

    private static Answer answer(List<String> args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        OptionalInt code = BeforeStart.answer(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Answer(code, err.toString());
    }

    @Test
    void everyWholeNumberOptionSaysItsRangeAsASettingDoes(@TempDir Path dir) throws IOException {
        Path wav = Files.writeString(dir.resolve("a.wav"), "x");
        String out = dir.resolve("out").toString(), sink = "http://127.0.0.1:9/";
        List<Ranged> options = List.of(
                new Ranged("tag", "--workers", 1, 256L, "int", List.of("tag", dir.toString(), "--out", out)),
                new Ranged("tag", "--max-in-flight", 1, 1000L, "int",
                        List.of("tag", dir.toString(), "--out", out, "--publish", sink)),
                new Ranged("asr-eval", "--threads", 1, 256L, "int", List.of("asr-eval", dir.toString())),
                new Ranged("bench", "--pause-ms", 0, 60_000L, "long", List.of("bench", wav.toString())),
                new Ranged("bench", "--concurrency", 1, 256L, "int", List.of("bench", wav.toString())),
                new Ranged("bench", "--runs", 1, 100_000L, "int", List.of("bench", wav.toString())),
                new Ranged("bench", "--warmup", 0, 100_000L, "int", List.of("bench", wav.toString())),
                new Ranged("bench-embed", "--runs", 1, 100_000L, "int", List.of("bench-embed", wav.toString())),
                new Ranged("bench-embed", "--warmup", 0, 100_000L, "int", List.of("bench-embed", wav.toString())));
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Ranged r : options) {
            long least = r.type().equals("int") ? Integer.MIN_VALUE : Long.MIN_VALUE;
            long most = r.type().equals("int") ? Integer.MAX_VALUE : Long.MAX_VALUE;
            List<Long> outside = Stream.of(least, -1_000_000L, -1L, r.min() - 1, r.max() + 1, 1_000_000L, most)
                    .filter(v -> v < r.min() || v > r.max()).distinct().toList();
            for (long v : outside) {
                checked++;
                Answer a = answer(with(r, String.valueOf(v)));
                String said = "moodtag " + r.command() + ": " + r.option() + " must be within " + r.min() + ".." + r.max()
                        + ", not " + v;
                if (!a.code().equals(OptionalInt.of(2)) || !a.err().equals(said + System.lineSeparator()))
                    wrong.add(r.command() + " " + r.option() + " " + v + " -> " + a);
            }
            for (long v : new long[]{r.min(), r.max()}) {
                checked++;
                Answer a = answer(with(r, String.valueOf(v)));
                if (a.code().isPresent()) wrong.add(r.command() + " " + r.option() + " " + v + " (an edge) -> " + a);
            }
            for (String garbage : List.of("many", "1.5", "", "0x10", "99999999999999999999", "2e3", " 3")) {
                checked++;
                Answer a = answer(with(r, garbage));
                // picocli's words, with the label of an option that takes a list: "'--concurrency' (<concurrency>): "
                String first = a.err().lines().findFirst().orElse("");
                if (!a.code().equals(OptionalInt.of(2)) || !first.startsWith("Invalid value for option '" + r.option() + "'")
                        || !first.endsWith(": '" + garbage + "' is not a" + (r.type().equals("int") ? "n int" : " long")))
                    wrong.add(r.command() + " " + r.option() + " '" + garbage + "' -> " + a);
            }
        }
        // a level out of range among others is named by itself
        Answer level = answer(List.of("bench", wav.toString(), "--concurrency", "1,2,300,0"));
        if (!level.code().equals(OptionalInt.of(2))
                || !level.err().equals("moodtag bench: --concurrency must be within 1..256, not 300" + System.lineSeparator()))
            wrong.add("--concurrency 1,2,300,0 -> " + level);
        assertEquals(List.of(), wrong, wrong.size() + " of " + (checked + 1) + " answers");
    }

    @Test
    void optionsWithOnlyALowerBoundSayItAsASettingDoes(@TempDir Path dir) {
        String out = dir.resolve("out").toString(), sink = "http://127.0.0.1:9/";
        List<String> status = List.of("status", dir.toString(), "--out", out);
        List<String> publish = List.of("tag", dir.toString(), "--out", out, "--publish", sink);
        String[][] refused = {
                {"--timeout", "PT-1S", "moodtag status: --timeout must be at least PT0S, not PT-1S"},
                {"--timeout", "PT-0.001S", "moodtag status: --timeout must be at least PT0S, not PT-0.001S"},
                {"--timeout", "-P100000D", "moodtag status: --timeout must be at least PT0S, not PT-2400000H"},
                {"--interval", "PT0.099S", "moodtag status: --interval must be within PT0.1S..PT168H, not PT0.099S"},
                {"--interval", "PT0S", "moodtag status: --interval must be within PT0.1S..PT168H, not PT0S"},
                {"--interval", "PT-10S", "moodtag status: --interval must be within PT0.1S..PT168H, not PT-10S"},
                {"--rate", "0", "moodtag tag: --rate must be above 0 events/s, not 0.0"},
                {"--rate", "-0", "moodtag tag: --rate must be above 0 events/s, not -0.0"},
                {"--rate", "-1e300", "moodtag tag: --rate must be above 0 events/s, not -1.0E300"},
                {"--rate", "NaN", "moodtag tag: --rate must be above 0 events/s, not NaN"},
                {"--rate", "-Infinity", "moodtag tag: --rate must be above 0 events/s, not -Infinity"},
        };
        List<String> wrong = new ArrayList<>();
        for (String[] r : refused) {
            List<String> args = new ArrayList<>(r[0].equals("--rate") ? publish : status);
            args.addAll(List.of(r[0], r[1]));
            Answer a = answer(args);
            if (!a.code().equals(OptionalInt.of(2)) || !a.err().equals(r[2] + System.lineSeparator()))
                wrong.add(String.join(" ", r[0], r[1]) + " -> " + a);
        }
        String[][] edges = {{"--timeout", "PT0S"}, {"--timeout", "P100000D"}, {"--interval", "PT0.1S"},
                {"--interval", "P7D"}, {"--rate", "1e-300"}, {"--rate", "4.9E-324"}, {"--rate", "Infinity"}};
        for (String[] e : edges) {
            List<String> args = new ArrayList<>(e[0].equals("--rate") ? publish : status);
            args.addAll(List.of(e[0], e[1]));
            Answer a = answer(args);
            if (a.code().isPresent()) wrong.add(String.join(" ", e) + " (in range) -> " + a);
        }
        for (String[] g : new String[][]{{"--rate", "fast"}, {"--rate", ""}, {"--timeout", "1h"}, {"--interval", "0"}}) {
            List<String> args = new ArrayList<>(g[0].equals("--rate") ? publish : status);
            args.addAll(List.of(g[0], g[1]));
            Answer a = answer(args);
            if (!a.code().equals(OptionalInt.of(2))
                    || !a.err().lines().findFirst().orElse("").startsWith("Invalid value for option '" + g[0] + "': '" + g[1] + "'"))
                wrong.add(String.join(" ", g) + " -> " + a);
        }
        assertEquals(List.of(), wrong, wrong.size() + " answers");
    }

    /** An option given a value, and what is said: null where the value is in range (not answered before start). */
    private record Case(List<String> args, String option, String value, String said) {
    }

    @Test
    void theOptionsLeftWithoutARangeOrAName(@TempDir Path dir) throws IOException {
        Path manifest = Files.writeString(dir.resolve("m.csv"), "file,label\n");
        Path partA = Files.createDirectories(dir.resolve("a")), partB = Files.createDirectories(dir.resolve("b"));
        Files.writeString(partA.resolve("classifier.json"), "{}");
        Files.writeString(partB.resolve("classifier.json"), "{}");
        String out = dir.resolve("out").toString();
        List<String> asrEval = List.of("asr-eval", dir.toString());
        List<String> train = List.of("train", "--manifest", manifest.toString());
        List<String> combine = List.of("combine", "--part", partA.toString(), "--part", partB.toString(), "--out", out);
        List<String> status = List.of("status", dir.toString(), "--out", out);
        List<Case> cases = new ArrayList<>();
        for (String v : List.of("-2147483648", "-1000000", "-1"))
            cases.add(new Case(asrEval, "--limit", v, "moodtag asr-eval: --limit must be at least 0, not " + v));
        for (String v : List.of("0", "1", "2147483647")) cases.add(new Case(asrEval, "--limit", v, null));
        for (String v : List.of("-2147483648", "-1"))
            cases.add(new Case(train, "--grid-max-samples", v, "moodtag train: --grid-max-samples must be at least 0, not " + v));
        for (String v : List.of("0", "1", "2147483647")) cases.add(new Case(train, "--grid-max-samples", v, null));
        for (String v : List.of("0", "-0", "-4.9E-324", "-1e300", "1.0000000000000002", "2", "1e308", "NaN", "Infinity", "-Infinity"))
            cases.add(new Case(asrEval, "--keep", v, "moodtag asr-eval: --keep must be above 0 and at most 1, not "
                    + Double.parseDouble(v)));
        for (String v : List.of("4.9E-324", "0.5", "1")) cases.add(new Case(asrEval, "--keep", v, null));
        for (String option : List.of("--max-other", "--max-wer")) {
            for (String v : List.of("-4.9E-324", "-1", "1.0000000000000002", "1.5", "1e308", "NaN", "Infinity", "-Infinity"))
                cases.add(new Case(asrEval, option, v, "moodtag asr-eval: " + option + " must be within 0..1, not "
                        + Double.parseDouble(v)));
            for (String v : List.of("0", "-0", "4.9E-324", "0.06", "1")) cases.add(new Case(asrEval, option, v, null));
        }
        for (String v : List.of("-1", "-4.9E-324", "1000.0000000000001", "1e308", "NaN", "Infinity", "-Infinity"))
            for (String pair : List.of(v + ",1", "1," + v))
                cases.add(new Case(combine, "--weight", pair, "moodtag combine: --weight must be within 0..1000, not "
                        + Double.parseDouble(v)));
        for (String pair : List.of("0,0", "0,-0", "-0,0"))
            cases.add(new Case(combine, "--weight", pair, "moodtag combine: --weight gives every part 0: at least one "
                    + "weight must be above 0"));
        for (String pair : List.of("0,1", "4.9E-324,0", "1000,4.9E-324", "1,1", "0.25,1000"))
            cases.add(new Case(combine, "--weight", pair, null));
        for (String v : List.of("PT168H0.001S", "P8D", "P100000D", "PT2562047788015215H"))
            cases.add(new Case(status, "--interval", v, "moodtag status: --interval must be within PT0.1S..PT168H, not "
                    + java.time.Duration.parse(v)));
        for (String v : List.of("PT0.1S", "PT10S", "P7D", "PT167H59M59.999999999S")) cases.add(new Case(status, "--interval", v, null));
        List<String> wrong = new ArrayList<>();
        for (Case c : cases) {
            List<String> args = new ArrayList<>(c.args());
            args.addAll(List.of(c.option(), c.value()));
            Answer a = answer(args);
            boolean right = c.said() == null ? a.code().isEmpty()
                    : a.code().equals(OptionalInt.of(2)) && a.err().equals(c.said() + System.lineSeparator());
            if (!right) wrong.add(c.option() + " " + c.value() + " -> " + a);
        }
        String[][] garbage = {{"asr-eval", "--limit", "all"}, {"asr-eval", "--limit", "1.5"}, {"asr-eval", "--limit", ""},
                {"asr-eval", "--keep", "most"}, {"asr-eval", "--keep", "95%"}, {"asr-eval", "--max-other", ""},
                {"asr-eval", "--max-wer", "0,06"}, {"train", "--grid-max-samples", "all"},
                {"train", "--grid-max-samples", "99999999999999999999"}, {"combine", "--weight", "heavy"},
                {"combine", "--weight", "1,,1"}, {"status", "--interval", "1w"}, {"status", "--interval", "P1W2"}};
        for (String[] g : garbage) {
            List<String> args = new ArrayList<>(switch (g[0]) {
                case "asr-eval" -> asrEval;
                case "train" -> train;
                case "combine" -> combine;
                default -> status;
            });
            args.addAll(List.of(g[1], g[2]));
            Answer a = answer(args);
            String first = a.err().lines().findFirst().orElse("");
            if (!a.code().equals(OptionalInt.of(2)) || !first.startsWith("Invalid value for option '" + g[1] + "'"))
                wrong.add(String.join(" ", g) + " -> " + a);
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + (cases.size() + garbage.length) + " answers");
    }

    private static List<String> with(Ranged r, String value) {
        List<String> args = new ArrayList<>(r.args());
        args.addAll(List.of(r.option(), value));
        return args;
    }
}
