package io.gmgate.sdk;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.GmRandom;
import io.gmgate.crypto.twoparty.ClientKeyGen;
import io.gmgate.crypto.twoparty.ClientKeyShare;
import io.gmgate.crypto.twoparty.KeyGenBinding;
import io.gmgate.crypto.twoparty.KeyGenResponse;
import io.gmgate.crypto.twoparty.PinMaskedShare;

/**
 * Applying for certificates (design §4 steps 3–4; docs/terminal.md "first login"): two-party key
 * generation for the sign and the encryption key, one OPRF evaluation over the PIN, a PKCS#10 request
 * co-signed with the new sign key (its confirmation forgives the evaluation's try), the double
 * certificate from the CA, and the shares saved masked by the OPRF output.
 */
final class DeviceEnrolment {

    static final int PIN_ITERATIONS = 100_000;

    private DeviceEnrolment() {
    }

    /** Runs after {@link CosignClient#login}; returns the saved record. */
    static DeviceRecord run(CosignClient client, char[] pin, LocalStore store, int pinIterations) {
        KeyGenBinding binding = new KeyGenBinding(client.sessionId(), client.account(), client.device());
        ClientKeyGen sign = ClientKeyGen.start(binding);
        ClientKeyGen enc = ClientKeyGen.start(binding);
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("idempotencyKey", UUID.randomUUID().toString());
        keys.put("sign", Fields.b64(sign.request().toBytes()));
        keys.put("enc", Fields.b64(enc.request().toBytes()));
        Fields generated = client.call("enrol/keys", keys);
        Fields signAnswer = generated.object("sign");
        Fields encAnswer = generated.object("enc");
        ClientKeyShare signShare = sign.finish(KeyGenResponse.fromBytes(signAnswer.bytes("response")));
        ClientKeyShare encShare = enc.finish(KeyGenResponse.fromBytes(encAnswer.bytes("response")));
        byte[] salt = GmRandom.bytes(16);
        DeviceRecord fresh = DeviceRecord.fresh(client.account(), client.device(), salt, pinIterations);
        PinMasks.Masks masks = PinMasks.evaluate(client, fresh, pin);

        CoSigner signer = new CoSigner(client, signAnswer.number("keyId"), signShare);
        byte[] csr = csr(client.account(), signer);
        Map<String, Object> cert = new LinkedHashMap<>();
        cert.put("idempotencyKey", UUID.randomUUID().toString());
        cert.put("enrolmentId", generated.string("enrolmentId"));
        cert.put("csr", Fields.b64(csr));
        Fields issued = client.call("enrol/certificate", cert).object("certificates");

        StoredKey signKey = stored(signAnswer, signShare, masks.sign());
        StoredKey encKey = stored(encAnswer, encShare, masks.enc());
        signShare.destroy();
        encShare.destroy();
        DeviceRecord record = fresh.withKeys(signKey, encKey).withCertificates(chain(issued), issued.bytes("enc"));
        store.save(record);
        return record;
    }

    /** A PKCS#10 request for the joint sign key, co-signed (the CA applies the firm's subject template). */
    static byte[] csr(String account, CoSigner signer) {
        try {
            return new PKCS10CertificationRequestBuilder(new X500Name("CN=" + account), GmPem.toSpki(signer.publicKey()))
                    .build(new CoSignedContentSigner(signer)).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("PKCS#10 encoding failed", e);
        }
    }

    /** The sign certificate then the CA chain, from a Certificates answer (cosign API §5). */
    static List<byte[]> chain(Fields issued) {
        List<byte[]> chain = new ArrayList<>();
        chain.add(issued.bytes("sign"));
        for (Object o : issued.list("chain")) {
            chain.add(java.util.Base64.getUrlDecoder().decode((String) o));
        }
        return chain;
    }

    private static StoredKey stored(Fields answer, ClientKeyShare share, java.math.BigInteger mask) {
        String keyId = Long.toString(answer.number("keyId"));
        byte[] masked = PinMaskedShare.maskWithOprf(share, mask);
        return new StoredKey(keyId, (int) answer.number("version"), share.jointKey(), masked);
    }
}
