package io.gmgate.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The transition table of docs/session.md, row by row. */
class ModeTransitionsTest {

    @ParameterizedTest(name = "{0} {1} -> {2}: {3}")
    @CsvSource({
        "OPERATOR, NORMAL,  ONE_WAY, true",
        "OPERATOR, NORMAL,  BYPASS,  true",
        "OPERATOR, ONE_WAY, BYPASS,  true",
        "OPERATOR, BYPASS,  NORMAL,  true",
        "OPERATOR, BYPASS,  ONE_WAY, true",
        "OPERATOR, ONE_WAY, NORMAL,  true",
        "OPERATOR, BYPASS,  BYPASS,  true",
        "RULE,     NORMAL,  ONE_WAY, true",
        "RULE,     NORMAL,  BYPASS,  false",
        "RULE,     ONE_WAY, BYPASS,  false",
        "RULE,     ONE_WAY, NORMAL,  false",
        "RULE,     BYPASS,  ONE_WAY, false",
        "RULE,     NORMAL,  NORMAL,  false",
        "RULE,     ONE_WAY, ONE_WAY, false",
        "EXPIRY,   BYPASS,  NORMAL,  true",
        "EXPIRY,   ONE_WAY, NORMAL,  true",
        "EXPIRY,   NORMAL,  NORMAL,  true",
        "EXPIRY,   BYPASS,  ONE_WAY, true",
        "EXPIRY,   NORMAL,  BYPASS,  true",
    })
    void theTableSays(ModeOrigin origin, AccessMode from, AccessMode to, boolean allowed) {
        assertEquals(allowed, ModeTransitions.allowed(origin, from, to));
        if (!allowed) {
            SessionException e = assertThrows(SessionException.class,
                    () -> ModeTransitions.check(Scope.site("sh"), origin, from, to));
            assertEquals("MODE-304", e.errorCode().code());
            assertEquals(true, e.getMessage().contains("[site:sh] " + origin + " may not move " + from + " -> " + to), e.getMessage());
        }
    }
}
