package io.gmgate.policy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;


/**
 * What a terminal may be told about where and how to connect (design §5): endpoints per site for
 * enrolment (:8090) and trading (:9000), the emergency (bypass) addresses, the access mode, and a
 * validity window with a serial that only goes up, and — during a gradual rollout — which accounts
 * must already use GM (the others may use the emergency addresses as their plain path). Signed by the firm's policy key; terminals
 * accept a weaker mode only from a fresh, valid policy (the SDK's {@code AccessPolicyVerifier}).
 */
public record AccessPolicy(long serial, Instant issuedAt, Instant notAfter, Mode mode, List<Endpoint> enrolment,
                           List<Endpoint> trading, List<Endpoint> emergency, Rollout rollout) {

    /** The access modes of design §5, strongest first. */
    public enum Mode { NORMAL, ONE_WAY, BYPASS }

    private static final int MAGIC = 0x474D4750; // "GMGP"
    private static final int VERSION = 2; // 2 added the rollout; 1 still decodes, as everyone on GM

    public AccessPolicy {
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(rollout, "rollout");
        enrolment = List.copyOf(enrolment);
        trading = List.copyOf(trading);
        emergency = List.copyOf(emergency);
        if (!notAfter.isAfter(issuedAt)) {
            throw new IllegalArgumentException("policy must be valid for some time after it is issued");
        }
    }

    /** A policy with everyone on GM. */
    public AccessPolicy(long serial, Instant issuedAt, Instant notAfter, Mode mode, List<Endpoint> enrolment,
                        List<Endpoint> trading, List<Endpoint> emergency) {
        this(serial, issuedAt, notAfter, mode, enrolment, trading, emergency, Rollout.EVERYONE);
    }

    /**
     * True while this policy may decide a terminal's paths at {@code now}. A NORMAL policy gets the
     * clock-skew allowance on both ends; a policy that allows anything weaker than two-way GM gets it
     * only before it starts, never after {@code notAfter}: a terminal whose clock runs late must not
     * stretch a downgrade, and one whose clock runs early only falls back to NORMAL — the safe side.
     */
    public boolean inForceAt(Instant now, java.time.Duration skew) {
        Instant end = allowsWeakerPaths() ? notAfter : notAfter.plus(skew);
        return !now.plus(skew).isBefore(issuedAt) && now.isBefore(end);
    }

    /** True when some terminal may use less than two-way GM under it: ONE_WAY, BYPASS, or an incomplete rollout. */
    public boolean allowsWeakerPaths() {
        return mode != Mode.NORMAL || (rollout.incomplete() && !emergency.isEmpty());
    }

    /** The canonical bytes the signature covers. */
    public byte[] encode() {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(b);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(serial);
            out.writeLong(issuedAt.toEpochMilli());
            out.writeLong(notAfter.toEpochMilli());
            out.writeUTF(mode.name());
            for (List<Endpoint> list : List.of(enrolment, trading, emergency)) {
                out.writeShort(list.size());
                for (Endpoint e : list) {
                    out.writeUTF(e.site());
                    out.writeUTF(e.host());
                    out.writeShort(e.port());
                }
            }
            out.writeByte(rollout.sharePercent());
            out.writeShort(rollout.accounts().size());
            for (String account : new java.util.TreeSet<>(rollout.accounts())) {
                out.writeUTF(account);
            }
            return b.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads {@link #encode()}'s bytes (version 1 or 2).
     *
     * @throws IllegalArgumentException when they do not parse; a terminal reports that as an unsigned policy
     */
    public static AccessPolicy decode(byte[] body) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
            int version = in.readInt() == MAGIC ? in.readInt() : -1;
            if (version != 1 && version != VERSION) {
                throw new IOException("not an access policy of version 1 or " + VERSION);
            }
            long serial = in.readLong();
            Instant issued = Instant.ofEpochMilli(in.readLong());
            Instant notAfter = Instant.ofEpochMilli(in.readLong());
            Mode mode = Mode.valueOf(in.readUTF());
            List<List<Endpoint>> lists = new ArrayList<>();
            for (int l = 0; l < 3; l++) {
                int n = in.readUnsignedShort();
                if (n > 256) {
                    throw new IOException(n + " endpoints");
                }
                List<Endpoint> list = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    list.add(new Endpoint(in.readUTF(), in.readUTF(), in.readUnsignedShort()));
                }
                lists.add(list);
            }
            Rollout rollout = Rollout.EVERYONE;
            if (version >= 2) {
                int share = in.readUnsignedByte();
                int n = in.readUnsignedShort();
                java.util.Set<String> accounts = new java.util.HashSet<>();
                for (int i = 0; i < n; i++) {
                    accounts.add(in.readUTF());
                }
                rollout = new Rollout(accounts, share);
            }
            if (in.available() != 0) {
                throw new IOException("trailing bytes");
            }
            return new AccessPolicy(serial, issued, notAfter, mode, lists.get(0), lists.get(1), lists.get(2), rollout);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("access policy does not parse: " + e.getMessage(), e);
        }
    }
}
