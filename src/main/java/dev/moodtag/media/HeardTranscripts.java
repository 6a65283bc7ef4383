package dev.moodtag.media;

import java.util.List;
import java.util.Optional;

/**
 * The last link of the {@link TranscriptChain}: a transcript recognised from the decoded audio itself. Unlike the
 * other links it cannot answer before decoding, so it is a second phase: the decoder (the collector of one utterance,
 * or a timeline's segmenter) feeds it the 16 kHz audio as it is decoded and asks for the resolution once the audio is
 * complete. The media stage knows only this interface; a speech-to-text engine implements it (see
 * {@code dev.moodtag.transcribe.RecognisedTranscripts}), so media never depends on the engine or on the encoders.
 */
public interface HeardTranscripts {

    /** No recogniser (the pack has none, or {@code moodtag.transcribe.enabled=false}): nothing is ever heard. */
    HeardTranscripts NONE = new HeardTranscripts() {
        @Override
        public boolean listens() {
            return false;
        }

        @Override
        public Listening listen(double offsetSeconds) {
            throw new IllegalStateException("no speech-to-text engine is configured");
        }
    };

    /** Whether a recogniser is configured; when not, the chain ends with the earlier links' reasons. */
    boolean listens();

    /** Lets the recogniser prepare for what is to come, in the background (once the process is ready). */
    default void prepare() {
    }

    /**
     * Everything that decides what is heard in given audio (engine, model, language, gate), for keys of cached
     * features computed from recognised text; empty when nothing is heard.
     */
    default String identity() {
        return "";
    }

    /**
     * Whether a recording's recognised text is refused as a whole, once all its segments were heard: a recording is
     * one speaker and one language far more often than not, so the verdicts of all its segments are evidence about
     * each one. Empty when each segment's own verdict stands (always, by default).
     *
     * @param segments each segment's resolution as {@link Recording#hear} gave it, in time order
     * @return the reason every segment's recognised text is refused
     */
    default Optional<String> refuseRecording(List<TranscriptResolution> segments) {
        return Optional.empty();
    }

    /**
     * Starts recognising one recording (or one region of it) whose first sample lies at {@code offsetSeconds} on the
     * recording's clock. The caller closes what it gets, whether or not it finished.
     */
    Listening listen(double offsetSeconds);

    /** Recognises a complete track (a timeline segment's audio): its transcript, or why there is none. */
    default TranscriptResolution hear(AudioTrack track) {
        return Recording.hear(listen(track.startSeconds()), track);
    }

    /**
     * Hears the segments of one recording, one after another in time order and from one thread (a timeline's
     * segmenter), so that an engine may keep what it warmed up from segment to segment; the caller closes it when the
     * recording ends or fails. This default hears each segment as {@link #hear} does.
     */
    default Recording recording() {
        return new Recording() {
            @Override
            public TranscriptResolution hear(AudioTrack track) {
                return HeardTranscripts.this.hear(track);
            }

            @Override
            public void close() {
            }
        };
    }

    /** The segments of one recording being heard; see {@link #recording()}. */
    interface Recording extends AutoCloseable {
        /** A complete segment's transcript, or why there is none; segments come in time order. */
        TranscriptResolution hear(AudioTrack track);

        @Override
        void close();

        /** Feeds a whole track to a listening started at its first sample, and closes it. */
        static TranscriptResolution hear(Listening listening, AudioTrack track) {
            try (listening) {
                listening.accept(track.samples());
                return listening.finish();
            }
        }
    }

    /** One recording being recognised. Not thread-safe: one thread feeds it (the thread decoding the audio). */
    interface Listening extends AutoCloseable {
        /** 16 kHz mono PCM in [-1, 1], in order. */
        void accept(float[] samples);

        /**
         * The recognised transcript (source {@link Transcript.Source#RECOGNISED}, with word timings), or missing with
         * the reason the recogniser's output was not trusted. Called once, after the last {@link #accept}.
         */
        TranscriptResolution finish();

        /** Releases the recogniser; safe after {@link #finish()} and more than once. */
        @Override
        void close();
    }
}
