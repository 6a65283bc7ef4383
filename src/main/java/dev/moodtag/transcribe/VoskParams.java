package dev.moodtag.transcribe;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The {@code params} of the pack's {@code vosk} transcriber; an unknown or misspelt key refuses the pack, as for
 * every encoder kind.
 *
 * @param language the model's language, compared with {@code moodtag.transcribe.language} (default {@code en})
 * @param modelDir the folder, relative to the pack, that holds the model's files (required)
 * @param keptRecognisers recognisers kept from one stream to the next (default 0: a fresh one per stream, so a
 *                 file's transcript never depends on what was recognised before it). A kept recogniser has its
 *                 decoding graph expanded already, about 3× less CPU per short utterance, but what it decoded before
 *                 can still change its confidences on the next clip: on the gate's 347 tuning clips every transcript
 *                 and verdict matched a fresh recogniser's, and 2 German clips' confidences did not (the third and the
 *                 seventh digit of the mean). Under concurrent load the same file could then get other confidences in
 *                 its result, and a clip at the threshold another verdict: opt in only where that is acceptable
 * @param warmUp   one of the entry's files (its key under {@code files}): 16 kHz mono signed 16-bit little-endian PCM
 *                 that every recogniser decodes once before its first stream (default none). A fresh recogniser
 *                 spends much of a short utterance expanding the decoding graph's states near its start; decoding
 *                 the same fixed audio first expands them off the request's path, and since every recogniser then
 *                 has the same history, a file still gets the same words, times and confidences whatever the load.
 *                 It is part of the recogniser's fingerprint
 * @param readyRecognisers recognisers created and warmed up ahead of need, in the background, once a stream is over
 *                 (default 1; 0 warms each one up when a stream begins). Either way a stream's recogniser has
 *                 the same history, so this moves cost, never results
 */
@RegisterForReflection
public record VoskParams(String language, String modelDir, Integer keptRecognisers, String warmUp,
                         Integer readyRecognisers) {
    /** Warm-up audio longer than this is refused: it is decoded by every recogniser the process creates. */
    public static final double MAX_WARM_UP_SECONDS = 30;

    public VoskParams {
        if (language == null || language.isBlank()) language = "en";
        if (modelDir == null || modelDir.isBlank()) throw new IllegalArgumentException("modelDir is required");
        if (keptRecognisers == null) keptRecognisers = 0;
        if (keptRecognisers < 0) throw new IllegalArgumentException("keptRecognisers must not be negative");
        if (warmUp != null && warmUp.isBlank()) warmUp = null;
        if (readyRecognisers == null) readyRecognisers = 1;
        if (readyRecognisers < 0 || readyRecognisers > 64)
            throw new IllegalArgumentException("readyRecognisers must be within 0..64");
    }
}
