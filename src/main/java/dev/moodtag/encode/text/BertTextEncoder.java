package dev.moodtag.encode.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moodtag.encode.Encoder;
import dev.moodtag.encode.EncoderContext;
import dev.moodtag.encode.EncoderInfo;
import dev.moodtag.encode.EncoderOutput;
import dev.moodtag.encode.Pooling;
import dev.moodtag.media.Modality;
import dev.moodtag.media.Utterance;
import dev.moodtag.onnx.LoadedSession;
import dev.moodtag.onnx.Tensors;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPackException;
import dev.moodtag.pack.EncoderParameters;
import dev.moodtag.support.CloseOnFailure;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * BERT-family sentence encoder (BERT, bge, MiniLM, RoBERTa-style exports) with the model's own
 * {@code tokenizer.json}, tokenized by the HuggingFace tokenizers library so WordPiece and BPE behave exactly as
 * in training. Output: CLS or attention-masked mean pooling of {@code last_hidden_state}, optionally L2-normalised.
 * A text longer than {@code maxTokens} is read in windows ending on word boundaries ({@link TextWindows}), pooled
 * weighted by their token counts, and the result notes how many windows it took.
 */
public final class BertTextEncoder implements Encoder {

    public static final String KIND = "bert-text";

    private final EncoderSpec spec;
    private final OrtEnvironment env;
    private final LoadedSession session;
    private final HuggingFaceTokenizer tokenizer;
    /** Ids of the tokenizer's special tokens, which a text may spell out ("[SEP]") but which are no word of it. */
    private final Set<Long> specialIds;
    /**
     * How the special tokens are spelt. The tokenizer matches them in raw text, so a transcript saying "hello [SEP]
     * world" put a real separator in the middle of the model's input; they are taken out of a text before it is read.
     */
    private final List<String> specialSpellings;
    private final EncoderInfo info;
    private final boolean meanPooling;
    private final boolean normalize;
    private final String inputIds;
    private final String attentionMask;
    private final String tokenTypeIds;
    private final String hidden;
    private final int maxTokens;
    /** Windows run through the model so far: the work a text costs, counted for tests and benches. */
    private final AtomicLong windowsRun = new AtomicLong();

    public BertTextEncoder(EncoderSpec spec, EncoderContext context) {
        this.spec = spec;
        BertTextParams params = EncoderParameters.bind(spec, BertTextParams.class);
        this.meanPooling = params.meanPooling();
        this.normalize = params.normalize();
        this.maxTokens = params.maxTokens();
        this.env = context.onnx().environment();
        byte[] tokenizerJson = tokenizerJson(spec);
        this.specialIds = specialTokens(spec, tokenizerJson).keySet();
        this.specialSpellings = List.copyOf(specialTokens(spec, tokenizerJson).values());
        // The tokenizer holds native memory: released if the model then fails to load.
        try (CloseOnFailure opened = new CloseOnFailure()) {
            this.tokenizer = opened.add(tokenizer(spec, tokenizerJson));
            this.session = opened.add(context.onnx().open(spec.id(), spec.file("model")));
            opened.succeeded();
        }
        this.inputIds = spec.input("inputIds", "input_ids");
        this.attentionMask = spec.input("attentionMask", "attention_mask");
        this.tokenTypeIds = spec.input("tokenTypeIds", "token_type_ids");
        this.hidden = spec.output("hidden", "last_hidden_state");
        this.info = EncoderInfo.of(spec, session);
    }

    private static byte[] tokenizerJson(EncoderSpec spec) {
        try (InputStream in = spec.file("tokenizer").open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw unreadableTokenizer(spec, e);
        }
    }

    private static HuggingFaceTokenizer tokenizer(EncoderSpec spec, byte[] json) {
        Map<String, String> options = new HashMap<>();
        // Never truncated: a text longer than the window is split into windows here, not cut by the tokenizer
        options.put("truncation", "false");
        options.put("padding", "false");
        try {
            return OfflineTokenizers.load(new ByteArrayInputStream(json), options);
        } catch (IOException e) {
            throw unreadableTokenizer(spec, e);
        }
    }

    /**
     * The {@code added_tokens} marked {@code special}, id → spelling: the library encodes them but does not say which
     * they are.
     */
    private static Map<Long, String> specialTokens(EncoderSpec spec, byte[] json) {
        try {
            Map<Long, String> tokens = new HashMap<>();
            for (JsonNode t : new ObjectMapper().readTree(json).path("added_tokens"))
                if (t.path("special").asBoolean() && !t.path("content").asText().isEmpty())
                    tokens.put(t.path("id").asLong(), t.path("content").asText());
            return Map.copyOf(tokens);
        } catch (IOException e) {
            throw unreadableTokenizer(spec, e);
        }
    }

    private static ModelPackException unreadableTokenizer(EncoderSpec spec, IOException e) {
        return new ModelPackException("encoder " + spec.id() + ": cannot read tokenizer "
                + spec.file("tokenizer").location() + ": " + e.getMessage(), e);
    }

    @Override
    public EncoderInfo info() {
        return info;
    }

    @Override
    public EncoderOutput encode(Utterance utterance) {
        return utterance.transcriptText()
                .map(t -> {
                    Tokens tokens = tokenize(t.text());
                    // Text of only invisible characters (no-break or zero-width spaces, soft hyphens) is not blank to
                    // String.isBlank but has no token: its embedding is the empty sequence's, which voted "neutral".
                    // Special-token names ("[PAD] [SEP]") are tokens the model reads as markup, not words, and what
                    // its vocabulary lacks (emoji, most symbols) is [UNK]. Refused before the model runs, not after.
                    if (tokens.words() == 0) return EncoderOutput.missing(String.format(Locale.ROOT,
                            "the transcript has no word the text model reads (%d character(s), %s)",
                            t.text().codePointCount(0, t.text().length()), tokens.unknown() == 0 ? "no token"
                                    : tokens.unknown() + " token(s) it does not know"));
                    EmbeddedText e = embed(tokens);
                    return EncoderOutput.of(e.vector(), e.note());
                })
                .orElseGet(() -> EncoderOutput.missing(utterance.whyMissing(Modality.TEXT).orElse("empty transcript")));
    }

    /**
     * Embeds one text; public for tools that embed transcripts without media. Empty for a text with no word the model
     * reads, which is not run through it.
     */
    public float[] embed(String text) {
        return embedText(text).vector();
    }

    /**
     * Embeds one text of any length, reading it in as many windows as it needs; a text with no word the model reads is
     * not run through it, and has no window and an empty vector.
     */
    public EmbeddedText embedText(String text) {
        return embed(tokenize(text));
    }

    /**
     * A text as the tokenizer reads it, [CLS] first and [SEP] last, the text's tokens between.
     *
     * @param words   its tokens that are words, not special tokens
     * @param unknown its tokens the vocabulary lacks ([UNK]): the only special ones left, as spelt ones are taken out
     */
    private record Tokens(Encoding encoding, int words, int unknown) {
    }

    private Tokens tokenize(String text) {
        for (String special : specialSpellings) if (text.contains(special)) text = text.replace(special, " ");
        Encoding enc = tokenizer.encode(text);
        long[] ids = enc.getIds();
        int words = (int) Arrays.stream(ids, 1, ids.length - 1).filter(id -> !specialIds.contains(id)).count();
        return new Tokens(enc, words, ids.length - 2 - words);
    }

    private EmbeddedText embed(Tokens tokens) {
        if (tokens.words() == 0) return new EmbeddedText(new float[0], 0, 0, maxTokens);
        Encoding enc = tokens.encoding();
        int words = tokens.words();
        long[] ids = enc.getIds();
        long[] wordIds = enc.getWordIds();
        long cls = ids[0], sep = ids[ids.length - 1];
        int content = ids.length - 2;
        long[] contentWords = Arrays.copyOfRange(wordIds, 1, ids.length - 1);
        List<TextWindows.Window> windows = TextWindows.split(contentWords, maxTokens - 2);
        if (windows.size() == 1) {
            float[] v = encodeWindow(ids, enc.getAttentionMask(), enc.getTypeIds());
            return new EmbeddedText(normalize ? Pooling.l2Normalize(v) : v, 1, words, maxTokens);
        }
        float[] pooled = new float[spec.dim()];
        for (TextWindows.Window w : windows) {
            long[] windowIds = new long[w.tokens() + 2];
            windowIds[0] = cls;
            System.arraycopy(ids, 1 + w.from(), windowIds, 1, w.tokens());
            windowIds[windowIds.length - 1] = sep;
            long[] mask = new long[windowIds.length];
            Arrays.fill(mask, 1);
            float[] v = encodeWindow(windowIds, mask, new long[windowIds.length]);
            // Each window normalised as a short text would be, then weighted by its share of the tokens
            if (normalize) v = Pooling.l2Normalize(v);
            double weight = w.tokens() / (double) content;
            for (int i = 0; i < pooled.length; i++) pooled[i] += (float) (weight * v[i]);
        }
        return new EmbeddedText(normalize ? Pooling.l2Normalize(pooled) : pooled, windows.size(), words, maxTokens);
    }

    /** How many windows this encoder has run through its model since it was loaded. */
    public long windowsRun() {
        return windowsRun.get();
    }

    /** The pooled (not yet normalised) hidden state of one window of at most {@code maxTokens} tokens. */
    private float[] encodeWindow(long[] ids, long[] mask, long[] types) {
        windowsRun.incrementAndGet();
        int n = ids.length;
        OrtSession model = session.session();
        try (OnnxTensor idsT = Tensors.longs(env, ids, 1, n);
             OnnxTensor maskT = Tensors.longs(env, mask, 1, n);
             OnnxTensor typesT = Tensors.longs(env, types, 1, n)) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put(inputIds, idsT);
            inputs.put(attentionMask, maskT);
            if (model.getInputNames().contains(tokenTypeIds)) inputs.put(tokenTypeIds, typesT);
            try (OrtSession.Result result = model.run(inputs)) {
                Tensors.FloatOutput out = Tensors.output(result, hidden);
                int dim = out.stride(2);
                if (dim != spec.dim()) {
                    throw new ModelPackException("encoder " + spec.id() + ": model gives " + dim
                            + "-d hidden states but the manifest says dim " + spec.dim());
                }
                return meanPooling ? Pooling.maskedMean(out.data(), n, dim, mask) : Arrays.copyOf(out.data(), dim);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("encoder " + spec.id() + " failed on a " + n + "-token input: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        session.close();
        tokenizer.close();
    }
}
