package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses WebVTT and SubRip cues: the two differ only in the header, the decimal mark and the extra blocks. */
final class CueParser {
    private static final String TIME = "(?:(\\d+):)?(\\d{1,2}):(\\d{2})[.,](\\d{1,3})";
    private static final Pattern TIMING = Pattern.compile("^\\s*" + TIME + "\\s*-->\\s*" + TIME + "(?:\\s.*)?$");
    private static final Pattern TAG = Pattern.compile("<[^>]*>|\\{\\\\[^}]*}");

    private CueParser() {
    }

    static List<Transcript.Segment> parse(String content, boolean vtt, String name) {
        String[] blocks = content.replace("\r\n", "\n").replace('\r', '\n').strip().split("\n\\s*\n");
        List<Transcript.Segment> cues = new ArrayList<>();
        for (int b = 0; b < blocks.length; b++) {
            String[] lines = blocks[b].strip().split("\n");
            if (lines[0].isEmpty()) continue;
            if (vtt && b == 0) {
                if (!lines[0].startsWith("WEBVTT"))
                    throw new MediaException(Kind.BAD_TRANSCRIPT, name, "a WebVTT file must start with WEBVTT");
                continue;
            }
            if (vtt && (lines[0].startsWith("NOTE") || lines[0].startsWith("STYLE") || lines[0].startsWith("REGION")))
                continue;
            int timing = lines[0].contains("-->") ? 0 : 1; // the first line may be a cue id or number
            Matcher m = timing < lines.length ? TIMING.matcher(lines[timing]) : null;
            if (m == null || !m.matches())
                throw new MediaException(Kind.BAD_TRANSCRIPT, name, "cue " + (cues.size() + 1)
                        + " has no valid timing line (expected 00:00:01" + (vtt ? "." : ",") + "000 --> 00:00:02"
                        + (vtt ? "." : ",") + "000)");
            StringBuilder text = new StringBuilder();
            for (int i = timing + 1; i < lines.length; i++) text.append(lines[i]).append(' ');
            cues.add(new Transcript.Segment(seconds(m, 1), seconds(m, 5), clean(text.toString())));
        }
        if (cues.isEmpty() && !vtt && !content.isBlank())
            throw new MediaException(Kind.BAD_TRANSCRIPT, name, "no subtitle cues found");
        return cues;
    }

    private static double seconds(Matcher m, int group) {
        String hours = m.group(group);
        String millis = m.group(group + 3);
        return (hours == null ? 0 : Long.parseLong(hours) * 3600)
                + Integer.parseInt(m.group(group + 1)) * 60
                + Integer.parseInt(m.group(group + 2))
                + Integer.parseInt(millis) / Math.pow(10, millis.length());
    }

    /** Styling and voice tags are presentation; entities are the common HTML ones subtitles use. */
    private static String clean(String text) {
        String plain = TAG.matcher(text).replaceAll("")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", " ").replace("&amp;", "&");
        return TranscriptLoader.normalise(plain);
    }
}
