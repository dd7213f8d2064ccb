package io.gmgate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;

import io.gmgate.ca.Sm2ContentSigner;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.crypto.twoparty.ClientDecryption;
import io.gmgate.crypto.twoparty.ClientKeyGen;
import io.gmgate.crypto.twoparty.ClientKeyShare;
import io.gmgate.crypto.twoparty.ClientSigning;
import io.gmgate.crypto.twoparty.DecryptResponse;
import io.gmgate.crypto.twoparty.KeyGenBinding;
import io.gmgate.crypto.twoparty.KeyGenResponse;
import io.gmgate.crypto.twoparty.SignResponse;
import io.vertx.core.json.JsonObject;

/**
 * A trading terminal as the SDK will be (docs/cosign-api.md §8), driven by gm-crypto's client steps over
 * real HTTP: it keeps its session, the next nonce, the pending confirmation and its key shares.
 */
final class Terminal {

    final CosignCluster cluster;
    final String account;
    final String device;
    int port;
    String session;
    String sessionId;
    String nonce;
    JsonObject pendingConfirm;
    JsonObject lastConfirm;
    JsonObject lastLogin;
    ClientKeyShare signShare;
    ClientKeyShare encShare;
    long signKeyId;
    long encKeyId;
    JsonObject certificates;

    Terminal(CosignCluster cluster, String account, String device, int port) {
        this.cluster = cluster;
        this.account = account;
        this.device = device;
        this.port = port;
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static byte[] unb64(String s) {
        return Base64.getUrlDecoder().decode(s);
    }

    Api.Response login(String password) {
        Api.Response r = Api.post(port, "login", new JsonObject().put("account", account).put("password", password).put("device", device));
        if (r.status() == 200) {
            session = r.body().getString("session");
            sessionId = r.body().getString("sessionId");
            nonce = r.body().getString("nonce");
            lastLogin = r.body();
            pendingConfirm = null; // attempts belong to their session (docs §4)
            lastConfirm = null;
        }
        return r;
    }

    /** An authenticated request: session, device, nonce and the pending confirmation piggybacked. */
    Api.Response call(String operation, JsonObject fields) {
        JsonObject body = fields.copy().put("session", session).put("device", device).put("nonce", nonce);
        boolean confirming = pendingConfirm != null && !fields.containsKey("confirm");
        if (confirming) {
            body.put("confirm", pendingConfirm);
        }
        Api.Response r = Api.post(port, operation, body);
        if (r.body().containsKey("nonce")) {
            nonce = r.body().getString("nonce");
        }
        if (confirming && r.status() == 200) {
            pendingConfirm = null;
        }
        return r;
    }

    Api.Response ok(String operation, JsonObject fields) {
        Api.Response r = call(operation, fields);
        if (r.status() != 200) {
            throw new Refused(operation, r);
        }
        return r;
    }

    /** A call answered with anything but 200: fails a test, and carries the answer for one that decides what it means. */
    static final class Refused extends AssertionError {
        final transient Api.Response response;

        Refused(String operation, Api.Response response) {
            super(operation + " failed: " + response);
            this.response = response;
        }
    }

    /** A fresh nonce after a lost answer (docs §2). */
    void refreshNonce() {
        Api.Response r = Api.post(port, "nonces", new JsonObject().put("session", session).put("device", device));
        assertEquals(200, r.status(), r::toString);
        nonce = r.body().getJsonArray("nonces").getString(0);
    }

    /** Enrolment: key generation for both keys, a co-signed CSR, certificates. */
    void enrol() {
        JsonObject keys = enrolKeys(UUID.randomUUID().toString()).body();
        certify(keys.getString("enrolmentId"), UUID.randomUUID().toString());
    }

    private ClientKeyGen signGen;
    private ClientKeyGen encGen;
    byte[] lastSignRequest;
    byte[] lastEncRequest;

    Api.Response enrolKeys(String idempotencyKey) {
        if (signGen == null) {
            KeyGenBinding binding = new KeyGenBinding(sessionId, account, device);
            signGen = ClientKeyGen.start(binding);
            encGen = ClientKeyGen.start(binding);
        }
        lastSignRequest = signGen.request().toBytes();
        lastEncRequest = encGen.request().toBytes();
        Api.Response r = call("enrol/keys", new JsonObject().put("idempotencyKey", idempotencyKey)
                .put("sign", b64(lastSignRequest)).put("enc", b64(lastEncRequest)));
        if (r.status() == 200) {
            JsonObject sign = r.body().getJsonObject("sign");
            JsonObject enc = r.body().getJsonObject("enc");
            signShare = signGen.finish(KeyGenResponse.fromBytes(unb64(sign.getString("response"))));
            encShare = encGen.finish(KeyGenResponse.fromBytes(unb64(enc.getString("response"))));
            signGen = null;
            encGen = null;
            signKeyId = sign.getLong("keyId");
            encKeyId = enc.getLong("keyId");
        }
        return r;
    }

    Api.Response certify(String enrolmentId, String idempotencyKey) {
        byte[] csr = csr();
        Api.Response r = call("enrol/certificate", new JsonObject().put("idempotencyKey", idempotencyKey)
                .put("enrolmentId", enrolmentId).put("csr", b64(csr)));
        if (r.status() == 200) {
            certificates = r.body().getJsonObject("certificates");
        }
        return r;
    }

    byte[] csr() {
        Sm2SignKey signer = new Sm2SignKey() {
            @Override
            public Sm2PublicKey publicKey() {
                return signShare.jointKey();
            }

            @Override
            public Sm2Signature signDigest(byte[] e) {
                return coSign(new BigInteger(1, e));
            }
        };
        try {
            return new PKCS10CertificationRequestBuilder(new X500Name("CN=" + account), GmPem.toSpki(signer.publicKey()))
                    .build(new Sm2ContentSigner(signer)).getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One co-signing round for digest e with this terminal's share; the confirmation rides on the next request. */
    Sm2Signature coSign(BigInteger e) {
        ClientSigning signing = ClientSigning.start(signShare, e);
        Api.Response r = ok("sign", new JsonObject().put("keyId", signKeyId).put("request", b64(signing.request().toBytes())));
        Sm2Signature sig = signing.finish(SignResponse.fromBytes(unb64(r.body().getString("response"))));
        pendingConfirm = new JsonObject().put("attempt", r.body().getString("attempt")).put("signature", b64(sig.toRaw()));
        lastConfirm = pendingConfirm;
        return sig;
    }

    Sm2Signature sign(String message) {
        return coSign(Sm2Signer.e(signShare.jointKey(), Sm2Signer.defaultId(), message.getBytes(StandardCharsets.UTF_8)));
    }

    byte[] decrypt(Sm2Ciphertext ciphertext) {
        // co-decryption needs the PIN proven: the latest confirmation rides along (docs §4)
        Api.Response r = ok("decrypt", new JsonObject().put("keyId", encKeyId)
                .put("request", b64(ClientDecryption.start(encShare, ciphertext).toBytes()))
                .put("confirm", pendingConfirm != null ? pendingConfirm : lastConfirm));
        pendingConfirm = null;
        return ClientDecryption.finish(ciphertext, DecryptResponse.fromBytes(unb64(r.body().getString("response"))));
    }

    Api.Response confirmNow() {
        return ok("sign/confirm", new JsonObject());
    }

    JsonObject status() {
        return ok("status", new JsonObject()).body();
    }
}
