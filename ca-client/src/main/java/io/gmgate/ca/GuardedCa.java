package io.gmgate.ca;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;

/**
 * One CA behind its guards, composed in Resilience4j's documented order Retry(CircuitBreaker(
 * TimeLimiter(call))): each attempt is timed and counted by the breaker; an open breaker is not
 * retried. Only failures to reach the CA count against it — a CA that answers "no" is up.
 */
final class GuardedCa {

    /** A CA that did not answer: timed out, unreachable, or its store down (retryable CA- codes). */
    static final Predicate<Throwable> UNAVAILABLE = t -> t instanceof TimeoutException
            || (t instanceof CaException e && e.errorCode().retryable());

    private final CertificateAuthority ca;
    private final CircuitBreaker breaker;
    private final Retry retry;
    private final TimeLimiter limiter;
    private final ExecutorService executor;
    private final FailoverSettings settings;

    GuardedCa(CertificateAuthority ca, FailoverSettings s, ExecutorService executor) {
        this.ca = ca;
        this.settings = s;
        this.executor = executor;
        this.breaker = CircuitBreaker.of(ca.name(), CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(s.slidingWindow()).minimumNumberOfCalls(s.minimumCalls())
                .failureRateThreshold(s.failureRatePercent()).waitDurationInOpenState(s.openWait())
                .permittedNumberOfCallsInHalfOpenState(1).automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(UNAVAILABLE).clock(s.clock()).build());
        this.retry = Retry.of(ca.name(), RetryConfig.custom().maxAttempts(s.maxAttempts()).waitDuration(s.retryWait())
                .retryOnException(UNAVAILABLE).failAfterMaxAttempts(false).build());
        this.limiter = TimeLimiter.of(ca.name(), TimeLimiterConfig.custom().timeoutDuration(s.timeout())
                .cancelRunningFuture(true).build());
    }

    String name() {
        return ca.name();
    }

    CertificateAuthority ca() {
        return ca;
    }

    CircuitBreaker.State state() {
        return breaker.getState();
    }

    /** Runs call against this CA behind its guards; CA-100 if it timed out, CallNotPermittedException if open. */
    <T> T call(Callable<T> call) {
        Callable<T> limited = TimeLimiter.decorateFutureSupplier(limiter, () -> executor.submit(call));
        Callable<T> guarded = Retry.decorateCallable(retry, CircuitBreaker.decorateCallable(breaker, limited));
        try {
            return guarded.call();
        } catch (CallNotPermittedException | CaException e) {
            throw e;
        } catch (TimeoutException e) {
            throw new CaException(CaErrors.CA_UNAVAILABLE, "[CA " + name() + "] no answer within "
                    + settings.timeout().toMillis() + "ms", e);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (Exception e) {
            throw unwrap(e);
        }
    }

    private RuntimeException unwrap(Throwable t) {
        if (t instanceof CaException e) {
            return e;
        }
        if (t instanceof RuntimeException e) {
            return e;
        }
        return new CaException(CaErrors.CA_UNAVAILABLE, "[CA " + name() + "] failed: " + t, t);
    }

    @Override
    public String toString() {
        return "GuardedCa[" + name() + ", breaker " + state() + "]";
    }
}
