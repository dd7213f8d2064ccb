package io.gmgate.cosign.http;

import java.util.Map;

import io.gmgate.error.ErrorCode;

/** The HTTP status of every error code a cosign node may answer with (docs/cosign-api.md §3, one table). */
public final class HttpStatuses {

    private static final Map<String, Integer> EXACT = Map.ofEntries(
            Map.entry("COSIGN-105", 413), Map.entry("COSIGN-106", 415), Map.entry("COSIGN-107", 404), Map.entry("COSIGN-109", 404),
            Map.entry("COSIGN-110", 401), Map.entry("COSIGN-111", 403), Map.entry("COSIGN-112", 401),
            Map.entry("COSIGN-113", 403), Map.entry("COSIGN-114", 409), Map.entry("COSIGN-115", 403),
            Map.entry("COSIGN-116", 403), Map.entry("COSIGN-117", 503), Map.entry("COSIGN-118", 409),
            Map.entry("COSIGN-119", 400), Map.entry("COSIGN-120", 429), Map.entry("COSIGN-121", 429),
            Map.entry("COSIGN-122", 503), Map.entry("COSIGN-123", 429),
            Map.entry("COSIGN-125", 403), Map.entry("COSIGN-126", 400), Map.entry("COSIGN-127", 429), Map.entry("COSIGN-128", 408), Map.entry("COSIGN-130", 409),
            Map.entry("COSIGN-131", 409), Map.entry("COSIGN-140", 404), Map.entry("COSIGN-141", 423),
            Map.entry("COSIGN-142", 423), Map.entry("COSIGN-143", 410), Map.entry("COSIGN-144", 409),
            Map.entry("COSIGN-145", 409), Map.entry("COSIGN-146", 400), Map.entry("COSIGN-147", 400),
            Map.entry("COSIGN-148", 403), Map.entry("COSIGN-149", 409), Map.entry("COSIGN-151", 409),
            Map.entry("COSIGN-152", 404), Map.entry("COSIGN-153", 403), Map.entry("COSIGN-154", 423), Map.entry("COSIGN-155", 403),
            Map.entry("COSIGN-157", 409), Map.entry("COSIGN-199", 500),
            Map.entry("KEY-100", 500), Map.entry("KEY-102", 404), Map.entry("KEY-104", 410), Map.entry("KEY-105", 423),
            Map.entry("KEY-108", 423), Map.entry("KEY-111", 400), Map.entry("KEY-130", 500), Map.entry("KEY-131", 500),
            Map.entry("KEY-132", 423), Map.entry("KEY-133", 423),
            Map.entry("CA-102", 400), Map.entry("CA-103", 409), Map.entry("CA-104", 404), Map.entry("CA-105", 502),
            Map.entry("CA-106", 502), Map.entry("CA-107", 503), Map.entry("CA-109", 501), Map.entry("CA-110", 409), Map.entry("CA-111", 409),
            Map.entry("CERT-200", 404), Map.entry("CERT-201", 410), Map.entry("CERT-202", 502));

    private HttpStatuses() {
    }

    public static int of(ErrorCode code) {
        Integer exact = EXACT.get(code.code());
        if (exact != null) {
            return exact;
        }
        if (code.code().matches("COSIGN-(0[0-9][0-9]|10[0-4])")) {
            return 400; // request shape, and gm-crypto's two-party message codes
        }
        return code.retryable() ? 503 : 500;
    }

    /** Seconds to wait for a retryable failure that did not say how long. */
    public static int defaultRetryAfter(ErrorCode code) {
        return code.retryable() ? ("COSIGN-122".equals(code.code()) || "COSIGN-127".equals(code.code()) ? 1 : 2) : 0;
    }
}
