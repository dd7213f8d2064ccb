package io.gmgate.attacks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.bouncycastle.cert.X509CertificateHolder;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import io.gmgate.testkit.ClusterPorts;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.io.TlcpSocket;

/** What the cluster attacks share: a plain Hazelcast member, a certificate-less terminal, a log tap. */
final class ClusterAttacks {

    private ClusterAttacks() {
    }

    /**
     * A plain Hazelcast member — no Vert.x event bus, no gmgate, no card — that asks {@code target} to let it into the
     * cluster called {@code clusterName}: what anyone who reaches the cluster port can start.
     */
    static HazelcastInstance plainMember(String clusterName, InetSocketAddress target) {
        // Vert.x's own Hazelcast configuration, so nothing but the name can tell the intruder apart
        Config config = io.vertx.spi.cluster.hazelcast.ConfigUtil.loadConfig();
        config.setClusterName(clusterName);
        config.setInstanceName("intruder-" + System.nanoTime());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.local.localAddress", "127.0.0.1");
        config.getNetworkConfig().setPort(ClusterPorts.freeBase()).setPortAutoIncrement(true).setPortCount(20);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(3)
                .setMembers(List.of(target.getAddress().getHostAddress() + ":" + target.getPort()));
        return Hazelcast.newHazelcastInstance(config);
    }

    /** A terminal with no certificate that trusts the site's root. */
    static TlcpClientConfig anonymousTerminal(X509CertificateHolder root) {
        return new TlcpClientConfig(List.of(CipherSuite.ECC_SM4_GCM_SM3), Optional.empty(),
                new X509CertificatePolicy(List.of(root), RevocationCheck.NONE, true), Optional.empty(),
                EcdheEncoding.BARE, Clock.systemUTC(), new SecureRandom());
    }

    static TlcpSocket connect(int port, TlcpClientConfig cfg) throws IOException {
        Socket raw = new Socket(InetAddress.getLoopbackAddress(), port);
        raw.setSoTimeout(10_000);
        return TlcpSocket.client(raw, cfg).handshake();
    }

    /** Collects what a class logs through System.Logger (the JDK's default backend: java.util.logging). */
    static final class LogTap extends Handler implements AutoCloseable {

        private final Logger logger;
        final List<String> lines = new CopyOnWriteArrayList<>();

        LogTap(Class<?> source) {
            this.logger = Logger.getLogger(source.getName());
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord r) {
            lines.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }
}
