package dev.moodtag.encode.speech;

import dev.moodtag.encode.SpeechActivityDetector.Region;
import dev.moodtag.encode.speech.dsp.Dct;
import dev.moodtag.encode.speech.dsp.Formants;
import dev.moodtag.encode.speech.dsp.Framing;
import dev.moodtag.encode.speech.dsp.MelFilterbank;
import dev.moodtag.encode.speech.dsp.PitchTracker;
import dev.moodtag.encode.speech.dsp.Spectrogram;
import dev.moodtag.encode.speech.dsp.Stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * eGeMAPS-style acoustic functionals of 16 kHz speech, computed in Java: frame-level descriptors (25 ms frames,
 * 10 ms hop) summarised by statistics into a fixed vector, {@link #FEATURE_NAMES} in order.
 * <p>
 * Frame descriptors are computed once on the whole track. The statistics of prosody, voice quality and spectrum
 * use the <em>speech frames</em> only (frame centre inside a speech region: the VAD's, or the whole track without
 * VAD), which is the same as computing them after VAD without the artificial jumps at the joins. The rhythm
 * features (voiced ratio, rates, segment lengths, pauses) need the pauses the VAD removes, so they use every frame
 * between the first and last sounding speech frame.
 * <p>
 * Groups (values in brackets are the frames they use):
 * <ul>
 * <li>F0 in semitones re 27.5 Hz (YIN, 55–600 Hz) [voiced speech]: mean, std, percentiles 20/50/80, range
 * p80−p20; slope of a regression line (st/s), mean rising and mean falling slope between adjacent voiced frames
 * (st/s, both positive; steps above half an octave are tracking errors and skipped).</li>
 * <li>Voice quality [voiced speech]: jitter ≈ relative period change between adjacent voiced frames (steps over
 * 20 % skipped), shimmer ≈ mean |dB change| of peak-to-peak amplitude between consecutive pitch periods inside a
 * frame, HNR from the normalised autocorrelation r at the pitch lag, 10·log10(r / (1 − r)); mean and std each.
 * These are frame-level approximations of Praat's cycle-level measures.</li>
 * <li>Loudness Σ(mel band power)^0.3 [speech]: mean, std, percentiles 20/50/80, range; frame energy in dBFS: mean,
 * std.</li>
 * <li>MFCC 1–13 (26 HTK mel bands 20–8000 Hz, log, orthonormal DCT-II) and their deltas (±2-frame regression)
 * [speech]: mean, std.</li>
 * <li>Spectral shape [speech]: centroid (Hz), 85 % roll-off (Hz), flux (squared change of the unit-norm magnitude
 * spectrum), flatness (geometric / arithmetic mean of power): mean, std.</li>
 * <li>Spectral balance, voiced [voiced speech] mean and std, unvoiced [sounding, unvoiced speech] mean: alpha
 * ratio (dB, 50–1000 Hz over 1–5 kHz), Hammarberg index (dB, max 0–2 kHz over max 2–5 kHz), spectral slope
 * 0–500 Hz and 500–1500 Hz (dB/kHz, regression of the log power spectrum).</li>
 * <li>Rhythm [span]: voiced ratio, voiced segments per second (speaking-rate proxy: voiced-segment onsets),
 * mean/std voiced segment length (s), mean/std unvoiced gap between voiced segments (s), loudness peaks per second
 * (syllable-nucleus proxy), pause ratio, pauses per second, mean pause length (s); a pause is ≥ 150 ms without
 * sound (frame energy 35 dB under the clip's 95th percentile, or under −60 dBFS).</li>
 * </ul>
 * With {@link UtteranceRelative} descriptors, F0, loudness and energy are taken relative to the utterance's own median
 * and the MFCC means are dropped ({@link #featureNames(Set)} names the layout).
 * <p>
 * An empty set of frames (e.g. nothing voiced) gives 0 for its statistics, so the vector is always finite.
 * Immutable and thread-safe.
 */
public final class AcousticFunctionals {

    public static final int SAMPLE_RATE = 16_000;
    static final Framing FRAMING = new Framing(400, 160);
    static final int FFT_SIZE = 512;
    static final int MEL_BANDS = 26, MFCCS = 13;
    static final double HOP_SECONDS = FRAMING.hop() / (double) SAMPLE_RATE;
    static final double SOUNDING_BELOW_P95_DB = 35, SILENCE_FLOOR_DB = -60;
    static final double MIN_PAUSE_SECONDS = 0.15;
    static final double SEMITONE_REF_HZ = 27.5;

    private enum Functional {
        MEAN, STD, P20, P50, P80, RANGE;

        String suffix() {
            return name().equals("RANGE") ? "range_p20_p80" : name().toLowerCase(Locale.ROOT);
        }
    }

    private static final List<Functional> DIST = List.of(Functional.MEAN, Functional.STD, Functional.P20,
            Functional.P50, Functional.P80, Functional.RANGE);
    /** A distribution re its own median: the median is 0 (or 1) by construction. */
    private static final List<Functional> DIST_RE_MEDIAN = List.of(Functional.MEAN, Functional.STD, Functional.P20,
            Functional.P80, Functional.RANGE);
    private static final List<Functional> STD = List.of(Functional.STD);
    private static final List<Functional> MEAN_STD = List.of(Functional.MEAN, Functional.STD);
    private static final List<Functional> MEAN = List.of(Functional.MEAN);

    /** A frame descriptor and the statistics taken of it. */
    private record Group(String descriptor, List<Functional> functionals) {
    }

    private static final List<String> BALANCE = List.of("alpha_ratio_db", "hammarberg_db", "slope_0_500_db_per_khz",
            "slope_500_1500_db_per_khz");
    /** Descriptors whose names change when they are taken relative to the utterance. */
    private static final String F0 = "f0_semitone", F0_RE_MEDIAN = "f0_semitone_re_median";
    private static final String LOUDNESS = "loudness", LOUDNESS_RE_MEDIAN = "loudness_re_median";
    private static final String ENERGY = "energy_db", ENERGY_RE_MEDIAN = "energy_db_re_median";

    private static final List<String> SCALARS = List.of(
            "f0_semitone_slope", "f0_semitone_rising_slope_mean", "f0_semitone_falling_slope_mean",
            "voiced_ratio", "voiced_segments_per_s", "voiced_segment_mean_s", "voiced_segment_std_s",
            "unvoiced_segment_mean_s", "unvoiced_segment_std_s", "loudness_peaks_per_s",
            "pause_ratio", "pauses_per_s", "pause_mean_s");

    /** The features in vector order, every descriptor absolute (no {@link UtteranceRelative}). */
    public static final List<String> FEATURE_NAMES = featureNames(Set.of());
    public static final int DIM = FEATURE_NAMES.size();

    /**
     * The formant and harmonic descriptors ({@link Formants}), over voiced speech: F1–F3 frequency (mean, std) and
     * bandwidth (mean), the harmonic amplitude at F1 and F2 re the first harmonic (mean), H1−H2 and H1−A3 (mean, std;
     * A3 re H1 would be −(H1−A3)). Harmonics are read only where F0 is at least {@link Formants#MIN_HARMONIC_F0}.
     */
    private static final List<String> FORMANT_HZ = List.of("f1_hz", "f2_hz", "f3_hz"),
            FORMANT_BANDWIDTH = List.of("f1_bandwidth_hz", "f2_bandwidth_hz", "f3_bandwidth_hz"),
            FORMANT_AMPLITUDE = List.of("a1_re_h1_db", "a2_re_h1_db");
    private static final String H1_H2 = "h1_h2_db", H1_A3 = "h1_a3_db";

    private static List<Group> groups(Set<UtteranceRelative> relative, boolean formants) {
        List<Group> g = new ArrayList<>();
        g.add(relative.contains(UtteranceRelative.F0) ? new Group(F0_RE_MEDIAN, DIST_RE_MEDIAN) : new Group(F0, DIST));
        g.add(new Group("jitter_local", MEAN_STD));
        g.add(new Group("shimmer_local_db", MEAN_STD));
        g.add(new Group("hnr_db", MEAN_STD));
        if (relative.contains(UtteranceRelative.LOUDNESS)) {
            g.add(new Group(LOUDNESS_RE_MEDIAN, DIST_RE_MEDIAN));
            g.add(new Group(ENERGY_RE_MEDIAN, MEAN_STD));
        } else {
            g.add(new Group(LOUDNESS, DIST));
            g.add(new Group(ENERGY, MEAN_STD));
        }
        List<Functional> mfcc = relative.contains(UtteranceRelative.MFCC) ? STD : MEAN_STD;
        for (int c = 1; c <= MFCCS; c++) g.add(new Group("mfcc" + c, mfcc));
        for (int c = 1; c <= MFCCS; c++) g.add(new Group("mfcc" + c + "_delta", MEAN_STD));
        for (String s : List.of("spectral_centroid_hz", "spectral_rolloff85_hz", "spectral_flux", "spectral_flatness"))
            g.add(new Group(s, MEAN_STD));
        for (String s : BALANCE) g.add(new Group(s + "_voiced", MEAN_STD));
        for (String s : BALANCE) g.add(new Group(s + "_unvoiced", MEAN));
        if (formants) {
            for (String s : FORMANT_HZ) g.add(new Group(s, MEAN_STD));
            for (String s : FORMANT_BANDWIDTH) g.add(new Group(s, MEAN));
            for (String s : FORMANT_AMPLITUDE) g.add(new Group(s, MEAN));
            g.add(new Group(H1_H2, MEAN_STD));
            g.add(new Group(H1_A3, MEAN_STD));
        }
        return List.copyOf(g);
    }

    /** The features in vector order with these descriptors taken relative to the utterance. */
    public static List<String> featureNames(Set<UtteranceRelative> relative) {
        return featureNames(relative, false);
    }

    /** The features in vector order, with the formant and harmonic descriptors when {@code formants}. */
    public static List<String> featureNames(Set<UtteranceRelative> relative, boolean formants) {
        List<String> names = new ArrayList<>();
        for (Group g : groups(relative, formants)) for (Functional f : g.functionals()) names.add(g.descriptor() + "_" + f.suffix());
        names.addAll(SCALARS);
        return Collections.unmodifiableList(names);
    }

    private final PitchTracker pitch;
    private final Set<UtteranceRelative> relative;
    private final boolean formants;
    private final List<Group> groups;
    private final int dim;
    private final MelFilterbank mel = new MelFilterbank(MEL_BANDS, FFT_SIZE, SAMPLE_RATE, 20, 8000);
    private final Dct dct = new Dct(MEL_BANDS, MFCCS + 1);

    public AcousticFunctionals(double minF0, double maxF0, double yinThreshold) {
        this(minF0, maxF0, yinThreshold, Set.of());
    }

    /** @param relative the descriptors taken relative to the utterance's own median (empty: all absolute) */
    public AcousticFunctionals(double minF0, double maxF0, double yinThreshold, Set<UtteranceRelative> relative) {
        this(minF0, maxF0, yinThreshold, relative, false);
    }

    /** @param formants with the formant and harmonic descriptors ({@link Formants}) */
    public AcousticFunctionals(double minF0, double maxF0, double yinThreshold, Set<UtteranceRelative> relative,
                               boolean formants) {
        this.pitch = new PitchTracker(SAMPLE_RATE, minF0, maxF0, FRAMING.length(), yinThreshold);
        this.relative = relative.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(relative));
        this.formants = formants;
        this.groups = groups(this.relative, formants);
        this.dim = featureNames(this.relative, formants).size();
    }

    /** Length of the vectors {@link #compute} returns. */
    public int dim() {
        return dim;
    }

    /** Frame-level descriptors of a whole track (all arrays have one value per frame). */
    private static final class Frames {
        final int n;
        final double[] energyDb, loudness, centroid, rolloff, flux, flatness, alpha, hammarberg, slopeLow, slopeMid;
        final double[][] mfcc, mfccDelta;
        final boolean[] sounding;
        PitchTracker.Track track;

        Frames(int n) {
            this.n = n;
            energyDb = new double[n];
            loudness = new double[n];
            centroid = new double[n];
            rolloff = new double[n];
            flux = new double[n];
            flatness = new double[n];
            alpha = new double[n];
            hammarberg = new double[n];
            slopeLow = new double[n];
            slopeMid = new double[n];
            mfcc = new double[MFCCS][n];
            mfccDelta = new double[MFCCS][];
            sounding = new boolean[n];
        }
    }

    /**
     * @param samples the whole 16 kHz track, in [−1, 1]
     * @param speech  speech regions in seconds (the whole track when there is no detector)
     */
    public float[] compute(float[] samples, List<Region> speech) {
        Frames f = frameDescriptors(samples);
        boolean[] inSpeech = SpeechRegions.frameMask(speech, f.n, HOP_SECONDS,
                FRAMING.length() / 2.0 / SAMPLE_RATE);
        boolean[] voiced = new boolean[f.n], unvoiced = new boolean[f.n];
        for (int i = 0; i < f.n; i++) {
            voiced[i] = inSpeech[i] && f.track.voiced(i);
            unvoiced[i] = inSpeech[i] && f.sounding[i] && !f.track.voiced(i);
        }

        Map<String, double[]> values = new HashMap<>();
        Map<String, Double> scalars = new HashMap<>();
        double[] semitones = semitones(f.track.f0());
        double[] voicedSemitones = Stats.select(semitones, voiced);
        if (relative.contains(UtteranceRelative.F0)) values.put(F0_RE_MEDIAN, minusMedian(voicedSemitones));
        else values.put(F0, voicedSemitones);
        values.put("jitter_local", jitter(f.track.f0(), voiced));
        values.put("shimmer_local_db", shimmer(samples, f.track.f0(), voiced));
        values.put("hnr_db", Stats.select(hnr(f.track.periodicity()), voiced));
        double[] loudness = Stats.select(f.loudness, inSpeech), energyDb = Stats.select(f.energyDb, inSpeech);
        if (relative.contains(UtteranceRelative.LOUDNESS)) {
            values.put(LOUDNESS_RE_MEDIAN, overMedian(loudness));
            values.put(ENERGY_RE_MEDIAN, minusMedian(energyDb));
        } else {
            values.put(LOUDNESS, loudness);
            values.put(ENERGY, energyDb);
        }
        for (int c = 0; c < MFCCS; c++) {
            values.put("mfcc" + (c + 1), Stats.select(f.mfcc[c], inSpeech));
            values.put("mfcc" + (c + 1) + "_delta", Stats.select(f.mfccDelta[c], inSpeech));
        }
        values.put("spectral_centroid_hz", Stats.select(f.centroid, inSpeech));
        values.put("spectral_rolloff85_hz", Stats.select(f.rolloff, inSpeech));
        values.put("spectral_flux", Stats.select(f.flux, inSpeech));
        values.put("spectral_flatness", Stats.select(f.flatness, inSpeech));
        double[][] balance = {f.alpha, f.hammarberg, f.slopeLow, f.slopeMid};
        for (int b = 0; b < BALANCE.size(); b++) {
            values.put(BALANCE.get(b) + "_voiced", Stats.select(balance[b], voiced));
            values.put(BALANCE.get(b) + "_unvoiced", Stats.select(balance[b], unvoiced));
        }
        if (formants) formantsAndHarmonics(samples, f, voiced, values);
        contourSlopes(semitones, voiced, scalars);
        rhythm(f, inSpeech, scalars);
        return assemble(values, scalars);
    }

    /** Per voiced frame; a formant the envelope does not show in a frame is left out of that formant's statistics. */
    private static void formantsAndHarmonics(float[] x, Frames f, boolean[] voiced, Map<String, double[]> values) {
        Formants lpc = new Formants(SAMPLE_RATE, FRAMING.length());
        double[] frame = new double[FRAMING.length()];
        List<List<Double>> hz = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<List<Double>> bandwidth = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<List<Double>> amplitude = List.of(new ArrayList<>(), new ArrayList<>());
        List<Double> h1h2 = new ArrayList<>(), h1a3 = new ArrayList<>();
        double[] f0 = f.track.f0();
        for (int i = 0; i < f.n; i++) {
            if (!voiced[i]) continue;
            FRAMING.copyFrame(x, i, frame);
            Formants.Estimate e = lpc.estimate(frame);
            for (int k = 0; k < 3; k++) {
                if (Double.isNaN(e.hz()[k])) continue;
                hz.get(k).add(e.hz()[k]);
                bandwidth.get(k).add(e.bandwidthHz()[k]);
            }
            // H1, H2, then the harmonic nearest each formant (NaN where the envelope showed none)
            double[] db = lpc.harmonicsDb(x, FRAMING.start(i) + FRAMING.length() / 2, f0[i], f0[i], 2 * f0[i],
                    e.hz()[0], e.hz()[1], e.hz()[2]);
            if (Double.isNaN(db[0])) continue;
            if (!Double.isNaN(db[1])) h1h2.add(db[0] - db[1]);
            for (int k = 0; k < 2; k++) if (!Double.isNaN(db[2 + k])) amplitude.get(k).add(db[2 + k] - db[0]);
            if (!Double.isNaN(db[4])) h1a3.add(db[0] - db[4]);
        }
        for (int k = 0; k < 3; k++) {
            values.put(FORMANT_HZ.get(k), toArray(hz.get(k)));
            values.put(FORMANT_BANDWIDTH.get(k), toArray(bandwidth.get(k)));
        }
        for (int k = 0; k < 2; k++) values.put(FORMANT_AMPLITUDE.get(k), toArray(amplitude.get(k)));
        values.put(H1_H2, toArray(h1h2));
        values.put(H1_A3, toArray(h1a3));
    }

    private static double[] toArray(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] minusMedian(double[] v) {
        double median = Stats.percentile(Stats.sorted(v), 50);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i] - median;
        return out;
    }

    /** Ratios to the median; all 0 when the median is not positive (nothing sounding), to stay finite. */
    private static double[] overMedian(double[] v) {
        double median = Stats.percentile(Stats.sorted(v), 50);
        double[] out = new double[v.length];
        if (median > 0) for (int i = 0; i < v.length; i++) out[i] = v[i] / median;
        return out;
    }

    private float[] assemble(Map<String, double[]> values, Map<String, Double> scalars) {
        float[] out = new float[dim];
        int at = 0;
        for (Group g : groups) {
            double[] v = values.get(g.descriptor());
            if (v == null) throw new IllegalStateException("no values for " + g.descriptor());
            double[] sorted = Stats.sorted(v);
            for (Functional fn : g.functionals()) {
                out[at++] = (float) switch (fn) {
                    case MEAN -> Stats.mean(v);
                    case STD -> Stats.std(v);
                    case P20 -> Stats.percentile(sorted, 20);
                    case P50 -> Stats.percentile(sorted, 50);
                    case P80 -> Stats.percentile(sorted, 80);
                    case RANGE -> Stats.percentile(sorted, 80) - Stats.percentile(sorted, 20);
                };
            }
        }
        for (String s : SCALARS) {
            Double v = scalars.get(s);
            if (v == null) throw new IllegalStateException("no value for " + s);
            out[at++] = v.floatValue();
        }
        return out;
    }

    private Frames frameDescriptors(float[] x) {
        Spectrogram spec = Spectrogram.of(x, FRAMING, FFT_SIZE, SAMPLE_RATE);
        Frames f = new Frames(spec.frames());
        double binHz = spec.binHz();
        int bins = spec.bins();
        int b50 = spec.bin(50), b500 = spec.bin(500), b1000 = spec.bin(1000), b1500 = spec.bin(1500);
        int b2000 = spec.bin(2000), b5000 = spec.bin(5000);
        double[] melPower = new double[MEL_BANDS], logMel = new double[MEL_BANDS], cep = new double[MFCCS + 1];
        double[] frame = new double[FRAMING.length()];
        double[] previousMagnitude = new double[bins], magnitude = new double[bins];
        for (int i = 0; i < f.n; i++) {
            float[] p = spec.frame(i);
            FRAMING.copyFrame(x, i, frame);
            double e = 0;
            for (double v : frame) e += v * v;
            f.energyDb[i] = Stats.db(e / frame.length);

            mel.apply(p, melPower);
            double loud = 0;
            for (int b = 0; b < MEL_BANDS; b++) {
                loud += Math.pow(melPower[b], 0.3);
                logMel[b] = Math.log(melPower[b] + 1e-10);
            }
            f.loudness[i] = loud;
            dct.apply(logMel, cep);
            for (int c = 0; c < MFCCS; c++) f.mfcc[c][i] = cep[c + 1];

            double total = 0, weighted = 0, logSum = 0, norm = 0;
            for (int k = 0; k < bins; k++) {
                total += p[k];
                weighted += p[k] * k * binHz;
                if (k > 0) logSum += Math.log(p[k] + 1e-12);
                magnitude[k] = Math.sqrt(p[k]);
                norm += p[k];
            }
            f.centroid[i] = total > 0 ? weighted / total : 0;
            f.rolloff[i] = rolloff(p, total, 0.85) * binHz;
            f.flatness[i] = Math.exp(logSum / (bins - 1)) / (total / bins + 1e-12);
            norm = Math.sqrt(norm);
            double flux = 0;
            for (int k = 0; k < bins; k++) {
                double m = norm > 0 ? magnitude[k] / norm : 0;
                if (i > 0) flux += (m - previousMagnitude[k]) * (m - previousMagnitude[k]);
                previousMagnitude[k] = m;
            }
            f.flux[i] = flux;
            f.alpha[i] = Stats.db(sum(p, b50, b1000)) - Stats.db(sum(p, b1000 + 1, b5000));
            f.hammarberg[i] = Stats.db(max(p, 0, b2000)) - Stats.db(max(p, b2000 + 1, b5000));
            f.slopeLow[i] = logSpectrumSlope(p, 0, b500, binHz);
            f.slopeMid[i] = logSpectrumSlope(p, b500, b1500, binHz);
        }
        for (int c = 0; c < MFCCS; c++) f.mfccDelta[c] = deltas(f.mfcc[c]);

        double threshold = Math.max(SILENCE_FLOOR_DB,
                Stats.percentile(Stats.sorted(f.energyDb), 95) - SOUNDING_BELOW_P95_DB);
        for (int i = 0; i < f.n; i++) f.sounding[i] = f.energyDb[i] > threshold;
        f.track = pitch.track(x, FRAMING, f.sounding);
        return f;
    }

    private static int rolloff(float[] p, double total, double fraction) {
        double target = total * fraction, c = 0;
        for (int k = 0; k < p.length; k++) {
            c += p[k];
            if (c >= target) return k;
        }
        return p.length - 1;
    }

    private static double sum(float[] p, int from, int to) {
        double s = 0;
        for (int k = from; k <= to; k++) s += p[k];
        return s;
    }

    private static double max(float[] p, int from, int to) {
        double m = 0;
        for (int k = from; k <= to; k++) m = Math.max(m, p[k]);
        return m;
    }

    /** Slope (dB per kHz) of the least-squares line through the power spectrum in dB over bins [from, to]. */
    private static double logSpectrumSlope(float[] p, int from, int to, double binHz) {
        int n = to - from + 1;
        double[] khz = new double[n], db = new double[n];
        for (int k = from; k <= to; k++) {
            khz[k - from] = k * binHz / 1000;
            db[k - from] = Stats.db(p[k]);
        }
        return Stats.slope(khz, db);
    }

    /** Delta coefficients by ±2-frame linear regression, edges repeated. */
    static double[] deltas(double[] c) {
        int n = c.length;
        double[] d = new double[n];
        for (int t = 0; t < n; t++) {
            double s = 0;
            for (int k = 1; k <= 2; k++) s += k * (c[Math.min(n - 1, t + k)] - c[Math.max(0, t - k)]);
            d[t] = s / 10; // 2·(1² + 2²)
        }
        return d;
    }

    private static double[] semitones(double[] f0) {
        double[] st = new double[f0.length];
        for (int i = 0; i < f0.length; i++) st[i] = f0[i] > 0 ? 12 * Math.log(f0[i] / SEMITONE_REF_HZ) / Math.log(2) : 0;
        return st;
    }

    private static double[] hnr(double[] periodicity) {
        double[] out = new double[periodicity.length];
        for (int i = 0; i < out.length; i++) {
            double r = Math.max(1e-3, Math.min(1 - 1e-3, periodicity[i]));
            out[i] = 10 * Math.log10(r / (1 - r));
        }
        return out;
    }

    private static double[] jitter(double[] f0, boolean[] voiced) {
        double[] tmp = new double[f0.length];
        int n = 0;
        for (int i = 1; i < f0.length; i++) {
            if (!voiced[i] || !voiced[i - 1]) continue;
            double t0 = 1 / f0[i - 1], t1 = 1 / f0[i];
            double rel = Math.abs(t1 - t0) / ((t0 + t1) / 2);
            if (rel <= 0.2) tmp[n++] = rel;
        }
        return Arrays.copyOf(tmp, n);
    }

    /** Per voiced frame: mean |dB change| of the peak-to-peak amplitude between consecutive periods in the frame. */
    private static double[] shimmer(float[] x, double[] f0, boolean[] voiced) {
        double[] tmp = new double[f0.length];
        int n = 0;
        for (int i = 0; i < f0.length; i++) {
            if (!voiced[i]) continue;
            double period = SAMPLE_RATE / f0[i];
            int cycles = (int) (FRAMING.length() / period);
            if (cycles < 2) continue;
            int start = FRAMING.start(i);
            double previous = -1, sum = 0;
            int pairs = 0;
            for (int c = 0; c < cycles; c++) {
                int from = start + (int) Math.round(c * period), to = start + (int) Math.round((c + 1) * period);
                float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
                for (int j = from; j < Math.min(to, x.length); j++) {
                    lo = Math.min(lo, x[j]);
                    hi = Math.max(hi, x[j]);
                }
                double amp = hi > lo ? hi - lo : 0;
                if (amp > 0 && previous > 0) {
                    sum += Math.abs(20 * Math.log10(amp / previous));
                    pairs++;
                }
                previous = amp;
            }
            if (pairs > 0) tmp[n++] = sum / pairs;
        }
        return Arrays.copyOf(tmp, n);
    }

    private static void contourSlopes(double[] st, boolean[] voiced, Map<String, Double> out) {
        double[] times = new double[st.length];
        for (int i = 0; i < st.length; i++) times[i] = i * HOP_SECONDS;
        out.put("f0_semitone_slope", Stats.slope(Stats.select(times, voiced), Stats.select(st, voiced)));
        double rise = 0, fall = 0;
        int rises = 0, falls = 0;
        for (int i = 1; i < st.length; i++) {
            if (!voiced[i] || !voiced[i - 1]) continue;
            double step = st[i] - st[i - 1];
            if (Math.abs(step) > 6) continue;
            if (step > 0) {
                rise += step / HOP_SECONDS;
                rises++;
            } else if (step < 0) {
                fall -= step / HOP_SECONDS;
                falls++;
            }
        }
        out.put("f0_semitone_rising_slope_mean", rises > 0 ? rise / rises : 0);
        out.put("f0_semitone_falling_slope_mean", falls > 0 ? fall / falls : 0);
    }

    private static void rhythm(Frames f, boolean[] inSpeech, Map<String, Double> out) {
        int first = -1, last = -1;
        for (int i = 0; i < f.n; i++) {
            if (inSpeech[i] && f.sounding[i]) {
                if (first < 0) first = i;
                last = i;
            }
        }
        int to = last + 1;
        double spanSeconds = first < 0 ? 0 : (to - first) * HOP_SECONDS;
        boolean[] voiced = new boolean[f.n], silent = new boolean[f.n];
        for (int i = 0; i < f.n; i++) {
            voiced[i] = f.track.voiced(i);
            silent[i] = !f.sounding[i];
        }
        int[][] voicedRuns = first < 0 ? new int[0][] : Stats.runs(voiced, first, to);
        int[][] silentRuns = first < 0 ? new int[0][] : Stats.runs(silent, first, to);

        double[] voicedLengths = new double[voicedRuns.length];
        int voicedFrames = 0;
        for (int r = 0; r < voicedRuns.length; r++) {
            voicedLengths[r] = voicedRuns[r][1] * HOP_SECONDS;
            voicedFrames += voicedRuns[r][1];
        }
        double[] gaps = new double[Math.max(0, voicedRuns.length - 1)];
        for (int r = 1; r < voicedRuns.length; r++) {
            gaps[r - 1] = (voicedRuns[r][0] - voicedRuns[r - 1][0] - voicedRuns[r - 1][1]) * HOP_SECONDS;
        }
        int minPauseFrames = (int) Math.round(MIN_PAUSE_SECONDS / HOP_SECONDS);
        double pauseSeconds = 0;
        int pauses = 0;
        for (int[] run : silentRuns) {
            if (run[1] >= minPauseFrames) {
                pauses++;
                pauseSeconds += run[1] * HOP_SECONDS;
            }
        }
        out.put("voiced_ratio", spanSeconds > 0 ? voicedFrames * HOP_SECONDS / spanSeconds : 0);
        out.put("voiced_segments_per_s", perSecond(voicedRuns.length, spanSeconds));
        out.put("voiced_segment_mean_s", Stats.mean(voicedLengths));
        out.put("voiced_segment_std_s", Stats.std(voicedLengths));
        out.put("unvoiced_segment_mean_s", Stats.mean(gaps));
        out.put("unvoiced_segment_std_s", Stats.std(gaps));
        out.put("loudness_peaks_per_s", perSecond(first < 0 ? 0 : loudnessPeaks(f, first, to), spanSeconds));
        out.put("pause_ratio", spanSeconds > 0 ? pauseSeconds / spanSeconds : 0);
        out.put("pauses_per_s", perSecond(pauses, spanSeconds));
        out.put("pause_mean_s", pauses > 0 ? pauseSeconds / pauses : 0);
    }

    /** Local maxima of the loudness contour smoothed over 5 frames (50 ms), in sounding frames. */
    private static int loudnessPeaks(Frames f, int from, int to) {
        double[] smooth = new double[f.n];
        for (int i = 0; i < f.n; i++) {
            double s = 0;
            int c = 0;
            for (int k = Math.max(0, i - 2); k <= Math.min(f.n - 1, i + 2); k++, c++) s += f.loudness[k];
            smooth[i] = s / c;
        }
        int peaks = 0;
        for (int i = Math.max(1, from); i < Math.min(to, f.n - 1); i++) {
            if (f.sounding[i] && smooth[i] > smooth[i - 1] && smooth[i] >= smooth[i + 1]) peaks++;
        }
        return peaks;
    }

    private static double perSecond(int count, double seconds) {
        return seconds > 0 ? count / seconds : 0;
    }
}
