package dev.moodtag.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The chains of an Ogg file: streams written one after another into one file, as an internet radio recording has them
 * (each programme or song a stream of its own, with its own sample rate) and as {@code cat} joins Ogg files. Each chain
 * counts its granules, its clock, from its own start, so FFmpeg's times go back at every chain after the first.
 *
 * @param file   the file
 * @param chains its chains in order; empty when it is not Ogg or could not be walked
 */
record OggChains(Path file, List<Chain> chains) {
    /**
     * One chain's audio stream.
     *
     * @param offset  where its first page starts in the file, in bytes
     * @param codec   "vorbis", "opus", "flac" or "speex"; null when the chain has no audio stream this knows
     * @param rate    the rate its samples decode at (Opus always decodes at 48 kHz), 0 when unknown
     * @param channels the channels a Vorbis or Opus stream's identification header names, 0 for other codecs
     * @param streams  the streams the chain begins (audio, video, a skeleton)
     */
    record Chain(long offset, String codec, int rate, int channels, int streams) {
    }

    private static final int BEGINNING_OF_STREAM = 0x02;
    /** A file that is not Ogg, or one that could not be walked. */
    static final OggChains NONE = new OggChains(null, List.of());

    OggChains {
        chains = List.copyOf(chains);
    }

    /** Whether streams follow one another in the file. */
    boolean chained() {
        return chains.size() > 1;
    }

    /**
     * The first chain after {@code from} that FFmpeg's Ogg demuxer does not follow, or -1: a Vorbis stream whose rate
     * differs from the Vorbis stream's before it ("Sample rate change is not supported"), a Vorbis or Opus stream whose
     * channels differ ("Channel change is not supported"), a stream of another codec than the one before (Vorbis then
     * Opus, FLAC then Vorbis), and any chain after one of more than one stream, a film's ("Changing stream parameters in
     * multistream ogg"). The demuxer fails on its header, and the grabber takes the failure for the end of the file,
     * so the rest of a radio recording was lost without a word; opened at its first page, it is a file FFmpeg reads.
     * Until 2026-12-06 only the first was known, and a recording whose second programme changed codec or channels
     * decoded as its first alone (measured with FFmpeg 8.1: OggChainFuzzTest).
     */
    int notFollowedAfter(int from) {
        for (int k = from + 1; k < chains.size(); k++) {
            Chain before = chains.get(k - 1), chain = chains.get(k);
            if (before.streams() > 1) return k;
            if (before.codec() == null || chain.codec() == null) continue;
            if (!before.codec().equals(chain.codec())) return k;
            if ("vorbis".equals(chain.codec()) && before.rate() != chain.rate()) return k;
            if (before.channels() > 0 && chain.channels() > 0 && before.channels() != chain.channels()) return k;
        }
        return -1;
    }

    /**
     * The chains of an audio file, each to be read as a file of its own from its first page to the next chain's: every
     * chain after the first whose audio codec is known (a beginning of stream that names none is left to FFmpeg, with the
     * chain before it). Read by FFmpeg's demuxer across the chains, a stream whose audio fits in one page has no start
     * time of its own: the demuxer times it on from the stream before, and the times could not tell its frames from the
     * next stream's priming (a 10 ms stream between two of 1 s was lost whole).
     */
    JoinedParts parts() {
        long[] at = chains.stream().skip(1).filter(c -> c.codec() != null).mapToLong(Chain::offset).toArray();
        return at.length == 0 ? JoinedParts.NONE : new JoinedParts(file, at, "its chained Ogg stream");
    }

    /** The chain at {@code index}. */
    Chain get(int index) {
        return chains.get(index);
    }

    /**
     * Walks the pages ({@link OggPages}), reading each chain's first pages and checking every page's checksum, as long
     * as {@code budget} lasts.
     *
     * @throws MediaException {@link MediaException.Kind#CORRUPT} at a page that does not match its checksum
     */
    static OggChains of(Path file, TimeBudget budget) {
        Walker walker = new Walker();
        OggPages.Walk walk;
        try {
            walk = OggPages.walk(file, budget, true, walker);
        } catch (IOException e) {
            return NONE; // FFmpeg will say what is wrong with a file that cannot be read
        }
        if (walk.end() == OggPages.End.DAMAGED_PAGE)
            throw new MediaException(MediaException.Kind.CORRUPT, MediaFileCheck.nameOf(file), "its Ogg page at byte "
                    + walk.at() + " does not match its checksum: it is damaged, and its audio would be lost");
        walker.endChain();
        return new OggChains(file, walker.chains);
    }

    /** Collects the chains as the pages go by. */
    private static final class Walker implements OggPages.Visitor {
        final List<Chain> chains = new ArrayList<>();
        long chainStart = -1;
        int rate, channels, streams;
        String codec;
        boolean inHeaders;

        @Override
        public void page(long at, ByteBuffer page, long length) {
            int segments = page.get(26) & 0xff;
            boolean bos = (page.get(5) & BEGINNING_OF_STREAM) != 0;
            if (bos && !inHeaders) {
                // a chain's streams all begin before any of them carries data; a beginning after data is a new chain
                endChain();
                chainStart = at;
                codec = null;
                rate = channels = streams = 0;
            }
            inHeaders = bos;
            if (bos) streams++;
            if (bos && codec == null) {
                int[] found = audio(page, OggPages.HEADER + segments);
                if (found != null) {
                    codec = CODECS[found[0]];
                    rate = found[1];
                    channels = found[2];
                }
            }
        }

        void endChain() {
            if (chainStart >= 0) chains.add(new Chain(chainStart, codec, rate, channels, streams));
        }
    }

    private static final String[] CODECS = {"vorbis", "opus", "flac", "speex"};

    /**
     * The audio codec (an index into {@link #CODECS}), rate and channels (Vorbis and Opus only, else 0) a
     * stream's first packet, at {@code at}, names; or null.
     */
    private static int[] audio(ByteBuffer b, int at) {
        if (matches(b, at, "\u0001vorbis") && b.limit() >= at + 16)
            return new int[]{0, b.getInt(at + 12), b.get(at + 11) & 0xff};
        if (matches(b, at, "OpusHead") && b.limit() >= at + 12)
            return new int[]{1, 48_000, b.get(at + 9) & 0xff};
        // Ogg FLAC: 0x7F "FLAC", version, header count, "fLaC", a block header, then STREAMINFO, its rate in 20 bits
        if (matches(b, at, "\u007fFLAC") && b.limit() >= at + 30)
            return new int[]{2, (b.get(at + 27) & 0xff) << 12 | (b.get(at + 28) & 0xff) << 4 | (b.get(at + 29) & 0xff) >> 4, 0};
        if (matches(b, at, "Speex   ") && b.limit() >= at + 40) return new int[]{3, b.getInt(at + 36), 0};
        return null;
    }

    private static boolean matches(ByteBuffer b, int at, String magic) {
        if (b.limit() < at + magic.length()) return false;
        for (int i = 0; i < magic.length(); i++) if (b.get(at + i) != (byte) magic.charAt(i)) return false;
        return true;
    }
}
