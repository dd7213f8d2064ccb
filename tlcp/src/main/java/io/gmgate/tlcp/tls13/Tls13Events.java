package io.gmgate.tlcp.tls13;

import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.tls.AlertDescription;

/** What BouncyCastle told the engine during a connection; one per engine, used from one thread at a time. */
final class Tls13Events {

    private List<X509CertificateHolder> peerChain = List.of();
    private boolean handshakeComplete;
    private String lastAlertRaised;
    private short lastAlertReceived = -1;

    void peerChain(List<X509CertificateHolder> chain) {
        this.peerChain = List.copyOf(chain);
    }

    List<X509CertificateHolder> peerChain() {
        return peerChain;
    }

    void handshakeComplete() {
        this.handshakeComplete = true;
    }

    boolean isHandshakeComplete() {
        return handshakeComplete;
    }

    void alertRaised(short description, String message) {
        this.lastAlertRaised = AlertDescription.getText(description) + (message == null ? "" : " (" + message + ")");
    }

    void alertReceived(short level, short description) {
        this.lastAlertReceived = description;
    }

    /** The alert we sent last, described, or null. */
    String lastAlertRaised() {
        return lastAlertRaised;
    }

    /** The alert the peer sent last, or -1. */
    short lastAlertReceived() {
        return lastAlertReceived;
    }
}
