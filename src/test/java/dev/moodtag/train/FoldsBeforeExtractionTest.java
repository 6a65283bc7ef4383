package dev.moodtag.train;

import dev.moodtag.classify.FusionMode;
import dev.moodtag.classify.GridSearch;
import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.encode.EncoderKinds;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Folds that the manifest's groups and splits cannot give are refused once the manifest is read, before any row's
 * features are extracted (minutes on a large manifest); before, only after. Real bge-small text encoder, real cache.
 */
class FoldsBeforeExtractionTest {

    @TempDir
    Path dir;

    @Test
    void foldsTheManifestCannotGiveAreRefusedBeforeAnyFeatureIsExtracted() throws Exception {
        Path corpora = Files.writeString(dir.resolve("corpora.csv"), """
                id,transcript,label,group,split
                a1,I am so happy today!,happy,emodb:s1,train
                a2,This is terrible news.,sad,emodb:s1,train
                b1,What a wonderful surprise.,happy,meld:s2,train
                b2,I miss her every day.,sad,meld:s2,dev
                c1,We won the match!,happy,meld:s3,train
                c2,Nobody came to the funeral.,sad,meld:s3,dev
                """);
        Path ungrouped = Files.writeString(dir.resolve("ungrouped.csv"), """
                id,transcript,label,group
                a1,I am so happy today!,happy,s1
                a2,This is terrible news.,sad,
                b1,What a wonderful surprise.,happy,s2
                b2,I miss her every day.,sad,s2
                """);
        Path plain = Files.writeString(dir.resolve("plain.csv"), """
                id,transcript,label
                a1,I am so happy today!,happy
                a2,This is terrible news.,sad
                """);
        // folds → manifest → what the refusal says
        String[][] wrong = {
                {"grouped:4", corpora.toString(), "grouped:4 needs at least 4 groups; the data has 3"},
                {"grouped:7", ungrouped.toString(), "has no group"},
                {"logo", ungrouped.toString(), "has no group"},
                {"corpus:fer2013", corpora.toString(), "no corpus 'fer2013' in the data"},
                {"corpus", ungrouped.toString(), "names no corpus"},
                {"corpus", plain.toString(), "names no corpus"},
                {"split", corpora.toString(), "need rows with split=train and split=test"},
                {"split", plain.toString(), "in none of them"},
        };
        ExperimentSettings oneFit = Synthetic.settings(FusionMode.EARLY, ExperimentSettings.Ablation.NONE, 2,
                new GridSearch(List.of(1.0), List.of(1.0), 1));
        Path cacheDir = dir.resolve("cache");
        AtomicInteger extractors = new AtomicInteger();
        try (EmbeddingEngine engine = new EmbeddingEngine(Fixtures.textOnlyPack(), Fixtures.onnxCpu(), EncoderKinds.BUILT_IN, false);
             FeatureCache cache = new FeatureCache(cacheDir)) {
            for (String[] w : wrong) {
                String shown = w[0] + " over " + Path.of(w[1]).getFileName();
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer().run(
                        new Trainer.Request("folds", Path.of(w[1]), LabelMap.parse("identity"), w[0], oneFit, Set.of(),
                                dir.resolve("report"), Optional.empty(), true, false), modalities -> {
                            extractors.incrementAndGet();
                            return new FeatureExtractor(engine, null, cache, 1);
                        }), shown);
                assertTrue(e.getMessage().contains(w[2]), shown + ": " + e.getMessage());
            }
            assertEquals(0, extractors.get(), "no extractor was built, for any of " + wrong.length + " folds");
        }
        try (Stream<Path> files = Files.exists(cacheDir) ? Files.walk(cacheDir) : Stream.empty()) {
            assertEquals(List.of(), files.filter(f -> Files.isRegularFile(f) && f.toFile().length() > 0).toList(), "nothing was encoded into the feature cache");
        }
    }
}
