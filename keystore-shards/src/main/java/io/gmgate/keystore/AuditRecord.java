package io.gmgate.keystore;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.gmgate.crypto.card.KekId;

/**
 * One stored audit record: its place in the chain, its time, the event, and the card key and MAC that
 * link it to its predecessor. {@link #content()} is the canonical encoding the MAC covers.
 */
public record AuditRecord(long seq, Instant at, AuditEvent event, KekId kek, byte[] mac) {

    public AuditRecord {
        at = at.truncatedTo(ChronoUnit.MICROS); // what PostgreSQL's timestamptz keeps
        mac = mac == null ? null : mac.clone();
    }

    @Override
    public byte[] mac() {
        return mac == null ? null : mac.clone();
    }

    /** Length-prefixed fields after a domain label; absent values have their own marker. */
    public byte[] content() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF("gmgate audit record v1");
            out.writeLong(seq);
            out.writeLong(ChronoUnit.MICROS.between(Instant.EPOCH, at));
            text(out, event.actor());
            text(out, event.action());
            text(out, event.account());
            text(out, event.device());
            out.writeBoolean(event.keyId() != null);
            out.writeLong(event.keyId() == null ? 0 : event.keyId());
            out.writeBoolean(event.keyVersion() != null);
            out.writeInt(event.keyVersion() == null ? 0 : event.keyVersion());
            text(out, event.detail());
            blob(out, event.detailHash());
            out.writeInt(kek.index());
            out.writeInt(kek.version());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The MAC input: this record's content, then its predecessor's MAC (empty for the first record). */
    public byte[] chainInput(byte[] previousMac) {
        byte[] content = content();
        byte[] prev = previousMac == null ? new byte[0] : previousMac;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(content.length + prev.length + 8);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            blob(out, content);
            blob(out, prev);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        blob(out, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    private static void blob(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(b.length);
        out.write(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditRecord r && r.seq == seq && r.at.equals(at) && r.event.equals(event) && r.kek.equals(kek)
                && java.util.Arrays.equals(r.mac, mac);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + event.hashCode();
    }

    @Override
    public String toString() {
        return "AuditRecord[#" + seq + " " + at + " " + event + "]";
    }
}
