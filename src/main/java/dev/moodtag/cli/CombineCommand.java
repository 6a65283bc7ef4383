package dev.moodtag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moodtag.batch.ReportFolder;
import dev.moodtag.classify.ClassifierStore;
import dev.moodtag.classify.EmotionClassifier;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.moodtag.pack.ModelPackException;
import dev.moodtag.storage.LocalFailures;
import dev.moodtag.support.SettingRange;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code moodtag combine}: late fusion of classifiers exported by {@code moodtag train --fusion late --export}
 * from different corpora (a text classifier from MELD, a speech classifier from EmoDB, ...), into one classifier.
 */
@Dependent
@Unremovable // created by picocli through MoodtagMain, not injected anywhere
@Command(name = "combine", mixinStandardHelpOptions = true,
        description = "Combine exported per-modality classifiers (same classes) into one late-fusion classifier.")
public class CombineCommand implements Callable<Integer>, BeforeStart.Check {

    @Option(names = "--part", required = true, paramLabel = "DIR", description = "An exported classifier folder (repeat).")
    List<Path> parts;

    @Option(names = "--weight", split = ",", paramLabel = "W",
            description = "One weight per --part for the weighted mean of log-probabilities, multiplying the weights "
                    + "its parts already have, each 0.." + (long) CombineCommand.MAX_WEIGHT + " and not all 0 (default: all 1).")
    List<Double> weights;

    /**
     * The largest weight: weights only count against each other, so a part a thousand times another's is as far as a
     * weighting goes; past about 10^306 a weight times a log-probability is no longer a number, and the classifier said
     * NaN for every class.
     */
    static final double MAX_WEIGHT = 1000;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the combined classifier.")
    Path out;

    /**
     * A {@code --part} that is not there, or not a folder holding a {@code classifier.json}, is answered in one line
     * (it was a {@code ModelPackException}'s stack trace with exit code 1, after Quarkus had started).
     */
    @Override
    public Optional<String> problemBeforeStart() {
        for (Path part : parts) {
            Optional<String> missing = BeforeStart.missing(part);
            if (missing.isPresent()) return Optional.of("--part " + missing.get());
            Path file = part.resolve(ClassifierStore.FILE);
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS))
                return Optional.of("--part " + part + " holds no " + ClassifierStore.FILE
                        + ": give a folder written by moodtag train --export (or by combine)");
            // a FIFO (which would block the read), a folder, a link that leads nowhere: said as what it is
            Optional<LocalFailures.PathFault> unreadable = LocalFailures.notAReadableFile(file);
            if (unreadable.isPresent())
                return Optional.of("--part " + part + ": " + ClassifierStore.FILE + " cannot be read: " + unreadable.get().words());
        }
        if (weights != null && weights.size() != parts.size())
            return Optional.of("--weight gives " + weights.size() + " weight(s) for " + parts.size() + " --part(s)");
        // A negative weight left its part out without a word (as 0 does), NaN or Infinity made every probability NaN,
        // and 0 for every part a classifier that answers nothing: all were combined and saved
        if (weights != null) {
            for (double w : weights) {
                Optional<String> outside = SettingRange.within("--weight", w, 0, MAX_WEIGHT);
                if (outside.isPresent()) return outside;
            }
            if (weights.stream().allMatch(w -> w == 0))
                return Optional.of("--weight gives every part 0: at least one weight must be above 0");
        }
        // Written once the parts are read and combined: a folder that cannot be made or written (a file in the way,
        // /proc/x, a loop of links, a name too long) was an UncheckedIOException's stack trace, exit 1, at the end
        try {
            ReportFolder.check("--out", out); // made when the combined classifier is saved
        } catch (IllegalArgumentException wrong) {
            return Optional.of(wrong.getMessage());
        }
        return Optional.empty();
    }

    @Override
    public Integer call() {
        problemBeforeStart().ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        List<EmotionClassifier> classifiers = new ArrayList<>();
        double[] w = weights == null ? parts.stream().mapToDouble(p -> 1).toArray()
                : weights.stream().mapToDouble(Double::doubleValue).toArray();
        if (w.length != parts.size())
            throw new CommandLine.ParameterException(new CommandLine(this), "--weight gives " + w.length
                    + " weight(s) for " + parts.size() + " --part(s)");
        // A part that is itself combined contributes its own parts' records and weights, so adding a part to the
        // shipped classifier records what combining all the parts at once would.
        List<Object> trainings = new ArrayList<>();
        List<Double> leafWeights = new ArrayList<>();
        for (int k = 0; k < parts.size(); k++) {
            ClassifierStore.Stored s;
            try {
                s = ClassifierStore.load(parts.get(k));
            } catch (ModelPackException e) {
                // A part that cannot be read is a refused option: one line naming it, exit code 2. Not the refusal's
                // cause: MoodtagMain answers a model pack's failure found behind any refusal as a start refusal (exit
                // code 1, the option's name lost); suppressed, its trace is still logged at debug level.
                IllegalArgumentException refused = new IllegalArgumentException("--part " + parts.get(k) + ": " + e.getMessage());
                refused.addSuppressed(e);
                throw refused;
            }
            classifiers.add(s.classifier());
            JsonNode from = s.training().path("combinedFrom"), fromWeights = s.training().path("weights");
            if (from.isArray() && fromWeights.isArray() && from.size() == fromWeights.size()) {
                for (int j = 0; j < from.size(); j++) {
                    trainings.add(from.get(j));
                    leafWeights.add(w[k] * fromWeights.get(j).asDouble());
                }
            } else {
                trainings.add(s.training());
                leafWeights.add(w[k]);
            }
        }
        EmotionClassifier combined = EmotionClassifier.combineLate(classifiers, w);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("combinedFrom", trainings);
        training.put("weights", leafWeights.stream().mapToDouble(Double::doubleValue).toArray());
        try {
            ClassifierStore.save(out, combined, training);
        } catch (UncheckedIOException e) { // the folder changed since the check before start: one line, as there
            throw new IllegalArgumentException("--out " + out + " cannot be written: "
                    + LocalFailures.inWords(e.getCause(), out), e);
        }
        System.out.printf("combined %d classifier(s), %d part(s), classes %s -> %s%n", classifiers.size(),
                combined.parts().size(), combined.classes(), out);
        return 0;
    }
}
