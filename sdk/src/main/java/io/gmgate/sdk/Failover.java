package io.gmgate.sdk;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import io.gmgate.error.GmgateException;
import io.gmgate.policy.Endpoint;

/**
 * Seed 003 appendix C.1 from the terminal's side: on a connect failure try the next node of the
 * same site, then the next site, all within one overall deadline. The endpoint list is ordered by
 * preference (first site first).
 */
public final class Failover {

    /** Opens a connection to one endpoint within a timeout; throws on failure. */
    @FunctionalInterface
    public interface Connector<T> {
        T connect(Endpoint endpoint, Duration timeout) throws IOException;
    }

    /** Each failed hop, so the caller can say which one failed and why. */
    public record Attempt(Endpoint endpoint, String failure) {
    }

    private Failover() {
    }

    public static <T> T connect(List<Endpoint> endpoints, Duration perAttempt, Duration overall, Connector<T> connector) {
        if (endpoints.isEmpty()) {
            throw new SdkException(SdkErrors.UNREACHABLE, "no endpoints configured");
        }
        long deadline = System.nanoTime() + overall.toNanos();
        StringBuilder tried = new StringBuilder();
        Exception last = null;
        for (Endpoint e : endpoints) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            Duration timeout = Duration.ofNanos(Math.min(left, perAttempt.toNanos()));
            try {
                return connector.connect(e, timeout);
            } catch (IOException | RuntimeException ex) {
                GmgateException cause = decisive(ex);
                if (cause != null) {
                    throw cause; // e.g. a locked key or a certificate problem: another node will say the same
                }
                tried.append(tried.length() == 0 ? "" : "; ").append(e).append(": ").append(describe(ex));
                last = ex;
            }
        }
        // the last hop's failure stays the cause, so its code (TLS-112 ← COSIGN-400, say) can be read, not only printed
        throw new SdkException(SdkErrors.UNREACHABLE, "all endpoints failed within " + overall.toMillis() + " ms: " + tried, last);
    }

    /** The first non-retryable coded failure in the cause chain, if any. */
    static GmgateException decisive(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof GmgateException g && !g.errorCode().retryable()) {
                return g;
            }
        }
        return null;
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }
}
