package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.proxy.ProxyV2Header;

/**
 * docs/security.md, "The cosign service under load", the other half: once the node believes PROXY headers, a client that reaches the
 * node directly must not be able to name itself someone else (to escape its own limits or to spend
 * a victim's). Only the configured gateways (127.0.0.1 here) may send the header, and must.
 */
class ProxyHeaderSpoofAttackTest {

    static DemoSite site;

    @BeforeAll
    static void start() throws Exception {
        site = new DemoSite();
        site.addTrader("8001002", "trader-password-2".toCharArray());
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    private static byte[] spoofed(String claimed) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new ProxyV2Header(new InetSocketAddress(InetAddress.getByName(claimed), 50_000),
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), site.cosignPort()), List.of()).encode());
        out.writeBytes(CosignWire.post("login", CosignWire.login("8001002", "trader-password-2")));
        return out.toByteArray();
    }

    @Test
    void aProxyHeaderFromAPeerThatIsNotAGatewayIsRefusedWithACode() throws Exception {
        CosignWire.Answer spoof = CosignWire.direct("127.0.0.3", site.cosignPort(), spoofed("10.20.30.40"));
        assertEquals(403, spoof.status(), spoof::toString);
        assertEquals("COSIGN-125", spoof.code());

        CosignWire.Answer trader = CosignWire.viaGateway("127.0.0.1", site.enrolmentPort(), site.root(), "login",
                CosignWire.login("8001002", "trader-password-2"));
        assertEquals(200, trader.status(), "the gateway's terminals are still served: " + trader);
    }

    @Test
    void aConnectionFromTheGatewaysAddressWithoutTheHeaderIsRefused() {
        CosignWire.Answer bare = CosignWire.direct("127.0.0.1", site.cosignPort(),
                CosignWire.post("login", CosignWire.login("8001002", "trader-password-2")));
        assertEquals(400, bare.status(), bare::toString);
        assertEquals("COSIGN-126", bare.code(), "a headerless connection from a gateway would be keyed on the gateway again");
    }
}
