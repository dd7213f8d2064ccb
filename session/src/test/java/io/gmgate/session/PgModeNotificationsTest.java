package io.gmgate.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.gmgate.testkit.PgSchema;

/** The mode listener's thread on a real PostgreSQL. */
class PgModeNotificationsTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @Test
    void closeReturnsOnlyOnceTheListenerHasGivenItsConnectionBack() {
        AtomicInteger nudges = new AtomicInteger();
        String name = "close-" + System.nanoTime();
        PgModeNotifications n = new PgModeNotifications(PG.dataSource(), nudges::incrementAndGet, Duration.ofSeconds(1), name)
                .start();
        await().atMost(Duration.ofSeconds(20)).until(() -> nudges.get() > 0); // listening: it nudged once on LISTEN

        n.close();

        // else the pool or the database closed next cuts its UNLISTEN off (a broken-connection warning at every shutdown)
        assertEquals(List.of(), Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).filter(t -> t.equals("gmgate-mode-listen-" + name)).toList());
    }
}
