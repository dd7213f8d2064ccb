package io.gmgate.app.config;

/** Who this process is in the cluster: a unique node name and the site (data centre) it runs in. */
public record NodeSettings(String name, String site) {

    static NodeSettings read(ConfigNode n) {
        NodeSettings s = new NodeSettings(n.string("name", "gmgate-1"), n.string("site", "site-a"));
        n.done();
        return s;
    }
}
