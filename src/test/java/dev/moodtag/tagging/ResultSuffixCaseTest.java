package dev.moodtag.tagging;

import dev.moodtag.media.MediaFiles;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.ObjectRef;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Whether a name is a result's, asked by every place that asks: the folder walks of {@code tag}, {@code status} and
 * {@code watch} ({@link LocalObjectStorage#isInput}), the function's filter ({@link ObjectFilter#byKey}) and the
 * result-to-media inverse ({@link ResultLocator#mediaOf}), on a grid of names whose suffix is in every case. Before,
 * the walks and the inverse compared with case and the filter without: {@code clip.wav.EMOTION.JSON} was an input to
 * the walks, no result to the inverse and a result to the filter.
 */
class ResultSuffixCaseTest {

    private static final String SUFFIX = ".emotion.json";
    private static final ObjectFilterTest.Config CONFIG = new ObjectFilterTest.Config(
            new ObjectFilterTest.Result(Optional.empty(), SUFFIX),
            new ObjectFilterTest.Filter(Optional.empty(), Optional.empty(), Optional.empty(), 1 << 20));
    private static final ObjectFilter FILTER = new ObjectFilter(CONFIG);
    private static final ResultLocator RESULTS = new ResultLocator(CONFIG, null);

    /** The suffix in every case a person, a file system or a copy gives it, and near misses that are no result's. */
    private static final List<String> RESULT_CASES = List.of(SUFFIX, ".EMOTION.JSON", ".Emotion.Json", ".emotion.JSON",
            ".EMOTION.json", ".eMoTiOn.JsOn");
    private static final List<String> NOT_RESULTS = List.of(".emotion.jsonx", ".emotion.js", ".emotion_json",
            ".emotion.json ", ".emotion.json.part", "emotion.json.wav", ".emotionjson", ".jsonl");

    @Test
    void everyPlaceAgreesWhatIsAResultWhateverItsCase() {
        Random random = new Random(20261207);
        String[] stems = {"clip.wav", "CLIP.WAV", "a b.mp4", "é.flac", "😀.ogg", "x", "k".repeat(200), "clip.wav.emotion"};
        List<String> wrong = new ArrayList<>();
        int results = 0, others = 0, generated = 0;
        for (String stem : stems) {
            for (String end : RESULT_CASES) {
                results++;
                String name = stem + end;
                if (LocalObjectStorage.isInput(name, SUFFIX)) wrong.add(name + ": an input to the folder walks");
                if (!FILTER.byKey("dir/" + name).orElse("").startsWith("a moodtag result"))
                    wrong.add(name + ": not a result to the filter: " + FILTER.byKey("dir/" + name));
                Optional<ObjectRef> media = RESULTS.mediaOf(new ObjectRef(ObjectRef.Scheme.FILE, "/in", "dir/" + name));
                if (!media.map(ObjectRef::key).equals(Optional.of("dir/" + stem)))
                    wrong.add(name + ": the inverse gives " + media);
            }
            for (String end : NOT_RESULTS) {
                others++;
                String name = stem + end;
                boolean input = LocalObjectStorage.isInput(name, SUFFIX) || name.endsWith(".part");
                boolean filtered = FILTER.byKey(name).orElse("").startsWith("a moodtag result");
                boolean inverse = RESULTS.mediaOf(new ObjectRef(ObjectRef.Scheme.FILE, "/in", name)).isPresent();
                if (!input || filtered || inverse)
                    wrong.add(name + ": input " + input + ", a result to the filter " + filtered + ", to the inverse " + inverse);
            }
        }
        // Generated names: the three answers always agree, and a media name is never a result.
        for (int n = 0; n < 5000; n++) {
            StringBuilder name = new StringBuilder();
            for (int i = random.nextInt(4); i >= 0; i--)
                name.append(List.of("a", ".", "wav", ".WAV", "emotion", ".Emotion", ".json", ".JSON", "İ", "ſ", "K", " ")
                        .get(random.nextInt(12)));
            String s = name.toString();
            if (s.startsWith(".") || s.isEmpty()) continue;
            generated++;
            boolean walkSaysResult = !LocalObjectStorage.isInput(s, SUFFIX);
            boolean filterSaysResult = FILTER.byKey(s).orElse("").startsWith("a moodtag result");
            boolean inverseSaysResult = RESULTS.mediaOf(new ObjectRef(ObjectRef.Scheme.FILE, "/in", s)).isPresent();
            if (walkSaysResult != filterSaysResult || filterSaysResult != inverseSaysResult)
                wrong.add(s + ": walk " + walkSaysResult + ", filter " + filterSaysResult + ", inverse " + inverseSaysResult);
            if (filterSaysResult && MediaFiles.isMedia(Path.of(s))) wrong.add(s + ": a media name taken for a result");
        }
        assertEquals(List.of(), wrong.stream().limit(20).toList(), wrong.size() + " wrong: of " + results
                + " results in another case, " + others + " near misses and " + generated + " generated names");
    }

    /**
     * The result prefix follows the suffix's rule: a key under it in any case ({@code Results/}, the same folder as
     * {@code results/} on a case-insensitive file system) is moodtag's output to the filter, and the inverse finds its
     * media. Before, the filter compared the prefix with case: media in {@code Results/} was tagged, and the inverse
     * said a result there was nobody's.
     */
    @Test
    void thePrefixIsAResultsInAnyCaseAsTheSuffixIs() {
        ObjectFilterTest.Config prefixed = new ObjectFilterTest.Config(
                new ObjectFilterTest.Result(Optional.of("results/"), SUFFIX),
                new ObjectFilterTest.Filter(Optional.empty(), Optional.empty(), Optional.empty(), 1 << 20));
        ObjectFilter filter = new ObjectFilter(prefixed);
        ResultLocator results = new ResultLocator(prefixed, null);
        List<String> wrong = new ArrayList<>();
        int asked = 0;
        for (String prefix : List.of("results/", "Results/", "RESULTS/", "rEsUlTs/")) {
            for (String rest : List.of("clip.wav", "a/clip.mp4", "a b/é.flac")) {
                asked++;
                if (!filter.byKey(prefix + rest).orElse("").startsWith("a moodtag result"))
                    wrong.add(prefix + rest + ": not a result to the filter: " + filter.byKey(prefix + rest));
                for (String end : RESULT_CASES) {
                    asked++;
                    Optional<ObjectRef> media = results.mediaOf(ObjectRef.s3("b", prefix + rest + end));
                    if (!media.map(ObjectRef::key).equals(Optional.of(rest))) wrong.add(prefix + rest + end + ": inverse " + media);
                }
            }
        }
        // near misses: not under the prefix, whatever their case
        for (String key : List.of("result/clip.wav", "resultsclip.wav", "a/results/clip.wav", "Results.wav", "xresults/clip.wav")) {
            asked++;
            if (filter.byKey(key).orElse("").startsWith("a moodtag result")) wrong.add(key + ": a result to the filter");
            if (results.mediaOf(ObjectRef.s3("b", key + SUFFIX)).isPresent()) wrong.add(key + SUFFIX + ": a result to the inverse");
        }
        // generated keys: whatever the inverse takes for a result, the filter does too
        Random random = new Random(7);
        for (int n = 0; n < 3000; n++) {
            StringBuilder key = new StringBuilder();
            for (int i = random.nextInt(5); i >= 0; i--)
                key.append(List.of("results/", "Results/", "result", "s/", "clip.wav", SUFFIX, ".EMOTION.JSON", "İ", "/")
                        .get(random.nextInt(9)));
            asked++;
            String k = key.toString();
            boolean inverse = results.mediaOf(ObjectRef.s3("b", k)).isPresent();
            boolean filtered = filter.byKey(k).orElse("").startsWith("a moodtag result");
            if (inverse && !filtered) wrong.add(k + ": a result to the inverse only");
            if (k.toLowerCase(java.util.Locale.ROOT).startsWith("results/") != filtered && !k.toLowerCase(java.util.Locale.ROOT).endsWith(SUFFIX))
                wrong.add(k + ": the filter says " + filtered);
        }
        assertEquals(List.of(), wrong.stream().limit(20).toList(), wrong.size() + " wrong of " + asked);
    }
}
