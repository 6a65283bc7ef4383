package dev.moodtag.media;

import java.util.Locale;

/**
 * A media file that cannot be turned into an utterance. The {@link Kind} says what is wrong and
 * {@link #getMessage()} names the file, the reason and what to do about it.
 */
public class MediaException extends RuntimeException {

    public enum Kind {
        /** The file does not exist or cannot be read. */
        NOT_FOUND("check the path and the file's permissions"),
        /** The file has zero bytes. */
        EMPTY("the upload or copy probably failed; provide the file again"),
        /** FFmpeg could not parse the container or its streams. */
        CORRUPT("the file is damaged or not media; re-export or re-upload it"),
        /** The container starts well but ends early. */
        TRUNCATED("the file is cut short; re-upload the complete file"),
        /** The container or codec is not one FFmpeg here can decode. */
        UNSUPPORTED("convert it to a common format (wav, flac, mp3, ogg, m4a, mp4, mkv, webm)"),
        /** Neither an audio nor a video stream, nor a transcript: nothing to encode. */
        NO_USABLE_STREAM("provide a file with an audio or video stream, or a transcript"),
        /** Beyond a configured decoder limit (duration, resolution, size). */
        LIMIT_EXCEEDED("split the recording or raise the limit in configuration"),
        /** A sidecar transcript exists but cannot be parsed. */
        BAD_TRANSCRIPT("fix the transcript file or remove it");

        private final String advice;

        Kind(String advice) {
            this.advice = advice;
        }

        public String advice() {
            return advice;
        }
    }

    private final Kind kind;
    private final String file;

    public MediaException(Kind kind, String file, String reason) {
        this(kind, file, reason, null);
    }

    public MediaException(Kind kind, String file, String reason, Throwable cause) {
        super(file + ": " + reason + " (" + kind.name().toLowerCase(Locale.ROOT) + "; " + kind.advice() + ")", cause);
        this.kind = kind;
        this.file = file;
    }

    public Kind kind() {
        return kind;
    }

    /** The file name as given (never a full URL with credentials). */
    public String file() {
        return file;
    }
}
