package dev.moodtag.encode.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Loads HuggingFace tokenizers through DJL with DJL's network access switched off. DJL 0.36's
 * {@code HuggingFaceTokenizer.newInstance} first calls {@code ai.djl.util.Ec2Utils.callHome}, which (once a day per
 * JVM) asks the EC2 instance-metadata address 169.254.169.254 for the instance id and region, with a 1 s timeout per
 * call, and on AWS sends them to DJL's telemetry bucket. A product must not phone home, and on an edge box where that
 * address is routed somewhere slow it would also hold up every start. DJL skips the call when {@value #OPT_OUT} is
 * true (environment variable or system property) and in offline mode ({@value #OFFLINE}), which also stops it from
 * trying to download a tokenizers library the jar does not carry. DJL reads both when the call is made, so setting
 * them here, before each tokenizer is loaded, covers every tokenizer this process loads.
 */
final class OfflineTokenizers {

    static final String OPT_OUT = "OPT_OUT_TRACKING";
    static final String OFFLINE = "ai.djl.offline";

    private OfflineTokenizers() {
    }

    static HuggingFaceTokenizer load(InputStream tokenizerJson, Map<String, String> options) throws IOException {
        System.setProperty(OPT_OUT, "true");
        System.setProperty(OFFLINE, "true");
        return HuggingFaceTokenizer.newInstance(tokenizerJson, options);
    }
}
