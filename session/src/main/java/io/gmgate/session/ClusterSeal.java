package io.gmgate.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.gmgate.crypto.GmRandom;
import io.gmgate.crypto.Sm4;
import io.gmgate.crypto.card.CipherCard;
import io.gmgate.crypto.card.KekId;
import io.gmgate.error.GmgateException;

/**
 * Seals what the cluster holds that grants access (a TLCP session's master secret, a login
 * session) so that a member that gets into the cluster learns and forges nothing: SM4-GCM under a
 * key the cipher card derives, per entry, with its internal KEK — MAC(KEK, label ‖ cluster ‖
 * purpose ‖ salt) — which never leaves the card. Every node of a site holds the same KEK (the
 * site's card), so any node opens what another sealed. The caller's associated data (the session id,
 * the map key) binds an entry to its place: moved under another key it does not open.
 *
 * <p>Format: 1 ‖ KEK index (4) ‖ KEK version (4) ‖ salt (16) ‖ nonce (12) ‖ ciphertext ‖ tag (16).
 */
public final class ClusterSeal {

    private static final byte FORMAT = 1;
    private static final int SALT = 16;
    private static final int NONCE = 12;
    private static final int HEADER = 1 + 4 + 4 + SALT + NONCE;
    private static final byte[] LABEL = "gmgate cluster seal v1".getBytes(StandardCharsets.US_ASCII);

    private final CipherCard card;
    private final int kekIndex;
    private final byte[] cluster;

    /** Seals under the card's current KEK at {@code kekIndex}, for the cluster named {@code clusterName}. */
    public ClusterSeal(CipherCard card, int kekIndex, String clusterName) {
        this.card = card;
        this.kekIndex = kekIndex;
        this.cluster = clusterName.getBytes(StandardCharsets.UTF_8);
    }

    public byte[] seal(String purpose, byte[] associated, byte[] plaintext) {
        KekId kek = card.currentKek(kekIndex);
        byte[] salt = GmRandom.bytes(SALT);
        byte[] nonce = GmRandom.bytes(NONCE);
        byte[] header = ByteBuffer.allocate(HEADER).put(FORMAT).putInt(kek.index()).putInt(kek.version()).put(salt)
                .put(nonce).array();
        byte[] key = key(kek, purpose, salt);
        try {
            byte[] sealed = Sm4.gcmEncrypt(key, nonce, concat(header, associated), plaintext);
            return concat(header, sealed);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Opens what {@link #seal} made for the same purpose and associated data; anything else —
     * written by a foreign member, altered, moved to another key, sealed under a KEK this card does
     * not hold — fails with MODE-330.
     */
    public byte[] open(String purpose, byte[] associated, byte[] sealed) {
        if (sealed.length < HEADER + Sm4.GCM_TAG_BYTES || sealed[0] != FORMAT) {
            throw broken(purpose, "not in the sealed format (" + sealed.length + " bytes)", null);
        }
        ByteBuffer in = ByteBuffer.wrap(sealed);
        in.get();
        int index = in.getInt();
        int version = in.getInt();
        if (index != kekIndex || version < 1) {
            throw broken(purpose, "sealed under kek-" + index + "v" + version + ", not a version of kek-" + kekIndex, null);
        }
        byte[] salt = new byte[SALT];
        byte[] nonce = new byte[NONCE];
        in.get(salt).get(nonce);
        byte[] header = Arrays.copyOf(sealed, HEADER);
        byte[] key = null;
        try {
            key = key(new KekId(index, version), purpose, salt);
            return Sm4.gcmDecrypt(key, nonce, concat(header, associated), Arrays.copyOfRange(sealed, HEADER, sealed.length));
        } catch (GmgateException | IllegalArgumentException e) {
            throw broken(purpose, e.getMessage(), e);
        } finally {
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    private byte[] key(KekId kek, String purpose, byte[] salt) {
        byte[] p = purpose.getBytes(StandardCharsets.US_ASCII);
        byte[] input = ByteBuffer.allocate(LABEL.length + 1 + cluster.length + 1 + p.length + 1 + salt.length)
                .put(LABEL).put((byte) 0).put(cluster).put((byte) 0).put(p).put((byte) 0).put(salt).array();
        byte[] mac = card.mac(kek, input);
        if (mac.length < Sm4.KEY_BYTES) {
            throw new SessionException(SessionErrors.SEAL_BROKEN, "[cluster] the card " + card.name() + " gives "
                    + mac.length + "-byte MACs, too short for an SM4 key");
        }
        byte[] key = Arrays.copyOf(mac, Sm4.KEY_BYTES);
        Arrays.fill(mac, (byte) 0);
        return key;
    }

    private SessionException broken(String purpose, String why, Throwable cause) {
        return new SessionException(SessionErrors.SEAL_BROKEN, "[cluster " + new String(cluster, StandardCharsets.UTF_8)
                + "] a sealed " + purpose + " did not open: " + why, cause);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
