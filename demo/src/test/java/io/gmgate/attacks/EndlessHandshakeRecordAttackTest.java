package io.gmgate.attacks;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.app.demo.DemoSite;
import io.micrometer.core.instrument.Counter;

/**
 * The trading listener holds a handshake's bytes on its event loop until they end where a record ends,
 * so a flight read in pieces goes to a worker once (SecureChannel, WholeRecords). An attacker on :9000
 * sends largest-size records in pieces that never end at a record boundary, hoping the gateway keeps
 * every byte until the handshake timeout (20 s), connection after connection. Once more than one largest
 * record is held, the bytes go to the engine, which refuses them at once (TLS-105, record_overflow).
 */
class EndlessHandshakeRecordAttackTest {

    /** A TLCP handshake record header claiming the largest body a record may have (2^14 + 2,048). */
    private static final byte[] LARGEST_RECORD_HEADER = {22, 1, 1, 0x48, 0x00};
    private static final int RECORD = LARGEST_RECORD_HEADER.length + 0x4800;
    /** 1,000 is no divisor of RECORD: no piece of the first three records ends at a boundary. */
    private static final int PIECE = 1000;

    private static DemoSite site;

    @BeforeAll
    static void start() throws Exception {
        site = new DemoSite();
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    private static double handshakes(String result) {
        return site.node().metrics().find("gmgate.handshakes").tag("listener", "trading").tag("result", result).counters()
                .stream().mapToDouble(Counter::count).sum();
    }

    @Test
    void recordsThatNeverEndAreRefusedNotHeldUntilTheHandshakeTimeout() throws Exception {
        double refusedBefore = handshakes("TLS-105");
        double timeoutsBefore = handshakes("timeout");
        byte[] stream = new byte[3 * RECORD + 100]; // and the start of a fourth: the whole never ends at a boundary
        Arrays.fill(stream, (byte) 0xFF);
        for (int at = 0; at + LARGEST_RECORD_HEADER.length <= stream.length; at += RECORD) {
            System.arraycopy(LARGEST_RECORD_HEADER, 0, stream, at, LARGEST_RECORD_HEADER.length);
        }
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), site.tradingPort())) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(15_000); // under the handshake timeout: a gateway still holding the bytes fails here
            OutputStream out = s.getOutputStream();
            try {
                for (int at = 0; at < stream.length; at += PIECE) {
                    out.write(stream, at, Math.min(PIECE, stream.length - at));
                    out.flush();
                }
            } catch (IOException closedByTheGateway) {
                // refused while the rest was still being sent: what the test wants
            }
            readToTheEnd(s.getInputStream());
        }
        // a largest-size record holds more plaintext than a record may (2^14): record_overflow
        await("the refusal is counted").atMost(Duration.ofSeconds(10)).until(() -> handshakes("TLS-105") > refusedBefore);
        assertEquals(timeoutsBefore, handshakes("timeout"), "refused with a code, not left to the handshake timeout");
    }

    /** Reads until the gateway closes (an alert first, or a reset); a read timeout means it kept the connection. */
    private static void readToTheEnd(InputStream in) {
        byte[] buffer = new byte[4096];
        try {
            while (in.read(buffer) >= 0) {
                // the alert, if any
            }
        } catch (SocketTimeoutException held) {
            fail("the gateway kept the connection with the bytes for 15 s instead of refusing them");
        } catch (IOException reset) {
            // closed with a reset: the unread rest of the flood was still in its buffer
        }
    }
}
