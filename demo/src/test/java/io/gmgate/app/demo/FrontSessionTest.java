package io.gmgate.app.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The demo front's line protocol, one connection at a time, without sockets. */
class FrontSessionTest {

    private final TradingBook book = new TradingBook();

    private FrontSession verifiedAs(String account) {
        return new FrontSession(Optional.of(account), book);
    }

    @Test
    void aTraderLogsInPlacesCancelsFillsAndSeesPositions() {
        FrontSession s = verifiedAs("8001234");
        assertEquals(List.of("OK LOGIN 8001234"), s.answer("LOGIN 8001234"));
        assertEquals(List.of("ACK 8001234 O1 c1"), s.answer("ORDER c1 rb2605 BUY 2 LIMIT 3490.5"));
        assertEquals(1, book.openOrders("8001234"), "a LIMIT order rests");
        assertEquals(List.of("CANCELLED O1"), s.answer("CANCEL O1"));
        assertEquals(List.of("ERR FRONT-313 O1 not open"), s.answer("CANCEL O1"), "cancelled once only");
        assertEquals(List.of("ACK 8001234 O2 c2", "FILL O2 3 3500"), s.answer("ORDER c2 rb2605 BUY 3 MARKET"));
        assertEquals(List.of("ERR FRONT-313 O2 not open"), s.answer("CANCEL O2"), "a filled order is not open");
        assertEquals(List.of("ACK 8001234 O3 c3", "FILL O3 1 3500"), s.answer("ORDER c3 rb2605 SELL 1 MARKET"));
        assertEquals(List.of("ACK 8001234 O4 c4", "FILL O4 5 3500"), s.answer("ORDER c4 au2612 SELL 5 MARKET"));
        assertEquals(List.of("POSITION au2612 -5", "POSITION rb2605 2", "END POSITIONS"), s.answer("POSITIONS"));
    }

    @Test
    void nothingButLoginIsServedBeforeLogin() {
        FrontSession s = verifiedAs("8001234");
        assertEquals(List.of("ERR FRONT-310 log in first: LOGIN <account>"), s.answer("ORDER c1 rb2605 BUY 1 MARKET"));
        assertEquals(List.of("ERR FRONT-310 log in first: LOGIN <account>"), s.answer("POSITIONS"));
        assertEquals(List.of("ERR FRONT-310 log in first: LOGIN <account>"), s.answer("CANCEL O1"));
        assertEquals(0, book.positions("8001234").size());
    }

    @Test
    void aVerifiedTerminalCannotLogInAsAnotherAccount() {
        FrontSession s = verifiedAs("8001234");
        assertEquals(List.of("ERR FRONT-311 the gateway verified 8001234, not 8009999"), s.answer("LOGIN 8009999"));
        assertEquals(Optional.empty(), s.account());
        assertTrue(s.answer("POSITIONS").get(0).startsWith("ERR FRONT-310"), "still not logged in");
    }

    @Test
    void withoutAVerifiedIdentityTheLoginIsTakenAsItComes() {
        FrontSession plain = new FrontSession(Optional.empty(), book);
        assertEquals(List.of("OK LOGIN 8009999"), plain.answer("LOGIN 8009999"));
        assertEquals(List.of("ACK 8009999 O1 b1"), plain.answer("ORDER b1 IF2612 SELL 1 LIMIT 3900"));
    }

    @Test
    void oneAccountCannotCancelAnothersOrder() {
        FrontSession a = verifiedAs("8001234");
        FrontSession b = verifiedAs("8005678");
        a.answer("LOGIN 8001234");
        b.answer("LOGIN 8005678");
        assertEquals(List.of("ACK 8001234 O1 c1"), a.answer("ORDER c1 rb2605 BUY 1 LIMIT 3500"));
        assertEquals(List.of("ERR FRONT-313 O1 not open"), b.answer("CANCEL O1"));
        assertEquals(List.of("CANCELLED O1"), a.answer("CANCEL O1"));
        assertEquals(List.of("END POSITIONS"), b.answer("POSITIONS"), "no fills, no positions");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', value = {
            "BUY rb2605 1 @ 3500 => ERR FRONT-312 unknown request 'BUY': LOGIN, ORDER, CANCEL or POSITIONS",
            "ORDER c1 rb2605 BUY 1 => ERR FRONT-312 usage: ORDER <clOrdId> <instrument> <BUY|SELL> <qty> LIMIT <price> | MARKET",
            "ORDER c1 rb2605 HOLD 1 MARKET => ERR FRONT-312 side must be BUY or SELL, not 'HOLD'",
            "ORDER c1 rb2605 BUY 0 MARKET => ERR FRONT-312 quantity must be a whole number from 1 to 1000000, not '0'",
            "ORDER c1 rb2605 BUY x MARKET => ERR FRONT-312 quantity must be a whole number from 1 to 1000000, not 'x'",
            "ORDER c1 rb2605 BUY 1 LIMIT -1 => ERR FRONT-312 limit price must be a positive number, not '-1'",
            "ORDER c1 rb2605 BUY 1 LIMIT abc => ERR FRONT-312 limit price must be a positive number, not 'abc'",
            "ORDER c1 rb2605 BUY 1 MARKET 3500 => ERR FRONT-312 usage: ORDER <clOrdId> <instrument> <BUY|SELL> <qty> LIMIT <price> | MARKET",
            "CANCEL => ERR FRONT-312 usage: CANCEL <orderId>",
            "POSITIONS rb2605 => ERR FRONT-312 usage: POSITIONS",
            "LOGIN => ERR FRONT-312 usage: LOGIN <account>",
    })
    void malformedLinesAreRefusedWithWhatIsWrong(String line, String answer) {
        FrontSession s = verifiedAs("8001234");
        s.answer("LOGIN 8001234");
        assertEquals(List.of(answer), s.answer(line));
    }

    @Test
    void duringARolloutOnlyAccountsNotYetRequiredLogInPlainOutsideAnEmergency() {
        java.net.InetSocketAddress a = new java.net.InetSocketAddress("127.0.0.1", 50000);
        io.gmgate.policy.Rollout rollout = new io.gmgate.policy.Rollout(java.util.Set.of("8001234"), 0);
        var plainNormal = DemoTradingFront.plainLoginRule(io.gmgate.proxy.ProxyV2Header.of(
                io.gmgate.proxy.VerifiedPeer.plain(a, a, "NORMAL")), rollout);
        var plainBypass = DemoTradingFront.plainLoginRule(io.gmgate.proxy.ProxyV2Header.of(
                io.gmgate.proxy.VerifiedPeer.plain(a, a, "BYPASS")), rollout);
        var oneWay = DemoTradingFront.plainLoginRule(io.gmgate.proxy.ProxyV2Header.of(new io.gmgate.proxy.VerifiedPeer(a, a,
                "TLCP", "ECC_SM4_GCM_SM3", Optional.empty(), Optional.empty(), Optional.empty(), "ONE_WAY")), rollout);
        assertTrue(plainNormal.test("8005678") && !plainNormal.test("8001234"));
        assertTrue(plainBypass.test("8001234"), "an emergency lets everyone in");
        assertTrue(oneWay.test("8001234"), "one-way GM: the trader logs in in-band");

        FrontSession refused = new FrontSession(Optional.empty(), new TradingBook(), plainNormal);
        assertTrue(refused.answer("LOGIN 8001234").get(0).startsWith("ERR FRONT-315"));
        assertEquals(Optional.empty(), refused.account());
    }
}
