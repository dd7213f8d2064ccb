package io.gmgate.sdk;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.crypto.twoparty.ClientKeyShare;
import io.gmgate.crypto.twoparty.PinMaskedShare;
import io.gmgate.tlcp.CertificatePin;
import io.gmgate.tlcp.CertificatePolicy;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.GatewayIdentity;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.io.TlcpSocket;
import io.gmgate.policy.AccessPolicy;
import io.gmgate.sdk.policy.LivePolicy;
import io.gmgate.policy.Endpoint;

/**
 * What a trading terminal embeds (design §4): apply for certificates, log in, open the two-way GM
 * channel to the trading listener with a co-signed CertificateVerify, sign and co-decrypt business
 * data. Endpoints are tried node by node, site by site (docs/drills.md C1). Every failure is a
 * {@code GmgateException} with a design §8 code and an action.
 */
public final class GmgateClient {

    /** PBKDF2 rounds of the PIN mask for new enrolments (design §11). */
    public static final int DEFAULT_PIN_ITERATIONS = DeviceEnrolment.PIN_ITERATIONS;

    /**
     * Where the gateway is and what this terminal trusts: the roots for the chain, then {@code gateway}
     * for who may answer (design §4 step 5; by default the gateway role and the name dialled, plus
     * any configured pins).
     */
    public record Options(List<Endpoint> enrolment, List<Endpoint> trading, List<X509CertificateHolder> roots,
                          java.nio.file.Path store, Duration connectTimeout, Duration failoverBudget, int pinIterations,
                          Optional<AccessPolicy> policy, GatewayIdentity gateway) {
        public Options {
            enrolment = List.copyOf(enrolment);
            trading = List.copyOf(trading);
            roots = List.copyOf(roots);
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(gateway, "gateway");
        }

        /** Requiring the gateway role and name, no pins. */
        public Options(List<Endpoint> enrolment, List<Endpoint> trading, List<X509CertificateHolder> roots,
                       java.nio.file.Path store, Duration connectTimeout, Duration failoverBudget, int pinIterations,
                       Optional<AccessPolicy> policy) {
            this(enrolment, trading, roots, store, connectTimeout, failoverBudget, pinIterations, policy,
                    GatewayIdentity.strict());
        }

        /** Without an accepted access policy: two-way GM only. */
        public Options(List<Endpoint> enrolment, List<Endpoint> trading, List<X509CertificateHolder> roots,
                       java.nio.file.Path store, Duration connectTimeout, Duration failoverBudget, int pinIterations) {
            this(enrolment, trading, roots, store, connectTimeout, failoverBudget, pinIterations, Optional.empty());
        }

        /** Under a verified access policy (see {@link io.gmgate.sdk.policy.TerminalPolicy}): its paths and emergency addresses. */
        public Options withPolicy(AccessPolicy accepted) {
            return new Options(enrolment, trading, roots, store, connectTimeout, failoverBudget, pinIterations,
                    Optional.of(accepted), gateway);
        }

        /** Accepting only a gateway whose certificates (or their CA) match one of {@code pins}. */
        public Options withGatewayPins(List<CertificatePin> pins) {
            return new Options(enrolment, trading, roots, store, connectTimeout, failoverBudget, pinIterations, policy,
                    gateway.pinned(pins));
        }

        public static Options of(List<Endpoint> enrolment, List<Endpoint> trading, List<X509CertificateHolder> roots,
                                 java.nio.file.Path store) {
            return new Options(enrolment, trading, roots, store, Duration.ofSeconds(3), Duration.ofSeconds(20),
                    DeviceEnrolment.PIN_ITERATIONS);
        }
    }

    /** Clock skew allowed when judging a policy's validity; never past the end of a downgrade ({@link AccessPolicy#inForceAt}). */
    public static final Duration POLICY_SKEW = Duration.ofMinutes(5);
    /** Per endpoint and in all, for two-way first when a weaker path is allowed, and for re-fetching the policy. */
    static final Duration PROBE_CONNECT = Duration.ofSeconds(2);
    static final Duration PROBE_BUDGET = Duration.ofSeconds(5);

    private final Options options;
    private final LocalStore store;
    private final Optional<LivePolicy> live;
    private final SecureRandom random = new SecureRandom();
    /** One for the client's life, made at first use: it remembers the gateway chain's signatures it verified (not its dates or names). */
    private X509CertificatePolicy serverChain;
    private final Object serverChainLock = new Object();
    private volatile LoginListener listener = LoginListener.NONE;

    public GmgateClient(Options options) {
        this(options, Optional.empty());
    }

    /**
     * Going by a live policy (design §5): re-read at every {@link #openTrading}, judged against the clock
     * each time, and re-fetched from the cosign nodes before any path weaker than two-way GM. Its
     * policy takes the place of {@code options.policy()}.
     */
    public GmgateClient(Options options, LivePolicy live) {
        this(options, Optional.of(live));
    }

    private GmgateClient(Options options, Optional<LivePolicy> live) {
        this.options = options;
        this.store = LocalStore.open(options.store());
        this.live = live;
    }

    /** The chain check of the gateway's certificates; without roots it refuses here, at the first TLCP connection (TLS-111). */
    X509CertificatePolicy serverChain() {
        synchronized (serverChainLock) {
            if (serverChain == null) {
                serverChain = new X509CertificatePolicy(options.roots(), RevocationCheck.NONE, true);
            }
            return serverChain;
        }
    }

    /** The policy that decides the paths now: none (two-way only) if there is none or it has expired. */
    public Optional<AccessPolicy> policyInForce() {
        return live.map(LivePolicy::inForce)
                .orElseGet(() -> options.policy().filter(p -> p.inForceAt(Clock.systemUTC().instant(), POLICY_SKEW)));
    }

    private Optional<AccessPolicy> heldPolicy() {
        return live.isPresent() ? live.get().held() : options.policy();
    }

    /** The newest verified policy's trading endpoints (even once it expired: only its mode lapses), else the configured ones. */
    List<Endpoint> tradingEndpoints() {
        return heldPolicy().map(AccessPolicy::trading).filter(l -> !l.isEmpty()).orElse(options.trading());
    }

    private List<Endpoint> enrolmentEndpoints() {
        return heldPolicy().map(AccessPolicy::enrolment).filter(l -> !l.isEmpty()).orElse(options.enrolment());
    }

    Options options() {
        return options;
    }

    SecureRandom random() {
        return random;
    }

    LoginListener listener() {
        return listener;
    }

    public LocalStore store() {
        return store;
    }

    /**
     * Reports the phases of this client's logins from now on (TCP connect, each cosign exchange, the
     * two-way handshake) to {@code l}: sessions opened afterwards report to it. Returns this client.
     */
    public GmgateClient observe(LoginListener l) {
        this.listener = Objects.requireNonNull(l, "listener");
        return this;
    }

    /** One-way TLCP to endpoint e: the server must chain to our roots and be the gateway for e's host. */
    private TlcpClientConfig oneWay(Endpoint e) {
        return new TlcpClientConfig(List.of(CipherSuite.ECC_SM4_GCM_SM3, CipherSuite.ECC_SM4_CBC_SM3), Optional.empty(),
                serverPolicy(e), Optional.empty(), io.gmgate.tlcp.EcdheEncoding.BARE, Clock.systemUTC(), random);
    }

    /**
     * The chain to our roots, then the gateway's role and the name this terminal dialled (and the
     * pins): a trader's own certificate, or the real gateway's for another host, is refused with
     * CERT-140 before a password or a co-signature goes out.
     */
    CertificatePolicy serverPolicy(Endpoint e) {
        return options.gateway().after(serverChain(), e.host(), options.roots());
    }

    private CosignClient cosign() {
        TlcpTransport transport = new TlcpTransport(options.enrolment(), this::oneWay, options.connectTimeout(),
                options.failoverBudget());
        LoginListener l = listener;
        return new CosignClient(l == LoginListener.NONE ? transport : new ObservedTransport(transport, l));
    }

    /**
     * Opens one-way TLCP to an enrolment listener (:8090), node by node, site by site: the channel the
     * cosign API uses, which the agent also relays for terminals that speak plain HTTP to 127.0.0.1:8090.
     */
    public TlcpSocket openEnrolmentChannel() {
        return oneWayTo(options.enrolment());
    }

    /** One-way TLCP to the first endpoint that answers; reads have no timeout once the handshake is done. */
    private TlcpSocket oneWayTo(List<Endpoint> endpoints) {
        return Failover.connect(endpoints, options.connectTimeout(), options.failoverBudget(), (e, timeout) -> {
            Socket raw = new Socket();
            raw.setTcpNoDelay(true); // records are whole messages: never hold one back for an ACK
            try {
                raw.connect(new InetSocketAddress(e.host(), e.port()), (int) timeout.toMillis());
                raw.setSoTimeout((int) Math.max(timeout.toMillis(), 10_000));
                TlcpSocket s = TlcpSocket.client(raw, oneWay(e)).handshake();
                raw.setSoTimeout(0);
                return s;
            } catch (IOException | RuntimeException ex) {
                raw.close();
                throw ex;
            }
        });
    }

    /**
     * Opens the trading channel by the strongest path the access policy in force allows (design §5,
     * docs/drills.md): two-way GM after a cosign login, always first; then — only if that path is
     * unavailable, not refused — one-way GM or an emergency address, as the policy says. A refusal
     * (wrong PIN, locked or revoked key, wrong password) never falls through to a weaker path. When a
     * weaker path is allowed, two-way is tried with short timeouts so the fallback stays quick.
     */
    public TradingChannel openTrading(char[] password, char[] pin) {
        String account = store.load().map(DeviceRecord::account).orElse("");
        boolean weakerAllowed = TradingPath.allowed(policyInForce(), account).size() > 1;
        GmgateClient twoWay = weakerAllowed ? probing() : this;
        return openTrading(() -> {
            try (Session session = twoWay.login(password, pin)) {
                return session.connect();
            }
        });
    }

    /** This client with the short probe timeouts, on the same store and live policy. */
    private GmgateClient probing() {
        Options o = new Options(options.enrolment(), options.trading(), options.roots(), options.store(),
                min(options.connectTimeout(), PROBE_CONNECT), min(options.failoverBudget(), PROBE_BUDGET),
                options.pinIterations(), options.policy());
        return live.map(l -> new GmgateClient(o, l)).orElseGet(() -> new GmgateClient(o));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * As above, with the caller's way of opening the two-way channel (the agent keeps one logged-in
     * session; it bounds that attempt with its own timeouts). The policy is re-read and its validity
     * checked on every call; before the first path weaker than two-way, the firm's newest policy is
     * fetched from the cosign nodes (when reachable), so a captured downgrade is superseded by the
     * current policy and the weaker path is taken only if that one still allows it.
     */
    public TradingChannel openTrading(java.util.function.Supplier<TlcpSocket> twoWay) {
        return PathChoice.open(store.load().map(DeviceRecord::account).orElse(""), policyInForce(), new PathChoice.Paths() {
            @Override
            public TlcpSocket twoWay() {
                return twoWay.get();
            }

            @Override
            public TlcpSocket oneWay() {
                return connectOneWay();
            }

            @Override
            public Socket plain(Optional<AccessPolicy> inForce) {
                return connectPlain(inForce);
            }

            @Override
            public Optional<AccessPolicy> confirmWeaker(Optional<AccessPolicy> held) {
                return GmgateClient.this.confirmWeaker(held);
            }
        });
    }

    /**
     * Before a path weaker than two-way: asks the cosign nodes for the firm's newest signed policy and
     * goes by it if it verifies. Unreachable (often the emergency itself) or refused (older, forged):
     * the policy held, if still in force, decides.
     */
    private Optional<AccessPolicy> confirmWeaker(Optional<AccessPolicy> policy) {
        if (live.isEmpty()) {
            return policy;
        }
        try {
            live.get().offer(new CosignClient(new TlcpTransport(enrolmentEndpoints(), this::oneWay, PROBE_CONNECT, PROBE_BUDGET))
                    .accessPolicy());
        } catch (io.gmgate.error.GmgateException unreachableOrRefused) {
            // kept in live.lastRefusal() when refused; the held policy decides
        }
        return live.get().inForce();
    }

    /** One-way TLCP to a trading listener (accepted in ONE_WAY): no client certificate, so no co-signing. */
    public TlcpSocket connectOneWay() {
        return oneWayTo(tradingEndpoints());
    }

    /** Plain TCP to the policy's emergency addresses: only when the policy in force allows it for this account. */
    public Socket connectPlain() {
        return connectPlain(policyInForce());
    }

    private Socket connectPlain(Optional<AccessPolicy> inForce) {
        AccessPolicy p = inForce.filter(policy -> TradingPath.allowed(Optional.of(policy),
                store.load().map(DeviceRecord::account).orElse("")).contains(TradingPath.PLAIN))
                .orElseThrow(() -> new SdkException(SdkErrors.NO_ALLOWED_PATH,
                        "no verified access policy in force allows the plain path for this terminal"));
        return Failover.connect(p.emergency(), options.connectTimeout(), options.failoverBudget(), (e, timeout) -> {
            Socket raw = new Socket();
            try {
                raw.connect(new InetSocketAddress(e.host(), e.port()), (int) timeout.toMillis());
                return raw;
            } catch (IOException | RuntimeException ex) {
                raw.close();
                throw ex;
            }
        });
    }

    /**
     * Fetches the firm's newest signed access policy from the enrolment listener and verifies it
     * against the policy key and the last policy this device accepted (design §5). Returns the
     * options to build the next client with; a refused policy throws MODE-400/401 and changes nothing.
     */
    public Options fetchPolicy(Sm2PublicKey policyKey) {
        AccessPolicy p = io.gmgate.sdk.policy.TerminalPolicy.accept(store, policyKey, cosign().accessPolicy(), Clock.systemUTC(),
                POLICY_SKEW);
        return new Options(p.enrolment().isEmpty() ? options.enrolment() : p.enrolment(),
                p.trading().isEmpty() ? options.trading() : p.trading(), options.roots(), options.store(),
                options.connectTimeout(), options.failoverBudget(), options.pinIterations(), Optional.of(p), options.gateway());
    }

    /** First login on this device (docs/terminal.md): key generation, double certificate, store saved. */
    public DeviceRecord enroll(String account, char[] password, String device, char[] pin) {
        CosignClient c = cosign();
        Fields login = c.login(account, password, device);
        if (login.bool("enrolled")) {
            throw new SdkException(SdkErrors.ALREADY_ENROLLED, "device " + device + " of " + account
                    + " already holds a valid certificate");
        }
        return DeviceEnrolment.run(c, pin, store, options.pinIterations());
    }

    /**
     * Later logins: the cosign session that co-signs for this device while it trades. The PIN is run
     * through the server's OPRF (one counted try) to unmask the shares. A store written before the OPRF
     * (PIN-only masks) is unmasked the old way once, proven with one confirmed co-signature, and then
     * rewritten with OPRF masks (atomically, 0600); a wrong PIN rewrites nothing.
     */
    public Session login(char[] password, char[] pin) {
        DeviceRecord r = store.require();
        CosignClient c = cosign();
        Fields answer = c.login(r.account(), password, r.deviceId());
        return unmasked(r, c, answer, pin);
    }

    /**
     * Resets the PIN of a device whose keys the PIN counter locked (a login's evaluation is refused
     * then, COSIGN-141): re-checks the password, which lifts the PIN lock (cosign API §5.9), proves the
     * old PIN once and re-shares under the new one, as {@link Session#resetPin} does.
     */
    public DeviceRecord resetPin(char[] password, char[] oldPin, char[] newPin) {
        DeviceRecord r = store.require();
        CosignClient c = cosign();
        Fields answer = c.login(r.account(), password, r.deviceId());
        c.call("pin/reset/start", java.util.Map.of("password", new String(password)));
        try (Session s = unmasked(r, c, answer, oldPin)) {
            return s.finishPinReset(newPin);
        }
    }

    private Session unmasked(DeviceRecord r, CosignClient c, Fields answer, char[] pin) {
        StoredKey sign = r.signKey().orElseThrow();
        PinMasks.Masks masks = PinMasks.evaluate(c, r, pin);
        if (r.mask() == DeviceRecord.Mask.OPRF) {
            ClientKeyShare share = PinMaskedShare.unmaskWithOprf(sign.maskedShare(), sign.jointKey(), masks.sign());
            Optional<ClientKeyShare> enc = r.encKey().map(k -> PinMaskedShare.unmaskWithOprf(k.maskedShare(), k.jointKey(),
                    masks.enc()));
            return new Session(r, c, new CoSigner(c, Long.parseLong(sign.keyId()), share), enc, answer);
        }
        ClientKeyShare share = PinMaskedShare.unmask(sign.maskedShare(), sign.jointKey(), pin, r.pinSalt(),
                r.pinIterations(), r.maskContext("sign"));
        Optional<ClientKeyShare> enc = r.encKey().map(k -> PinMaskedShare.unmask(k.maskedShare(), k.jointKey(), pin,
                r.pinSalt(), r.pinIterations(), r.maskContext("enc")));
        Session s = new Session(r, c, new CoSigner(c, Long.parseLong(sign.keyId()), share), enc, answer);
        s.sign(("gmgate store re-mask " + System.nanoTime()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        StoredKey newSign = new StoredKey(sign.keyId(), sign.version(), sign.jointKey(), PinMaskedShare.maskWithOprf(share, masks.sign()));
        StoredKey newEnc = r.encKey().map(k -> new StoredKey(k.keyId(), k.version(), k.jointKey(),
                PinMaskedShare.maskWithOprf(enc.orElseThrow(), masks.enc()))).orElse(null);
        DeviceRecord remasked = r.withKeys(newSign, newEnc, DeviceRecord.Mask.OPRF);
        store.save(remasked);
        s.record = remasked;
        return s;
    }

    /** A logged-in device: co-signing, co-decryption, and the two-way trading channel. */
    public final class Session implements AutoCloseable {
        private volatile DeviceRecord record;
        private final CosignClient client;
        private final CoSigner signer;
        private final Optional<ClientKeyShare> encShare;
        private final Fields login;
        private volatile Optional<io.gmgate.tlcp.SessionState> lastSession = Optional.empty();

        private Session(DeviceRecord record, CosignClient client, CoSigner signer, Optional<ClientKeyShare> encShare,
                        Fields login) {
            this.record = record;
            this.client = client;
            this.signer = signer;
            this.encShare = encShare;
            this.login = login;
        }

        public Fields loginAnswer() {
            return login;
        }

        public X509CertificateHolder signCertificate() {
            return GmPem.certificateFromDer(record.signChain().get(0));
        }

        /** Signs business data with the co-signed key (the signature verifies under the sign certificate). */
        public synchronized Sm2Signature sign(byte[] message) {
            return signer.sign(message);
        }

        /** Co-decrypts data enveloped to this device's encryption certificate. */
        public synchronized byte[] decrypt(io.gmgate.crypto.Sm2Ciphertext ciphertext) {
            ClientKeyShare share = encShare.orElseThrow(() -> new SdkException(SdkErrors.NOT_ENROLLED, "no encryption key"));
            StoredKey key = record.encKey().orElseThrow();
            if (!client.hasFreshProof()) {
                // The server co-decrypts only for a PIN proven in the same request (cosign API §4):
                // a co-signature over a throwaway message supplies the confirmation.
                signer.sign(("gmgate pin proof " + System.nanoTime()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            var request = io.gmgate.crypto.twoparty.ClientDecryption.start(share, ciphertext);
            java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("keyId", Long.parseLong(key.keyId()));
            body.put("request", Fields.b64(request.toBytes()));
            Fields answer = client.callProven("decrypt", body);
            return io.gmgate.crypto.twoparty.ClientDecryption.finish(ciphertext,
                    io.gmgate.crypto.twoparty.DecryptResponse.fromBytes(answer.bytes("response")));
        }

        /** Account, device, keys, certificates, PIN tries and renewal state (cosign API §5.14). */
        public synchronized Fields status() {
            return client.call("status", java.util.Map.of());
        }

        /**
         * Online renewal (docs/ca-client.md, "Renewal"; cosign API §5.11): starts a renewal and stores its renewal
         * code before anything else, co-signs a new request for the same keys and finishes. If a
         * stored code is found, the renewal is resumed with it instead of starting again, so a
         * renewal that failed half-way never makes a second certificate.
         */
        public synchronized DeviceRecord renew() {
            DeviceRecord r = store.require();
            StoredKey sign = r.signKey().orElseThrow();
            String code = r.renewalCode().orElse(null);
            if (code == null) {
                code = client.call("renew/start", java.util.Map.of("keyId", Long.parseLong(sign.keyId()))).string("renewalCode");
                r = r.withRenewalCode(Optional.of(code));
                store.save(r);
            }
            byte[] csr = DeviceEnrolment.csr(r.account(), signer);
            Fields issued = client.call("renew/finish", java.util.Map.of("renewalCode", code, "csr", Fields.b64(csr)))
                    .object("certificates");
            DeviceRecord renewed = r.withCertificates(DeviceEnrolment.chain(issued), issued.bytes("enc"))
                    .withRenewalCode(Optional.empty());
            store.save(renewed);
            record = renewed;
            lastSession = Optional.empty(); // the next channel presents the new certificate
            return renewed;
        }

        /**
         * Reset the PIN (docs/terminal.md; cosign API §5.9): re-check the password, prove the old
         * share with one co-signature, then re-share both keys so the new shares are stored under the
         * new PIN and the server's old shares are destroyed — a stolen copy of the old store is useless.
         * This session keeps the old shares: log in again with the new PIN afterwards.
         */
        public synchronized DeviceRecord resetPin(char[] password, char[] newPin) {
            client.call("pin/reset/start", java.util.Map.of("password", new String(password)));
            return finishPinReset(newPin);
        }

        private synchronized DeviceRecord finishPinReset(char[] newPin) {
            DeviceRecord r = store.require();
            // The new PIN's evaluation first: the confirmed co-signature below then forgives its try too.
            PinMasks.Masks fresh = PinMasks.evaluate(client, r, newPin);
            signer.sign(("gmgate pin reset " + System.nanoTime()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            ClientKeyShare encOld = encShare.orElseThrow(() -> new SdkException(SdkErrors.NOT_ENROLLED, "no encryption key"));
            io.gmgate.crypto.twoparty.Resharing.Offer signOffer = io.gmgate.crypto.twoparty.Resharing.offer(signer.share());
            io.gmgate.crypto.twoparty.Resharing.Offer encOffer = io.gmgate.crypto.twoparty.Resharing.offer(encOld);
            java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("signKeyId", Long.parseLong(r.signKey().orElseThrow().keyId()));
            body.put("encKeyId", Long.parseLong(r.encKey().orElseThrow().keyId()));
            body.put("sign", Fields.b64(signOffer.request().toBytes()));
            body.put("enc", Fields.b64(encOffer.request().toBytes()));
            Fields done = client.callProven("pin/reset/finish", body);
            StoredKey sign = DeviceLifecycle.resharedWithOprf(signOffer, done.object("sign"), fresh.sign());
            StoredKey enc = DeviceLifecycle.resharedWithOprf(encOffer, done.object("enc"), fresh.enc());
            DeviceRecord updated = r.withKeys(sign, enc, DeviceRecord.Mask.OPRF);
            store.save(updated);
            return updated;
        }

        /**
         * Adds a device (cosign API §5.10; design §4 step 7): the new device gets fresh shares of the
         * same keys and reuses the certificates. Returns the new device's record, its shares masked
         * under {@code newPin}; save it into the new device's store ({@code LocalStore.save}) and
         * carry it there over a channel the server cannot read. This device keeps working unchanged.
         */
        public synchronized DeviceRecord addDevice(String newDevice, char[] newPin) {
            ClientKeyShare enc = encShare.orElseThrow(() -> new SdkException(SdkErrors.NOT_ENROLLED, "no encryption key"));
            return DeviceLifecycle.addDevice(store.require(), client, signer, enc, newDevice, newPin);
        }

        /** Locks this device's keys, or {@code target}'s (a lost laptop, from another device): cosign API §5.12. */
        public synchronized Fields lock(Optional<String> target, Optional<String> reason) {
            return DeviceLifecycle.lock(client, target, reason);
        }

        /** Lifts a lock the trader set (not a PIN or operator lock), after re-checking the password. */
        public synchronized Fields unlock(char[] password, Optional<String> target) {
            return DeviceLifecycle.unlock(client, password, target);
        }

        /**
         * Revokes (cosign API §5.13): with {@code wholeCertificate} false, the target device's shares
         * are destroyed (the certificate stays for the account's other devices); with true, the double
         * certificate is revoked at the CA and every device's shares of it are destroyed.
         */
        public synchronized Fields revoke(char[] password, boolean wholeCertificate, Optional<String> target,
                                          Optional<String> reason) {
            return DeviceLifecycle.revoke(client, password, wholeCertificate ? DeviceLifecycle.Scope.CERTIFICATE
                    : DeviceLifecycle.Scope.DEVICE, target, reason);
        }

        /**
         * Changes the trading password (cosign API §5.15; docs/terminal.md 修改账户密码). The server ends
         * every session of the account and opens a new one for this device, which this session adopts.
         */
        public synchronized void changePassword(char[] oldPassword, char[] newPassword) {
            client.changePassword(oldPassword, newPassword);
        }

        /** The cosign API for the remaining operations (status, renew, lock, …), as in docs/cosign-api.md. */
        public CosignClient cosign() {
            return client;
        }

        /**
         * Opens two-way TLCP to a trading listener: the CertificateVerify is co-signed through this
         * session, so the device's share never meets the server's. Offers the last session: any gateway
         * node resumes it (the cache is cluster-wide), saving the co-signature and a full handshake's SM2 work.
         */
        public synchronized TlcpSocket connect() {
            TlcpSocket s = CoSignedChannel.open(GmgateClient.this, record, signer, client, lastSession);
            lastSession = s.engine().session();
            return s;
        }

        /** Forgets the session to resume, so the next {@link #connect()} makes a full handshake. */
        public void forgetSession() {
            lastSession = Optional.empty();
        }

        @Override
        public synchronized void close() {
            client.confirmNow();
        }
    }

    /** Verifies a signature made by a trader's certificate (GB/T 32918.2, default ID). */
    public static boolean verify(X509CertificateHolder signer, byte[] message, Sm2Signature signature) {
        return Sm2Signer.verify(GmPem.publicKey(signer), Sm2Signer.defaultId(), message, signature);
    }
}
