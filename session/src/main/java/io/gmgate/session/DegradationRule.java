package io.gmgate.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.vertx.core.Vertx;

/**
 * Moves a scope to ONE_WAY by itself when a circuit breaker has stayed open too long (design §5:
 * "they alert, and SRE confirms or reverts"). It acts at most once per opening of the breaker: if
 * an SRE reverts the scope while the breaker is still open, the rule does not flip it back. The
 * change goes through {@link ModeRegistry} with origin RULE, so it is persisted, checked against
 * {@link ModeTransitions} (never to BYPASS, never from a weaker mode), time-limited and audited.
 */
public final class DegradationRule {

    /** What one evaluation did. */
    public enum Outcome {
        /** The breaker is closed. */
        CLOSED,
        /** Open, but not yet for {@code openFor}. */
        WAITING,
        /** Moved the scope to ONE_WAY (alerted). */
        DEGRADED,
        /** Open long enough, but the rule is not allowed to act (alerted only). */
        NOT_ALLOWED,
        /** Open long enough, but the scope is already not NORMAL: nothing to do (alerted). */
        NOT_NORMAL,
        /** This opening was already handled. */
        HANDLED,
        /** The change could not be made (store down): tried again at the next evaluation. */
        FAILED
    }

    /** Where alerts go (logs, metrics, the SRE's pager). */
    public interface Alerts {
        void alert(DegradationSettings rule, Outcome outcome, String detail);
    }

    private static final System.Logger LOG = System.getLogger(DegradationRule.class.getName());

    private final DegradationSettings settings;
    private final BreakerSignal signal;
    private final ModeRegistry modes;
    private final Clock clock;
    private final Alerts alerts;
    private Instant handled;

    public DegradationRule(DegradationSettings settings, BreakerSignal signal, ModeRegistry modes, Clock clock, Alerts alerts) {
        if (!settings.breaker().equals(signal.name())) {
            throw new IllegalArgumentException("degradation rule for breaker '" + settings.breaker() + "' was given breaker '"
                    + signal.name() + "'");
        }
        this.settings = settings;
        this.signal = signal;
        this.modes = modes;
        this.clock = clock;
        this.alerts = alerts;
    }

    /** One evaluation. Blocking when it acts (the change is written to PostgreSQL): run it on a worker. */
    public synchronized Outcome evaluate() {
        Optional<Instant> since = signal.openSince();
        if (since.isEmpty()) {
            handled = null;
            return Outcome.CLOSED;
        }
        if (since.get().equals(handled)) {
            return Outcome.HANDLED;
        }
        Duration open = Duration.between(since.get(), clock.instant());
        if (open.compareTo(settings.openFor()) < 0) {
            return Outcome.WAITING;
        }
        String why = "circuit breaker '" + settings.breaker() + "' open for " + open.toSeconds() + " s since " + since.get()
                + " (rule: " + settings.openFor().toSeconds() + " s)";
        if (!settings.allowed()) {
            return done(since.get(), Outcome.NOT_ALLOWED, why + "; this rule may only alert: an SRE decides on ONE_WAY");
        }
        AccessMode now = modes.effective(settings.scope());
        if (now != AccessMode.NORMAL) {
            return done(since.get(), Outcome.NOT_NORMAL, why + "; " + settings.scope() + " is already " + now);
        }
        try {
            modes.set(settings.scope(), AccessMode.ONE_WAY, why, "rule:" + settings.breaker(), Optional.of(settings.ttl()),
                    ModeOrigin.RULE);
        } catch (SessionException e) {
            if (e.errorCode().equals(SessionErrors.ILLEGAL_TRANSITION)) {
                return done(since.get(), Outcome.NOT_NORMAL, why + "; " + e.getMessage());
            }
            LOG.log(System.Logger.Level.WARNING, "[" + settings.breaker() + " -> " + settings.scope() + "] " + e.getMessage());
            return Outcome.FAILED;
        }
        return done(since.get(), Outcome.DEGRADED, why + "; " + settings.scope() + " moved NORMAL -> ONE_WAY for "
                + settings.ttl() + ": confirm with gmgate mode set ONE_WAY or revert with gmgate mode set NORMAL");
    }

    private Outcome done(Instant episode, Outcome outcome, String detail) {
        handled = episode;
        LOG.log(System.Logger.Level.WARNING, "[" + settings.breaker() + " -> " + settings.scope() + "] " + outcome + ": " + detail);
        alerts.alert(settings, outcome, detail);
        return outcome;
    }

    public DegradationSettings settings() {
        return settings;
    }

    /**
     * Evaluates the rules every {@code interval} on a worker thread until closed. Evaluations of one
     * run do not overlap the next (ordered).
     */
    public static AutoCloseable every(Vertx vertx, Duration interval, List<DegradationRule> rules) {
        List<DegradationRule> all = List.copyOf(rules);
        long timer = vertx.setPeriodic(interval.toMillis(), t -> vertx.executeBlocking(() -> {
            all.forEach(DegradationRule::evaluate);
            return null;
        }, true));
        return () -> vertx.cancelTimer(timer);
    }
}
