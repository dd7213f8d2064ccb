package io.gmgate.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.gmgate.ports.ReservedPort;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;

/** The fronts' up/down state as Resilience4j breakers: opened by a refusal, closed by a front that answers. */
class FrontPoolTest {

    private Vertx vertx;
    private ReservedPort deadPort;
    private NetServer alive;
    private TradingFront aliveFront;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        deadPort = ReservedPort.reserve(); // nobody listens until a test starts a server there
        alive = get(vertx.createNetServer().connectHandler(s -> { }).listen(0, "127.0.0.1"));
        aliveFront = new TradingFront("alive", "127.0.0.1", alive.actualPort());
    }

    @AfterEach
    void stop() throws Exception {
        get(vertx.close());
        deadPort.close();
    }

    private TradingFront dead() {
        return new TradingFront("dead", "127.0.0.1", deadPort.port());
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void aRefusingFrontOpensItsBreakerAndIsTriedOnlyAfterTheClosedOnes() throws Exception {
        try (FrontPool pool = new FrontPool(vertx, "t", List.of(dead(), aliveFront), Duration.ofSeconds(2), Duration.ofMinutes(10))) {
            assertEquals(2, pool.healthyFronts());
            for (int i = 0; i < 4; i++) {
                FrontPool.Connected c = get(pool.connect());
                assertEquals("alive", c.front().name(), "round-robin may pick the dead front first, then fails over");
                c.socket().close();
            }
            assertEquals(CircuitBreaker.State.OPEN, pool.breaker("dead").getState());
            assertEquals(CircuitBreaker.State.CLOSED, pool.breaker("alive").getState());
            assertEquals(1, pool.healthyFronts());
            assertEquals("t/dead", pool.breaker("dead").getName());
            long failedBefore = pool.breaker("dead").getMetrics().getNumberOfFailedCalls();
            for (int i = 0; i < 4; i++) {
                get(pool.connect()).socket().close();
            }
            assertEquals(failedBefore, pool.breaker("dead").getMetrics().getNumberOfFailedCalls(),
                    "with a closed front first, the open one is not dialled");
        }
    }

    @Test
    void whenEveryBreakerIsOpenTheFrontsAreStillTriedAndOneThatAnswersClosesIt() throws Exception {
        try (FrontPool pool = new FrontPool(vertx, "t", List.of(dead()), Duration.ofSeconds(2), Duration.ofMinutes(10))) {
            ExecutionException refused = assertThrows(ExecutionException.class, () -> get(pool.connect()));
            assertTrue(refused.getCause() instanceof GatewayException g && g.errorCode() == GatewayErrors.NO_HEALTHY_FRONT,
                    String.valueOf(refused.getCause()));
            assertEquals(CircuitBreaker.State.OPEN, pool.breaker("dead").getState());
            assertEquals(0, pool.healthyFronts());

            get(vertx.createNetServer().connectHandler(s -> { }).listen(deadPort.port(), "127.0.0.1"));
            FrontPool.Connected c = get(pool.connect()); // no probe runs: the last-resort try reaches it
            assertEquals("dead", c.front().name());
            assertEquals(CircuitBreaker.State.CLOSED, pool.breaker("dead").getState());
            assertEquals(1, pool.healthyFronts());
        }
    }

    @Test
    void theProbeOpensTheBreakerOfAFrontThatGoesAwayAndClosesItWhenItIsBack() throws Exception {
        NetServer front = get(vertx.createNetServer().connectHandler(s -> { }).listen(deadPort.port(), "127.0.0.1"));
        try (FrontPool pool = new FrontPool(vertx, "t", List.of(dead()), Duration.ofSeconds(2), Duration.ofMillis(50)).start()) {
            get(front.close());
            await().atMost(Duration.ofSeconds(15)).until(() -> pool.breaker("dead").getState() == CircuitBreaker.State.OPEN);
            assertEquals(0, pool.healthyFronts());
            get(vertx.createNetServer().connectHandler(s -> { }).listen(deadPort.port(), "127.0.0.1"));
            await().atMost(Duration.ofSeconds(15)).until(() -> pool.healthyFronts() == 1);
            assertEquals(CircuitBreaker.State.CLOSED, pool.breaker("dead").getState());
        }
    }
}
