package dev.moodtag.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one way a transcript is found: inline text, then a sidecar file, then (once a speech-to-text engine is
 * configured) recognition, first answer wins. Serving, timelines, {@code tag}, {@code watch}, {@code embed} and
 * training all go through it (the CDI bean is made by {@link TranscriptChainProducer}).
 */
public final class TranscriptChain implements TranscriptSource {

    /** The inline link: a transcript the caller gives wins over anything found. */
    static final Link INLINE = new Link() {
        @Override
        public Optional<TranscriptResolution> find(TranscriptRequest request) {
            return Optional.ofNullable(request.given()).map(TranscriptResolution::of);
        }

        @Override
        public String notFound(TranscriptRequest request) {
            return "none given inline";
        }
    };

    private final List<Link> links;

    public TranscriptChain(List<Link> links) {
        this.links = List.copyOf(links);
    }

    /** Inline, then sidecar, read within {@code limits}. */
    public static TranscriptChain standard(TranscriptLimits limits) {
        return new TranscriptChain(List.of(INLINE, new SidecarTranscripts(new TranscriptLoader(limits))));
    }

    @Override
    public TranscriptResolution resolve(TranscriptRequest request) {
        List<String> looked = new ArrayList<>();
        for (Link link : links) {
            Optional<TranscriptResolution> r = link.find(request);
            if (r.isPresent()) return r.get();
            looked.add(link.notFound(request));
        }
        return TranscriptResolution.missing("no transcript: " + String.join(" and ", looked));
    }
}
