package dev.moodtag.storage;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * S3 says "try again" with a 4xx status too: RequestTimeout (400) when an upload stalls, SlowDown (503) or
 * Throttling (400) when busy. By status alone a timed-out result upload was a permanent failure, answered 200
 * `failed`, and the object never got its result (found by a review). So do an expired session token and a clock
 * that is off (RequestTimeTooSkewed): the credentials provider refreshes the one and NTP corrects the other.
 */
class S3ErrorKindTest {

    private static StorageException.Kind kind(int status, String code) {
        S3Exception e = (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).message(code).build();
        return S3ObjectStorage.translate(e, "write", ObjectRef.s3("media", "a.wav")).kind();
    }

    @Test
    void transientCodesAreRetriedWhateverTheirStatus() {
        for (String code : new String[]{"RequestTimeout", "Throttling", "ThrottlingException", "SlowDown",
                "RequestLimitExceeded", "PriorRequestNotComplete", "InternalError", "OperationAborted"})
            assertEquals(StorageException.Kind.UNAVAILABLE, kind(400, code), code);
        assertEquals(StorageException.Kind.UNAVAILABLE, kind(503, "SlowDown"));
        assertEquals(StorageException.Kind.UNAVAILABLE, kind(500, "Whatever"));
    }

    @Test
    void permanentCodesStayPermanent() {
        assertEquals(StorageException.Kind.FAILED, kind(400, "InvalidArgument"));
        assertEquals(StorageException.Kind.FAILED, kind(403, "AccessDenied"));
        for (String code : new String[]{"InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken"})
            assertEquals(StorageException.Kind.FAILED, kind(403, code), code);
        assertEquals(StorageException.Kind.NOT_FOUND, kind(404, "NoSuchKey"));
    }

    /**
     * 501 (S3's NotImplemented: "a header you provided implies functionality that is not implemented", what an
     * S3 look-alike answers to a feature of the SDK it lacks) and 505 say the store will never do what was asked: as
     * 5xx they were retried, and a result write refused that way re-ran the whole tagging on every redelivery until
     * the event was dead-lettered. Every other 5xx stays transient.
     */
    @Test
    void notImplementedIsPermanentAndOther5xxAreNot() {
        assertEquals(StorageException.Kind.FAILED, kind(501, "NotImplemented"));
        assertEquals(StorageException.Kind.FAILED, kind(501, null));
        assertEquals(StorageException.Kind.FAILED, kind(505, null));
        for (int status : new int[]{500, 502, 503, 504, 507, 509, 520, 599})
            assertEquals(StorageException.Kind.UNAVAILABLE, kind(status, null), "HTTP " + status);
        assertEquals(StorageException.Kind.UNAVAILABLE, kind(501, "SlowDown"), "a transient code decides");
    }

    /**
     * RequestTimeTooSkewed was pinned here as permanent: an event signed while the node's clock was off was dropped by
     * the platform for good, though the same event succeeds once NTP has corrected the clock.
     */
    @Test
    void expiredCredentialsAndClockSkewAreRetriedNamingTheCause() {
        for (String code : new String[]{"ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired"}) {
            for (int status : new int[]{400, 403}) {
                StorageException e = S3ObjectStorage.translate(error(status, code, null), "read", ObjectRef.s3("media", "a.wav"));
                assertEquals(StorageException.Kind.UNAVAILABLE, e.kind(), code);
                assertEquals("cannot read s3://media/a.wav: HTTP " + status + " " + code
                        + ": the credentials have expired; retrying after they are refreshed", e.getMessage());
            }
        }
        Instant now = Instant.parse("2026-12-06T04:00:00Z");
        StorageException behind = S3ObjectStorage.translate(error(403, "RequestTimeTooSkewed", "Sun, 06 Dec 2026 04:16:40 GMT"),
                "read", ObjectRef.s3("media", "a.wav"), now);
        assertEquals(StorageException.Kind.UNAVAILABLE, behind.kind());
        assertEquals("cannot read s3://media/a.wav: HTTP 403 RequestTimeTooSkewed: this machine's clock differs from the "
                + "store's by 1000 s (it is behind); retrying after it is corrected (NTP)", behind.getMessage());
        StorageException unknown = S3ObjectStorage.translate(error(403, "RequestTimeTooSkewed", null), "read",
                ObjectRef.s3("media", "a.wav"), now);
        assertEquals(StorageException.Kind.UNAVAILABLE, unknown.kind());
        assertTrue(unknown.getMessage().contains("differs from the store's by more than the store allows"), unknown.getMessage());
    }

    private static S3Exception error(int status, String code, String date) {
        SdkHttpResponse.Builder http = SdkHttpResponse.builder().statusCode(status);
        if (date != null) http.putHeader("Date", date);
        return (S3Exception) S3Exception.builder().statusCode(status).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode(code).sdkHttpResponse(http.build()).build()).message(code).build();
    }
}
