package io.gmgate.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;

class NodeVertxTest {

    @Test
    void onLinuxX8664TheNodesRunOnEpoll() throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
                "the bundled native transport is for Linux x86-64 only");
        Vertx vertx = Vertx.vertx(NodeVertx.options());
        try {
            assertTrue(vertx.isNativeTransportEnabled(), () -> "epoll unavailable: " + vertx.unavailableNativeTransportCause());
            assertEquals("epoll", NodeVertx.transport(vertx));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anSreCanKeepNio() throws Exception {
        String before = System.getProperty(NodeVertx.NATIVE_TRANSPORT);
        System.setProperty(NodeVertx.NATIVE_TRANSPORT, "false");
        try {
            assertFalse(NodeVertx.options().getPreferNativeTransport());
            Vertx vertx = Vertx.vertx(NodeVertx.options());
            try {
                assertFalse(vertx.isNativeTransportEnabled());
                assertEquals("nio (gmgate.nativeTransport=false)", NodeVertx.transport(vertx));
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        } finally {
            if (before == null) {
                System.clearProperty(NodeVertx.NATIVE_TRANSPORT);
            } else {
                System.setProperty(NodeVertx.NATIVE_TRANSPORT, before);
            }
        }
    }
}
