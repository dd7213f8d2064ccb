package io.gmgate.app.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.gateway.GatewayException;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.policy.Endpoint;
import io.gmgate.policy.AccessPolicy;
import io.gmgate.policy.AccessPolicyVerifier;
import io.gmgate.policy.Rollout;
import io.gmgate.policy.SignedPolicy;
import io.gmgate.session.PgPolicyStore;
import io.gmgate.testkit.PgSchema;

/**
 * The console's "sign and publish the next access policy" (docs/console.md): each missing custodian step is
 * named with ADMIN-304 and nothing is published; with the steps done, the next serial carries the new
 * mode, the endpoints of the last one, and a downgrade's validity no longer than its time-to-live.
 */
class ConsolePolicyTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();
    @TempDir
    Path dir;
    private SoftCipherCard card;
    private ConsolePolicy policy;
    private final Clock clock = Clock.systemUTC();

    @BeforeAll
    static void schema() {
        KeystoreSchema.migrate(PG.dataSource());
    }

    @BeforeEach
    void start() throws Exception {
        try (var c = PG.dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("DELETE FROM gm_access_policies"); // each case starts before the first policy
        }
        card = SoftCipherCard.init(dir.resolve("card.gmc"), "console policy test".toCharArray());
        policy = new ConsolePolicy("gw-1", PG.dataSource(), card, clock);
    }

    @AfterEach
    void stop() {
        card.close();
    }

    @Test
    void eachMissingCustodianStepIsNamedAndNothingIsPublished() {
        GatewayException noKey = assertThrows(GatewayException.class, () -> policy.publish("BYPASS", Optional.empty(), "admin:alice"));
        assertEquals("ADMIN-304", noKey.errorCode().code());
        assertTrue(noKey.getMessage().contains("gmgate policy key"), noKey.getMessage());

        card.generateSm2Key(ConsolePolicy.POLICY_KEY);
        GatewayException noFirst = assertThrows(GatewayException.class, () -> policy.publish("BYPASS", Optional.empty(), "admin:alice"));
        assertTrue(noFirst.getMessage().contains("gmgate policy sign"), noFirst.getMessage());

        publishFirst(List.of());
        GatewayException noEmergency = assertThrows(GatewayException.class,
                () -> policy.publish("BYPASS", Optional.of(Duration.ofMinutes(30)), "admin:alice"));
        assertTrue(noEmergency.getMessage().contains("emergency"), noEmergency.getMessage());
        assertEquals(1, newest().serial(), "nothing was published");
    }

    @Test
    void theNextPolicyCarriesTheModeAndLapsesWithItsTimeToLive() {
        card.generateSm2Key(ConsolePolicy.POLICY_KEY);
        publishFirst(List.of(new Endpoint("sh", "127.0.0.1", 9001)));
        Map<String, Object> out = policy.publish("BYPASS", Optional.of(Duration.ofMinutes(30)), "admin:alice");
        assertEquals(true, out.get("published"));
        AccessPolicy p = newest();
        assertEquals(2, p.serial());
        assertEquals(AccessPolicy.Mode.BYPASS, p.mode());
        assertEquals(List.of(new Endpoint("sh", "127.0.0.1", 9001)), p.emergency());
        assertTrue(!p.notAfter().isAfter(Instant.now().plus(Duration.ofMinutes(31))), "valid no longer than the TTL: " + p.notAfter());

        policy.publish("NORMAL", Optional.of(Duration.ofMinutes(30)), "admin:alice");
        assertEquals(AccessPolicy.Mode.NORMAL, newest().mode());
        assertEquals(3, newest().serial());
    }

    private void publishFirst(List<Endpoint> emergency) {
        Instant now = clock.instant();
        AccessPolicy first = new AccessPolicy(1, now, now.plus(Duration.ofHours(24)), AccessPolicy.Mode.NORMAL,
                List.of(new Endpoint("sh", "127.0.0.1", 8090)), List.of(new Endpoint("sh", "127.0.0.1", 9000)), emergency,
                Rollout.EVERYONE);
        new PgPolicyStore(PG.dataSource()).publish(1, SignedPolicy.sign(first, Sm2SignKey.onCard(card, ConsolePolicy.POLICY_KEY)), "test");
    }

    /** What a terminal holding the policy key accepts now. */
    private AccessPolicy newest() {
        return new AccessPolicyVerifier(card.sm2PublicKey(ConsolePolicy.POLICY_KEY), clock, Duration.ofMinutes(5), Optional.empty())
                .accept(new PgPolicyStore(PG.dataSource()).newest().orElseThrow());
    }
}
