package io.gmgate.cosign;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.gmgate.ca.CaErrors;
import io.gmgate.ca.CaException;
import io.gmgate.cosign.state.Tokens;

/** Renewal codes in this JVM's memory, valid for {@code life}. Replaced by ca-client's PostgreSQL store. */
public final class InProcessRenewals implements Renewals {

    private final Clock clock;
    private final Duration life;
    private final Map<String, Pending> byCode = new ConcurrentHashMap<>();

    public InProcessRenewals(Clock clock, Duration life) {
        this.clock = clock;
        this.life = life;
    }

    @Override
    public synchronized Pending start(String account, String device, long signKeyId, String oldSignSerial) {
        return pendingFor(account, oldSignSerial).orElseGet(() -> {
            Pending p = new Pending(Tokens.random(12), account, device, signKeyId, oldSignSerial, clock.instant(), null);
            byCode.put(p.code(), p);
            return p;
        });
    }

    @Override
    public Optional<Pending> pendingFor(String account, String oldSignSerial) {
        return byCode.values().stream().filter(p -> p.account().equals(account) && p.oldSignSerial().equals(oldSignSerial)
                && p.newSignSerial() == null && live(p)).findFirst();
    }

    @Override
    public Pending find(String account, String code) {
        Pending p = byCode.get(code);
        if (p == null || !p.account().equals(account) || !live(p)) {
            throw new CaException(CaErrors.UNKNOWN_RENEWAL_CODE, "renewal code is unknown, expired or of another account");
        }
        return p;
    }

    @Override
    public void complete(String code, String newSignSerial) {
        byCode.computeIfPresent(code, (c, p) -> new Pending(p.code(), p.account(), p.device(), p.signKeyId(), p.oldSignSerial(),
                p.startedAt(), newSignSerial));
    }

    private boolean live(Pending p) {
        return p.startedAt().plus(life).isAfter(clock.instant());
    }
}
