package dev.moodtag.media;

/**
 * What went wrong while one file was decoded, and which of it is reported: the same for the same file whatever the
 * timing, on every path (one pass, streamed, in parts on several threads: {@link PartedFilmDecoder}).
 *
 * <p>A failure of the file (a clock that jumps or goes back, a format that changes, a picture over the size limit, a
 * packet FFmpeg cannot decode, media longer than one utterance) is placed where its stream had got to on the file's
 * clock when it was found. The one reported is the earliest so placed, video before audio at the same time; a stream
 * stops once it is past that place, since nothing it could still find would come first. Before, a film decoded in
 * parts reported whichever part's thread failed first and stopped the others, so a file whose audio and video clocks
 * were both broken named its audio under one load and its video under another.
 *
 * <p>A spent time budget, an interruption or an error of the sink or the JVM stops every stream at once, at its next
 * packet; the first of those is reported, except that a failure of the file found before the budget ran out is
 * reported in its place (the file would fail anyway, and the failure says why).
 */
final class DecodeFailures {

    /** The streams, in the order that decides between two failures at the same time. */
    enum Stream { VIDEO, AUDIO }

    private MediaException earliest;
    private double earliestAt;
    private Stream earliestIn;
    private Throwable stop;

    /**
     * A failure of the file found in {@code stream}, placed at {@code at} seconds on the file's clock: the latest time
     * that stream had reached when it was found.
     */
    synchronized void found(double at, Stream stream, MediaException failure) {
        if (earliest == null || at < earliestAt || (at == earliestAt && stream.compareTo(earliestIn) < 0)) {
            earliest = failure;
            earliestAt = at;
            earliestIn = stream;
        }
    }

    /**
     * Whether a part decoding {@code stream}, now at {@code at} seconds, may stop: what it could still find would be
     * reported after a failure already found, or everything stops.
     */
    synchronized boolean past(double at, Stream stream) {
        return stop != null || (earliest != null && (at > earliestAt || (at == earliestAt && stream.compareTo(earliestIn) >= 0)));
    }

    /** Every stream stops at its next packet; the first call's {@code reason} is the one kept. */
    synchronized void stop(Throwable reason) {
        if (stop == null) stop = reason;
    }

    /** Throws what was found ({@link DecodeFailures}); returns when nothing was. */
    synchronized void report() {
        if (stop != null && !(stop instanceof TimeBudget.Spent && earliest != null)) {
            if (stop instanceof RuntimeException e) throw e;
            if (stop instanceof Error e) throw e;
            throw new IllegalStateException(stop);
        }
        if (earliest != null) throw earliest;
    }
}
