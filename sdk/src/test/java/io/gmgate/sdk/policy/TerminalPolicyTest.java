package io.gmgate.sdk.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.GmRandom;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.error.GmgateException;
import io.gmgate.policy.AccessPolicy;
import io.gmgate.policy.Endpoint;
import io.gmgate.policy.SignedPolicy;
import io.gmgate.sdk.DeviceRecord;
import io.gmgate.sdk.LocalStore;

/** The last accepted policy survives in the device store, so a replay is refused after a restart as well. */
class TerminalPolicyTest {

    private static final Sm2PrivateKey FIRM = Sm2PrivateKey.generate();
    private static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static byte[] signed(long serial, AccessPolicy.Mode mode, Sm2PrivateKey key) {
        return SignedPolicy.sign(new AccessPolicy(serial, NOW.minusSeconds(60), NOW.plus(Duration.ofHours(4)), mode,
                List.of(new Endpoint("sh", "gw" + serial + ".example.cn", 8090)), List.of(new Endpoint("sh", "gw" + serial
                        + ".example.cn", 9000)), List.of()), Sm2SignKey.of(key));
    }

    @Test
    void theStoreRemembersTheLastPolicySoAnOldOneIsRefusedLater() {
        LocalStore store = LocalStore.open(dir);
        store.save(DeviceRecord.fresh("8001234", "desk-1", GmRandom.bytes(16), 10_000));
        byte[] second = signed(2, AccessPolicy.Mode.NORMAL, FIRM);
        AccessPolicy p = TerminalPolicy.accept(store, FIRM.publicKey(), second, CLOCK, Duration.ofMinutes(5));
        assertEquals("gw2.example.cn", p.trading().get(0).host());
        assertArrayEquals(second, store.load().orElseThrow().accessPolicy().orElseThrow());

        // a later run, same store: the older BYPASS policy #1 is a replay
        GmgateException replay = assertThrows(GmgateException.class, () -> TerminalPolicy.accept(LocalStore.open(dir),
                FIRM.publicKey(), signed(1, AccessPolicy.Mode.BYPASS, FIRM), CLOCK, Duration.ofMinutes(5)));
        assertEquals("MODE-401", replay.errorCode().code());
        assertTrue(replay.getMessage().contains("older than the accepted #2"), replay.getMessage());

        GmgateException forged = assertThrows(GmgateException.class, () -> TerminalPolicy.accept(store, FIRM.publicKey(),
                signed(3, AccessPolicy.Mode.BYPASS, Sm2PrivateKey.generate()), CLOCK, Duration.ofMinutes(5)));
        assertEquals("MODE-400", forged.errorCode().code());
        assertArrayEquals(second, store.load().orElseThrow().accessPolicy().orElseThrow(), "a refused policy is not kept");
    }

    @Test
    void withoutADeviceRecordThePolicyIsCheckedButNotKept() {
        LocalStore store = LocalStore.open(dir.resolve("empty"));
        AccessPolicy p = TerminalPolicy.accept(store, FIRM.publicKey(), signed(5, AccessPolicy.Mode.ONE_WAY, FIRM), CLOCK,
                Duration.ofMinutes(5));
        assertEquals(AccessPolicy.Mode.ONE_WAY, p.mode());
        assertTrue(store.load().isEmpty());
    }
}
