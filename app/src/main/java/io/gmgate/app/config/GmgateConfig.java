package io.gmgate.app.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The whole configuration of one gmgate process, read once at start and immutable afterwards
 * (house style 7). Sections a role does not use may be absent.
 */
public record GmgateConfig(NodeSettings node, DatabaseSettings database, CardSettings card, ClusterConfig cluster,
                           Optional<GatewaySettings> gateway, Optional<CosignConfig> cosign, PolicySigningSettings policy) {

    public static GmgateConfig load(Path file) {
        return from(ConfigFile.read(file));
    }

    public static GmgateConfig from(ConfigNode root) {
        NodeSettings node = NodeSettings.read(root.section("node"));
        GmgateConfig c = new GmgateConfig(
                node,
                DatabaseSettings.read(root.section("database")),
                CardSettings.read(root.section("card")),
                root.has("cluster") ? ClusterConfig.read(root.section("cluster"), node.site()) : ClusterConfig.defaults(node.site()),
                root.has("gateway") ? Optional.of(GatewaySettings.read(root.section("gateway"))) : Optional.empty(),
                root.has("cosign") ? Optional.of(CosignConfig.read(root.section("cosign"), node.name())) : Optional.empty(),
                root.has("policy") ? PolicySigningSettings.read(root.section("policy")) : PolicySigningSettings.DEFAULTS);
        root.done();
        return c;
    }
}
