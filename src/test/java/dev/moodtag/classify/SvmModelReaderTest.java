package dev.moodtag.classify;

import dev.moodtag.support.ChildJvm;
import libsvm.svm;
import libsvm.svm_model;
import libsvm.svm_node;
import libsvm.svm_parameter;
import libsvm.svm_problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our reader of LIBSVM's model text must build exactly what {@code svm.svm_load_model} builds, and refuse clearly. */
class SvmModelReaderTest {

    @Test
    void theShippedPartsReadExactlyAsLibsvmReadsThem() throws IOException {
        List<Path> parts;
        try (Stream<Path> s = Files.list(Path.of("models/classifier"))) {
            parts = s.filter(p -> p.getFileName().toString().matches("svm-\\d+\\.model\\.gz")).sorted().toList();
        }
        int read = 0;
        for (Path part : parts) {
            String text = gunzip(part);
            if (!text.startsWith("svm_type")) continue; // a linear part, in LinearClassifier's format
            read++;
            assertSame(libsvm(text), ours(text), part.toString());
        }
        assertTrue(read >= 2, "the shipped classifier has RBF parts: " + parts);
    }

    /**
     * Models written by LIBSVM's own writer ({@code Double.toString}) with extreme coefficients and values: subnormals,
     * the largest doubles, signed zeros, infinities, NaN and random bit patterns.
     */
    @Test
    void extremeNumbersWrittenByLibsvmReadBackBitForBit(@TempDir Path dir) throws IOException {
        double[] extremes = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
                -Double.MAX_VALUE, 1e-320, 123456789.123456789,
                0.1, 1.0 / 3, 9007199254740993.0, 2.2250738585072011e-308, 4.9406564584124654e-324};
        Random random = new Random(7);
        for (int round = 0; round < 20; round++) {
            svm_model model = trained(random, 2 + round % 4);
            for (svm_node[] sv : model.SV) {
                for (svm_node node : sv) {
                    node.value = round % 2 == 0 ? extremes[random.nextInt(extremes.length)] : finiteBits(random);
                }
            }
            for (double[] coefs : model.sv_coef) {
                for (int i = 0; i < coefs.length; i++) coefs[i] = finiteBits(random);
            }
            Path file = dir.resolve("m" + round + ".model");
            svm.svm_save_model(file.toString(), model);
            String text = Files.readString(file);
            assertSame(libsvm(text), ours(text), "round " + round);
        }
    }

    /** Any finite double, by its bits (the reader refuses NaN and infinities: they made every prediction NaN). */
    private static double finiteBits(Random random) {
        double v;
        do v = Double.longBitsToDouble(random.nextLong()); while (!Double.isFinite(v));
        return v;
    }

    /** Number spellings {@code Double.valueOf} accepts, as a hand-edited model might hold them. */
    @Test
    void everyNumberSpellingLibsvmAcceptsReadsTheSame() throws IOException {
        String[] spellings = {"1e5", "+3", ".5", "5.", "-0", "1E-320", "0x1p3", "1d", "2.5f",
                "00012.50", "-1e-400", "4.9e-324", "1.7976931348623157E308"};
        for (String v : spellings) {
            String text = header(2, 2) + "SV\n" + v + " 1:" + v + " 3:0.25\n-1\t1:0.5\t2:" + v + "\n";
            assertSame(libsvm(text), ours(text), v);
        }
        // LIBSVM reads these too, and every prediction is then NaN (which fusion read as class 0): refused instead
        for (String v : new String[]{"Infinity", "-Infinity", "NaN", "1e400"})
            assertRefused(header(2, 2) + "SV\n" + v + " 1:" + v + " 3:0.25\n-1\t1:0.5\t2:" + v + "\n", "is not finite");
    }

    /**
     * Headers LIBSVM accepts that made every prediction fail or quietly wrong: LIBSVM's own binary labels (1, -1),
     * no nr_sv, nr_sv short of total_sv, a NaN rho, a regression model (found by a review).
     */
    @Test
    void headersPredictionCannotUseAreRefusedAtLoad() {
        String ok = header(2, 2) + "SV\n0.5 1:1\n-0.5 1:2\n";
        assertRefused(ok.replace("label 0 1", "label 1 -1"), "labels must be distinct class numbers from 0");
        assertRefused(ok.replace("label 0 1", "label 0 0"), "labels must be distinct class numbers from 0");
        assertRefused(ok.replace("nr_sv 2 0\n", ""), "needs an nr_sv line with 2 counts");
        assertRefused(ok.replace("nr_sv 2 0", "nr_sv 1 0"), "nr_sv [1, 0] adds up to 1, total_sv is 2");
        assertRefused(ok.replace("nr_sv 2 0", "nr_sv 2 1"), "adds up to 3, total_sv is 2");
        assertRefused(ok.replace("rho 0.1", "rho NaN"), "rho holds NaN");
        assertRefused(ok.replace("svm_type c_svc", "svm_type epsilon_svr"), "svm_type must be c_svc or nu_svc");
        assertRefused(ok.replace("SV\n0.5 1:1", "SV\n0.5 0:1"), "index 0 (LIBSVM counts from 1)");
        assertRefused(ok.replace("rho 0.1", "rho 0.1\nprobA 0.5"), "probA and probB must both have 1 values");
        // the sum matches total_sv, and every svm_predict threw ArrayIndexOutOfBoundsException
        assertRefused(ok.replace("nr_sv 2 0", "nr_sv 3 -1"), "nr_sv [3, -1] holds a negative count");
        // a kernel of exp(+|u-v|^2): NaN or infinite decision values, and NaN probabilities from probA/probB
        String probabilities = ok.replace("rho 0.1", "rho 0.1\nprobA -1.5\nprobB 0.1");
        assertRefused(probabilities.replace("gamma 0.5", "gamma -0.5"), "gamma -0.5 (an rbf kernel needs gamma > 0)");
        assertRefused(probabilities.replace("gamma 0.5", "gamma 0"), "gamma 0.0 (an rbf kernel needs gamma > 0)");
        assertRefused(ok.replace("kernel_type rbf", "kernel_type sigmoid").replace("gamma 0.5", "gamma -1"),
                "gamma -1.0 (a sigmoid kernel needs gamma > 0)");
        assertRefused(ok.replace("kernel_type rbf", "kernel_type polynomial\ndegree 2").replace("gamma 0.5", "gamma 0"),
                "gamma 0.0 (a polynomial kernel needs gamma > 0)");
    }

    /**
     * A polynomial kernel's degree: LIBSVM raises (gamma u.v + coef0) to it by repeated squaring, which gives 1 for a
     * degree of 0 or below, so such a model (which LIBSVM loads without a word) answers every input the same. Refused
     * naming the file and the degree's line; a degree from 1 up reads as LIBSVM reads it.
     */
    @Test
    void aPolynomialKernelOfDegreeBelowOneIsRefusedNamingItsLine() throws IOException {
        String ok = header(2, 2) + "SV\n0.5 1:1\n-0.5 1:2\n";
        String poly = ok.replace("kernel_type rbf", "kernel_type polynomial\ndegree 3");
        List<String> wrong = new ArrayList<>();
        for (String degree : List.of("0", "-1", "-2", "-2147483648", "1", "2", "3", "2147483647", "<none>")) {
            String text = degree.equals("<none>") ? poly.replace("degree 3\n", "") : poly.replace("degree 3", "degree " + degree);
            String said;
            try {
                svm_model m = ours(text);
                assertSame(libsvm(text), m, degree);
                said = "read";
            } catch (IOException e) {
                said = e.getMessage();
            }
            String expected = !degree.equals("<none>") && Integer.parseInt(degree) >= 1 ? "read"
                    : (degree.equals("<none>") ? "test.model: degree 0" : "test.model line 3: degree " + degree)
                    + " (a polynomial kernel needs degree >= 1: below it every kernel value is 1, and every input gets the same answer)";
            if (!said.equals(expected)) wrong.add(degree + ": " + said);
        }
        assertEquals(List.of(), wrong);
        // what LIBSVM made of degree 0: the same decision value for inputs far apart
        svm_model zero = libsvm(poly.replace("degree 3", "degree 0"));
        double[] near = new double[1], far = new double[1];
        svm.svm_predict_values(zero, new svm_node[]{node(1, 0.001)}, near);
        svm.svm_predict_values(zero, new svm_node[]{node(1, 1000)}, far);
        assertEquals(near[0], far[0], "degree 0 answers every input the same");
    }

    private static svm_node node(int index, double value) {
        svm_node n = new svm_node();
        n.index = index;
        n.value = value;
        return n;
    }

    /** A linear kernel reads no gamma: LIBSVM writes none for it, and whatever a file says is not used. */
    @Test
    void aLinearModelNeedsNoGamma() throws IOException {
        String ok = header(2, 2) + "SV\n0.5 1:1\n-0.5 1:2\n";
        String linear = ok.replace("kernel_type rbf", "kernel_type linear").replace("gamma 0.5\n", "");
        assertSame(libsvm(linear), ours(linear), "no gamma");
        assertSame(libsvm(linear.replace("kernel_type linear", "kernel_type linear\ngamma -1")),
                ours(linear.replace("kernel_type linear", "kernel_type linear\ngamma -1")), "gamma unused");
    }

    @Test
    void malformedModelsAreRefusedWithTheLineAndTheReason() {
        String ok = header(3, 2);
        assertRefused(ok + "SV\n0.5 -0.5 1:1 2:2\n", "promises 2 support vectors, the file ends after 1");
        assertRefused(ok + "SV\n0.5 -0.5 1:1 2:x\n0.5 0.5 1:1\n", "line 10: 'x' is not a number");
        assertRefused(ok + "SV\n0.5 -0.5 1:1 2\n0.5 0.5 1:1\n", "line 10: '2' is not index:value");
        assertRefused(ok + "SV\n0.5 -0.5 1:1 a:2\n0.5 0.5 1:1\n", "line 10: 'a' is not an index");
        assertRefused(ok + "SV\n0.5\n0.5 0.5 1:1\n", "line 10: has fewer than 2 coefficients");
        assertRefused("", "no SV line after the header");
        assertRefused("hello\nSV\n", "its header has no total_sv");
        assertRefused(ok.replace("total_sv 2", "total_sv -4") + "SV\n", "total_sv '-4' is not a count");
        assertRefused(ok.replace("kernel_type rbf", "kernel_type gaussian") + "SV\n", "LIBSVM refused its header");
        // class counts are bounded before LIBSVM allocates for them (100 million classes: 100 million arrays), and a
        // count no line can hold is refused before its coefficients are allocated
        assertRefused("svm_type c_svc\nkernel_type rbf\ngamma 0.5\nnr_class 100000000\ntotal_sv 1\nSV\n0.5 1:1\n",
                "line 4: nr_class 100000000 is not a number of classes a model can have (2 to 4096)");
        // fewer than two classes made LIBSVM itself throw NegativeArraySizeException (found by the fuzz grid below)
        assertRefused(ok.replace("nr_class 3", "nr_class 0") + "SV\n", "line 4: nr_class 0 is not a number of classes");
        assertRefused("svm_type c_svc\nkernel_type rbf\ngamma 0.5\nnr_class 4096\ntotal_sv 1\nSV\n0.5 1:1\n",
                "line 7: has fewer than 4095 coefficients");
        // a header that promises more than the file holds allocates only what the file holds, then says so
        assertRefused(ok.replace("total_sv 2", "total_sv 2147483647") + "SV\n0.5 -0.5 1:1\n",
                "promises 2147483647 support vectors, the file ends after 1");
    }

    /**
     * A fuzz grid over damaged files: 2,000 random edits (a character replaced by one that matters to the format,
     * deleted, or inserted; a line cut short) of a model LIBSVM wrote. Whatever the damage, the reader answers with an
     * {@link IOException} or a model, never another exception; and where LIBSVM also reads the damaged text, the two
     * models are the same.
     */
    @Test
    void damagedFilesAreRefusedOrReadAsLibsvmReadsThem(@TempDir Path dir) throws IOException {
        Random random = new Random(11);
        Path file = dir.resolve("m.model");
        svm.svm_save_model(file.toString(), trained(random, 3));
        String original = Files.readString(file);
        String alphabet = " :\t\n-+.eE0123456789xN";
        int read = 0, refused = 0, compared = 0;
        // LIBSVM prints "unknown text in model file" to stderr for each damaged header: hundreds of lines in the CI log
        java.io.PrintStream err = System.err;
        System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            for (int round = 0; round < 2000; round++) {
                StringBuilder b = new StringBuilder(original);
                for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                    int at = random.nextInt(b.length());
                    char ch = alphabet.charAt(random.nextInt(alphabet.length()));
                    switch (random.nextInt(4)) {
                        case 0 -> b.setCharAt(at, ch);
                        case 1 -> b.deleteCharAt(at);
                        case 2 -> b.insert(at, ch);
                        default -> b.setLength(at);
                    }
                    if (b.length() == 0) b.append(ch);
                }
                String damaged = b.toString();
                svm_model ours;
                try {
                    ours = ours(damaged);
                } catch (IOException e) {
                    refused++;
                    continue;
                } catch (RuntimeException e) {
                    throw new AssertionError("round " + round + ": " + e + " instead of an IOException for:\n" + damaged, e);
                }
                read++;
                svm_model theirs;
                try {
                    theirs = svm.svm_load_model(new BufferedReader(new StringReader(damaged)));
                } catch (RuntimeException e) {
                    continue; // LIBSVM fails where the reader succeeded: nothing to compare with
                }
                if (theirs == null) continue;
                assertSame(theirs, ours, "round " + round);
                compared++;
            }
        } finally {
            System.setErr(err);
        }
        assertTrue(refused > 100 && read > 100 && compared > 100,
                "the grid exercises both answers: read " + read + ", refused " + refused + ", compared " + compared);
    }

    /**
     * A header without nr_class: LIBSVM sized its coefficients by nr_class - 1 and threw, and the reason was its
     * exception, "LIBSVM failed on its header: java.lang.NegativeArraySizeException: -1". Said in words now, wherever
     * the line is missing; and whatever LIBSVM may still throw on a header is said in words, never as a class.
     */
    @Test
    void aHeaderWithoutItsClassCountIsSaidInWords() {
        String ok = header(3, 2) + "SV\n0.5 -0.5 1:1\n0.5 0.5 1:1\n";
        List<String> damaged = List.of(ok.replace("nr_class 3\n", ""), ok.replace("nr_class 3\n", "nr_klass 3\n"),
                ok.replace("nr_class 3\n", "").replace("rho 0.1 0.2 0.3\n", ""),
                "svm_type c_svc\nkernel_type linear\ntotal_sv 1\nSV\n0.5 1:1\n",
                "svm_type c_svc\nkernel_type linear\ntotal_sv 0\nSV\n");
        List<String> wrong = new ArrayList<>();
        java.io.PrintStream err = System.err;
        System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            for (String d : damaged) {
                String said;
                try {
                    ours(d);
                    said = "read";
                } catch (IOException e) {
                    said = e.getMessage();
                }
                if (!said.equals("test.model: not a LIBSVM model (its header has no nr_class)")) wrong.add(said);
            }
        } finally {
            System.setErr(err);
        }
        assertEquals(List.of(), wrong, damaged.size() + " headers");
        Map<RuntimeException, String> words = new java.util.LinkedHashMap<>();
        words.put(new NegativeArraySizeException("-1"), "a count it sizes its arrays by is missing or below zero (-1)");
        words.put(new NumberFormatException("For input string: \"x\""), "a value that is not a number (For input string: \"x\")");
        words.put(new java.util.NoSuchElementException(), "a line has fewer values than nr_class asks for");
        words.put(new NullPointerException(), "null pointer");
        words.put(new IllegalStateException("rho before nr_class"), "rho before nr_class");
        words.forEach((e, w) -> assertEquals(w, SvmModelReader.headerFailure(e), e.toString()));
    }

    @Test
    void svmClassifierLoadsThroughTheReaderAndNamesTheFile(@TempDir Path dir) throws IOException {
        Path bad = Files.writeString(dir.resolve("broken.model"), header(2, 1) + "SV\n0.5 1:oops\n");
        var e = assertThrows(java.io.UncheckedIOException.class, () -> SvmClassifier.load(bad, 2));
        assertTrue(e.getCause().getMessage().contains("broken.model line 10: 'oops' is not a number"), e.getCause().getMessage());
        // labels 1-based: class 2 of a 2-class classifier does not exist (every prediction threw an index error)
        Path oneBased = Files.writeString(dir.resolve("one-based.model"),
                header(2, 2).replace("label 0 1", "label 1 2") + "SV\n0.5 1:1\n-0.5 1:2\n");
        var l = assertThrows(java.io.UncheckedIOException.class, () -> SvmClassifier.load(oneBased, 2));
        assertTrue(l.getCause().getMessage().contains("label 2 is not one of the classifier's 2 classes"), l.getCause().getMessage());
    }

    /**
     * A grid of damaged headers, as combine --part and train --export read a part's svm file (no manifest hash checks
     * it): each header count zero, negative, 2^31 - 1, past an int, a fraction, signed, in other scripts' digits or no
     * number; nr_sv not adding up to total_sv; the support vectors cut short. Each is loaded by SvmClassifier.load
     * within 5 s and 64 MB allocated, and either refused naming the file or read as LIBSVM reads it (measured on
     * 2026-12-08: 43 of 49 refused, each in under 0.1 s and 1.2 MB; read as LIBSVM reads them: nr_class +3, ٣ and ３,
     * total_sv +2, nr_sv +2 0 0 and nr_sv with one count more than nr_class, which LIBSVM leaves unread).
     */
    @Test
    void damagedHeadersAreRefusedNamingTheFileWithinATimeAndHeapBound(@TempDir Path dir) throws Exception {
        String ok = header(3, 2) + "SV\n0.5 -0.5 1:1 2:2\n0.5 0.5 1:1\n";
        List<String> edits = new ArrayList<>();
        for (String key : List.of("nr_class", "total_sv")) {
            String line = key.equals("nr_class") ? "nr_class 3" : "total_sv 2";
            for (String v : List.of("0", "1", "-1", "-2147483648", "2147483647", "2147483648", "99999999999999999999", "4097",
                    "3.0", "3e0", "+3", "\u0663", "\uff13", "x", "", "3 3", "0x3"))
                edits.add(line + "=>" + key + " " + v.replace("3", key.equals("nr_class") ? "3" : "2"));
        }
        for (String nsv : List.of("nr_sv 1 0 0", "nr_sv 3 0 0", "nr_sv 2147483647 -2147483645 0", "nr_sv 2147483648 0 0",
                "nr_sv 2 0", "nr_sv 2 0 0 0", "nr_sv x 0 0", "nr_sv +2 0 0", "nr_sv"))
            edits.add("nr_sv 2 0 0=>" + nsv);
        edits.add("rho 0.1 0.2 0.3=>rho 0.1");
        edits.add("label 0 1 2=>label 0 1");
        edits.add("label 0 1 2=>label 0 1 2147483648");
        edits.add("0.5 0.5 1:1\n=>");
        edits.add("0.5 0.5 1:1\n=>0.5 0.5 1:1 2:");
        edits.add("SV\n=>");
        List<String> wrong = new ArrayList<>();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        java.io.PrintStream err = System.err;
        System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            int n = 0;
            for (String edit : edits) {
                String[] e = edit.split("=>", -1);
                if (!ok.contains(e[0])) throw new AssertionError("no " + e[0]);
                String text = ok.replace(e[0], e[1]);
                Path file = Files.writeString(dir.resolve("svm-" + n++ + ".model"), text);
                long before = threads.getCurrentThreadAllocatedBytes(), t0 = System.nanoTime();
                String said;
                try {
                    SvmClassifier.load(file, 4096);
                    svm_model theirs = null;
                    try {
                        theirs = svm.svm_load_model(new BufferedReader(new StringReader(text)));
                    } catch (RuntimeException x) {
                        // LIBSVM fails: the reader must not have read it
                    }
                    said = theirs == null ? "read where LIBSVM fails" : "read";
                    if (theirs != null) assertSame(theirs, ours(text), edit);
                } catch (java.io.UncheckedIOException x) {
                    String m = x.getCause().getMessage();
                    said = m.startsWith(file.toString()) ? "refused" : "refused without the file: " + m;
                } catch (Throwable x) {
                    said = "threw " + x;
                }
                long bytes = threads.getCurrentThreadAllocatedBytes() - before, ms = (System.nanoTime() - t0) / 1_000_000;
                if (!said.equals("refused") && !said.equals("read") || bytes > 64L << 20 || ms > 5000)
                    wrong.add(edit.replace("\n", "\\n") + ": " + said + ", " + (bytes >> 20) + " MB, " + ms + " ms");
            }
        } finally {
            System.setErr(err);
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + edits.size() + " damaged headers wrong");
    }

    /**
     * svm files far larger than any part, as combine --part and train --export load them (no manifest hash checks
     * them), loaded in a JVM of 64 MiB of heap: a gzipped file whose first line, or whose rho line (after nr_class 4),
     * is 1 GiB long, one with 1 GiB of support-vector text, and a plain file one byte past
     * {@link SvmModelReader#MAX_TEXT_BYTES}. Each is refused naming the file and the size or the line; read a line at a
     * time without a bound, the first two ran out of memory, and the last two were read whole.
     */
    @Test
    void svmFilesBeyondAnyPartAreRefusedInASmallHeap(@TempDir Path dir) throws Exception {
        long mib = 1 << 20;
        String lines = ("0.5" + " ".repeat(8186) + "1:1\n").repeat(128); // 1 MiB of support vectors, 8 KiB each
        Path firstLine = concatenated(dir.resolve("svm-first.model.gz"), "svm_type c_svc", "x".repeat((int) mib), 1024, "\n");
        Path rho = concatenated(dir.resolve("svm-rho.model.gz"), "svm_type c_svc\nkernel_type rbf\ngamma 0.5\nnr_class 4\n"
                + "total_sv 1\nrho", " 0.1".repeat((int) mib / 4), 1024, "\n");
        Path rows = concatenated(dir.resolve("svm-rows.model.gz"), header(2, Integer.MAX_VALUE).replace("nr_sv " + Integer.MAX_VALUE + " 0",
                "nr_sv " + (Integer.MAX_VALUE - 1) + " 1") + "SV\n", lines, 1024, "");
        Path plain = dir.resolve("svm-plain.model");
        try (var f = new java.io.RandomAccessFile(plain.toFile(), "rw")) {
            f.setLength((256L << 20) + 1); // sparse: no disk taken
        }
        ChildJvm.Ran child = ChildJvm.run(SvmModelReaderTest.class, List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"),
                java.time.Duration.ofSeconds(120), firstLine.toString(), rho.toString(), rows.toString(), plain.toString());
        String out = child.said();
        assertEquals(0, child.exit(), out);
        String tooLarge = ": more than 256 MiB of text, beyond any svm model moodtag reads (the largest shipped part is 6.4 MB)";
        assertEquals(List.of(
                firstLine + " line 1: a header line longer than 65536 characters, more than a LIBSVM model's header holds "
                        + "(32 a value, at most 65536 before nr_class)",
                rho + " line 6: a header line longer than 65536 characters, more than a LIBSVM model's header holds "
                        + "(32 a value, at most 65536 before nr_class)",
                rows + ": its text runs past 268435456 bytes" + tooLarge,
                plain + " is 268435457 bytes" + tooLarge), out.lines().toList(), out);
    }

    /** The child: loads each file and says why it was refused, or that it loaded. */
    public static void main(String[] args) {
        for (String file : args) {
            try {
                SvmClassifier.load(Path.of(file), 4);
                System.out.println(file + ": loaded");
            } catch (java.io.UncheckedIOException e) {
                System.out.println(e.getCause().getMessage());
            }
        }
    }

    /** A gzipped file of {@code head}, {@code times} times {@code unit} and {@code tail}: each a gzip member, compressed once. */
    private static Path concatenated(Path file, String head, String unit, int times, String tail) throws IOException {
        try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
            out.write(gzipped(head));
            byte[] member = gzipped(unit);
            for (int i = 0; i < times; i++) out.write(member);
            out.write(gzipped(tail));
        }
        return file;
    }

    private static byte[] gzipped(String text) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static void assertRefused(String text, String reason) {
        IOException e = assertThrows(IOException.class, () -> ours(text), text);
        assertTrue(e.getMessage().contains(reason), "'" + e.getMessage() + "' should say '" + reason + "'");
        assertTrue(e.getMessage().startsWith("test.model"), e.getMessage());
    }

    private static String header(int classes, int totalSv) {
        StringBuilder rho = new StringBuilder();
        for (int i = 0; i < classes * (classes - 1) / 2; i++) rho.append(" 0.").append(i + 1);
        StringBuilder labels = new StringBuilder();
        StringBuilder nsv = new StringBuilder();
        for (int i = 0; i < classes; i++) {
            labels.append(' ').append(i);
            nsv.append(' ').append(i == 0 ? totalSv : 0);
        }
        return "svm_type c_svc\nkernel_type rbf\ngamma 0.5\nnr_class " + classes + "\ntotal_sv " + totalSv + "\nrho" + rho
                + "\nlabel" + labels + "\nnr_sv" + nsv + "\n";
    }

    private static svm_model trained(Random random, int classes) {
        svm_problem prob = new svm_problem();
        prob.l = 6 * classes;
        prob.x = new svm_node[prob.l][];
        prob.y = new double[prob.l];
        for (int i = 0; i < prob.l; i++) {
            prob.y[i] = i % classes;
            prob.x[i] = new svm_node[3];
            for (int j = 0; j < 3; j++) {
                prob.x[i][j] = new svm_node();
                prob.x[i][j].index = j + 1;
                prob.x[i][j].value = random.nextGaussian() + (i % classes);
            }
        }
        svm_parameter p = new svm_parameter();
        p.svm_type = svm_parameter.C_SVC;
        p.kernel_type = svm_parameter.RBF;
        p.gamma = 0.3;
        p.C = 1;
        p.eps = 1e-3;
        p.cache_size = 10;
        p.probability = 1;
        p.shrinking = 1;
        svm.svm_set_print_string_function(s -> { });
        return svm.svm_train(prob, p);
    }

    private static svm_model libsvm(String text) throws IOException {
        svm_model m = svm.svm_load_model(new BufferedReader(new StringReader(text)));
        assertNotNull(m, "LIBSVM reads it");
        return m;
    }

    private static svm_model ours(String text) throws IOException {
        return SvmModelReader.read(new BufferedReader(new StringReader(text)), "test.model");
    }

    private static String gunzip(Path file) throws IOException {
        try (var in = new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8)) {
            StringBuilder b = new StringBuilder();
            char[] buf = new char[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) b.append(buf, 0, n);
            return b.toString();
        }
    }

    private static void assertSame(svm_model expected, svm_model actual, String what) {
        svm_parameter e = expected.param;
        svm_parameter a = actual.param;
        assertEquals(e.svm_type, a.svm_type, what);
        assertEquals(e.kernel_type, a.kernel_type, what);
        assertEquals(e.degree, a.degree, what);
        assertEquals(Double.doubleToRawLongBits(e.gamma), Double.doubleToRawLongBits(a.gamma), what);
        assertEquals(Double.doubleToRawLongBits(e.coef0), Double.doubleToRawLongBits(a.coef0), what);
        assertEquals(expected.nr_class, actual.nr_class, what);
        assertEquals(expected.l, actual.l, what);
        assertArrayEquals(expected.rho, actual.rho, what);
        assertArrayEquals(expected.probA, actual.probA, what);
        assertArrayEquals(expected.probB, actual.probB, what);
        assertArrayEquals(expected.label, actual.label, what);
        assertArrayEquals(expected.nSV, actual.nSV, what);
        assertArrayEquals(expected.sv_indices, actual.sv_indices, what);
        assertEquals(expected.sv_coef.length, actual.sv_coef.length, what);
        for (int k = 0; k < expected.sv_coef.length; k++) assertBits(expected.sv_coef[k], actual.sv_coef[k], what);
        assertEquals(expected.SV.length, actual.SV.length, what);
        int values = 0;
        for (int i = 0; i < expected.SV.length; i++) {
            assertEquals(expected.SV[i].length, actual.SV[i].length, what + " SV " + i);
            for (int j = 0; j < expected.SV[i].length; j++) {
                assertEquals(expected.SV[i][j].index, actual.SV[i][j].index, what);
                assertEquals(Double.doubleToRawLongBits(expected.SV[i][j].value),
                        Double.doubleToRawLongBits(actual.SV[i][j].value), what + " SV " + i + " value " + j);
                values++;
            }
        }
        assertFalse(expected.SV.length > 0 && values == 0, what + ": compared no values");
    }

    private static void assertBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        List<String> differ = new ArrayList<>();
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                differ.add(i + ": " + expected[i] + " vs " + actual[i]);
            }
        }
        assertTrue(differ.isEmpty(), what + " coefficients differ: " + differ);
    }
}
