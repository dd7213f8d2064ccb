package io.gmgate.tlcp.tls13;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.BCSSLParameters;
import org.bouncycastle.jsse.BCSSLSocket;
import org.bouncycastle.jsse.BCX509ExtendedKeyManager;
import org.bouncycastle.jsse.BCX509Key;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

import io.gmgate.tlcp.interop.TestPki;

/**
 * BouncyCastle's own JSSE provider (BCJSSE) as the independent TLS 1.3 SM peer. Three things must be
 * switched on explicitly (design §14): the suite TLS_SM4_GCM_SM3, the signature scheme sm2sig_sm3
 * and the group curveSM2 (BCSSLParameters), and a key manager that hands out the SM2 key, because
 * BC's stock X509 key managers find no credentials for EC keys on sm2p256v1.
 */
final class BcJssePeer {

    /*
     * BC must be in the JVM's provider list (at the end is enough): BC's X509Certificate looks up
     * the name of SM3withSM2 there, and BCJSSE's algorithm checker refuses a bare OID with
     * "Signature algorithm '1.2.156.10197.1.501' not permitted".
     */
    static final java.security.Provider BC = installedBc();
    static final BouncyCastleJsseProvider BCJSSE = new BouncyCastleJsseProvider(BC);

    private static synchronized java.security.Provider installedBc() {
        java.security.Provider p = java.security.Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
        if (p == null) {
            p = new BouncyCastleProvider();
            java.security.Security.addProvider(p);
        }
        return p;
    }

    private BcJssePeer() {
    }

    /** An SSLContext with the given own key (may be null) trusting root. */
    static SSLContext context(TestPki.Credential own, X509CertificateHolder root) {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12", BC);
            ts.load(null, null);
            ts.setCertificateEntry("root", certificate(root));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", BCJSSE);
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLSv1.3", BCJSSE);
            KeyManager[] km = own == null ? null : new KeyManager[] {new Sm2KeyManager(own, root)};
            ctx.init(km, tmf.getTrustManagers(), Tls13Fixtures.RANDOM);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("BCJSSE context could not be set up", e);
        }
    }

    /** Switches a BCJSSE socket to TLS 1.3 with RFC 8998 only. */
    static void configure(SSLSocket socket) {
        socket.setEnabledProtocols(new String[] {"TLSv1.3"});
        socket.setEnabledCipherSuites(new String[] {"TLS_SM4_GCM_SM3"});
        BCSSLSocket bc = (BCSSLSocket) socket;
        BCSSLParameters p = bc.getParameters();
        p.setSignatureSchemes(new String[] {"sm2sig_sm3"});
        p.setNamedGroups(new String[] {"curveSM2"});
        bc.setParameters(p);
    }

    static X509Certificate certificate(X509CertificateHolder holder) throws GeneralSecurityException, IOException {
        return (X509Certificate) CertificateFactory.getInstance("X.509", BC)
                .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
    }

    /** Always offers its one SM2 key, whatever key types BCJSSE asks for. */
    static final class Sm2KeyManager extends BCX509ExtendedKeyManager {
        private final X509Certificate[] chain;
        private final PrivateKey key;

        Sm2KeyManager(TestPki.Credential own, X509CertificateHolder root) throws GeneralSecurityException, IOException {
            this.chain = new X509Certificate[] {certificate(own.certificate()), certificate(root)};
            this.key = TestPki.jcaKey(own.key());
        }

        /** BCJSSE checks the key type against what it asked for: "EC/sm2p256v1" for sm2sig_sm3 in TLS 1.3. */
        private BCX509Key bcKey(String[] keyTypes) {
            for (String t : keyTypes) {
                if (t.equals("EC") || t.equalsIgnoreCase("EC/sm2p256v1")) {
                    return bcKey(t);
                }
            }
            return null;
        }

        private BCX509Key bcKey(String keyType) {
            return new BCX509Key() {
                @Override
                public X509Certificate[] getCertificateChain() {
                    return chain.clone();
                }

                @Override
                public String getKeyType() {
                    return keyType;
                }

                @Override
                public PrivateKey getPrivateKey() {
                    return key;
                }
            };
        }

        @Override
        protected BCX509Key getKeyBC(String keyType, String alias) {
            return bcKey(keyType);
        }

        @Override
        public BCX509Key chooseServerKeyBC(String[] keyTypes, Principal[] issuers, Socket socket) {
            return bcKey(keyTypes);
        }

        @Override
        public BCX509Key chooseEngineServerKeyBC(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return bcKey(keyTypes);
        }

        @Override
        public BCX509Key chooseClientKeyBC(String[] keyTypes, Principal[] issuers, Socket socket) {
            return bcKey(keyTypes);
        }

        @Override
        public BCX509Key chooseEngineClientKeyBC(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return bcKey(keyTypes);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"sm2"};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "sm2";
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[] {"sm2"};
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return "sm2";
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return chain.clone();
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key;
        }
    }
}
