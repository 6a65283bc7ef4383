package dev.moodtag.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.moodtag.label.Labeller;
import dev.moodtag.label.Labelling;
import dev.moodtag.support.ConsoleProgress;
import dev.moodtag.support.SettingOutOfRange;
import dev.moodtag.support.Stopped;
import dev.moodtag.tagging.EmotionResult;
import dev.moodtag.train.TrainingProgress;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One round of self-training over a batch standardised over itself ({@code moodtag tag --self-train}), the rule
 * k<i>q</i> of {@code bench/self_train.py} (TRAINING.md, "Self-training over a batch"): the second pass labels every
 * clip; per predicted class its most confident clips, the same number per class, are added with their predicted
 * labels to the rows the recording part shipped with; the part is trained again as {@code moodtag train} trained it,
 * and labels every clip of the batch in place of the shipped part.
 *
 * @param share       q: at most round(q × clips / classes) clips per predicted class
 * @param minClips    fewest clips standardised over the batch before it self-trains
 * @param maxPerClass most clips added per predicted class
 */
record SelfTraining(double share, int minClips, int maxPerClass) {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(SelfTraining.class);

    SelfTraining {
        if (!(share > 0 && share <= 1))
            throw new SettingOutOfRange("moodtag.batch.self-train-share must be in (0, 1], not " + share);
        if (minClips < 2)
            throw new SettingOutOfRange("moodtag.batch.self-train-min-clips must be at least 2, not " + minClips);
        if (maxPerClass < 1)
            throw new SettingOutOfRange("moodtag.batch.self-train-max-per-class must be at least 1, not " + maxPerClass);
    }

    static SelfTraining of(BatchConfig config) {
        return new SelfTraining(config.selfTrainShare(), config.selfTrainMinClips(), config.selfTrainMaxPerClass());
    }

    /**
     * A clip as the second pass labelled it.
     *
     * @param label       its class number, -1 without a label (never picked)
     * @param probability the probability of that class, as served
     */
    record Scored(int slot, int label, double probability) {
    }

    /**
     * The clips added, in the order they are added: class by class, the most confident first (ties in the batch's
     * order). As many per class as the class predicted least has, at most round(q × clips / classes) (at least 1,
     * half to even, as Python's round) and {@link #maxPerClass}; none when a class was never predicted.
     *
     * @param clips the batch's clips in the batch's order
     */
    List<Scored> picks(List<Scored> clips, int numClasses) {
        List<List<Scored>> byClass = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) byClass.add(new ArrayList<>());
        for (Scored s : clips) if (s.label() >= 0 && s.label() < numClasses) byClass.get(s.label()).add(s);
        int perClass = Math.min(maxPerClass, Math.max(1, (int) Math.rint(share * clips.size() / numClasses)));
        for (List<Scored> v : byClass) perClass = Math.min(perClass, v.size());
        List<Scored> out = new ArrayList<>();
        for (List<Scored> v : byClass) {
            v.sort(Comparator.comparingDouble(Scored::probability).reversed()); // stable: ties keep the batch's order
            out.addAll(v.subList(0, perClass));
        }
        return out;
    }

    /**
     * What self-training did to a batch, for its results and summary.
     *
     * @param retrained the labelling with the retrained part; null when the batch did not self-train
     * @param record    what the results say; null when the batch did not self-train
     * @param reason    why it did not; null when it did or was stopped
     * @param stopped   whether a stop ended it before the part was trained again
     */
    record Outcome(Labeller.OverRecording retrained, EmotionResult.SelfTrained record, String reason, double seconds,
                   boolean stopped) {
        static Outcome not(String reason) {
            return new Outcome(null, null, reason, 0, false);
        }

        static Outcome stopped(long t0) {
            return new Outcome(null, null, null, (System.nanoTime() - t0) / 1e9, true);
        }

        /** The run summary's words. */
        String line() {
            if (stopped) return String.format(Locale.ROOT, "self-training stopped after %.1f s", seconds);
            return reason == null ? String.format(Locale.ROOT, "self-trained on %d clip(s) of the batch (%d per class, "
                    + "share %s; retraining %.1f s)", record.clipsAdded(), record.perClass(), record.share(), seconds)
                    : "not self-trained: " + reason;
        }
    }

    /**
     * Runs the round over a batch the guard let through: reads the kept clips twice more (labels, then the picked
     * clips' standardised samples) and trains the recording parts again.
     *
     * @param stop asked before the retraining and before each of its fits: once it says so the round ends, stopped
     */
    Outcome run(SpeechOverBatch kept, Labeller.OverRecording over, List<String> classes, BooleanSupplier stop) {
        var why = over.whyNotRetrainable();
        if (why.isPresent()) return Outcome.not(why.get());
        int clips = kept.clips();
        if (clips < minClips)
            return Outcome.not(clips + " clip(s) standardised over the batch; self-training needs "
                    + minClips + " (moodtag.batch.self-train-min-clips)");
        long t0 = System.nanoTime();
        List<Scored> scored = new ArrayList<>();
        kept.eachStandardised((slot, firstPass, sample, standardised) -> {
            Labelling l = over.label(sample, standardised);
            scored.add(l.label() == null || !l.probabilities().containsKey(l.label()) ? new Scored(slot, -1, 0)
                    : new Scored(slot, classes.indexOf(l.label()), l.probabilities().get(l.label())));
        });
        List<Scored> picked = picks(scored, classes.size());
        if (picked.isEmpty())
            return Outcome.not("a class was never predicted in the batch, so no clip is added (the rule adds as many "
                    + "per class as the class predicted least has)");
        Map<Integer, float[][]> samples = new HashMap<>();
        for (Scored s : picked) samples.put(s.slot(), null);
        kept.eachStandardised((slot, firstPass, sample, standardised) -> {
            if (samples.containsKey(slot)) samples.put(slot, standardised);
        });
        if (stop.getAsBoolean()) return Outcome.stopped(t0);
        Labeller.OverRecording retrained;
        // A progress line while the part trains again (tens of seconds: its grid search and probability fit)
        try (ConsoleProgress console = ConsoleProgress.open("self-train", 0, "fits")) {
            retrained = over.retrained(picked.stream().map(s -> samples.get(s.slot())).toList(),
                    picked.stream().map(s -> classes.get(s.label())).toList(),
                    new TrainingProgress(console).stoppedBy(stop));
        } catch (RuntimeException e) {
            if (Stopped.explains(e)) return Outcome.stopped(t0);
            // The batch keeps what the second pass gives it; its results are still rewritten, once
            LOG.warnf(e, "self-training over the batch failed");
            return Outcome.not("the retraining failed (" + e.getMessage() + ")");
        }
        int perClass = picked.size() / classes.size();
        return new Outcome(retrained, new EmotionResult.SelfTrained(picked.size(), perClass, share), null,
                (System.nanoTime() - t0) / 1e9, false);
    }
}
