package io.gmgate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.gmgate.cosign.api.Schemas;

/** The operation catalogue agrees with the API's schemas and with what docs/cosign-api.md §2–3 say each path needs. */
class OperationCatalogueTest {

    @Test
    void everyPathInSchemasHasExactlyOneOperationWithItsSchema() {
        for (var entry : Schemas.BY_PATH.entrySet()) {
            List<Operation> bound = Arrays.stream(Operation.values()).filter(o -> o.path().equals(entry.getKey())).toList();
            assertEquals(1, bound.size(), () -> "operations for /v1/" + entry.getKey() + ": " + bound);
            assertSame(entry.getValue(), bound.get(0).schema(), () -> "schema of /v1/" + entry.getKey());
            assertSame(bound.get(0), Operation.byPath(entry.getKey()).orElseThrow());
        }
    }

    @Test
    void everyOperationIsAPathInSchemas() {
        for (Operation o : Operation.values()) {
            assertTrue(Schemas.BY_PATH.containsKey(o.path()), () -> o + " at /v1/" + o.path() + " has no schema in Schemas.BY_PATH");
            assertEquals(o.path(), o.schema().name(), () -> o + " is bound to the schema of another path");
        }
        assertEquals(Schemas.BY_PATH.size(), Operation.values().length);
    }

    @Test
    void anUnknownPathIsNoOperation() {
        for (String path : new String[] {"", "sign/", "Sign", "v1/sign", "__nonceSession", "confirm", "request"}) {
            assertTrue(Operation.byPath(path).isEmpty(), path);
        }
        assertTrue(Operation.byPath(null).isEmpty());
    }

    @Test
    void whatEachOperationNeedsIsWhatTheApiDocumentSays() {
        assertEquals(Set.of("login", "policy"), pathsThatNeed(Operation.Needs.NOTHING), "§5.1, §5.16: no session");
        assertEquals(Set.of("nonces"), pathsThatNeed(Operation.Needs.SESSION), "§5.3: session, no nonce");
        // COSIGN-115: while the password must change only password, status, nonces and logout are allowed
        assertEquals(Set.of("password", "status", "logout"), pathsThatNeed(Operation.Needs.NONCE));
        assertEquals(Operation.values().length - 6, pathsThatNeed(Operation.Needs.NONCE_UNRESTRICTED).size());
    }

    private static Set<String> pathsThatNeed(Operation.Needs needs) {
        return Arrays.stream(Operation.values()).filter(o -> o.needs() == needs).map(Operation::path).collect(Collectors.toSet());
    }
}
