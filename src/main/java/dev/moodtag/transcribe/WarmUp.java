package dev.moodtag.transcribe;

/**
 * What every recogniser decodes once before its first stream ({@code moodtag.transcribe.warm-up}). Vosk expands its
 * decoding graph lazily, per recogniser, and a fresh one spends much of a short utterance on the states near its
 * start; a fixed warm-up expands them before a request needs them. Every recogniser then has the same history, so a
 * file gets the same words, times and confidences whatever the load; which warm-up is part of the recogniser's
 * fingerprint. Figures: bench/README.md, "Recognisers warmed up ahead".
 */
public enum WarmUp {
    /**
     * The pack's warm-up audio (the transcriber's {@code params.warmUp}: one synthesised English sentence in the
     * default pack); none where the pack names none. The most off the request's path when requests come apart (the
     * sample film tagged in 1.65-1.87x the time it takes with a sidecar transcript, against 2.65-3.07x fresh), and the
     * most CPU per recogniser (about 0.4 s): back to back, recognised utterances are 20-30 % fewer per second.
     */
    PACK,
    /**
     * Half a second of digital silence: about 0.15 s of CPU per recogniser for about a quarter of a short utterance's
     * recognition (2.15-2.24x the sidecar time, requests apart or back to back); a batch of 1,975 short clips took
     * 20 % more worker time than fresh recognisers, against 79 % with the sentence.
     */
    SILENCE,
    /** A fresh recogniser per stream, as packs without a warm-up. */
    NONE;

    /** The samples of {@link #SILENCE}: 0.5 s at the recogniser's 16 kHz. */
    static final int SILENCE_SAMPLES = SpeechTranscriber.SAMPLE_RATE / 2;
}
