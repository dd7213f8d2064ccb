package io.gmgate.app.wiring;

import java.util.Optional;

import io.gmgate.gateway.HandshakePolicy;
import io.gmgate.session.AccessMode;
import io.gmgate.session.ModeRegistry;
import io.gmgate.tlcp.ClientAuth;

/**
 * Design §5's table as a handshake policy: on the trading listener NORMAL demands two-way TLCP,
 * ONE_WAY accepts one-way (the trader logs in to the counter in-band), BYPASS keeps accepting GM
 * handshakes one-way (or refuses them, if so configured) while the plain listener is open. The
 * enrolment listener is always one-way.
 */
public final class ModeHandshakePolicy implements HandshakePolicy {

    private final ModeRegistry modes;
    private final String tradingListener;
    private final boolean refuseGmInBypass;

    public ModeHandshakePolicy(ModeRegistry modes, String tradingListener, boolean refuseGmInBypass) {
        this.modes = modes;
        this.tradingListener = tradingListener;
        this.refuseGmInBypass = refuseGmInBypass;
    }

    @Override
    public Optional<ClientAuth> clientAuth(String listener) {
        AccessMode mode = modes.effective(listener);
        if (!listener.equals(tradingListener)) {
            return mode == AccessMode.BYPASS && refuseGmInBypass ? Optional.empty() : Optional.of(ClientAuth.NONE);
        }
        return switch (mode) {
            case NORMAL -> Optional.of(ClientAuth.REQUIRED);
            case ONE_WAY -> Optional.of(ClientAuth.OPTIONAL);
            case BYPASS -> refuseGmInBypass ? Optional.empty() : Optional.of(ClientAuth.OPTIONAL);
        };
    }

    @Override
    public String accessMode(String listener) {
        return modes.effective(listener).name();
    }
}
