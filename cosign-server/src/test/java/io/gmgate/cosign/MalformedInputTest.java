package io.gmgate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.twoparty.ClientKeyGen;
import io.gmgate.crypto.twoparty.KeyGenBinding;
import io.gmgate.testkit.PgSchema;
import io.vertx.core.json.JsonObject;

/**
 * Strict input (docs/cosign-api.md §1, §3), as a table: every malformed request gets a 4xx with its
 * COSIGN- code and the §3 error body — never a 500, never a stack trace. The first group needs no
 * session (the schema is checked first); the second sends well-formed JSON whose binary values do not
 * decode, inside a live session.
 */
class MalformedInputTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    static Path dir;

    static CosignCluster cluster;
    static Terminal terminal;

    @BeforeAll
    static void start() {
        cluster = new CosignCluster(PG.dataSource(), dir, 1, s -> s);
        cluster.trader("kim", "kim-password-1");
        terminal = cluster.terminal("kim", "pc-1", 0);
        terminal.login("kim-password-1");
        terminal.enrol();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static final String LOGIN = "{\"account\":\"kim\",\"password\":\"x\",\"device\":\"pc-1\"}";
    private static final String S43 = "A".repeat(43);
    private static final String N22 = "A".repeat(22);

    private static Arguments raw(String name, String method, String path, String type, String body, int status, String code) {
        return Arguments.of(name, method, path, type, body == null ? null : body.getBytes(StandardCharsets.UTF_8), status, code);
    }

    private static Arguments post(String name, String path, String body, int status, String code) {
        return raw(name, "POST", path, "application/json", body, status, code);
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                post("not JSON", "/v1/login", "{", 400, "COSIGN-100"),
                post("empty body", "/v1/login", "", 400, "COSIGN-100"),
                post("array body", "/v1/login", "[]", 400, "COSIGN-100"),
                post("string body", "/v1/login", "\"login\"", 400, "COSIGN-100"),
                post("duplicate key", "/v1/login", "{\"account\":\"kim\",\"account\":\"eve\",\"password\":\"x\",\"device\":\"d\"}", 400, "COSIGN-100"),
                post("content after the object", "/v1/login", LOGIN + " {}", 400, "COSIGN-100"),
                post("nested too deep", "/v1/status", "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{}}}}}}", 400, "COSIGN-100"),
                post("unknown field", "/v1/login", "{\"account\":\"kim\",\"password\":\"x\",\"device\":\"d\",\"admin\":true}", 400, "COSIGN-101"),
                post("unknown nested field", "/v1/sign/confirm", "{\"session\":\"" + S43 + "\",\"device\":\"d\",\"nonce\":\"" + N22
                        + "\",\"confirm\":{\"attempt\":\"a\",\"signature\":\"" + Terminal.b64(new byte[64]) + "\",\"x\":1}}", 400, "COSIGN-101"),
                post("missing password", "/v1/login", "{\"account\":\"kim\",\"device\":\"d\"}", 400, "COSIGN-102"),
                post("number for a string", "/v1/login", "{\"account\":5,\"password\":\"x\",\"device\":\"d\"}", 400, "COSIGN-102"),
                post("null value", "/v1/login", "{\"account\":null,\"password\":\"x\",\"device\":\"d\"}", 400, "COSIGN-102"),
                post("object for a string", "/v1/login", "{\"account\":{},\"password\":\"x\",\"device\":\"d\"}", 400, "COSIGN-102"),
                post("account with a space", "/v1/login", "{\"account\":\"k im\",\"password\":\"x\",\"device\":\"d\"}", 400, "COSIGN-102"),
                post("device of 65 characters", "/v1/login", "{\"account\":\"kim\",\"password\":\"x\",\"device\":\"" + "d".repeat(65) + "\"}", 400, "COSIGN-102"),
                post("empty password", "/v1/login", "{\"account\":\"kim\",\"password\":\"\",\"device\":\"d\"}", 400, "COSIGN-102"),
                post("string for an integer", "/v1/nonces", "{\"session\":\"" + S43 + "\",\"device\":\"d\",\"count\":\"2\"}", 400, "COSIGN-102"),
                post("integer out of range", "/v1/nonces", "{\"session\":\"" + S43 + "\",\"device\":\"d\",\"count\":17}", 400, "COSIGN-102"),
                post("fraction for an integer", "/v1/sign", "{\"session\":\"" + S43 + "\",\"device\":\"d\",\"nonce\":\"" + N22
                        + "\",\"keyId\":1.5,\"request\":\"" + Terminal.b64(new byte[97]) + "\"}", 400, "COSIGN-102"),
                post("integer beyond a long", "/v1/sign", "{\"session\":\"" + S43 + "\",\"device\":\"d\",\"nonce\":\"" + N22
                        + "\",\"keyId\":100000000000000000000000,\"request\":\"" + Terminal.b64(new byte[97]) + "\"}", 400, "COSIGN-102"),
                post("short session token", "/v1/status", "{\"session\":\"abc\",\"device\":\"d\",\"nonce\":\"" + N22 + "\"}", 400, "COSIGN-102"),
                post("padded base64", "/v1/sign", "{\"session\":\"" + S43 + "\",\"device\":\"d\",\"nonce\":\"" + N22
                        + "\",\"keyId\":1,\"request\":\"" + Terminal.b64(new byte[97]) + "==\"}", 400, "COSIGN-103"),
                post("standard base64 alphabet", "/v1/sign", "{\"session\":\"" + S43 + "\",\"device\":\"d\",\"nonce\":\"" + N22
                        + "\",\"keyId\":1,\"request\":\"" + "+/".repeat(65).substring(0, 130) + "\"}", 400, "COSIGN-103"),
                post("binary of the wrong length", "/v1/sign", "{\"session\":\"" + S43 + "\",\"device\":\"d\",\"nonce\":\"" + N22
                        + "\",\"keyId\":1,\"request\":\"" + Terminal.b64(new byte[96]) + "\"}", 400, "COSIGN-103"),
                raw("body of 70 KiB", "POST", "/v1/login", "application/json", "{\"account\":\"" + "a".repeat(70_000) + "\"}", 413, "COSIGN-105"),
                raw("text/plain", "POST", "/v1/login", "text/plain", LOGIN, 415, "COSIGN-106"),
                raw("no content type", "POST", "/v1/login", null, LOGIN, 415, "COSIGN-106"),
                raw("latin-1 charset", "POST", "/v1/login", "application/json; charset=iso-8859-1", LOGIN, 415, "COSIGN-106"),
                raw("GET an operation", "GET", "/v1/login", null, null, 404, "COSIGN-107"),
                post("unknown operation", "/v1/steal", "{}", 404, "COSIGN-107"),
                raw("unknown path", "POST", "/admin", "application/json", "{}", 404, "COSIGN-107"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void malformedRequestsGetTheirCode(String name, String method, String path, String type, byte[] body, int status, String code) {
        Api.Response r = Api.raw(cluster.port(0), method, path, type, body);
        assertError(r, status, code);
    }

    static void assertError(Api.Response r, int status, String code) {
        assertEquals(status, r.status(), r::toString);
        assertEquals(code, r.code(), r::toString);
        assertNotNull(r.body().getString("message"));
        assertNotNull(r.body().getString("action"));
        assertFalse(r.body().encode().contains("at io.gmgate"), "no stack trace reaches a peer");
    }

    static byte[] offCurve() {
        byte[] p = Sm2Curve.encodePoint(Sm2Curve.G);
        p[64] ^= 1;
        return p;
    }

    static byte[] concat(byte[]... parts) {
        int n = Arrays.stream(parts).mapToInt(b -> b.length).sum();
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] b : parts) {
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
        }
        return out;
    }

    static Stream<Arguments> undecodable() {
        byte[] zeroPoint = concat(new byte[] {4}, new byte[64]);
        byte[] validE = new byte[32];
        byte[] foreignProof = ClientKeyGen.start(new KeyGenBinding("another-session", "kim", "pc-1")).request().toBytes();
        Function<Terminal, JsonObject> signOffCurve = t -> new JsonObject().put("keyId", t.signKeyId)
                .put("request", Terminal.b64(concat(offCurve(), validE)));
        Function<Terminal, JsonObject> signZero = t -> new JsonObject().put("keyId", t.signKeyId)
                .put("request", Terminal.b64(concat(zeroPoint, validE)));
        Function<Terminal, JsonObject> compressed = t -> new JsonObject().put("keyId", t.signKeyId)
                .put("request", Terminal.b64(concat(new byte[] {2}, Arrays.copyOfRange(Sm2Curve.encodePoint(Sm2Curve.G), 1, 65), validE)));
        Function<Terminal, JsonObject> decryptOffCurve = t -> new JsonObject().put("keyId", t.encKeyId)
                .put("request", Terminal.b64(offCurve()));
        Function<Terminal, JsonObject> keygenForeignProof = t -> new JsonObject().put("idempotencyKey", java.util.UUID.randomUUID().toString())
                .put("sign", Terminal.b64(foreignProof)).put("enc", Terminal.b64(foreignProof));
        Function<Terminal, JsonObject> rhoZero = t -> new JsonObject().put("idempotencyKey", java.util.UUID.randomUUID().toString())
                .put("newDevice", "pc-9").put("sign", Terminal.b64(new byte[32])).put("enc", Terminal.b64(new byte[32]));
        Function<Terminal, JsonObject> csrGarbage = t -> new JsonObject().put("renewalCode", "XXXXXXXXXXXXXXXX")
                .put("csr", Terminal.b64("not a CSR".getBytes(StandardCharsets.UTF_8)));
        Function<Terminal, JsonObject> unknownCode = t -> new JsonObject().put("renewalCode", "XXXX-XXXX-XXXX-XXXX-XXXX")
                .put("csr", Terminal.b64(t.csr()));
        Function<Terminal, JsonObject> badAttempt = t -> new JsonObject().put("confirm", new JsonObject()
                .put("attempt", "AAAA").put("signature", Terminal.b64(new byte[64])));
        return Stream.of(
                Arguments.of("sign: Q1 off the curve", "sign", signOffCurve, 400, "COSIGN-104"),
                Arguments.of("sign: Q1 = (0, 0)", "sign", signZero, 400, "COSIGN-104"),
                Arguments.of("sign: compressed Q1", "sign", compressed, 400, "COSIGN-104"),
                Arguments.of("decrypt: T1 off the curve", "decrypt", decryptOffCurve, 400, "COSIGN-104"),
                Arguments.of("enrol: proof made for another session", "enrol/keys", keygenForeignProof, 400, "COSIGN-104"),
                Arguments.of("add device: rho = 0", "devices/add", rhoZero, 400, "COSIGN-104"),
                Arguments.of("renew: a CSR that is not DER", "renew/finish", csrGarbage, 400, "COSIGN-104"),
                Arguments.of("renew: unknown renewal code", "renew/finish", unknownCode, 404, "CA-104"),
                Arguments.of("confirm: forged attempt token", "sign/confirm", badAttempt, 400, "COSIGN-147"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("undecodable")
    void undecodableValuesInALiveSessionGetTheirCode(String name, String operation, Function<Terminal, JsonObject> fields,
                                                     int status, String code) {
        JsonObject body = fields.apply(terminal);
        terminal.pendingConfirm = null;
        Api.Response r = terminal.call(operation, body);
        assertError(r, status, code);
        assertNotNull(r.body().getString("nonce"), "the nonce was spent, so the error carries the next one");
    }
}
