package dev.moodtag.classify;

import dev.moodtag.storage.LocalFailures;

import com.fasterxml.jackson.core.io.NumberInput;
import libsvm.svm;
import libsvm.svm_model;
import libsvm.svm_node;
import libsvm.svm_parameter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a model in LIBSVM's text format into the {@link svm_model} that {@code svm.svm_load_model} would build,
 * field for field and bit for bit.
 *
 * <p>Why not {@code svm_load_model} itself: the shipped classifier's RBF parts hold about half a million numbers, and
 * LIBSVM parses each through {@code StringTokenizer} and {@code Double.valueOf}, which at start-up, before the JIT has
 * compiled the slow path of decimal conversion, cost about 1.2 s of CPU on the 2-core box (half the JVM's model-loading
 * work). The header (a dozen lines whose meaning LIBSVM owns) is still parsed by LIBSVM: it is handed the header with
 * {@code total_sv 0}, and only the support-vector lines are read here, their numbers with Jackson's correctly rounded
 * fast parser (FastDoubleParser), which returns exactly the double {@code Double.valueOf} does.
 *
 * <p>A malformed file is refused with the line and what is wrong with it, where LIBSVM printed to stderr and returned
 * null or threw a bare {@code NullPointerException}.
 */
final class SvmModelReader {
    /**
     * LIBSVM trains one binary classifier per pair of classes: 4,096 classes would be 8.4 million of them, far beyond any
     * real model. A header claiming more is refused before LIBSVM allocates for it.
     */
    static final int MAX_CLASSES = 4096;

    /**
     * The most text an svm file may hold: 256 MiB, 40 times the largest shipped part (svm-0: 6,424,448 bytes of text,
     * 2,837,180 gzipped; 881 support vectors of about 330 values, trained on about 1,000 rows), so about 35,000 such
     * support vectors. LIBSVM's vectors take about 1.3 times their text in memory; a file past this was read whole.
     */
    static final long MAX_TEXT_BYTES = 256L << 20;

    /**
     * The longest header line before the class count is known (the shipped parts' longest is 123 characters); once it
     * is, a line may also hold {@link #CHARS_PER_VALUE} characters for each of the most values a header line of that
     * many classes holds (rho, probA and probB: one per pair of classes). The header was read a line at a time
     * without a bound: a 2 GB line was buffered whole.
     */
    static final int MAX_HEADER_LINE_CHARS = 1 << 16;

    /** A value as LIBSVM writes it ({@code Double.toString}, at most 24 characters, and a blank), with room to spare. */
    private static final int CHARS_PER_VALUE = 32;

    /** LIBSVM's kernels by kernel_type number, as the messages name them. */
    private static final String[] KERNELS = {"a linear", "a polynomial", "an rbf", "a sigmoid"};

    private SvmModelReader() {
    }

    /**
     * What LIBSVM's failure on a header says, in words: it was shown as the exception
     * ("java.lang.NegativeArraySizeException: -1"), a Java class where the header's fault was meant. LIBSVM turns a
     * header line it cannot read into a refusal (null) itself; what it throws comes from sizing its arrays by the
     * header's counts, which are checked here first, so this is the last word for what those checks miss.
     */
    static String headerFailure(RuntimeException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().strip();
        if (e instanceof NegativeArraySizeException)
            return "a count it sizes its arrays by is missing or below zero" + (message.isEmpty() ? "" : " (" + message + ")");
        if (e instanceof NumberFormatException)
            return "a value that is not a number" + (message.isEmpty() ? "" : " (" + message + ")");
        if (e instanceof java.util.NoSuchElementException) return "a line has fewer values than nr_class asks for";
        return message.isEmpty() ? LocalFailures.typeInWords(e) : message;
    }

    /** Reads the whole model from {@code in}; {@code name} goes into error messages. */
    static svm_model read(BufferedReader in, String name) throws IOException {
        StringBuilder header = new StringBuilder();
        int totalSv = -1;
        boolean classesSaid = false;
        int lineNo = 0, degreeLine = 0;
        long lineCap = MAX_HEADER_LINE_CHARS;
        for (String line; ; ) {
            lineNo++;
            line = headerLine(in, lineCap, name, lineNo);
            if (line == null) throw new IOException(name + ": not a LIBSVM model (no SV line after the header)");
            if (line.startsWith("total_sv")) {
                totalSv = count(line.substring("total_sv".length()).trim(), name, lineNo, "total_sv");
                line = "total_sv 0";
            } else if (line.startsWith("nr_class")) {
                classesSaid = true;
                // LIBSVM allocates per class (and per pair of classes) as it reads the header: bound it first
                int classes = count(line.substring("nr_class".length()).trim(), name, lineNo, "nr_class");
                if (classes < 2 || classes > MAX_CLASSES) {
                    throw new IOException(where(name, lineNo) + "nr_class " + classes + " is not a number of classes a "
                            + "model can have (2 to " + MAX_CLASSES + ")");
                }
                lineCap = Math.max(MAX_HEADER_LINE_CHARS, 64 + (long) CHARS_PER_VALUE * classes * (classes - 1) / 2);
            } else if (line.startsWith("degree")) {
                degreeLine = lineNo;
            }
            header.append(line).append('\n');
            if (line.startsWith("SV")) break;
        }
        if (totalSv < 0) throw new IOException(name + ": not a LIBSVM model (its header has no total_sv)");
        // LIBSVM sized its coefficients by nr_class - 1 and threw NegativeArraySizeException: -1 without one
        if (!classesSaid) throw new IOException(name + ": not a LIBSVM model (its header has no nr_class)");
        svm_model model;
        try {
            model = svm.svm_load_model(new BufferedReader(new StringReader(header.toString())));
        } catch (RuntimeException e) {
            throw new IOException(name + ": not a LIBSVM model (LIBSVM failed on its header: " + headerFailure(e) + ")", e);
        }
        if (model == null || model.nr_class < 2) {
            throw new IOException(name + ": not a LIBSVM model (LIBSVM refused its header)");
        }
        int coefs = model.nr_class - 1;
        // rows are collected before the arrays are sized, so a header that promises more than the file holds
        // allocates nothing it does not read
        List<SupportVector> rows = new ArrayList<>();
        for (int i = 0; i < totalSv; i++) {
            String line = in.readLine();
            lineNo++;
            if (line == null) {
                throw new IOException(name + ": the header promises " + totalSv + " support vectors, the file ends after " + i);
            }
            rows.add(readSupportVector(line, coefs, name, lineNo));
        }
        model.l = totalSv;
        model.sv_coef = new double[coefs][totalSv];
        model.SV = new svm_node[totalSv][];
        for (int i = 0; i < totalSv; i++) {
            for (int k = 0; k < coefs; k++) model.sv_coef[k][i] = rows.get(i).coefs()[k];
            model.SV[i] = rows.get(i).nodes();
        }
        checkHeader(model, totalSv, name);
        // LIBSVM's polynomial kernel is (gamma u.v + coef0)^degree by repeated squaring, which is 1 for a degree of 0
        // or below: every kernel value 1, every input the same decision values, and LIBSVM loaded it without a word
        if (model.param.kernel_type == svm_parameter.POLY && model.param.degree < 1)
            throw new IOException((degreeLine > 0 ? where(name, degreeLine) : name + ": ") + "degree " + model.param.degree
                    + " (a polynomial kernel needs degree >= 1: below it every kernel value is 1, and every input gets the same answer)");
        return model;
    }

    /**
     * The next header line as {@link BufferedReader#readLine} reads it (ended by \n, \r or \r\n; null at the end),
     * refused once it runs past {@code max} characters, before more of it is held.
     */
    private static String headerLine(BufferedReader in, long max, String name, int lineNo) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; ; ) {
            c = in.read();
            if (c < 0) return b.isEmpty() ? null : b.toString();
            if (c == '\n') return b.toString();
            if (c == '\r') {
                in.mark(1);
                if (in.read() != '\n') in.reset();
                return b.toString();
            }
            if (b.length() >= max)
                throw new IOException(where(name, lineNo) + "a header line longer than " + max + " characters, more than "
                        + "a LIBSVM model's header holds (" + CHARS_PER_VALUE + " a value, at most " + MAX_HEADER_LINE_CHARS
                        + " before nr_class)");
            b.append((char) c);
        }
    }

    /**
     * What LIBSVM's reader takes on trust and prediction then trips over: a header it accepts can still make every
     * request fail (labels 1/-1, no nr_sv), drop support vectors silently (nr_sv short of total_sv), or answer NaN
     * (a NaN rho), which the fusion turned into class 0. Refused here, at load, with what is wrong.
     */
    private static void checkHeader(svm_model m, int totalSv, String name) throws IOException {
        int k = m.nr_class;
        if (m.param.svm_type != svm_parameter.C_SVC && m.param.svm_type != svm_parameter.NU_SVC)
            throw new IOException(name + ": svm_type must be c_svc or nu_svc (a classifier), not type " + m.param.svm_type);
        if (m.param.kernel_type == svm_parameter.PRECOMPUTED)
            throw new IOException(name + ": a precomputed kernel cannot score a vector");
        if (m.label == null || m.label.length != k) throw new IOException(name + ": needs a label line with " + k + " labels");
        Set<Integer> seen = new HashSet<>();
        for (int label : m.label)
            if (label < 0 || !seen.add(label))
                throw new IOException(name + ": labels must be distinct class numbers from 0, not " + Arrays.toString(m.label));
        if (m.nSV == null || m.nSV.length != k) throw new IOException(name + ": needs an nr_sv line with " + k + " counts");
        long sum = 0;
        for (int n : m.nSV) {
            // "3 -1" adds up to a total_sv of 2, and prediction then indexed past its support vectors
            if (n < 0) throw new IOException(name + ": nr_sv " + Arrays.toString(m.nSV) + " holds a negative count");
            sum += n;
        }
        if (sum != totalSv)
            throw new IOException(name + ": nr_sv " + Arrays.toString(m.nSV) + " adds up to " + sum + ", total_sv is " + totalSv);
        int pairs = k * (k - 1) / 2;
        if (m.rho == null || m.rho.length != pairs) throw new IOException(name + ": needs a rho line with " + pairs + " values");
        finite(m.rho, "rho", name);
        if ((m.probA == null) != (m.probB == null)
                || (m.probA != null && (m.probA.length != pairs || m.probB.length != pairs)))
            throw new IOException(name + ": probA and probB must both have " + pairs + " values, or both be absent");
        if (m.probA != null) {
            finite(m.probA, "probA", name);
            finite(m.probB, "probB", name);
        }
        if (!Double.isFinite(m.param.gamma) || !Double.isFinite(m.param.coef0))
            throw new IOException(name + ": gamma and coef0 must be finite");
        // LIBSVM trains no kernel with gamma < 0: an RBF kernel then grows with distance, and its decision values (then
        // probA/probB's probabilities) overflow to infinity and NaN; with gamma 0 every input gets the same answer
        if (m.param.kernel_type != svm_parameter.LINEAR && m.param.gamma <= 0)
            throw new IOException(name + ": gamma " + m.param.gamma + " (" + KERNELS[m.param.kernel_type]
                    + " kernel needs gamma > 0)");
    }

    private static void finite(double[] v, String what, String name) throws IOException {
        for (double x : v) if (!Double.isFinite(x)) throw new IOException(name + ": " + what + " holds " + x);
    }

    /** One support-vector line: its coefficient in each of the {@code nr_class - 1} decision functions, and the vector. */
    private record SupportVector(double[] coefs, svm_node[] nodes) {
    }

    /**
     * One line: {@code coefs} coefficients, then {@code index:value} pairs, separated by blanks, as LIBSVM writes them.
     */
    private static SupportVector readSupportVector(String line, int coefs, String name, int lineNo) throws IOException {
        // every coefficient takes at least two characters: a class count the line cannot hold allocates nothing
        if (coefs > (line.length() + 1) / 2) {
            throw new IOException(where(name, lineNo) + "has fewer than " + coefs + " coefficients");
        }
        double[] coef = new double[coefs];
        char[] c = line.toCharArray();
        int n = c.length;
        int at = 0;
        for (int k = 0; k < coefs; k++) {
            at = skipBlanks(c, at);
            int end = tokenEnd(c, at);
            if (end == at) throw new IOException(where(name, lineNo) + "has fewer than " + coefs + " coefficients");
            coef[k] = number(c, at, end, name, lineNo);
            at = end;
        }
        int pairs = 0;
        for (int p = skipBlanks(c, at); p < n; p = skipBlanks(c, tokenEnd(c, p))) pairs++;
        svm_node[] nodes = new svm_node[pairs];
        for (int j = 0; j < pairs; j++) {
            at = skipBlanks(c, at);
            int end = tokenEnd(c, at);
            int colon = at;
            while (colon < end && c[colon] != ':') colon++;
            if (colon == at || colon >= end - 1) {
                throw new IOException(where(name, lineNo) + "'" + new String(c, at, end - at) + "' is not index:value");
            }
            svm_node node = new svm_node();
            try {
                node.index = Integer.parseInt(line, at, colon, 10);
            } catch (NumberFormatException e) {
                throw new IOException(where(name, lineNo) + "'" + line.substring(at, colon) + "' is not an index", e);
            }
            if (node.index < 1) throw new IOException(where(name, lineNo) + "index " + node.index + " (LIBSVM counts from 1)");
            node.value = number(c, colon + 1, end, name, lineNo);
            nodes[j] = node;
            at = end;
        }
        return new SupportVector(coef, nodes);
    }

    private static double number(char[] c, int from, int to, String name, int lineNo) throws IOException {
        double v;
        try {
            v = NumberInput.parseDouble(c, from, to - from, true);
        } catch (NumberFormatException e) {
            throw new IOException(where(name, lineNo) + "'" + new String(c, from, to - from) + "' is not a number", e);
        }
        if (!Double.isFinite(v)) throw new IOException(where(name, lineNo) + "'" + new String(c, from, to - from) + "' is not finite");
        return v;
    }

    private static int count(String text, String name, int lineNo, String key) throws IOException {
        try {
            int v = Integer.parseInt(text);
            if (v >= 0) return v;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IOException(where(name, lineNo) + key + " '" + text + "' is not a count");
    }

    private static String where(String name, int lineNo) {
        return name + " line " + lineNo + ": ";
    }

    /** LIBSVM's own reader splits on these (and on ':', which is inside a pair here). */
    private static boolean blank(char ch) {
        return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f';
    }

    private static int skipBlanks(char[] c, int at) {
        while (at < c.length && blank(c[at])) at++;
        return at;
    }

    private static int tokenEnd(char[] c, int at) {
        while (at < c.length && !blank(c[at])) at++;
        return at;
    }
}
