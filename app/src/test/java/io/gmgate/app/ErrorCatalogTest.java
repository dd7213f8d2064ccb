package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ErrorCatalogTest {

    @Test
    void everyCodeIsDefinedOnce() {
        assertFalse(ErrorCatalog.all().isEmpty());
    }

    @Test
    void docsErrorsMdMatchesTheCode() throws IOException {
        Path doc = Path.of("..", "docs", "errors.md");
        String expected = ErrorCatalog.markdown();
        if (Boolean.getBoolean("gmgate.updateDocs")) {
            Files.writeString(doc, expected, StandardCharsets.UTF_8);
        }
        assertEquals(expected, Files.readString(doc, StandardCharsets.UTF_8),
                "docs/errors.md is stale: run mvn -pl app -am test -Dtest=ErrorCatalogTest -Dgmgate.updateDocs=true "
                        + "-Dsurefire.failIfNoSpecifiedTests=false, or ./gmgate errors > docs/errors.md");
    }
}
