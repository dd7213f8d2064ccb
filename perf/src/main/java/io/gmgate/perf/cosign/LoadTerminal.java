package io.gmgate.perf.cosign;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.UUID;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;

import io.gmgate.ca.Sm2ContentSigner;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.twoparty.ClientKeyGen;
import io.gmgate.crypto.twoparty.ClientKeyShare;
import io.gmgate.crypto.twoparty.ClientSigning;
import io.gmgate.crypto.twoparty.KeyGenBinding;
import io.gmgate.crypto.twoparty.KeyGenResponse;
import io.gmgate.crypto.twoparty.SignResponse;
import io.vertx.core.json.JsonObject;

/** A terminal for the load run: logs in, enrols, then co-signs as fast as the service answers. */
final class LoadTerminal {

    private final HttpClient http;
    private final String base;
    final String account;
    final String device;
    String session;
    String sessionId;
    String nonce;
    JsonObject pendingConfirm;
    ClientKeyShare signShare;
    long signKeyId;

    LoadTerminal(HttpClient http, int port, String account, String device) {
        this.http = http;
        this.base = "http://127.0.0.1:" + port + "/v1/";
        this.account = account;
        this.device = device;
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static byte[] unb64(String s) {
        return Base64.getUrlDecoder().decode(s);
    }

    JsonObject post(String op, JsonObject body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + op))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonObject json = new JsonObject(r.body());
            if (json.containsKey("nonce")) {
                nonce = json.getString("nonce");
            }
            if (r.statusCode() != 200) {
                throw new IllegalStateException(op + " failed: " + r.statusCode() + " " + r.body());
            }
            return json;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonObject call(String op, JsonObject fields) {
        JsonObject body = fields.put("session", session).put("device", device).put("nonce", nonce);
        if (pendingConfirm != null && !body.containsKey("confirm")) {
            body.put("confirm", pendingConfirm);
            pendingConfirm = null;
        }
        return post(op, body);
    }

    void login(String password) {
        JsonObject r = post("login", new JsonObject().put("account", account).put("password", password).put("device", device));
        session = r.getString("session");
        sessionId = r.getString("sessionId");
    }

    void enrol() {
        KeyGenBinding binding = new KeyGenBinding(sessionId, account, device);
        ClientKeyGen sign = ClientKeyGen.start(binding);
        ClientKeyGen enc = ClientKeyGen.start(binding);
        JsonObject keys = call("enrol/keys", new JsonObject().put("idempotencyKey", UUID.randomUUID().toString())
                .put("sign", b64(sign.request().toBytes())).put("enc", b64(enc.request().toBytes())));
        signShare = sign.finish(KeyGenResponse.fromBytes(unb64(keys.getJsonObject("sign").getString("response"))));
        enc.finish(KeyGenResponse.fromBytes(unb64(keys.getJsonObject("enc").getString("response"))));
        signKeyId = keys.getJsonObject("sign").getLong("keyId");
        Sm2SignKey signer = new Sm2SignKey() {
            @Override
            public Sm2PublicKey publicKey() {
                return signShare.jointKey();
            }

            @Override
            public Sm2Signature signDigest(byte[] e) {
                ClientSigning s = ClientSigning.start(signShare, new BigInteger(1, e));
                JsonObject r = call("sign", new JsonObject().put("keyId", signKeyId).put("request", b64(s.request().toBytes())));
                Sm2Signature sig = s.finish(SignResponse.fromBytes(unb64(r.getString("response"))));
                pendingConfirm = new JsonObject().put("attempt", r.getString("attempt")).put("signature", b64(sig.toRaw()));
                return sig;
            }
        };
        byte[] csr;
        try {
            csr = new PKCS10CertificationRequestBuilder(new X500Name("CN=" + account), GmPem.toSpki(signShare.jointKey()))
                    .build(new Sm2ContentSigner(signer)).getEncoded();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        call("enrol/certificate", new JsonObject().put("idempotencyKey", UUID.randomUUID().toString())
                .put("enrolmentId", keys.getString("enrolmentId")).put("csr", b64(csr)));
    }

    /**
     * One co-signing round. Every {@code confirmEvery}-th round is finished (s computed and verified
     * under P) and confirmed on the next request; the rounds in between are left unfinished, which the
     * PIN counter tolerates up to its limit — so the client's own verification does not crowd the
     * server off the two shared cores. With {@code confirmAlone} the confirmation goes at once on its
     * own {@code /v1/sign/confirm}, as a terminal's login sends it.
     */
    void coSign(ClientSigning round, boolean finish, boolean confirmAlone) {
        JsonObject r = call("sign", new JsonObject().put("keyId", signKeyId).put("request", b64(round.request().toBytes())));
        if (finish) {
            Sm2Signature sig = round.finish(SignResponse.fromBytes(unb64(r.getString("response"))));
            pendingConfirm = new JsonObject().put("attempt", r.getString("attempt")).put("signature", b64(sig.toRaw()));
            if (confirmAlone) {
                call("sign/confirm", new JsonObject());
            }
        }
    }
}
