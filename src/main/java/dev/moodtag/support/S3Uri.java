package dev.moodtag.support;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * An {@code s3://bucket/key} address, parsed strictly in one place so that events, manifests and listings agree on
 * what names an object. The key is as stored (the AWS CLI convention: {@code s3://} URIs are not percent-encoded);
 * sources that do encode keys (S3 notifications, object URLs) decode them with {@link #decodeKey} first.
 *
 * @param bucket an S3 bucket name: 3–63 characters of lower-case letters, digits, dots and hyphens, starting and
 *               ending with a letter or digit, no {@code ..}, not an IP address
 * @param key    the object key or, for a listing, the prefix; at most {@value #MAX_KEY_BYTES} UTF-8 bytes
 */
public record S3Uri(String bucket, String key) {

    public static final String SCHEME = "s3://";
    /** S3's limit on a key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public S3Uri {
        String why = bucketProblem(bucket);
        if (why != null) throw new IllegalArgumentException("bucket name '" + bucket + "' " + why);
        if (key == null) throw new IllegalArgumentException("no key");
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES)
            throw new IllegalArgumentException("key longer than " + MAX_KEY_BYTES + " UTF-8 bytes");
    }

    /** Whether {@code s} starts with {@code s3://} (in any case, as URI schemes are). */
    public static boolean is(String s) {
        return s != null && s.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /**
     * The object {@code s3://bucket/key} names: a key that is empty or ends with {@code /} names no object.
     *
     * @throws IllegalArgumentException saying what is wrong and what was expected
     */
    public static S3Uri object(String uri) {
        S3Uri parsed = parse(uri, false);
        if (parsed.key.isEmpty() || parsed.key.endsWith("/"))
            throw new IllegalArgumentException(shorten(uri) + " names no object: expected s3://bucket/key");
        return parsed;
    }

    /**
     * A listing, {@code s3://bucket} or {@code s3://bucket/prefix}: the prefix may be empty.
     *
     * @throws IllegalArgumentException saying what is wrong and what was expected
     */
    public static S3Uri prefix(String uri) {
        return parse(uri, true);
    }

    private static S3Uri parse(String uri, boolean bucketAlone) {
        if (!is(uri)) throw new IllegalArgumentException(shorten(uri) + " is not an s3:// URI");
        String rest = uri.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        if (slash < 0 && !bucketAlone)
            throw new IllegalArgumentException(shorten(uri) + " names no object: expected s3://bucket/key");
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        try {
            return new S3Uri(bucket, key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(shorten(uri) + ": " + e.getMessage(), e);
        }
    }

    /**
     * A key as a source that URL-encodes keys sends it.
     *
     * @param formEncoded {@code true} where {@code +} stands for a space (S3 and MinIO notifications), {@code false}
     *                    for a URL path, where {@code +} is itself
     * @throws IllegalArgumentException on a malformed {@code %} sequence or bytes that are not UTF-8
     */
    public static String decodeKey(String encoded, boolean formEncoded) {
        // URLDecoder would pass a lone '%' through on some inputs and turn bytes that are not UTF-8 into U+FFFD: a key
        // decoded like that cannot name the object it was made from, so both are refused here.
        int half = halfSurrogateAt(encoded);
        if (half >= 0) throw new IllegalArgumentException("key '" + shorten(encoded) + "' holds half a surrogate pair at " + half);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); ) {
            char c = encoded.charAt(i);
            if (c == '%') {
                int hi = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(encoded.charAt(i + 2), 16);
                if (lo < 0)
                    throw new IllegalArgumentException("key '" + shorten(encoded) + "' has a malformed % escape at " + i);
                bytes.write(hi << 4 | lo);
                i += 3;
            } else {
                int cp = encoded.codePointAt(i);
                byte[] b = (formEncoded && c == '+' ? " " : new String(Character.toChars(cp))).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
                i += Character.charCount(cp);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("key '" + shorten(encoded) + "' does not decode to UTF-8", e);
        }
    }

    /**
     * Where {@code s} holds half a surrogate pair without its other half, or -1. UTF-8 has no form for one: encoded, it
     * becomes '?', and a key holding one names another object ({@code a\\ud800.wav} was sent as {@code a%3F.wav}).
     */
    public static int halfSurrogateAt(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            // A surrogate only when it is not half of a pair: a supplementary character cast to char is its low 16
            // bits, which fall in the surrogate range for U+1D800, U+2D800, ...
            if (Character.isBmpCodePoint(cp) && Character.isSurrogate((char) cp)) return i;
            i += Character.charCount(cp);
        }
        return -1;
    }

    /** Why {@code bucket} is not an S3 bucket name, or null when it is one. */
    static String bucketProblem(String bucket) {
        if (bucket == null || bucket.isEmpty()) return "is empty";
        if (bucket.length() < 3 || bucket.length() > 63) return "must have 3 to 63 characters";
        if (!BUCKET.matcher(bucket).matches())
            return "may hold only lower-case letters, digits, dots and hyphens, and start and end with a letter or digit";
        if (bucket.contains("..")) return "must not contain '..'";
        if (IP_ADDRESS.matcher(bucket).matches()) return "must not be an IP address";
        return null;
    }

    /** {@code s3://bucket/key}. */
    @Override
    public String toString() {
        return SCHEME + bucket + "/" + key;
    }

    private static String shorten(String s) {
        if (s == null) return "null";
        String one = s.replaceAll("\\p{Cntrl}", "?");
        return one.length() <= 200 ? one : one.substring(0, 200) + "…";
    }
}
