package dev.moodtag.transcribe;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The figures {@code moodtag asr-eval} prints: acceptance, WER of what was accepted, WER without the gate. */
public record AsrSummary(int clips, int accepted, int withReference, int acceptedWithReference, int acceptedEdits,
                         int acceptedReferenceWords, int acceptedExact, int allEdits, int allReferenceWords,
                         Map<String, Integer> rejections) {

    public static AsrSummary of(List<AsrClip> clips) {
        int accepted = 0, withRef = 0, accRef = 0, accEdits = 0, accWords = 0, exact = 0, allEdits = 0, allWords = 0;
        Map<String, Integer> rejections = new TreeMap<>();
        for (AsrClip c : clips) {
            if (c.decision().accepted()) accepted++;
            else rejections.merge(c.decision().feature().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
            if (!c.hasReference()) continue;
            withRef++;
            allEdits += c.edits();
            allWords += c.referenceWords();
            if (c.decision().accepted()) {
                accRef++;
                accEdits += c.edits();
                accWords += c.referenceWords();
                if (c.edits() == 0) exact++;
            }
        }
        return new AsrSummary(clips.size(), accepted, withRef, accRef, accEdits, accWords, exact, allEdits, allWords,
                rejections);
    }

    public double acceptedShare() {
        return clips == 0 ? Double.NaN : accepted / (double) clips;
    }

    /** Corpus WER (total edits over total reference words) of the accepted clips that have a reference. */
    public double acceptedWer() {
        return acceptedReferenceWords == 0 ? Double.NaN : acceptedEdits / (double) acceptedReferenceWords;
    }

    /** Corpus WER of every clip with a reference, gate ignored: the recogniser alone. */
    public double ungatedWer() {
        return allReferenceWords == 0 ? Double.NaN : allEdits / (double) allReferenceWords;
    }

    public void print(PrintStream out, String label) {
        out.printf(Locale.ROOT, "%s: %d clips, accepted %d (%.1f %%), rejected %s%n", label, clips, accepted,
                100 * acceptedShare(), rejections);
        if (withReference > 0) {
            out.printf(Locale.ROOT, "%s: WER of accepted %.2f %% (%d edits / %d words, %d of %d exact); "
                            + "WER without the gate %.2f %% over %d clips%n", label, 100 * acceptedWer(), acceptedEdits,
                    acceptedReferenceWords, acceptedExact, acceptedWithReference, 100 * ungatedWer(), withReference);
        }
    }
}
