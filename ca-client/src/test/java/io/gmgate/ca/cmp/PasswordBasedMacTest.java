package io.gmgate.ca.cmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Date;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.cmp.CMPObjectIdentifiers;
import org.bouncycastle.asn1.cmp.PBMParameter;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.bouncycastle.asn1.cmp.PKIConfirmContent;
import org.bouncycastle.asn1.cmp.ProtectedPart;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.cmp.ProtectedPKIMessageBuilder;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

import io.gmgate.ca.CaErrors;
import io.gmgate.ca.CaException;

/** PBM through BouncyCastle's PKMACBuilder with our SM3 values (RFC 4210 §5.1.3.1). */
class PasswordBasedMacTest {

    private static final byte[] SECRET = "pre-shared secret".getBytes(StandardCharsets.UTF_8);

    private static PKIMessage protectedWith(AlgorithmIdentifier protection, byte[] secret) throws Exception {
        return new ProtectedPKIMessageBuilder(new GeneralName(new X500Name("CN=client")), new GeneralName(new X500Name("CN=ca")))
                .setMessageTime(new Date(0)).setTransactionID(new byte[16]).setSenderNonce(new byte[16])
                .setBody(new PKIBody(PKIBody.TYPE_CONFIRM, PKIConfirmContent.getInstance(DERNull.INSTANCE)))
                .build(PasswordBasedMac.calculator(protection, secret)).toASN1Structure();
    }

    /** K = SM3^n(secret ‖ salt), MAC = HMAC-SM3_K(DER(ProtectedPart)), written out as RFC 4211 §4.4 says. */
    private static byte[] expectedSm3Pbm(PKIMessage m, byte[] secret) throws Exception {
        PBMParameter p = PBMParameter.getInstance(m.getHeader().getProtectionAlg().getParameters());
        SM3Digest sm3 = new SM3Digest();
        byte[] k = new byte[32];
        sm3.update(secret, 0, secret.length);
        byte[] salt = p.getSalt().getOctets();
        sm3.update(salt, 0, salt.length);
        sm3.doFinal(k, 0);
        for (int i = 1; i < p.getIterationCount().intValueExact(); i++) {
            sm3.update(k, 0, 32);
            sm3.doFinal(k, 0);
        }
        HMac hmac = new HMac(new SM3Digest());
        hmac.init(new KeyParameter(k));
        byte[] part = new ProtectedPart(m.getHeader(), m.getBody()).getEncoded(ASN1Encoding.DER);
        hmac.update(part, 0, part.length);
        byte[] out = new byte[32];
        hmac.doFinal(out, 0);
        return out;
    }

    @Test
    void anSm3PbmIsTheRfcConstructionAndVerifies() throws Exception {
        AlgorithmIdentifier protection = PasswordBasedMac.newParameters(PasswordBasedMac.Algorithm.SM3, 150);
        PBMParameter p = PBMParameter.getInstance(protection.getParameters());
        assertEquals(GMObjectIdentifiers.sm3, p.getOwf().getAlgorithm());
        assertEquals(GMObjectIdentifiers.hmac_sm3, p.getMac().getAlgorithm());
        PKIMessage m = protectedWith(protection, SECRET);
        assertArrayEquals(expectedSm3Pbm(m, SECRET), m.getProtection().getOctets());
        assertTrue(PasswordBasedMac.verify(m, SECRET));
        assertFalse(PasswordBasedMac.verify(m, "another secret".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aChangedBodyOrHeaderFailsTheCheck() throws Exception {
        PKIMessage m = protectedWith(PasswordBasedMac.newParameters(PasswordBasedMac.Algorithm.SHA256, 100), SECRET);
        PKIMessage other = protectedWith(PasswordBasedMac.newParameters(PasswordBasedMac.Algorithm.SHA256, 100), SECRET);
        // the other message's protection (fresh salt) on this message's header and body
        PKIMessage spliced = new PKIMessage(other.getHeader(), m.getBody(), m.getProtection());
        assertFalse(PasswordBasedMac.verify(spliced, SECRET));
        assertTrue(PasswordBasedMac.verify(other, SECRET));
    }

    @Test
    void aPeerAskingForTooManyIterationsIsRefusedBeforeAnyWork() throws Exception {
        PBMParameter huge = new PBMParameter(new byte[16], new AlgorithmIdentifier(GMObjectIdentifiers.sm3),
                PasswordBasedMac.MAX_ITERATIONS + 1, new AlgorithmIdentifier(GMObjectIdentifiers.hmac_sm3, DERNull.INSTANCE));
        AlgorithmIdentifier alg = new AlgorithmIdentifier(CMPObjectIdentifiers.passwordBasedMac, huge);
        PKIMessage m = protectedWith(PasswordBasedMac.newParameters(PasswordBasedMac.Algorithm.SM3, 100), SECRET);
        PKIMessage asking = new PKIMessage(new org.bouncycastle.asn1.cmp.PKIHeaderBuilder(m.getHeader().getPvno().intValueExact(),
                m.getHeader().getSender(), m.getHeader().getRecipient()).setProtectionAlg(alg).build(), m.getBody(), m.getProtection());
        CaException e = assertThrows(CaException.class, () -> PasswordBasedMac.verify(asking, SECRET));
        assertEquals(CaErrors.CA_PROTOCOL, e.errorCode());
        assertThrows(CaException.class, () -> PasswordBasedMac.calculator(alg, SECRET));
    }

    @Test
    void anUnknownOneWayFunctionIsACodedRefusal() {
        PBMParameter md5 = new PBMParameter(new byte[16], new AlgorithmIdentifier(
                org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.md5), 100,
                new AlgorithmIdentifier(GMObjectIdentifiers.hmac_sm3, DERNull.INSTANCE));
        CaException e = assertThrows(CaException.class, () -> PasswordBasedMac.calculator(
                new AlgorithmIdentifier(CMPObjectIdentifiers.passwordBasedMac, md5), SECRET));
        assertEquals(CaErrors.CA_PROTOCOL, e.errorCode());
    }

    @Test
    void aSecretThatIsNotUtf8TextIsRefusedAtConfiguration() {
        byte[] binary = {(byte) 0xC3, 0x28, 0x01};
        assertFalse(PasswordBasedMac.isText(binary));
        assertTrue(PasswordBasedMac.isText("秘密 secret".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> CmpProtection.Mac.sm3("ref", binary));
    }
}
