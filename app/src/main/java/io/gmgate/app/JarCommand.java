package io.gmgate.app;

/**
 * A {@code gmgate} subcommand that another jar on the class path brings (listed in its
 * {@code META-INF/services/io.gmgate.app.JarCommand}): the demo's, so that the demo and its embedded
 * PostgreSQL stay out of the production jar while {@code gmgate demo} still works from the demo jar.
 */
public interface JarCommand {
}
