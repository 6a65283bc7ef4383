package dev.moodtag.transcribe;

/**
 * One evaluated clip of {@code moodtag asr-eval}: what was recognised, the gate's verdict and, where the reference is
 * known, the word errors.
 *
 * @param reference the known spoken text, or null
 * @param edits     word edits against the reference (0 without one)
 * @param cached    whether the recognition came from the cache rather than a run of the recogniser
 * @param seconds   wall time spent decoding and recognising (0 when cached)
 */
public record AsrClip(String file, String reference, RecognisedSpeech speech, GateDecision decision, int edits,
                      int referenceWords, boolean cached, double seconds) {

    public static AsrClip of(String file, String reference, RecognisedSpeech speech, TranscriptGate gate,
                             boolean cached, double seconds) {
        boolean hasReference = reference != null && !reference.isBlank();
        return new AsrClip(file, hasReference ? reference : null, speech, gate.decide(speech),
                hasReference ? WordErrorRate.edits(reference, speech.text()) : 0,
                hasReference ? WordErrorRate.words(reference).size() : 0, cached, seconds);
    }

    public boolean hasReference() {
        return reference != null;
    }
}
