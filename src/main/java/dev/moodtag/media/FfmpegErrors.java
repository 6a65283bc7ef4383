package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;

/** Turns JavaCV's exceptions into {@link MediaException}s that say what is wrong, keeping the cause. */
final class FfmpegErrors {
    private FfmpegErrors() {
    }

    /** FFmpeg could not open the file (the pre-checks have already ruled out empty, non-media and cut files). */
    static MediaException onOpen(String name, Exception e) {
        String message = String.valueOf(e.getMessage());
        // JavaCV reports a stream whose codec has no decoder here this way; everything else is unreadable bytes.
        if (message.contains("avcodec_find_decoder") || message.contains("codec not found"))
            return new MediaException(Kind.UNSUPPORTED, name, "FFmpeg here has no decoder for its codec", e);
        if (message.contains("Did not find a video or audio stream"))
            return new MediaException(Kind.NO_USABLE_STREAM, name, "the container has no audio or video stream", e);
        return new MediaException(Kind.CORRUPT, name, "FFmpeg cannot read it as media (" + firstLine(message) + ")", e);
    }

    static MediaException midStream(String name, Kind kind, Exception e) {
        return new MediaException(kind, name, "decoding failed part-way (" + firstLine(String.valueOf(e.getMessage())) + ")", e);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
