package io.gmgate.agent;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.gmgate.error.GmgateException;

/** The last failure per hop, as {@code /status} shows it: when, on which listener, code, cause, action. */
final class AgentStatus {

    record Failure(Instant at, String listener, String code, String message, String action) {
    }

    private final Clock clock;
    private final Map<Hop, Failure> last = new ConcurrentHashMap<>();

    AgentStatus(Clock clock) {
        this.clock = clock;
    }

    Failure failed(Hop hop, String listener, GmgateException e) {
        Failure f = new Failure(clock.instant(), listener, e.errorCode().code(), e.getMessage(), e.errorCode().action());
        last.put(hop, f);
        return f;
    }

    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Hop h : Hop.values()) {
            Failure f = last.get(h);
            if (f != null) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("at", f.at().toString());
                e.put("listener", f.listener());
                e.put("code", f.code());
                e.put("message", f.message());
                e.put("action", f.action());
                m.put(h.key(), e);
            }
        }
        return m;
    }
}
