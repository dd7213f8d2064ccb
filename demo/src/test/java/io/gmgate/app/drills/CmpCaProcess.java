package io.gmgate.app.drills;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.gmgate.ca.EmbeddedCa;
import io.gmgate.ca.EmbeddedCaConfig;
import io.gmgate.ca.PgCaStore;
import io.gmgate.ca.cmp.CmpHttpListener;
import io.gmgate.ca.cmp.CmpProtection;
import io.gmgate.ca.cmp.CmpServer;
import io.gmgate.ca.cmp.CmpServerSettings;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.keystore.PgPool;
import io.gmgate.keystore.PgPoolSettings;

/**
 * A CA vendor's CMP line in its own JVM, so drill C.3 can kill it: gmgate's CMP server in front of
 * the site's CA (the embedded one from {@code gmgate ca init}, standing in for the vendor's), with
 * one RA client authenticated by a shared MAC secret. Two of these on different ports are the
 * vendor's primary and backup lines (docs/drills.md C3 备份线路). Prints {@code CMP <name> READY <url>}.
 *
 * <p>Arguments: name, port, jdbc url, db user, card file, card passphrase file, firm, RA reference,
 * RA secret file.
 */
public final class CmpCaProcess {

    private CmpCaProcess() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        int port = Integer.parseInt(args[1]);
        var ds = PgPool.open(new PgPoolSettings("cmp-" + name, args[2], args[3], "", 2, Duration.ofSeconds(2)));
        char[] passphrase = Files.readAllLines(Path.of(args[5])).get(0).toCharArray();
        SoftCipherCard card = SoftCipherCard.open(Path.of(args[4]), passphrase);
        EmbeddedCa ca = EmbeddedCa.open(EmbeddedCaConfig.defaults(args[6]), card, new PgCaStore(ds), Clock.systemUTC());
        byte[] secret = Files.readAllLines(Path.of(args[8])).get(0).trim().getBytes(StandardCharsets.UTF_8);
        CmpServer server = new CmpServer(ca, new CmpServerSettings(List.of(
                new CmpServerSettings.Client(CmpProtection.Mac.sm3(args[7], secret), true)), false), Clock.systemUTC());
        CmpHttpListener listener = CmpHttpListener.start(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                "/.well-known/cmp");
        System.out.println("CMP " + name + " READY " + listener.uri());
        System.out.flush();
        Thread.currentThread().join(); // until killed
    }
}
