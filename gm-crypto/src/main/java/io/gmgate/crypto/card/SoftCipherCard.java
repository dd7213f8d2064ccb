package io.gmgate.crypto.card;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.GmRandom;
import io.gmgate.crypto.Pbkdf2Sm3;
import io.gmgate.crypto.Sm2Cipher;
import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.Sm2KeyExchange;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.crypto.Sm3;
import io.gmgate.crypto.Sm4;

/**
 * A cipher card in software, for development and small sites: its keys live in one file encrypted
 * under the operator's passphrase (PBKDF2-HMAC-SM3, then SM4-GCM with the file header as associated
 * data). Every change is written to a temporary file, forced to disk and renamed over the old one,
 * so a crash leaves either the old card or the new one.
 */
public final class SoftCipherCard implements CipherCard {

    private static final byte[] MAGIC = "GMGATE-SOFTCARD".getBytes(StandardCharsets.US_ASCII);
    private static final int FORMAT_VERSION = 1;
    static final int DEFAULT_ITERATIONS = 200_000;
    private static final int GCM_NONCE_BYTES = 12;
    private static final byte[] MAC_KEY_LABEL = "gmgate softcard mac key".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final byte[] fileKey;
    private final byte[] salt;
    private final int iterations;
    private final Map<KekId, byte[]> keks = new TreeMap<>((a, b) ->
            a.index() != b.index() ? Integer.compare(a.index(), b.index()) : Integer.compare(a.version(), b.version()));
    private final Map<Integer, Sm2PrivateKey> sm2Keys = new TreeMap<>();
    private boolean closed;

    private SoftCipherCard(Path file, byte[] fileKey, byte[] salt, int iterations) {
        this.file = file;
        this.fileKey = fileKey;
        this.salt = salt;
        this.iterations = iterations;
    }

    /** Creates a new card file holding KEK 1 version 1; refuses to overwrite an existing file. */
    public static SoftCipherCard init(Path file, char[] passphrase) {
        return init(file, passphrase, DEFAULT_ITERATIONS);
    }

    static SoftCipherCard init(Path file, char[] passphrase, int iterations) {
        if (Files.exists(file)) {
            throw new CipherCardException(CardErrors.KEY_EXISTS, "[KEY soft:" + file + "] card file already exists; refusing to overwrite it");
        }
        byte[] salt = GmRandom.bytes(16);
        SoftCipherCard card = new SoftCipherCard(file, Pbkdf2Sm3.derive(passphrase, salt, iterations, Sm4.KEY_BYTES), salt, iterations);
        synchronized (card) {
            card.keks.put(new KekId(1, 1), GmRandom.bytes(Sm4.KEY_BYTES));
            card.save();
        }
        return card;
    }

    /** Opens a card file; a wrong passphrase fails with KEY-021, a missing or damaged file with KEY-020. */
    public static SoftCipherCard open(Path file, char[] passphrase) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CipherCardException(CardErrors.UNAVAILABLE, "[KEY soft:" + file + "] card file cannot be read", e);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            int version = in.readInt();
            if (!Arrays.equals(magic, MAGIC) || version != FORMAT_VERSION) {
                throw new CipherCardException(CardErrors.UNAVAILABLE, "[KEY soft:" + file + "] not a gmgate soft card file (format " + version + ")");
            }
            byte[] salt = in.readNBytes(16);
            int iterations = in.readInt();
            byte[] nonce = in.readNBytes(GCM_NONCE_BYTES);
            int headerLength = MAGIC.length + 4 + 16 + 4 + GCM_NONCE_BYTES;
            byte[] header = Arrays.copyOf(all, headerLength);
            byte[] sealed = Arrays.copyOfRange(all, headerLength, all.length);
            SoftCipherCard card = new SoftCipherCard(file, Pbkdf2Sm3.derive(passphrase, salt, iterations, Sm4.KEY_BYTES), salt, iterations);
            byte[] payload;
            try {
                payload = Sm4.gcmDecrypt(card.fileKey, nonce, header, sealed);
            } catch (GmCryptoException e) {
                card.close();
                throw new CipherCardException(CardErrors.LOGIN_FAILED, "[KEY soft:" + file + "] wrong passphrase, or the card file was altered");
            }
            synchronized (card) {
                card.readPayload(payload);
            }
            Arrays.fill(payload, (byte) 0);
            return card;
        } catch (IOException e) {
            throw new CipherCardException(CardErrors.UNAVAILABLE, "[KEY soft:" + file + "] card file is truncated", e);
        }
    }

    @Override
    public String name() {
        return "soft:" + file;
    }

    @Override
    public byte[] random(int length) {
        requireOpen();
        return GmRandom.bytes(length);
    }

    @Override
    public synchronized KekId currentKek(int index) {
        requireOpen();
        KekId current = null;
        for (KekId id : keks.keySet()) {
            if (id.index() == index) {
                current = id;
            }
        }
        if (current == null) {
            throw new CipherCardException(CardErrors.NO_SUCH_KEY, "[KEY " + name() + "] no KEK at index " + index);
        }
        return current;
    }

    @Override
    public synchronized List<KekId> keks() {
        requireOpen();
        return List.copyOf(new ArrayList<>(keks.keySet()));
    }

    @Override
    public synchronized KekId rotateKek(int index) {
        requireOpen();
        int next = keks.keySet().stream().filter(k -> k.index() == index).mapToInt(KekId::version).max().orElse(0) + 1;
        KekId id = new KekId(index, next);
        keks.put(id, GmRandom.bytes(Sm4.KEY_BYTES));
        save();
        return id;
    }

    @Override
    public byte[] wrap(KekId kek, byte[] dataKey) {
        byte[] nonce = GmRandom.bytes(GCM_NONCE_BYTES);
        byte[] sealed = Sm4.gcmEncrypt(kekBytes(kek), nonce, wrapAad(kek), dataKey);
        byte[] out = Arrays.copyOf(nonce, nonce.length + sealed.length);
        System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
        return out;
    }

    @Override
    public byte[] unwrap(KekId kek, byte[] wrapped) {
        byte[] key = kekBytes(kek);
        if (wrapped == null || wrapped.length <= GCM_NONCE_BYTES + Sm4.GCM_TAG_BYTES) {
            throw new CipherCardException(CardErrors.INTEGRITY, "[KEY " + name() + "] wrapped key under " + kek + " is too short");
        }
        try {
            return Sm4.gcmDecrypt(key, Arrays.copyOf(wrapped, GCM_NONCE_BYTES), wrapAad(kek),
                    Arrays.copyOfRange(wrapped, GCM_NONCE_BYTES, wrapped.length));
        } catch (GmCryptoException e) {
            throw new CipherCardException(CardErrors.INTEGRITY, "[KEY " + name() + "] wrapped key did not verify under " + kek);
        }
    }

    @Override
    public byte[] mac(KekId kek, byte[] data) {
        byte[] macKey = Sm3.hmac(kekBytes(kek), MAC_KEY_LABEL);
        try {
            return Sm3.hmac(macKey, data);
        } finally {
            Arrays.fill(macKey, (byte) 0);
        }
    }

    @Override
    public boolean verifyMac(KekId kek, byte[] data, byte[] mac) {
        return java.security.MessageDigest.isEqual(mac(kek, data), mac);
    }

    @Override
    public synchronized Sm2PublicKey generateSm2Key(int index) {
        requireOpen();
        if (sm2Keys.containsKey(index)) {
            throw new CipherCardException(CardErrors.KEY_EXISTS, "[KEY " + name() + "] SM2 key index " + index + " is taken");
        }
        Sm2PrivateKey key = Sm2PrivateKey.generate();
        sm2Keys.put(index, key);
        save();
        return key.publicKey();
    }

    @Override
    public Sm2PublicKey sm2PublicKey(int index) {
        return sm2Key(index).publicKey();
    }

    @Override
    public Sm2Signature sm2SignDigest(int index, byte[] e) {
        if (e == null || e.length != Sm3.DIGEST_BYTES) {
            throw new IllegalArgumentException("SM2 digest e must be 32 bytes");
        }
        return Sm2Signer.signDigest(sm2Key(index), new BigInteger(1, e));
    }

    @Override
    public byte[] sm2Decrypt(int index, Sm2Ciphertext ciphertext) {
        return Sm2Cipher.decrypt(sm2Key(index), ciphertext);
    }

    @Override
    public byte[] sm2KeyExchange(int index, boolean initiator, Sm2PrivateKey ownEphemeral, Sm2PublicKey peerStatic,
                                 Sm2PublicKey peerEphemeral, int bytes) {
        return Sm2KeyExchange.sharedKey(initiator, sm2Key(index), ownEphemeral, peerStatic, peerEphemeral, bytes);
    }

    @Override
    public boolean exchangesSm2Keys() {
        return true;
    }

    @Override
    public List<CardAlgorithm> algorithms() {
        return List.of(
                CardAlgorithm.supported("RNG", "random", "the JDK SecureRandom in software"),
                CardAlgorithm.supported("SM4", "KEK wrap", "SM4-GCM in software"),
                CardAlgorithm.supported("SM3", "MAC", "HMAC-SM3 in software"),
                CardAlgorithm.supported("SM2", "sign/decrypt/key exchange", "SM2 in software"));
    }

    @Override
    public CardHealth health() {
        long start = System.nanoTime();
        try {
            KekId probe = keks().get(0);
            byte[] data = random(16);
            boolean ok = verifyMac(probe, data, mac(probe, data));
            if (ok) {
                checkFile();
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            return ok ? CardHealth.up(name(), ms) : CardHealth.down(name(), "MAC probe did not verify", ms);
        } catch (RuntimeException e) {
            return CardHealth.down(name(), e.getMessage(), (System.nanoTime() - start) / 1_000_000);
        }
    }

    /**
     * A soft card is its file, as a hardware card is its device: the keys in memory would keep
     * answering, but a card whose file is gone, unreadable, altered or replaced by another card
     * could not be reopened or saved, so the health probe reports it down (readiness drops, docs/drills.md C2).
     */
    private void checkFile() {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CipherCardException(CardErrors.UNAVAILABLE, "[KEY soft:" + file + "] card file is gone or unreadable: " + e);
        }
        int headerLength = MAGIC.length + 4 + 16 + 4 + GCM_NONCE_BYTES;
        if (all.length <= headerLength || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new CipherCardException(CardErrors.UNAVAILABLE, "[KEY soft:" + file + "] card file is no longer a gmgate soft card");
        }
        if (!Arrays.equals(Arrays.copyOfRange(all, MAGIC.length + 4, MAGIC.length + 20), salt)) {
            throw new CipherCardException(CardErrors.UNAVAILABLE, "[KEY soft:" + file + "] card file was replaced by another card");
        }
        try {
            byte[] payload = Sm4.gcmDecrypt(fileKey, Arrays.copyOfRange(all, headerLength - GCM_NONCE_BYTES, headerLength),
                    Arrays.copyOf(all, headerLength), Arrays.copyOfRange(all, headerLength, all.length));
            Arrays.fill(payload, (byte) 0);
        } catch (GmCryptoException e) {
            throw new CipherCardException(CardErrors.INTEGRITY, "[KEY soft:" + file + "] card file was altered: it no longer decrypts");
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        Arrays.fill(fileKey, (byte) 0);
        keks.values().forEach(k -> Arrays.fill(k, (byte) 0));
        keks.clear();
        sm2Keys.values().forEach(Sm2PrivateKey::destroy);
        sm2Keys.clear();
    }

    @Override
    public String toString() {
        return "SoftCipherCard[" + file + ", keys redacted]";
    }

    private synchronized byte[] kekBytes(KekId kek) {
        requireOpen();
        byte[] key = keks.get(kek);
        if (key == null) {
            throw new CipherCardException(CardErrors.NO_SUCH_KEY, "[KEY " + name() + "] no KEK " + kek);
        }
        return key;
    }

    private synchronized Sm2PrivateKey sm2Key(int index) {
        requireOpen();
        Sm2PrivateKey key = sm2Keys.get(index);
        if (key == null) {
            throw new CipherCardException(CardErrors.NO_SUCH_KEY, "[KEY " + name() + "] no SM2 key at index " + index);
        }
        return key;
    }

    private void requireOpen() {
        if (closed) {
            throw new CipherCardException(CardErrors.UNAVAILABLE, "[KEY " + name() + "] card is closed");
        }
    }

    private static byte[] wrapAad(KekId kek) {
        return ("gmgate wrap " + kek.index() + "/" + kek.version()).getBytes(StandardCharsets.US_ASCII);
    }

    private void readPayload(byte[] payload) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int kekCount = in.readInt();
            for (int i = 0; i < kekCount; i++) {
                KekId id = new KekId(in.readInt(), in.readInt());
                keks.put(id, in.readNBytes(Sm4.KEY_BYTES));
            }
            int sm2Count = in.readInt();
            for (int i = 0; i < sm2Count; i++) {
                int index = in.readInt();
                byte[] d = in.readNBytes(Sm2Curve.FIELD_BYTES);
                sm2Keys.put(index, Sm2PrivateKey.of(new BigInteger(1, d)));
                Arrays.fill(d, (byte) 0);
            }
        }
    }

    /** Caller holds the lock. */
    private void save() {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        byte[] payload = null;
        try (DataOutputStream p = new DataOutputStream(plain); DataOutputStream w = new DataOutputStream(whole)) {
            p.writeInt(keks.size());
            for (Map.Entry<KekId, byte[]> e : keks.entrySet()) {
                p.writeInt(e.getKey().index());
                p.writeInt(e.getKey().version());
                p.write(e.getValue());
            }
            p.writeInt(sm2Keys.size());
            for (Map.Entry<Integer, Sm2PrivateKey> e : sm2Keys.entrySet()) {
                p.writeInt(e.getKey());
                p.write(Sm2Curve.encodeScalar(e.getValue().d()));
            }
            p.flush();
            payload = plain.toByteArray();
            byte[] nonce = GmRandom.bytes(GCM_NONCE_BYTES);
            w.write(MAGIC);
            w.writeInt(FORMAT_VERSION);
            w.write(salt);
            w.writeInt(iterations);
            w.write(nonce);
            w.flush();
            byte[] header = whole.toByteArray();
            w.write(Sm4.gcmEncrypt(fileKey, nonce, header, payload));
            w.flush();
            writeAtomically(whole.toByteArray());
        } catch (IOException e) {
            throw new CipherCardException(CardErrors.UNAVAILABLE, "[KEY " + name() + "] card file could not be written", e);
        } finally {
            if (payload != null) {
                Arrays.fill(payload, (byte) 0);
            }
        }
    }

    private void writeAtomically(byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".softcard-", ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
