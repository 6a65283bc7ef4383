package dev.moodtag.media;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The application's {@link TranscriptChain}, bounded by {@code moodtag.transcript.*}, ending with the recogniser
 * ({@link HeardTranscripts}, produced where the stages are wired and loaded on first use).
 */
public class TranscriptChainProducer {

    @Produces
    @Singleton
    TranscriptChain transcriptChain(TranscriptConfig config, HeardTranscripts heard) {
        return TranscriptChain.standard(TranscriptLimits.of(config), heard);
    }
}
