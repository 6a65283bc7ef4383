package dev.moodtag.transcribe;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Vosk native library that does not load on a machine (a C library older than libvosk.so was built for, another
 * processor, a JNA that cannot start) is said in words with the loader's own message: it was the error's
 * {@code toString()}, "... cannot be loaded on this machine: java.lang.UnsatisfiedLinkError: ...".
 */
class VoskNativeLoadWordsTest {

    @Test
    void aNativeLibraryThatDoesNotLoadIsSaidInWordsKeepingTheLoadersMessage() {
        String glibc = "/tmp/jna-1/jna123.tmp: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found";
        List<LinkageError> errors = List.of(new UnsatisfiedLinkError(glibc), new UnsatisfiedLinkError(null),
                new UnsatisfiedLinkError("  "), new NoClassDefFoundError("Could not initialize class com.sun.jna.Native"),
                new ExceptionInInitializerError("jna"));
        List<String> wrong = new ArrayList<>();
        for (LinkageError e : errors) {
            TranscriberException t = VoskTranscriber.nativeLibraryNotLoaded(e);
            String m = t.getMessage();
            if (!m.startsWith("the Vosk native library (libvosk.so from com.alphacephei:vosk) cannot be loaded on this "
                    + "machine: ") || m.contains("java.lang") || m.contains("Error") || t.getCause() != e
                    || e.getMessage() != null && !e.getMessage().isBlank() && !m.endsWith(": " + e.getMessage().strip())
                    || m.endsWith(": ") || m.endsWith(":"))
                wrong.add(m);
        }
        assertEquals(List.of(), wrong, errors.size() + " errors");
        assertEquals("the Vosk native library (libvosk.so from com.alphacephei:vosk) cannot be loaded on this machine: "
                + "the library, or one it needs, cannot be found or linked (a C library older than it was built for, or "
                + "another processor): " + glibc, VoskTranscriber.nativeLibraryNotLoaded(new UnsatisfiedLinkError(glibc))
                .getMessage());
    }
}
