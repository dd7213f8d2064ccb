package io.gmgate.keystore.card;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.card.CardErrors;
import io.gmgate.crypto.card.CardHealth;
import io.gmgate.crypto.card.CipherCard;
import io.gmgate.crypto.card.CipherCardException;
import io.gmgate.crypto.card.KekId;

/**
 * A cipher card behind PKCS#11, through the JDK's SunPKCS11 (tested against SoftHSM2). KEKs and MAC
 * keys are token objects, created sensitive and non-extractable, labelled by index and version.
 *
 * <p>Algorithms: SM4 and SM2 are used only if the token offers them; SoftHSM2 2.6 offers neither,
 * so KEK wrapping falls back to AES-256-GCM and MACs to HMAC-SHA256 inside the token, and SM2 key
 * operations are refused with KEY-025 — said plainly by {@link #algorithms()} and the health
 * report, never replaced by software keys.
 */
public final class Pkcs11CipherCard implements CipherCard {

    private static final int TAG_BITS = 128;
    private static final int NONCE = 12;

    private final String name;
    private final Provider provider;
    private final KeyStore keys;
    private final SecureRandom random;
    private final boolean sm4;

    private Pkcs11CipherCard(String name, Provider provider, KeyStore keys, boolean sm4) {
        this.name = name;
        this.provider = provider;
        this.keys = keys;
        this.sm4 = sm4;
        SecureRandom r;
        try {
            r = SecureRandom.getInstance("PKCS11", provider);
        } catch (GeneralSecurityException e) {
            r = new SecureRandom(); // tokens without a RNG mechanism: the JDK's generator
        }
        this.random = r;
    }

    /** Opens the token and logs in; fails with KEY-020 (library or token missing) or KEY-021 (PIN). */
    public static Pkcs11CipherCard open(Pkcs11Settings s) {
        if (!Files.isReadable(Path.of(s.library()))) {
            throw new CipherCardException(CardErrors.UNAVAILABLE, "[KEY pkcs11:" + s.name() + "] library " + s.library()
                    + " is missing");
        }
        Provider p;
        try {
            String config = "--name=" + s.name() + "\nlibrary=" + s.library() + "\nslotListIndex=" + s.slotListIndex()
                    + "\nattributes(generate, CKO_SECRET_KEY, *) = {\n  CKA_TOKEN = true\n  CKA_SENSITIVE = true\n"
                    + "  CKA_EXTRACTABLE = false\n}\n";
            p = Security.getProvider("SunPKCS11").configure(config);
        } catch (RuntimeException e) {
            throw new CipherCardException(CardErrors.UNAVAILABLE, "[KEY pkcs11:" + s.name() + "] token not usable: "
                    + rootMessage(e), e);
        }
        char[] pin = s.pin();
        try {
            KeyStore ks = KeyStore.getInstance("PKCS11", p);
            ks.load(null, pin);
            boolean sm4 = p.getService("Cipher", "SM4/GCM/NoPadding") != null;
            return new Pkcs11CipherCard("pkcs11:" + s.name(), p, ks, sm4);
        } catch (java.io.IOException e) {
            throw new CipherCardException(CardErrors.LOGIN_FAILED, "[KEY pkcs11:" + s.name() + "] login failed: " + rootMessage(e), e);
        } catch (GeneralSecurityException e) {
            throw new CipherCardException(CardErrors.UNAVAILABLE, "[KEY pkcs11:" + s.name() + "] " + rootMessage(e), e);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return String.valueOf(c.getMessage());
    }

    /** What this token does in hardware and what it falls back to, for status output and audits. */
    public List<String> algorithms() {
        return List.of(sm4 ? "KEK wrap: SM4-GCM in the token" : "KEK wrap: fallback AES-256-GCM in the token (no SM4 mechanism)",
                "MAC: fallback HMAC-SHA256 in the token (no SM3-HMAC mechanism)",
                "SM2 sign/decrypt: unsupported by this token (gateway and CA keys need a card with SM2)");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte[] random(int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    private static String kekAlias(KekId k) {
        return "gmgate-kek-" + k.index() + "-v" + k.version();
    }

    private static String macAlias(KekId k) {
        return "gmgate-mac-" + k.index() + "-v" + k.version();
    }

    @Override
    public synchronized List<KekId> keks() {
        try {
            Set<KekId> out = new TreeSet<>(Comparator.comparingInt(KekId::index).thenComparingInt(KekId::version));
            for (String alias : Collections.list(keys.aliases())) {
                if (alias.startsWith("gmgate-kek-")) {
                    String[] f = alias.substring("gmgate-kek-".length()).split("-v");
                    out.add(new KekId(Integer.parseInt(f[0]), Integer.parseInt(f[1])));
                }
            }
            return new ArrayList<>(out);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw down("list keys", e);
        }
    }

    @Override
    public synchronized KekId currentKek(int index) {
        return keks().stream().filter(k -> k.index() == index).max(Comparator.comparingInt(KekId::version))
                .orElseThrow(() -> new CipherCardException(CardErrors.NO_SUCH_KEY, "[KEY " + name + "] no KEK at index " + index));
    }

    @Override
    public synchronized KekId rotateKek(int index) {
        int next = keks().stream().filter(k -> k.index() == index).mapToInt(KekId::version).max().orElse(0) + 1;
        KekId id = new KekId(index, next);
        try {
            KeyGenerator aes = KeyGenerator.getInstance(sm4 ? "SM4" : "AES", provider);
            aes.init(sm4 ? 128 : 256);
            keys.setKeyEntry(kekAlias(id), aes.generateKey(), null, null);
            KeyGenerator hmac = KeyGenerator.getInstance("HmacSHA256", provider);
            hmac.init(256);
            keys.setKeyEntry(macAlias(id), hmac.generateKey(), null, null);
            return id;
        } catch (GeneralSecurityException e) {
            throw down("create KEK " + id, e);
        }
    }

    private SecretKey secret(String alias, KekId id) {
        try {
            Key k = keys.getKey(alias, null);
            if (!(k instanceof SecretKey sk)) {
                throw new CipherCardException(CardErrors.NO_SUCH_KEY, "[KEY " + name + "] no key " + id + " in the token");
            }
            return sk;
        } catch (GeneralSecurityException e) {
            throw down("find " + id, e);
        }
    }

    @Override
    public byte[] wrap(KekId kek, byte[] dataKey) {
        try {
            byte[] nonce = random(NONCE);
            Cipher c = Cipher.getInstance(sm4 ? "SM4/GCM/NoPadding" : "AES/GCM/NoPadding", provider);
            c.init(Cipher.ENCRYPT_MODE, secret(kekAlias(kek), kek), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad(kek));
            byte[] ct = c.doFinal(dataKey);
            byte[] out = Arrays.copyOf(nonce, NONCE + ct.length);
            System.arraycopy(ct, 0, out, NONCE, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw down("wrap under " + kek, e);
        }
    }

    @Override
    public byte[] unwrap(KekId kek, byte[] wrapped) {
        if (wrapped.length <= NONCE + TAG_BITS / 8) {
            throw new CipherCardException(CardErrors.INTEGRITY, "[KEY " + name + "] wrapped key of " + wrapped.length + " bytes");
        }
        try {
            Cipher c = Cipher.getInstance(sm4 ? "SM4/GCM/NoPadding" : "AES/GCM/NoPadding", provider);
            c.init(Cipher.DECRYPT_MODE, secret(kekAlias(kek), kek), new GCMParameterSpec(TAG_BITS, wrapped, 0, NONCE));
            c.updateAAD(aad(kek));
            return c.doFinal(wrapped, NONCE, wrapped.length - NONCE);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new CipherCardException(CardErrors.INTEGRITY, "[KEY " + name + "] wrapped key under " + kek + " was altered", e);
        } catch (GeneralSecurityException e) {
            if (rootMessage(e).contains("CKR_ENCRYPTED_DATA_INVALID") || rootMessage(e).contains("Tag mismatch")) {
                throw new CipherCardException(CardErrors.INTEGRITY, "[KEY " + name + "] wrapped key under " + kek + " was altered", e);
            }
            throw down("unwrap under " + kek, e);
        }
    }

    private static byte[] aad(KekId kek) {
        return ("gmgate kek " + kek.index() + " v" + kek.version()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Override
    public byte[] mac(KekId kek, byte[] data) {
        try {
            Mac m = Mac.getInstance("HmacSHA256", provider);
            m.init(secret(macAlias(kek), kek));
            return m.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw down("MAC under " + kek, e);
        }
    }

    @Override
    public boolean verifyMac(KekId kek, byte[] data, byte[] mac) {
        return MessageDigest.isEqual(mac(kek, data), mac);
    }

    private CipherCardException unsupported(String what) {
        return new CipherCardException(CardErrors.UNSUPPORTED, "[KEY " + name + "] " + what
                + ": this token offers no SM2 mechanism; use a GM cipher card for the gateway's and the CA's keys");
    }

    @Override
    public Sm2PublicKey generateSm2Key(int index) {
        throw unsupported("generate SM2 key #" + index);
    }

    @Override
    public Sm2PublicKey sm2PublicKey(int index) {
        throw unsupported("SM2 key #" + index);
    }

    @Override
    public Sm2Signature sm2SignDigest(int index, byte[] e) {
        throw unsupported("SM2 sign with key #" + index);
    }

    @Override
    public byte[] sm2Decrypt(int index, Sm2Ciphertext ciphertext) {
        throw unsupported("SM2 decrypt with key #" + index);
    }

    @Override
    public CardHealth health() {
        long t = System.nanoTime();
        try {
            random(16);
            List<KekId> all = keks();
            if (!all.isEmpty()) {
                KekId k = all.get(all.size() - 1);
                mac(k, new byte[] {1});
            }
            return CardHealth.up(name, (System.nanoTime() - t) / 1_000_000);
        } catch (RuntimeException e) {
            return CardHealth.down(name, e.getMessage(), (System.nanoTime() - t) / 1_000_000);
        }
    }

    private CipherCardException down(String what, Exception e) {
        return new CipherCardException(CardErrors.UNAVAILABLE, "[KEY " + name + "] " + what + " failed: " + rootMessage(e), e);
    }

    @Override
    public void close() {
        // SunPKCS11 keeps the session with the provider; nothing to release per card
    }
}
