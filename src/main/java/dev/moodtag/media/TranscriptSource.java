package dev.moodtag.media;

import java.util.Optional;

/**
 * Where an utterance's transcript comes from. Serving (single utterances and timelines), {@code embed}, {@code tag},
 * {@code watch} and training all resolve it through the one {@link TranscriptChain}, so that they see the same text.
 */
public interface TranscriptSource {

    TranscriptResolution resolve(TranscriptRequest request);

    /** One link of the chain: inline text, a sidecar file, a speech-to-text engine. */
    interface Link {
        /**
         * The transcript, or a final reason why there is none (an unreadable sidecar); empty when this link has
         * nothing for the request and the next link should try.
         */
        Optional<TranscriptResolution> find(TranscriptRequest request);

        /** What this link looked for and did not find, for the reason given when no link finds anything. */
        String notFound(TranscriptRequest request);
    }
}
