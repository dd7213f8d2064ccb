package io.gmgate.sdk;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm3;

/**
 * The device's store: one file, {@code device.gms}, in a directory only its owner can read.
 * Written by write-to-temp, fsync, atomic rename, fsync of the directory — a crash at any point
 * leaves either the old file or the new one, never half of each.
 *
 * <p>The file ends in an SM3 checksum that catches damage, not tampering: a MAC would need a key,
 * and a key derived from the PIN would hand a thief the offline PIN test that design §11 forbids.
 * The key shares in it are masked (OPRF over the PIN, or PIN-only in version 1 files, which the SDK
 * re-masks at the next login); everything else is public (certificates, policy). The file is created
 * 0600 where POSIX permissions exist.
 *
 * <p>Versions: 1 (PIN-only masks, read only) and 2 (a mask byte after the iterations: 1 PIN-only, 2 OPRF).
 */
public final class LocalStore {

    static final String FILE = "device.gms";
    private static final int MAGIC = 0x474D4753; // "GMGS"
    private static final int VERSION = 2;
    private static final int VERSION_PIN_ONLY = 1;
    /** Certificates and a policy fit in far less; a bigger file is not ours. */
    private static final int MAX_FILE = 1 << 20;
    private static final int MAX_ITEM = 64 * 1024;

    private final Path dir;

    private LocalStore(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens (creating if needed) the store directory and makes it mode 700 where POSIX permissions
     * exist, an existing one too: the PIN-masked shares are for the owner's eyes only (docs/security.md, "The PIN and co-signing").
     */
    public static LocalStore open(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
            }
            ownerOnly(dir, "rwx------");
            return new LocalStore(dir);
        } catch (IOException e) {
            throw new SdkException(SdkErrors.STORE_UNWRITABLE, "cannot create store directory " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return dir;
    }

    public Optional<DeviceRecord> load() {
        byte[] bytes;
        try {
            Path f = dir.resolve(FILE);
            if (Files.size(f) > MAX_FILE) {
                throw corrupt("file is " + Files.size(f) + " bytes, more than " + MAX_FILE);
            }
            bytes = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new SdkException(SdkErrors.STORE_CORRUPT, "cannot read " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
        return Optional.of(decode(bytes));
    }

    private static void ownerOnly(Path path, String mode) throws IOException {
        try {
            if (!PosixFilePermissions.toString(Files.getPosixFilePermissions(path)).equals(mode)) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
            }
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: the platform's ACLs apply
        }
    }

    public DeviceRecord require() {
        return load().filter(DeviceRecord::enrolled).orElseThrow(() ->
                new SdkException(SdkErrors.NOT_ENROLLED, "no enrolled device in " + dir));
    }

    public void save(DeviceRecord record) {
        byte[] bytes = encode(record);
        Path tmp = dir.resolve(FILE + ".tmp");
        try {
            // A fresh temporary file created 0600 (a leftover one could carry wider permissions), renamed over the
            // old file: device.gms is never readable by others, not even for a moment.
            Files.deleteIfExists(tmp);
            try (FileChannel ch = create(tmp)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system cannot rename atomically", e);
            }
            syncDirectory();
        } catch (IOException e) {
            throw new SdkException(SdkErrors.STORE_UNWRITABLE, "cannot write " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    private static FileChannel create(Path file) throws IOException {
        java.util.Set<StandardOpenOption> options = java.util.EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return FileChannel.open(file, options);
    }

    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some platforms cannot open a directory; the rename itself is still atomic
        }
    }

    static byte[] encode(DeviceRecord r) {
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(buf);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(r.account());
            out.writeUTF(r.deviceId());
            bytes(out, r.pinSalt());
            out.writeInt(r.pinIterations());
            out.writeByte(r.mask() == DeviceRecord.Mask.OPRF ? 2 : 1);
            key(out, r.signKey());
            key(out, r.encKey());
            out.writeInt(r.signChain().size());
            for (byte[] c : r.signChain()) {
                bytes(out, c);
            }
            optionalBytes(out, r.encCertificate());
            out.writeBoolean(r.renewalCode().isPresent());
            if (r.renewalCode().isPresent()) {
                out.writeUTF(r.renewalCode().get());
            }
            optionalBytes(out, r.accessPolicy());
            out.flush();
            byte[] body = buf.toByteArray();
            byte[] sum = Sm3.digest(body);
            byte[] all = Arrays.copyOf(body, body.length + sum.length);
            System.arraycopy(sum, 0, all, body.length, sum.length);
            return all;
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
    }

    static DeviceRecord decode(byte[] all) {
        if (all.length < 8 + 32) {
            throw corrupt("file of " + all.length + " bytes is too short");
        }
        byte[] body = Arrays.copyOf(all, all.length - 32);
        if (!Arrays.equals(Sm3.digest(body), Arrays.copyOfRange(all, all.length - 32, all.length))) {
            throw corrupt("checksum mismatch");
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
            if (in.readInt() != MAGIC) {
                throw corrupt("not a gmgate device store");
            }
            int version = in.readInt();
            if (version != VERSION && version != VERSION_PIN_ONLY) {
                throw corrupt("store version " + version + ", this SDK reads " + VERSION_PIN_ONLY + " and " + VERSION);
            }
            String account = in.readUTF();
            String device = in.readUTF();
            byte[] salt = bytes(in);
            int iterations = in.readInt();
            DeviceRecord.Mask mask = DeviceRecord.Mask.PIN_ONLY;
            if (version == VERSION) {
                int m = in.readUnsignedByte();
                if (m != 1 && m != 2) {
                    throw corrupt("unknown mask kind " + m);
                }
                mask = m == 2 ? DeviceRecord.Mask.OPRF : DeviceRecord.Mask.PIN_ONLY;
            }
            Optional<StoredKey> sign = key(in);
            Optional<StoredKey> enc = key(in);
            int n = in.readInt();
            if (n < 0 || n > 16) {
                throw corrupt("chain of " + n + " certificates");
            }
            List<byte[]> chain = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                chain.add(bytes(in));
            }
            Optional<byte[]> encCert = optionalBytes(in);
            Optional<String> code = in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
            Optional<byte[]> policy = optionalBytes(in);
            if (in.available() != 0) {
                throw corrupt(in.available() + " trailing bytes");
            }
            return new DeviceRecord(account, device, salt, iterations, sign, enc, chain, encCert, code, policy, mask);
        } catch (IOException | RuntimeException e) {
            if (e instanceof SdkException s) {
                throw s;
            }
            throw new SdkException(SdkErrors.STORE_CORRUPT, "device store unreadable: " + e.getMessage(), e);
        }
    }

    private static void key(DataOutputStream out, Optional<StoredKey> key) throws IOException {
        out.writeBoolean(key.isPresent());
        if (key.isPresent()) {
            StoredKey k = key.get();
            out.writeUTF(k.keyId());
            out.writeInt(k.version());
            bytes(out, k.jointKey().encoded());
            bytes(out, k.maskedShare());
        }
    }

    private static Optional<StoredKey> key(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return Optional.empty();
        }
        return Optional.of(new StoredKey(in.readUTF(), in.readInt(), Sm2PublicKey.decode(bytes(in)), bytes(in)));
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_ITEM) {
            throw corrupt("item of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    private static void optionalBytes(DataOutputStream out, Optional<byte[]> b) throws IOException {
        out.writeBoolean(b.isPresent());
        if (b.isPresent()) {
            bytes(out, b.get());
        }
    }

    private static Optional<byte[]> optionalBytes(DataInputStream in) throws IOException {
        return in.readBoolean() ? Optional.of(bytes(in)) : Optional.empty();
    }

    private static SdkException corrupt(String why) {
        return new SdkException(SdkErrors.STORE_CORRUPT, "device store: " + why);
    }
}
