package dev.moodtag.transcribe;

/**
 * One evaluated clip of {@code moodtag asr-eval}: what was recognised, the gate's verdict and, where the reference is
 * known, the word errors. Holds the recogniser's statistics rather than its words, so that a clip read back from a
 * statistics file ({@link AsrClipsCsv}) can be re-scored under another gate exactly like a fresh one.
 *
 * @param input      the manifest or folder the clip was listed in (figures are given per input)
 * @param reference  the known spoken text, or null
 * @param hypothesis what the recogniser heard ("" if nothing)
 * @param edits      word edits against the reference (0 without one)
 * @param cached     whether the recognition came from the cache or a statistics file rather than a run of the recogniser
 * @param seconds    wall time spent decoding and recognising (0 when cached)
 */
public record AsrClip(String input, String file, String reference, String hypothesis, SpeechStatistics statistics,
                      GateDecision decision, int edits, int referenceWords, boolean cached, double seconds) {

    public static AsrClip of(String input, String file, String reference, RecognisedSpeech speech, TranscriptGate gate,
                             boolean cached, double seconds) {
        boolean hasReference = reference != null && !reference.isBlank();
        return new AsrClip(input, file, hasReference ? reference : null, speech.text(), speech.statistics(),
                gate.decide(speech), hasReference ? WordErrorRate.edits(reference, speech.text()) : 0,
                hasReference ? WordErrorRate.words(reference).size() : 0, cached, seconds);
    }

    /** This clip under another gate: the recognition, and so the word errors, stay as they are. */
    public AsrClip under(TranscriptGate gate) {
        return withDecision(gate.decide(statistics));
    }

    /** This clip with another verdict on the same recognition. */
    public AsrClip withDecision(GateDecision decision) {
        return new AsrClip(input, file, reference, hypothesis, statistics, decision, edits, referenceWords, cached,
                seconds);
    }

    public boolean hasReference() {
        return reference != null;
    }
}
