package io.gmgate.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ObservedTransportTest {

    private final List<String> calls = new ArrayList<>();
    private final List<String> phases = new ArrayList<>();
    private final MiniHttp.Response answer = new MiniHttp.Response(200, java.util.Map.of(), new byte[0]);

    private final CosignTransport wire = new CosignTransport() {
        @Override
        public MiniHttp.Response post(String path, byte[] json) {
            calls.add("post " + path);
            return answer;
        }

        @Override
        public Pending send(String path, byte[] json) {
            calls.add("send " + path);
            return () -> {
                calls.add("answer " + path);
                return answer;
            };
        }
    };

    private final ObservedTransport observed = new ObservedTransport(wire,
            (phase, nanos, ok) -> phases.add(phase.tag() + (ok ? "" : " failed")));

    @Test
    void aSendStaysASendAndIsTimedWhenItsAnswerIsRead() throws IOException {
        CosignTransport.Pending pending = observed.send("/v1/sign/confirm", new byte[0]);
        assertEquals(List.of("send /v1/sign/confirm"), calls, "the request left without waiting for its answer");
        assertEquals(List.of(), phases);

        assertSame(answer, pending.answer());
        assertEquals(List.of("send /v1/sign/confirm", "answer /v1/sign/confirm"), calls);
        assertEquals(List.of("cosign_pipelined"), phases);
    }

    @Test
    void aPostIsOneTimedRoundTrip() throws IOException {
        assertSame(answer, observed.post("/v1/sign", new byte[0]));
        assertEquals(List.of("post /v1/sign"), calls);
        assertEquals(List.of("cosign_round_trip"), phases);
    }

    @Test
    void aFailedAnswerIsReportedAsFailed() throws IOException {
        ObservedTransport broken = new ObservedTransport(new CosignTransport() {
            @Override
            public MiniHttp.Response post(String path, byte[] json) throws IOException {
                throw new IOException("gone");
            }

            @Override
            public Pending send(String path, byte[] json) {
                return () -> {
                    throw new IOException("gone");
                };
            }
        }, (phase, nanos, ok) -> phases.add(phase.tag() + (ok ? "" : " failed")));

        CosignTransport.Pending pending = broken.send("/v1/sign/confirm", new byte[0]);
        assertThrows(IOException.class, pending::answer);
        assertThrows(IOException.class, () -> broken.post("/v1/sign", new byte[0]));
        assertEquals(List.of("cosign_pipelined failed", "cosign_round_trip failed"), phases);
    }
}
