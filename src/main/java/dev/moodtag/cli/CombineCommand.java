package dev.moodtag.cli;

import dev.moodtag.classify.ClassifierStore;
import dev.moodtag.classify.EmotionClassifier;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code moodtag combine}: late fusion of classifiers exported by {@code moodtag train --fusion late --export}
 * from different corpora (a text classifier from MELD, a speech classifier from EmoDB, ...), into one classifier.
 */
@Dependent
@Unremovable // created by picocli through MoodtagMain, not injected anywhere
@Command(name = "combine", mixinStandardHelpOptions = true,
        description = "Combine exported per-modality classifiers (same classes) into one late-fusion classifier.")
public class CombineCommand implements Callable<Integer> {

    @Option(names = "--part", required = true, paramLabel = "DIR", description = "An exported classifier folder (repeat).")
    List<Path> parts;

    @Option(names = "--weight", split = ",", paramLabel = "W",
            description = "One weight per --part for the weighted mean of log-probabilities (default: all 1).")
    List<Double> weights;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the combined classifier.")
    Path out;

    @Override
    public Integer call() {
        List<EmotionClassifier> classifiers = new ArrayList<>();
        List<Object> trainings = new ArrayList<>();
        for (Path p : parts) {
            ClassifierStore.Stored s = ClassifierStore.load(p);
            classifiers.add(s.classifier());
            trainings.add(s.training());
        }
        double[] w = weights == null ? parts.stream().mapToDouble(p -> 1).toArray()
                : weights.stream().mapToDouble(Double::doubleValue).toArray();
        EmotionClassifier combined = EmotionClassifier.combineLate(classifiers, w);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("combinedFrom", trainings);
        training.put("weights", w);
        ClassifierStore.save(out, combined, training);
        System.out.printf("combined %d classifier(s), %d part(s), classes %s -> %s%n", classifiers.size(),
                combined.parts().size(), combined.classes(), out);
        return 0;
    }
}
