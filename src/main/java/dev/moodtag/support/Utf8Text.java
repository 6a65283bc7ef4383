package dev.moodtag.support;

import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file's characters as UTF-8 text, refusing on the line it stands what is not: a spreadsheet's plain "CSV" is
 * Windows-1252 or Latin-1 and its "Unicode text" UTF-16, and such a manifest failed as an I/O error ("Input length = 1")
 * naming no line. A NUL is refused too: text saved as UTF-16 or UTF-32 without a byte-order mark has one beside every
 * ASCII letter, which is valid UTF-8. Bytes that are not UTF-8 are decoded as NUL, so that the one check finds both
 * where they stand, after the characters read before them (a decoder that reports them drops the characters it decoded
 * in the same read).
 */
public final class Utf8Text extends FilterReader {
    private final Path file;
    private long line = 1;
    private boolean afterCarriageReturn;

    public Utf8Text(Path file) throws IOException {
        super(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith("\0")));
        this.file = file;
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

    /** Lines end as CSV's do: CR LF, LF or CR alone. */
    private void counted(char c) throws NotUtf8 {
        if (c == 0) throw new NotUtf8(file + " is not UTF-8 text: on line " + line + " of the file it holds bytes that are "
                + "not UTF-8 or a NUL, as text saved as Windows-1252, Latin-1, UTF-16 or UTF-32 does; save it as CSV UTF-8");
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
        Throwable t = failure instanceof NotUtf8 ? failure : failure.getCause();
        if (t instanceof NotUtf8 notUtf8) throw new IllegalArgumentException(what + " " + notUtf8.getMessage(), notUtf8);
    }

    /**
     * The file is no UTF-8 text: an {@link IOException} so that it passes through parsers that pass on only I/O failures
     * (commons-csv), for the caller to answer as the input's fault.
     */
    public static final class NotUtf8 extends IOException {
        NotUtf8(String reason) {
            super(reason);
        }
    }
}
