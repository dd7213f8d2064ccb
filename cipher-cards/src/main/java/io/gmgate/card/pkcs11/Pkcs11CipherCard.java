package io.gmgate.card.pkcs11;

import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import io.gmgate.card.CardDeviceErrors;
import io.gmgate.card.DeviceCalls;
import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.card.CardAlgorithm;
import io.gmgate.crypto.card.CardErrors;
import io.gmgate.crypto.card.CardHealth;
import io.gmgate.crypto.card.CipherCard;
import io.gmgate.crypto.card.CipherCardException;
import io.gmgate.crypto.card.KekId;

/**
 * A cipher card on a PKCS#11 token, through the JDK's SunPKCS11 (design §6, docs/cipher-cards.md).
 *
 * <p>Each KEK version is a pair of token secret keys, generated inside the token as sensitive and
 * non-extractable and stored under the labels {@code gmgate-kek-<index>-v<version>} (wrapping) and
 * {@code gmgate-mac-<index>-v<version>} (MAC); two keys rather than one because PKCS#11 tokens bind a
 * key to its mechanism family (SoftHSM2 refuses an AES key for HMAC). Wrap and MAC are computed in the
 * token with SM4-GCM / HMAC-SM3 when its provider offers them, else with the fallbacks that
 * {@link #algorithms()} names. SM2 keys are not offered: see {@link Pkcs11Mechanisms}.
 *
 * <p>Every token call runs through {@link DeviceCalls}, so a hung token yields KEY-151. The PIN is
 * used once for C_Login and zeroed. Other nodes sharing the token see a rotation at their next
 * {@link #keks()} (the rotation job calls it) or when a wrapped key names a version they have not
 * loaded yet.
 */
public final class Pkcs11CipherCard implements CipherCard {

    private static final Pattern LABEL = Pattern.compile("gmgate-(kek|mac)-([0-9]{1,9})-v([0-9]{1,9})");
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private record Kek(SecretKey wrapKey, SecretKey macKey) {
    }

    private final String name;
    private final Provider provider;
    private final KeyStore keyStore;
    private final Pkcs11Mechanisms mechanisms;
    private final SecureRandom tokenRandom;
    private final DeviceCalls calls;
    private final ConcurrentMap<KekId, Kek> keks = new ConcurrentHashMap<>();
    /** Highest version seen per index, counting half-made pairs, so rotation never reuses a label. */
    private final Map<Integer, Integer> highestVersion = new HashMap<>();
    private volatile boolean closed;

    private Pkcs11CipherCard(String name, Provider provider, KeyStore keyStore, Pkcs11Mechanisms mechanisms,
            SecureRandom tokenRandom, DeviceCalls calls) {
        this.name = name;
        this.provider = provider;
        this.keyStore = keyStore;
        this.mechanisms = mechanisms;
        this.tokenRandom = tokenRandom;
        this.calls = calls;
    }

    /**
     * Loads the module, logs in to the token and reads its KEKs. Fails with KEY-150 (module missing),
     * KEY-152 (no such slot or token), KEY-021 (wrong PIN), KEY-155 (PIN locked), KEY-025 (the token
     * can neither wrap nor MAC) or KEY-151 (the token did not answer in time).
     */
    public static Pkcs11CipherCard open(Pkcs11Settings settings) {
        String name = "pkcs11:" + settings.name();
        DeviceCalls calls = new DeviceCalls(settings.name(), settings.limits());
        try {
            return calls.call("open " + settings.slotDescription(), () -> connect(name, settings, calls),
                    failure -> Pkcs11Failures.translate(name, "open " + settings.slotDescription(), failure));
        } catch (RuntimeException e) {
            calls.close();
            throw e;
        }
    }

    private static Pkcs11CipherCard connect(String name, Pkcs11Settings settings, DeviceCalls calls) throws Exception {
        if (!Files.isRegularFile(settings.library())) {
            throw new CipherCardException(CardDeviceErrors.LIBRARY_MISSING, "[KEY " + name + "] PKCS#11 module "
                    + settings.library() + " does not exist (install the vendor's package, or softhsm2 for development)");
        }
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new CipherCardException(CardDeviceErrors.LIBRARY_MISSING,
                    "[KEY " + name + "] this JDK has no SunPKCS11 provider (module jdk.crypto.cryptoki)");
        }
        Provider provider;
        try {
            provider = base.configure("--" + config(settings));
        } catch (ProviderException | IllegalArgumentException e) {
            throw openFailure(name, settings, e);
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS11", provider);
        char[] pin = settings.pin().clone();
        try {
            keyStore.load(null, pin);
        } finally {
            Arrays.fill(pin, '\0');
        }
        Pkcs11Mechanisms mechanisms = Pkcs11Mechanisms.probe(provider);
        if (mechanisms.wrapKeyAlgorithm() == null || mechanisms.macAlgorithm() == null) {
            throw new CipherCardException(CardErrors.UNSUPPORTED, "[KEY " + name + "] the token cannot hold gmgate's KEKs: "
                    + mechanisms.report().stream().map(CardAlgorithm::toString).collect(Collectors.joining("; ")));
        }
        SecureRandom random = mechanisms.tokenRandom() ? SecureRandom.getInstance("PKCS11", provider) : null;
        Pkcs11CipherCard card = new Pkcs11CipherCard(name, provider, keyStore, mechanisms, random, calls);
        synchronized (card) {
            card.reloadKeks();
        }
        return card;
    }

    /** SunPKCS11's configuration (JDK PKCS#11 Reference Guide): secret keys are generated sensitive and non-extractable. */
    private static String config(Pkcs11Settings settings) {
        String library = settings.library().toAbsolutePath().toString();
        if (library.indexOf('"') >= 0 || library.indexOf('\n') >= 0) {
            throw new CipherCardException(CardDeviceErrors.BAD_SETTINGS, "[KEY pkcs11:" + settings.name()
                    + "] the module path must not contain quotes or line breaks");
        }
        StringBuilder c = new StringBuilder();
        c.append("name = gmgate-").append(settings.name()).append('\n');
        c.append("library = \"").append(library).append("\"\n");
        if (settings.slotId() != null) {
            c.append("slot = ").append(settings.slotId()).append('\n');
        } else {
            c.append("slotListIndex = ").append(settings.slotListIndex()).append('\n');
        }
        c.append("attributes(generate, CKO_SECRET_KEY, *) = {\n")
         .append("  CKA_SENSITIVE = true\n")
         .append("  CKA_EXTRACTABLE = false\n")
         .append("}\n");
        return c.toString();
    }

    private static CipherCardException openFailure(String name, Pkcs11Settings settings, RuntimeException e) {
        if (Pkcs11Failures.ckrName(e) != null) {
            return Pkcs11Failures.translate(name, "open " + settings.slotDescription(), e);
        }
        return new CipherCardException(CardDeviceErrors.LIBRARY_MISSING, "[KEY " + name + "] SunPKCS11 could not load "
                + settings.library() + " as a PKCS#11 module: " + e.getMessage(), e);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte[] random(int length) {
        requireOpen();
        if (tokenRandom == null) {
            throw unsupported("RNG", "random bytes");
        }
        return onToken("random(" + length + ")", () -> {
            byte[] out = new byte[length];
            tokenRandom.nextBytes(out);
            return out;
        });
    }

    @Override
    public KekId currentKek(int index) {
        requireOpen();
        KekId current = currentIn(index);
        if (current == null) {
            onToken("find KEKs", () -> {
                synchronized (this) {
                    reloadKeks();
                }
                return null;
            });
            current = currentIn(index);
        }
        if (current == null) {
            throw new CipherCardException(CardErrors.NO_SUCH_KEY, "[KEY " + name + "] no KEK at index " + index
                    + " on the token (create it with gmgate card init --type pkcs11)");
        }
        return current;
    }

    @Override
    public List<KekId> keks() {
        requireOpen();
        return onToken("list KEKs", () -> {
            synchronized (this) {
                reloadKeks();
                return sorted(keks.keySet());
            }
        });
    }

    @Override
    public KekId rotateKek(int index) {
        requireOpen();
        return onToken("rotate KEK " + index, () -> {
            synchronized (this) {
                reloadKeks();
                KekId id = new KekId(index, highestVersion.getOrDefault(index, 0) + 1);
                highestVersion.put(index, id.version());
                store(label("kek", id), generate(mechanisms.wrapKeyAlgorithm(), mechanisms.wrapKeyBits()));
                store(label("mac", id), generate(mechanisms.macAlgorithm(), 256));
                reloadKeks();
                if (!keks.containsKey(id)) {
                    throw new CipherCardException(CardDeviceErrors.DEVICE_ERROR, "[KEY " + name + "] the token accepted "
                            + id + " but does not list it afterwards");
                }
                return id;
            }
        });
    }

    @Override
    public byte[] wrap(KekId kek, byte[] dataKey) {
        Kek key = kek(kek);
        return onToken("wrap under " + kek, () -> {
            byte[] nonce = new byte[NONCE_BYTES];
            nonceRandom().nextBytes(nonce);
            Cipher cipher = Cipher.getInstance(Pkcs11Mechanisms.transformation(key.wrapKey().getAlgorithm()), provider);
            cipher.init(Cipher.ENCRYPT_MODE, key.wrapKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(wrapAad(kek));
            byte[] sealed = cipher.doFinal(dataKey);
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        });
    }

    @Override
    public byte[] unwrap(KekId kek, byte[] wrapped) {
        Kek key = kek(kek);
        if (wrapped == null || wrapped.length <= NONCE_BYTES + TAG_BITS / 8) {
            throw new CipherCardException(CardErrors.INTEGRITY, "[KEY " + name + "] wrapped key under " + kek + " is too short");
        }
        return onToken("unwrap under " + kek, () -> {
            Cipher cipher = Cipher.getInstance(Pkcs11Mechanisms.transformation(key.wrapKey().getAlgorithm()), provider);
            cipher.init(Cipher.DECRYPT_MODE, key.wrapKey(), new GCMParameterSpec(TAG_BITS, wrapped, 0, NONCE_BYTES));
            cipher.updateAAD(wrapAad(kek));
            try {
                return cipher.doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES);
            } catch (AEADBadTagException e) {
                throw new CipherCardException(CardErrors.INTEGRITY, "[KEY " + name + "] wrapped key did not verify under " + kek);
            }
        });
    }

    @Override
    public byte[] mac(KekId kek, byte[] data) {
        Kek key = kek(kek);
        return onToken("MAC under " + kek, () -> macWith(key.macKey(), data));
    }

    @Override
    public boolean verifyMac(KekId kek, byte[] data, byte[] mac) {
        return mac != null && MessageDigest.isEqual(mac(kek, data), mac);
    }

    @Override
    public Sm2PublicKey generateSm2Key(int index) {
        throw unsupported("SM2", "SM2 key generation at index " + index);
    }

    @Override
    public Sm2PublicKey sm2PublicKey(int index) {
        throw unsupported("SM2", "the SM2 key at index " + index);
    }

    @Override
    public Sm2Signature sm2SignDigest(int index, byte[] e) {
        throw unsupported("SM2", "SM2 signing with key " + index);
    }

    @Override
    public byte[] sm2Decrypt(int index, Sm2Ciphertext ciphertext) {
        throw unsupported("SM2", "SM2 decryption with key " + index);
    }

    @Override
    public List<CardAlgorithm> algorithms() {
        return mechanisms.report();
    }

    /**
     * Reads the lowest-index current KEK afresh from the token (a removed or replaced token shows
     * here, not only at the next wrap), draws random bytes and checks a MAC round trip.
     */
    @Override
    public CardHealth health() {
        long start = System.nanoTime();
        try {
            requireOpen();
            String detail = onToken("health probe", () -> {
                KekId probe;
                synchronized (this) {
                    probe = sorted(keks.keySet()).stream().findFirst().orElse(null);
                }
                if (probe == null) {
                    throw new CipherCardException(CardErrors.NO_SUCH_KEY, "[KEY " + name + "] the token holds no gmgate KEK yet");
                }
                Key macKey = keyStore.getKey(label("mac", probe), null);
                if (!(macKey instanceof SecretKey secret)) {
                    throw new CipherCardException(CardErrors.UNAVAILABLE, "[KEY " + name + "] " + probe
                            + " is no longer on the token (token removed, replaced or re-initialised?)");
                }
                byte[] data = new byte[16];
                nonceRandom().nextBytes(data);
                if (!MessageDigest.isEqual(macWith(secret, data), macWith(keks.get(probe).macKey(), data))) {
                    throw new CipherCardException(CardErrors.INTEGRITY, "[KEY " + name + "] MAC probe under " + probe + " did not repeat");
                }
                return fallbackSummary();
            });
            return new CardHealth(name, true, detail, (System.nanoTime() - start) / 1_000_000);
        } catch (CipherCardException e) {
            return CardHealth.down(name, e.getMessage(), (System.nanoTime() - start) / 1_000_000);
        }
    }

    /**
     * Stops the card's device threads. It does not call C_Logout: login state belongs to the process
     * and the token, not to a session (PKCS#11 v2.40 §5.6), so logging out would also log out every
     * other card of this process on the same token. The login ends with the process.
     */
    @Override
    public void close() {
        closed = true;
        calls.close();
    }

    @Override
    public String toString() {
        return "Pkcs11CipherCard[" + name + ", keys on the token, pin redacted]";
    }

    // --- inside the device threads ---

    /** Caller holds the lock. */
    private void reloadKeks() throws GeneralSecurityException {
        Map<KekId, SecretKey> wrapKeys = new HashMap<>();
        Map<KekId, SecretKey> macKeys = new HashMap<>();
        for (String alias : Collections.list(keyStore.aliases())) {
            Matcher m = LABEL.matcher(alias);
            if (!m.matches()) {
                continue;
            }
            KekId id = new KekId(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            highestVersion.merge(id.index(), id.version(), Math::max);
            Key key = keyStore.getKey(alias, null);
            if (key instanceof SecretKey secret) {
                (m.group(1).equals("kek") ? wrapKeys : macKeys).put(id, secret);
            }
        }
        keks.keySet().retainAll(wrapKeys.keySet());
        for (Map.Entry<KekId, SecretKey> e : wrapKeys.entrySet()) {
            SecretKey macKey = macKeys.get(e.getKey());
            if (macKey != null) {
                keks.put(e.getKey(), new Kek(e.getValue(), macKey));
            }
        }
    }

    private SecretKey generate(String algorithm, int bits) throws GeneralSecurityException {
        KeyGenerator generator = KeyGenerator.getInstance(algorithm, provider);
        generator.init(bits);
        return generator.generateKey();
    }

    /** P11KeyStore copies the session key onto the token (C_CopyObject) under the label; it stays sensitive and non-extractable. */
    private void store(String label, SecretKey sessionKey) throws GeneralSecurityException {
        keyStore.setEntry(label, new KeyStore.SecretKeyEntry(sessionKey), null);
    }

    private byte[] macWith(SecretKey key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(mechanisms.macAlgorithm(), provider);
        mac.init(key);
        return mac.doFinal(data);
    }

    private SecureRandom nonceRandom() {
        if (tokenRandom == null) {
            throw unsupported("RNG", "nonces for wrapping");
        }
        return tokenRandom;
    }

    // --- helpers ---

    private Kek kek(KekId kek) {
        requireOpen();
        Kek key = keks.get(kek);
        if (key == null) {
            onToken("find " + kek, () -> {
                synchronized (this) {
                    reloadKeks();
                }
                return null;
            });
            key = keks.get(kek);
        }
        if (key == null) {
            throw new CipherCardException(CardErrors.NO_SUCH_KEY, "[KEY " + name + "] no " + kek + " on the token");
        }
        return key;
    }

    private KekId currentIn(int index) {
        KekId current = null;
        for (KekId id : keks.keySet()) {
            if (id.index() == index && (current == null || id.version() > current.version())) {
                current = id;
            }
        }
        return current;
    }

    private String fallbackSummary() {
        List<String> notes = new ArrayList<>();
        for (CardAlgorithm a : mechanisms.report()) {
            if (a.support() != CardAlgorithm.Support.NATIVE) {
                notes.add(a.toString());
            }
        }
        return notes.isEmpty() ? "ok" : "ok; " + String.join("; ", notes);
    }

    private CipherCardException unsupported(String family, String what) {
        requireOpen();
        String line = mechanisms.report().stream().filter(a -> a.family().equals(family)).findFirst()
                .map(CardAlgorithm::toString).orElse(family + ": unsupported");
        String advice = family.equals("SM2")
                ? "; gmgate makes no software fallback: keep SM2 keys on an SDF or soft card (docs/cipher-cards.md)"
                : "; gmgate makes no software fallback";
        return new CipherCardException(CardErrors.UNSUPPORTED, "[KEY " + name + "] " + what + " refused: " + line + advice);
    }

    /** Runs a token call with the card's deadline; SunPKCS11's exceptions become KEY- codes naming the operation. */
    private <T> T onToken(String operation, java.util.concurrent.Callable<T> work) {
        return calls.call(operation, work, failure -> Pkcs11Failures.translate(name, operation, failure));
    }

    private void requireOpen() {
        if (closed) {
            throw new CipherCardException(CardErrors.UNAVAILABLE, "[KEY " + name + "] card is closed");
        }
    }

    private static List<KekId> sorted(java.util.Collection<KekId> ids) {
        List<KekId> list = new ArrayList<>(ids);
        list.sort((a, b) -> a.index() != b.index() ? Integer.compare(a.index(), b.index()) : Integer.compare(a.version(), b.version()));
        return List.copyOf(list);
    }

    static String label(String kind, KekId id) {
        return "gmgate-" + kind + "-" + id.index() + "-v" + id.version();
    }

    private static byte[] wrapAad(KekId kek) {
        return ("gmgate wrap " + kek.index() + "/" + kek.version()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
