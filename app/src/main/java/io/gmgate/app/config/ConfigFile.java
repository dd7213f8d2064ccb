package io.gmgate.app.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** Reads a YAML configuration file into a {@link ConfigNode} root. */
public final class ConfigFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigFile() {
    }

    public static ConfigNode read(Path file) {
        try {
            return parse(expand(Files.readString(file), System.getenv(), file.toString()), file.toString());
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration " + file + ": " + e.getMessage());
        }
    }

    private static final java.util.regex.Pattern VARIABLE =
            java.util.regex.Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    /**
     * Replaces {@code ${NAME}} and {@code ${NAME:-default}} with environment values, so one file
     * serves every pod (e.g. {@code name: ${POD_NAME}}). An unset variable without a default is an error.
     */
    public static String expand(String text, java.util.Map<String, String> env, String source) {
        java.util.regex.Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null) {
                value = m.group(2);
            }
            if (value == null) {
                throw new ConfigException(source + ": environment variable " + m.group(1) + " is not set");
            }
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    public static ConfigNode parse(String yaml, String source) {
        try {
            JsonNode root = YAML.readTree(yaml);
            return new ConfigNode(root == null ? MissingNode.getInstance() : root, "", source);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": not valid YAML at line " + e.getLocation().getLineNr()
                    + ": " + e.getOriginalMessage());
        }
    }
}
