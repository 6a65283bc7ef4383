package dev.moodtag.media;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The application's {@link TranscriptChain}, bounded by {@code moodtag.transcript.*}. */
public class TranscriptChainProducer {

    @Produces
    @Singleton
    TranscriptChain transcriptChain(TranscriptConfig config) {
        return TranscriptChain.standard(TranscriptLimits.of(config));
    }
}
