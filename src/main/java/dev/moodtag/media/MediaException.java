package dev.moodtag.media;

import java.util.Locale;

/**
 * A media file that cannot be turned into an utterance. The {@link Kind} says what is wrong and
 * {@link #getMessage()} names the file, the reason and what to do about it.
 */
public class MediaException extends RuntimeException {

    public enum Kind {
        /** The file does not exist or cannot be read. */
        NOT_FOUND("check the path and the file's permissions", false),
        /** The file has zero bytes. */
        EMPTY("the upload or copy probably failed; provide the file again", true),
        /** FFmpeg could not parse the container or its streams. */
        CORRUPT("the file is damaged or not media; re-export or re-upload it", true),
        /** The container starts well but ends early. */
        TRUNCATED("the file is cut short; re-upload the complete file", true),
        /** The container or codec is not one FFmpeg here can decode. */
        UNSUPPORTED("convert it to a common format (wav, flac, mp3, ogg, m4a, mp4, mkv, webm)", true),
        /** Neither an audio nor a video stream, nor a transcript: nothing to encode. */
        NO_USABLE_STREAM("provide a file with an audio or video stream, or a transcript", true),
        /** Beyond a configured decoder limit (duration, resolution, size). */
        LIMIT_EXCEEDED("split the recording or raise the limit in configuration", false),
        /** A sidecar transcript exists but cannot be parsed. */
        BAD_TRANSCRIPT("fix the transcript file or remove it", false);

        private final String advice;
        private final boolean ofTheFile;

        Kind(String advice, boolean ofTheFile) {
            this.advice = advice;
            this.ofTheFile = ofTheFile;
        }

        public String advice() {
            return advice;
        }

        /** As results and messages name it: {@code limit_exceeded}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Whether the problem is the media file's own, so that the same version of the file fails the same way under
         * any settings. Not so for a limit (a setting), a sidecar (fixed beside an unchanged file) or a file that could
         * not be read: an error result of those kinds does not make the next run unnecessary.
         */
        public boolean ofTheFile() {
            return ofTheFile;
        }
    }

    private final Kind kind;
    private final String file;

    public MediaException(Kind kind, String file, String reason) {
        this(kind, file, reason, null);
    }

    public MediaException(Kind kind, String file, String reason, Throwable cause) {
        super(file + ": " + reason + " (" + kind.id() + "; " + kind.advice() + ")", cause);
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
