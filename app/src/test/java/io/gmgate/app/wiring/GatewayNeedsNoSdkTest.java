package io.gmgate.app.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The server side reads the access-policy model from its own module (access-policy), never from the
 * terminal SDK: dependencies point down, and the SDK is what a terminal embeds (docs/architecture.md).
 * The gateway module's pom bans the sdk artifact too; this covers the gateway's wiring inside app.
 */
class GatewayNeedsNoSdkTest {

    private static final Pattern SDK = Pattern.compile("\\bio\\.gmgate\\.sdk\\b");

    /** The server modules, and the parts of app that wire a gateway or cosign node. */
    private static final List<Path> SERVER_SOURCES = List.of(
            Path.of("../gateway/src/main/java"), Path.of("../session/src/main/java"),
            Path.of("../cosign-server/src/main/java"), Path.of("../proxy-protocol/src/main/java"),
            Path.of("../access-policy/src/main/java"),
            Path.of("src/main/java/io/gmgate/app/wiring"),
            Path.of("src/main/java/io/gmgate/app/ServeCommand.java"),
            Path.of("src/main/java/io/gmgate/app/CosignWiring.java"),
            Path.of("src/main/java/io/gmgate/app/config/GatewaySettings.java"),
            Path.of("src/main/java/io/gmgate/app/config/NodeSettings.java"),
            Path.of("src/main/java/io/gmgate/app/config/GmgateConfig.java"));

    @Test
    void noServerSourceImportsTheSdk() {
        List<Path> files = SERVER_SOURCES.stream().flatMap(GatewayNeedsNoSdkTest::javaFiles).toList();
        assertTrue(files.size() > 50, "the scan found the sources: " + files.size());
        List<String> offenders = files.stream().filter(f -> SDK.matcher(read(f)).find()).map(Path::toString).toList();
        assertEquals(List.of(), offenders, "server code that imports the terminal SDK");
    }

    private static Stream<Path> javaFiles(Path root) {
        assertTrue(Files.exists(root), root + " exists");
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
