package dev.moodtag.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * File names as the path of a {@code file://} URI writes them, percent-escaped bytes that are UTF-8 or not (Latin-1
 * "caf%E9", overlong "%C0%AE", an encoded surrogate, a lone continuation byte, escapes cut short): a fixed list and a
 * seeded grid, with the name each one spells.
 */
public final class EscapedNames {
    private EscapedNames() {
    }

    private static final List<String> HOSTILE = List.of("clip.wav", "caf%C3%A9.wav", "caf%E9.wav", "a%FF.wav",
            "%C0%AE%C0%AE/x.wav", "%ED%A0%80.wav", "%2e%2e/x.wav", "a%2Fb.wav", "a+b.wav", "%20x.wav", "%F0%9F%98%80.wav",
            "%EF%BF%BD.wav", "%F4%90%80%80.wav", "%F8%88%80%80%80.wav", "x%2", "%", "%zz.wav", "%C3", "100%25.wav",
            "%e4%bc%9a%e8%ad%b0.wav", "会議.wav", "a%00b.wav");

    /** The hostile list, then {@code generated} names of one to four escaped bytes of every kind. */
    public static List<String> names(long seed, int generated) {
        List<String> names = new ArrayList<>(HOSTILE);
        Random random = new Random(seed);
        for (int i = 0; i < generated; i++) {
            StringBuilder name = new StringBuilder("f");
            for (int n = 1 + random.nextInt(4); n > 0; n--) {
                // ASCII, lead and continuation bytes, and those UTF-8 never uses (C0, C1, F5-FF)
                int b = random.nextInt(3) == 0 ? 0x20 + random.nextInt(0x60) : 0x80 + random.nextInt(0x80);
                name.append('%').append(String.format(Locale.ROOT, "%02X", b));
            }
            names.add(name.append(".wav").toString());
        }
        return names;
    }

    /** The name the escapes of {@code raw} spell as UTF-8, or null where they are malformed or spell no UTF-8. */
    public static String spelled(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0 || Character.digit(raw.charAt(i + 2), 16) < 0)
                return null;
            bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
