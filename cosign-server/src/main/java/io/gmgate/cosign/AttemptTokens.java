package io.gmgate.cosign;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.Sm3;
import io.gmgate.crypto.card.CipherCard;

/**
 * Signing-attempt tokens (docs/cosign-api.md §4): what the server must remember of a co-signing round
 * to check its confirmation later — key, key version, session, time, the counted PIN try it belongs to,
 * the digest e and the r the server itself computed from its own nonce commitment R — carried by the
 * client instead of stored, under an HMAC-SM3 tag. Any node can check a token made by any other, since
 * the tag key is derived from the cipher card every node shares.
 *
 * <p>The r is what binds a confirmation to this round (design §11): SM2 over a digest the client
 * chooses is existentially forgeable from P alone, but a valid signature on e whose r is the server's
 * r = e + x_R, with R = [k3]Q1 + [k2]G from the server's fresh k2, k3, can only come from d1.
 *
 * <p>Layout (125 bytes, 167 base64url characters): version 2 ‖ keyId (8) ‖ keyVersion (4) ‖
 * SM3(sessionId)[0..16) ‖ issuedAt epoch seconds (8) ‖ PIN attempt id (8) ‖ e (32) ‖ r (32) ‖ tag (16).
 * Version 1 tokens (no r) are refused.
 */
public final class AttemptTokens {

    private static final byte VERSION = 2;
    private static final int BODY = 1 + 8 + 4 + 16 + 8 + 8 + 32 + 32;
    private static final int TAG = 16;
    private static final byte[] LABEL = "gmgate cosign attempt-token key v1".getBytes(StandardCharsets.US_ASCII);

    /**
     * A checked token: which key, counted PIN try, digest and server r the attempt was for, and a stable
     * id for single use.
     */
    public record Attempt(long keyId, int keyVersion, Instant issuedAt, long pinAttempt, BigInteger e, BigInteger r, String id) {
    }

    private final byte[] key;
    private final Clock clock;
    private final Duration life;

    public AttemptTokens(byte[] key, Clock clock, Duration life) {
        if (key.length < 16) {
            throw new IllegalArgumentException("attempt-token key must be at least 16 bytes");
        }
        this.key = key.clone();
        this.clock = clock;
        this.life = life;
    }

    /** The tag key is a MAC made in the card over a fixed label: the same on every node sharing the card. */
    public static AttemptTokens fromCard(CipherCard card, int kekIndex, Clock clock, Duration life) {
        byte[] k = card.mac(card.currentKek(kekIndex), LABEL);
        try {
            return new AttemptTokens(k, clock, life);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    public Duration life() {
        return life;
    }

    /** A token for the round that counted PIN try {@code pinAttempt} and answered with {@code r}. */
    public String issue(long keyId, int keyVersion, String sessionId, long pinAttempt, BigInteger e, BigInteger r) {
        ByteBuffer b = ByteBuffer.allocate(BODY + TAG);
        b.put(VERSION).putLong(keyId).putInt(keyVersion).put(sessionTag(sessionId))
                .putLong(clock.instant().getEpochSecond()).putLong(pinAttempt)
                .put(Sm2Curve.encodeScalar(e.mod(BigInteger.ONE.shiftLeft(256)))).put(Sm2Curve.encodeScalar(r));
        byte[] out = b.array();
        System.arraycopy(tag(out), 0, out, BODY, TAG);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    /** Checks the tag, session and age; {@link CosignErrors#CONFIRMATION_INVALID} otherwise. */
    public Attempt check(String token, String sessionId) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw invalid("is not base64url");
        }
        if (raw.length != BODY + TAG || raw[0] != VERSION) {
            throw invalid("has the wrong length or version");
        }
        if (!MessageDigest.isEqual(tag(raw), Arrays.copyOfRange(raw, BODY, BODY + TAG))) {
            throw invalid("was not issued by this service");
        }
        ByteBuffer b = ByteBuffer.wrap(raw, 1, BODY - 1);
        long keyId = b.getLong();
        int keyVersion = b.getInt();
        byte[] session = new byte[16];
        b.get(session);
        Instant issued = Instant.ofEpochSecond(b.getLong());
        long pinAttempt = b.getLong();
        byte[] e = new byte[32];
        b.get(e);
        byte[] r = new byte[32];
        b.get(r);
        if (!MessageDigest.isEqual(session, sessionTag(sessionId))) {
            throw invalid("belongs to another session");
        }
        if (clock.instant().isAfter(issued.plus(life))) {
            throw invalid("expired (older than " + life.toMinutes() + " minutes)");
        }
        return new Attempt(keyId, keyVersion, issued, pinAttempt, new BigInteger(1, e), new BigInteger(1, r),
                HexFormat.of().formatHex(raw, BODY, BODY + TAG));
    }

    private byte[] tag(byte[] body) {
        return Arrays.copyOf(Sm3.hmac(key, Arrays.copyOf(body, BODY)), TAG);
    }

    private static byte[] sessionTag(String sessionId) {
        return Arrays.copyOf(Sm3.digest(sessionId.getBytes(StandardCharsets.UTF_8)), 16);
    }

    private static CosignException invalid(String why) {
        return new CosignException(CosignErrors.CONFIRMATION_INVALID, "attempt token " + why);
    }

    @Override
    public String toString() {
        return "AttemptTokens[life=" + life + ", key=[redacted]]";
    }
}
