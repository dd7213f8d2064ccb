package io.gmgate.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/configuration.md shows complete files; each must load with the real readers, which refuse
 * unknown keys — so a key renamed in the code, or mistyped in the reference, fails here.
 */
class ConfigurationReferenceTest {

    @TempDir
    Path dir;

    @Test
    void everyExampleInTheReferenceLoads() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        Matcher blocks = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        List<String> loaded = new ArrayList<>();
        int n = 0;
        while (blocks.find()) {
            Path file = Files.writeString(dir.resolve("example-" + n++ + ".yaml"), blocks.group(1));
            if (blocks.group(1).startsWith("client:")) {
                TerminalConfig t = TerminalConfig.load(file);
                assertTrue(t.agentSection());
                loaded.add("terminal");
            } else {
                GmgateConfig c = GmgateConfig.load(file);
                c.gateway().ifPresent(g -> loaded.add("gateway"));
                c.cosign().ifPresent(g -> {
                    assertTrue(g.ca().isPresent() && g.caDown().isPresent());
                    loaded.add("cosign");
                });
            }
        }
        assertEquals(List.of("gateway", "cosign", "terminal"), loaded);
    }
}
