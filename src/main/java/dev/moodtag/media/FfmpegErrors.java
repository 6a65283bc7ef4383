package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_ERROR_MAX_STRING_SIZE;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/** Turns JavaCV's exceptions into {@link MediaException}s that say what is wrong, keeping the cause. */
final class FfmpegErrors {
    private static final Pattern ERROR_CODE = Pattern.compile("error (-\\d+)");
    private FfmpegErrors() {
    }

    /**
     * FFmpeg could not open the file (the pre-checks have already ruled out empty, non-media and cut files).
     *
     * @param oc the container as far as FFmpeg parsed it, or null
     */
    static MediaException onOpen(String name, Exception e, AVFormatContext oc) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("avcodec_find_decoder") || message.contains("codec not found"))
            return new MediaException(Kind.UNSUPPORTED, name, "FFmpeg here has no decoder for its codec", e);
        if (message.contains("Did not find a video or audio stream")) {
            // JavaCV passes over streams it has no decoder for, so "no stream" can mean "no decoder".
            String codec = undecodableCodec(oc);
            if (codec != null)
                return new MediaException(Kind.UNSUPPORTED, name, "FFmpeg here has no decoder for its " + codec, e);
            return noStream(name, null, e);
        }
        return new MediaException(Kind.CORRUPT, name, "FFmpeg cannot read it as media (" + reason(message) + ")", e);
    }

    /** The file holds no audio or video stream ({@code what}: what it is instead, or null): a permanent outcome. */
    static MediaException noStream(String name, String what, Exception e) {
        return new MediaException(Kind.NO_USABLE_STREAM, name,
                "the container has no audio or video stream" + (what == null ? "" : " (" + what + ")"), e);
    }

    private static String undecodableCodec(AVFormatContext oc) {
        if (oc == null || oc.isNull()) return null;
        for (int i = 0; i < oc.nb_streams(); i++) {
            AVCodecParameters p = oc.streams(i).codecpar();
            if (p.codec_type() == AVMEDIA_TYPE_AUDIO || p.codec_type() == AVMEDIA_TYPE_VIDEO)
                return (p.codec_type() == AVMEDIA_TYPE_AUDIO ? "audio" : "video") + " codec "
                        + printable(avcodec_get_name(p.codec_id()).getString()) + " (codec tag 0x" + Integer.toHexString(p.codec_tag()) + ")";
        }
        return null;
    }

    static MediaException midStream(String name, Kind kind, Exception e) {
        return new MediaException(kind, name, "decoding failed part-way (" + reason(String.valueOf(e.getMessage())) + ")", e);
    }

    /**
     * FFmpeg's own words for the error code in JavaCV's message. JavaCV's message itself names the full path,
     * which is not for users (and advises calling setFormat(), which is not for them either).
     */
    static String reason(String javacvMessage) {
        Matcher m = ERROR_CODE.matcher(javacvMessage);
        if (!m.find()) return "unknown FFmpeg error";
        int code;
        try {
            code = Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            return "unknown FFmpeg error";
        }
        return describe(code);
    }

    /** FFmpeg's text for an error code, as users may see it. */
    static String describe(int code) {
        // The text ends at its NUL. Read as the whole buffer (a BytePointer's getString reads up to its capacity),
        // it carried the NUL and whatever the allocation held before into results, answers and logs.
        byte[] text = new byte[AV_ERROR_MAX_STRING_SIZE];
        if (av_strerror(code, text, text.length) != 0) return "FFmpeg error " + code;
        int length = 0;
        while (length < text.length && text[length] != 0) length++;
        String reason = printable(new String(text, 0, length, StandardCharsets.UTF_8));
        return reason.isBlank() ? "FFmpeg error " + code : reason;
    }

    /** Text from native code as users may see it: control characters and undecodable bytes dropped. */
    static String printable(String nativeText) {
        StringBuilder out = new StringBuilder(nativeText.length());
        nativeText.codePoints().filter(c -> !Character.isISOControl(c) && c != '\uFFFD'
                && Character.getType(c) != Character.UNASSIGNED && Character.getType(c) != Character.SURROGATE)
                .forEach(out::appendCodePoint);
        return out.toString().strip();
    }
}
