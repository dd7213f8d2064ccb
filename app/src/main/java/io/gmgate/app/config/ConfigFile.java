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
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration " + file + ": " + e.getMessage());
        }
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
