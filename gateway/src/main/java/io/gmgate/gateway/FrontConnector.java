package io.gmgate.gateway;

import java.util.UUID;

import io.gmgate.proxy.ProxyV2Header;
import io.gmgate.proxy.VerifiedPeer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * The last step every listener shares: connect to a front, write the PROXY v2 header that carries
 * the verified identity, then relay. The terminal side is any pair of streams — a plain socket on
 * the bypass path, the decrypted side of a TLCP or TLS 1.3 engine on the GM paths.
 */
public final class FrontConnector {

    private final FrontPool fronts;
    private final ConnectionObserver observer;
    private final boolean proxyHeader;
    private final LoginPhases phases;

    public FrontConnector(FrontPool fronts, ConnectionObserver observer) {
        this(fronts, observer, true);
    }

    /**
     * @param proxyHeader whether the fronts expect the PROXY v2 header (trading fronts and cosign
     *                    nodes do: it is how a cosign node learns the terminal's address)
     */
    public FrontConnector(FrontPool fronts, ConnectionObserver observer, boolean proxyHeader) {
        this(fronts, observer, proxyHeader, LoginPhases.NONE);
    }

    /** As above, timing each front connection and its PROXY header as the login phase {@code front_connect}. */
    public FrontConnector(FrontPool fronts, ConnectionObserver observer, boolean proxyHeader, LoginPhases phases) {
        this.phases = phases;
        this.fronts = fronts;
        this.observer = observer;
        this.proxyHeader = proxyHeader;
    }

    /**
     * Relays until either side ends. The terminal's input must be paused by the caller until now,
     * so no byte arrives before the header. {@code closeTerminal} runs once when the relay ends.
     */
    public Future<Relay> relay(VerifiedPeer peer, ReadStream<Buffer> terminalIn, WriteStream<Buffer> terminalOut,
                               Runnable closeTerminal) {
        return relay(UUID.randomUUID().toString(), peer, terminalIn, terminalOut, closeTerminal);
    }

    /** As above, under the caller's connection id (the one the admin API disconnects by). */
    public Future<Relay> relay(String id, VerifiedPeer peer, ReadStream<Buffer> terminalIn, WriteStream<Buffer> terminalOut,
                               Runnable closeTerminal) {
        long asked = LoginPhases.now();
        return fronts.connect().map(connected -> {
            connected.socket().pause();
            if (proxyHeader) {
                connected.socket().write(Buffer.buffer(ProxyV2Header.of(peer).encode()));
            }
            phases.since(LoginPhases.FRONT_CONNECT, asked);
            observer.opened(id, peer, connected.front());
            Relay[] holder = new Relay[1];
            holder[0] = Relay.splice(terminalIn, terminalOut, connected.socket(), connected.socket(), () -> {
                connected.socket().close();
                closeTerminal.run();
                observer.closed(id, peer, holder[0] == null ? 0 : holder[0].bytesUp(), holder[0] == null ? 0 : holder[0].bytesDown());
            });
            observer.relaying(id, holder[0]);
            return holder[0];
        });
    }

    public FrontPool fronts() {
        return fronts;
    }
}
