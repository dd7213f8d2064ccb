package io.gmgate.app.wiring;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.gmgate.crypto.card.CardHealth;
import io.gmgate.crypto.card.CipherCard;
import io.gmgate.gateway.HandshakePolicy;
import io.gmgate.tlcp.ClientAuth;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

/**
 * Seed 003 C.2 (密码卡故障): "shut the front that uses this card, so traffic moves to fronts with a
 * healthy card". Probes the node's card every {@code interval} on a worker thread; while the card is
 * down the GM listeners refuse new connections before any handshake (a resumed session would not
 * need the card, but the node must still stop taking terminals), so terminals fail over to other
 * nodes at once. The bypass listener needs no card and is left alone. Readiness asks the card itself.
 */
final class CardWatch implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CardWatch.class.getName());

    private final Vertx vertx;
    private final CipherCard card;
    private final AtomicBoolean up = new AtomicBoolean(true);
    private final AtomicBoolean probing = new AtomicBoolean();
    private final long timer;

    CardWatch(Vertx vertx, CipherCard card, Duration interval, MeterRegistry metrics) {
        this.vertx = vertx;
        this.card = card;
        metrics.gauge("gmgate_card_up", up, b -> b.get() ? 1 : 0);
        this.timer = vertx.setPeriodic(interval.toMillis(), id -> probe());
    }

    private void probe() {
        if (!probing.compareAndSet(false, true)) {
            return; // a slow card: one probe at a time
        }
        vertx.executeBlocking(card::health, false).onComplete(ar -> {
            probing.set(false);
            CardHealth h = ar.succeeded() ? ar.result() : CardHealth.down(card.name(), String.valueOf(ar.cause()), -1);
            if (up.getAndSet(h.healthy()) != h.healthy()) {
                LOG.log(h.healthy() ? System.Logger.Level.INFO : System.Logger.Level.WARNING, h.healthy()
                        ? "[card " + h.card() + "] healthy again: GM listeners accept terminals"
                        : "[card " + h.card() + "] DOWN (" + h.detail() + "): GM listeners refuse new terminals until it is back");
            }
        });
    }

    boolean up() {
        return up.get();
    }

    /** {@code inner}, except that every new GM connection is refused while the card is down. */
    HandshakePolicy gate(HandshakePolicy inner) {
        return new HandshakePolicy() {
            @Override
            public Optional<ClientAuth> clientAuth(String listener) {
                return up.get() ? inner.clientAuth(listener) : Optional.empty();
            }

            @Override
            public String accessMode(String listener) {
                return inner.accessMode(listener);
            }
        };
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}
