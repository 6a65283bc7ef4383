package dev.moodtag.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one way a transcript is found: inline text, then a sidecar file, then (when a speech-to-text engine is
 * configured) recognition from the decoded audio, first answer wins. Recognition is a second phase
 * ({@link #listenFor}): the links before it answer before decoding, it answers once the audio is complete. Serving, timelines, {@code tag}, {@code watch}, {@code embed} and
 * training all go through it (the CDI bean is made by {@link TranscriptChainProducer}).
 */
public final class TranscriptChain implements TranscriptSource {

    /**
     * The inline link: a transcript the caller gives wins over anything found, normalised and bounded by
     * {@code loader} as its sidecar would be.
     */
    static Link inline(TranscriptLoader loader) {
        return new Link() {
            @Override
            public Optional<TranscriptResolution> find(TranscriptRequest request) {
                return Optional.ofNullable(request.given()).map(loader::given).map(TranscriptResolution::of);
            }

            @Override
            public String notFound(TranscriptRequest request) {
                return "none given inline";
            }
        };
    }

    private static final String NONE_FOUND = "no transcript: ";

    private final List<Link> links;
    private final HeardTranscripts heard;

    public TranscriptChain(List<Link> links) {
        this(links, HeardTranscripts.NONE);
    }

    /** @param heard the last link, recognition from the decoded audio ({@link HeardTranscripts#NONE} for none) */
    public TranscriptChain(List<Link> links, HeardTranscripts heard) {
        this.links = List.copyOf(links);
        this.heard = heard;
    }

    /** Inline, then sidecar, read within {@code limits}. */
    public static TranscriptChain standard(TranscriptLimits limits) {
        return standard(limits, HeardTranscripts.NONE);
    }

    /** Inline, then sidecar, then recognition by {@code heard}. */
    public static TranscriptChain standard(TranscriptLimits limits, HeardTranscripts heard) {
        TranscriptLoader loader = new TranscriptLoader(limits);
        return new TranscriptChain(List.of(inline(loader), new SidecarTranscripts(loader)), heard);
    }

    /** The recognition link's {@link HeardTranscripts#identity()}: empty when this chain does not recognise. */
    public String recognition() {
        return heard.listens() ? heard.identity() : "";
    }

    /** This chain without its recognition link: inline and sidecar only. */
    public TranscriptChain withoutRecognition() {
        return new TranscriptChain(links, HeardTranscripts.NONE);
    }

    /**
     * The recognition link, for what {@link #resolve} left without a transcript because no link found any (not when a
     * link gave a final reason, such as an unusable sidecar: no recogniser guesses over a transcript someone gave);
     * {@link HeardTranscripts#NONE} when recognition has nothing to do for it.
     */
    public HeardTranscripts listenFor(TranscriptResolution resolved) {
        return foundNone(resolved) && heard.listens() ? heard : HeardTranscripts.NONE;
    }

    /** Whether no link found a transcript at all (rather than one giving a final reason): recognition's turn. */
    public static boolean foundNone(TranscriptResolution resolved) {
        return resolved.transcript() == null && resolved.whyMissing().startsWith(NONE_FOUND);
    }

    @Override
    public TranscriptResolution resolve(TranscriptRequest request) {
        List<String> looked = new ArrayList<>();
        for (Link link : links) {
            Optional<TranscriptResolution> r = link.find(request);
            if (r.isPresent()) return r.get();
            looked.add(link.notFound(request));
        }
        return TranscriptResolution.missing(NONE_FOUND + String.join(" and ", looked));
    }
}
