package io.gmgate.app.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hazelcast warns at every start when it lacks access to some JDK-internal packages (docs/configuration.md).
 * A cluster node started in a child JVM without any flag prints that warning and names the flags it
 * wants (the test's control: it proves the check can fail and reads Hazelcast's own list); the same
 * node started through a jar whose manifest carries app/pom.xml's Add-Exports / Add-Opens (what
 * {@code java -jar gmgate.jar} does, from the launcher and the image) and with the launcher's flags
 * prints none; and the launcher, the Dockerfile and the manifest name exactly what Hazelcast asked for.
 */
class HazelcastModuleAccessTest {

    private static final Pattern ASKED = Pattern.compile("--add-(opens|exports)[ =](\\S+)");
    private static final String WARNING = "without proper access to required Java packages";

    @TempDir
    Path dir;

    @Test
    void aNodeStartedAsTheLauncherAndImageStartItGetsNoAccessWarningAndEveryPlaceNamesExactlyWhatHazelcastAsks() throws Exception {
        String bare = startNode(List.of("-cp", System.getProperty("java.class.path"), ClusterNodeMain.class.getName()));
        assertTrue(bare.contains(WARNING), "without flags Hazelcast warns (else this test could not fail):\n" + bare);
        Set<String> asked = new TreeSet<>();
        Matcher m = ASKED.matcher(bare.substring(bare.indexOf(WARNING)));
        while (m.find()) {
            asked.add(m.group(1) + " " + m.group(2));
        }
        assertFalse(asked.isEmpty(), bare);

        assertEquals(asked, manifestFlags(), "app/pom.xml's Add-Exports / Add-Opens");
        assertEquals(asked, flagsIn(Files.readString(Path.of("..", "gmgate"))), "the gmgate launcher");
        assertEquals(asked, flagsIn(Files.readString(Path.of("..", "deploy", "docker", "Dockerfile"))), "deploy/docker/Dockerfile");

        String viaManifest = startNode(List.of("-jar", launcherJar().toString()));
        assertTrue(viaManifest.contains("cluster node up"), viaManifest);
        assertFalse(viaManifest.contains(WARNING), "java -jar with the manifest's entries:\n" + viaManifest);

        List<String> withFlags = new ArrayList<>(flagsIn(Files.readString(Path.of("..", "gmgate"))).stream()
                .map(f -> "--add-" + f.replace(' ', '=')).toList());
        withFlags.addAll(List.of("-cp", System.getProperty("java.class.path"), ClusterNodeMain.class.getName()));
        String viaFlags = startNode(withFlags);
        assertTrue(viaFlags.contains("cluster node up"), viaFlags);
        assertFalse(viaFlags.contains(WARNING), "the launcher's flags:\n" + viaFlags);
    }

    /** app/pom.xml's manifest entries, as surefire passes them from the same properties. */
    private static Set<String> manifestFlags() {
        String exports = System.getProperty("gmgate.addExports");
        String opens = System.getProperty("gmgate.addOpens");
        assertNotNull(exports, "surefire passes gmgate.addExports from app/pom.xml");
        assertNotNull(opens, "surefire passes gmgate.addOpens from app/pom.xml");
        Set<String> out = new TreeSet<>();
        Arrays.stream(exports.trim().split("\\s+")).forEach(p -> out.add("exports " + p + "=ALL-UNNAMED"));
        Arrays.stream(opens.trim().split("\\s+")).forEach(p -> out.add("opens " + p + "=ALL-UNNAMED"));
        return out;
    }

    private static Set<String> flagsIn(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = ASKED.matcher(text);
        while (m.find()) {
            out.add(m.group(1) + " " + m.group(2).replaceAll("[\",\\\\]+$", ""));
        }
        return out;
    }

    /** A jar like gmgate.jar for this test's classpath: Main-Class, Class-Path, and app/pom.xml's Add-Exports / Add-Opens. */
    private Path launcherJar() throws IOException {
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(Attributes.Name.MAIN_CLASS, ClusterNodeMain.class.getName());
        List<String> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(Path.of(entry).toAbsolutePath().toUri().toString());
        }
        a.put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
        a.putValue("Add-Exports", System.getProperty("gmgate.addExports"));
        a.putValue("Add-Opens", System.getProperty("gmgate.addOpens"));
        Path jar = dir.resolve("launcher.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
            j.flush();
        }
        return jar;
    }

    /** Runs a child JVM that starts one cluster node and leaves; returns its stdout and stderr together. */
    private String startNode(List<String> args) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djava.net.preferIPv4Stack=true"));
        cmd.addAll(args);
        cmd.add(Integer.toString(port));
        Path log = Files.createTempFile(dir, "node", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the node did not start and leave within 120 s:\n" + Files.readString(log));
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
