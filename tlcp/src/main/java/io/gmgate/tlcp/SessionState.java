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

/**
 * What resuming a TLCP session needs (GB/T 38636-2020 §6.4.4): its id, suite and master secret, and
 * the peer certificates the full handshake verified. {@link #toBytes} is the form a shared cache
 * stores; it holds the master secret, so the cache must be as protected as the nodes.
 */
public record SessionState(byte[] id, CipherSuite suite, byte[] masterSecret, List<byte[]> peerCertificates,
                           Instant created) {

    public SessionState {
        id = id.clone();
        masterSecret = masterSecret.clone();
        peerCertificates = peerCertificates.stream().map(byte[]::clone).toList();
        if (id.length < 1 || id.length > 32 || masterSecret.length != 48) {
            throw new IllegalArgumentException("session id of 1..32 bytes and a 48-byte master secret");
        }
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

    public byte[] toBytes() {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(b);
            out.writeByte(1);
            out.writeByte(id.length);
            out.write(id);
            out.writeShort(suite.id);
            out.write(masterSecret);
            out.writeLong(created.toEpochMilli());
            out.writeByte(peerCertificates.size());
            for (byte[] c : peerCertificates) {
                out.writeInt(c.length);
                out.write(c);
            }
            return b.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SessionState fromBytes(byte[] stored) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored));
            if (in.readByte() != 1) {
                throw new IllegalArgumentException("unknown session format");
            }
            byte[] id = in.readNBytes(in.readUnsignedByte());
            CipherSuite suite = CipherSuite.byId(in.readUnsignedShort())
                    .orElseThrow(() -> new IllegalArgumentException("unknown suite"));
            byte[] master = in.readNBytes(48);
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
            return new SessionState(id, suite, master, certs, created);
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
        return "SessionState[" + idHex() + ", " + suite + ", master=[redacted]]";
    }
}
