import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;
import org.vosk.Recognizer;

/**
 * A measurement, not the product: recognises each file of a list with a fresh Vosk recogniser, as the product does,
 * and writes Vosk's final result as it comes, one line per file (path, samples at 16 kHz, JSON). With ALTERNATIVES
 * above 0 the result is Vosk's n-best list, whose "confidence" is the best path's total log-likelihood (graph plus
 * acoustic): the product's transcripts use the other result form (minimum Bayes risk, word confidences), which
 * carries no likelihood, so this is how the best path's acoustic fit was measured (TRAINING.md, Speech-to-text gate).
 * Audio is decoded by the FFmpeg executable (FFMPEG), not by the product's decoder. `trim` cuts the leading and
 * trailing quiet (30 ms frames under 5 % of the loudest frame's RMS, 0.2 s kept each side).
 *
 * java -cp CLASSPATH bench/VoskBestPath.java MODEL_DIR LIST OUT THREADS ALTERNATIVES [trim]
 */
public class VoskBestPath {

    public static void main(String[] args) throws Exception {
        LibVosk.setLogLevel(LogLevel.WARNINGS);
        String ffmpeg = System.getenv().getOrDefault("FFMPEG", "ffmpeg");
        int threads = Integer.parseInt(args[3]);
        int alternatives = Integer.parseInt(args[4]);
        boolean trim = args.length > 5 && args[5].equals("trim");
        List<String> files = Files.readAllLines(Path.of(args[1])).stream().filter(s -> !s.isBlank()).toList();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Model model = new Model(args[0]); PrintWriter out = new PrintWriter(args[2])) {
            List<Future<String>> results = new ArrayList<>();
            for (String file : files) results.add(pool.submit(() -> recognise(model, ffmpeg, file, alternatives, trim)));
            for (Future<String> result : results) out.println(result.get());
        } finally {
            pool.shutdown();
        }
    }

    static String recognise(Model model, String ffmpeg, String file, int alternatives, boolean trim) throws Exception {
        Process p = new ProcessBuilder(ffmpeg, "-v", "error", "-i", file, "-ac", "1", "-ar", "16000", "-f", "s16le", "-")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] pcm = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0 || pcm.length == 0) throw new IllegalStateException("ffmpeg could not decode " + file);
        if (trim) pcm = trimQuiet(pcm);
        try (Recognizer r = new Recognizer(model, 16000f)) {
            r.setMaxAlternatives(alternatives);
            r.setWords(true);
            for (int off = 0; off < pcm.length; off += 8000) {
                int n = Math.min(8000, pcm.length - off);
                r.acceptWaveForm(Arrays.copyOfRange(pcm, off, off + n), n);
            }
            return file + "\t" + pcm.length / 2 + "\t" + r.getFinalResult().replace('\n', ' ');
        }
    }

    static byte[] trimQuiet(byte[] pcm) {
        int win = 480, frames = pcm.length / 2 / win;
        double[] rms = new double[frames];
        double max = 0;
        for (int f = 0; f < frames; f++) {
            double e = 0;
            for (int i = 0; i < win; i++) {
                int k = (f * win + i) * 2;
                short v = (short) ((pcm[k] & 0xff) | (pcm[k + 1] << 8));
                e += v * (double) v;
            }
            rms[f] = Math.sqrt(e / win);
            max = Math.max(max, rms[f]);
        }
        int first = 0, last = frames - 1;
        while (first < frames && rms[first] < 0.05 * max) first++;
        while (last > first && rms[last] < 0.05 * max) last--;
        int from = Math.max(0, first - 7) * win, to = Math.min(frames, last + 8) * win;
        return Arrays.copyOfRange(pcm, from * 2, to * 2);
    }
}
