package io.gmgate.tlcp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.crypto.EncodedCertificate;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2SignKey;

/**
 * One side's TLCP identity: the double certificate (GB/T 38636-2020 §6.4.5.3: sign certificate,
 * then encryption certificate, then CA certificates) and the private operations behind it.
 *
 * <ul>
 * <li>{@code signKey} signs ServerKeyExchange or CertificateVerify — in memory, in a cipher card,
 * or co-signed with the cosign service;</li>
 * <li>{@code decryptor} opens the ECC pre-master secret (servers of the ECC suites);</li>
 * <li>{@code encKey} does the ECDHE suites' SM2 key exchange (GB/T 32918.3) with the encryption
 * key, in memory or in a cipher card; co-signed terminals have none.</li>
 * </ul>
 */
public record TlcpCredentials(X509CertificateHolder signCertificate, Optional<X509CertificateHolder> encCertificate,
                              List<X509CertificateHolder> caCertificates, Sm2SignKey signKey,
                              Optional<Sm2Decryptor> decryptor, Optional<Sm2KeyAgreement> encKey) {

    public TlcpCredentials {
        Objects.requireNonNull(signCertificate, "signCertificate");
        Objects.requireNonNull(signKey, "signKey");
        // sent at every handshake: encoded once here, not once per handshake
        signCertificate = EncodedCertificate.of(signCertificate);
        encCertificate = encCertificate.map(EncodedCertificate::of);
        caCertificates = caCertificates.stream().map(EncodedCertificate::of).toList();
        if (!GmPem.publicKey(signCertificate).equals(signKey.publicKey())) {
            throw new TlcpException(TlcpErrors.BAD_CONFIGURATION, Alert.INTERNAL_ERROR,
                    "the sign key does not match the sign certificate " + signCertificate.getSubject());
        }
        if (decryptor.isPresent() && (encCertificate.isEmpty()
                || !GmPem.publicKey(encCertificate.get()).equals(decryptor.get().publicKey()))) {
            throw new TlcpException(TlcpErrors.BAD_CONFIGURATION, Alert.INTERNAL_ERROR,
                    "the decryption key does not match the encryption certificate");
        }
        if (encKey.isPresent() && (encCertificate.isEmpty()
                || !GmPem.publicKey(encCertificate.get()).equals(encKey.get().publicKey()))) {
            throw new TlcpException(TlcpErrors.BAD_CONFIGURATION, Alert.INTERNAL_ERROR,
                    "the encryption private key does not match the encryption certificate");
        }
    }

    /** A server's or a whole-key client's credentials, keys in memory. */
    public static TlcpCredentials inMemory(X509CertificateHolder sign, Sm2PrivateKey signKey, X509CertificateHolder enc,
                                           Sm2PrivateKey encKey, List<X509CertificateHolder> cas) {
        return new TlcpCredentials(sign, Optional.of(enc), cas, Sm2SignKey.of(signKey),
                Optional.of(Sm2Decryptor.of(encKey)), Optional.of(Sm2KeyAgreement.of(encKey)));
    }

    /** A terminal whose sign key is co-signed: it can authenticate in the ECC suites only. */
    public static TlcpCredentials signOnly(X509CertificateHolder sign, Sm2SignKey signKey,
                                           Optional<X509CertificateHolder> enc, List<X509CertificateHolder> cas) {
        return new TlcpCredentials(sign, enc, cas, signKey, Optional.empty(), Optional.empty());
    }

    /** The certificate list as sent: sign, enc (when held), then the CAs. */
    List<X509CertificateHolder> wireChain(boolean withEnc) {
        List<X509CertificateHolder> out = new java.util.ArrayList<>();
        out.add(signCertificate);
        if (withEnc) {
            encCertificate.ifPresent(out::add);
        }
        out.addAll(caCertificates);
        return out;
    }

    @Override
    public String toString() {
        return "TlcpCredentials[" + signCertificate.getSubject() + ", enc=" + encCertificate.isPresent()
                + ", keys=[redacted]]";
    }
}
