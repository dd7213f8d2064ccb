package io.gmgate.sdk.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.error.GmgateException;
import io.gmgate.policy.AccessPolicy;
import io.gmgate.policy.Endpoint;
import io.gmgate.policy.SignedPolicy;
import io.gmgate.sdk.LocalStore;

/** The terminal's policy is judged at every use, re-read when its file changes, and never goes below the serial floor. */
class LivePolicyTest {

    private static final Sm2PrivateKey FIRM = Sm2PrivateKey.generate();
    private static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");
    private static final Duration SKEW = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    /** A clock the test moves: the only way to see a policy expire under a running terminal without waiting hours. */
    private static final class Hands extends Clock {
        private Instant now = NOW;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static byte[] signed(long serial, AccessPolicy.Mode mode, Duration life) {
        return SignedPolicy.sign(new AccessPolicy(serial, NOW.minusSeconds(60), NOW.plus(life), mode,
                List.of(new Endpoint("sh", "gw.example.cn", 8090)), List.of(new Endpoint("sh", "gw" + serial + ".example.cn", 9000)),
                List.of(new Endpoint("sh", "bypass.example.cn", 9001))), Sm2SignKey.of(FIRM));
    }

    @Test
    void anExpiredDowngradeIsNoLongerInForceWithoutAnySkewAllowance() throws Exception {
        Hands clock = new Hands();
        Path file = Files.write(dir.resolve("access.policy"), signed(1, AccessPolicy.Mode.BYPASS, Duration.ofHours(2)));
        LivePolicy live = new LivePolicy(LocalStore.open(dir.resolve("store")), FIRM.publicKey(), Optional.of(file), clock, SKEW);
        assertEquals(AccessPolicy.Mode.BYPASS, live.inForce().orElseThrow().mode());
        clock.now = NOW.plus(Duration.ofHours(2)).plusSeconds(1);
        assertTrue(live.inForce().isEmpty(), "one second after notAfter a BYPASS policy decides nothing: NORMAL");
        assertEquals(1, live.held().orElseThrow().serial(), "its endpoints are still the firm's latest word");
    }

    @Test
    void aNormalPolicyKeepsTheSkewAllowance() {
        AccessPolicy normal = new AccessPolicy(1, NOW.minusSeconds(60), NOW, AccessPolicy.Mode.NORMAL, List.of(), List.of(), List.of());
        assertTrue(normal.inForceAt(NOW.plusSeconds(60), SKEW));
        AccessPolicy bypass = new AccessPolicy(1, NOW.minusSeconds(60), NOW, AccessPolicy.Mode.BYPASS, List.of(), List.of(), List.of());
        assertFalse(bypass.inForceAt(NOW.plusSeconds(60), SKEW));
        assertFalse(bypass.inForceAt(NOW, SKEW), "notAfter itself is outside");
    }

    @Test
    void aChangedFileIsPickedUpAndAnOlderOneRefusedKeepingTheHeldPolicy() throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        Path file = Files.write(dir.resolve("access.policy"), signed(2, AccessPolicy.Mode.NORMAL, Duration.ofHours(24)));
        LivePolicy live = new LivePolicy(LocalStore.open(dir.resolve("store")), FIRM.publicKey(), Optional.of(file), clock, SKEW);
        assertEquals(2, live.inForce().orElseThrow().serial());
        Files.write(file, signed(3, AccessPolicy.Mode.ONE_WAY, Duration.ofHours(2)));
        assertEquals(AccessPolicy.Mode.ONE_WAY, live.inForce().orElseThrow().mode(), "read again at the next use, no restart");
        Files.write(file, signed(1, AccessPolicy.Mode.BYPASS, Duration.ofHours(2)));
        assertEquals(3, live.inForce().orElseThrow().serial(), "the replayed #1 does not replace #3");
        assertEquals("MODE-401", live.lastRefusal().orElseThrow().errorCode().code());
    }

    @Test
    void theSerialFloorOutlivesTheProcessAndNeedsNoDeviceRecord() throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        Path storeDir = dir.resolve("store");
        TerminalPolicy.accept(LocalStore.open(storeDir), FIRM.publicKey(), signed(7, AccessPolicy.Mode.NORMAL, Duration.ofHours(24)),
                clock, SKEW);
        Path floor = storeDir.resolve(PolicySerialFloor.FILE);
        assertEquals("7", Files.readString(floor).trim());
        if (Files.getFileAttributeView(floor, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(floor)));
        }
        // a new process on the same (still unenrolled) store is offered a captured BYPASS #6
        GmgateException replay = assertThrows(GmgateException.class, () -> TerminalPolicy.accept(LocalStore.open(storeDir),
                FIRM.publicKey(), signed(6, AccessPolicy.Mode.BYPASS, Duration.ofHours(2)), clock, SKEW));
        assertEquals("MODE-401", replay.errorCode().code());
        assertTrue(replay.getMessage().contains("older than #7"), replay.getMessage());
        assertEquals("7", Files.readString(floor).trim(), "a refused policy never lowers the floor");
    }
}
