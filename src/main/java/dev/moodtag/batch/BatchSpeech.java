package dev.moodtag.batch;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Locale;

/**
 * What a batch's second pass did ({@code moodtag tag --speech-over-batch}), for the summary: the guard's verdict on
 * the clips kept from the first pass, and what became of their results.
 *
 * @param over             {@code batch} when the clips were labelled again with their speech standardised over the
 *                         batch, {@code utterance} when the first pass's labels were kept
 * @param clips            single utterances tagged and labelled in this run with every standardised block, finite
 * @param rewritten        results rewritten with the verdict (and, over the batch, its labels)
 * @param changedLabels    of those, results whose label differs from the first pass's
 * @param left             results not rewritten because the object or its result changed since the first pass (or
 *                         could not be read or written); each is logged with its reason
 * @param leftByStop       results a stop (Ctrl-C) left as the first pass wrote them, per utterance, never tried:
 *                         {@code rewritten + left + leftByStop = clips}
 * @param firstPassDominant the most frequent first-pass label among the clips; null when none
 * @param reason           why the first pass's labels were kept; null when standardised over the batch
 * @param seconds          wall time of the second pass (reading the kept clips back, labelling and rewriting)
 * @param selfTraining     what self-training did ({@code moodtag tag --self-train}): "self-trained on N clip(s) of
 *                         the batch (k per class ...)" or why not; null when it was not asked for
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BatchSpeech(String over, int clips, int rewritten, int changedLabels, int left, int leftByStop,
                          String firstPassDominant, double firstPassDominantShare, String reason, double seconds,
                          String selfTraining) {

    /** A batch whose first pass could not be read over it at all (no such classifier parts). */
    static BatchSpeech perUtterance(int clips, String reason, String selfTraining) {
        return new BatchSpeech("utterance", clips, 0, 0, 0, 0, null, 0, reason, 0, selfTraining);
    }

    /** A batch stopped before any result was rewritten: every clip's result is the first pass's. */
    static BatchSpeech stopped(int clips, String reason, String selfTraining) {
        return new BatchSpeech("utterance", clips, 0, 0, 0, clips, null, 0, reason, 0, selfTraining);
    }

    /** One line for the console and the report. */
    public String line() {
        String verdict = reason == null
                ? String.format(Locale.ROOT, "standardised over the batch: %d clip(s), %d result(s) rewritten, "
                + "%d label(s) changed (second pass %.1f s)", clips, rewritten, changedLabels, seconds)
                : String.format(Locale.ROOT, "per utterance (%d clip(s)): %s", clips, reason);
        return verdict + (selfTraining == null ? "" : "; " + selfTraining)
                + (left > 0 ? String.format(Locale.ROOT, "; %d result(s) left as the first pass wrote "
                + "them (object or result changed since; see the log)", left) : "")
                + (leftByStop > 0 ? String.format(Locale.ROOT, "; stopped: %d result(s) kept per utterance as the first "
                + "pass wrote them (--force on a whole run reads them over the batch)", leftByStop) : "");
    }
}
