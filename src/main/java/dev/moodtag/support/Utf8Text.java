package dev.moodtag.support;

import java.io.BufferedReader;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A file's characters as UTF-8 text, refusing on the line it stands what is not: a spreadsheet's plain "CSV" is
 * Windows-1252 or Latin-1 and its "Unicode text" UTF-16, and such a manifest failed as an I/O error ("Input length = 1")
 * naming no line. A NUL is refused too: text saved as UTF-16 or UTF-32 without a byte-order mark has one beside every
 * ASCII letter, which is valid UTF-8. Bytes that are not UTF-8 are decoded as NUL, so that the one check finds both
 * where they stand, after the characters read before them (a decoder that reports them drops the characters it decoded
 * in the same read). A refusal names the line (lines end as CSV's and subtitles' do: CR LF, LF or CR alone) and the
 * byte offset in the file of the first byte that is wrong, counted from the characters read before it.
 */
public final class Utf8Text extends FilterReader {
    /** Why a manifest's bytes are no UTF-8, and what to do, as a refusal ends. */
    private static final String SPREADSHEET_ADVICE = "as text saved as Windows-1252, Latin-1, UTF-16 or UTF-32 does; save it as CSV UTF-8";

    private final String shown;
    private final boolean utf16;
    private final String advice;
    private long line = 1;
    private long offset;
    private boolean afterCarriageReturn;

    public Utf8Text(Path file) throws IOException {
        this(Files.newInputStream(file), StandardCharsets.UTF_8, 0, file.toString(), SPREADSHEET_ADVICE);
    }

    /**
     * {@code bytes} as text in {@code charset}: UTF-8, or UTF-16 where the file's byte-order mark says so (a subtitle
     * saved as "Unicode"). {@code skipped} bytes of the file come before {@code bytes} (the mark, read past), so that a
     * refusal names the file's offset; it names the file as {@code shown} and ends with {@code advice} (how such bytes
     * come about and what to do).
     */
    public Utf8Text(InputStream bytes, Charset charset, int skipped, String shown, String advice) {
        super(new InputStreamReader(bytes, charset.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).replaceWith("\0")));
        if (!charset.equals(StandardCharsets.UTF_8) && !charset.equals(StandardCharsets.UTF_16LE)
                && !charset.equals(StandardCharsets.UTF_16BE))
            throw new IllegalArgumentException("UTF-8 or UTF-16LE/BE only, not " + charset);
        this.shown = shown;
        this.utf16 = !charset.equals(StandardCharsets.UTF_8);
        this.advice = advice;
        this.offset = skipped;
    }

    /**
     * {@code text} past a leading byte order mark: spreadsheet programs save UTF-8 CSV with one, which would otherwise be
     * part of the first column's name.
     */
    public static BufferedReader withoutByteOrderMark(BufferedReader text) throws IOException {
        text.mark(1);
        if (text.read() != '\uFEFF') text.reset();
        return text;
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        if (c >= 0) counted((char) c);
        return c;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        for (int i = off; i < off + n; i++) counted(buf[i]);
        return n;
    }

    private void counted(char c) throws NotUtf8 {
        if (c == 0) {
            String encoding = utf16 ? "UTF-16" : "UTF-8";
            throw new NotUtf8(shown, "not " + encoding + " text: on line " + line + " of the file (at byte offset " + offset
                    + ") it holds bytes that are not " + encoding + " or a NUL, " + advice);
        }
        // The bytes this character took: half a surrogate pair is half of a 4-byte UTF-8 sequence.
        offset += utf16 ? 2 : c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        if (c == '\n' && afterCarriageReturn) {
            afterCarriageReturn = false;
            return;
        }
        afterCarriageReturn = c == '\r';
        if (c == '\n' || c == '\r') line++;
    }

    /**
     * Throws the refusal {@code failure} carries, itself or as the cause commons-csv wraps it in while iterating, as the
     * fault of the {@code what} (a "manifest") its message then begins with; returns where it carries none.
     *
     * @throws IllegalArgumentException saying the file is not UTF-8 text and on which line
     */
    public static void refuseIfNotUtf8(Exception failure, String what) {
        Optional<NotUtf8> notUtf8 = carried(failure);
        if (notUtf8.isPresent())
            throw new IllegalArgumentException(what + " " + notUtf8.get().getMessage(), notUtf8.get());
    }

    /** The refusal {@code failure} is or was caused by (a parser may wrap what its reader throws), if any. */
    public static Optional<NotUtf8> carried(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause())
            if (t instanceof NotUtf8 notUtf8) return Optional.of(notUtf8);
        return Optional.empty();
    }

    /**
     * The file is no UTF-8 text: an {@link IOException} so that it passes through parsers that pass on only I/O failures
     * (commons-csv), for the caller to answer as the input's fault.
     */
    public static final class NotUtf8 extends IOException {
        private final String reason;

        NotUtf8(String shown, String reason) {
            super(shown + " is " + reason);
            this.reason = reason;
        }

        /** What is wrong and where, without the file's name: "not UTF-8 text: on line 3 of the file ...". */
        public String reason() {
            return reason;
        }
    }
}
