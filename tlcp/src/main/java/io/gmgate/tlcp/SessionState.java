package io.gmgate.tlcp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * What resuming a TLCP session needs (GB/T 38636-2020 §6.4.4): its id, suite and master secret, and
 * the peer certificates the full handshake verified. A server's session is also bound to the
 * listener that created it and to the key record (device) that authenticated the peer, so it
 * cannot be resumed on another listener and is re-checked against that record each time (docs/security.md, "Certificate paths and the certificate gate"
 * item 1 and 7). A shared cache stores {@link #toBytesWithoutSecret} and the master secret apart, so
 * that it can seal the one and authenticate the other.
 *
 * @param listener  the listener that created the session; empty for clients and single-listener servers
 * @param keyRecord what {@link SessionBinding#bind} named as the peer's key record; empty without a client chain
 */
public record SessionState(byte[] id, CipherSuite suite, byte[] masterSecret, List<byte[]> peerCertificates,
                           Instant created, String listener, String keyRecord) {

    private static final int FORMAT = 3;

    public SessionState {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(keyRecord, "keyRecord");
        id = id.clone();
        masterSecret = masterSecret.clone();
        peerCertificates = peerCertificates.stream().map(byte[]::clone).toList();
        if (id.length < 1 || id.length > 32 || masterSecret.length != 48) {
            throw new IllegalArgumentException("session id of 1..32 bytes and a 48-byte master secret");
        }
    }

    /** A session bound to no listener and no key record (clients, tests). */
    public SessionState(byte[] id, CipherSuite suite, byte[] masterSecret, List<byte[]> peerCertificates, Instant created) {
        this(id, suite, masterSecret, peerCertificates, created, "", "");
    }

    /** This session bound to {@code listener} and {@code keyRecord}. */
    public SessionState boundTo(String listener, String keyRecord) {
        return new SessionState(id, suite, masterSecret, peerCertificates, created, listener, keyRecord);
    }

    @Override
    public byte[] id() {
        return id.clone();
    }

    @Override
    public byte[] masterSecret() {
        return masterSecret.clone();
    }

    public String idHex() {
        return HexFormat.of().formatHex(id);
    }

    /**
     * Everything but the master secret, for a shared cache that seals the secret alone and
     * authenticates these bytes with it; {@link #fromBytes} puts the two together again.
     */
    public byte[] toBytesWithoutSecret() {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(b);
            out.writeByte(FORMAT);
            out.writeByte(id.length);
            out.write(id);
            out.writeShort(suite.id);
            out.writeLong(created.toEpochMilli());
            out.writeByte(peerCertificates.size());
            for (byte[] c : peerCertificates) {
                out.writeInt(c.length);
                out.write(c);
            }
            out.writeUTF(listener);
            out.writeUTF(keyRecord);
            return b.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The session {@link #toBytesWithoutSecret} described, with its master secret. */
    public static SessionState fromBytes(byte[] withoutSecret, byte[] masterSecret) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(withoutSecret));
            if (in.readByte() != FORMAT) {
                throw new IllegalArgumentException("unknown session format");
            }
            byte[] id = in.readNBytes(in.readUnsignedByte());
            CipherSuite suite = CipherSuite.byId(in.readUnsignedShort())
                    .orElseThrow(() -> new IllegalArgumentException("unknown suite"));
            Instant created = Instant.ofEpochMilli(in.readLong());
            int n = in.readUnsignedByte();
            List<byte[]> certs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int len = in.readInt();
                if (len < 0 || len > 64 * 1024) {
                    throw new IllegalArgumentException("certificate of " + len + " bytes");
                }
                certs.add(in.readNBytes(len));
            }
            String listener = in.readUTF();
            String keyRecord = in.readUTF();
            if (in.available() > 0) {
                throw new IllegalArgumentException("trailing bytes after the session state");
            }
            return new SessionState(id, suite, masterSecret, certs, created, listener, keyRecord);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated session state", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionState s && Arrays.equals(s.id, id);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id);
    }

    @Override
    public String toString() {
        return "SessionState[" + idHex() + ", " + suite + ", listener=" + listener + ", keyRecord=" + keyRecord
                + ", master=[redacted]]";
    }
}
